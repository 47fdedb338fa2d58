"""How a case ended: volume and net sentiment a day before and after the first public statement,
computed from the mentions, shown on the case and its PDF, and said in the similar-case reason."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from pantau.store.models import Issue, Mention, Source
from pantau.store.workflow_models import IssueAction
from tests.conftest import AppEnv
from tests.workflow.test_cases import _close, _issue, env
from tests.workflow.test_workflow import Actor

__all__ = ["conversation", "env"]

LESSON = "Holding statement dalam 2 jam dan posko di kelurahan meredam keluhan warga."


def conversation(env: AppEnv, issue_id: int, before: list[str], after: list[str]) -> datetime:
    """Mentions of ``issue_id`` with these sentiments, hourly up to and from its first statement;
    the issue is first seen an hour before the statement. Returns the statement's time."""
    with env.db.writer() as s:
        at = s.scalar(
            select(IssueAction.at)
            .where(IssueAction.issue_id == issue_id, IssueAction.kind == "holding_statement")
            .order_by(IssueAction.at)
        )
        assert at is not None
        source = s.scalar(select(Source).where(Source.name == "Percakapan uji"))
        if source is None:
            source = Source(name="Percakapan uji", kind="push", channel="social")
            s.add(source)
            s.flush()
        times = [at - timedelta(hours=n + 1) for n in range(len(before))]
        times += [at + timedelta(hours=n) for n in range(len(after))]
        for n, (when, feeling) in enumerate(zip(times, [*before, *after], strict=True)):
            s.add(
                Mention(
                    source_id=source.id,
                    external_id=f"{issue_id}-{n}",
                    channel="social",
                    text=f"banjir sempaja {n}",
                    published_at=when,
                    sentiment=feeling,
                    issue_id=issue_id,
                )
            )
        s.add(Mention(source_id=source.id, external_id=f"{issue_id}-late", channel="social",
                      text="jauh sesudahnya", published_at=at + timedelta(days=3),
                      sentiment="negative", issue_id=issue_id))  # fmt: skip
        issue = s.get(Issue, issue_id)
        assert issue is not None
        issue.first_seen = at - timedelta(hours=1)
    return at


def test_the_case_says_how_it_ended_after_the_first_statement(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    old = _issue(env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    _close(rina, old, LESSON, ["holding_statement", "siaran_pers"])
    conversation(env, old, ["negative"] * 8 + ["neutral"] * 2, ["neutral"] * 4 + ["positive"])

    outcome = rina.get(f"/cases/{old}")["outcome"]
    assert outcome["response_hours"] == 1.0
    assert outcome["before"] == {"mentions": 10, "net_sentiment": -0.8}
    assert outcome["after"] == {"mentions": 5, "net_sentiment": 0.2}  # the late one is outside
    page = rina.client.get(f"/kasus/{old}").text
    assert 'data-change="membaik"' in page
    assert "Respons cepat, sentimen membaik dalam 24 jam, volume turun 50%" in page
    pdf = rina.client.get(f"/api/v1/cases/{old}/brief.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    new = _issue(env, "Sempaja kembali banjir setinggi lutut", ["banjir", "sempaja"])
    (case,) = [c for c in rina.get(f"/issues/{new}/cases") if c["issue_id"] == old]
    assert case["reason"] == (
        "sama-sama banjir di Kota Samarinda, respons cepat, sentimen membaik dalam 24 jam, "
        "volume turun 50%"
    )


def test_no_statement_no_outcome_and_a_thin_day_names_no_change(env: AppEnv) -> None:
    rina = Actor(env, "rina")
    quiet = _issue(env, "Banjir rendam Sempaja, warga mengungsi", ["banjir", "sempaja"])
    _close(rina, quiet, LESSON, ["cek_lapangan"])
    assert rina.get(f"/cases/{quiet}")["outcome"] is None
    assert "Tidak ada pernyataan publik tercatat" in rina.client.get(f"/kasus/{quiet}").text

    thin = _issue(env, "Banjir lagi di Sempaja", ["banjir", "sempaja"])
    _close(rina, thin, LESSON, ["holding_statement"])
    conversation(env, thin, ["negative"] * 3, ["positive"] * 3)
    outcome = rina.get(f"/cases/{thin}")["outcome"]
    assert outcome["before"]["mentions"] == 3 and outcome["after"]["net_sentiment"] == 1.0
    page = rina.client.get(f"/kasus/{thin}").text
    assert 'data-change=""' in page and "Respons cepat." in page  # three posts say nothing
