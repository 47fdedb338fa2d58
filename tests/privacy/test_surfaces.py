"""Every surface shows and exports personal data masked; only ``pii.view`` unmasks, audited.

Each test runs on SQLite and on PostgreSQL. The sample's banjir mentions all carry a post with a
NIK, a phone number and an e-mail address.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import select

from pantau.reports.documents import daily_report
from pantau.reports.export import CSV_HEADERS
from pantau.reports.render import render_report
from pantau.store import AuditEntry
from tests.privacy.conftest import EMAIL, NIK, PHONE, POST, PiiApp
from tests.reports.sample import DAY

CLEAR = (NIK, PHONE, EMAIL)
MASKS = ("6472********0001", "0812****5678", "w***@gmail.com")


def _masked(text: str, shown: int = 3) -> bool:
    """No value in clear, and the first ``shown`` masks there (snippets show two)."""
    return all(m in text for m in MASKS[:shown]) and not any(v in text for v in CLEAR)


def _clear(text: str, shown: int = 3) -> bool:
    return all(v in text for v in CLEAR[:shown])


def _client(env: PiiApp, username: str) -> TestClient:
    c = env.client()
    assert env.login(c, username).status_code == 303
    return c


def _views(env: PiiApp) -> list[AuditEntry]:
    with env.db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == "pii.view")))


def test_search_page_and_issue_page(pii_app: PiiApp) -> None:
    koord = _client(pii_app, "koord")
    page = koord.get("/search", params={"q": "bansos"}).text
    assert _masked(page, 2) and "pii-switch" not in page
    assert koord.get("/search", params={"q": NIK}).text.count('class="mention ') == 0
    assert koord.get("/search", params={"q": "bansos", "unmask": 1}).status_code == 403
    issue = f"/issues/{pii_app.issue_ids['banjir']}"
    assert _masked(koord.get(issue).text, 2)
    assert koord.get(issue, params={"unmask": 1}).status_code == 403
    assert _views(pii_app) == []

    admin = _client(pii_app, "admin")
    page = admin.get("/search", params={"q": "bansos"}).text
    assert _masked(page, 2) and 'href="?q=bansos&amp;unmask=1"' in page
    page = admin.get("/search", params={"q": "bansos", "unmask": 1}).text
    assert _clear(page, 2) and "unmask=1" in page  # the export links carry it too
    assert _clear(admin.get(issue, params={"unmask": 1}).text, 2)
    views = _views(pii_app)
    assert [(v.actor, v.after["where"]) for v in views] == [
        ("admin", "search"),
        ("admin", f"issue {pii_app.issue_ids['banjir']}"),
    ]
    assert views[0].after["pieces"] >= 3 * len(views[0].after["mentions"]) == 3 * 22


def test_json_api(pii_app: PiiApp) -> None:
    koord = _client(pii_app, "koord")
    body = koord.get("/api/v1/mentions", params={"q": "bansos", "limit": 200})
    items = body.json()["items"]
    assert len(items) == 22 and all(_masked(i["snippet"], 2) for i in items)
    assert koord.get("/api/v1/mentions", params={"q": NIK}).json()["total"] == 0
    assert koord.get("/api/v1/mentions", params={"unmask": True}).status_code == 403
    admin = _client(pii_app, "admin")
    items = admin.get("/api/v1/mentions", params={"q": "bansos", "unmask": True}).json()["items"]
    assert len(items) == 22 and all(_clear(i["snippet"], 2) for i in items)
    assert [v.after["where"] for v in _views(pii_app)] == ["api"]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_web_exports(pii_app: PiiApp, fmt: str) -> None:
    def texts(resp_text: str) -> list[str]:
        if fmt == "csv":
            text = CSV_HEADERS["text"]  # the spreadsheet's Indonesian header
            return [r[text] for r in csv.DictReader(io.StringIO(resp_text.lstrip("\ufeff")))]
        return [json.loads(line)["text"] for line in resp_text.splitlines()]

    koord = _client(pii_app, "koord")
    rows = texts(koord.get(f"/search/export.{fmt}", params={"q": "bansos"}).text)
    assert len(rows) == 22 and all(_masked(t) for t in rows)
    assert koord.get(f"/search/export.{fmt}", params={"unmask": 1}).status_code == 403
    admin = _client(pii_app, "admin")
    rows = texts(admin.get(f"/search/export.{fmt}", params={"q": "bansos", "unmask": 1}).text)
    assert len(rows) == 22 and all(_clear(t) for t in rows)
    assert [v.after["where"] for v in _views(pii_app)] == [f"export {fmt}"]


def test_export_command(pii_app: PiiApp) -> None:
    environ = {
        **os.environ,
        "PANTAU_DATABASE_URL": pii_app.settings.database_url,
        "PANTAU_DATA_DIR": pii_app.settings.data_dir,
        "PANTAU_SECRET_KEY": str(pii_app.settings.secret_key),
    }

    def export(*args: str) -> subprocess.CompletedProcess[str]:
        code = "from pantau.cli import main; main()"
        argv = [sys.executable, "-c", code, "export", "--q", "bansos", *args]
        return subprocess.run(argv, capture_output=True, text=True, env=environ, timeout=120)

    done = export()
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 22 and _masked(done.stdout)
    refused = export("--unmask", "--as", "koord")
    assert refused.returncode != 0 and "pii.view" in refused.stderr and not refused.stdout
    assert export("--unmask").returncode != 0
    done = export("--format", "csv", "--unmask", "--as", "admin")
    assert done.returncode == 0 and done.stdout.count(NIK) == 22 + 5  # texts, news titles
    assert _clear(done.stdout)
    assert [(v.actor, v.after["where"]) for v in _views(pii_app)] == [("admin", "cli export csv")]


def test_reports_show_sample_posts_masked(pii_app: PiiApp, tmp_path: Path) -> None:
    with pii_app.db.session() as s:
        report = daily_report(s, DAY, pii_app.settings.timezone)
    html = render_report(report, "html").decode("utf-8")
    assert any(m in html for m in MASKS) and not any(v in html for v in CLEAR)
    pdf = tmp_path / "harian.pdf"
    pdf.write_bytes(render_report(report, "pdf"))
    printed = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "6472****" in printed and not any(v in printed for v in CLEAR)
    doc = Document(io.BytesIO(render_report(report, "docx")))
    words = [p.text for p in doc.paragraphs] + [
        c.text for t in doc.tables for r in t.rows for c in r.cells
    ]
    assert any(m in w for w in words for m in MASKS)
    assert not any(v in w for w in words for v in CLEAR)


def test_quarantine_page_masks_raw_records(pii_app: PiiApp) -> None:
    from pantau.ingest.sink import write_quarantine
    from pantau.records import QuarantineItem

    with pii_app.db.writer() as s:
        raw = json.dumps({"id": "", "text": POST})
        write_quarantine(s, None, [QuarantineItem("api", "external_id kosong", raw, 1, "id")])
    koord = _client(pii_app, "koord")
    page = koord.get("/karantina").text
    assert "external_id kosong" in page and _masked(page)
    [item] = koord.get("/api/v1/quarantine").json()
    assert _masked(item["payload"])
