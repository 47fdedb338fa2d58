"""Sources through the JSON API: add a feed and try it against a real local server, pause it,
add a push source and rotate its token (the old one stops working); admins only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from pantau.store import AuditEntry
from tests.alerts.support import make_env
from tests.ingest.httpserver import NewsServer
from tests.ingest.newsfixtures import install
from tests.workflow.test_workflow import Actor


@pytest.fixture
def env(tmp_path: Path, seeded_db_file: Path):  # type: ignore[no-untyped-def]
    e = make_env(tmp_path, seeded_db_file, fetch_allow_hosts="127.0.0.0/8", fetch_host_interval=0.0)
    yield e
    e.db.dispose()


@pytest.fixture
def news():  # type: ignore[no-untyped-def]
    server = NewsServer()
    feeds = install(server)
    server.start()
    yield server, feeds
    server.stop()


def test_feed_added_tried_and_paused(env, news) -> None:  # type: ignore[no-untyped-def]
    server, feeds = news
    admin = Actor(env, "admin")
    src = admin.post(
        "/sources",
        {"name": "Kaltim Post", "kind": "rss", "url": server.url(feeds["kaltimpost"]),
         "outlet": "Kaltim Post", "tier": "local"},
        201,
    )  # fmt: skip
    assert src["enabled"] is True and src["token"] is None
    trial = admin.post(f"/sources/{src['id']}/test", None, 200, changes=False)
    assert trial["error"] is None and len(trial["items"]) >= 1
    assert all(i["chars"] > 100 for i in trial["items"])  # the articles were read, not stored
    resp = admin.client.put(
        f"/api/v1/sources/{src['id']}",
        json={"enabled": False, "interval": 1800},
        headers={"X-CSRF-Token": admin.token},
    )
    assert resp.status_code == 200 and resp.json()["enabled"] is False
    assert resp.json()["interval"] == 1800
    bad = admin.client.put(
        f"/api/v1/sources/{src['id']}",
        json={"channel": "gosip"},
        headers={"X-CSRF-Token": admin.token},
    )
    assert bad.status_code == 422 and "kanal" in bad.json()["detail"]["message"]
    with env.db.session() as s:
        actions = set(
            s.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "source"))
        )
    assert actions == {"source.create", "source.pause"}


def test_push_token_rotates_and_the_old_one_stops(env) -> None:  # type: ignore[no-untyped-def]
    admin = Actor(env, "admin")
    src = admin.post("/sources", {"name": "WA Center", "kind": "push", "channel": "complaint"}, 201)
    old = src["token"]
    assert old and src["has_token"]
    batch = {"mentions": [{"external_id": "w1", "text": "Lampu jalan mati di Loa Bakung"}]}
    pusher = env.client()
    assert (
        pusher.post(
            "/api/v1/mentions", json=batch, headers={"Authorization": f"Bearer {old}"}
        ).status_code
        == 200
    )
    new = admin.post(f"/sources/{src['id']}/token", None, 200)["token"]
    assert new and new != old
    assert (
        pusher.post(
            "/api/v1/mentions", json=batch, headers={"Authorization": f"Bearer {old}"}
        ).status_code
        == 401
    )
    assert (
        pusher.post(
            "/api/v1/mentions", json=batch, headers={"Authorization": f"Bearer {new}"}
        ).status_code
        == 200
    )
    with env.db.session() as s:
        rotated = s.scalar(select(func.count()).where(AuditEntry.action == "source.token_rotate"))
    assert rotated == 1


@pytest.mark.parametrize("username", ["koord", "rina", "pimpinan"])
def test_only_admins_manage_sources(env, username: str) -> None:  # type: ignore[no-untyped-def]
    who = Actor(env, username)
    who.post("/sources", {"name": "X", "kind": "push"}, 403)
    assert who.client.get("/api/v1/sources").status_code == 403


def test_an_unknown_kind_is_refused_by_name(env) -> None:  # type: ignore[no-untyped-def]
    answer = Actor(env, "admin").post("/sources", {"name": "X", "kind": "faksimile"}, 422)
    assert answer["detail"]["field"] == "source" and "faksimile" in answer["detail"]["message"]
