"""The writing desk's pages through an in-process client: compose, check, save, review, export."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import pytest
from docx import Document as WordDocument
from sqlalchemy import select

from pantau.i18n import translations
from pantau.store.models import AuditEntry
from pantau.store.writing_models import Document
from pantau.web.writing_forms import KIND_LABELS
from tests.conftest import AppEnv
from tests.writing_web.desk_fixtures import (
    HOSTILE,
    add_issue,
    complete_facts,
    form_of,
    logged_in,
)


def _create(env: AppEnv, username: str = "rina", issue_id: int | None = None) -> int:
    client, token = logged_in(env, username)
    form = {**form_of(complete_facts()), "csrf_token": token}
    if issue_id is not None:
        form["issue_id"] = str(issue_id)
    resp = client.post("/tulis/baru", data=form, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    return int(resp.headers["location"].rsplit("/", 1)[1])


def test_issue_page_offers_a_document_and_the_form_is_prefilled(app_env: AppEnv) -> None:
    issue_id = add_issue(app_env)
    client, _ = logged_in(app_env, "rina")
    page = client.get(f"/issues/{issue_id}").text
    assert 'action="/tulis/baru"' in page and f'name="issue" value="{issue_id}"' in page
    form = client.get(f"/tulis/baru?issue={issue_id}").text
    assert 'value="Banjir Sempaja Rendam Ratusan Rumah"' in form
    assert 'name="city" value="Samarinda"' in form
    assert 'name="where" value="Kota Samarinda"' in form
    assert 'name="when" value="2026-11-20T10:00"' in form  # 02:00 UTC in WITA
    assert 'name="agency" value="Dinas Komunikasi dan Informatika Kota Samarinda"' in form
    assert 'name="contact_name" value="Rina"' in form
    assert '<option value="siaran_pers" selected>' in form
    crisis = client.get(f"/tulis/baru?issue={issue_id}&kind=klarifikasi").text
    assert '<option value="klarifikasi" selected>' in crisis


@pytest.mark.slow
def test_compose_check_save_fix_review_and_export(app_env: AppEnv) -> None:
    issue_id = add_issue(app_env)
    doc_id = _create(app_env, "rina", issue_id)
    client, token = logged_in(app_env, "rina")
    page = client.get(f"/tulis/{doc_id}").text
    assert "Pemprov Kaltim Buka Posko Aduan Banjir 24 Jam" in page
    assert 'hx-trigger="keyup changed delay:500ms"' in page
    text = client.get(f"/api/v1/documents/{doc_id}").json()["text"]
    # browsers post a textarea with CRLF line ends: offsets must still hit the right words
    bad = (text + "\nSilahkan hubungi posko dengan biaya Rp 5.000.\n").replace("\n", "\r\n")
    found = client.post(
        f"/tulis/{doc_id}/periksa", data={"text": bad}, headers={"X-CSRF-Token": token}
    ).text
    assert 'data-rule="ejaan.baku"' in found and 'data-rule="eyd.rupiah"' in found
    assert '<mark class="temuan temuan-error"' in found
    resp = client.post(
        f"/tulis/{doc_id}/perbaiki", data={"text": bad, "csrf_token": token}, follow_redirects=False
    )
    assert resp.status_code == 303
    fixed = client.get(f"/api/v1/documents/{doc_id}").json()
    assert fixed["version"] == 2 and "Silakan" in fixed["text"] and "Rp5.000" in fixed["text"]
    resp = client.post(f"/tulis/{doc_id}/status", data={"to": "ditinjau", "csrf_token": token})
    assert resp.status_code == 200 and "ditinjau" in resp.text
    # the author may not approve their own version
    resp = client.post(f"/tulis/{doc_id}/status", data={"to": "disetujui", "csrf_token": token})
    assert resp.status_code == 403
    koord, ktoken = logged_in(app_env, "koord")
    page = koord.get(f"/tulis/{doc_id}").text
    assert 'id="move-disetujui"' in page
    resp = koord.post(f"/tulis/{doc_id}/status", data={"to": "disetujui", "csrf_token": ktoken})
    assert resp.status_code == 200 and 'id="doc-status">disetujui' in resp.text
    docx = koord.get(f"/tulis/{doc_id}/unduh.docx")
    assert docx.headers["content-disposition"].startswith("attachment;")
    word = WordDocument(io.BytesIO(docx.content))
    assert "Pemprov Kaltim Buka Posko Aduan Banjir 24 Jam" in [p.text for p in word.paragraphs]
    txt = koord.get(f"/tulis/{doc_id}/unduh.txt")
    assert txt.headers["content-type"].startswith("text/plain") and "Silakan" in txt.text
    html = koord.get(f"/tulis/{doc_id}/unduh.html").text
    assert "<h1>Pemprov Kaltim Buka Posko Aduan Banjir 24 Jam</h1>" in html
    assert koord.get(f"/tulis/{doc_id}/unduh.exe").status_code == 404
    first = koord.get(f"/tulis/{doc_id}?versi=1").text
    assert 'id="older-version"' in first and "Silakan hubungi posko" not in first
    assert "Silakan hubungi posko" in koord.get(f"/tulis/{doc_id}").text
    with app_env.db.session() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(
                AuditEntry.object_type == "document", AuditEntry.object_id == str(doc_id)
            )
        ).all()
        assert actions == [
            "document.create",
            "document.edit",
            "document.transition",
            "document.transition",
        ]
        assert s.get(Document, doc_id).status == "disetujui"


@pytest.mark.slow
def test_analyst_of_another_agency_cannot_edit_and_leaders_only_read(app_env: AppEnv) -> None:
    doc_id = _create(app_env, "rina", add_issue(app_env))
    budi, token = logged_in(app_env, "budi")
    page = budi.get(f"/tulis/{doc_id}").text
    assert "readonly" in page and 'id="save"' not in page and 'id="move-ditinjau"' not in page
    resp = budi.post(
        f"/tulis/{doc_id}/simpan", data={"text": "Judul baru\nteks", "csrf_token": token}
    )
    assert resp.status_code == 403
    resp = budi.post(f"/tulis/{doc_id}/status", data={"to": "ditinjau", "csrf_token": token})
    assert resp.status_code == 403
    boss, btoken = logged_in(app_env, "pimpinan")
    assert boss.get("/tulis").status_code == 200
    assert boss.get(f"/tulis/{doc_id}/unduh.pdf").content.startswith(b"%PDF")
    assert boss.get("/tulis/baru").status_code == 403
    resp = boss.post(f"/tulis/{doc_id}/simpan", data={"text": "x", "csrf_token": btoken})
    assert resp.status_code == 403
    with app_env.db.session() as s:
        assert len(s.get(Document, doc_id).versions) == 1


def test_empty_fields_and_unknown_kind_are_named_on_the_form(app_env: AppEnv) -> None:
    client, token = logged_in(app_env, "rina")
    form = {**form_of(complete_facts()), "csrf_token": token, "headline": "  "}
    resp = client.post("/tulis/baru", data=form)
    assert resp.status_code == 422
    assert "'headline' (judul) wajib diisi" in unescape(resp.text)
    assert 'name="headline" value="  " aria-invalid="true"' in resp.text
    resp = client.post("/tulis/baru", data={**form, "headline": "Judul", "kind": "memo"})
    assert resp.status_code == 422
    assert "Jenis dokumen 'memo' tidak dikenal" in unescape(resp.text)
    resp = client.post("/tulis/baru", data={**form, "headline": "Judul", "quote1_position": ""})
    assert resp.status_code == 422 and "Kutipan ke-1: jabatan narasumber wajib diisi" in resp.text
    doc_id = _create(app_env)
    resp = client.post(f"/tulis/{doc_id}/simpan", data={"text": "  ", "csrf_token": token})
    assert resp.status_code == 422 and "Naskah tidak boleh kosong." in resp.text


def test_hostile_text_is_escaped_in_list_and_editor(app_env: AppEnv) -> None:
    issue_id = add_issue(app_env, label=HOSTILE)
    client, token = logged_in(app_env, "rina")
    form = {**form_of(complete_facts()), "csrf_token": token, "headline": HOSTILE}
    form["issue_id"] = str(issue_id)
    resp = client.post("/tulis/baru", data=form, follow_redirects=False)
    doc_id = int(resp.headers["location"].rsplit("/", 1)[1])
    for page in (client.get("/tulis").text, client.get(f"/tulis/{doc_id}").text):
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(" in page
    found = client.post(
        f"/tulis/{doc_id}/periksa", data={"text": HOSTILE}, headers={"X-CSRF-Token": token}
    ).text
    assert "<script>" not in found and "<img" not in found
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in found
    assert "<script>alert" not in client.get(f"/tulis/{doc_id}/unduh.html").text


#: Words spelled the same in Indonesian and English.
SAME_IN_INDONESIAN = {"Status"}
TEMPLATES = Path(__file__).resolve().parents[2] / "src/pantau/web/templates/writing"


def test_every_writing_string_has_an_indonesian_translation(app_env: AppEnv) -> None:
    ids = set(KIND_LABELS.values()) | {"Writing"}
    for template in TEMPLATES.glob("*.html"):
        ids |= set(re.findall(r'_\("([^"]+)"\)', template.read_text(encoding="utf-8")))
    assert len(ids) > 40
    indonesian = translations("id")
    untranslated = sorted(i for i in ids - SAME_IN_INDONESIAN if indonesian.gettext(i) == i)
    assert untranslated == []
    client, _ = logged_in(app_env, "rina")
    assert "Perbaiki otomatis" in client.get(f"/tulis/{_create(app_env)}").text
