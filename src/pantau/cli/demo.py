"""``pantau demo``: the configured SQLite store, refilled with the bundled Kaltim sample, served."""

from __future__ import annotations

import secrets
import sqlite3
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from pantau.cli import app
from pantau.cli.console import err, fail, out, progress_callback

__all__ = ["DEMO_FILES", "demo"]

#: Sample file -> (mapping file, source name); imported in this order.
DEMO_FILES: tuple[tuple[str, str, str], ...] = (
    ("news.jsonl", "news.toml", "Contoh: berita daring Kaltim"),
    ("social.jsonl", "social.toml", "Contoh: media sosial"),
    ("complaints.jsonl", "complaints.toml", "Contoh: pengaduan SP4N-LAPOR!"),
)
DEMO_USER = "demo"
DEMO_PROVINCE = "64"


def _demo_dir() -> Path:
    return Path(str(resources.files("pantau.data").joinpath("demo")))


def _configured_file(url: str) -> Path:
    """The SQLite file of the configured store, where every other command will look."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == prefix or url.endswith(":memory:"):
        fail(
            "demo membutuhkan berkas SQLite, sedangkan database_url menunjuk ke basis data lain; "
            "berikan --database pantau-demo.db"
        )
    return Path(url.removeprefix(prefix))


def _refuse_foreign_data(database: Path) -> None:
    """Stop before wiping a store that is neither empty nor an earlier demo.

    The demo writes where the other commands read, so an installation's own store can be in its
    way. An earlier demo is known by its sources: only the sample's own.
    """
    if not database.exists():
        return
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
            sources = {row[0] for row in conn.execute("SELECT name FROM sources")}
            users = {row[0] for row in conn.execute("SELECT username FROM users")}
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return  # an empty SQLite file, or one never initialised: nothing to lose
        fail(f"{database}: {exc}; demo tidak menghapusnya")
    except sqlite3.DatabaseError:
        fail(f"{database} bukan basis data SQLite; demo tidak menghapusnya")
    from pantau.newsroom.publish import OFFICIAL_SOURCE

    own = {name for _, _, name in DEMO_FILES} | {OFFICIAL_SOURCE}  # the demo's releases too
    foreign = sorted(sources - own)
    if foreign or (users and not sources):
        held = ", ".join(foreign[:3]) or f"pengguna {', '.join(sorted(users)[:3])}"
        fail(
            f"{database} berisi data yang bukan milik demo ({held}); demo tidak menghapusnya. "
            "Berikan --database berkas-lain.db"
        )


@app.command()
def demo(
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Sajikan dasbor setelahnya.")
    ] = True,
    database: Annotated[
        Path | None,
        typer.Option(
            help="Berkas SQLite demo (dibuat ulang); bawaan: berkas setelan database_url, "
            "agar `pantau report` dan `pantau export` membaca data demo."
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="Alamat dasbor.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port dasbor.")] = 8000,
) -> None:
    """Buat basis data demo berisi contoh sebutan Kaltim, proses, lalu sajikan dasbornya."""
    from sqlalchemy import func, select

    from pantau.alerts.channels import load_channel
    from pantau.alerts.runner import run_round
    from pantau.cli.demo_history import apply_history
    from pantau.cli.demo_newsroom import publish_demo_releases
    from pantau.cli.demo_sample import place_sample
    from pantau.flow import Pipeline
    from pantau.ingest.imports import import_file
    from pantau.privacy import attach
    from pantau.settings import get_settings
    from pantau.store import Agency, Database, Issue, Mention, Quarantine, User
    from pantau.store.regions import load_regions
    from pantau.store.seed import seed_province
    from pantau.workflow.accounts import reset_password
    from pantau.workflow.network_file import SYSTEM, load_network, read_network
    from pantau.workflow.users import create_user

    configured = get_settings()
    database = database or _configured_file(configured.database_url)
    _refuse_foreign_data(database)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    settings = configured.replace(
        database_url=f"sqlite:///{database.resolve()}", province=DEMO_PROVINCE
    ).served_at(host, port)
    db = Database(settings.database_url)
    db.upgrade()
    attach(db, settings)
    folder = _demo_dir()
    with err.status("Memuat kode wilayah dan jaringan Humas Kaltim…"), db.writer() as s:
        load_regions(s)
        seed_province(s, DEMO_PROVINCE)
        network = load_network(s, read_network((folder / "network.yaml").read_text("utf-8")))
    zone = ZoneInfo(settings.timezone)
    with tempfile.TemporaryDirectory(prefix="pantau-demo-") as placed:
        where = place_sample(
            folder,
            [(sample, mapping) for sample, mapping, _ in DEMO_FILES],
            Path(placed),
            now=datetime.now(UTC),
            zone=zone,
        )
        err.print(
            f"Waktu contoh digeser ke {where.first.astimezone(zone):%Y-%m-%d %H:%M} s.d. "
            f"{where.last.astimezone(zone):%Y-%m-%d %H:%M} ({settings.timezone})"
        )
        for sample, mapping, source_name in DEMO_FILES:
            summary = import_file(
                db,
                Path(placed) / sample,
                f"mapping:{folder / mapping}",
                settings,
                source_name=source_name,
            )
            err.print(
                f"{sample}: {summary.imported} dimuat, {summary.duplicates} duplikat, "
                f"{summary.quarantined} dikarantina"
                + "".join(f"\n  - {line}" for line in summary.describe_reasons()),
                markup=False,
                highlight=False,
            )
    password = secrets.token_urlsafe(9)
    with db.writer() as s:
        for username in network.passwords:  # one password for every demo account
            user_id = s.scalar(select(User.id).where(User.username == username))
            reset_password(s, SYSTEM, int(user_id or 0), password)
        agency_id = s.scalar(select(Agency.id).where(Agency.level == "provinsi"))
        create_user(
            s,
            username=DEMO_USER,
            password=password,
            role="koordinator",
            full_name="Koordinator Demo",
            agency_id=agency_id,
            actor="demo",
        )
    with progress_callback("Menganalisis sebutan") as advance:
        result = Pipeline(db, settings).run_pending(progress=advance)
    err.print(f"Diproses: {result.describe()}")
    # Route the alerts and deliver the in-app ones, so the notification centre has them too
    # (the demo configures no mail server, Telegram bot or webhook).
    rounds = run_round(db, settings, {"inapp": load_channel("inapp", settings)})
    err.print(f"Notifikasi dalam aplikasi: {rounds.delivery.sent}")
    history = apply_history(db, folder / "history.toml", DEMO_USER)
    err.print(
        f"Riwayat penanganan: {history.closed} isu lama ditutup dengan pelajaran, "
        f"{history.ongoing} isu sedang ditangani"
    )
    releases = publish_demo_releases(db, settings, DEMO_USER, folder / "releases.toml")
    err.print(f"Rilis terbit di ruang berita (/rilis): {releases}")
    with db.session() as s:
        mentions = s.scalar(select(func.count(Mention.id))) or 0
        issues = s.scalar(select(func.count(Issue.id)).where(Issue.listed())) or 0
        quarantined = s.scalar(select(func.count(Quarantine.id))) or 0
    out.print(f"sebutan: {mentions}")
    out.print(f"isu: {issues}")
    out.print(f"karantina: {quarantined}")
    err.print(f"Pengguna demo: [bold]{DEMO_USER}[/] / kata sandi: [bold]{password}[/]")
    err.print(f"Akun lain dengan kata sandi yang sama: {', '.join(sorted(network.passwords))}")
    if not serve:
        return
    import uvicorn

    from pantau.web.app import create_app

    err.print(f"Dasbor: http://{host}:{port}  (Ctrl+C untuk berhenti)")
    if mentions == 0:
        fail("tidak ada sebutan yang termuat; periksa pesan di atas")
    uvicorn.run(create_app(settings, db), host=host, port=port, log_level="warning")
