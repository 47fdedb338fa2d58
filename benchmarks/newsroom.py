"""Benchmark of the public newsroom: a release page and the feed against a static file.

Run: ``.venv/bin/python benchmarks/newsroom.py [--seconds 5] [--connections 16]``; writes
benchmarks/results/newsroom.md.

One uvicorn worker (a separate process, as ``pantau serve`` runs it) serves a SQLite store with
the demo agencies and published releases. A small keep-alive HTTP/1.1 load generator (asyncio,
raw sockets: an HTTP library would be the bottleneck on a small machine) requests, for a fixed
time each: a static file from the same server (``/static/newsroom.css``, the baseline), one
release page, and the Atom feed. It runs twice: with the newsroom's in-memory reuse of public
answers (the default, ``newsroom_cache_seconds`` = 30) and without it (0: every request renders
from the store), so both the served rate and what the reuse buys are visible.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import select  # noqa: E402

from pantau.newsroom import publish  # noqa: E402
from pantau.settings import Settings  # noqa: E402
from pantau.store import Agency, Database  # noqa: E402
from pantau.store.regions import load_regions  # noqa: E402
from pantau.store.seed import seed_province  # noqa: E402
from pantau.workflow.users import create_user, principal_of  # noqa: E402
from pantau.writing import desk, example_fields  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "newsroom.md"
#: Releases in the store: a page of the feed (20) and some related ones for every release page.
RELEASES = 24
#: The floor the issue sets for the release page and the feed on one worker.
FLOOR_RPS = 500


def build_store(path: Path) -> tuple[str, str]:
    """A store with Kaltim's agencies and ``RELEASES`` published releases; (url, a slug)."""
    url = f"sqlite:///{path}"
    db = Database(url)
    db.upgrade()
    settings = Settings.from_env({}, database_url=url)
    with db.writer() as s:
        load_regions(s)
        seed_province(s, "64")
        agency = s.scalar(select(Agency).where(Agency.short_name == "Diskominfo Samarinda"))
        assert agency is not None
        author = principal_of(
            create_user(s, username="rina", password="x" * 12, role="analis", agency_id=agency.id)
        )
        chief = principal_of(
            create_user(s, username="koord", password="x" * 12, role="koordinator")
        )
    slug = ""
    for i in range(RELEASES):
        facts = {
            **example_fields("siaran_pers"),
            "headline": f"Posko Banjir Samarinda Hari {i + 1}",
        }
        with db.writer() as s:
            doc = desk.create_document(s, author, "siaran_pers", facts, settings)
            desk.transition(s, author, doc.id, "ditinjau", settings)
            desk.transition(s, chief, doc.id, "disetujui", settings)
            slug = publish(s, chief, doc.id, settings).slug
    db.dispose()
    return url, slug


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, port: int, cache_seconds: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PANTAU_DATABASE_URL": url,
        "PANTAU_SECRET_KEY": "benchmark-" + "k" * 40,
        "PANTAU_NEWSROOM_CACHE_SECONDS": str(cache_seconds),
        "PYTHONPATH": str(ROOT / "src"),
    }
    cmd = [
        sys.executable, "-m", "uvicorn", "pantau.web.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("uvicorn did not start")


async def _connection(port: int, path: str, until: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    try:
        while time.monotonic() < until:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(f"{path}: {head.splitlines()[0]!r}")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
            counts[0] += 1
    finally:
        writer.close()


async def _load(port: int, path: str, seconds: float, connections: int) -> float:
    counts = [0]
    start = time.monotonic()
    until = start + seconds
    await asyncio.gather(*(_connection(port, path, until, counts) for _ in range(connections)))
    return counts[0] / (time.monotonic() - start)


def measure(port: int, path: str, seconds: float, connections: int) -> float:
    asyncio.run(_load(port, path, 0.5, connections))  # warm up: imports, caches, connections
    return asyncio.run(_load(port, path, seconds, connections))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url, slug = build_store(Path(tmp) / "bench.db")
        paths = {
            "static file (baseline)": "/static/newsroom.css",
            "release page": f"/rilis/{slug}",
            "Atom feed (20 entries)": "/rilis/feed.xml",
        }
        rows: list[tuple[str, str, float]] = []
        for label, cache in (("reuse 30 s (default)", 30), ("no reuse (0 s)", 0)):
            port = free_port()
            server = start_server(url, port, cache)
            try:
                for name, path in paths.items():
                    rate = measure(port, path, args.seconds, args.connections)
                    rows.append((label, name, rate))
                    print(f"{label:22} {name:24} {rate:8.0f} req/s", file=sys.stderr)
            finally:
                server.terminate()
                server.wait(30)
    lines = [
        "# Newsroom: public pages on one uvicorn worker",
        "",
        f"`python benchmarks/newsroom.py --seconds {args.seconds:g} --connections "
        f"{args.connections}`: {RELEASES} published releases on SQLite, one uvicorn worker, "
        "keep-alive HTTP/1.1 load from the same machine (it shares the CPU with the server).",
        "",
        "| public answers | request | req/s | vs static file |",
        "|---|---|---:|---:|",
    ]
    for label, name, rate in rows:
        static = next(r for lab, n, r in rows if lab == label and n.startswith("static"))
        lines.append(f"| {label} | {name} | {rate:.0f} | {rate / static:.2f} |")
    lines += ["", f"Floor: {FLOOR_RPS} req/s for the release page and the feed (default settings)."]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
