"""A lone post folded into its story by the second look is moved there in the store too.

The first post about a pump failure arrives before the flood it belongs to has an issue, so it
opens one of its own and is stored so; once the flood is an established issue and the stream
has moved on (a post six hours later, in a later round), the live pipeline's tracker folds it
in, and the store follows: the lone issue is marked merged into the flood and its mention
belongs to the flood, as ``pantau replay`` would report it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from tests.conftest import AppEnv

from pantau.flow import Pipeline
from pantau.issues.cluster_merging import LOOK_AFTER_SECONDS
from pantau.store import Issue, Mention, Source

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
LONE = "genangan belum surut, pompa mati sejak subuh, mesinnya rusak"
FLOOD = "banjir rendam rumah warga sempaja air setinggi lutut pengungsi bertambah {i}"
LATER = "harga cabai rawit naik lagi di pasar segiri pagi ini"


def _fill(env: AppEnv, rows: list[tuple[str, str, datetime]]) -> None:
    with env.db.writer() as s:
        src = s.scalar(select(Source).where(Source.name == "uji"))
        if src is None:
            src = Source(name="uji", kind="mapping", channel="social")
            s.add(src)
            s.flush()
        for ext, text, at in rows:
            s.add(Mention(source_id=src.id, external_id=ext, text=text, channel="social",
                          published_at=at, author=f"akun{ext}"))  # fmt: skip


def test_a_lone_post_folded_by_the_second_look_moves_to_its_story_in_the_store(
    app_env: AppEnv,
) -> None:
    rows = [("lone", LONE, T0)]
    for i in range(24):
        text = FLOOD.format(i=i) + (", pompa mati, genangan belum surut" if i % 4 == 3 else "")
        rows.append((f"f{i}", text, T0 + timedelta(minutes=30 + 5 * i)))
    _fill(app_env, rows)
    pipeline = Pipeline(app_env.db, app_env.settings)
    pipeline.run_pending()
    with app_env.db.session() as s:
        lone = s.scalar(select(Mention.issue_id).where(Mention.external_id == "lone"))
        assert lone != s.scalar(select(Mention.issue_id).where(Mention.external_id == "f0"))
    _fill(app_env, [("later", LATER, T0 + timedelta(seconds=LOOK_AFTER_SECONDS + 600))])
    pipeline.run_pending()
    with app_env.db.session() as s:
        issue_of = {
            ext: issue for ext, issue in s.execute(select(Mention.external_id, Mention.issue_id))
        }
        flood = issue_of["f0"]
        assert {issue_of[f"f{i}"] for i in range(24)} == {flood}
        assert issue_of["lone"] == flood
        assert s.get(Issue, lone).merged_into_id == flood  # type: ignore[union-attr]
