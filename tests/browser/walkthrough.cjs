// A complaint walked from intake to closed through the desk, each step by its role, in a real
// browser; screenshots of the screens on the way. Not part of the pytest tiers: it needs a
// site served on loopback, Chromium and playwright-core (npm). See tests/browser/README.md.
const { chromium } = require("playwright-core");
const { mkdirSync } = require("node:fs");

const BASE = process.env.KESU_URL || "http://127.0.0.1:8000";
const PASSWORD = process.env.KESU_PASSWORD || "kesu-walkthrough";
const SHOTS = process.env.KESU_SHOTS || "docs/screenshots";
const AGENT = "kesu.agent@example.com";
const SUPERVISOR = "kesu.supervisor@example.com";
mkdirSync(SHOTS, { recursive: true });

async function main() {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
	});

	async function session(user) {
		const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
		const page = await context.newPage();
		await page.goto(`${BASE}/login`);
		await page.fill("#login_email", user);
		await page.fill("#login_password", PASSWORD);
		await page.click(".btn-login");
		await page.waitForURL(/\/(app|desk)(\/|$)/); // /app on Frappe 15, /desk on 16
		return page;
	}

	async function settle(page) {
		try {
			await page.waitForFunction(() => !frappe.dom.freeze_count && !document.querySelector(".modal.show"));
		} catch (error) {
			await page.screenshot({ path: `${SHOTS}/failure.png` });
			const seen = await page.evaluate(() => ({
				dirty: cur_frm.is_dirty(),
				state: cur_frm.doc.workflow_state,
				freeze: frappe.dom.freeze_count,
				modals: [...document.querySelectorAll(".modal.show")].map((m) => m.innerText.slice(0, 300)),
			}));
			console.error("page did not settle:", JSON.stringify(seen));
			throw error;
		}
	}

	async function openComplaint(page, name) {
		await page.goto(`${BASE}/app/complaint/${name}`);
		await page.waitForSelector(".form-layout");
		await page.waitForFunction((n) => window.cur_frm && cur_frm.doc.name === n, name);
		await page.waitForTimeout(800);
	}

	async function setValues(page, values) {
		await page.evaluate(async (v) => {
			for (const [field, value] of Object.entries(v)) await cur_frm.set_value(field, value);
			await cur_frm.save();
		}, values);
		await page.waitForTimeout(800);
	}

	async function action(page, label, reason) {
		await settle(page);
		// the form has more than one actions group in its markup; the visible one is the page's
		await page.locator(".actions-btn-group > button >> visible=true").first().click();
		await page.locator(`.actions-btn-group .dropdown-menu a:has-text("${label}") >> visible=true`).first().click();
		if (reason) {
			const dialog = page.locator(".modal.show");
			await dialog.locator('[data-fieldname="reason"] textarea').fill(reason);
			await dialog.locator(".btn-primary").click();
		}
		await settle(page);
		await page.waitForTimeout(1500);
	}

	async function state(page) {
		return page.evaluate(() => cur_frm.doc.workflow_state);
	}

	const agent = await session(AGENT);
	await agent.goto(`${BASE}/app/complaint/new`);
	await agent.waitForSelector(".form-layout");
	await agent.waitForFunction(() => window.cur_frm && cur_frm.doctype === "Complaint");
	await agent.evaluate(async () => {
		await cur_frm.set_value("customer", "_Kesu Customer A");
		await cur_frm.set_value("contact_phone", "+86 138 0013 8000");
		await cur_frm.set_value("channel", "WeChat");
		await cur_frm.set_value("subject", "前台电话态度恶劣");
		await cur_frm.set_value("description", "客户反映预约改期时前台态度恶劣，要求道歉并说明。");
		await cur_frm.set_value("category", "Service Attitude");
	});
	// the category fills in its default severity (general for service attitude)
	await agent.waitForFunction(() => cur_frm.doc.severity === "General");
	await agent.waitForTimeout(800);
	await agent.screenshot({ path: `${SHOTS}/complaint-new.png` });
	await agent.evaluate(() => cur_frm.save());
	await agent.waitForFunction(() => !cur_frm.is_new() && !cur_frm.is_dirty());
	const name = await agent.evaluate(() => cur_frm.doc.name);
	console.log("filed", name);

	await openComplaint(agent, name);
	await action(agent, "Acknowledge");
	await action(agent, "Start Investigation");
	await action(agent, "Escalate", "客户要求主管处理 / The customer asks for a supervisor");
	console.log("agent left it at", await state(agent));
	await agent.screenshot({ path: `${SHOTS}/complaint-escalated.png`, fullPage: false });

	const supervisor = await session(SUPERVISOR);
	await openComplaint(supervisor, name);
	await setValues(supervisor, { findings: "术后肿胀未完全消退，属正常恢复期；沟通不足。" });
	await action(supervisor, "Propose Resolution");
	console.log("supervisor left it at", await state(supervisor));

	await openComplaint(agent, name);
	await setValues(agent, { resolution_summary: "免费修复治疗一次，并书面说明术后护理。" });
	await action(agent, "Send to Customer");
	await setValues(agent, { customer_feedback: "客户接受方案。" });
	await action(agent, "Customer Accepts");
	console.log("agent left it at", await state(agent));

	await openComplaint(supervisor, name);
	await action(supervisor, "Close");
	const final = await state(supervisor);
	console.log("final state", final);
	await supervisor.screenshot({ path: `${SHOTS}/complaint-closed.png` });

	await supervisor.goto(`${BASE}/app/complaint`);
	await supervisor.waitForSelector(".frappe-list");
	await supervisor.waitForTimeout(1500);
	await supervisor.screenshot({ path: `${SHOTS}/complaint-list.png` });
	await supervisor.goto(`${BASE}/app/kesu-settings`);
	await supervisor.waitForSelector(".form-layout");
	await supervisor.waitForTimeout(1000);
	await supervisor.screenshot({ path: `${SHOTS}/kesu-settings.png` });

	await browser.close();
	if (final !== "Closed") {
		console.error(`FAILED: the complaint ended in ${final}, not Closed`);
		process.exit(1);
	}
	console.log(`PASSED: ${name} walked from New to Closed through the desk`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
