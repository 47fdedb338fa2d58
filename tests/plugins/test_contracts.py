"""Every plugin of every group keeps its group's contract (river's checks, run over all of them),
and a third-party plugin installed beside pantau is found, loaded and addressed like a built-in.

The groups are read when the tests are collected, so a plugin installed into the environment is
checked too; ``site/`` holds a real distribution (``.dist-info`` with its entry points) that the
``installed`` fixture puts on ``sys.path`` the way ``pip install pantau-contoh`` would.
"""

from __future__ import annotations

import doctest
import inspect
import logging
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pantau import plugins
from pantau.alerts import config, route_pending
from pantau.alerts.channels import CHANNELS, person_address
from pantau.alerts.records import AlertEvent, Person, Rule
from pantau.alerts.routing import route
from pantau.i18n import translations
from pantau.ingest.connector import FileConnector
from pantau.ingest.registry import CONNECTORS, get_connector
from pantau.records import CHANNELS as MENTION_CHANNELS
from pantau.reports.kinds import REPORT_KINDS, ReportKind, report_kind
from pantau.reports.render import render_report
from pantau.settings import Settings
from pantau.store import Database
from pantau.store.workflow_models import AlertDelivery, RoutingRule
from pantau.workflow.permissions import Principal
from pantau.writing.linter import RULE_FAMILIES, RULES, lint
from pantau.writing.model import Severity
from tests.alerts.support import add_alert, add_issue, make_env, user_id

