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


def test_rules_and_endpoints_are_edited_and_an_endpoint_is_tried(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    from tests.alerts.receivers import HTTPReceiver

    receiver = HTTPReceiver(answer={"diterima": True}).start()
    env = make_env(
        tmp_path,
        seeded_db_file,
        alert_webhook_allow_hosts="127.0.0.0/8",
        alert_webhook_secret="s" * 32,
    )
    koord = env.client()
    env.login(koord, "koord")
    kh = {"X-CSRF-Token": env.csrf(koord)}
    try:
        hook = {"name": "gateway-wa", "channel": "webhook", "address": receiver.url + "/in"}
        ep = koord.post("/api/v1/alerts/endpoints", json=hook, headers=kh).json()
        assert ep["address"].endswith("/in") and ep["active"] is True
        moved = koord.put(
            f"/api/v1/alerts/endpoints/{ep['id']}",
            json={**hook, "address": receiver.url + "/baru"},
            headers=kh,
        )
        assert moved.status_code == 200 and moved.json()["address"].endswith("/baru")
        tried = koord.post(f"/api/v1/alerts/endpoints/{ep['id']}/test", headers=kh).json()
        assert tried == {"sent": True, "error": None}
        assert [r.path for r in receiver.received] == ["/baru"]
        assert receiver.received[0].json()["type"] == "pantau.test"
        refused = koord.put(
            f"/api/v1/alerts/endpoints/{ep['id']}",
            json={**hook, "address": "https://10.1.2.3/in"},
            headers=kh,
        )
        assert refused.status_code == 200  # an address is checked again when sent
        tried = koord.post(f"/api/v1/alerts/endpoints/{ep['id']}/test", headers=kh).json()
        assert tried["sent"] is False and tried["error"]
        rule = {"name": "krisis", "min_risk": 60, "stages": ["crisis"], "roles": ["koordinator"]}
        made = koord.post("/api/v1/alerts/rules", json=rule, headers=kh).json()
        changed = koord.put(
            f"/api/v1/alerts/rules/{made['id']}",
            json={**rule, "name": "krisis-provinsi", "min_risk": 40},
            headers=kh,
        )
        assert changed.status_code == 200
        assert (changed.json()["name"], changed.json()["min_risk"]) == ("krisis-provinsi", 40.0)
        bad = koord.put(
            f"/api/v1/alerts/rules/{made['id']}", json={**rule, "min_risk": 150}, headers=kh
        )
        assert bad.status_code == 422 and bad.json()["detail"]["field"] == "min_risk"
        with env.db.session() as s:
            actions = set(s.scalars(select(AuditEntry.action)))
        assert {"alert.rule.update", "alert.endpoint.update"} <= actions
    finally:
        receiver.stop()
        env.db.dispose()
