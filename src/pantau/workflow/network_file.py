"""A province's network as a file: agencies with mandates and watchlists, and users.

``pantau init --network FILE`` loads it (YAML) so a province starts with its real organisation;
the admin pages and ``pantau network export`` write it out again in the same shape. Loading is
idempotent: agencies are matched by name, watchlists by agency and name, users by user name, so
running it again updates instead of duplicating. Every problem names its place in the file
(``agencies[3].level``) and nothing is stored unless the whole file is right.

The shape (an agency serves the ``province`` it names, "nasional" for a national one, else its
region's, else the file's ``province`` at the top, else the installation's)::

    province: "64"
    agencies:
      - name: Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Kalimantan Timur
        short_name: PUPR Kaltim
        level: opd                       # provinsi kabupaten kota opd bumd vertikal
        parent: Diskominfo Prov. Kalimantan Timur   # short name or name
        region: "64"
        province: "64"
        mandate_regions: ["64"]
        watchlists:
          - {name: jalan rusak, query: 'jalan AND (rusak OR berlubang OR longsor)'}
    users:
      - {username: dani.pupr, full_name: Dani, role: analis, agency: PUPR Kaltim,
         email: dani@example.go.id}
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import yaml
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pantau.store.models import Agency, User, Watchlist
from pantau.store.tenancy import NATIONAL_WORD
from pantau.workflow.accounts import UserChange, update_user
from pantau.workflow.agencies import AgencyData, save_agency
from pantau.workflow.permissions import Principal
from pantau.workflow.statuses import WorkflowError
from pantau.workflow.users import UserError, create_user
from pantau.workflow.watchlists import WatchlistData, save_watchlist

__all__ = ["NetworkError", "NetworkResult", "dump_network", "load_network", "read_network"]

#: Who loads a network file from the command line: the installation itself, as an admin.
SYSTEM = Principal(id=0, username="system", role="admin")


class NetworkError(ValueError):
    """The file cannot be loaded; ``where`` is the place in it (``users[2].role``)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


@dataclass
class NetworkResult:
    agencies: int = 0
    watchlists: int = 0
    users: int = 0
    #: Passwords made for new users that the file gave none: shown once, never stored.
    passwords: dict[str, str] = field(default_factory=dict)


