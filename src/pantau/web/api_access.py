"""The JSON API of personal API tokens: list, create (the secret shown once) and revoke.

Everyone manages their own tokens; a user manager (admin) lists and revokes anyone's. Only a
logged-in person may do so: a token cannot mint or revoke tokens (see
:mod:`pantau.workflow.tokens`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from pantau.web.security import guard
from pantau.workflow.permissions import Principal, authorize
from pantau.workflow.tokens import (
    SCOPES,
    TokenError,
    create_token,
    list_tokens,
    revoke_token,
    token_dict,
)

__all__ = ["CreatedToken", "NewToken", "TokenOut", "router"]

router = APIRouter(prefix="/api/v1", tags=["access"])


class TokenOut(BaseModel):
    """A token as listed: never its secret nor its hash."""

    id: int
    user_id: int
    name: str
    hint: str
    scopes: list[str]
    state: str  # active | expired | revoked
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class NewToken(BaseModel):
    """What to create: a name, scopes (read, write, metrics) and an optional lifetime."""

    name: str = Field(min_length=1, max_length=120)
    scopes: list[str] = Field(min_length=1, description=", ".join(SCOPES))
    days: int | None = Field(default=None, ge=1)


class CreatedToken(TokenOut):
    token: str = Field(description="The secret: shown this once, stored only as a hash.")


@router.get("/tokens", response_model=list[TokenOut], summary="Daftar token API")
def tokens_list(
    request: Request,
    principal: Annotated[Principal, Depends(guard("token.manage"))],
    all: bool = False,
) -> list[TokenOut]:
    """The caller's tokens; ``all=true`` lists every user's (user managers only)."""
    if all:
        authorize(principal, "user.manage")
    with request.app.state.db.session() as s:
        rows = list_tokens(s, None if all else principal.id)
        return [TokenOut.model_validate(token_dict(t)) for t in rows]


@router.post("/tokens", response_model=CreatedToken, status_code=201, summary="Buat token API baru")
def tokens_create(
    request: Request,
    body: NewToken,
    principal: Annotated[Principal, Depends(guard("token.manage"))],
) -> CreatedToken:
    """A token acting for the caller within ``scopes``; the secret is in this answer only."""
    with request.app.state.db.writer() as s:
        try:
            token, secret = create_token(
                s, principal, name=body.name, scopes=body.scopes, days=body.days
            )
        except TokenError as exc:
            raise HTTPException(422, exc.message) from exc
        return CreatedToken.model_validate({**token_dict(token), "token": secret})


@router.delete("/tokens/{token_id}", response_model=TokenOut, summary="Cabut token API")
def tokens_revoke(
    request: Request,
    token_id: int,
    principal: Annotated[Principal, Depends(guard("token.manage"))],
) -> TokenOut:
    """Revoke one token at once (its owner, or a user manager)."""
    with request.app.state.db.writer() as s:
        try:
            token = revoke_token(s, principal, token_id)
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from exc
        return TokenOut.model_validate(token_dict(token))
