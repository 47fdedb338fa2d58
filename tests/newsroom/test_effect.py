"""The issue before and after its first statement: volume and negative share, on a real store."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from pantau.newsroom.effect import statement_turn
from pantau.store import Mention, Source
from pantau.store.types import utcnow
from tests.conftest import AppEnv
from tests.newsroom.fixtures import published_release
from tests.writing_web.desk_fixtures import add_issue, logged_in


def _posts(env: AppEnv, issue_id: int, hours: list[float], sentiment: str) -> None:
    now = utcnow()
    with env.db.writer() as s:
        source = s.scalar(select(Source).where(Source.name == "Sosmed"))
        if source is None:
            source = Source(name="Sosmed", kind="import", channel="social")
            s.add(source)
            s.flush()
        for h in hours:
            s.add(
                Mention(
                    source_id=source.id,
                    external_id=f"{sentiment}-{h}",
                    channel="social",
                    published_at=now + timedelta(hours=h),
                    text="posko banjir",
                    sentiment=sentiment,
                    issue_id=issue_id,
                )
            )


def test_volume_and_negative_share_turn_after_the_statement(app_env: AppEnv) -> None:
    issue_id = add_issue(app_env)
    _posts(app_env, issue_id, [-20, -10, -5, -2], "negative")
    _posts(app_env, issue_id, [-1, -30], "neutral")  # -30 h: outside the day before
    release = published_release(app_env, issue_id=issue_id)
    _posts(app_env, issue_id, [0.5], "negative")  # half an hour after
    with app_env.db.session() as s:
        assert statement_turn(s, issue_id + 1) is None
        turn = statement_turn(s, issue_id, now=release.published_at + timedelta(hours=25))
    assert turn is not None and turn.release_id == release.id and turn.complete
    assert (turn.before.mentions, turn.before.negative) == (5, 4)  # the official one left out
    assert (turn.after.mentions, turn.after.negative) == (1, 1)
    client, _ = logged_in(app_env, "koord")
    panel = client.get(f"/issues/{issue_id}/rilis").text
    assert 'id="statement-turn"' in panel and "80%" in panel
