"""bench commands of kesu_app: `bench --site SITE kesu-demo` fills a site with demo complaints."""

import click

from frappe.commands import get_site, pass_context


@click.command("kesu-demo")
@click.option(
	"--count",
	default=300,
	show_default=True,
	help="How many complaints to seed in bulk; about thirty more are walked through the app.",
)
@click.option("--seed", default=7, show_default=True, help="Random seed, for a repeatable demo.")
@click.option("--remove", is_flag=True, default=False, help="Delete the demo complaints instead.")
@pass_context
def kesu_demo(context, count, seed, remove):
	"""Create (or remove) a year of realistic demo complaints, in Chinese and English, with their
	compensations, follow-ups and histories."""
	import frappe

	from kesu_app.demo import make_demo, remove_demo

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		if remove:
			removed = remove_demo()
			click.echo(f"Removed {removed} demo complaints from {site}.")
		else:
			made = make_demo(count=count, seed=seed)
			click.echo(f"Created {made} demo complaints on {site}.")
		frappe.db.commit()  # a bench command owns its transaction
	finally:
		frappe.destroy()


commands = [kesu_demo]