SITE = Path(__file__).resolve().parent / "site"
RINA = Person(
    7, "rina", "Rina Kartika", "analis", 3, "rina@kaltim.go.id", "424242",
    addresses={"ruang": "@rina"},
)  # fmt: skip
#: A release with an error of every family's kind: structure, EYD, numbers, spelling, ethics.
SAMPLE = (
    "Pemprov Kaltim Salurkan Bantuan\n\n"
    "SAMARINDA - Pemerintah Provinsi Kalimantan Timur menyalurkan bantuan sebesar Rp 5.000.000 "
    "kepada 12 orang warga dikantor kelurahan pada hari Senin, silahkan hubungi narahubung.\n"
)


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The third-party distribution in ``site/`` installed for one test."""
    monkeypatch.syspath_prepend(str(SITE))
    plugins.refresh()
    yield
    plugins.refresh()  # read again, without it, once monkeypatch has restored sys.path


def test_the_registry_examples_hold() -> None:
    result = doctest.testmod(plugins, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def check_connector(name: str) -> None:
    connector = get_connector(name)
    assert connector.name == name
    assert connector.kind in ("poll", "file")
    if connector.kind == "poll":
        assert list(inspect.signature(connector.poll).parameters) == ["source", "ctx"]
    else:
        assert isinstance(connector, FileConnector)
        assert connector.channel in MENTION_CHANNELS


@pytest.mark.parametrize("name", CONNECTORS.names())
def test_connector_contract(name: str) -> None:
    check_connector(name)


def check_channel(name: str) -> None:
    cls = CHANNELS.load(name)
    channel = cls(Settings.from_env({}))
    assert channel.name == name and isinstance(channel.transactional, bool)
    assert list(inspect.signature(channel.send).parameters)[:2] == ["message", "address"]
    address = cls.address_of(RINA)
    assert address is None or (isinstance(address, str) and address.strip())
    if address is not None:  # what the channel finds for a person it also accepts typed in
        assert cls.check_address(address) is None
    refused = cls.check_address("")
    assert isinstance(refused, str) and refused  # the reason is shown to the administrator


@pytest.mark.parametrize("name", CHANNELS.names())
def test_alert_channel_contract(name: str) -> None:
    check_channel(name)


@pytest.mark.parametrize("name", RULE_FAMILIES.names())
def test_lint_rule_family_contract(name: str) -> None:
    module = RULE_FAMILIES.load(name)
    own = [r for r in RULES.values() if r.check.__module__ == module.__name__]
    assert own, f"{name} registers no rule"
    for item in own:
        assert isinstance(item.severity, Severity) and item.description.strip()
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", item.id), item.id
    ids = {r.id for r in own}
    for finding in lint(SAMPLE, rules=ids):
        assert finding.rule in ids and 0 <= finding.start <= finding.end <= len(SAMPLE)
        assert finding.message.strip()


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('kinds') / 'pantau.db'}")
    db.upgrade()
    return db


@pytest.mark.parametrize("name", REPORT_KINDS.names())
def test_report_kind_contract(name: str, empty_store: Database) -> None:
    kind = report_kind(name)
    assert isinstance(kind, ReportKind) and kind.name == name
    assert re.fullmatch(r"[a-z0-9-]+", kind.stem)
    assert kind.file_name(date(2026, 11, 20), "pdf") == f"{kind.stem}-2026-11-20.pdf"
    week = [date(2026, 11, 16) + timedelta(days=n) for n in range(7)]
    assert any(kind.due(day) for day in week), "a kind that is never due is never sent"
    assert translations("id").gettext(kind.label).strip() and kind.help.strip()
    with empty_store.session() as s:
        report = kind.build(s, date(2026, 11, 20), "Asia/Makassar")
    assert report.kind == name and report.total == 0
    html = render_report(report, "html").decode()
    assert kind.title in html and kind.issues_heading in html


def test_a_third_party_plugin_is_found_loaded_and_kept_to_the_contract(installed: None) -> None:
    assert "ruang" in CHANNELS.names() and "rss-kantor" in CONNECTORS.names()
    check_channel("ruang")
    check_connector("rss-kantor")


def test_a_third_party_channel_is_routed_to_people_like_a_built_in(installed: None) -> None:
    assert person_address(RINA, "ruang") == "@rina"
    event = AlertEvent(1, 4, "stage", "crisis", 80.0, "Banjir", datetime(2026, 1, 1, tzinfo=UTC))
    rule = Rule("semua", audience="all", channels=("inapp", "ruang"))
    targets = route(event, [rule], [RINA], [])
    assert [(t.recipient, t.channel, t.address) for t in targets] == [
        ("user:7", "inapp", "7"),
        ("user:7", "ruang", "@rina"),
    ]


def test_a_user_saves_an_address_on_a_third_party_channel_and_is_alerted_there(
    installed: None, tmp_path: Path, seeded_db_file: Path
) -> None:
    env = make_env(tmp_path, seeded_db_file)
    rina = env.client()
    env.login(rina, "rina")
    headers = {"X-CSRF-Token": env.csrf(rina)}
    prefs = {"channels": ["inapp", "ruang"], "addresses": {"ruang": "rina"}}
    bad = rina.put("/api/v1/me/alert-preferences", json=prefs, headers=headers)
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "addresses.ruang"
    assert "diawali '@'" in bad.json()["detail"]["message"]
    prefs["addresses"] = {"ruang": "@rina.kartika"}
    saved = rina.put("/api/v1/me/alert-preferences", json=prefs, headers=headers)
    assert saved.status_code == 200 and saved.json()["addresses"] == {"ruang": "@rina.kartika"}
    with env.db.writer() as s:
        s.add(RoutingRule(name="ruang humas", audience="all", channels=["ruang"]))
    add_alert(env, add_issue(env, "Jembatan Mahakam retak"))
    route_pending(env.db, env.settings)
    with env.db.session() as s:
        rows = s.execute(
            select(AlertDelivery.recipient, AlertDelivery.channel, AlertDelivery.address).where(
                AlertDelivery.channel == "ruang"
            )
        ).all()
    assert rows == [(f"user:{user_id(env, 'rina')}", "ruang", "@rina.kartika")]


def test_a_third_party_channel_checks_its_own_endpoints(installed: None, tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'pantau.db'}")
    db.upgrade()
    koord = Principal(id=1, username="koord", role="koordinator")
    room = {"name": "ruang humas", "channel": "ruang"}
    with db.writer() as s:
        with pytest.raises(config.ConfigError, match="diawali '@'") as refused:
            config.add_endpoint(s, koord, {**room, "address": "humas"})
        assert refused.value.field == "address"
        made = config.add_endpoint(s, koord, {**room, "address": "#humas"})
        assert config.endpoint_dict(made)["channel"] == "ruang"


def test_a_plugin_may_not_take_a_built_in_name(
    installed: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="pantau.plugins"):
        email: Any = CHANNELS.load("email")
    assert email.__module__ == "pantau.alerts.mail"
    assert "'email' is a built-in name" in caplog.text


def test_an_unknown_plugin_is_named_with_the_ones_there_are() -> None:
    with pytest.raises(plugins.PluginNotFound, match="tersedia: daily, weekly"):
        report_kind("bulanan")
