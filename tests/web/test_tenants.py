"""Two provinces in one installation: every registered route, walked as a user of Kalimantan
Timur (64), shows nothing of Kalimantan Selatan (63), changes nothing of it, and a national user
sees both.

Province 63 is seeded with text found nowhere else (``zqxb``): its agency, user, watchlist,
source, mentions, issue, alert, quarantined record, audit entry and document. The walk reads the
route table itself, so a route added later is walked too.
"""

from __future__ import annotations

import importlib
import io
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select
from tests.conftest import PASSWORD, AppEnv

from pantau.flow.pipeline import Pipeline
from pantau.ingest.sources import SourceError, import_source
from pantau.store import Agency, Alert, Issue, Mention, Quarantine, Source, User, Watchlist, tenancy
from pantau.store.audit import record
from pantau.store.seed import seed_province
from pantau.store.writing_models import Document, DocumentVersion
from pantau.web.app import ROUTERS
from pantau.workflow.users import create_user

B = "zqxb"  # province 63's mark: any response to a user of 64 that holds it crossed tenants
A = "kqxa"  # province 64's own mark: its user must see it (the walk is not of empty pages)
NOW = datetime.now(UTC).replace(microsecond=0)

A_POSTS = [
    f"Jalan rusak parah di Samarinda {A} warga mengeluh lubang besar nomor {i}" for i in range(5)
]
B_POSTS = [
    f"Banjir besar melanda Banjarmasin {B} warga mengungsi ke masjid nomor {i}" for i in range(5)
]
#: From a national source, and from 64's own source, about a place in 63: 63's mentions.
PLACED_IN_B = [f"Banjir Banjarmasin {B} meluas ke pasar, kiriman ke-{i}" for i in range(3)]
#: A national source's post that names no province: only national users see it.
NO_PLACE = f"Harga tiket pesawat {B} naik menjelang libur panjang"


class Seeded:
    """The ids of province 63's objects and the users of the walk."""

    def __init__(self, env: AppEnv) -> None:
        self.env = env
        with env.db.writer() as s:
            seed_province(s, "63")
            kaltim = s.scalar(
                select(Agency.id).where(Agency.short_name == "Diskominfo Prov. Kalimantan Timur")
            )
            pupr = Agency(
                name=f"Dinas PUPR {B.upper()} Kalimantan Selatan",
                short_name=f"PUPR {B.upper()}",
                level="opd",
                region_code="63",
            )
            s.add(pupr)
            s.flush()
            self.agency = pupr.id
            create_user(
                s,
                username="admin.kaltim",
                password=PASSWORD,
                role="admin",
                full_name="Admin Kaltim",
                agency_id=kaltim,
            )
            self.user = create_user(
                s,
                username="koord.kalsel",
                password=PASSWORD,
                role="koordinator",
                full_name=f"Petugas {B.upper()}",
                agency_id=pupr.id,
            ).id
            watch = Watchlist(agency_id=pupr.id, name=f"Pantauan {B}", query=B)
            s.add(watch)
            own = Source(name=f"Sumber Kaltim {A}", kind="mapping", channel="social", province="64")
            theirs = Source(name=f"Sumber {B}", kind="mapping", channel="social", province="63")
            national = Source(name="Sumber Nasional", kind="mapping", channel="news", province=None)
            s.add_all([own, theirs, national])
            s.flush()
            self.watchlist, self.source = watch.id, theirs.id
            posts = [(own, t) for t in A_POSTS] + [(theirs, t) for t in B_POSTS]
            posts += [(national, PLACED_IN_B[0]), (national, PLACED_IN_B[1]), (own, PLACED_IN_B[2])]
            posts += [(national, NO_PLACE)]
            for n, (source, text) in enumerate(posts):
                s.add(
                    Mention(
                        source_id=source.id,
                        external_id=f"m{n}",
                        channel=source.channel,
                        text=text,
                        published_at=NOW - timedelta(hours=3) + timedelta(minutes=n),
                    )
                )
        Pipeline(env.db, env.settings).run_pending()
        with env.db.writer() as s:
            issue = s.scalar(select(Issue).where(Issue.tenant == "63", Issue.size >= 3))
            assert issue is not None, "province 63's flood was not clustered"
            self.issue = issue.id
            issue.label = f"Banjir {B.upper()} Banjarmasin"
            own = s.scalar(select(Issue).where(Issue.tenant == "64", Issue.size >= 3))
            own.label = f"Jalan rusak {A.upper()} Samarinda"
            self.own_issue = own.id
            self.mention = s.scalar(select(Mention.id).where(Mention.tenant == "63"))
            s.add(Alert(issue_id=issue.id, kind="stage", stage="emerging", reasons=[f"{B} naik"]))
            q = Quarantine(
                source_id=self.source, origin="api", reason=f"rusak {B}", payload=f'{{"t": "{B}"}}'
            )
            s.add(q)
            record(
                s,
                actor="koord.kalsel",
                actor_id=self.user,
                action="issue.rename",
                object_type="issue",
                object_id=issue.id,
                after={"label": issue.label},
            )
            doc = Document(
                kind="siaran_pers", title=f"Rilis {B}", issue_id=issue.id, agency_id=self.agency
            )
            doc.versions.append(DocumentVersion(number=1, text=f"Teks {B}", author="koord.kalsel"))
            s.add(doc)
            s.flush()
            self.quarantined, self.document = q.id, doc.id

    def state(self) -> list[Any]:
        """Every row of province 63 a write could change, with all its columns."""
        theirs = select(Agency.id).where(Agency.province == "63")
        wanted = {
            Issue: Issue.tenant == "63",
            Mention: Mention.tenant == "63",
            Agency: Agency.province == "63",
            User: User.agency_id.in_(theirs),
            Watchlist: Watchlist.agency_id.in_(theirs),
            Source: Source.province == "63",
            Quarantine: Quarantine.source_id == self.source,
            Document: Document.agency_id.in_(theirs),
        }
        with self.env.db.session() as s:
            rows: list[Any] = []
            for model, condition in wanted.items():
                for obj in s.scalars(select(model).where(condition).order_by(model.id)):
                    rows.append(
                        (model.__name__, {k: repr(v) for k, v in vars(obj).items() if k[0] != "_"})
                    )
            assert len(rows) > 20
            return rows


