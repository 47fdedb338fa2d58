"""Network administration through the JSON API: agencies with mandates, users, watchlists.

An admin adds a water utility (a BUMD) whose mandate is water supply in Samarinda, a watchlist
for it and an analyst; complaints about murky tap water then reach that analyst through the
ordinary pipeline and routing. Every new route is checked for every role and for a second
agency; every change leaves an audit entry, every refusal none.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from pantau.alerts.runner import route_and_notify
from pantau.flow import Pipeline
from pantau.store import AuditEntry, Mention, Source
from pantau.store.workflow_models import Notification
from tests.alerts.support import agency_id, make_env, user_id
from tests.workflow.test_workflow import Actor

PDAM = {
    "name": "Perumda Air Minum Tirta Kencana Samarinda",
    "short_name": "PDAM Samarinda",
    "level": "bumd",
    "region_code": "64.72",
    "mandate_regions": ["64.72"],
}
WATER = 'pdam OR (air AND (keruh OR mati OR "tidak mengalir"))'
T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


@pytest.fixture
def env(tmp_path: Path, seeded_db_file: Path):  # type: ignore[no-untyped-def]
    e = make_env(tmp_path, seeded_db_file)
    yield e
    e.db.dispose()


WATER_POST = "air pdam keruh lagi di sempaja samarinda, sudah tiga hari {i}"
FIRE_POST = "kebakaran gudang di pasar segiri samarinda, asap hitam tebal {i}"


def _complaints(env, n: int, template: str = WATER_POST) -> None:  # type: ignore[no-untyped-def]
    with env.db.writer() as s:
        src = Source(name="uji", kind="mapping", channel="social")
        s.add(src)
        s.flush()
        for i in range(n):
            s.add(
                Mention(
                    source_id=src.id,
                    external_id=f"w{i}",
                    text=template.format(i=i),
                    channel="social",
                    author=f"warga{i}",
                    published_at=T0 + timedelta(minutes=3 * i),
                )
            )
    Pipeline(env.db, env.settings).run_pending()


def test_admin_builds_a_utility_and_its_complaints_reach_its_analyst(env) -> None:  # type: ignore[no-untyped-def]
    admin = Actor(env, "admin")
    pdam = admin.post("/agencies", PDAM, 201)
    assert pdam["level"] == "bumd" and pdam["mandate_regions"] == ["64.72"]
    sari = admin.post(
        "/users",
        {
            "username": "sari.pdam",
            "password": "air-bersih-2026",
            "role": "analis",
            "full_name": "Sari",
            "agency_id": pdam["id"],
        },
        201,
    )
    assert sari["agency_id"] == pdam["id"] and sari["last_login_at"] is None
    watch = admin.post(
        "/watchlists", {"agency_id": pdam["id"], "name": "air bersih", "query": WATER}, 201
    )
    agencies = {a["id"]: a for a in admin.get("/agencies")}
    assert agencies[pdam["id"]]["watchlists"] == ["air bersih"]
    _complaints(env, 14)
    preview = admin.post("/watchlists/preview", {"query": WATER}, 200, changes=False)
    assert preview["matched"] == 14 and preview["samples"][0]["terms"]
    route_and_notify(env.db, env.settings)
    with env.db.session() as s:
        tagged = s.scalars(select(Mention.watch)).first()
        assert tagged and tagged[0]["name"] == "PDAM Samarinda/air bersih"
        notes = s.scalars(
            select(Notification.title).where(Notification.user_id == sari["id"])
        ).all()
    assert notes, "the utility's analyst heard nothing of complaints in its mandate"
    assert not _notified(env, "budi")  # Balikpapan's analyst has no part in it
    # the new user logs in with the password the admin set
    assert env.login(env.client(), "sari.pdam", "air-bersih-2026").status_code == 303
    assert {u["username"]: u for u in admin.get("/users")}["sari.pdam"]["last_login_at"]
    resp = admin.client.put(
        f"/api/v1/watchlists/{watch['id']}",
        json={"agency_id": pdam["id"], "name": "air bersih", "query": "pdam AND ("},
        headers={"X-CSRF-Token": admin.token},
    )
    assert resp.status_code == 422 and resp.json()["detail"]["field"] == "query"
    resp = admin.client.put(
        f"/api/v1/watchlists/{watch['id']}",
        json={"agency_id": pdam["id"], "name": "air bersih", "query": WATER, "active": False},
        headers={"X-CSRF-Token": admin.token},
    )
    assert resp.status_code == 200 and resp.json()["active"] is False


def test_a_utility_hears_only_of_its_topics(env) -> None:  # type: ignore[no-untyped-def]
    """A fire in Samarinda is the city's Diskominfo's, not the water utility's."""
    admin = Actor(env, "admin")
    pdam = admin.post("/agencies", PDAM, 201)
    admin.post("/watchlists", {"agency_id": pdam["id"], "name": "air bersih", "query": WATER}, 201)
    admin.post(
        "/users",
        {"username": "sari.pdam", "password": "air-bersih-2026", "role": "analis",
         "agency_id": pdam["id"]},
        201,
    )  # fmt: skip
    _complaints(env, 14, FIRE_POST)
    route_and_notify(env.db, env.settings)
    assert _notified(env, "rina"), "the fire never reached Samarinda's Diskominfo"
    assert not _notified(env, "sari.pdam")


