// The desk a manager opens in the morning, on a site filled by `kesu-demo`: the workspace, the
// complaint list and the reports, screenshots for the README. Not part of the pytest tiers;
// see tests/browser/README.md. Signs in as KESU_TOUR_USER (default Administrator).
const { chromium } = require("playwright-core");
const { mkdirSync } = require("node:fs");

const BASE = process.env.KESU_URL || "http://127.0.0.1:8000";
const SHOTS = process.env.KESU_SHOTS || "docs/screenshots";
const USER = process.env.KESU_TOUR_USER || "Administrator";
const PASSWORD = process.env.KESU_TOUR_PASSWORD || "admin";
const LANG = process.env.KESU_LANG || "en";
const SUFFIX = LANG === "en" ? "" : `-${LANG}`;
mkdirSync(SHOTS, { recursive: true });

const VIEWS = [
	["workspace", "/app/complaints", ".widget.number-widget-box"],
	["complaint-list", "/app/complaint", ".frappe-list .list-row"],
	["category-analysis", "/app/query-report/Complaint Category Analysis", ".dt-row"],
	["hotspots", "/app/query-report/Complaint Hotspots", ".dt-row"],
	["quarterly-analysis", "/app/query-report/Quarterly Complaint Analysis", ".dt-row"],
	["compensation-register", "/app/query-report/Compensation Register", ".dt-row"],
	["overdue", "/app/query-report/Overdue Complaints", ".dt-row"],
];

async function main() {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--mute-audio"],
	});
	const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
	await page.goto(`${BASE}/login`);
	await page.fill("#login_email", USER);
	await page.fill("#login_password", PASSWORD);
	await page.click(".btn-login");
	await page.waitForURL(/\/(app|desk)(\/|$)/);
	await page.evaluate(
		([name, lang]) => frappe.xcall("frappe.client.set_value", { doctype: "User", name, fieldname: "language", value: lang }),
		[USER, LANG]
	);
	const missing = [];
	for (const [name, path, ready] of VIEWS) {
		await page.goto(`${BASE}${path}`);
		try {
			await page.waitForSelector(ready, { timeout: 30000 });
		} catch (error) {
			missing.push(name);
		}
		await page.waitForTimeout(2500); // charts draw after the data
		await page.screenshot({ path: `${SHOTS}/${name}${SUFFIX}.png` });
		console.log("shot", name);
	}
	await browser.close();
	if (missing.length) {
		console.error(`FAILED: nothing shown on ${missing.join(", ")} (is the demo loaded?)`);
		process.exit(1);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
