"""Pick-up: a news article copying a release is linked to it, an independent report is not."""

from __future__ import annotations

from datetime import timedelta

from pantau.newsroom.pickup import issue_pickups, link_pickups, news_part, overlap, shingles
from pantau.store.newsroom_models import Release
from pantau.store.types import utcnow
from tests.conftest import AppEnv
from tests.newsroom.fixtures import news_article, published_release
from tests.writing_web.desk_fixtures import add_issue, logged_in

#: An independent report of the same event, written without the release (no shared sentences).
INDEPENDENT = (
    "Hujan sejak Senin malam membuat Sungai Karang Mumus meluap. Ketua RT setempat menyebut "
    "genangan setinggi lutut orang dewasa dan warga mengungsi ke rumah kerabat."
)


def test_copied_article_is_linked_with_outlet_lag_and_change(app_env: AppEnv) -> None:
    issue_id = add_issue(app_env)
    release = published_release(app_env, issue_id=issue_id)
    story = news_part(release.text)
    paragraphs = [p for p in story.split("\n") if p.strip()]
    # An outlet's rewrite: its own opening, then the release's lead and the next paragraphs.
    copied = "Warga Sempaja kini punya tempat mengungsi.\n" + "\n".join(paragraphs[:4])
    copy_id = news_article(app_env, "Pemkot Buka Posko Banjir", copied, 40, "Kaltim Post")
    news_article(app_env, "Karang Mumus Meluap", INDEPENDENT, 55, "Tribun Kaltim")
    with app_env.db.writer() as s:
        assert link_pickups(s) == 1
        assert link_pickups(s) == 0  # idempotent
        [pick] = issue_pickups(s, issue_id)
    assert pick.mention_id == copy_id and pick.outlet == "Kaltim Post"
    assert 0 < pick.changed < 0.5 and pick.carried >= 0.25
    assert pick.lag_seconds is not None and 39 * 60 <= pick.lag_seconds <= 41 * 60
    koord, _ = logged_in(app_env, "koord")
    admin = koord.get(f"/kelola-rilis/{release.id}").text
    assert 'id="pickup-table"' in admin and "Kaltim Post" in admin
    panel = koord.get(f"/issues/{issue_id}/rilis").text
    assert "Kaltim Post" in panel and release.title in panel and "Tribun" not in panel


def test_overlap_of_independent_texts_is_far_below_the_threshold() -> None:
    release = shingles("Pemerintah Kota Samarinda membuka tiga posko pengungsian bagi warga.")
    assert overlap(release, shingles(INDEPENDENT)) == (0.0, 0.0)
    assert overlap(frozenset(), shingles(INDEPENDENT)) == (0.0, 0.0)


def test_newsroom_sync_command_links_pickup_and_lifts_embargo(app_env: AppEnv) -> None:
    from typer.testing import CliRunner

    from pantau.cli import _load, app

    _load()
    release = published_release(app_env, at=utcnow() + timedelta(hours=1))
    with app_env.db.writer() as s:  # an hour later: the embargo has passed
        s.get(Release, release.id).published_at = utcnow() - timedelta(minutes=1)
    news_article(app_env, "Salinan", news_part(release.text), 30, "Kaltim Post")
    env = {"PANTAU_DATABASE_URL": app_env.settings.database_url}
    result = CliRunner().invoke(app, ["newsroom", "sync"], env=env)
    assert result.exit_code == 0, result.output
    assert "rilis_masuk_pemantauan: 1" in result.output
    assert "pemberitaan_baru: 1" in result.output
