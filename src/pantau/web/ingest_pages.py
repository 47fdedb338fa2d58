"""Pages for the ingest stage: source health and the quarantine (with retry)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from pantau.ingest.health import ALARMING, assess
from pantau.ingest.quarantine import list_quarantine, retry_quarantine
from pantau.store.audit import record_by
from pantau.store.models import Quarantine, Source
from pantau.store.types import utcnow
from pantau.web.reasons import health_text
from pantau.web.rendering import locale_of, render
from pantau.web.security import guard
from pantau.workflow.permissions import Principal, allowed

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
#: Quarantined records shown on one page; the API and `pantau quarantine list` give more.
QUARANTINE_PAGE = 200


@router.get("/sumber")
def sources_page(
    request: Request, principal: Annotated[Principal, Depends(guard("dashboard.view"))]
) -> Response:
    settings = request.app.state.settings
    lang = locale_of(request)
    now = utcnow()
    rows = []
    with request.app.state.db.session() as s:
        for src in s.scalars(select(Source).order_by(Source.name)):
            verdict = assess(src, now, settings)
            said = [
                health_text(detail, reason, lang)
                for detail, reason in zip(verdict.details, verdict.reasons, strict=False)
            ]
            rows.append({"source": src, "health": verdict.status, "reasons": said})
    rows.sort(key=lambda r: (r["health"] not in ALARMING, r["source"].name))
    return render(request, "sources.html", {"rows": rows, "alarming": ALARMING})


@router.get("/karantina")
def quarantine_page(
    request: Request, principal: Annotated[Principal, Depends(guard("quarantine.manage"))]
) -> Response:
    with request.app.state.db.session() as s:
        items = list_quarantine(s, limit=QUARANTINE_PAGE)
        names = {src.id: src.name for src in s.scalars(select(Source))}
    return render(
        request,
        "quarantine.html",
        {
            "items": items,
            "names": names,
            "can_retry": allowed(principal, "quarantine.manage"),
            "done": request.query_params.get("hasil"),
        },
    )


@router.post("/karantina/{item_id}/coba-ulang")
def quarantine_retry_form(
    request: Request,
    item_id: int,
    principal: Annotated[Principal, Depends(guard("quarantine.manage"))],
) -> Response:
    settings = request.app.state.settings
    with request.app.state.db.writer() as s:
        item = s.get(Quarantine, item_id)
        if item is None:
            return render(
                request,
                "error.html",
                {"status": 404, "message": f"Rekaman karantina #{item_id} tidak ada."},
                status=404,
            )
        outcome = retry_quarantine(s, item, max_chars=settings.max_text_chars)
        record_by(
            s,
            principal,
            action="quarantine.retry",
            object_type="quarantine",
            object_id=item_id,
            after={"resolved": outcome.resolved, "reason": outcome.reason},
        )
    result = "berhasil" if outcome.resolved else "gagal"
    return RedirectResponse(f"/karantina?hasil={result}", status_code=303)
