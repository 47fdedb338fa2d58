"""People correct the machine through the API, and the live pipeline keeps their decisions.

Real mentions go through the real pipeline; a coordinator splits the water-supply complaints out
of a flood issue, merges two copies of one issue, dismisses a gambling promotion and renames an
issue; then new mentions arrive and must follow those decisions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from pantau.flow import Pipeline
from pantau.store import Alert, Issue, Mention, Source
from pantau.store.models import StageState
from tests.alerts.support import make_env
from tests.workflow.test_workflow import Actor

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=6)
FLOOD = "banjir di sempaja samarinda, air masuk rumah warga setinggi lutut {i}"
PDAM = "air pdam keruh di sempaja samarinda, warga tidak bisa mandi {i}"
SLOT = "slot gacor hari ini maxwin, daftar sekarang link di bio {i}"  # noise: never an issue
VIRAL = "video kucing lucu di pasar pagi samarinda viral, gemas banget {i}"  # not a public matter
#: The same flood in other words: the machine keeps it apart, a person knows it is one matter.
SAME_FLOOD = "genangan setinggi paha belum surut, anak sekolah diliburkan, ibu-ibu mengungsi {i}"


@pytest.fixture
def env(tmp_path: Path, seeded_db_file: Path):  # type: ignore[no-untyped-def]
    e = make_env(tmp_path, seeded_db_file)
    yield e
    e.db.dispose()


class Stream:
    def __init__(self, env) -> None:  # type: ignore[no-untyped-def]
        self.env, self.n = env, 0
        with env.db.writer() as s:
            src = Source(name="uji", kind="mapping", channel="social")
            s.add(src)
            s.flush()
            self.source = src.id

    def add(self, template: str, count: int, *, step: int = 2) -> list[int]:
        ids = []
        with self.env.db.writer() as s:
            for _ in range(count):
                self.n += 1
                m = Mention(
                    source_id=self.source,
                    external_id=f"m{self.n}",
                    text=template.format(i=self.n),
                    channel="social",
                    author=f"warga{self.n}",
                    published_at=T0 + timedelta(minutes=step * self.n),
                )
                s.add(m)
                s.flush()
                ids.append(m.id)
        Pipeline(self.env.db, self.env.settings).run_pending()
        return ids

    def issue_of(self, ids: list[int]) -> set[int | None]:
        with self.env.db.session() as s:
            return set(s.scalars(select(Mention.issue_id).where(Mention.id.in_(ids))))


def test_a_split_stays_split_and_new_posts_follow_it(env) -> None:  # type: ignore[no-untyped-def]
    stream = Stream(env)
    flood = stream.add(FLOOD, 10)
    pdam = stream.add(PDAM, 6)
    [mixed] = stream.issue_of(flood + pdam)  # the machine put the two mandates together
    koord = Actor(env, "koord")
    out = koord.post(f"/issues/{mixed}/split", {"phrase": "pdam", "label": "Air PDAM keruh"})
    water = out["issue_id"]
    assert stream.issue_of(pdam) == {water} and stream.issue_of(flood) == {mixed}
    assert koord.get(f"/issues/{water}")["label"] == "Air PDAM keruh"
    for _ in range(3):  # new posts of both kinds, interleaved, over several batches
        assert stream.issue_of(stream.add(PDAM, 3)) == {water}
        assert stream.issue_of(stream.add(FLOOD, 3)) == {mixed}
    with env.db.session() as s:
        assert s.get(Issue, water).merged_into_id is None  # never merged back
        assert s.get(Issue, water).size == 15 and s.get(Issue, mixed).size == 19
        assert s.get(Issue, water).label == "Air PDAM keruh"  # the person's name stays


def test_merging_two_copies_sends_new_posts_to_the_survivor(env) -> None:  # type: ignore[no-untyped-def]
    stream = Stream(env)
    first = stream.add(FLOOD, 8)
    stream.add(SLOT, 8)  # something else in between
    second = stream.add(SAME_FLOOD, 8, step=400)
    a, b = stream.issue_of(first).pop(), stream.issue_of(second).pop()
    assert a != b
    koord = Actor(env, "koord")
    koord.post(f"/issues/{b}/merge", {"into_id": a})
    assert stream.issue_of(second) == {a}
    later = stream.add(SAME_FLOOD, 4)
    assert stream.issue_of(later) == {a}
    issues = {i["id"] for i in koord.get("/issues?limit=100")["items"]}
    assert a in issues and b not in issues


def test_a_dismissed_pattern_never_comes_back(env) -> None:  # type: ignore[no-untyped-def]
    stream = Stream(env)
    assert stream.issue_of(stream.add(SLOT, 6, step=1)) == {None}  # gambling: noise, no issue
    spam = stream.add(VIRAL, 12, step=1)
    [issue] = stream.issue_of(spam)
    koord = Actor(env, "koord")
    answer = koord.post(f"/issues/{issue}/dismiss", {"reason": "video hiburan, bukan isu publik"})
    assert answer["dismissed"] is True
    assert issue not in {i["id"] for i in koord.get("/issues?limit=100")["items"]}
    with env.db.session() as s:
        alerts_before = s.scalar(select(func.count(Alert.id)))
    stream.add(VIRAL, 20, step=1)  # it keeps coming, faster
    with env.db.session() as s:
        assert s.scalar(select(func.count(Alert.id))) == alerts_before
    with env.db.writer() as s:  # the tracker forgets everything (a fresh start) ...
        s.execute(delete(StageState))
    again = stream.add(VIRAL, 12, step=1)
    [reborn] = stream.issue_of(again)
    with env.db.session() as s:  # ... and still knows the pattern from the store
        assert reborn == issue or s.get(Issue, reborn).dismissed_at is not None
    assert reborn not in {i["id"] for i in koord.get("/issues?limit=100")["items"]}
    koord.post(f"/issues/{issue}/restore")
    assert issue in {i["id"] for i in koord.get("/issues?limit=100")["items"]}


def test_moving_and_removing_mentions(env) -> None:  # type: ignore[no-untyped-def]
    stream = Stream(env)
    flood = stream.add(FLOOD, 8)
    pdam = stream.add(PDAM, 4)
    [mixed] = stream.issue_of(flood + pdam)
    koord = Actor(env, "koord")
    out = koord.post(f"/issues/{mixed}/split", {"mention_ids": pdam[:2]})
    water = out["issue_id"]
    koord.post("/mentions/move", {"mention_ids": pdam[2:], "to_issue_id": water})
    assert stream.issue_of(pdam) == {water}
    koord.post("/mentions/move", {"mention_ids": [flood[0]], "to_issue_id": None,
                                  "reason": "salah masuk, iklan"})  # fmt: skip
    assert stream.issue_of([flood[0]]) == {None}
    refused = koord.post("/mentions/move", {"mention_ids": [flood[1]], "to_issue_id": None}, 422)
    assert refused["detail"]["field"] == "reason"
    with env.db.session() as s:
        assert s.get(Issue, mixed).size == 7 and s.get(Issue, water).size == 4


def test_corrections_are_checked_per_agency(env) -> None:  # type: ignore[no-untyped-def]
    from tests.alerts.support import add_issue, agency_id

    samarinda = add_issue(env, "Isu Samarinda", agency=agency_id(env, "Diskominfo Samarinda"))
    balikpapan = add_issue(env, "Isu Balikpapan", agency=agency_id(env, "Diskominfo Balikpapan"))
    rina, budi, pimpinan = Actor(env, "rina"), Actor(env, "budi"), Actor(env, "pimpinan")
    rina.post(f"/issues/{samarinda}/rename", {"label": "Banjir Sempaja"})
    budi.post(f"/issues/{samarinda}/rename", {"label": "bukan urusan saya"}, 403)
    pimpinan.post(f"/issues/{samarinda}/dismiss", {"reason": "tidak relevan"}, 403)
    rina.post(f"/issues/{balikpapan}/merge", {"into_id": samarinda}, 403)
    rina.post(f"/issues/{samarinda}/merge", {"into_id": samarinda}, 422)


def test_the_issue_page_corrections_panel(env) -> None:  # type: ignore[no-untyped-def]
    stream = Stream(env)
    flood = stream.add(FLOOD, 8)
    pdam = stream.add(PDAM, 4)
    [mixed] = stream.issue_of(flood + pdam)
    koord = Actor(env, "koord")
    page = koord.client.get(f"/issues/{mixed}").text
    assert "Koreksi pengelompokan" in page and "Pisahkan sebutan yang memuat frasa" in page

    def form(op: str, **data: str):  # type: ignore[no-untyped-def]
        return koord.client.post(
            f"/issues/{mixed}/koreksi/{op}",
            data={"csrf_token": koord.token, **data},
            follow_redirects=False,
        )

    resp = form("split", phrase="pdam", label="Air <b>PDAM</b> keruh")
    assert resp.status_code == 303 and resp.headers["location"] != f"/issues/{mixed}"
    new_page = koord.client.get(resp.headers["location"]).text
    assert "Air &lt;b&gt;PDAM&lt;/b&gt; keruh" in new_page  # a person's title is escaped too
    assert form("merge", into_id="abc").status_code == 422
    assert form("rename", label="Banjir Sempaja").status_code == 303
    assert form("dismiss", reason="uji").status_code == 422  # too short a reason
    assert form("dismiss", reason="bukan isu publik").status_code == 303
    assert "Diabaikan sebagai derau" in koord.client.get(f"/issues/{mixed}").text
    leader = Actor(env, "pimpinan")
    refused = leader.client.post(
        f"/issues/{mixed}/koreksi/restore", data={"csrf_token": leader.token}
    )
    assert refused.status_code == 403


def test_officers_correct_sentiment_and_regions_and_export_them(env) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from pantau.cli import _load, app

    stream = Stream(env)
    [first, *_] = stream.add(FLOOD, 3)
    rina = Actor(env, "rina")
    out = rina.post(f"/mentions/{first}/labels", {"sentiment": "negative", "regions": ["64.72.05"]})
    assert out["sentiment"] == "negative" and out["regions"] == ["64.72.05"]
    with env.db.session() as s:  # no tier reads a corrected sentiment again
        assert s.get(Mention, first).sentiment_tier == "officer"
    bad = rina.post(f"/mentions/{first}/labels", {"sentiment": "marah"}, 422)
    assert bad["detail"]["field"] == "sentiment"
    bad = rina.post(f"/mentions/{first}/labels", {"regions": ["99.99"]}, 422)
    assert bad["detail"]["field"] == "regions"
    Actor(env, "pimpinan").post(f"/mentions/{first}/labels", {"sentiment": "positive"}, 403)
    _load()
    done = CliRunner().invoke(
        app, ["labels", "export", "--database-url", env.settings.database_url]
    )
    assert done.exit_code == 0, done.output
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert {(r["field"], str(r.get(r["field"]))) for r in rows} == {
        ("sentiment", "negative"),
        ("regions", "['64.72.05']"),
    }
    assert all(r["text"].startswith("banjir di sempaja") for r in rows)
