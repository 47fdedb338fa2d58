"""Source-health and quarantine pages: alarming sources first, quarantine retry through the form."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tests.conftest import AppEnv

from pantau.store import Mention, Quarantine, Source

NOW = datetime.now(UTC)


def _sources(env: AppEnv) -> None:
    with env.db.writer() as s:
        s.add(
            Source(
                name="Kaltim Post",
                kind="rss",
                url="https://kaltimpost.example/feed",
                channel="news",
                interval_seconds=900,
                last_success_at=NOW,
                last_item_at=NOW,
                health="ok",
            )
        )
        s.add(
            Source(
                name="Feed <rusak>",
                kind="rss",
                url="https://rusak.example/feed",
                channel="news",
                interval_seconds=900,
                error_streak=4,
                health="failing",
                last_error="XML tidak valid: mismatched tag baris 3",
                last_success_at=NOW - timedelta(days=2),
            )
        )


def test_source_health_lists_alarming_first_and_escapes(app_env: AppEnv) -> None:
    _sources(app_env)
    c = app_env.client()
    app_env.login(c, "rina")
    page = c.get("/sumber")
    assert page.status_code == 200
    html = page.text
    assert html.index("Feed &lt;rusak&gt;") < html.index("Kaltim Post")
    assert "mismatched tag" in html and "Kesehatan sumber" in html


def test_quarantine_page_needs_the_right_role(app_env: AppEnv) -> None:
    c = app_env.client()
    app_env.login(c, "rina")  # analis: no quarantine.manage
    assert c.get("/karantina").status_code == 403
    assert c.get("/api/v1/quarantine").status_code == 403


def test_quarantine_retry_through_the_form(app_env: AppEnv, tmp_path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('[input]\nformat = "jsonl"\n[fields]\nexternal_id = "id"\ntext = "text"\n')
    with app_env.db.writer() as s:
        src = Source(
            name="impor uji", kind="mapping", channel="social", config={"mapping": str(mapping)}
        )
        s.add(src)
        s.flush()
        bad = Quarantine(
            source_id=src.id,
            origin="uji.jsonl",
            line=3,
            field="text",
            reason="wajib diisi",
            payload=json.dumps({"id": "q1"}),
        )
        good = Quarantine(
            source_id=src.id,
            origin="uji.jsonl",
            line=4,
            field="text",
            reason="karakter rusak",
            payload=json.dumps({"id": "q2", "text": "air pdam mati <b>lagi</b>"}),
        )
        s.add_all([bad, good])
        s.flush()
        bad_id, good_id = bad.id, good.id
    c = app_env.client()
    app_env.login(c, "koord")
    page = c.get("/karantina")
    assert "uji.jsonl" in page.text and "&lt;b&gt;lagi" in page.text
    token = app_env.csrf(c)
    resp = c.post(
        f"/karantina/{good_id}/coba-ulang", data={"csrf_token": token}, follow_redirects=False
    )
    assert resp.headers["location"] == "/karantina?hasil=berhasil"
    resp = c.post(
        f"/karantina/{bad_id}/coba-ulang", data={"csrf_token": token}, follow_redirects=False
    )
    assert resp.headers["location"] == "/karantina?hasil=gagal"
    with app_env.db.session() as s:
        assert s.get(Quarantine, good_id).resolved is True
        assert s.get(Quarantine, bad_id).resolved is False
        assert s.query(Mention).filter_by(external_id="q2").count() == 1
    assert c.post(f"/karantina/{good_id}/coba-ulang", data={}).status_code == 403


def test_push_api_without_token_or_cookie_gets_401(app_env: AppEnv) -> None:
    resp = app_env.client().post("/api/v1/mentions", json={"items": []})
    assert resp.status_code == 401
