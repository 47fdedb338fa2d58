"""Routing in an installation of several provinces: a rule's audience stops at the issue's
province (national people hear of every province's issues)."""

from __future__ import annotations

from datetime import UTC, datetime

from pantau.alerts.records import AlertEvent, Endpoint, Mandate, Person, Rule
from pantau.alerts.routing import DEFAULT_RULES, route

PEOPLE = [
    Person(1, "koord.kaltim", "Koord Kaltim", "koordinator", 1, "a@x.id", province="64"),
    Person(2, "koord.kalsel", "Koord Kalsel", "koordinator", 2, "b@x.id", province="63"),
    Person(3, "kadis.kalsel", "Kadis Kalsel", "pimpinan", 2, "c@x.id", province="63"),
    Person(4, "koord.pusat", "Koord Pusat", "koordinator", 9, "d@x.id", province=None),
]
MANDATES = [Mandate(1, "provinsi", ("64",)), Mandate(2, "provinsi", ("63",))]


ENDPOINTS = [
    Endpoint(1, "grup kaltim", "webhook", "https://a.example/h", 1, "64"),
    Endpoint(2, "grup pusat", "webhook", "https://p.example/h", None, None),
]
HOOKS = (*DEFAULT_RULES, Rule("grup", audience="agency", endpoint_ids=(1, 2), channels=()))


def _who(tenant: str | None) -> set[str]:
    event = AlertEvent(
        1,
        7,
        "stage",
        "crisis",
        90.0,
        "Banjir",
        datetime(2026, 1, 1, tzinfo=UTC),
        regions=("63.71",),
        tenant=tenant,
    )
    return {t.recipient for t in route(event, HOOKS, PEOPLE, MANDATES, ENDPOINTS)}


def test_a_rule_for_everyone_reaches_the_issues_province_and_national_people_only() -> None:
    # the crisis rule's audience is "all" coordinators and leaders: of Kalsel, and national
    # and a province's group hears of its own province's issues, a national group of all
    assert _who("63") == {"user:2", "user:3", "user:4", "endpoint:2"}
    assert _who("64") == {"user:1", "user:4", "endpoint:1", "endpoint:2"}
    assert _who(None) == {"user:4", "endpoint:2"}  # an issue of no province: national only
