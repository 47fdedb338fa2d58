"""Every role x action x (own agency, other agency, province) through the JSON API.

The expected scopes below are the specification, written out by hand (not read from
``ACTIONS``): a change in the permission table that breaks them fails here. Each allowed change
must leave an audit entry; each refusal must change nothing and leave none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from pantau.store import AuditEntry, Issue
from pantau.store.audit import record
from pantau.store.workflow_models import IssueClaim
from tests.alerts.support import add_issue, agency_id, make_env, user_id
from tests.conftest import AppEnv

ALL, OWN, NONE = "all", "own", None
WORKERS = {"admin": ALL, "koordinator": ALL, "analis": OWN, "pimpinan": NONE}
HANDLERS = {"admin": NONE, "koordinator": ALL, "analis": OWN, "pimpinan": NONE}
COORDINATION = {"admin": ALL, "koordinator": ALL, "analis": NONE, "pimpinan": NONE}
CORRECTORS = {"admin": ALL, "koordinator": ALL, "analis": OWN, "pimpinan": NONE}
EVERYONE = {"admin": ALL, "koordinator": ALL, "analis": ALL, "pimpinan": ALL}

REASON = "warga melapor langsung ke kantor kecamatan"
STATUS = "/issues/{id}/status"
#: action: (spec, starting status, needs the actor's claim, method, path, body)
ACTIONS: dict[str, tuple[dict[str, Any], str, bool, str, str, Any]] = {
    "view": (EVERYONE, "baru", False, "GET", "/issues/{id}/workflow", None),
    "triage": (WORKERS, "baru", False, "POST", STATUS, {"status": "ditelaah"}),
    "handle": (WORKERS, "ditelaah", False, "POST", STATUS, {"status": "ditangani"}),
    "monitor": (WORKERS, "ditangani", False, "POST", STATUS, {"status": "dipantau"}),
    "close": (WORKERS, "dipantau", False, "POST", STATUS,
              {"status": "selesai", "lessons": "klarifikasi cepat meredam isu dalam 3 jam"}),
    "reopen": (COORDINATION, "selesai", False, "POST", STATUS, {"status": "ditelaah"}),
    "assign": (COORDINATION, "baru", False, "POST", "/issues/{id}/assign",
               {"agency_id": "{other}"}),
    "claim": (HANDLERS, "baru", False, "POST", "/issues/{id}/claim", None),
    "release": (HANDLERS, "ditangani", True, "POST", "/issues/{id}/release", None),
    "handover": (HANDLERS, "ditangani", True, "POST", "/issues/{id}/handover",
                 {"user_id": "{koord}"}),
    "handoff": (HANDLERS, "ditelaah", False, "POST", "/issues/{id}/handoff",
                {"agency_id": "{other}", "reason": REASON}),
    "act": (HANDLERS, "ditangani", False, "POST", "/issues/{id}/actions",
            {"step": "aksi", "kind": "klarifikasi", "note": "klarifikasi di akun resmi"}),
    "escalate": (HANDLERS, "ditangani", False, "POST", "/issues/{id}/escalate", {"reason": REASON}),
    "comment": (EVERYONE, "baru", False, "POST", "/issues/{id}/comments",
                {"body": "sudah dicek ke lapangan", "visibility": "shared"}),
    "subscribe": (EVERYONE, "baru", False, "POST", "/subscriptions", {"issue_id": "{id}"}),
    # issue.correct: people correct the machine's grouping and titles
    "rename": (CORRECTORS, "baru", False, "POST", "/issues/{id}/rename",
               {"label": "Banjir di Air Hitam, Samarinda"}),
    "dismiss": (CORRECTORS, "baru", False, "POST", "/issues/{id}/dismiss",
                {"reason": "obrolan, bukan isu publik"}),
}  # fmt: skip
USERS = {"admin": "admin", "koordinator": "koord", "analis": "rina", "pimpinan": "pimpinan"}
PLACES = ("own", "other", "province")


def _expected(spec: dict[str, Any], role: str, place: str, unassigned: bool) -> bool:
    scope = spec[role]
    if scope == ALL:
        return True
    if scope == OWN:
        return place == "own" or unassigned
    return False


def _fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def _audits(env: AppEnv) -> int:
    with env.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, seeded_db_file: Path):  # type: ignore[no-untyped-def]
    env = make_env(tmp_path_factory.mktemp("matrix"), seeded_db_file)
    agencies = {
        "samarinda": agency_id(env, "Diskominfo Samarinda"),
        "balikpapan": agency_id(env, "Diskominfo Balikpapan"),
        "province": agency_id(env, "Diskominfo Prov. Kalimantan Timur"),
    }
    clients = {}
    for role, username in USERS.items():
        c = env.client()
        assert env.login(c, username).status_code == 303
        clients[role] = (c, env.csrf(c))
    yield env, agencies, clients
    env.db.dispose()


def _where(role: str, place: str, agencies: dict[str, int]) -> tuple[int | None, int]:
    """(the issue's agency, an agency that is not it) for the role's own/other/province."""
    home = {"admin": None, "koordinator": agencies["province"], "analis": agencies["samarinda"],
            "pimpinan": agencies["province"]}[role]  # fmt: skip
    other = agencies["balikpapan"] if home != agencies["balikpapan"] else agencies["samarinda"]
    if place == "own":
        return home, agencies["balikpapan"]
    if place == "other":
        return (agencies["balikpapan"] if role != "koordinator" else agencies["samarinda"]), (
            agencies["province"]
        )
    return agencies["province"], other


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", list(USERS))
def test_matrix(world, role: str, action: str, place: str) -> None:  # type: ignore[no-untyped-def]
    env, agencies, clients = world
    spec, start, needs_claim, method, path, body = ACTIONS[action]
    owner, elsewhere = _where(role, place, agencies)
    issue = add_issue(env, f"Isu uji {role} {action} {place}", agency=owner)
    actor = user_id(env, USERS[role])
    with env.db.writer() as s:  # the starting state, recorded like any change
        row = s.get(Issue, issue)
        row.status = start
        if needs_claim:
            s.add(IssueClaim(issue_id=issue, user_id=actor, agency_id=None))
        record(s, actor="test-setup", action="test.setup", object_type="issue", object_id=issue,
               after={"status": start, "claimed_by": actor if needs_claim else None})  # fmt: skip
    ids = {"id": issue, "other": elsewhere, "koord": user_id(env, "koord")}
    client, token = clients[role]
    before = _audits(env)
    resp = client.request(method, "/api/v1" + path.format(**ids), json=_fill(body, ids),
                          headers={"X-CSRF-Token": token})  # fmt: skip
    allowed = _expected(spec, role, place, owner is None)
    if allowed:
        assert resp.status_code == 200, (resp.status_code, resp.text)
        if method != "GET":
            assert _audits(env) > before, "an allowed change must leave an audit entry"
    else:
        assert resp.status_code == 403, (resp.status_code, resp.text)
        assert _audits(env) == before, "a refused request must change nothing"
        with env.db.session() as s:
            assert s.get(Issue, issue).status == start


@pytest.mark.parametrize(
    ("path", "allowed_roles"),
    [
        ("/api/v1/alerts/dead-letters", {"admin"}),
        ("/api/v1/alerts/rules", {"admin", "koordinator"}),
        ("/api/v1/alerts/endpoints", {"admin", "koordinator"}),
        ("/api/v1/audit", {"admin", "koordinator"}),
        ("/api/v1/notifications", set(USERS)),
        # metrics.view: the operations figures are the administrator's
        ("/metrics", {"admin"}),
        # pii.view: citizens' personal data in clear only for the administrator (UU PDP)
        ("/api/v1/mentions?unmask=true", {"admin"}),
        # token.manage: everyone keeps their own API tokens
        ("/api/v1/tokens", set(USERS)),
        # reading the crisis SOP is for everyone; changing it is playbook.manage (below)
        ("/api/v1/playbooks", set(USERS)),
    ],
)
def test_province_wide_pages(world, path: str, allowed_roles: set[str]) -> None:  # type: ignore[no-untyped-def]
    _, _, clients = world
    for role, (client, _token) in clients.items():
        code = client.get(path).status_code
        assert code == (200 if role in allowed_roles else 403), (role, path, code)


@pytest.mark.parametrize("role", list(USERS))
def test_changing_the_crisis_sop_is_playbook_manage(world, role: str) -> None:  # type: ignore[no-untyped-def]
    """Everyone reads the playbooks; only the administrator and the coordinator save a version."""
    env, _, clients = world
    client, token = clients[role]
    text = client.get("/api/v1/playbooks/banjir.yaml").text
    before = _audits(env)
    resp = client.put("/api/v1/playbooks/banjir", json={"text": text, "note": f"uji {role}"},
                      headers={"X-CSRF-Token": token})  # fmt: skip
    if role in {"admin", "koordinator"}:
        assert resp.status_code == 200, (role, resp.status_code, resp.text)
        assert _audits(env) > before, "a saved playbook version must leave an audit entry"
    else:
        assert resp.status_code == 403, (role, resp.status_code, resp.text)
        assert _audits(env) == before
