"""Helpers of the newsroom tests: an approved release of an issue, published by koord."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.newsroom import ReleaseView, publish
from pantau.settings import Settings
from pantau.store import Mention, Source, User
from pantau.store.types import utcnow
from pantau.workflow.permissions import Principal
from pantau.workflow.users import principal_of
from pantau.writing import desk, example_fields
from tests.conftest import AppEnv
from tests.writing_web.desk_fixtures import add_issue

HEADLINE = "Pemkot Samarinda Buka Posko Pengungsian Banjir Sempaja"


def principal(s: Session, username: str) -> Principal:
    user = s.scalar(select(User).where(User.username == username))
    assert user is not None
    return principal_of(user)


def approved_document(
    s: Session, settings: Settings, *, issue_id: int | None, headline: str = HEADLINE
) -> int:
    """A siaran pers written by rina (Samarinda), sent for review, approved by koord."""
    facts = {**example_fields("siaran_pers"), "headline": headline}
    author, editor = principal(s, "rina"), principal(s, "koord")
    doc = desk.create_document(s, author, "siaran_pers", facts, settings, issue_id=issue_id)
    desk.transition(s, author, doc.id, "ditinjau", settings)
    desk.transition(s, editor, doc.id, "disetujui", settings)
    return doc.id


def published_release(
    env: AppEnv,
    *,
    headline: str = HEADLINE,
    issue_id: int | None = None,
    at: datetime | None = None,
) -> ReleaseView:
    """An issue (unless given), its approved release, published by koord (now or at ``at``)."""
    if issue_id is None:
        issue_id = add_issue(env)
    with env.db.writer() as s:
        doc_id = approved_document(s, env.settings, issue_id=issue_id, headline=headline)
        return publish(s, principal(s, "koord"), doc_id, env.settings, at=at)


def news_article(env: AppEnv, title: str, text: str, minutes: int, outlet: str) -> int:
    """A news mention ``minutes`` after now, from ``outlet``'s feed."""
    with env.db.writer() as s:
        source = Source(name=f"Feed {outlet}", kind="rss", channel="news", outlet=outlet)
        s.add(source)
        s.flush()
        mention = Mention(
            source_id=source.id,
            external_id=f"{outlet}-{minutes}",
            url=f"https://{outlet.lower().replace(' ', '')}.example/berita/{minutes}",
            channel="news",
            outlet=outlet,
            published_at=utcnow() + timedelta(minutes=minutes),
            title=title,
            text=text,
        )
        s.add(mention)
        s.flush()
        return mention.id
