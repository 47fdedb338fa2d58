"""Ingest's JSON API: the push endpoint, source health and the quarantine.

``POST /api/v1/mentions`` lets other systems send mentions in batches;
``GET /api/v1/sources/health`` backs the source-health page, ``GET /api/v1/quarantine`` and
``POST /api/v1/quarantine/{id}/retry`` the quarantine page.

Authentication is a per-source bearer token (stored hashed, see ``pantau source add --token``).
The call is idempotent on (source, external id): sending a batch twice, even at the same time,
stores each mention once. Each item gets its own result; an invalid item is rejected alone
(status 422 in its result, and quarantined with its reason), the others are stored.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, BeforeValidator, Field, ValidationError

from pantau.ingest.connector import RecordError
from pantau.ingest.limits import MAX_COUNT, RecordLimits
from pantau.ingest.readers import QUARANTINE_PAYLOAD_CHARS, decode_json
from pantau.ingest.sink import check_mention, write_checked, write_quarantine
from pantau.ingest.sources import source_for_token
from pantau.records import MentionIn, QuarantineItem, scrub
from pantau.web.security import guard
from pantau.workflow.permissions import Principal

__all__ = [
    "ItemResult",
    "MentionPush",
    "PushResponse",
    "QuarantineOut",
    "SourceHealthOut",
    "router",
]

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1", tags=["ingest"])


def _id_text(value: Any) -> Any:
    """Platform ids are often numbers (tweet and video ids): take an integer as its digits."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


