from datetime import datetime, timedelta

from kesu_app.rules.alerts import (
	BREACH,
	BREACH_HANDLED,
	WARN,
	WARNED,
	StageClock,
	alerts_due,
	level_after,
	next_alert_at,
)

DUE = datetime(2026, 4, 7, 18, 0)
LEAD = timedelta(hours=2)


def at(text):
	return datetime.fromisoformat(text)


def test_nothing_before_the_lead_time():
	clock = StageClock("resolution", DUE)
	assert alerts_due([clock], LEAD, at("2026-04-07 15:59")) == []
	assert next_alert_at([clock], LEAD) == at("2026-04-07 16:00")


def test_warning_inside_the_lead_time_then_breach_at_the_due_time():
	clock = StageClock("resolution", DUE)
	assert alerts_due([clock], LEAD, at("2026-04-07 16:00")) == [("resolution", WARN)]
	warned = StageClock("resolution", DUE, alert_level=WARNED)
	assert alerts_due([warned], LEAD, at("2026-04-07 17:00")) == []
	assert next_alert_at([warned], LEAD) == DUE
	assert alerts_due([warned], LEAD, DUE) == [("resolution", BREACH)]


def test_a_breach_found_late_skips_the_warning():
	assert alerts_due([StageClock("resolution", DUE)], LEAD, at("2026-04-09 09:00")) == [
		("resolution", BREACH)
	]


def test_handled_met_and_undue_stages_need_nothing():
	clocks = [
		StageClock("acknowledgement", DUE, alert_level=BREACH_HANDLED),
		StageClock("investigation", DUE, met_at=at("2026-04-07 17:00")),
		StageClock("feedback", None),
	]
	assert alerts_due(clocks, LEAD, at("2026-05-01 00:00")) == []
	assert next_alert_at(clocks, LEAD) is None


def test_no_lead_time_means_no_warning():
	clock = StageClock("first_response", DUE)
	assert alerts_due([clock], timedelta(0), at("2026-04-07 17:59")) == []
	assert next_alert_at([clock], timedelta(0)) == DUE


def test_several_stages_and_the_earliest_next_alert():
	clocks = [
		StageClock("acknowledgement", at("2026-04-07 10:00")),
		StageClock("resolution", at("2026-04-13 18:00")),
	]
	assert alerts_due(clocks, LEAD, at("2026-04-07 11:00")) == [("acknowledgement", BREACH)]
	assert next_alert_at(clocks, LEAD) == at("2026-04-07 08:00")


def test_level_after_an_alert():
	assert level_after(WARN) == WARNED
	assert level_after(BREACH) == BREACH_HANDLED
