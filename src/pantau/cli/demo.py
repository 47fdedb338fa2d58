"""``pantau demo``: a fresh SQLite store with the bundled Kaltim sample, served on :8000."""

from __future__ import annotations

import secrets
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from pantau.cli import app
from pantau.cli.console import err, fail, out

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


@app.command()
def demo(
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Sajikan dasbor setelahnya.")
    ] = True,
    database: Annotated[Path, typer.Option(help="Berkas SQLite demo (dibuat ulang).")] = Path(
        "pantau-demo.db"
    ),
    host: Annotated[str, typer.Option(help="Alamat dasbor.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port dasbor.")] = 8000,
) -> None:
    """Buat basis data demo berisi contoh sebutan Kaltim, proses, lalu sajikan dasbornya."""
    from sqlalchemy import func, select

    from pantau.alerts.channels import load_channel
    from pantau.alerts.runner import run_round
    from pantau.cli.demo_history import apply_history
    from pantau.cli.demo_newsroom import publish_demo_releases
    from pantau.ingest.imports import import_file
    from pantau.pipeline import Pipeline
    from pantau.settings import get_settings
    from pantau.store import Agency, Database, Issue, Mention, Quarantine
    from pantau.store.regions import load_regions
    from pantau.store.seed import seed_province
    from pantau.workflow.users import create_user

    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    settings = get_settings().replace(
        database_url=f"sqlite:///{database.resolve()}", province=DEMO_PROVINCE
    )
    db = Database(settings.database_url)
    db.upgrade()
    with err.status("Memuat kode wilayah dan instansi Kaltim…"), db.writer() as s:
        load_regions(s)
        seed_province(s, DEMO_PROVINCE)
    folder = _demo_dir()
    for sample, mapping, source_name in DEMO_FILES:
        summary = import_file(
            db, folder / sample, f"mapping:{folder / mapping}", settings, source_name=source_name
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
    result = Pipeline(db, settings).run_pending(progress=True)
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
        issues = s.scalar(select(func.count(Issue.id)).where(Issue.merged_into_id.is_(None))) or 0
        quarantined = s.scalar(select(func.count(Quarantine.id))) or 0
    out.print(f"sebutan: {mentions}")
    out.print(f"isu: {issues}")
    out.print(f"karantina: {quarantined}")
    err.print(f"Pengguna demo: [bold]{DEMO_USER}[/] / kata sandi: [bold]{password}[/]")
    if not serve:
        return
    import uvicorn

    from pantau.web.app import create_app

    err.print(f"Dasbor: http://{host}:{port}  (Ctrl+C untuk berhenti)")
    if mentions == 0:
        fail("tidak ada sebutan yang termuat; periksa pesan di atas")
    uvicorn.run(create_app(settings, db), host=host, port=port, log_level="warning")