ExternalId = Annotated[str, BeforeValidator(_id_text), Field(min_length=1, max_length=255)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


class MentionPush(BaseModel):
    """One pushed mention."""

    external_id: ExternalId
    text: str = Field(min_length=1)
    channel: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    author_followers: Count | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    likes: Count = 0
    shares: Count = 0
    comments: Count = 0
    views: Count = 0
    platform: str | None = None
    lang: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


class ItemResult(BaseModel):
    """What happened to one item: ``created``, ``duplicate`` or ``rejected`` (with reasons)."""

    index: int
    external_id: str | None = None
    status: str
    code: int
    errors: list[str] = Field(default_factory=list)


class PushResponse(BaseModel):
    """Per-item results and totals."""

    created: int
    duplicates: int
    rejected: int
    results: list[ItemResult]


def _token(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _errors(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]


@router.post("/mentions", response_model=PushResponse)
async def push_mentions(request: Request) -> PushResponse:
    """Store a batch ``{"mentions": [...]}`` for the token's source; one result per item."""
    settings = request.app.state.settings
    db = request.app.state.db
    # the store is synchronous: its reads and writes run in the thread pool, so one slow write
    # (a busy SQLite file, a big batch) never stalls every other request of this worker
    source_id = await run_in_threadpool(_source_id, db, _token(request))
    if source_id is None:
        raise HTTPException(401, "token API tidak sah", headers={"WWW-Authenticate": "Bearer"})
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.api_max_body_bytes:
        raise HTTPException(413, f"badan permintaan melebihi {settings.api_max_body_bytes} byte")
    body = await request.body()
    return await run_in_threadpool(_accept, db, settings, source_id, body)


def _accept(db: Any, settings: Any, source_id: int, body: bytes) -> PushResponse:
    """Read the batch and store it (in the thread pool: decoding and writing take time)."""
    if len(body) > settings.api_max_body_bytes:
        raise HTTPException(413, f"badan permintaan melebihi {settings.api_max_body_bytes} byte")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, f"bukan UTF-8 (byte ke-{exc.start} tidak sah)") from exc
    payload = decode_json(text, payload=False)
    if isinstance(payload, RecordError):
        raise HTTPException(400, payload.reason)
    items = payload.get("mentions") if isinstance(payload, dict) else None
    if not isinstance(items, list):
        raise HTTPException(400, 'badan harus {"mentions": [...]}')
    if len(items) > settings.api_max_batch:
        raise HTTPException(413, f"paling banyak {settings.api_max_batch} sebutan per permintaan")
    limits = RecordLimits.from_settings(settings)
    return _store(db, source_id, items, settings.max_text_chars, limits)


def _source_id(db: Any, token: str) -> int | None:
    with db.session() as session:
        source = source_for_token(session, token)
        return source.id if source is not None else None


def _mention(raw: Any, channel: str, max_chars: int, limits: RecordLimits) -> MentionIn:
    """One pushed item as a checked mention; raises ``ValueError`` (or ``ValidationError``)."""
    item = MentionPush.model_validate(raw)
    mention = MentionIn(**{**item.model_dump(), "channel": item.channel or channel})
    problem = check_mention(mention, max_chars, limits)
    if problem:
        raise ValueError(f"{problem[0]}: {problem[1]}")
    return mention


def _rejected(index: int, raw: Any, errors: list[str]) -> tuple[ItemResult, QuarantineItem]:
    ext = _id_text(raw.get("external_id")) if isinstance(raw, dict) else None
    ext = scrub(ext)[:255] if isinstance(ext, str) else None  # a lone surrogate cannot be sent
    errors = [scrub(e) for e in errors]
    try:
        payload = json.dumps(raw, default=str, ensure_ascii=False)
    except (ValueError, RecursionError):
        payload = f"<{type(raw).__name__} yang tidak dapat ditulis ulang sebagai JSON>"
    result = ItemResult(index=index, external_id=ext, status="rejected", code=422, errors=errors)
    quarantine = QuarantineItem(
        "api", "; ".join(errors)[:2000], payload[:QUARANTINE_PAYLOAD_CHARS], line=index + 1
    )
    return result, quarantine


def _store(
    db: Any, source_id: int, items: list[Any], max_chars: int, limits: RecordLimits
) -> PushResponse:
    from pantau.store.models import Source

    results: list[ItemResult] = []
    valid: list[tuple[int, MentionIn]] = []
    bad: list[QuarantineItem] = []
    with db.writer() as session:
        source = session.get(Source, source_id)
        for index, raw in enumerate(items):
            try:
                valid.append((index, _mention(raw, source.channel, max_chars, limits)))
                continue
            except ValidationError as exc:
                errors = _errors(exc)
            except (ValueError, TypeError) as exc:
                errors = [str(exc)]
            except Exception as exc:  # a bug of ours must not cost the batch its valid items
                logger.warning("push item %d could not be read", index, exc_info=True)
                errors = [f"tidak dapat dibaca ({type(exc).__name__})"]
            result, quarantined = _rejected(index, raw, errors)
            results.append(result)
            bad.append(quarantined)
        # each item was checked once, in _mention: write without checking again
        summary = write_checked(session, source, [m for _, m in valid])
        write_quarantine(session, source, bad)
    created = set(summary.inserted_ids)
    for index, m in valid:
        new = m.external_id in created
        created.discard(m.external_id)
        results.append(
            ItemResult(
                index=index,
                external_id=m.external_id,
                status="created" if new else "duplicate",
                code=201 if new else 200,
            )
        )
    results.sort(key=lambda r: r.index)
    return PushResponse(
        created=sum(r.status == "created" for r in results),
        duplicates=sum(r.status == "duplicate" for r in results),
        rejected=sum(r.status == "rejected" for r in results),
        results=results,
    )


class SourceHealthOut(BaseModel):
    """One source on the source-health page."""

    id: int
    name: str
    kind: str
    channel: str
    health: str
    reasons: list[str]
    error_streak: int
    last_error: str | None
    last_success_at: datetime | None
    last_item_at: datetime | None


class QuarantineOut(BaseModel):
    """One quarantined record."""

    id: int
    source: str | None
    origin: str
    line: int | None
    field: str | None
    reason: str
    payload: str
    created_at: datetime


@router.get("/sources/health", response_model=list[SourceHealthOut])
def sources_health(
    request: Request, _who: Annotated[Principal, Depends(guard("dashboard.view"))]
) -> list[SourceHealthOut]:
    """Every source with its health judged now: alarming ones (failing, silent, low) first."""
    from sqlalchemy import select

    from pantau.ingest.health import ALARMING, assess
    from pantau.store.models import Source
    from pantau.store.types import utcnow

    settings = request.app.state.settings
    out = []
    with request.app.state.db.session() as session:
        for src in session.scalars(select(Source).order_by(Source.name)):
            verdict = assess(src, utcnow(), settings)
            out.append(
                SourceHealthOut(
                    id=src.id,
                    name=src.name,
                    kind=src.kind,
                    channel=src.channel,
                    health=verdict.status,
                    reasons=verdict.reasons,
                    error_streak=src.error_streak or 0,
                    last_error=src.last_error,
                    last_success_at=src.last_success_at,
                    last_item_at=src.last_item_at,
                )
            )
    out.sort(key=lambda s: (s.health not in ALARMING, s.name))
    return out


@router.get("/quarantine", response_model=list[QuarantineOut])
def quarantine_list(
    request: Request,
    _who: Annotated[Principal, Depends(guard("quarantine.manage"))],
    limit: int = 100,
) -> list[QuarantineOut]:
    """Records waiting in quarantine, newest first, with reason, line and payload (citizens'
    personal data in it masked: raw records never went through the store's masking)."""
    from pantau.ingest.quarantine import list_quarantine
    from pantau.store.models import Source
    from pantau.text.personal import mask

    with request.app.state.db.session() as session:
        rows = list_quarantine(session, limit=min(max(limit, 1), 1000))
        names = {s.id: s.name for s in session.query(Source).all()}
        return [
            QuarantineOut(
                id=q.id,
                source=names.get(q.source_id or -1),
                origin=q.origin,
                line=q.line,
                field=q.field,
                reason=q.reason,
                payload=mask(q.payload)[0],
                created_at=q.created_at,
            )
            for q in rows
        ]


@router.post("/quarantine/{item_id}/retry")
def quarantine_retry(
    request: Request,
    item_id: int,
    who: Annotated[Principal, Depends(guard("quarantine.manage"))],
) -> dict[str, Any]:
    """Convert one quarantined record again; resolved when it now passes."""
    from pantau.ingest.quarantine import retry_quarantine
    from pantau.store.audit import record_by
    from pantau.store.models import Quarantine

    settings = request.app.state.settings
    with request.app.state.db.writer() as session:
        item = session.get(Quarantine, item_id)
        if item is None:
            raise HTTPException(404, f"rekaman karantina #{item_id} tidak ada")
        outcome = retry_quarantine(session, item, max_chars=settings.max_text_chars)
        record_by(
            session,
            who,
            action="quarantine.retry",
            object_type="quarantine",
            object_id=item_id,
            after={"resolved": outcome.resolved, "reason": outcome.reason},
        )
    return {
        "id": item_id,
        "resolved": outcome.resolved,
        "imported": outcome.imported,
        "reason": outcome.reason,
    }
