"""Masking mentions as they are stored, and showing the originals to those allowed to see them.

The store never holds a citizen's NIK, phone number, e-mail address, plate or bank account in
clear: :func:`mask_fields` masks a mention's title, text and author before they are written (so
the full-text index, every page, the API, exports, reports and alerts see only the masked
forms), and :func:`seal` keeps each original encrypted beside it. :func:`reveal` puts the originals
back for a caller who holds the ``pii.view`` permission; the caller audits that view.

The vault travels on the session (``session.info["vault"]``, set by :func:`attach`), so code
that writes mentions needs no new arguments. Without a vault the originals are not kept at
all: masking still happens, which errs towards the citizen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pantau.privacy.vault import Vault, VaultError
from pantau.settings import Settings
from pantau.store.models import Mention
from pantau.store.privacy_models import PersonalDatum
from pantau.text.personal import Masked, mask, unmask

__all__ = [
    "FIELDS",
    "HasText",
    "Piece",
    "Revealed",
    "attach",
    "is_protected",
    "mask_fields",
    "protect_once",
    "protect_stored",
    "reveal",
    "seal",
    "vault_of",
]

logger = logging.getLogger(__name__)

#: The mention fields that may carry citizens' data: the author too, since complaints by
#: WhatsApp or SMS come with the sender's phone number as their author.
FIELDS = ("title", "text", "author")
#: Mentions read per round when masking those stored before masking existed.
PROTECT_BATCH = 500


def attach(db: Any, settings: Settings) -> Vault:
    """Give every later session of ``db`` (a :class:`pantau.store.Database`) the vault keyed by
    the secret key of ``settings`` (from ``data_dir`` when not set, made there on first use)."""
    from pantau.secret_key import load_secret_key

    vault = Vault(load_secret_key(settings))
    db.session_info["vault"] = vault
    return vault


def vault_of(session: Session) -> Vault | None:
    """The vault this session was opened with, if any."""
    vault = session.info.get("vault")
    return vault if isinstance(vault, Vault) else None


@dataclass(frozen=True)
class Piece:
    """One masked piece of personal data and the mention field it sits in."""

    field: str
    span: Masked


def mask_fields(values: dict[str, str | None]) -> tuple[dict[str, str | None], list[Piece]]:
    """``values`` (field -> text) masked, and the pieces found in them."""
    out: dict[str, str | None] = {}
    spans: list[Piece] = []
    for name, value in values.items():
        if not value:
            out[name] = value
            continue
        masked, found = mask(value)
        out[name] = masked
        spans += [Piece(name, s) for s in found]
    return out, spans


def seal(session: Session, found: Mapping[int, Sequence[Piece]]) -> int:
    """Keep the originals of ``found`` (mention id -> spans from :func:`mask_fields`) sealed."""
    vault = vault_of(session)
    if vault is None:
        if any(found.values()):
            logger.warning("no vault on this session: personal data masked without originals")
        return 0
    rows = []
    for mention_id, spans in found.items():
        for piece in spans:
            s = piece.span
            rows.append(
                {
                    "mention_id": mention_id,
                    "field": piece.field,
                    "kind": s.kind,
                    "start": s.start,
                    "end": s.end,
                    "digest": vault.digest(s.kind, s.value),
                    "sealed": vault.seal(s.value),
                }
            )
    if rows:
        session.execute(insert(PersonalDatum), rows)
    return len(rows)


@dataclass(frozen=True)
class Revealed:
    """A mention's :data:`FIELDS` with their originals back in, and the pieces of each."""

    values: dict[str, str | None]
    pieces: dict[str, list[Masked]]

    @property
    def title(self) -> str | None:
        return self.values["title"]

    @property
    def text(self) -> str:
        return self.values["text"] or ""

    @property
    def author(self) -> str | None:
        return self.values["author"]

    @property
    def count(self) -> int:
        return sum(len(p) for p in self.pieces.values())


