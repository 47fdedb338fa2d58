"""``pantau pdp``: citizens' personal data (UU PDP 27/2022) on request and on schedule.

``find`` and ``erase`` answer a data subject's request for one NIK, phone number or e-mail
address (plates and bank accounts too); ``expire`` applies the retention setting now;
``protect`` rescans every mention (the first command after the upgrade did it once; rerun it
when an updated pantau finds more). ``find`` and ``erase`` act for a
named user holding ``pii.view`` and are audited.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from pantau.cli import app
from pantau.cli.console import err, fail, out
from pantau.cli.core import open_store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pantau.privacy.vault import Vault
    from pantau.workflow.permissions import Principal

__all__ = ["authorized", "pdp_erase", "pdp_expire", "pdp_find", "pdp_protect"]

pdp_app = typer.Typer(
    help="Data pribadi warga (UU PDP): cari, hapus, retensi, sensor data lama.",
    no_args_is_help=True,
)
app.add_typer(pdp_app, name="pdp")

DbOpt = Annotated[str | None, typer.Option(help="URL basis data (menimpa setelan).")]
AsOpt = Annotated[
    str, typer.Option("--as", help="Pengguna berizin pii.view yang menjalankan (dicatat di audit).")
]
NikOpt = Annotated[str | None, typer.Option("--nik", help="NIK 16 digit.")]
PhoneOpt = Annotated[str | None, typer.Option("--phone", help="Nomor telepon, bentuk apa pun.")]
EmailOpt = Annotated[str | None, typer.Option("--email", help="Alamat surel.")]
PlateOpt = Annotated[str | None, typer.Option("--plate", help="Nomor pelat, mis. 'KT 1234 AB'.")]
BankOpt = Annotated[str | None, typer.Option("--bank", help="Nomor rekening.")]


def authorized(session: Session, username: str | None, option: str) -> Principal:
    """The active user ``username`` if they hold ``pii.view``; else the command fails."""
    from sqlalchemy import select

    from pantau.store.models import User
    from pantau.workflow.disclosure import PERMISSION
    from pantau.workflow.permissions import allowed
    from pantau.workflow.users import principal_of

    if not username:
        fail(f"{option}: sebutkan --as PENGGUNA yang berizin melihat data pribadi ({PERMISSION})")
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None:
        fail(f"--as {username!r}: pengguna tidak ada atau tidak aktif")
    principal = principal_of(user)
    if not allowed(principal, PERMISSION):
        fail(f"--as {username!r}: peran {principal.role!r} tidak berizin {PERMISSION}")
    return principal


def _one_value(**given: str | None) -> tuple[str, str]:
    chosen = [(kind, value) for kind, value in given.items() if value]
    if len(chosen) != 1:
        fail("sebutkan tepat satu dari --nik, --phone, --email, --plate atau --bank")
    kind, value = chosen[0]
    from pantau.text.personal import normalize_value

    if kind == "nik" and len(normalize_value("nik", value)) != 16:
        fail(f"--nik {value!r}: NIK harus 16 digit")
    return kind, value


def _vault(session: Session) -> Vault:
    from pantau.privacy import vault_of

    vault = vault_of(session)
    if vault is None:  # open_store always attaches one; a guard for library misuse
        fail("kunci rahasia tidak tersedia: jalankan `pantau init`")
    return vault


@pdp_app.command("find")
def pdp_find(
    as_user: AsOpt = "",
    nik: NikOpt = None,
    phone: PhoneOpt = None,
    email: EmailOpt = None,
    plate: PlateOpt = None,
    bank: BankOpt = None,
    database_url: DbOpt = None,
) -> None:
    """Cari di mana data satu orang disimpan (sebutan dan karantina); satu baris JSON per tempat."""
    from pantau.privacy.erasure import find_person
    from pantau.store.audit import record_by

    kind, value = _one_value(nik=nik, phone=phone, email=email, plate=plate, bank=bank)
    _, db = open_store(database_url)
    with db.writer() as s:
        principal = authorized(s, as_user, "find")
        search = find_person(s, _vault(s), kind, value)
        record_by(
            s,
            principal,
            action="pii.find",
            object_type="person",
            object_id=search.masked,
            after={"kind": kind, "mentions": search.mentions, "quarantine": search.quarantine},
        )
    for h in search.holdings:
        row = {**vars(h), "at": h.at.isoformat() if h.at else None}
        out.print(json.dumps(row, ensure_ascii=False), markup=False)
    err.print(
        f"{search.masked}: {len(search.mentions)} sebutan, {len(search.quarantine)} karantina",
        markup=False,
    )


@pdp_app.command("erase")
def pdp_erase(
    as_user: AsOpt = "",
    nik: NikOpt = None,
    phone: PhoneOpt = None,
    email: EmailOpt = None,
    plate: PlateOpt = None,
    bank: BankOpt = None,
    yes: Annotated[bool, typer.Option("--yes", help="Tanpa konfirmasi.")] = False,
    database_url: DbOpt = None,
) -> None:
    """Hapus data satu orang di mana pun disimpan: teks tetap tersensor, aslinya hilang."""
    from pantau.privacy.erasure import erase_person
    from pantau.text.personal import mask_value

    kind, value = _one_value(nik=nik, phone=phone, email=email, plate=plate, bank=bank)
    if not yes:
        typer.confirm(f"Hapus semua data {mask_value(kind, value)}?", abort=True, err=True)
    _, db = open_store(database_url)
    with db.writer() as s:
        principal = authorized(s, as_user, "erase")
        done = erase_person(
            s,
            _vault(s),
            kind,
            value,
            actor=principal.username,
            actor_id=principal.id,
        )
    err.print(
        f"{mask_value(kind, value)} dihapus: {done.pieces} data asli dari {done.mentions} "
        f"sebutan, {done.quarantined} rekaman karantina disensor",
        markup=False,
    )


@pdp_app.command("expire")
def pdp_expire(
    days: Annotated[
        int | None, typer.Option(help="Hari retensi (bawaan: setelan pii_retention_days).")
    ] = None,
    database_url: DbOpt = None,
) -> None:
    """Terapkan retensi sekarang: hapus data asli yang lebih tua dari masa retensi."""
    from pantau.privacy.retention import expire

    settings, db = open_store(database_url)
    keep = settings.pii_retention_days if days is None else days
    if keep < 0:
        fail(f"--days {keep}: gunakan 0 (simpan) atau jumlah hari")
    with db.writer() as s:
        done = expire(s, keep)
    err.print(
        f"Retensi {keep} hari: {done.pieces} data asli dihapus, "
        f"{done.quarantined} rekaman karantina disensor"
    )


@pdp_app.command("protect")
def pdp_protect(database_url: DbOpt = None) -> None:
    """Periksa ulang semua sebutan dan sensor data pribadi yang masih terbaca (setelah pantau
    diperbarui dan pendeteksinya mengenal lebih banyak)."""
    from pantau.privacy import protect_stored

    _, db = open_store(database_url)
    with db.writer() as s:
        changed = protect_stored(s)
    err.print(f"{changed} sebutan disensor; data aslinya disegel")
