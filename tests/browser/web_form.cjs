// The public complaint form filled in by a guest, in Chinese, in a real browser; then the
// customer's portal page. Screenshots for the README. Needs a site served on loopback,
// Chromium and playwright-core (npm), like walkthrough.cjs (see tests/browser/README.md).
const { chromium } = require("playwright-core");
const { mkdirSync } = require("node:fs");

const BASE = process.env.KESU_URL || "http://127.0.0.1:8000";
const SHOTS = process.env.KESU_SHOTS || "docs/screenshots";
const CUSTOMER = process.env.KESU_PORTAL_USER; // a website user, optional
const PASSWORD = process.env.KESU_PASSWORD || "kesu-walkthrough";
mkdirSync(SHOTS, { recursive: true });

async function main() {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--mute-audio", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
	});
	const context = await browser.newContext({ viewport: { width: 1200, height: 1300 }, locale: "zh-CN" });
	const page = await context.newPage();
	await page.goto(`${BASE}/complaint/new?_lang=zh`);
	await page.waitForSelector('[data-fieldname="customer_name"] input');
	const stamp = Date.now().toString(36);
	await page.fill('[data-fieldname="customer_name"] input', "王女士");
	await page.fill('[data-fieldname="contact_phone"] input', "+86 138 0013 8000");
	await page.fill('[data-fieldname="subject"] input', `激光祛斑后色素沉着 ${stamp}`);
	await page.fill(
		'[data-fieldname="description"] textarea',
		"三周前在贵院做了激光祛斑，现在脸颊出现明显色素沉着，希望医生复诊并给出处理方案。"
	);
	await page.fill('[data-fieldname="customer_demand"] textarea', "免费复诊，必要时退还部分费用");
	if (process.env.KESU_GUEST_UPLOAD) {
		// needs System Settings > Allow Guests to Upload Files; the file is a photo of the face
		await page.click('[data-fieldname="evidence"] .grid-add-row');
		await page.click('[data-fieldname="evidence"] .grid-row:not(.grid-row-head) [data-fieldname="attachment"]');
		await page.locator('[data-fieldname="evidence"] [data-fieldname="attachment"] button').first().click();
		await page.locator('.modal.show input[type="file"]').first().setInputFiles(process.env.KESU_GUEST_UPLOAD);
		await page.locator(".modal.show .btn-primary").first().click();
		await page.waitForFunction(() => !document.querySelector(".modal.show, .modal-backdrop"), null, { timeout: 20000 });
		await page.waitForTimeout(500);
	}
	await page.screenshot({ path: `${SHOTS}/web-form.png`, fullPage: true });
	await page.click(".submit-btn");
	await page.waitForSelector(".success-page", { state: "visible", timeout: 20000 });
	const done = await page.innerText(".success-page");
	console.log("submitted:", done.replace(/\s+/g, " ").slice(0, 120));
	await page.screenshot({ path: `${SHOTS}/web-form-sent.png` });
	// a guest is not sent to a login page: the thank-you page shows the complaint's number
	await page.waitForURL(/complaint-received/, { timeout: 20000 });
	await page.waitForSelector(".kesu-complaint-received");
	const thanks = await page.innerText(".kesu-complaint-received");
	console.log("thank-you page:", thanks.replace(/\s+/g, " ").slice(0, 160));
	await page.screenshot({ path: `${SHOTS}/complaint-received.png` });
	if (!/CMP-\d{4}-\d+/.test(thanks) || /login/i.test(page.url())) {
		console.error("FAILED: the guest did not see their complaint number");
		process.exitCode = 1;
	}

	if (CUSTOMER) {
		const portal = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
		await portal.goto(`${BASE}/login?_lang=zh`);
		await portal.fill("#login_email", CUSTOMER);
		await portal.fill("#login_password", PASSWORD);
		await portal.click(".btn-login");
		await portal.waitForLoadState("networkidle");
		await portal.goto(`${BASE}/my-complaints?_lang=zh`);
		await portal.waitForSelector(".kesu-my-complaints");
		console.log("portal rows:", await portal.locator(".kesu-my-complaints tbody tr").count());
		await portal.screenshot({ path: `${SHOTS}/my-complaints.png` });
	}
	await browser.close();
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
