"""Seeding a province: its Diskominfo and one Diskominfo per kabupaten/kota, with mandates."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.store.audit import record
from pantau.store.models import Agency, AgencyRegion, Region

__all__ = ["SeedResult", "seed_province"]


@dataclass
class SeedResult:
    province: str
    created: int
    existing: int


def _short(name: str) -> str:
    for prefix in ("Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def seed_province(session: Session, code: str, *, actor: str = "system") -> SeedResult:
    """Create the province's Diskominfo and its kab/kota Diskominfo agencies (idempotent).

    Raises ``ValueError`` naming the code when it is not a province in the loaded regions.
    """
    province = session.get(Region, code)
    if province is None or province.level != 1:
        raise ValueError(
            f"kode provinsi {code!r} tidak dikenal: gunakan kode Kemendagri dua digit, "
            "misalnya 64 untuk Kalimantan Timur"
        )
    created = existing = 0
    prov_name = f"Dinas Komunikasi dan Informatika Provinsi {province.name}"
    parent = session.scalar(select(Agency).where(Agency.name == prov_name))
    if parent is None:
        parent = Agency(
            name=prov_name,
            short_name=f"Diskominfo Prov. {province.name}",
            level="provinsi",
            region_code=code,
            province=code,
        )
        parent.regions.append(AgencyRegion(region_code=code))
        session.add(parent)
        session.flush()
        record(
            session,
            actor=actor,
            action="agency.create",
            object_type="agency",
            object_id=parent.id,
            after={"name": prov_name},
        )
        created += 1
    else:
        existing += 1
    kabkota = session.scalars(
        select(Region).where(Region.parent_code == code, Region.level == 2).order_by(Region.code)
    ).all()
    for region in kabkota:
        name = f"Dinas Komunikasi dan Informatika {region.name}"
        if session.scalar(select(Agency.id).where(Agency.name == name)) is not None:
            existing += 1
            continue
        level = "kota" if region.name.startswith("Kota ") else "kabupaten"
        agency = Agency(
            name=name,
            short_name=f"Diskominfo {_short(region.name)}",
            level=level,
            parent_id=parent.id,
            region_code=region.code,
            province=code,
        )
        agency.regions.append(AgencyRegion(region_code=region.code))
        session.add(agency)
        session.flush()
        record(
            session,
            actor=actor,
            action="agency.create",
            object_type="agency",
            object_id=agency.id,
            after={"name": name},
        )
        created += 1
    return SeedResult(code, created, existing)
