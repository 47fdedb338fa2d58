"""Officers' sentiment corrections retrain the model, and the next analyzer reads with it.

Bontang's and Samarinda's Bugis-Makassar residents write "tena" (Makassar for "tidak", with the
particle "ji"): the shipped model, which learned Indonesian from reviews and tweets, reads
"tena bagus ji" as praise (it reads the Banjar "kada" since the regional negators were added,
so the Banjar posts this test used no longer need an officer). Officers correct those mentions
through the API; ``pantau labels retrain`` learns from the corrections on a real SQLite store,
installs the model in the data directory, and both ``pantau analyze`` and the pipeline read the
next posts with it.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pantau.cli import _load, app
from pantau.flow import Pipeline
from pantau.store import Mention, Source
from pantau.text.sentiment import RETRAINED_STEM
from tests.alerts.support import make_env
from tests.workflow.test_corrections import T0
from tests.workflow.test_workflow import Actor

SUBJECTS = [
    "pelayanan puskesmas",
    "air pdam",
    "jalan poros",
    "sinyal internet",
    "lampu jalan",
    "pasar segiri",
    "sekolah anakku",
    "bantuan sembako",
    "angkot",
    "listrik pln",
    "trotoar",
    "drainase",
]
WORDS = ["bagus", "ramah", "lancar", "bersih"]
# Combinations no officer corrected: the model must carry "tena" to them.
PROBES = [
    "pelayanan kelurahan di sini tena ramah ji",
    "halte bus di sini tena bersih ji",
    "terminal di sini tena bagus ji",
]


@pytest.fixture
def env(tmp_path: Path, seeded_db_file: Path):  # type: ignore[no-untyped-def]
    e = make_env(tmp_path, seeded_db_file)
    yield e
    e.db.dispose()


def _post(env, texts: list[str]) -> list[int]:  # type: ignore[no-untyped-def]
    """Store citizens' posts and run the pipeline over them once."""
    with env.db.writer() as s:
        source = s.scalar(select(Source).where(Source.name == "warga"))
        if source is None:
            source = Source(name="warga", kind="mapping", channel="social")
            s.add(source)
            s.flush()
        start = s.scalar(select(func.count(Mention.id))) or 0
        mentions = [
            Mention(
                source_id=source.id,
                external_id=f"w{n}",
                text=text,
                channel="social",
                author=f"warga{n}",
                published_at=T0 + timedelta(minutes=n),
            )
            for n, text in enumerate(texts, start=start)
        ]
        s.add_all(mentions)
        s.flush()
        ids = [m.id for m in mentions]
    Pipeline(env.db, env.settings).run_pending()
    return ids


def _analyze(probes: list[str], tmp: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    source = tmp / "probes.jsonl"
    source.write_text("".join(json.dumps({"text": t}) + "\n" for t in probes), encoding="utf-8")
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp))
    done = CliRunner().invoke(app, ["analyze", "--input", str(source)])
    assert done.exit_code == 0, done.output
    return [json.loads(line)["sentiment"]["label"] for line in done.stdout.splitlines()]


@pytest.mark.slow
def test_corrections_retrain_the_model_that_analyze_then_uses(  # type: ignore[no-untyped-def]
    env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load()
    ids = _post(env, [f"{s} di sini tena {w} ji" for s in SUBJECTS for w in WORDS])
    with env.db.session() as s:
        read = {mid: label for mid, label in s.execute(select(Mention.id, Mention.sentiment))}
    assert sum(read[i] != "negative" for i in ids) > len(ids) // 2, "the shipped model misreads"
    before = _analyze(PROBES, tmp_path, monkeypatch)
    assert before == ["positive"] * len(PROBES)

    koord = Actor(env, "koord")
    for mid in ids:
        koord.post(f"/mentions/{mid}/labels", {"sentiment": "negative"})
    koord.post(f"/mentions/{ids[0]}/labels", {"sentiment": "negative"})  # twice: counted once

    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    done = CliRunner().invoke(
        app, ["labels", "retrain", "--database-url", env.settings.database_url]
    )
    assert done.exit_code == 0, done.output
    stem = tmp_path / RETRAINED_STEM
    assert stem.with_suffix(".npz").exists() and stem.with_suffix(".json").exists()
    provenance = json.loads(stem.with_name("sentiment.provenance.json").read_text("utf-8"))
    assert provenance["accepted"] is True
    assert provenance["corrections"] == len(ids) + 1 and provenance["duplicates"] == 1
    assert provenance["trained_on"] + provenance["held_aside"] == len(ids)
    assert provenance["held_aside"] >= 5
    new, old = provenance["scores"]["candidate"], provenance["scores"]["current"]
    assert new["office_held_aside"] > old["office_held_aside"]
    assert new["smsa_valid"] >= old["smsa_valid"] - 0.005
    assert json.loads(done.stdout.splitlines()[0])["trained_on"] == provenance["trained_on"]

    assert _analyze(PROBES, tmp_path, monkeypatch) == ["negative"] * len(PROBES)
    [later] = _post(env, ["toilet umum di sini tena rapi ji"])  # a new pipeline reads with it
    with env.db.session() as s:
        assert s.get(Mention, later).sentiment == "negative"


def test_retrain_refuses_too_few_corrections(env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _load()
    [mid] = _post(env, ["air pdam di sini tena lancar ji"])
    Actor(env, "koord").post(f"/mentions/{mid}/labels", {"sentiment": "negative"})
    done = CliRunner().invoke(
        app, ["labels", "retrain", "--database-url", env.settings.database_url]
    )
    assert done.exit_code == 2
    assert "koreksi lebih banyak sebutan dulu" in done.output
    assert not (tmp_path / RETRAINED_STEM).with_suffix(".npz").exists()
