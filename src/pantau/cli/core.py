"""Core commands: init, user add, settings, serve, openapi, version."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pantau.cli import app, options
from pantau.cli.console import err, fail, out

if TYPE_CHECKING:
    from pantau.settings import Settings
    from pantau.store.db import Database

__all__ = [
    "DatabaseUrl",
    "init",
    "open_store",
    "openapi",
    "serve",
    "settings_cmd",
    "user_add",
    "version",
]

#: The per-command ``--database-url`` (kept for scripts written before the global one; it wins
#: over ``pantau --database-url``, which wins over ``PANTAU_DATABASE_URL``).
DatabaseUrl = Annotated[
    str | None, typer.Option("--database-url", help="URL basis data (menimpa setelan).")
]

user_app = typer.Typer(help="Kelola pengguna.", no_args_is_help=True)
app.add_typer(user_app, name="user")


def _settings(database_url: str | None = None) -> Settings:
    from pantau.settings import SettingsError, get_settings

    try:
        s = get_settings()
    except SettingsError as exc:
        fail(str(exc))
    database_url = database_url or options.database_url
    return s.replace(database_url=database_url) if database_url else s


def open_store(database_url: str | None = None) -> tuple[Settings, Database]:
    """Open (and upgrade) the configured store, failing with a clear message; the first time
    after the upgrade that brought personal-data masking, mask what it held before."""
    from pantau.privacy import attach, is_protected, protect_once
    from pantau.store.db import Database, StoreError

    settings = _settings(database_url)
    try:
        db = Database(settings.database_url)
        db.upgrade()
        attach(db, settings)
        masked = None
        if not is_protected(db):
            with err.status("Menyensor data pribadi pada sebutan lama (sekali saja)…"):
                masked = protect_once(db)
    except (StoreError, OSError, ValueError) as exc:
        fail(str(exc))
    if masked:
        err.print(f"Data pribadi pada {masked} sebutan lama disensor; aslinya disegel.")
    return settings, db


@app.command()
def init(
    province: Annotated[
        str | None, typer.Option(help="Kode provinsi Kemendagri untuk membuat Diskominfo-nya.")
    ] = None,
    database_url: DatabaseUrl = None,
    network: Annotated[
        Path | None,
        typer.Option(help="Berkas YAML jaringan Humas: instansi, mandat, kata kunci, pengguna."),
    ] = None,
) -> None:
    """Buat atau perbarui basis data; muat kode wilayah; opsional buat instansi satu provinsi
    dan muat jaringan Humas dari berkas."""
    from pantau.secret_key import load_secret_key
    from pantau.store.regions import load_regions
    from pantau.store.seed import seed_province

    if province is not None and not province.strip().isdigit():
        fail(f"--province {province!r}: gunakan kode Kemendagri dua digit, mis. 64")
    settings, db = open_store(database_url)
    try:
        load_secret_key(settings)
    except (OSError, ValueError) as exc:
        fail(str(exc))
    with err.status("Memuat kode wilayah Kemendagri…"), db.writer() as s:
        added = load_regions(s)
        result = None
        if province:
            try:
                result = seed_province(s, province.strip())
            except ValueError as exc:
                fail(str(exc))
    err.print(f"Basis data siap: {db.safe_url} (revisi {db.current_revision()})")
    err.print(f"Wilayah ditambahkan: {added:,}".replace(",", "."))
    if result:
        err.print(
            f"Instansi provinsi {result.province}: {result.created} dibuat, "
            f"{result.existing} sudah ada"
        )
    if network is not None:
        load_network_file(database_url, network)


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Nama pengguna (huruf kecil).")],
    role: Annotated[str, typer.Option(help="admin, koordinator, analis atau pimpinan.")],
    agency: Annotated[
        str | None, typer.Option(help="ID atau nama singkat instansi, mis. 'Diskominfo Samarinda'.")
    ] = None,
    full_name: Annotated[str, typer.Option(help="Nama lengkap.")] = "",
    email: Annotated[str | None, typer.Option(help="Alamat surel untuk peringatan.")] = None,
    password: Annotated[
        str | None,
        typer.Option(help="Kata sandi; lebih aman lewat PANTAU_NEW_PASSWORD atau ditanyakan."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Tambah pengguna."""
    from sqlalchemy import or_, select

    from pantau.store.models import Agency
    from pantau.workflow.users import UserError, create_user

    _, db = open_store(database_url)
    secret = password or os.environ.get("PANTAU_NEW_PASSWORD")
    if not secret:
        secret = typer.prompt("Kata sandi", hide_input=True, confirmation_prompt=True)
    with db.writer() as s:
        agency_id = None
        if agency:
            cond = (
                Agency.id == int(agency)
                if agency.isdigit()
                else or_(Agency.short_name == agency, Agency.name == agency)
            )
            agency_id = s.scalar(select(Agency.id).where(cond))
            if agency_id is None:
                fail(
                    f"--agency {agency!r}: instansi tidak ditemukan; jalankan `pantau init "
                    "--province KODE` atau periksa nama singkatnya"
                )
        try:
            user = create_user(
                s,
                username=username,
                password=secret,
                role=role,
                full_name=full_name,
                email=email,
                agency_id=agency_id,
                actor="cli",
            )
        except UserError as exc:
            fail(str(exc))
        err.print(f"Pengguna {user.username!r} ({user.role}) dibuat dengan id {user.id}.")