@pytest.fixture
def two(tmp_path: Path, seeded_db_file: Path):  # type: ignore[no-untyped-def]
    env = AppEnv(tmp_path, seeded_db_file)
    yield Seeded(env)
    env.db.dispose()


def _client(seeded: Seeded, username: str) -> tuple[Any, str]:
    from fastapi.testclient import TestClient

    # a route that fails on the walk's made-up input answers 500; what matters is what it shows
    client = TestClient(seeded.env.app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    assert seeded.env.login(client, username).status_code == 303
    return client, seeded.env.csrf(client)


def _routes() -> list[tuple[str, str]]:
    """(method, path) of every route of every router the app mounts."""
    found = []
    for name in ROUTERS:
        for route in importlib.import_module(name).router.routes:
            if isinstance(route, APIRoute):
                found += [(method, route.path) for method in sorted(route.methods)]
    return found


def _paths(seeded: Seeded, path: str) -> list[str]:
    """``path`` with its parameters filled with province 63's objects (and the formats a
    route serves)."""
    ids = {
        "issue_id": seeded.issue,
        "mention_id": seeded.mention,
        "agency_id": seeded.agency,
        "user_id": seeded.user,
        "watchlist_id": seeded.watchlist,
        "source_id": seeded.source,
        "item_id": seeded.quarantined,
        "doc_id": seeded.document,
        "kind": "daily",
    }
    fmts = ["csv", "jsonl", "html", "json", "docx", "txt"] if "{fmt}" in path else [""]
    out = []
    for fmt in fmts:
        filled = re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), fmt or "1")), path)
        out.append(filled.replace("{fmt}", fmt))
    return out


#: An embedded image (a report's charts as ``data:image/png;base64,...``): random letters, in
#: which a four-letter mark turns up by chance (once in about 40 mailed reports: "...hzqxb54...").
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")


def _readable(text: str) -> str:
    """``text`` without its embedded images, the part a person reads."""
    return _DATA_URI.sub("", text)


def _text(resp: Any) -> str:
    """The response's text, a Word file's XML included (other binaries carry no text here)."""
    if resp.content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(resp.content)) as z:
            return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return _readable(resp.content.decode("utf-8", "replace"))


SKIP = {("POST", "/logout")}  # the walk needs its session


def test_a_provincial_user_walks_every_route_and_sees_nothing_of_another_province(two) -> None:  # type: ignore[no-untyped-def]
    routes = _routes()
    assert len(routes) > 100
    before = two.state()
    leaks, walked, own = [], 0, 0
    for username in ("admin.kaltim", "koord"):
        client, token = _client(two, username)
        for method, path in routes:
            if (method, path) in SKIP:
                continue
            for url in _paths(two, path):
                if method == "GET":
                    resp = client.get(url, params={"q": "banjir"}, follow_redirects=False)
                else:
                    body = {} if url.startswith("/api/") else None
                    resp = client.request(
                        method,
                        url,
                        json=body,
                        data=None if body is not None else {"csrf_token": token},
                        headers={"X-CSRF-Token": token},
                        follow_redirects=False,
                    )
                walked += 1
                own += A in _text(resp).lower()
                if B in _text(resp).lower():
                    leaks.append(f"{username} {method} {url} -> {resp.status_code}")
    assert leaks == []
    assert walked > 300
    assert own > 10, "the walk saw almost nothing of its own province: a broken walk"
    assert two.state() == before, "a user of 64 changed something of 63"