def _notified(env, username: str) -> list[str]:  # type: ignore[no-untyped-def]
    with env.db.session() as s:
        return list(
            s.scalars(
                select(Notification.title).where(Notification.user_id == user_id(env, username))
            )
        )


def test_bad_input_names_the_field_and_changes_nothing(env) -> None:  # type: ignore[no-untyped-def]
    admin = Actor(env, "admin")
    for body, field in (
        ({**PDAM, "level": "dinas-gaib"}, "level"),
        ({**PDAM, "mandate_regions": ["99.99"]}, "mandate_regions"),
        ({**PDAM, "name": "Dinas Komunikasi dan Informatika Kota Samarinda"}, "name"),
        ({**PDAM, "parent_id": 99999}, "parent_id"),
    ):
        answer = admin.post("/agencies", body, 422)
        assert answer["detail"]["field"] == field, answer
    samarinda = agency_id(env, "Diskominfo Samarinda")
    answer = admin.post(
        "/watchlists", {"agency_id": samarinda, "name": "banjir", "query": "banjir AND ("}, 422
    )
    assert answer["detail"]["field"] == "query" and "kolom" in answer["detail"]["message"]
    answer = admin.post(
        "/users",
        {"username": "x.y", "password": "123", "role": "analis", "agency_id": samarinda},
        422,
    )
    assert answer["detail"]["field"] == "password"
    own = user_id(env, "admin")
    answer = admin.client.patch(
        f"/api/v1/users/{own}", json={"active": False}, headers={"X-CSRF-Token": admin.token}
    )
    assert answer.status_code == 422 and answer.json()["detail"]["field"] == "active"


def test_deactivation_ends_the_session_at_once(env) -> None:  # type: ignore[no-untyped-def]
    admin, budi = Actor(env, "admin"), Actor(env, "budi")
    assert budi.client.get("/api/v1/me").status_code == 200
    resp = admin.client.patch(
        f"/api/v1/users/{user_id(env, 'budi')}",
        json={"active": False},
        headers={"X-CSRF-Token": admin.token},
    )
    assert resp.status_code == 200 and resp.json()["active"] is False
    assert budi.client.get("/api/v1/me").status_code == 401
    with env.db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "user.deactivate")).one()
    assert entry.before["active"] is True and entry.after["active"] is False
    resp = admin.client.post(
        f"/api/v1/users/{user_id(env, 'budi')}/password",
        json={"password": "kata-sandi-baru-99"},
        headers={"X-CSRF-Token": admin.token},
    )
    assert resp.status_code == 200


#: route -> roles allowed (own agency for analysts where the object has one)
ROUTES = {
    "create agency": ({"admin"}, "POST", "/agencies", PDAM),
    "create user": (
        {"admin"},
        "POST",
        "/users",
        {"username": "baru.sekali", "password": "rahasia-panjang-1", "role": "pimpinan"},
    ),
    "list users": ({"admin"}, "GET", "/users", None),
    "list agencies": ({"admin", "koordinator", "analis", "pimpinan"}, "GET", "/agencies", None),
}


@pytest.mark.parametrize("username", ["admin", "koord", "rina", "pimpinan"])
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_network_routes_by_role(env, route: str, username: str) -> None:  # type: ignore[no-untyped-def]
    roles, method, path, body = ROUTES[route]
    role = {"admin": "admin", "koord": "koordinator", "rina": "analis", "pimpinan": "pimpinan"}
    who = Actor(env, username)
    if method == "GET":
        status = who.client.get("/api/v1" + path).status_code
        assert status == (200 if role[username] in roles else 403)
    else:
        who.post(path, body, 201 if role[username] in roles else 403)


@pytest.mark.parametrize(
    ("username", "own", "expected"),
    [
        ("admin", False, 201),
        ("koord", False, 201),
        ("rina", True, 201),  # an analyst keeps their own agency's watchlists
        ("rina", False, 403),  # ... and no other agency's
        ("budi", True, 201),
        ("pimpinan", True, 403),
    ],
)
def test_watchlists_per_agency(env, username: str, own: bool, expected: int) -> None:  # type: ignore[no-untyped-def]
    home = {"rina": "Diskominfo Samarinda", "budi": "Diskominfo Balikpapan"}.get(
        username, "Diskominfo Prov. Kalimantan Timur"
    )
    other = "Diskominfo Berau"
    target = agency_id(env, home if own else other)
    Actor(env, username).post(
        "/watchlists", {"agency_id": target, "name": "jalan", "query": "jalan AND rusak"}, expected
    )
