"""Showing the originals of masked personal data: only with ``pii.view``, and always audited.

Every surface shows masked text by default (it is what the store holds). A caller who holds
the ``pii.view`` permission may ask for the originals (``?unmask=1`` on the search page, the
issue page, the API and the exports; ``pantau export --unmask --as USER``); each such view is
written to the audit log with who, where and which mentions, before anything is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.privacy.sealing import reveal
from pantau.store.audit import record_by
from pantau.store.models import Mention
from pantau.store.search import SearchHit
from pantau.text.personal import unmask_excerpt
from pantau.workflow.permissions import Principal, allowed, authorize

__all__ = ["PERMISSION", "audit_view", "disclose_hits", "may_unmask"]

#: The permission that shows personal data in clear (workflow/permissions.py: admin only).
PERMISSION = "pii.view"


def may_unmask(principal: Principal) -> bool:
    """Whether ``principal`` may ask for personal data in clear (to offer the switch)."""
    return allowed(principal, PERMISSION)


def audit_view(session: Session, principal: Principal, where: str, **details: Any) -> None:
    """Check ``pii.view`` for ``principal`` and record one unmasked view at ``where``."""
    authorize(principal, PERMISSION)
    record_by(
        session,
        principal,
        action=PERMISSION,
        object_type="mention",
        object_id=details.pop("object_id", None),
        after={"where": where, **details},
    )


def disclose_hits(
    session: Session, principal: Principal, hits: Sequence[SearchHit], *, where: str
) -> list[SearchHit]:
    """``hits`` with their originals back in title and snippet, the view audited; raises
    :class:`~pantau.workflow.permissions.PermissionDenied` without ``pii.view``."""
    authorize(principal, PERMISSION)
    ids = [h.id for h in hits]
    rows = session.execute(
        select(Mention.id, Mention.title, Mention.text, Mention.author).where(Mention.id.in_(ids))
    ).all()
    revealed = reveal(session, rows)
    if revealed:
        audit_view(
            session,
            principal,
            where,
            mentions=sorted(revealed),
            pieces=sum(r.count for r in revealed.values()),
        )
    out = []
    for hit in hits:
        r = revealed.get(hit.id)
        if r is not None:
            snippet = unmask_excerpt(hit.snippet, r.pieces.get("text", []))
            hit = replace(hit, title=r.title, snippet=snippet, author=r.author)
        out.append(hit)
    return out
