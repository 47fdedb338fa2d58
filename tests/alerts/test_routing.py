"""Routing rules, mandates, deduplication and the delivery policy as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pantau.alerts import (
    AlertEvent,
    Endpoint,
    Mandate,
    Person,
    QuietHours,
    Rule,
    Throttle,
    backoff_seconds,
    decide,
    dedup_key,
    mandated_agencies,
    route,
)
from pantau.alerts.routing import default_rules

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 WITA
PROV, SMD, BPN = 1, 2, 3
MANDATES = [
    Mandate(PROV, "provinsi", ("64",)),
    Mandate(SMD, "kota", ("64.72",), ("banjir samarinda",)),
    Mandate(BPN, "kota", ("64.71",), ("pdam",)),
]
PEOPLE = [
    Person(10, "rina", "Rina", "analis", SMD, "rina@x.id", "111"),
    Person(11, "budi", "Budi", "analis", BPN, "budi@x.id", None, ("inapp",)),
    Person(12, "koord", "Koord", "koordinator", PROV, "koord@x.id"),
    Person(13, "pimpinan", "Pimpinan", "pimpinan", PROV, None),
    Person(14, "prov", "Analis Prov", "analis", PROV, "prov@x.id"),
]


def ev(**kw: object) -> AlertEvent:
    base: dict[str, object] = dict(
        alert_id=1,
        issue_id=5,
        kind="stage",
        stage="current",
        risk=70.0,
        label="Isu",
        raised_at=T0,
        regions=("64.72.01",),
    )
    base.update(kw)
    return AlertEvent(**base)  # type: ignore[arg-type]


def targets(event: AlertEvent, rules=None, endpoints=()) -> set[str]:  # type: ignore[no-untyped-def]
    found = route(
        event, rules or default_rules(("inapp", "email", "telegram")), PEOPLE, MANDATES, endpoints
    )
    return {f"{t.recipient}/{t.channel}" + ("!" if t.crisis else "") for t in found}


def test_mandate_prefers_the_regency_then_falls_back_to_the_province() -> None:
    assert mandated_agencies(ev(), MANDATES) == {SMD}
    assert mandated_agencies(ev(regions=("64.02",)), MANDATES) == {PROV}  # no Kukar agency here
    assert mandated_agencies(ev(regions=("64.72",), watchlists=("pdam",)), MANDATES) == {SMD, BPN}
    assert mandated_agencies(ev(agency_id=BPN), MANDATES) == {BPN}  # assignment wins
    assert mandated_agencies(ev(regions=("31.71",)), MANDATES) == set()  # another province


def test_default_rules_route_by_risk_stage_and_preferences() -> None:
    assert targets(ev()) == {
        "user:10/inapp",
        "user:10/email",
        "user:10/telegram",
        "user:12/inapp",
        "user:12/email",
    }
    assert targets(ev(risk=15.0)) == set()  # below every threshold
    crisis = targets(ev(stage="crisis", risk=90.0))
    assert {"user:13/inapp!", "user:12/email!", "user:10/telegram!"} <= crisis
    assert "user:13/email!" not in crisis  # leadership without an address
    # budi only wants in-app; his agency is mandated through the watchlist
    assert targets(ev(regions=(), watchlists=("pdam",))) >= {"user:11/inapp"}
    assert "user:11/email" not in targets(ev(regions=(), watchlists=("pdam",)))


def test_rule_conditions_and_endpoints() -> None:
    hook = Endpoint(7, "wa", "webhook", "http://127.0.0.1/wa")
    rule = Rule(
        "medsos-ke-berita",
        min_risk=40,
        stages=("emerging", "current"),
        regions=("64.72",),
        mention_channels=("social",),
        crossover_only=True,
        audience="all",
        roles=("pimpinan",),
        channels=("inapp",),
        endpoint_ids=(7,),
    )
    hit = ev(mention_channels=("social", "news"), crossover=True, risk=45.0)
    assert targets(hit, [rule], [hook]) == {"user:13/inapp", "endpoint:7/webhook"}
    for miss in (
        ev(mention_channels=("social",), crossover=False, risk=45.0),
        ev(mention_channels=("news",), crossover=True, risk=45.0),
        ev(mention_channels=("social",), crossover=True, risk=39.0),
        ev(mention_channels=("social",), crossover=True, regions=("64.71",)),
        ev(mention_channels=("social",), crossover=True, stage="dormant"),
    ):
        assert targets(miss, [rule], [hook]) == set(), miss
    agency_rule = Rule("hanya-bpn", audience="agency", agency_id=BPN, channels=("inapp",))
    assert targets(ev(risk=0.0), [agency_rule]) == {"user:11/inapp"}


def test_dedup_one_alert_per_issue_per_stage_change() -> None:
    assert dedup_key(ev(kind="stage")) == dedup_key(ev(kind="risk", alert_id=2))
    assert dedup_key(ev(stage="crisis")) != dedup_key(ev(stage="current"))
    assert dedup_key(ev(kind="crossover")) == "issue:5:crossover"
    assert dedup_key(ev(kind="escalation", alert_id=3)) != dedup_key(ev(kind="escalation"))


def test_backoff_and_quiet_hours() -> None:
    assert [backoff_seconds(n, 10, 300) for n in range(1, 7)] == [10, 20, 40, 80, 160, 300]
    quiet = QuietHours.parse("22:00-06:00", "Asia/Makassar")
    assert quiet is not None
    assert quiet.end_after(T0) is None
    assert quiet.end_after(T0.replace(hour=21, minute=30)) == T0.replace(hour=22)  # 05:30 WITA
    day = QuietHours.parse("12:00-13:00", "Asia/Makassar")
    assert day is not None and day.end_after(T0 + timedelta(hours=2, minutes=30)) == T0 + timedelta(
        hours=3
    )
    assert QuietHours.parse("", "Asia/Makassar") is None
    with pytest.raises(ValueError, match="HH:MM-HH:MM"):
        QuietHours.parse("malam", "Asia/Makassar")


def test_throttle_window_slides_and_crises_pass() -> None:
    th = Throttle(2, [("user:1", "email", T0 - timedelta(minutes=59))])
    assert th.admit("user:1", "email", T0)
    assert not th.admit("user:1", "email", T0)
    assert th.admit("user:1", "email", T0, force=True)  # a crisis is never held
    assert th.admit("user:1", "inapp", T0)  # in-app is never throttled
    assert th.admit("user:2", "email", T0)
    # the oldest left the window, but the crisis push counts: still two in the last hour
    assert not th.admit("user:1", "email", T0 + timedelta(minutes=1, seconds=1))
    assert th.admit("user:1", "email", T0 + timedelta(hours=1, seconds=1))
    d = decide(
        recipient="user:3",
        channel="email",
        crisis=False,
        digest_only=True,
        now=T0,
        throttle=th,
        quiet=None,
    )
    assert d.status == "held"


def test_digest_is_due_from_the_local_digest_time() -> None:
    from pantau.alerts.digest import digest_due
    from pantau.settings import Settings

    settings = Settings.from_env({}, alert_digest_time="07:00", timezone="Asia/Makassar")
    assert not digest_due(settings, datetime(2026, 11, 19, 22, 59, tzinfo=UTC))  # 06:59 WITA
    assert digest_due(settings, datetime(2026, 11, 19, 23, 0, tzinfo=UTC))  # 07:00 WITA
    assert digest_due(settings, T0)
