"""The issue workflow through the JSON API and the pages: statuses, closing with lessons,
comments, typed actions, handoff, handover, escalation, bulk actions, subscriptions,
notifications — and an audit entry for every change, which no endpoint can alter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from pantau.alerts import route_pending
from pantau.store import AuditEntry, Watchlist
from pantau.store.workflow_models import AlertDelivery, Notification
from tests.alerts.support import add_alert, add_issue, agency_id, make_env, user_id
from tests.conftest import AppEnv


class Actor:
    """A logged-in user calling the API; every successful POST must add audit entries."""

    def __init__(self, env: AppEnv, username: str) -> None:
        self.env = env
        self.client = env.client()
        assert env.login(self.client, username).status_code == 303
        self.token = env.csrf(self.client)

    def audits(self) -> int:
        with self.env.db.session() as s:
            return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)

    def post(self, path: str, body: Any = None, expect: int = 200, *, changes: bool = True) -> Any:
        before = self.audits()
        resp = self.client.post("/api/v1" + path, json=body, headers={"X-CSRF-Token": self.token})
        assert resp.status_code == expect, resp.text
        if expect in (200, 201) and changes:
            assert self.audits() > before, f"{path}: a change without an audit entry"
        else:
            assert self.audits() == before, f"{path}: a refusal that changed something"
        return resp.json()

    def get(self, path: str) -> Any:
        resp = self.client.get("/api/v1" + path)
        assert resp.status_code == 200, resp.text
        return resp.json()


@pytest.fixture
def env(tmp_path: Path, seeded_db_file: Path):  # type: ignore[no-untyped-def]
    e = make_env(tmp_path, seeded_db_file)
    e.samarinda = agency_id(e, "Diskominfo Samarinda")  # type: ignore[attr-defined]
    e.balikpapan = agency_id(e, "Diskominfo Balikpapan")  # type: ignore[attr-defined]
    yield e
    e.db.dispose()


def test_status_flow_and_closing_needs_lessons(env) -> None:  # type: ignore[no-untyped-def]
    rina = Actor(env, "rina")
    issue = add_issue(env, agency=env.samarinda)
    bad = rina.post(f"/issues/{issue}/status", {"status": "selesai"}, expect=422)
    assert "tidak bisa diubah dari baru ke selesai" in bad["detail"]["message"]
    for status in ("ditelaah", "ditangani", "dipantau"):
        assert rina.post(f"/issues/{issue}/status", {"status": status})["status"] == status
    refused = rina.post(f"/issues/{issue}/status", {"status": "selesai", "lessons": "ok"}, 422)
    assert refused["detail"]["field"] == "lessons"
    lessons = "Klarifikasi dalam 2 jam meredam isu; siapkan holding statement lebih awal."
    done = rina.post(f"/issues/{issue}/status", {"status": "selesai", "lessons": lessons})
    assert done["status"] == "selesai" and done["transitions"] == []  # analysts cannot reopen
    log = [(a["step"], a["kind"]) for a in done["actions"]]
    assert ("evaluasi", "pelajaran") in log and ("evaluasi", "status") in log
    assert any(a["note"] == lessons for a in done["actions"])
    koord = Actor(env, "koord")
    assert koord.post(f"/issues/{issue}/status", {"status": "ditelaah"})["status"] == "ditelaah"


def test_comments_internal_stay_in_the_agency(env) -> None:  # type: ignore[no-untyped-def]
    issue = add_issue(env, agency=env.samarinda)
    rina, budi, koord = Actor(env, "rina"), Actor(env, "budi"), Actor(env, "koord")
    rina.post(
        f"/issues/{issue}/comments",
        {"body": "catatan internal Samarinda", "visibility": "internal"},
    )
    budi.post(
        f"/issues/{issue}/comments", {"body": "di Balikpapan juga ramai", "visibility": "shared"}
    )
    seen = {
        a: [c["body"] for c in x.get(f"/issues/{issue}/workflow")["comments"]]
        for a, x in (("rina", rina), ("budi", budi), ("koord", koord))
    }
    assert seen["rina"] == ["catatan internal Samarinda", "di Balikpapan juga ramai"]
    assert seen["budi"] == seen["koord"] == ["di Balikpapan juga ramai"]
    rina.post(f"/issues/{issue}/comments", {"body": "  ", "visibility": "shared"}, expect=422)
    rina.post(f"/issues/{issue}/comments", {"body": "x", "visibility": "rahasia"}, expect=422)


def test_unstorable_characters_are_refused_naming_the_field(env) -> None:  # type: ignore[no-untyped-def]
    """A NUL byte made PostgreSQL refuse the write (a 500) and DOCX export fail on SQLite: the
    API and the forms answer 422 with the field instead, and store nothing."""
    issue = add_issue(env, agency=env.samarinda)
    rina = Actor(env, "rina")
    bad = rina.post(
        f"/issues/{issue}/comments", {"body": "air\u0000 naik", "visibility": "shared"}, 422
    )
    assert [p["field"] for p in bad["problems"]] == ["body"]
    assert "karakter kendali" in bad["problems"][0]["error"]
    half = rina.client.post(  # half an emoji, as a JSON escape (it cannot be sent raw)
        f"/api/v1/issues/{issue}/actions",
        content=json.dumps({"step": "aksi", "kind": "klarifikasi", "note": "ok \ud83d"}),
        headers={"X-CSRF-Token": rina.token, "Content-Type": "application/json"},
    )
    assert half.status_code == 422
    assert [p["field"] for p in half.json()["problems"]] == ["note"]
    rina.post(f"/issues/{issue}/comments", {"body": "air\tnaik\n", "visibility": "shared"})
    form = env.client().post(
        "/login", data={"username": "rina\x0b", "password": "x", "csrf_token": rina.token}
    )
    assert form.status_code in (403, 422)  # another client: CSRF refuses it first
    own = rina.client.post(
        "/login", data={"username": "rina\x0b", "password": "x", "csrf_token": rina.token}
    )
    assert own.status_code == 422 and "username" in own.text


@pytest.mark.slow
def test_typed_actions_handoff_and_handover(env) -> None:  # type: ignore[no-untyped-def]
    issue = add_issue(env, agency=env.samarinda)
    rina, budi, koord = Actor(env, "rina"), Actor(env, "budi"), Actor(env, "koord")
    rina.post(f"/issues/{issue}/actions", {"step": "aksi", "kind": "rilis_rahasia"}, expect=422)
    state = rina.post(
        f"/issues/{issue}/actions",
        {
            "step": "aksi",
            "kind": "holding_statement",
            "note": "diunggah 09.15 WITA",
            "url": "https://diskominfo.samarindakota.go.id/holding",
        },
    )
    assert state["actions"][0]["label"] == "Holding statement diterbitkan"
    # claim, then hand the claim over to the coordinator
    assert rina.post(f"/issues/{issue}/claim")["mine"] is True
    over = rina.post(
        f"/issues/{issue}/handover", {"user_id": user_id(env, "koord"), "note": "saya cuti"}
    )
    assert over["holder"]["name"] == "Koord" and over["mine"] is False
    # hand off to Balikpapan with a reason: rights move with the issue
    rina.post(f"/issues/{issue}/handoff", {"agency_id": env.balikpapan, "reason": "x"}, 422)
    moved = rina.post(
        f"/issues/{issue}/handoff",
        {"agency_id": env.balikpapan, "reason": "lokasi kejadian ternyata di Balikpapan Utara"},
    )
    assert moved["agency"] == "Diskominfo Balikpapan" and moved["holder"] is None
    rina.post(f"/issues/{issue}/claim", expect=403)
    assert budi.post(f"/issues/{issue}/claim")["mine"] is True
    koord.post(f"/issues/{issue}/claim", expect=409)
    titles = [n["title"] for n in budi.get("/notifications")]
    assert f"Isu #{issue} dialihkan ke Diskominfo Balikpapan" in titles
    assert any(
        n["title"].startswith(f"Serah terima isu #{issue}") for n in koord.get("/notifications")
    )


@pytest.mark.slow
def test_escalation_notifies_coordinator_and_leadership(env) -> None:  # type: ignore[no-untyped-def]
    issue = add_issue(
        env, "Demo ojol di depan kantor gubernur", agency=env.samarinda, risk=55.0, stage="emerging"
    )
    rina = Actor(env, "rina")
    rina.post(f"/issues/{issue}/escalate", {"reason": "massa bertambah, ada video viral"})
    for username in ("koord", "pimpinan"):
        notes = Actor(env, username).get("/notifications?unread=true")
        assert notes[0]["title"] == "ESKALASI KRISIS: Demo ojol di depan kantor gubernur"
        assert notes[0]["link"] == f"/issues/{issue}"
    with env.db.session() as s:
        mails = s.execute(
            select(AlertDelivery.address, AlertDelivery.crisis).where(
                AlertDelivery.channel == "email"
            )
        ).all()
    assert {a for a, crisis in mails if crisis} >= {"koord@kaltim.test", "pimpinan@kaltim.test"}
    Actor(env, "budi").post(f"/issues/{issue}/escalate", {"reason": "bukan wilayah saya"}, 403)


def test_bulk_actions_check_each_issue(env) -> None:  # type: ignore[no-untyped-def]
    ours = [add_issue(env, f"Isu Samarinda {n}", agency=env.samarinda) for n in range(3)]
    theirs = add_issue(env, "Isu Balikpapan", agency=env.balikpapan)
    rina = Actor(env, "rina")
    result = rina.post(
        "/issues/bulk",
        {"op": "status", "issue_ids": [*ours, theirs], "args": {"status": "ditelaah"}},
    )
    assert result["done"] == ours
    assert "tidak berhak" in result["failed"][str(theirs)]
    again = rina.post(
        "/issues/bulk",
        {"op": "status", "issue_ids": ours, "args": {"status": "selesai"}},
        changes=False,
    )
    assert again["done"] == [] and len(again["failed"]) == 3  # closing needs lessons
    claimed = rina.post("/issues/bulk", {"op": "claim", "issue_ids": ours})
    assert claimed["done"] == ours
    rina.post("/issues/bulk", {"op": "hapus", "issue_ids": ours}, expect=422)


def test_followers_hear_of_comments_and_watchlist_alerts(env) -> None:  # type: ignore[no-untyped-def]
    issue = add_issue(env, agency=env.samarinda)
    budi, rina = Actor(env, "budi"), Actor(env, "rina")
    sub = budi.post("/subscriptions", {"issue_id": issue})["id"]
    rina.post(f"/issues/{issue}/comments", {"body": "air sudah surut", "visibility": "shared"})
    assert budi.get("/notifications")[0]["title"] == f"Komentar baru pada isu #{issue}"
    resp = budi.client.delete(f"/api/v1/subscriptions/{sub}", headers={"X-CSRF-Token": budi.token})
    assert resp.status_code == 200
    # following a watchlist: alerts on issues whose mentions match it reach the follower
    with env.db.writer() as s:
        wl = Watchlist(agency_id=env.samarinda, name="pdam", query="pdam OR air bersih")
        s.add(wl)
        s.flush()
        wl_id = wl.id
    budi.post("/subscriptions", {"watchlist_id": wl_id})
    from pantau.store import Mention, Source

    other = add_issue(env, "Air PDAM mati tiga hari", agency=env.samarinda)
    with env.db.writer() as s:
        src = Source(name="uji", kind="import", channel="social")
        s.add(src)
        s.flush()
        s.add(
            Mention(
                source_id=src.id,
                external_id="m1",
                text="air pdam mati",
                channel="social",
                issue_id=other,
                watch=[{"name": "pdam"}],
            )
        )
    add_alert(env, other)
    route_pending(env.db, env.settings)
    with env.db.session() as s:
        budi_rows = s.scalars(
            select(AlertDelivery.channel).where(AlertDelivery.user_id == user_id(env, "budi"))
        ).all()
    assert budi_rows == ["inapp"]


def test_notification_centre_page_in_indonesian(env) -> None:  # type: ignore[no-untyped-def]
    issue = add_issue(env, agency=env.samarinda)
    rina = Actor(env, "rina")
    koord = Actor(env, "koord")
    koord.post("/subscriptions", {"issue_id": issue})
    rina.post(f"/issues/{issue}/status", {"status": "ditelaah"})
    page = koord.client.get("/notifications")
    assert page.status_code == 200
    assert "Notifikasi" in page.text and f"Isu #{issue} kini berstatus ditelaah" in page.text
    assert 'id="unread">1<' in page.text
    resp = koord.client.post(
        "/notifications/read", data={"csrf_token": koord.token}, follow_redirects=False
    )
    assert resp.status_code == 303
    with env.db.session() as s:
        unread = s.scalar(
            select(func.count()).where(
                Notification.read_at.is_(None), Notification.user_id == user_id(env, "koord")
            )
        )
    assert unread == 0
    panel = rina.client.get(f"/issues/{issue}/workflow")
    assert "Penanganan" in panel.text and "Tangani isu ini" in panel.text


def test_no_endpoint_changes_or_deletes_an_audit_entry(env) -> None:  # type: ignore[no-untyped-def]
    admin = Actor(env, "admin")
    entries = admin.get("/audit?limit=5")
    assert entries, "the setup wrote audit entries"
    first = entries[-1]["id"]
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for path in ("/api/v1/audit", f"/api/v1/audit/{first}"):
            resp = admin.client.request(method, path, headers={"X-CSRF-Token": admin.token})
            assert resp.status_code in (404, 405), (method, path, resp.status_code)
    for route in env.app.routes:
        path = getattr(route, "path", "")
        if "audit" in path:
            assert getattr(route, "methods", set()) <= {"GET", "HEAD"}, path
    assert admin.get("/audit?limit=5")[-1] == entries[-1]


def test_bulk_and_dead_letter_pages(env) -> None:  # type: ignore[no-untyped-def]
    from pantau.alerts import run_round
    from pantau.store.workflow_models import AlertEndpoint, RoutingRule

    ids = [add_issue(env, f"Isu massal {n}", agency=env.samarinda) for n in range(2)]
    koord = Actor(env, "koord")
    page = koord.client.get("/workflow/bulk")
    assert page.status_code == 200 and "Aksi massal" in page.text and "Isu massal 1" in page.text
    form = {
        "csrf_token": koord.token,
        "op": "status",
        "status": "ditelaah",
        "issue_ids": [str(i) for i in ids],
    }
    before = koord.audits()
    done = koord.client.post("/workflow/bulk", data=form)
    assert done.status_code == 200 and 'id="bulk-result"' in done.text
    assert koord.audits() >= before + 2
    assert all(koord.get(f"/issues/{i}/workflow")["status"] == "ditelaah" for i in ids)
    # an unsigned webhook goes straight to the dead letters; the admin page resends it
    with env.db.writer() as s:
        s.add(AlertEndpoint(name="wa", channel="webhook", address="http://127.0.0.1:9/x"))
        s.flush()
        s.add(
            RoutingRule(
                name="wa", audience="all", roles=["pimpinan"], channels=["inapp"], endpoint_ids=[1]
            )
        )
    add_alert(env, ids[0])
    assert run_round(env.db, env.settings).delivery.dead == 1
    assert koord.client.get("/alerts/dead-letters").status_code == 403
    admin = Actor(env, "admin")
    listing = admin.client.get("/alerts/dead-letters")
    assert "Surat mati" in listing.text and "WEBHOOK_SECRET" in listing.text
    with env.db.session() as s:
        dead_id = s.scalar(select(AlertDelivery.id).where(AlertDelivery.status == "dead"))
    resp = admin.client.post(
        f"/alerts/dead-letters/{dead_id}/resend",
        data={"csrf_token": admin.token},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    with env.db.session() as s:
        assert s.get(AlertDelivery, dead_id).status == "pending"


@pytest.mark.slow
def test_panel_forms_through_htmx(env) -> None:  # type: ignore[no-untyped-def]
    issue = add_issue(env, "Isu panel")
    koord, rina = Actor(env, "koord"), Actor(env, "rina")

    def form(actor: Actor, op: str, **data: str):  # type: ignore[no-untyped-def]
        before = actor.audits()
        resp = actor.client.post(
            f"/issues/{issue}/workflow/{op}",
            data={"csrf_token": actor.token, **data},
            headers={"HX-Request": "true"},
        )
        assert resp.status_code == 200
        return resp.text, actor.audits() - before

    html, audited = form(koord, "assign", agency_id=str(env.samarinda), note="wilayah Samarinda")
    # assigning is triage: the status moves baru -> ditelaah, audited as its own change
    assert audited == 2 and 'id="wf-agency">Diskominfo Samarinda<' in html
    assert 'data-status="ditelaah"' in html
    html, audited = form(rina, "claim")  # claiming is handling: ditelaah -> ditangani
    assert audited == 2 and "Anda sedang menangani isu ini" in html
    assert 'data-status="ditangani"' in html
    assert "Serahkan ke rekan" in html and ">Koord<" in html  # the coordinator may take it over
    html, audited = form(rina, "handover", user_id=str(user_id(env, "koord")), note="cuti")
    assert audited == 1 and "Sedang ditangani oleh <b>Koord</b>" in html
    html, audited = form(rina, "status", status="selesai", lessons="singkat")
    assert audited == 0 and 'id="wf-error"' in html and "memerlukan pelajaran" in html
    html, audited = form(Actor(env, "budi"), "claim")
    assert audited == 0 and "tidak berhak" in html
    plain = rina.client.post(
        f"/issues/{issue}/workflow/follow", data={"csrf_token": rina.token}, follow_redirects=False
    )
    assert plain.status_code == 303 and plain.headers["location"] == f"/issues/{issue}"
