"""First social, first news and the lag between them agree everywhere an issue is shown.

An issue built with known times (a first post on 20 November 12.04 WITA, a bunch of posts two
hours later, the first headline on 21 November 21.11 WITA: 33.1 hours) goes through the live
pipeline; the issue page, the JSON API and the daily report must all show those three figures,
and the lag must be the difference of the two times they show.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from tests.conftest import AppEnv

from pantau.flow import Pipeline
from pantau.store import Issue, Mention, Source

FIRST_SOCIAL = datetime(2026, 11, 20, 4, 4, tzinfo=UTC)  # 12.04 WITA
FIRST_NEWS = datetime(2026, 11, 21, 13, 11, tzinfo=UTC)  # 21.11 WITA, 33 h 7 min later
LEAD_HOURS = "33,1"  # (FIRST_NEWS - FIRST_SOCIAL) in hours, one decimal
POST = "banjir setinggi pinggang rendam rumah warga sempaja samarinda, motor mogok {i}"
HEADLINE = "Banjir Rendam Rumah Warga Sempaja Samarinda, BPBD Kerahkan Perahu {i}"


def _fill(env: AppEnv) -> None:
    rows = [("s0", POST.format(i=0), "social", FIRST_SOCIAL)]
    onset = FIRST_SOCIAL + timedelta(hours=2)
    rows += [(f"s{i}", POST.format(i=i), "social", onset + timedelta(minutes=4 * i))
             for i in range(1, 13)]  # fmt: skip
    rows += [(f"n{i}", HEADLINE.format(i=i), "news", FIRST_NEWS + timedelta(minutes=30 * i))
             for i in range(3)]  # fmt: skip
    with env.db.writer() as s:
        src = Source(name="uji", kind="mapping", channel="social")
        s.add(src)
        s.flush()
        for ext, text, channel, at in rows:
            title = text if channel == "news" else None
            s.add(Mention(source_id=src.id, external_id=ext, text=text, title=title,
                          channel=channel, published_at=at, author=f"akun{ext}"))  # fmt: skip


def test_first_social_first_news_and_lag_agree_on_page_api_and_report(app_env: AppEnv) -> None:
    _fill(app_env)
    Pipeline(app_env.db, app_env.settings).run_pending()
    with app_env.db.session() as s:
        [issue] = s.scalars(select(Issue).where(Issue.merged_into_id.is_(None))).all()
        assert issue.first_social_at.replace(tzinfo=UTC) == FIRST_SOCIAL
        assert issue.first_news_at.replace(tzinfo=UTC) == FIRST_NEWS
        assert issue.lead_time_seconds == (FIRST_NEWS - FIRST_SOCIAL).total_seconds()
        issue_id = issue.id
    c = app_env.client()
    app_env.login(c, "admin")

    html = c.get(f"/issues/{issue_id}").text
    shown = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html))
    assert "20" in shown["Pertama di media sosial"] and "12.04" in shown["Pertama di media sosial"]
    assert "21" in shown["Pertama di berita"] and "21.11" in shown["Pertama di berita"]
    assert shown["Jeda ke berita"] == f"{LEAD_HOURS} jam"

    api = c.get(f"/api/v1/issues/{issue_id}").json()
    social = datetime.fromisoformat(api["first_social_at"].replace("Z", "+00:00"))
    news = datetime.fromisoformat(api["first_news_at"].replace("Z", "+00:00"))
    assert social.astimezone(UTC) == FIRST_SOCIAL and news.astimezone(UTC) == FIRST_NEWS
    assert api["lead_time_seconds"] == (news - social).total_seconds()

    report = c.get("/reports/daily.html", params={"date": date(2026, 11, 21).isoformat()}).text
    assert f"{LEAD_HOURS} jam setelah muncul di medsos" in report
