"""The JSON API of the writing desk under /api/v1/documents: list, create, get, lint, versions,
review moves and exports.

Every endpoint goes through :func:`pantau.web.security.guard` and :mod:`pantau.writing.desk`
(object-level permission on the document's agency, the review flow, the audit entry). Refusals
are 403, unknown documents 404, bad input 422 with ``{"field", "message"}`` naming the field.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from pantau.web.security import guard
from pantau.workflow.narrative import shared_messages
from pantau.workflow.permissions import Principal
from pantau.writing import desk
from pantau.writing.letterhead import letterhead_for

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1/documents", tags=["penulisan"])
Viewer = Annotated[Principal, Depends(guard("document.view"))]
Editor = Annotated[Principal, Depends(guard("document.edit"))]


@contextmanager
def desk_errors() -> Iterator[None]:
    """Turn the desk's refusals into HTTP answers (permission refusals pass to the app)."""
    try:
        yield
    except desk.DeskError as exc:
        raise HTTPException(422, {"field": exc.field, "message": exc.message}) from exc
    except desk.DocumentNotFound as exc:
        raise HTTPException(404, str(exc)) from exc


class DocumentIn(BaseModel):
    kind: str = Field(description="siaran_pers, holding_statement, klarifikasi, ...")
    fields: dict[str, Any] = Field(description="Fakta dokumen (bentuk JSON pantau.writing.Fields)")
    issue_id: int | None = None


class TextIn(BaseModel):
    text: str = Field(max_length=desk.MAX_TEXT_CHARS)


class VersionIn(TextIn):
    note: str = Field("", max_length=500)


class LintIn(BaseModel):
    text: str | None = Field(None, max_length=desk.MAX_TEXT_CHARS)


class MoveIn(BaseModel):
    to: str = Field(description="draf, ditinjau, disetujui atau diterbitkan")


def _get(request: Request, doc_id: int) -> desk.DocumentView:
    with request.app.state.db.session() as s, desk_errors():
        return desk.get_document(s, doc_id)


@router.get("", summary="Daftar dokumen")
def list_documents(
    request: Request, principal: Viewer, issue_id: int | None = None
) -> list[dict[str, Any]]:
    with request.app.state.db.session() as s:
        return [d.to_dict(with_text=False) for d in desk.list_documents(s, issue_id=issue_id)]


@router.post("", status_code=201, summary="Buat dokumen dari fakta")
def create_document(request: Request, body: DocumentIn, principal: Editor) -> dict[str, Any]:
    settings = request.app.state.settings
    with desk_errors(), request.app.state.db.writer() as s:
        view = desk.create_document(
            s,
            principal,
            body.kind,
            body.fields,
            settings,
            issue_id=body.issue_id,
            key_messages=shared_messages(s, body.issue_id),
        )
    return view.to_dict()


@router.get("/{doc_id}", summary="Satu dokumen dengan versinya")
def get_document(request: Request, doc_id: int, principal: Viewer) -> dict[str, Any]:
    return _get(request, doc_id).to_dict()


@router.post("/{doc_id}/lint", summary="Periksa naskah (versi terakhir bila text kosong)")
def lint_document(
    request: Request, doc_id: int, body: LintIn, principal: Viewer
) -> list[dict[str, Any]]:
    view = _get(request, doc_id)
    text = view.latest.text if body.text is None else body.text
    with desk_errors():
        findings = desk.check(text, view.kind, request.app.state.settings)
    return [f.to_dict() for f in findings]


@router.post("/{doc_id}/versions", status_code=201, summary="Simpan versi baru")
def new_version(
    request: Request, doc_id: int, body: VersionIn, principal: Editor
) -> dict[str, Any]:
    with desk_errors(), request.app.state.db.writer() as s:
        view = desk.save_version(s, principal, doc_id, body.text, body.note)
    return view.to_dict()


@router.post("/{doc_id}/fix", summary="Terapkan perbaikan aman sebagai versi baru")
def apply_fixes(request: Request, doc_id: int, body: LintIn, principal: Editor) -> dict[str, Any]:
    text = _get(request, doc_id).latest.text if body.text is None else body.text
    settings = request.app.state.settings
    with desk_errors(), request.app.state.db.writer() as s:
        view = desk.apply_fixes(s, principal, doc_id, text, settings)
    return view.to_dict()


@router.post("/{doc_id}/transition", summary="Pindah status tinjauan")
def transition(request: Request, doc_id: int, body: MoveIn, principal: Viewer) -> dict[str, Any]:
    settings = request.app.state.settings
    with desk_errors(), request.app.state.db.writer() as s:
        view = desk.transition(s, principal, doc_id, body.to, settings)
    return view.to_dict()


@router.get(
    "/{doc_id}/export/{fmt}",
    summary="Unduh versi terakhir (docx, pdf, html, txt)",
    response_class=Response,
)
def export(request: Request, doc_id: int, fmt: str, principal: Viewer) -> Response:
    view = _get(request, doc_id)
    with desk_errors():
        with request.app.state.db.session() as s:
            letterhead = letterhead_for(s, view.agency_id)
        body, media, filename = desk.export(view, fmt, letterhead)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media, headers=headers)
