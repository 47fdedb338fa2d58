"""The JSON API of human corrections: rename, dismiss, restore, merge, split, move mentions.

Each endpoint calls :mod:`pantau.workflow.corrections`, which checks ``issue.correct`` on every
issue involved, changes the store, writes the audit entry and queues the correction for the live
tracker. Refusals are 403, unknown issues 404, bad input 422 naming the field.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from pantau.web.api_admin import admin_errors
from pantau.web.security import guard
from pantau.workflow import corrections
from pantau.workflow.permissions import Principal

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["koreksi"])
Who = Annotated[Principal, Depends(guard("issue.view"))]


class CorrectionOut(BaseModel):
    issue_id: int = Field(description="the issue the correction leaves in front of the user")
    touched: list[int] = Field(description="every issue whose mentions or state changed")
    label: str
    dismissed: bool


class RenameIn(BaseModel):
    label: str = Field(min_length=1, max_length=200, examples=["Air PDAM keruh di Sempaja"])


class ReasonIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2_000, examples=["promosi judi online"])


class MergeIn(BaseModel):
    into_id: int = Field(description="the issue that stays")


class SplitIn(BaseModel):
    mention_ids: list[int] = Field(default_factory=list, max_length=5_000)
    phrase: str = Field("", max_length=200, description="split off the mentions containing it")
    label: str = Field("", max_length=200, description="the new issue's name (else the phrase)")


class MoveIn(BaseModel):
    mention_ids: list[int] = Field(min_length=1, max_length=5_000)
    to_issue_id: int | None = Field(description="null takes them out of any issue (noise)")
    reason: str = Field("", max_length=2_000)


def _out(request: Request, issue_id: int, touched: list[int]) -> CorrectionOut:
    from pantau.store.models import Issue

    with request.app.state.db.session() as s:
        issue = s.get(Issue, issue_id)
        label = issue.label if issue else ""
        dismissed = bool(issue and issue.dismissed_at)
    return CorrectionOut(issue_id=issue_id, touched=touched, label=label, dismissed=dismissed)


@router.post("/issues/{issue_id}/rename", response_model=CorrectionOut, summary="Ganti judul isu")
def rename(request: Request, issue_id: int, body: RenameIn, principal: Who) -> CorrectionOut:
    with admin_errors(), request.app.state.db.writer() as s:
        corrections.rename(s, principal, issue_id, body.label)
    return _out(request, issue_id, [issue_id])


@router.post("/issues/{issue_id}/dismiss", response_model=CorrectionOut, summary="Abaikan isu")
def dismiss(request: Request, issue_id: int, body: ReasonIn, principal: Who) -> CorrectionOut:
    with admin_errors(), request.app.state.db.writer() as s:
        corrections.dismiss(s, principal, issue_id, body.reason)
    return _out(request, issue_id, [issue_id])


@router.post("/issues/{issue_id}/restore", response_model=CorrectionOut, summary="Pulihkan isu")
def restore(request: Request, issue_id: int, principal: Who) -> CorrectionOut:
    with admin_errors(), request.app.state.db.writer() as s:
        corrections.restore(s, principal, issue_id)
    return _out(request, issue_id, [issue_id])


@router.post("/issues/{issue_id}/merge", response_model=CorrectionOut, summary="Gabungkan isu")
def merge(request: Request, issue_id: int, body: MergeIn, principal: Who) -> CorrectionOut:
    with admin_errors(), request.app.state.db.writer() as s:
        into = corrections.merge(s, principal, issue_id, body.into_id)
        into_id = into.id
    return _out(request, into_id, [issue_id, into_id])


@router.post("/issues/{issue_id}/split", response_model=CorrectionOut, summary="Pecah isu")
def split(request: Request, issue_id: int, body: SplitIn, principal: Who) -> CorrectionOut:
    with admin_errors(), request.app.state.db.writer() as s:
        new = corrections.split(
            s,
            principal,
            issue_id,
            mention_ids=body.mention_ids,
            phrase=body.phrase,
            label=body.label,
        )
        new_id = new.id
    return _out(request, new_id, [issue_id, new_id])


@router.post("/mentions/move", response_model=CorrectionOut, summary="Pindahkan sebutan")
def move(request: Request, body: MoveIn, principal: Who) -> CorrectionOut:
    with admin_errors(), request.app.state.db.writer() as s:
        touched = corrections.move_mentions(
            s, principal, body.mention_ids, body.to_issue_id, reason=body.reason
        )
    front = body.to_issue_id if body.to_issue_id is not None else (touched or [0])[0]
    return _out(request, front, touched)


class LabelIn(BaseModel):
    sentiment: str | None = Field(None, description="positive, neutral or negative")
    regions: list[str] | None = Field(None, description="Kemendagri codes, e.g. 64.72.05")


class LabelOut(BaseModel):
    mention_id: int
    sentiment: str | None
    regions: list[str]


@router.post(
    "/mentions/{mention_id}/labels", response_model=LabelOut, summary="Koreksi sentimen/wilayah"
)
def relabel(request: Request, mention_id: int, body: LabelIn, principal: Who) -> LabelOut:
    with admin_errors(), request.app.state.db.writer() as s:
        m = corrections.relabel(
            s, principal, mention_id, sentiment=body.sentiment, regions=body.regions
        )
        return LabelOut(mention_id=m.id, sentiment=m.sentiment, regions=list(m.regions))
