"""HTML pages of the writing desk: the documents list, the composer form and the editor.

The editor checks the text as one types (htmx posts the textarea to ``/tulis/{id}/periksa`` and
swaps in the marked findings), saves versions, applies the linter's safe fixes, moves the document
through the review flow and downloads it as DOCX, PDF, HTML or plain text. Every change goes
through :mod:`pantau.writing.desk` (permission check, review flow, audit entry).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from pantau.store.models import Agency, Issue, User
from pantau.web.rendering import render
from pantau.web.security import guard
from pantau.web.writing_forms import (
    KIND_LABELS,
    LINE_FIELDS,
    QUOTE_SLOTS,
    TEXT_FIELDS,
    TIME_FIELDS,
    facts_from_form,
    form_name,
    prefill,
    valid_kind,
)
from pantau.workflow.narrative import shared_messages
from pantau.workflow.permissions import Principal, allowed, authorize
from pantau.writing import (
    AssistantConfig,
    AssistantError,
    Finding,
    ReviewStatus,
    Severity,
    annotate_html,
    assist,
    desk,
)
from pantau.writing.assistant import TASKS
from pantau.writing.letterhead import letterhead_for
from pantau.writing.review import TRANSITIONS

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Principal, Depends(guard("document.view"))]
Editor = Annotated[Principal, Depends(guard("document.edit"))]


def _form(request_form: Any) -> dict[str, str]:
    return {k: v for k, v in request_form.items() if isinstance(v, str)}


def _not_found(request: Request, message: str) -> Response:
    return render(request, "error.html", {"status": 404, "message": message}, status=404)


def _document(request: Request, doc_id: int) -> desk.DocumentView | None:
    with request.app.state.db.session() as s:
        try:
            return desk.get_document(s, doc_id)
        except desk.DocumentNotFound:
            return None


def findings_context(text: str, findings: list[Finding]) -> dict[str, Any]:
    """What ``writing/_findings.html`` shows: the marked text, the list and the counts."""
    counts = {str(level): sum(f.severity == level for f in findings) for level in Severity}
    return {
        "findings": findings,
        "annotated": Markup(annotate_html(text, findings)),  # noqa: S704 (escaped by annotate_html)
        "counts": counts,
        "fixable": sum(f.fix is not None for f in findings),
    }


@router.get("/tulis")
def documents_page(request: Request, principal: Viewer, issue: int | None = None) -> Response:
    """Every document (of one issue with ``?issue=``), most recently changed first."""
    with request.app.state.db.session() as s:
        docs = desk.list_documents(s, issue_id=issue)
    return render(
        request,
        "writing/list.html",
        {"docs": docs, "kinds": KIND_LABELS, "issue_id": issue},
    )


def _composer(
    request: Request,
    values: dict[str, str],
    *,
    issue: dict[str, Any] | None,
    error: desk.DeskError | None = None,
    status: int = 200,
) -> Response:
    ctx = {
        "values": values,
        "issue": issue,
        "kinds": KIND_LABELS,
        "text_fields": TEXT_FIELDS,
        "line_fields": LINE_FIELDS,
        "time_fields": TIME_FIELDS,
        "quote_slots": range(1, QUOTE_SLOTS + 1),
        "error": error,
        "error_input": form_name(error.field) if error else None,
    }
    return render(request, "writing/new.html", ctx, status=status)


@router.get("/tulis/baru")
def new_document_form(
    request: Request, principal: Editor, issue: int | None = None, kind: str | None = None
) -> Response:
    """The composer form, pre-filled from an issue (label, regions, dates, agency)."""
    tz = request.app.state.settings.timezone
    with request.app.state.db.session() as s:
        row = s.get(Issue, issue) if issue is not None else None
        if issue is not None and row is None:
            return _not_found(request, f"Isu #{issue} tidak ditemukan.")
        agency_id = row.agency_id if row and row.agency_id else principal.agency_id
        agency = s.get(Agency, agency_id) if agency_id else None
        values = prefill(row, s.get(User, principal.id), agency, tz)
        values["kind"] = valid_kind(kind, row)
        info = {"id": row.id, "label": row.label} if row else None
    return _composer(request, values, issue=info)


@router.post("/tulis/baru")
async def create_document(request: Request, principal: Editor) -> Response:
    """Compose the document from the form; errors come back on the form, naming the field."""
    form = _form(await request.form())
    kind, data = facts_from_form(form)
    raw_issue = form.get("issue_id", "").strip()
    issue_id = int(raw_issue) if raw_issue.isdigit() else None
    settings = request.app.state.settings
    try:
        with request.app.state.db.writer() as s:
            view = desk.create_document(
                s,
                principal,
                kind,
                data,
                settings,
                issue_id=issue_id,
                key_messages=shared_messages(s, issue_id),
            )
    except desk.DeskError as exc:
        info = None
        if issue_id is not None:
            with request.app.state.db.session() as s:
                row = s.get(Issue, issue_id)
                info = {"id": row.id, "label": row.label} if row else None
        return _composer(request, form, issue=info, error=exc, status=422)
    return RedirectResponse(f"/tulis/{view.id}", status_code=303)


def _editor(
    request: Request,
    principal: Principal,
    doc_id: int,
    *,
    text: str | None = None,
    version: int | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    settings = request.app.state.settings
    view = _document(request, doc_id)
    if view is None:
        return _not_found(request, f"Dokumen #{doc_id} tidak ditemukan.")
    older = next((v for v in view.versions if v.number == version), None)
    if text is None:
        text = older.text if older is not None else view.latest.text
    shown = text.replace("\r\n", "\n")
    try:
        findings = desk.check(shown, view.kind, settings)
    except desk.DeskError:
        findings = []

    def can(action: str) -> bool:
        return allowed(principal, action, agency_id=view.agency_id)

    ctx = {
        "doc": view,
        "text": shown,
        "shown_version": older.number if older is not None else None,
        "kinds": KIND_LABELS,
        "error": error,
        "can_edit": can("document.edit") and view.status != "diterbitkan",
        "moves": [
            str(to)
            for to in ReviewStatus  # in the flow's order
            if to in TRANSITIONS[ReviewStatus(view.status)] and can(desk.MOVE_ACTION[to])
        ],
        "formats": list(desk.FORMATS),
        "assistant_tasks": list(TASKS) if AssistantConfig.from_settings(settings) else [],
        **findings_context(shown, findings),
    }
    return render(request, "writing/editor.html", ctx, status=status)


@router.get("/tulis/{doc_id}")
def editor_page(
    request: Request, doc_id: int, principal: Viewer, versi: int | None = None
) -> Response:
    """The editor: text (of an older version with ``?versi=N``, saved again to restore it),
    live findings, versions, review buttons and downloads."""
    return _editor(request, principal, doc_id, version=versi)


@router.post("/tulis/{doc_id}/periksa")
async def check_text(request: Request, doc_id: int, principal: Viewer) -> Response:
    """The findings for the posted text (htmx swaps this fragment in as one types)."""
    form = _form(await request.form())
    text = form.get("text", "")
    view = _document(request, doc_id)
    if view is None:
        return _not_found(request, f"Dokumen #{doc_id} tidak ditemukan.")
    try:
        text = desk.clean_text(text)
        findings = desk.check(text, view.kind, request.app.state.settings)
    except desk.DeskError as exc:
        ctx = {"check_error": exc.message, "findings": []}
        return render(request, "writing/_findings.html", ctx)
    return render(request, "writing/_findings.html", findings_context(text, findings))


@router.post("/tulis/{doc_id}/asisten")
async def ask_assistant(request: Request, doc_id: int, principal: Editor) -> Response:
    """The optional assistant's suggestion for the posted text, with the linter's findings.

    Off unless ``writing_assistant_url`` is set; a suggestion is never saved by itself: the
    person adopts it as a new version (an ordinary, audited save) or leaves it.
    """
    settings = request.app.state.settings
    config = AssistantConfig.from_settings(settings)
    view = _document(request, doc_id)
    if view is None or config is None:
        return _not_found(request, "Asisten penulisan tidak diaktifkan.")
    authorize(principal, "document.edit", agency_id=view.agency_id)
    form = _form(await request.form())
    ctx: dict[str, Any] = {"doc": view, "error": None, "suggestion": None}
    try:
        text = desk.clean_text(form.get("text", ""))
        suggestion = assist(
            text, form.get("task", ""), config, kind=view.kind, timezone=settings.timezone
        )
    except desk.DeskError as exc:
        ctx["error"] = exc.message
    except AssistantError as exc:
        ctx["error"] = str(exc)  # shown in place: htmx swaps only 2xx answers
    else:
        ctx["suggestion"] = suggestion
    return render(request, "writing/_assistant.html", ctx)


@router.post("/tulis/{doc_id}/{op}")
async def change_document(request: Request, doc_id: int, op: str, principal: Viewer) -> Response:
    """Save a version (``simpan``), apply safe fixes (``perbaiki``) or move (``status``)."""
    form = _form(await request.form())
    settings = request.app.state.settings
    text = form.get("text", "")
    try:
        with request.app.state.db.writer() as s:
            if op == "simpan":
                desk.save_version(s, principal, doc_id, text, form.get("note", ""))
            elif op == "perbaiki":
                desk.apply_fixes(s, principal, doc_id, text, settings)
            elif op == "status":
                desk.transition(s, principal, doc_id, form.get("to", ""), settings)
            else:
                return _not_found(request, f"Operasi {op!r} tidak ada.")
    except desk.DocumentNotFound as exc:
        return _not_found(request, str(exc))
    except desk.DeskError as exc:
        keep = text if op != "status" and text else None
        return _editor(request, principal, doc_id, text=keep, error=exc.message, status=422)
    return RedirectResponse(f"/tulis/{doc_id}", status_code=303)


@router.get("/tulis/{doc_id}/unduh.{fmt}")
def download(request: Request, doc_id: int, fmt: str, principal: Viewer) -> Response:
    """The latest version as a file to download: docx, pdf, html or txt."""
    view = _document(request, doc_id)
    if view is None:
        return _not_found(request, f"Dokumen #{doc_id} tidak ditemukan.")
    try:
        with request.app.state.db.session() as s:
            letterhead = letterhead_for(s, view.agency_id)
        body, media, filename = desk.export(view, fmt, letterhead)
    except desk.DeskError as exc:
        return _not_found(request, exc.message)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media, headers=headers)
