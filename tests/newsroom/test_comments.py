"""Citizens' comments through the public form: screening, honeypot, rate limit, moderation."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from pantau.newsroom.comments import screen
from pantau.store import AuditEntry, Mention
from tests.conftest import AppEnv
from tests.newsroom.fixtures import published_release
from tests.writing_web.desk_fixtures import HOSTILE, logged_in

GENUINE = "Apakah posko di Temindung juga menerima warga dari Bengkuring?"


def _send(client, slug: str, name: str, text: str, trap: str = ""):  # type: ignore[no-untyped-def]
    data = {"name": name, "text": text, "website": trap}
    return client.post(f"/rilis/{slug}/komentar", data=data, follow_redirects=False)


def test_rules_hold_links_gambling_abuse_and_contacts_but_not_plain_questions() -> None:
    assert screen("Warga", GENUINE) is None
    assert screen("Warga", "Pantai Manggar bersih, terima kasih") is None  # 'tai' is a word
    assert screen("Warga", "daftar di bit.ly/abc") == "tautan"
    assert screen("SLOT GACOR", "main sekarang") == "judi"
    assert screen("x", "dasar goblok semua") == "kasar"
    assert screen("x", "hubungi 0812 3456 7890 ya") == "kontak"


def test_comment_waits_for_moderation_then_shows_with_an_official_reply(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    app_env = AppEnv(tmp_path, seeded_db_file, newsroom_comment_limit=10)
    release = published_release(app_env)
    public = app_env.client()
    sent = _send(public, release.slug, "Sari", GENUINE)
    assert sent.status_code == 303 and sent.headers["location"].endswith("terkirim#komentar")
    assert GENUINE not in public.get(f"/rilis/{release.slug}").text
    spam = _send(public, release.slug, "Admin", "slot gacor maxwin www.contoh.xyz")
    bot = _send(public, release.slug, "Bot", "Informasi yang sangat bagus", trap="http://x")
    hostile = _send(public, release.slug, HOSTILE, HOSTILE)
    assert spam.status_code == bot.status_code == hostile.status_code == 303
    koord, token = logged_in(app_env, "rina")  # the release's agency moderates
    admin = koord.get(f"/kelola-rilis/{release.id}").text
    statuses = re.findall(r'id="queue-(\d+)" data-status="(\w+)"', admin)
    assert [s for _, s in statuses] == ["ditahan", "ditahan", "menunggu", "menunggu"]
    assert "<script>alert" not in admin
    genuine_id = statuses[2][0]
    url = f"/kelola-rilis/{release.id}/komentar/{genuine_id}/setujui"
    assert koord.post(url, data={"csrf_token": token}).status_code == 200
    reply = {"csrf_token": token, "reply_to": genuine_id, "text": "Ya, posko menerima semua warga."}
    assert koord.post(f"/kelola-rilis/{release.id}/balas", data=reply).status_code == 200
    page = public.get(f"/rilis/{release.slug}").text
    assert GENUINE in page and "Ya, posko menerima semua warga." in page
    assert 'class="nr-badge">Resmi<' in page and "maxwin" not in page
    with app_env.db.session() as s:
        mention = s.scalar(select(Mention).where(Mention.channel == "complaint"))
        assert mention is not None and mention.text == GENUINE
        actions = set(
            s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("comment.%")))
        )
        assert actions == {"comment.approve", "comment.reply"}
    other, other_token = logged_in(app_env, "budi")  # Balikpapan may not moderate Samarinda
    denied = f"/kelola-rilis/{release.id}/komentar/{statuses[0][0]}/setujui"
    assert other.post(denied, data={"csrf_token": other_token}).status_code == 403


def test_rate_limit_per_address_and_errors_name_the_field(app_env: AppEnv) -> None:
    release = published_release(app_env)
    public = app_env.client()
    empty = _send(public, release.slug, "", GENUINE)
    assert empty.status_code == 422 and "nama" in empty.text.lower()
    limit = app_env.settings.newsroom_comment_limit
    for i in range(limit):
        assert _send(public, release.slug, "Sari", f"{GENUINE} ({i})").status_code == 303
    refused = _send(public, release.slug, "Sari", GENUINE)
    assert refused.status_code == 429 and 'id="comment-error"' in refused.text
    assert _send(public, "tidak-ada-9", "Sari", GENUINE).status_code == 404
