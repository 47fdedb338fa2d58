"""The network of offices: agencies with their parent, region and mandate, managed by admins.

An agency's *mandate* is what routing sends it: the regions it answers for and the topics
(its watchlists, :mod:`pantau.workflow.watchlists`) it owns. Diskominfo offices (``provinsi``,
``kabupaten``, ``kota``) answer for a territory; an OPD, a regional utility (BUMD such as a
PDAM) or a ministry's vertical office answers for its topics within its area.

>>> LEVELS[:3]
('provinsi', 'kabupaten', 'kota')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.i18n import N_
from pantau.store.audit import record_by
from pantau.store.models import Agency, AgencyRegion, Region
from pantau.store.tenancy import NATIONAL_WORD, default_province, province_of, tenant_label
from pantau.workflow.permissions import Principal, authorize
from pantau.workflow.statuses import WorkflowError
from pantau.writing.letterhead import LogoError, clean_logo

__all__ = ["LEVELS", "AgencyData", "agency_view", "save_agency", "set_agency_logo"]

#: Kinds of office, territorial first (routing reads them, see alerts.routing.TERRITORIAL_LEVELS).
#: Stored as written here; the pages show them translated, so the catalogs need them marked.
LEVELS: tuple[str, ...] = (
    N_("provinsi"),
    N_("kabupaten"),
    N_("kota"),
    N_("opd"),
    N_("bumd"),
    N_("vertikal"),
)
MAX_NAME = 200
MAX_SHORT = 60
#: Letterhead lines, as the store keeps them.
MAX_ADDRESS, MAX_PHONE, MAX_WEB = 300, 60, 200
_WEB = re.compile(r"^(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?$", re.IGNORECASE)


@dataclass
class AgencyData:
    """What an admin sets on an agency; validated by :func:`save_agency`."""

    name: str
    level: str
    short_name: str | None = None
    parent_id: int | None = None
    region_code: str | None = None
    mandate_regions: list[str] = field(default_factory=list)
    boilerplate: str | None = None
    #: The province it serves ("64"), "nasional", or None: taken from its region, its parent,
    #: the administrator's province or the installation's (:func:`_province`).
    province: str | None = None
    #: The letterhead's contact lines (the logo is set by :func:`set_agency_logo`).
    address: str | None = None
    phone: str | None = None
    web: str | None = None


def agency_view(agency: Agency) -> dict[str, Any]:
    """The agency as plain data (API answers, audit entries, the network export)."""
    return {
        "id": agency.id,
        "name": agency.name,
        "short_name": agency.short_name,
        "level": agency.level,
        "parent_id": agency.parent_id,
        "region_code": agency.region_code,
        "province": agency.province or NATIONAL_WORD,
        "mandate_regions": sorted(r.region_code for r in agency.regions),
        "boilerplate": agency.boilerplate,
        "address": agency.letterhead_address,
        "phone": agency.letterhead_phone,
        "web": agency.letterhead_web,
    }


def _clean(session: Session, data: AgencyData, agency_id: int | None) -> AgencyData:
    name = " ".join((data.name or "").split())
    if not name or len(name) > MAX_NAME:
        raise WorkflowError(
            "name", f"nama instansi wajib diisi, paling panjang {MAX_NAME} karakter"
        )
    taken = session.scalar(select(Agency.id).where(Agency.name == name))
    if taken is not None and taken != agency_id:
        raise WorkflowError("name", f"instansi bernama {name!r} sudah ada")
    if data.level not in LEVELS:
        raise WorkflowError(
            "level", f"jenis {data.level!r} tidak dikenal; pilih: {', '.join(LEVELS)}"
        )
    short = " ".join((data.short_name or "").split()) or None
    if short and len(short) > MAX_SHORT:
        raise WorkflowError("short_name", f"nama singkat paling panjang {MAX_SHORT} karakter")
    if data.parent_id is not None:
        if session.get(Agency, data.parent_id) is None:
            raise WorkflowError("parent_id", f"instansi induk #{data.parent_id} tidak ada")
        if agency_id is not None and _is_below(session, data.parent_id, agency_id):
            raise WorkflowError("parent_id", "instansi induk tidak boleh bawahannya sendiri")
    codes = [data.region_code] if data.region_code else []
    for code in [*codes, *data.mandate_regions]:
        if session.get(Region, code) is None:
            raise WorkflowError(
                "mandate_regions" if code != data.region_code else "region_code",
                f"kode wilayah {code!r} tidak dikenal (kode Kemendagri, misalnya 64.72)",
            )
    return AgencyData(
        name=name,
        level=data.level,
        short_name=short,
        parent_id=data.parent_id,
        region_code=data.region_code or None,
        mandate_regions=sorted(set(data.mandate_regions)),
        boilerplate=(data.boilerplate or "").strip() or None,
        province=data.province,
        address=_line(data.address, "address", MAX_ADDRESS),
        phone=_line(data.phone, "phone", MAX_PHONE),
        web=_web(data.web),
    )


def _province(
    session: Session, principal: Principal, data: AgencyData, agency: Agency | None
) -> str | None:
    """The province an agency serves (``None``: national), in this order:

    1. the one given ("nasional" for a national agency); on an edit, the one it had;
    2. its region's province;
    3. its parent's province;
    4. the administrator's own province;
    5. the installation's (:func:`pantau.store.tenancy.default_province`).

    A provincial administrator may only place agencies in its own province, and a provincial
    agency's mandate stays within its province.
    """
    given = (data.province or "").strip().lower()
    if given == NATIONAL_WORD:
        province: str | None = None
    elif given:
        if session.get(Region, given) is None or "." in given:
            raise WorkflowError(
                "province", f"provinsi {given!r} tidak dikenal: kode dua digit (64) atau nasional"
            )
        province = given
    elif agency is not None:
        province = agency.province
    elif data.region_code:
        province = province_of(data.region_code)
    elif data.parent_id is not None and (parent := session.get(Agency, data.parent_id)):
        province = parent.province
    elif principal.tenants is not None and len(principal.tenants) == 1:
        province = next(iter(principal.tenants))
    else:
        province = default_province(session)
    if not principal.covers(province):
        raise WorkflowError("province", f"di luar wilayah Anda: {tenant_label(province)}")
    if province is not None:
        for code in [data.region_code or province, *data.mandate_regions]:
            if province_of(code) != province:
                raise WorkflowError(
                    "mandate_regions", f"wilayah {code} di luar provinsi {tenant_label(province)}"
                )
    return province


def _line(value: str | None, name: str, limit: int) -> str | None:
    line = " ".join((value or "").split()) or None
    if line and len(line) > limit:
        raise WorkflowError(name, f"paling panjang {limit} karakter")
    return line


def _web(value: str | None) -> str | None:
    """A web address as printed on a letterhead: a host with an optional http(s) scheme."""
    web = _line(value, "web", MAX_WEB)
    if web and not _WEB.match(web):
        raise WorkflowError("web", f"{web!r} bukan alamat web (mis. diskominfo.kaltimprov.go.id)")
    return web


def _is_below(session: Session, candidate: int, agency_id: int) -> bool:
    """Whether ``candidate`` is ``agency_id`` itself or one of its descendants."""
    seen: set[int] = set()
    current: int | None = candidate
    while current is not None and current not in seen:
        if current == agency_id:
            return True
        seen.add(current)
        current = session.scalar(select(Agency.parent_id).where(Agency.id == current))
    return False


def save_agency(
    session: Session, principal: Principal, data: AgencyData, agency_id: int | None = None
) -> Agency:
    """Create (``agency_id`` None) or update an agency and its mandate regions; audited."""
    authorize(principal, "agency.manage")
    clean = _clean(session, data, agency_id)
    found = session.get(Agency, agency_id) if agency_id is not None else None
    if agency_id is not None and (found is None or not principal.covers(found.province)):
        raise LookupError(f"instansi #{agency_id} tidak ada")
    province = _province(session, principal, clean, found)
    if found is None:
        agency = Agency(name=clean.name, level=clean.level)
        session.add(agency)
        before = None
    else:
        agency = found
        before = agency_view(agency)
    agency.province = province
    agency.name = clean.name
    agency.short_name = clean.short_name
    agency.level = clean.level
    agency.parent_id = clean.parent_id
    agency.region_code = clean.region_code
    agency.boilerplate = clean.boilerplate
    agency.letterhead_address = clean.address
    agency.letterhead_phone = clean.phone
    agency.letterhead_web = clean.web
    wanted = set(clean.mandate_regions)
    agency.regions[:] = [r for r in agency.regions if r.region_code in wanted]
    have = {r.region_code for r in agency.regions}
    agency.regions.extend(AgencyRegion(region_code=c) for c in sorted(wanted - have))
    session.flush()
    record_by(
        session,
        principal,
        action="agency.create" if before is None else "agency.update",
        object_type="agency",
        object_id=agency.id,
        before=before,
        after=agency_view(agency),
    )
    return agency


def set_agency_logo(
    session: Session, principal: Principal, agency_id: int, raw: bytes | None
) -> None:
    """Set (cleaned: see :func:`pantau.writing.letterhead.clean_logo`) or remove (``None``) the
    agency's letterhead logo; audited with the size stored."""
    authorize(principal, "agency.manage")
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise LookupError(f"instansi #{agency_id} tidak ada")
    try:
        logo = clean_logo(raw) if raw is not None else None
    except LogoError as exc:
        raise WorkflowError("logo", str(exc)) from exc
    before = {"logo_bytes": len(agency.logo_png or b"")}
    agency.logo_png = logo
    record_by(
        session,
        principal,
        action="agency.logo",
        object_type="agency",
        object_id=agency.id,
        before=before,
        after={"logo_bytes": len(logo or b"")},
    )
