"""Routing: which agencies and people get an alert, over which channels (pure functions).

1. The *mandated* agencies of an issue are the agency it is assigned to, else: every topical
   agency (an OPD, a utility, a vertical office) whose watchlists the issue matched within the
   agency's area, and the territorial offices (Diskominfo) whose regions cover one of its
   regions or whose watchlists it matched, the most specific level first (a kab/kota
   Diskominfo before the provincial one, which is the fallback).
2. Every active rule whose conditions hold (risk at or above ``min_risk``, lifecycle stage, region,
   watchlist, mention channel, crossover) adds its audience on its channels.
3. Targets are unique per (recipient, channel); a crisis rule or a crisis stage marks them crisis.

>>> from datetime import UTC, datetime
>>> ev = AlertEvent(1, 7, "stage", "crisis", 80.0, "Banjir", datetime(2026, 1, 1, tzinfo=UTC),
...                 regions=("64.72",))
>>> people = [Person(1, "rina", "Rina", "analis", 3, "rina@x.id"),
...           Person(2, "koord", "Koord", "koordinator", 1, "k@x.id")]
>>> mandates = [Mandate(1, "provinsi", ("64",)), Mandate(3, "kota", ("64.72",))]
>>> sorted(t.recipient + "/" + t.channel for t in route(ev, DEFAULT_RULES, people, mandates))
['user:1/email', 'user:1/inapp', 'user:2/email', 'user:2/inapp']
>>> pdam = Mandate(9, "bumd", ("64.72",), ("PDAM/air bersih",))
>>> ev2 = AlertEvent(2, 8, "stage", "emerging", 40.0, "Air keruh", datetime(2026, 1, 1, tzinfo=UTC),
...                  regions=("64.72.05",), watchlists=("PDAM/air bersih",))
>>> sorted(mandated_agencies(ev2, [*mandates, pdam])), sorted(mandated_agencies(ev, [pdam]))
([3, 9], [])
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

from pantau.alerts.channels import person_address
from pantau.alerts.records import AlertEvent, Endpoint, Mandate, Person, Rule, Target

__all__ = [
    "DEFAULT_RULES",
    "covers",
    "dedup_key",
    "default_rules",
    "mandated_agencies",
    "route",
    "rule_matches",
]

logger = logging.getLogger(__name__)

#: Risk from which the mandated agency's analysts are alerted. The issues stage raises an alert
#: only when an issue climbs a lifecycle stage with risk >= ``issues_alert_min_risk`` (20), which
#: is already the calibrated filter (CrisisLexT6: 19 alerts in 60,082 tweets, 6% of alerted
#: issues off-topic). The real crises there scored 21-40 and the demo's floods 36-48, so the
#: earlier floor of 50 delivered none of them; the built-in rules now pass every alert on.
MANDATED_MIN_RISK = 20.0
#: The coordinator sees all issues in the pages and hears of every alert, as the mandated agency.
COORDINATOR_MIN_RISK = 20.0
PROVINCE_LEVEL = "provinsi"
#: Offices that answer for a territory (the Diskominfo network); every other level (OPD, BUMD,
#: vertical offices) answers for its topics (watchlists) within its area.
TERRITORIAL_LEVELS = frozenset({"provinsi", "kabupaten", "kota"})


def default_rules(channels: Sequence[str] = ("inapp", "email")) -> tuple[Rule, ...]:
    """The built-in rules used while an installation has configured none."""
    chans = tuple(channels)
    return (
        Rule(
            "agensi-bermandat",
            min_risk=MANDATED_MIN_RISK,
            audience="mandated",
            roles=("analis", "koordinator"),
            channels=chans,
        ),
        Rule(
            "koordinator-provinsi",
            min_risk=COORDINATOR_MIN_RISK,
            audience="all",
            roles=("koordinator",),
            channels=chans,
        ),
        Rule(
            "krisis-pimpinan",
            stages=("crisis",),
            audience="all",
            roles=("koordinator", "pimpinan"),
            channels=chans,
            crisis=True,
        ),
    )


DEFAULT_RULES = default_rules()


def covers(prefix: str, code: str) -> bool:
    """Whether region ``prefix`` contains region ``code`` (Kemendagri codes are dotted).

    >>> covers("64.72", "64.72.01"), covers("64.7", "64.72"), covers("64", "64")
    (True, False, True)
    """
    return code == prefix or code.startswith(prefix + ".")


def mandated_agencies(event: AlertEvent, mandates: Iterable[Mandate]) -> set[int]:
    """The agencies responsible for the event's issue (see the module docstring, step 1)."""
    if event.agency_id is not None:
        return {event.agency_id}
    topical: set[int] = set()
    specific: set[int] = set()
    province: set[int] = set()
    for m in mandates:
        by_region = any(covers(p, r) for p in m.regions for r in event.regions)
        by_watch = bool(set(m.watchlists) & set(event.watchlists))
        if m.level not in TERRITORIAL_LEVELS:
            if by_watch and (by_region or not m.regions or not event.regions):
                topical.add(m.agency_id)
        elif by_watch or (by_region and m.level != PROVINCE_LEVEL):
            specific.add(m.agency_id)
        elif by_region:
            province.add(m.agency_id)
    return topical | (specific or province)