def read_network(text: str) -> dict[str, Any]:
    """Parse the file (YAML); raises :class:`NetworkError` with the line on a syntax error."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"baris {mark.line + 1}" if mark is not None else "berkas"
        raise NetworkError(where, f"YAML tidak terbaca: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise NetworkError("berkas", "isi berkas harus pemetaan dengan kunci agencies dan users")
    unknown = set(data) - {"agencies", "users", "province"}
    if unknown:
        raise NetworkError(", ".join(sorted(unknown)), "kunci tidak dikenal")
    return data


def _list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise NetworkError(key, "harus daftar pemetaan (- name: ...)")
    return items


def _find_agency(session: Session, ref: Any, where: str) -> int:
    text = str(ref or "").strip()
    found = session.scalar(
        select(Agency.id).where(or_(Agency.short_name == text, Agency.name == text))
    )
    if found is None:
        raise NetworkError(where, f"instansi {text!r} tidak ada (nama atau nama singkat)")
    return int(found)


def load_network(
    session: Session, data: dict[str, Any], principal: Principal = SYSTEM
) -> NetworkResult:
    """Create or update the agencies, watchlists and users of ``data`` (one transaction)."""
    result = NetworkResult()
    agencies = _list(data, "agencies")
    everyone = data.get("province")

    def province(item: dict[str, Any]) -> str | None:
        # its own, else its region's (decided by save_agency), else the file's
        given = item.get("province") or (None if item.get("region") else everyone)
        return str(given) if given else None

    for i, item in enumerate(agencies):  # first the agencies, so parents may come later
        where = f"agencies[{i}]"
        name = str(item.get("name") or "").strip()
        existing = session.scalar(select(Agency).where(Agency.name == name))
        try:
            save_agency(
                session,
                principal,
                AgencyData(
                    name=name,
                    level=str(item.get("level") or ""),
                    short_name=item.get("short_name"),
                    region_code=str(item["region"]) if item.get("region") else None,
                    mandate_regions=[str(c) for c in item.get("mandate_regions") or []],
                    boilerplate=item.get("boilerplate"),
                    parent_id=existing.parent_id if existing else None,
                    province=province(item),
                ),
                existing.id if existing else None,
            )
        except WorkflowError as exc:
            raise NetworkError(f"{where}.{exc.field}", exc.message) from None
        result.agencies += 1
    for i, item in enumerate(agencies):  # then the parents and the watchlists
        where = f"agencies[{i}]"
        agency = session.scalar(select(Agency).where(Agency.name == str(item.get("name")).strip()))
        if agency is None:  # pragma: no cover - saved just above
            continue
        if item.get("parent"):
            parent = _find_agency(session, item["parent"], f"{where}.parent")
            if parent != agency.parent_id:
                data_ = AgencyData(
                    name=agency.name,
                    level=agency.level,
                    short_name=agency.short_name,
                    region_code=agency.region_code,
                    mandate_regions=[r.region_code for r in agency.regions],
                    boilerplate=agency.boilerplate,
                    parent_id=parent,
                    province=province(item),
                )
                try:
                    save_agency(session, principal, data_, agency.id)
                except WorkflowError as exc:
                    raise NetworkError(f"{where}.parent", exc.message) from None
        for j, w in enumerate(item.get("watchlists") or []):
            spot = f"{where}.watchlists[{j}]"
            if not isinstance(w, dict):
                raise NetworkError(spot, "harus pemetaan {name, query}")
            current = session.scalar(
                select(Watchlist.id).where(
                    Watchlist.agency_id == agency.id, Watchlist.name == str(w.get("name"))
                )
            )
            try:
                save_watchlist(
                    session,
                    principal,
                    WatchlistData(
                        agency.id, str(w.get("name") or ""), str(w.get("query") or ""),
                        bool(w.get("active", True)),
                    ),
                    current,
                )  # fmt: skip
            except WorkflowError as exc:
                raise NetworkError(f"{spot}.{exc.field}", exc.message) from None
            result.watchlists += 1
    for i, item in enumerate(_list(data, "users")):
        where = f"users[{i}]"
        agency_id = (
            _find_agency(session, item["agency"], f"{where}.agency") if item.get("agency") else None
        )
        username = str(item.get("username") or "").strip().lower()
        user = session.scalar(select(User).where(User.username == username))
        try:
            if user is None:
                password = str(item.get("password") or "")
                if not password:
                    password = secrets.token_urlsafe(12)
                    result.passwords[username] = password
                create_user(
                    session,
                    username=username,
                    password=password,
                    role=str(item.get("role") or ""),
                    full_name=str(item.get("full_name") or ""),
                    email=item.get("email"),
                    agency_id=agency_id,
                    actor=principal.username,
                )
            else:
                update_user(
                    session,
                    principal,
                    user.id,
                    UserChange(
                        full_name=item.get("full_name"),
                        email=item.get("email"),
                        role=item.get("role"),
                        agency_id=agency_id,
                        clear_agency=agency_id is None,
                    ),
                )
        except UserError as exc:
            raise NetworkError(f"{where}.{exc.field}", exc.message) from None
        result.users += 1
    return result


def dump_network(session: Session) -> str:
    """The network as a file :func:`load_network` reads back (no passwords)."""
    agencies = session.scalars(select(Agency).order_by(Agency.id)).all()
    names = {a.id: a.short_name or a.name for a in agencies}
    watch: dict[int, list[dict[str, Any]]] = {}
    for w in session.scalars(select(Watchlist).order_by(Watchlist.agency_id, Watchlist.name)):
        entry: dict[str, Any] = {"name": w.name, "query": w.query}
        if not w.active:
            entry["active"] = False
        watch.setdefault(w.agency_id, []).append(entry)
    out: dict[str, Any] = {"agencies": [], "users": []}
    for a in agencies:
        item: dict[str, Any] = {"name": a.name, "level": a.level}
        if a.short_name:
            item["short_name"] = a.short_name
        if a.parent_id:
            item["parent"] = names[a.parent_id]
        if a.region_code:
            item["region"] = a.region_code
        item["province"] = a.province or NATIONAL_WORD
        item["mandate_regions"] = sorted(r.region_code for r in a.regions)
        if a.boilerplate:
            item["boilerplate"] = a.boilerplate
        if a.id in watch:
            item["watchlists"] = watch[a.id]
        out["agencies"].append(item)
    for u in session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)):
        user: dict[str, Any] = {"username": u.username, "full_name": u.full_name, "role": u.role}
        if u.agency_id:
            user["agency"] = names[u.agency_id]
        if u.email:
            user["email"] = u.email
        out["users"].append(user)
    return str(yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100))