@app.command("settings")
def settings_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
) -> None:
    """Tampilkan semua setelan: nama, jenis, nilai kini, variabel lingkungan, penjelasan."""
    from rich.table import Table

    s = _settings()
    rows = [
        {
            "name": item.name,
            "type": item.type.__name__,
            "value": "***" if item.secret and value else value,
            "default": item.default,
            "env": item.env,
            "group": item.group,
            "help": item.help,
        }
        for item, value in s
    ]
    if as_json:
        out.print_json(json.dumps(rows, default=str))
        return
    table = Table("setelan", "jenis", "nilai", "variabel", "keterangan", show_lines=False)
    for r in rows:
        table.add_row(r["name"], r["type"], str(r["value"]), r["env"], r["help"])
    out.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Alamat yang didengarkan.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    database_url: DatabaseUrl = None,
) -> None:
    """Jalankan dasbor web dan API."""
    import uvicorn

    from pantau.web.app import create_app

    settings, db = open_store(database_url)
    settings = settings.served_at(host, port)
    err.print(f"pantau berjalan di http://{host}:{port} (basis data {db.safe_url})")
    uvicorn.run(create_app(settings, db), host=host, port=port, log_level="warning")


@app.command()
def openapi() -> None:
    """Cetak dokumen OpenAPI dari API JSON."""
    from pantau.settings import Settings
    from pantau.web.app import create_app

    application = create_app(Settings.from_env(database_url="sqlite://", secret_key="x" * 32))
    out.print_json(json.dumps(application.openapi()))


@app.command()
def version() -> None:
    """Cetak versi pantau."""
    from pantau import __version__

    out.print(__version__)


def load_network_file(database_url: str | None, path: Path) -> None:
    """Load ``path`` into the store and say what was done (generated passwords once)."""
    from pantau.workflow.network_file import NetworkError, load_network, read_network

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}")
    _, db = open_store(database_url)
    try:
        with db.writer() as s:
            result = load_network(s, read_network(text))
    except NetworkError as exc:
        fail(f"{path}: {exc}")
    err.print(
        f"Jaringan dimuat dari {path}: {result.agencies} instansi, {result.watchlists} kata kunci, "
        f"{result.users} pengguna"
    )
    for username, password in sorted(result.passwords.items()):
        err.print(f"  kata sandi awal {username}: {password}  (sampaikan, lalu minta diganti)")