def rule_matches(rule: Rule, event: AlertEvent) -> bool:
    """Whether all of the rule's conditions hold for the event (empty conditions hold)."""
    if event.risk < rule.min_risk:
        return False
    if rule.stages and event.stage not in rule.stages:
        return False
    if rule.regions and not any(covers(p, r) for p in rule.regions for r in event.regions):
        return False
    if rule.watchlists and not set(rule.watchlists) & set(event.watchlists):
        return False
    if rule.mention_channels and not set(rule.mention_channels) & set(event.mention_channels):
        return False
    return not (rule.crossover_only and not event.crossover)


def _audience(
    rule: Rule, event: AlertEvent, people: Sequence[Person], mandated: set[int]
) -> list[Person]:
    if rule.audience == "agency":
        chosen = [p for p in people if p.agency_id == rule.agency_id]
    elif rule.audience == "all":
        chosen = list(people)
    else:
        chosen = [p for p in people if p.agency_id in mandated]
    return [
        p
        for p in chosen
        if (not rule.roles or p.role in rule.roles)
        # another province's people never hear of this one's issues, whatever the rule says
        and (p.province is None or p.province == event.tenant)
    ]


def route(
    event: AlertEvent,
    rules: Sequence[Rule],
    people: Sequence[Person],
    mandates: Sequence[Mandate],
    endpoints: Sequence[Endpoint] = (),
    address_of: Callable[[Person, str], str | None] = person_address,
) -> list[Target]:
    """The targets of ``event`` under ``rules``, unique per (recipient, channel).

    Each channel says where it reaches a person (``address_of``, by default the installed
    channel's own), so a channel added as a plugin is routed like a built-in one.
    """
    mandated = mandated_agencies(event, mandates)
    by_id = {e.id: e for e in endpoints}
    found: dict[tuple[str, str], Target] = {}
    for rule in rules:
        if not rule_matches(rule, event):
            continue
        crisis = rule.crisis or event.stage == "crisis"
        for person in _audience(rule, event, people, mandated):
            for channel in rule.channels:
                if person.channels and channel != "inapp" and channel not in person.channels:
                    continue
                address = address_of(person, channel)
                if address is None:
                    continue
                _add(
                    found,
                    Target(
                        f"user:{person.id}", channel, address, person.id, crisis, person.digest_only
                    ),
                )
        for endpoint_id in rule.endpoint_ids:
            ep = by_id.get(int(endpoint_id))
            if ep is not None and ep.province in (None, event.tenant):
                _add(found, Target(f"endpoint:{ep.id}", ep.channel, ep.address, None, crisis))
    logger.debug("alert %s routed to %d targets", event.alert_id, len(found))
    return sorted(found.values(), key=lambda t: (t.recipient, t.channel))


def _add(found: dict[tuple[str, str], Target], target: Target) -> None:
    key = (target.recipient, target.channel)
    old = found.get(key)
    if old is None or (target.crisis and not old.crisis):
        found[key] = target


def dedup_key(event: AlertEvent) -> str:
    """One alert per issue per stage change, one per crossover; others are never merged.

    >>> from datetime import UTC, datetime
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> dedup_key(AlertEvent(9, 4, "risk", "current", 70.0, "x", t))
    'issue:4:stage:current'
    """
    if event.kind in ("stage", "risk"):
        return f"issue:{event.issue_id}:stage:{event.stage}"
    if event.kind == "crossover":
        return f"issue:{event.issue_id}:crossover"
    return f"alert:{event.alert_id}"
