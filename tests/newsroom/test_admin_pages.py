"""The agency's newsroom pages through the real forms: publish, embargo, correct, withdraw."""

from __future__ import annotations

import re

from tests.conftest import AppEnv
from tests.newsroom.fixtures import HEADLINE, approved_document, published_release
from tests.writing_web.desk_fixtures import add_issue, logged_in


def test_publish_form_needs_the_permission_and_schedules_an_embargo(app_env: AppEnv) -> None:
    issue_id = add_issue(app_env)
    with app_env.db.writer() as s:
        doc_id = approved_document(s, app_env.settings, issue_id=issue_id)
    analyst, token = logged_in(app_env, "rina")
    url = f"/kelola-rilis/terbitkan/{doc_id}"
    assert analyst.post(url, data={"csrf_token": token}).status_code == 403
    koord, token = logged_in(app_env, "koord")
    bad = koord.post(url, data={"csrf_token": token, "when": "later", "at": "kemarin"})
    assert bad.status_code == 422 and "YYYY-MM-DDTHH:MM" in bad.text
    done = koord.post(
        url,
        data={"csrf_token": token, "when": "later", "at": "2099-01-02T09:00"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    admin = koord.get(done.headers["location"])
    assert re.search(r'id="release-state">terjadwal<', admin.text)
    assert HEADLINE not in app_env.client().get("/rilis").text  # under embargo


def test_correction_shows_on_the_public_page_and_withdrawal_removes_it(app_env: AppEnv) -> None:
    release = published_release(app_env)
    public = app_env.client()
    assert public.get(f"/rilis/{release.slug}").status_code == 200  # cached from here on
    koord, token = logged_in(app_env, "koord")
    text = release.text.replace("24 jam", "sepanjang hari")
    note = "Jam layanan posko diperbarui."
    form = {"csrf_token": token, "text": text, "note": note}
    assert koord.post(f"/kelola-rilis/{release.id}/koreksi", data=form).status_code == 200
    page = public.get(f"/rilis/{release.slug}").text  # the correction emptied the cache
    assert note in page and 'id="correction"' in page and 'id="history"' in page
    short = koord.post(
        f"/kelola-rilis/{release.id}/tarik", data={"csrf_token": token, "reason": "x"}
    )
    assert short.status_code == 422 and 'id="release-error"' in short.text
    reason = {"csrf_token": token, "reason": "Data korban belum terverifikasi."}
    assert koord.post(f"/kelola-rilis/{release.id}/tarik", data=reason).status_code == 200
    assert public.get(f"/rilis/{release.slug}").status_code == 404
    assert release.title in koord.get("/kelola-rilis").text


def test_navigation_links_the_newsroom_pages_for_the_roles_that_may_use_them(
    app_env: AppEnv,
) -> None:
    def nav(username: str) -> str:
        client, _ = logged_in(app_env, username)
        page = client.get("/issues").text
        return page[page.index("<nav") : page.index("</nav>")]

    koord = nav("koord")
    assert 'href="/kelola-rilis"' in koord and 'href="/kelola-media"' in koord
    leader = nav("pimpinan")  # reads releases, keeps no media list
    assert 'href="/kelola-rilis"' in leader and 'href="/kelola-media"' not in leader
    client, _ = logged_in(app_env, "rina")
    current = client.get("/kelola-media").text
    assert re.search(r'href="/kelola-media" aria-current="page"', current)
