"""Soak: the push API under 32 clients while the pipeline runs, first quiet, then under a login
flood; rate, p95, errors, and rows lost or doubled, counted against what the clients sent.

1. A real server (``pantau serve`` in its own process) on a fresh SQLite store, with one push
   source and its token; the pipeline (text -> issues) runs in a second process every 2 s.
2. 32 push clients (threads, keep-alive) send batches of 10 mentions with unique ids; a batch
   that fails is sent again (at most 5 times), as a real client would, so idempotence is tested.
3. Quiet phase (a quarter of ``--minutes``, at least 30 s): the baseline p95, in this same run.
4. Flood phase (``--minutes``): a third process adds a login flood, random user names and
   passwords from a botnet of 4,096 loopback addresses (127.0.x.y), so neither the address nor
   the user-name allowance stops it and every attempt reaches the password check.
5. Afterwards: every acknowledged mention must be stored once (lost = acknowledged but absent,
   doubled = rows beyond one per id).

Targets: 0 lost, 0 doubled, flood p95 within 3x of the quiet p95.
Usage: ``.venv/bin/python benchmarks/soak_access.py [--minutes 10]``; writes
``benchmarks/results/soak.md``. ``--tree ../main --output F`` measures another checkout the
same way (the before of a change). Not in CI: it runs for minutes and wants the machine alone.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "soak.md"
CLIENTS = 32
BATCH = 10
FLOOD_THREADS = 24
RETRIES = 5
#: The flood's botnet: distinct loopback source addresses (Linux routes all of 127/8 locally).
BOTNET = [f"127.0.{a}.{b}" for a in range(1, 17) for b in range(1, 257)]
TARGET_RATIO = 3.0
# The server side runs in subprocesses on the tree under test (``--tree``, this one by default),
# so the same benchmark measures another checkout (say, main before a change) as the baseline.
SERVE = (
    "import sys; from pantau.cli import main; "
    "sys.argv[:] = ['pantau', 'serve', '--port', sys.argv[1]]; main()"
)
SETUP = """
from pantau.ingest.sources import add_source, issue_token
from pantau.settings import get_settings
from pantau.store import Database
db = Database(get_settings().database_url)
db.upgrade()
with db.writer() as s:
    print(issue_token(add_source(s, name="soak", kind="push", channel="social")))
"""
PIPELINE = """
import sys, time
from pathlib import Path
from pantau.flow import Pipeline
from pantau.settings import get_settings
from pantau.store import Database
settings = get_settings()
pipeline = Pipeline(Database(settings.database_url), settings)
stop = Path(sys.argv[1])
while not stop.exists():
    pipeline.run_pending()
    time.sleep(2)
