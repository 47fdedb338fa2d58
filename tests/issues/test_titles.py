"""Issue titles: short, readable, from the headline or the key words and place, and stable."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from pantau.issues import IssueTracker, Mention
from pantau.issues.titles import MAX_TITLE_WORDS, TitleKeeper, headline_title, phrase_title
from pantau.settings import Settings

T0 = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
#: Letters, digits, spaces and plain punctuation: what a title may hold (no emoji, no markup).
PLAIN = re.compile(r"^[\w\s.,:;!?()'\"/%&-]+$")
REGIONS = [{"code": "64.72.05.1002", "name": "Air Hitam"}, {"code": "64.72", "name": "Samarinda"}]
POSTS = (
    "banjir lg di Air Hitam samarinda, air udh selutut 😭 motor mogok smua {i}",
    "Ya Allah Air Hitam banjir parahhh, anak2 gak bisa sekolah {i} 🙏",
    "rumah kami di Air Hitam kemasukan air banjir lagi, kasur basah {i}. pemkot kmn?",
)


def _post(i: int, at: datetime) -> Mention:
    return Mention.from_dict(
        {"id": f"s{i}", "text": POSTS[i % 3].format(i=i), "published_at": at.isoformat(),
         "regions": REGIONS}
    )  # fmt: skip


def test_a_headline_loses_its_outlet_and_symbols_and_keeps_twelve_words() -> None:
    assert headline_title("Banjir Rendam Sempaja 🌊 | Tribun Kaltim") == "Banjir Rendam Sempaja"
    long = (
        "Hujan Deras Sejak Subuh, Ratusan Rumah di Sempaja dan Bengkuring Terendam Banjir "
        "Setinggi Pinggang Orang Dewasa"
    )
    title = headline_title(long)
    assert (
        title == "Hujan Deras Sejak Subuh, Ratusan Rumah di Sempaja dan Bengkuring Terendam Banjir"
    )
    assert len(title.split()) <= MAX_TITLE_WORDS
    cut = headline_title(
        "Satu dua tiga empat lima enam, tujuh delapan sembilan sepuluh sebelas dua tiga"
    )
    assert cut == "Satu dua tiga empat lima enam"  # at the comma, not in mid-phrase


def test_a_title_without_news_is_key_words_and_place_without_emoji_or_slang() -> None:
    words = [("banget", 9), ("wajah_menangis_keras", 9), ("air", 9), ("banjir", 8),
             ("hitam", 8), ("wilayah:64.72", 8), ("motor", 3)]  # fmt: skip
    title = phrase_title(words, ["Air Hitam", "Samarinda"], "banjir di Air Hitam, air selutut")
    assert title == "Banjir di Air Hitam, Samarinda"
    assert phrase_title([], ["Samarinda"]) == "Samarinda"


def test_a_shown_title_changes_only_for_news_or_a_much_bigger_issue() -> None:
    keeper = TitleKeeper()
    shown = [keeper.offer(f"judul {size}", size, False) for size in range(1, 40)]
    assert len(set(shown)) == 3 and shown[0] == "judul 1"  # at 1, at 10 and at 30
    assert keeper.offer("Banjir Rendam Sempaja", 40, True) == "Banjir Rendam Sempaja"
    assert keeper.offer("judul 41", 41, False) == "Banjir Rendam Sempaja"


def test_the_tracker_titles_an_issue_and_keeps_its_representative_post() -> None:
    tracker = IssueTracker(Settings.from_env({}))
    titles = []
    for i in range(30):
        issue = tracker.update(_post(i, T0 + timedelta(minutes=3 * i))).issue
        summary = tracker.summary(issue or "")
        assert summary is not None
        titles.append(summary.title)
    title = titles[-1]
    assert PLAIN.match(title) and len(title.split()) <= MAX_TITLE_WORDS, title
    assert title.startswith("Banjir") and "Air Hitam" in title, title
    assert "😭" in summary.label or "🙏" in summary.label or "pemkot" in summary.label
    assert len(set(titles)) <= 3  # no flicker while it grew to thirty posts
    alerts = [a for a in tracker.drain_alerts() if a.kind == "stage"]
    assert alerts and all(PLAIN.match(a.title) for a in alerts)
    headline = "Banjir Rendam Ratusan Rumah di Air Hitam, BPBD Kerahkan Perahu - Kaltim Post"
    news = Mention.from_dict({"id": "n1", "text": headline, "title": headline, "channel": "news",
                              "published_at": (T0 + timedelta(hours=3)).isoformat(),
                              "regions": REGIONS})  # fmt: skip
    issue = tracker.update(news).issue
    summary = tracker.summary(issue or "")
    assert summary is not None
    assert summary.title == "Banjir Rendam Ratusan Rumah di Air Hitam, BPBD Kerahkan Perahu"
