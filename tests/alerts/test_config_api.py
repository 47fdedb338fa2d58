"""Configuring alerts through the API: rules, endpoints and one's own preferences, validated,
permission-checked and audited; the configured rule then decides the routing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from pantau.alerts import route_pending
from pantau.store import AuditEntry
from pantau.store.workflow_models import AlertDelivery
from tests.alerts.support import add_alert, add_issue, make_env, user_id


def test_rules_endpoints_and_preferences(tmp_path: Path, seeded_db_file: Path) -> None:
    env = make_env(tmp_path, seeded_db_file)
    koord, rina = env.client(), env.client()
    env.login(koord, "koord")
    env.login(rina, "rina")
    kh = {"X-CSRF-Token": env.csrf(koord)}
    rh = {"X-CSRF-Token": env.csrf(rina)}
    hook = {"name": "gateway-wa", "channel": "webhook", "address": "https://wa.kaltim.test/in"}
    assert rina.post("/api/v1/alerts/endpoints", json=hook, headers=rh).status_code == 403
    bad = koord.post("/api/v1/alerts/endpoints", json={**hook, "address": "ftp://x"}, headers=kh)
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "address"
    ep = koord.post("/api/v1/alerts/endpoints", json=hook, headers=kh).json()["id"]
    rule = {
        "name": "krisis-samarinda",
        "min_risk": 60,
        "regions": ["64.72"],
        "stages": ["current", "crisis"],
        "audience": "mandated",
        "roles": ["analis"],
        "channels": ["inapp", "telegram"],
        "endpoint_ids": [ep],
    }
    for field, value in (
        ("stages", ["genting"]),
        ("channels", ["fax"]),
        ("min_risk", 150),
        ("roles", ["bupati"]),
        ("audience", "semua"),
    ):
        resp = koord.post("/api/v1/alerts/rules", json={**rule, field: value}, headers=kh)
        assert resp.status_code == 422 and resp.json()["detail"]["field"] == field, resp.text
    made = koord.post("/api/v1/alerts/rules", json=rule, headers=kh)
    assert made.status_code == 200 and made.json()["active"] is True
    prefs = {"telegram_chat_id": "424242", "channels": ["telegram"], "digest_only": False}
    assert rina.put("/api/v1/me/alert-preferences", json=prefs, headers=rh).status_code == 200
    bad = rina.put(
        "/api/v1/me/alert-preferences", json={**prefs, "telegram_chat_id": "@rina"}, headers=rh
    )
    assert bad.status_code == 422
    add_alert(env, add_issue(env, "Jembatan Mahakam retak"))
    add_alert(env, add_issue(env, "Isu kecil", risk=40.0), risk=40.0)  # below min_risk
    route_pending(env.db, env.settings)
    with env.db.session() as s:
        rows = s.execute(
            select(AlertDelivery.recipient, AlertDelivery.channel, AlertDelivery.address)
        ).all()
        audited = set(s.scalars(select(AuditEntry.action)))
    rina_id = user_id(env, "rina")
    assert sorted(rows) == sorted(
        [
            (f"user:{rina_id}", "inapp", str(rina_id)),
            (f"user:{rina_id}", "telegram", "424242"),
            (f"endpoint:{ep}", "webhook", hook["address"]),
        ]
    )
    assert {"alert.endpoint.create", "alert.rule.create", "alert.preferences"} <= audited
    off = koord.post(f"/api/v1/alerts/rules/{made.json()['id']}/deactivate", headers=kh)
    assert off.json()["active"] is False
    assert koord.get("/api/v1/alerts/rules").json()[0]["active"] is False
