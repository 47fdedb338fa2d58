"""Push API against the real app and store: tokens, idempotence under concurrency, limits."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pantau.ingest.sources import add_source
from pantau.store import Database, Mention, Quarantine
from pantau.web.app import ROUTERS
from tests.ingest.conftest import PushEnv


@pytest.fixture
def api(push_env: PushEnv) -> Iterator[tuple[TestClient, Database, str]]:
    with TestClient(push_env.app) as client:
        yield client, push_env.db, push_env.token


def _batch(n: int, start: int = 0) -> dict:
    return {
        "mentions": [
            {
                "external_id": f"wa-{i}",
                "text": f"Laporan warga nomor {i}: jalan di Sangatta berlubang",
                "published_at": "2024-09-24T06:05:00+08:00",
                "likes": i,
            }
            for i in range(start, start + n)
        ]
    }


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Mention)) or 0)


def test_same_batch_twice_concurrently_is_stored_once(api):
    client, db, token = api
    headers = {"Authorization": f"Bearer {token}"}
    with ThreadPoolExecutor(2) as pool:
        futures = [
            pool.submit(client.post, "/api/v1/mentions", json=_batch(40), headers=headers)
            for _ in range(2)
        ]
        answers = [f.result() for f in futures]
    assert [a.status_code for a in answers] == [200, 200]
    assert sum(a.json()["created"] for a in answers) == 40
    assert sum(a.json()["duplicates"] for a in answers) == 40
    assert _count(db) == 40
    again = client.post("/api/v1/mentions", json=_batch(40), headers=headers).json()
    assert (again["created"], again["duplicates"]) == (0, 40)


def test_bad_token_gets_401(api):
    client, db, _token = api
    r = client.post("/api/v1/mentions", json=_batch(1), headers={"Authorization": "Bearer salah"})
    assert r.status_code == 401
    # without any Authorization header the app's CSRF guard refuses first (403)
    assert client.post("/api/v1/mentions", json=_batch(1)).status_code in (401, 403)
    assert _count(db) == 0


def test_oversized_batch_gets_413(api):
    client, db, token = api
    r = client.post(
        "/api/v1/mentions", json=_batch(51), headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 413
    assert _count(db) == 0


def test_invalid_item_is_rejected_alone_with_reason(api):
    client, db, token = api
    batch = _batch(3)
    batch["mentions"][1]["text"] = ""
    batch["mentions"][2]["likes"] = -5
    r = client.post("/api/v1/mentions", json=batch, headers={"Authorization": f"Bearer {token}"})
    body = r.json()
    assert r.status_code == 200
    assert [x["status"] for x in body["results"]] == ["created", "rejected", "rejected"]
    assert [x["code"] for x in body["results"]] == [201, 422, 422]
    assert "text" in body["results"][1]["errors"][0]
    assert "likes" in body["results"][2]["errors"][0]
    assert _count(db) == 1
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Quarantine)) == 2


def _mounted(env):
    if "pantau.web.api_ingest" not in ROUTERS:
        from pantau.web.api_ingest import router

        env.app.include_router(router)
    return env


def test_source_health_and_quarantine_endpoints(app_env, settings):
    from pathlib import Path

    from pantau.ingest.imports import import_file

    env = _mounted(app_env)
    fixtures = Path(__file__).resolve().parent / "fixtures"
    import_file(env.db, fixtures / "x_v2_search.jsonl", "x-v2", settings, source_name="x")
    with env.db.writer() as s:
        add_source(s, name="mati", kind="rss", url="https://example.org/rss").error_streak = 9
    c = env.client()
    assert c.get("/api/v1/sources/health").status_code in (401, 303, 307)
    env.login(c, "pimpinan")
    health = c.get("/api/v1/sources/health").json()
    assert health[0]["name"] == "mati" and health[0]["health"] == "failing"
    assert c.get("/api/v1/quarantine").status_code == 403  # pimpinan may not manage it
    c2 = env.client()
    env.login(c2, "koord")
    items = c2.get("/api/v1/quarantine").json()
    assert {i["line"] for i in items} == {2, 3} and all(i["source"] == "x" for i in items)
    token = env.csrf(c2)
    r = c2.post(f"/api/v1/quarantine/{items[0]['id']}/retry", headers={"x-csrf-token": token})
    assert r.status_code == 200 and r.json()["resolved"] is False


def test_a_push_waiting_for_the_store_does_not_stall_the_server(push_env: PushEnv) -> None:
    """The push handler is async: its store work must not run on the event loop, or one push
    waiting for the SQLite writer stalls every other request of the worker (it did)."""
    import threading
    import time

    import httpx

    from tests.conftest import LiveServer

    headers = {"Authorization": f"Bearer {push_env.token}"}
    with LiveServer(push_env.app) as server, httpx.Client(base_url=server.url) as http:
        answers: list[httpx.Response] = []
        with push_env.db.writer():  # another writer holds the store
            pushing = threading.Thread(
                target=lambda: answers.append(
                    http.post("/api/v1/mentions", json=_batch(3), headers=headers, timeout=60)
                )
            )
            pushing.start()
            time.sleep(0.5)  # let the push reach the handler (a sleep here cannot make it pass)
            with httpx.Client(base_url=server.url, timeout=10) as other:
                assert other.get("/healthz").status_code == 200  # answered during the wait
            assert pushing.is_alive() and not answers  # the push still waits for the writer
        pushing.join(60)
    assert answers[0].status_code == 200 and answers[0].json()["created"] == 3
    assert _count(push_env.db) == 3
