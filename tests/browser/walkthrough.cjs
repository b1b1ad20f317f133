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
// en or zh: the desk's language for both users (their own User setting, as they would set it)
const LANG = process.env.KESU_LANG || "en";
const SUFFIX = LANG === "en" ? "" : `-${LANG}`;
mkdirSync(SHOTS, { recursive: true });

async function main() {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--mute-audio", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
	});

	async function session(user) {
		const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
		const page = await context.newPage();
		await page.goto(`${BASE}/login`);
		await page.fill("#login_email", user);
		await page.fill("#login_password", PASSWORD);
		await page.click(".btn-login");
		await page.waitForURL(/\/(app|desk)(\/|$)/); // /app on Frappe 15, /desk on 16
		// complaint staff land on the Complaints workspace
		const landed = page.url();
		await page.evaluate(
			([name, lang]) => frappe.xcall("frappe.client.set_value", { doctype: "User", name, fieldname: "language", value: lang }),
			[user, LANG]
		);
		await page.reload();
		await page.waitForFunction(() => window.frappe && frappe.boot && frappe.boot.lang);
		console.log(user, "landed on", landed);
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

	// the action's label as the desk shows it, in the user's language
	async function label(page, action) {
		return page.evaluate((a) => __(a, null, "Complaint"), action);
	}

	async function action(page, name, { reason, select } = {}) {
		await settle(page);
		const shown = await label(page, name);
		// the form has more than one actions group in its markup; the visible one is the page's
		await page.locator(".actions-btn-group > button >> visible=true").first().click();
		await page.locator(`.actions-btn-group .dropdown-menu a:has-text("${shown}") >> visible=true`).first().click();
		if (reason || select) {
			const dialog = page.locator(".modal.show");
			await dialog.waitFor();
			if (reason) await dialog.locator('[data-fieldname="reason"] textarea').fill(reason);
			// an action that waits for a field asks for it (closing: substantiated?)
			for (const [field, value] of Object.entries(select || {})) {
				if (value) await dialog.locator(`select[data-fieldname="${field}"]`).selectOption(value);
			}
			await page.screenshot({ path: `${SHOTS}/action-${name.toLowerCase().replace(/ /g, "-")}${SUFFIX}.png` });
			await dialog.locator(".btn-primary").click();
		}
		await settle(page);
		await page.waitForTimeout(1500);
	}

	async function nextLine(page) {
		return page.evaluate(() => (document.querySelector(".kesu-next-step") || {}).innerText || "");
	}

	async function onLists(page, name) {
		return page.evaluate(
			(n) =>
				frappe.xcall("frappe.client.get_list", {
					doctype: "ToDo",
					filters: { reference_type: "Complaint", reference_name: n, status: "Open" },
					fields: ["allocated_to"],
				}),
			name
		);
	}

	async function state(page) {
		return page.evaluate(() => cur_frm.doc.workflow_state);
	}

	// the front desk files a complaint in the desk form: values set in order, as a person would
	async function file(page, values, severity, shot) {
		await page.goto(`${BASE}/app/complaint/new`);
		await page.waitForSelector(".form-layout");
		await page.waitForFunction(() => window.cur_frm && cur_frm.doctype === "Complaint" && cur_frm.is_new());
		await page.evaluate(async (v) => {
			for (const [field, value] of v) await cur_frm.set_value(field, value);
		}, Object.entries({ customer: "_Kesu Customer A", contact_phone: "+86 138 0013 8000", ...values }));
		// the category fills in its default severity
		await page.waitForFunction((s) => cur_frm.doc.severity === s, severity);
		await page.waitForTimeout(800);
		if (shot) await page.screenshot({ path: `${SHOTS}/${shot}` });
		await page.evaluate(() => cur_frm.save());
		await page.waitForFunction(() => window.cur_frm && !cur_frm.is_new() && !cur_frm.is_dirty());
		await page.waitForTimeout(1000);
		return page.evaluate(() => cur_frm.doc.name);
	}

	const agent = await session(AGENT);
	const name = await file(
		agent,
		{
			channel: "WeChat",
			subject: "前台电话态度恶劣",
			description: "客户反映预约改期时前台态度恶劣，要求道歉并说明。",
			category: "Service Attitude",
		},
		"General",
		`complaint-new${SUFFIX}.png`
	);
	console.log("filed", name);

	const problems = [];
	const expect = (ok, what) => ok || problems.push(what);

	await openComplaint(agent, name);
	console.log("next:", await nextLine(agent));
	expect((await nextLine(agent)).length > 0, "no Next line on a new case");
	await action(agent, "Acknowledge");
	await action(agent, "Start Investigation");
	await action(agent, "Escalate", { reason: "客户要求主管处理 / The customer asks for a supervisor" });
	console.log("agent left it at", await state(agent), "next:", await nextLine(agent));
	await agent.screenshot({ path: `${SHOTS}/complaint-escalated${SUFFIX}.png`, fullPage: false });

	const supervisor = await session(SUPERVISOR);
	await openComplaint(supervisor, name);
	// a substantiated case is resolved only with its root cause and who answers for it
	await setValues(supervisor, {
		findings: "术后肿胀未完全消退，属正常恢复期；沟通不足。",
		root_cause: "Communication",
		responsibility: "No One at Fault",
		no_fault_reason: "肿胀属正常恢复期；已加强术前沟通。",
	});
	await action(supervisor, "Propose Resolution");
	console.log("supervisor left it at", await state(supervisor));
	const after_proposal = (await onLists(supervisor, name)).map((t) => t.allocated_to);
	console.log("on the lists of", after_proposal);
	expect(JSON.stringify(after_proposal) === JSON.stringify([AGENT]), `Send to Customer not on the agent's list: ${after_proposal}`);

	await openComplaint(agent, name);
	await agent.screenshot({ path: `${SHOTS}/complaint-next-step${SUFFIX}.png` });
	await setValues(agent, { resolution_summary: "免费修复治疗一次，并书面说明术后护理。" });
	// asks how the result is given (suggested from the channel)
	await action(agent, "Send to Customer", { select: { result_given_via: null } });
	expect((await agent.evaluate(() => cur_frm.doc.result_given_via)) === "WeChat / Chat", "result given via not recorded");
	await setValues(agent, { customer_feedback: "客户接受方案。" });
	await action(agent, "Customer Accepts");
	console.log("agent left it at", await state(agent));

	await openComplaint(supervisor, name);
	// closing asks whether the complaint was substantiated
	await action(supervisor, "Close", { select: { substantiated: "Substantiated" } });
	const final = await state(supervisor);
	console.log("final state", final);
	await supervisor.screenshot({ path: `${SHOTS}/complaint-closed${SUFFIX}.png` });

	// an important case, escalated as it is filed: its filer still completes the intake
	const important = await file(
		agent,
		{
			subject: "双眼皮术后一侧明显不对称",
			description: "客户来电：术后两周左眼褶皱明显高于右眼。",
			category: "Treatment Outcome",
			severity: "Important",
		},
		"Important"
	);
	await openComplaint(agent, important);
	const finish = agent.locator(`.page-actions button:has-text("${await label(agent, "Finish Intake")}") >> visible=true`);
	expect((await finish.count()) > 0, "no Finish Intake for the filer of an escalated case");
	if (await finish.count()) {
		await finish.first().click();
		const dialog = agent.locator(".modal.show");
		await dialog.waitFor();
		await dialog.locator('[data-fieldname="contact_email"] input').fill("patient.later@example.com");
		await agent.screenshot({ path: `${SHOTS}/finish-intake${SUFFIX}.png` });
		await dialog.locator(".btn-primary").click();
		await settle(agent);
		await agent.waitForTimeout(1000);
		await openComplaint(agent, important);
		expect((await agent.evaluate(() => cur_frm.doc.contact_email)) === "patient.later@example.com", "Finish Intake did not save");
	}
	await agent.screenshot({ path: `${SHOTS}/complaint-escalated-at-filing${SUFFIX}.png` });

	await supervisor.goto(`${BASE}/app/complaint`);
	await supervisor.waitForSelector(".frappe-list");
	await supervisor.waitForTimeout(1500);
	await supervisor.screenshot({ path: `${SHOTS}/complaint-list${SUFFIX}.png` });
	await supervisor.goto(`${BASE}/app/kesu-settings`);
	await supervisor.waitForSelector(".form-layout");
	await supervisor.waitForTimeout(1000);
	await supervisor.screenshot({ path: `${SHOTS}/kesu-settings${SUFFIX}.png` });

	await browser.close();
	if (final !== "Closed") problems.push(`the complaint ended in ${final}, not Closed`);
	if (problems.length) {
		console.error(`FAILED: ${problems.join("; ")}`);
		process.exit(1);
	}
	console.log(`PASSED: ${name} walked from New to Closed through the desk`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
