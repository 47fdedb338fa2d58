"""HTML pages of alert administration: the administrator's dead-letter list, with resend."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from pantau.alerts.outbox import dead_letters, resend
from pantau.web.rendering import render
from pantau.web.security import guard
from pantau.workflow.permissions import Principal

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
Postmaster = Annotated[Principal, Depends(guard("alert.deadletter"))]


@router.get("/alerts/dead-letters")
def dead_letters_page(request: Request, principal: Postmaster) -> Response:
    with request.app.state.db.session() as s:
        rows = dead_letters(s)
    return render(request, "workflow/dead_letters.html", {"rows": rows})


@router.post("/alerts/dead-letters/{delivery_id}/resend")
def dead_letter_resend(
    request: Request,
    delivery_id: int,
    principal: Postmaster,
) -> Response:
    with request.app.state.db.writer() as s:
        resend(s, delivery_id, actor=principal.username, actor_id=principal.id)
    return RedirectResponse("/alerts/dead-letters", status_code=303)