"""


@dataclass
class PushStats:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    acknowledged: set[str] = field(default_factory=set)
    batches: int = 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(folder: Path, tree: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PANTAU_DATABASE_URL": f"sqlite:///{folder / 'soak.db'}",
        "PANTAU_DATA_DIR": str(folder),
        "PANTAU_SECRET_KEY": "soak-" + "k" * 40,
        "PYTHONPATH": str(tree / "src"),
    }


def _flood(url: str, stop: object, counts: object) -> None:
    """Wrong logins from the botnet, each address with its own session and CSRF token."""
    tally: Counter[str] = Counter()
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rnd = random.Random(seed)
        while not stop.is_set():  # type: ignore[attr-defined]
            address = rnd.choice(BOTNET)
            transport = httpx.HTTPTransport(local_address=address)
            try:
                with httpx.Client(base_url=url, transport=transport, timeout=30) as c:
                    page = c.get("/login")
                    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
                    form = {
                        "username": f"u{rnd.randrange(10**6)}",
                        "password": f"tebak-{rnd.randrange(10**9)}",
                        "csrf_token": token.group(1) if token else "",
                    }
                    code = str(c.post("/login", data=form).status_code)
            except httpx.HTTPError as exc:
                code = type(exc).__name__
            with lock:
                tally[code] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(FLOOD_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts.update(tally)  # type: ignore[attr-defined]


def _push_client(
    n: int, url: str, token: str, until: float, stats: PushStats, lock: threading.Lock
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    seq = 0
    with httpx.Client(base_url=url, headers=headers, timeout=60) as c:
        while time.monotonic() < until:
            ids = [f"c{n}-{seq}-{i}" for i in range(BATCH)]
            seq += 1
            body = {
                "mentions": [
                    {
                        "external_id": ext,
                        "text": f"Warga melaporkan jalan rusak di Samarinda ({ext})",
                        "published_at": "2026-12-01T08:00:00+08:00",
                    }
                    for ext in ids
                ]
            }
            for _ in range(RETRIES):
                start = time.perf_counter()
                try:
                    resp = c.post("/api/v1/mentions", json=body)
                    elapsed = time.perf_counter() - start
                    ok = resp.status_code == 200
                    problem = None if ok else f"HTTP {resp.status_code}"
                except httpx.HTTPError as exc:
                    elapsed, ok, problem = time.perf_counter() - start, False, type(exc).__name__
                with lock:
                    stats.latencies.append(elapsed)
                    if ok:
                        results = resp.json()["results"]
                        stats.acknowledged.update(
                            r["external_id"] for r in results if r["status"] != "rejected"
                        )
                        stats.batches += 1
                    else:
                        stats.errors[problem or "?"] += 1
                if ok:
                    break


def _phase(url: str, token: str, seconds: float) -> tuple[PushStats, float]:
    stats, lock = PushStats(), threading.Lock()
    until = time.monotonic() + seconds
    started = time.monotonic()
    threads = [
        threading.Thread(target=_push_client, args=(n, url, token, until, stats, lock))
        for n in range(CLIENTS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return stats, time.monotonic() - started


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values, default=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="flood phase length")
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout whose pantau serves")
    parser.add_argument("--output", type=Path, default=OUT, help="the report (Markdown)")
    args = parser.parse_args(argv)
    flood_s = args.minutes * 60
    quiet_s = max(30.0, flood_s / 4)
    folder = Path(tempfile.mkdtemp(prefix="pantau-soak-"))
    env = _env(folder, args.tree.resolve())
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, cwd=folder, capture_output=True, check=True
    )
    token = setup.stdout.decode().strip().splitlines()[-1]
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(port)],
        env=env,
        cwd=folder,
        stderr=subprocess.DEVNULL,
    )
    ctx = multiprocessing.get_context("spawn")
    stop_file = folder / "stop"
    pipeline = subprocess.Popen(
        [sys.executable, "-c", PIPELINE, str(stop_file)], env=env, cwd=folder
    )
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        print(f"quiet phase: {quiet_s:.0f} s", flush=True)
        quiet, quiet_wall = _phase(url, token, quiet_s)
        manager = ctx.Manager()
        counts = manager.dict()
        flood_stop = ctx.Event()
        flood = ctx.Process(target=_flood, args=(url, flood_stop, counts))
        flood.start()
        time.sleep(5)  # let the flood reach full strength before measuring
        print(f"flood phase: {flood_s:.0f} s", flush=True)
        loud, loud_wall = _phase(url, token, flood_s)
        flood_stop.set()
        flood.join(120)
        flood_counts = dict(counts)
        manager.shutdown()
        stop_file.touch()
        pipeline.wait(300)  # it finishes what is queued: "waiting" below counts what it left
    finally:
        stop_file.touch()
        server.terminate()
        server.wait(30)
        if pipeline.poll() is None:
            pipeline.terminate()
    with sqlite3.connect(folder / "soak.db") as conn:
        rows = conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
        stored = {r[0] for r in conn.execute("SELECT external_id FROM mentions")}
        pending = conn.execute(
            "SELECT count(*) FROM mentions WHERE analyzed_at IS NULL"
        ).fetchone()[0]
    acknowledged = quiet.acknowledged | loud.acknowledged
    lost = len(acknowledged - stored)
    doubled = rows - len(stored)
    q95, l95 = _p95(quiet.latencies), _p95(loud.latencies)
    flood_total = sum(flood_counts.values())
    report = {
        "quiet": (quiet.batches * BATCH / quiet_wall, q95, sum(quiet.errors.values())),
        "flood": (loud.batches * BATCH / loud_wall, l95, sum(loud.errors.values())),
    }
    lines = [
        "# Soak: push API under a login flood",
        "",
        f"`python benchmarks/soak_access.py --minutes {args.minutes:g}"
        f"{' --tree ' + str(args.tree) if args.tree != ROOT else ''}` on {os.cpu_count()} CPU(s)"
        " (a shared machine: other work ran beside it), SQLite store, one `pantau serve`"
        f" process, pipeline every 2 s, {CLIENTS} push clients x {BATCH} mentions a batch.",
        "",
        "| phase | seconds | mentions/s | batches | p95 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for name, stats, wall in (("quiet", quiet, quiet_wall), ("login flood", loud, loud_wall)):
        rate, p95, errors = report["quiet" if name == "quiet" else "flood"]
        lines.append(
            f"| {name} | {wall:.0f} | {rate:.0f} | {stats.batches} | {p95 * 1000:.0f} | "
            f"{errors} {dict(stats.errors) or ''} |"
        )
    ratio = l95 / q95 if q95 else float("inf")
    lines += [
        "",
        f"- flood: {flood_total} login attempts ({flood_total / loud_wall:.0f}/s) from "
        f"{len(BOTNET)} addresses, answers {dict(sorted(flood_counts.items()))}",
        f"- acknowledged mentions: {len(acknowledged)}; stored rows: {rows}; "
        f"**lost: {lost}; doubled: {doubled}**; still waiting for analysis at the end: {pending}",
        f"- p95 under flood / quiet p95: **{ratio:.2f}x** (target <= {TARGET_RATIO:g}x)",
    ]
    text = "\n".join(lines) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0 if lost == 0 and doubled == 0 and ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
