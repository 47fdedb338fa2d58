"""The issue page's corrections panel: rename, dismiss or restore, merge, split by key phrase.

The forms call :mod:`pantau.workflow.corrections` like the JSON API does; after a change the
officer lands on the issue that stays in front of them (the survivor of a merge, the new issue
of a split); a refusal is shown as the error page naming the field.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from pantau.web.rendering import render
from pantau.web.security import guard
from pantau.workflow import corrections
from pantau.workflow.permissions import PermissionDenied, Principal
from pantau.workflow.statuses import IssueNotFound, WorkflowError

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
OPS = ("rename", "dismiss", "restore", "merge", "split")


@router.post("/issues/{issue_id}/koreksi/{op}")
async def correct(
    request: Request,
    issue_id: int,
    op: str,
    principal: Annotated[Principal, Depends(guard("issue.view"))],
) -> Response:
    form = await request.form()

    def text(name: str) -> str:
        return str(form.get(name) or "")

    if op not in OPS:
        return render(request, "error.html", {"status": 404, "message": op}, status=404)
    try:
        with request.app.state.db.writer() as s:
            front = issue_id
            if op == "rename":
                corrections.rename(s, principal, issue_id, text("label"))
            elif op == "dismiss":
                corrections.dismiss(s, principal, issue_id, text("reason"))
            elif op == "restore":
                corrections.restore(s, principal, issue_id)
            elif op == "merge":
                into = text("into_id").lstrip("#").strip()
                if not into.isdigit():
                    raise WorkflowError("into_id", "isi nomor isu tujuan, misalnya 12")
                front = corrections.merge(s, principal, issue_id, int(into)).id
            else:
                new = corrections.split(
                    s, principal, issue_id, phrase=text("phrase"), label=text("label")
                )
                front = new.id
    except IssueNotFound as exc:
        return render(request, "error.html", {"status": 404, "message": str(exc)}, status=404)
    except PermissionDenied as exc:
        return render(request, "error.html", {"status": 403, "message": str(exc)}, status=403)
    except WorkflowError as exc:
        message = f"{exc.field}: {exc.message}"
        return render(request, "error.html", {"status": 422, "message": message}, status=422)
    return RedirectResponse(f"/issues/{front}", status_code=303)