class HasText(Protocol):
    """A mention or a row of its columns: what :func:`reveal` reads."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def author(self) -> str | None: ...


def reveal(session: Session, mentions: Iterable[HasText]) -> dict[int, Revealed]:
    """The unmasked fields of those ``mentions`` that have sealed originals; originals that
    cannot be opened (the secret key changed) stay masked."""
    by_id = {m.id: m for m in mentions}
    vault = vault_of(session)
    if vault is None or not by_id:
        return {}
    spans: dict[int, dict[str, list[Masked]]] = {}
    unreadable = 0
    ids = list(by_id)
    for start in range(0, len(ids), PROTECT_BATCH):
        stmt = select(PersonalDatum).where(
            PersonalDatum.mention_id.in_(ids[start : start + PROTECT_BATCH])
        )
        for row in session.scalars(stmt):
            try:
                value = vault.open(row.sealed)
            except VaultError:
                unreadable += 1
                continue  # stays masked: sealed under another secret key, or tampered with
            spans.setdefault(row.mention_id, {}).setdefault(row.field, []).append(
                Masked(row.kind, row.start, row.end, value)
            )
    if unreadable:
        logger.warning("%d sealed originals cannot be opened (secret key changed?)", unreadable)
    out = {}
    for mention_id, pieces in spans.items():
        m = by_id[mention_id]
        values: dict[str, str | None] = {}
        for name in FIELDS:
            value = getattr(m, name)
            values[name] = unmask(value, pieces.get(name, [])) if value else value
        out[mention_id] = Revealed(values, pieces)
    return out


def _fields(m: HasText) -> dict[str, str | None]:
    return {name: getattr(m, name) for name in FIELDS}


def protect_stored(session: Session, *, batch: int = PROTECT_BATCH) -> int:
    """Mask and seal the personal data of mentions stored in clear (before masking existed, or
    by a finder that has since learnt more); returns how many mentions changed.

    Masked text holds nothing to find, so running it again changes nothing. A mention that
    already has sealed pieces is unmasked first and masked afresh, so every span stays true.
    """
    changed = 0
    last = 0
    while True:
        mentions = list(
            session.scalars(
                select(Mention).where(Mention.id > last).order_by(Mention.id).limit(batch)
            )
        )
        if not mentions:
            return changed
        last = mentions[-1].id
        fresh = {m.id: m for m in mentions if mask_fields(_fields(m))[1]}
        if not fresh:
            continue
        known = reveal(session, fresh.values())
        session.execute(delete(PersonalDatum).where(PersonalDatum.mention_id.in_(list(known))))
        found: dict[int, Sequence[Piece]] = {}
        for m in fresh.values():
            before = known.get(m.id)
            masked, found[m.id] = mask_fields(before.values if before else _fields(m))
            m.title, m.text, m.author = masked["title"], masked["text"] or "", masked["author"]
        session.flush()
        seal(session, found)
        changed += len(found)


#: The stage-state row that says the store's older mentions were masked once (by
#: :func:`protect_once`); mentions stored since pass through the sink, which masks them.
PROTECTED_MARK = "privacy_protected"


def is_protected(db: Any) -> bool:
    """Whether the mentions a store held before masking existed were masked already."""
    from pantau.store.models import StageState

    with db.session() as session:
        return session.get(StageState, PROTECTED_MARK) is not None


def protect_once(db: Any) -> int | None:
    """Mask the mentions a store held before masking existed, the first time it is opened
    after the upgrade; ``None`` when that was already done."""
    from pantau.store.models import StageState

    try:
        with db.writer() as session:
            if session.get(StageState, PROTECTED_MARK) is not None:
                return None
            changed = protect_stored(session)
            top = session.scalar(select(func.max(Mention.id))) or 0
            session.add(StageState(name=PROTECTED_MARK, state={"masked": changed}, position=top))
    except IntegrityError:
        # another process opening the same store (two `pantau run` workers started together)
        # wrote the mark first; its transaction did the masking, this one rolled back
        return None
    if changed:
        logger.info("masked the personal data of %d mentions stored before masking", changed)
    return changed