def test_each_side_sees_its_own_and_a_national_user_sees_both(two) -> None:  # type: ignore[no-untyped-def]
    kaltim, _ = _client(two, "koord")
    national, _ = _client(two, "admin")
    assert A in kaltim.get("/search", params={"q": A}).text.lower()
    assert A in kaltim.get("/api/v1/mentions", params={"q": A}).text.lower()
    assert kaltim.get(f"/api/v1/issues/{two.issue}").status_code == 404
    assert kaltim.get(f"/api/v1/issues/{two.own_issue}").status_code == 200
    found = national.get("/api/v1/mentions", params={"q": B, "limit": 100}).text
    texts = found.replace("\u27e6", "").replace("\u27e7", "")  # the snippet's match marks
    # a national source's post about 63, and 64's own source's, are 63's; so is the one of no place
    assert all(t in texts for t in [*B_POSTS, *PLACED_IN_B, NO_PLACE])
    assert national.get(f"/api/v1/issues/{two.issue}").status_code == 200
    # the filter forms offer each user the kab/kota of their own province
    kalsel, _ = _client(two, "koord.kalsel")
    offered = kalsel.get("/search").text
    assert "Kota Banjarmasin" in offered and "Kota Samarinda" not in offered
    assert "Kota Samarinda" in kaltim.get("/search").text
    assert B in national.get("/api/v1/agencies").text.lower()
    assert B in national.get("/search/export.csv", params={"q": B}).text.lower()
    with two.env.db.session() as s:
        tenants = {text: tenant for text, tenant in s.execute(select(Mention.text, Mention.tenant))}
    assert {tenants[t] for t in PLACED_IN_B} == {"63"} and tenants[NO_PLACE] is None
    assert {tenants[t] for t in A_POSTS} == {"64"}


def test_reports_are_mailed_and_exported_per_province(two, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    from tests.alerts.receivers import SMTPServer
    from tests.reports.test_export_cli import _pantau

    from pantau.reports.delivery import MailSender, send_due, subscribe

    env = two.env
    readers = {"koord": "64", "koord.kalsel": "63", "admin": "nasional"}
    with env.db.writer() as s:
        for username in readers:
            user = s.scalar(select(User).where(User.username == username))
            user.email = f"{username}@example.go.id"
            subscribe(s, user.id, "daily", "html", actor="test")
    day = (NOW - timedelta(hours=3)).astimezone(ZoneInfo(env.settings.timezone)).date()
    with SMTPServer(tmp_path) as smtp:
        settings = env.settings.replace(
            alert_smtp_port=smtp.port, alert_smtp_ca_file=str(smtp.cert)
        )
        assert len(send_due(env.db, settings, day, MailSender(settings)).sent) == 3
    got = {
        m["To"].split("@")[0]: next(m.iter_attachments()).get_content().lower()
        for m in smtp.box.messages
    }
    got = {k: _readable(v.decode() if isinstance(v, bytes) else v) for k, v in got.items()}
    assert A in got["koord"] and B not in got["koord"]
    assert B in got["koord.kalsel"] and A not in got["koord.kalsel"]
    assert A in got["admin"] and B in got["admin"]
    for province, mine, theirs in (("64", A, B), ("63", B, A)):
        done = _pantau(env, "export", "--format", "jsonl", "--province", province)
        assert done.returncode == 0, done.stderr
        assert mine in done.stdout.decode() and theirs not in done.stdout.decode()


def test_a_source_name_of_another_province_is_refused_in_words(two) -> None:  # type: ignore[no-untyped-def]
    """Source names are unique in the installation: Kaltim's administrator, who cannot see
    Kalsel's "Sumber zqxb", gets the form's error for that name, not the database's (a 500)."""
    client, token = _client(two, "admin.kaltim")
    taken = f"Sumber {B}"
    resp = client.post(
        "/admin/sumber",
        data={"csrf_token": token, "name": taken, "kind": "push", "channel": "social"},
    )
    assert resp.status_code == 422, resp.status_code
    assert "sudah dipakai provinsi lain" in resp.text
    kaltim_only = tenancy.scope(frozenset({"64"}))  # a file imported by Kaltim
    refused = pytest.raises(SourceError, match="sudah dipakai provinsi lain")
    with two.env.db.writer() as s, kaltim_only, refused:
        import_source(s, taken, "mapping", "social")
    with two.env.db.session() as s:
        assert s.scalars(select(Source).where(Source.name == taken)).all()[0].province == "63"
