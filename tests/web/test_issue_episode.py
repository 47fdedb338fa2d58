"""The issue page names an issue's earlier episode and shows its representative post."""

from __future__ import annotations

from tests.conftest import AppEnv

from pantau.store import Issue


def test_a_returning_issue_links_its_earlier_episode_and_shows_its_post(app_env: AppEnv) -> None:
    with app_env.db.writer() as s:
        old = Issue(key="isu-3", label="Banjir di Sempaja, Samarinda", stage="dormant")
        new = Issue(
            key="isu-40",
            label="Banjir di Bengkuring, Samarinda",
            stage="emerging",
            summary={"previous_episode": "isu-3", "representative": "banjir <b>lg</b> 😭"},
        )
        s.add_all([old, new])
        s.flush()
        old_id, new_id = old.id, new.id
    c = app_env.client()
    app_env.login(c, "rina")
    html = c.get(f"/issues/{new_id}").text
    assert "Muncul kembali" in html
    assert f'<a href="/issues/{old_id}">Banjir di Sempaja, Samarinda</a>' in html
    assert "banjir &lt;b&gt;lg&lt;/b&gt; 😭" in html  # the post beside the title, escaped
    assert "Muncul kembali" not in c.get(f"/issues/{old_id}").text
