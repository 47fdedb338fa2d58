"""Finding and erasing one person's personal data on request (UU PDP 27/2022, Pasal 8 and 16).

A data subject asks what pantau holds about their NIK, phone number or e-mail address, or asks
for it to be erased. Mentions are searched through the keyed hashes beside them (the value is
never decrypted, and never stored in clear to compare with); quarantined records, which keep
the raw payload for a retry, are read and matched the same way. Erasing deletes that person's
sealed originals (the masked text stays, so issues and reports keep their counts) and masks the
value in quarantined payloads. Both are audited with the masked value only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pantau.privacy.vault import Vault
from pantau.store.audit import record
from pantau.store.models import Mention, Quarantine, Source
from pantau.store.privacy_models import PersonalDatum
from pantau.text.personal import find, mask_value

__all__ = ["Erased", "Holding", "Search", "erase_person", "find_person"]

_QUARANTINE_BATCH = 500


@dataclass(frozen=True)
class Holding:
    """One place that holds the person's data: a mention (field) or a quarantined record."""

    table: str  # "mentions" | "quarantine"
    id: int
    kind: str
    field: str
    source: str | None
    at: datetime | None


@dataclass
class Search:
    """Where one person's value of one kind is held."""

    kind: str
    masked: str
    holdings: list[Holding] = field(default_factory=list)

    @property
    def mentions(self) -> list[int]:
        return sorted({h.id for h in self.holdings if h.table == "mentions"})

    @property
    def quarantine(self) -> list[int]:
        return sorted({h.id for h in self.holdings if h.table == "quarantine"})


@dataclass(frozen=True)
class Erased:
    """What one erasure removed."""

    pieces: int
    mentions: int
    quarantined: int


def _quarantine_hits(session: Session, vault: Vault, kind: str, digest: str) -> list[Holding]:
    out: list[Holding] = []
    last = 0
    while True:
        rows = list(
            session.execute(
                select(Quarantine, Source.name)
                .outerjoin(Source, Source.id == Quarantine.source_id)
                .where(Quarantine.id > last)
                .order_by(Quarantine.id)
                .limit(_QUARANTINE_BATCH)
            )
        )
        if not rows:
            return out
        last = rows[-1][0].id
        for q, source in rows:
            if any(
                f.kind == kind and vault.digest(kind, f.value) == digest for f in find(q.payload)
            ):
                out.append(Holding("quarantine", q.id, kind, "payload", source, q.created_at))


def find_person(session: Session, vault: Vault, kind: str, value: str) -> Search:
    """Every mention and quarantined record holding ``value`` (of ``kind``)."""
    digest = vault.digest(kind, value)
    search = Search(kind, mask_value(kind, value))
    rows = session.execute(
        select(PersonalDatum.mention_id, PersonalDatum.field, Source.name, Mention.published_at)
        .join(Mention, Mention.id == PersonalDatum.mention_id)
        .join(Source, Source.id == Mention.source_id)
        .where(PersonalDatum.digest == digest)
        .order_by(PersonalDatum.mention_id)
    )
    for mention_id, where, source, at in rows:
        search.holdings.append(Holding("mentions", mention_id, kind, where, source, at))
    search.holdings += _quarantine_hits(session, vault, kind, digest)
    return search


def erase_person(
    session: Session, vault: Vault, kind: str, value: str, *, actor: str, actor_id: int | None
) -> Erased:
    """Erase ``value`` (of ``kind``) everywhere pantau holds it; audited with its mask."""
    search = find_person(session, vault, kind, value)
    digest = vault.digest(kind, value)
    pieces = session.execute(
        delete(PersonalDatum).where(PersonalDatum.digest == digest),
        execution_options={"synchronize_session": False},
    )
    for qid in search.quarantine:
        q = session.get(Quarantine, qid)
        if q is None:
            continue
        payload = q.payload
        for f in sorted(find(payload), key=lambda f: f.start, reverse=True):
            if f.kind == kind and vault.digest(kind, f.value) == digest:
                payload = payload[: f.start] + mask_value(kind, f.value) + payload[f.end :]
        q.payload = payload
    done = Erased(
        int(getattr(pieces, "rowcount", 0) or 0), len(search.mentions), len(search.quarantine)
    )
    record(
        session,
        actor=actor,
        actor_id=actor_id,
        action="pii.erase",
        object_type="person",
        object_id=search.masked,
        after={
            "kind": kind,
            "mentions": search.mentions,
            "quarantine": search.quarantine,
            "pieces": done.pieces,
        },
    )
    return done
