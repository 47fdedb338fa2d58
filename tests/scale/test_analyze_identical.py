"""``pantau analyze --workers N`` writes the same bytes as the single-process run, near-duplicates
and copy-paste bursts across batches (and so across workers) included; and the single-process run
itself is the same whatever Python's string-hash seed, which the identity rests on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.scale.streams import generate

PANTAU = [sys.executable, "-c", "from pantau.cli import main; main()"]
#: Small batches, so the generated stream spans many of them and copies cross batches.
BATCH = "150"
#: Lines of the dead-worker test: several seconds of the workers' time after their start.
LONG_STREAM = 30_000
#: Batches of the dead-worker test: long enough (about a third of a second of work each) that a
#: worker seen computing is still inside its batch when it is killed.
DEAD_WORKER_BATCH = "3000"
#: CPU a worker spends in 20 ms of wall time while it computes (idle workers spend ~0).
BUSY_CPU_SECONDS = 0.01


def analyze(src: Path, dst: Path, *args: str, seed: str = "0", batch: str | None = BATCH) -> str:
    """Runs ``pantau analyze`` in its own process (``batch`` None: the default batch size)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTAU_")}
    env["PYTHONHASHSEED"] = seed
    if batch:
        env["PANTAU_ANALYZE_BATCH_SIZE"] = batch
    proc = subprocess.run(
        [*PANTAU, "analyze", "--input", str(src), "--output", str(dst), *args],
        capture_output=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stderr.decode()


@pytest.fixture(scope="module")
def stream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "stream.jsonl"
    path.write_text("\n".join(generate(3000)) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(stream: Path) -> Path:
    out = stream.with_name("single.jsonl")
    analyze(stream, out)
    return out


@pytest.mark.slow
def test_single_process_output_does_not_depend_on_the_hash_seed(
    stream: Path, reference: Path
) -> None:
    other = stream.with_name("seed.jsonl")
    analyze(stream, other, seed="1")
    assert other.read_bytes() == reference.read_bytes()


@pytest.mark.slow
def test_two_local_workers_write_the_same_bytes(stream: Path, reference: Path) -> None:
    out = stream.with_name("workers.jsonl")
    summary = analyze(stream, out, "--workers", "2", seed="2")
    assert out.read_bytes() == reference.read_bytes()
    assert "3000 baris dianalisis" in summary
    lines = [json.loads(line) for line in reference.read_text("utf-8").splitlines()]
    # the stream exercises what a naive split would get wrong: links to earlier batches and
    # bursts whose accounts sit in different batches
    batch_of = {str(o["id"]): n // int(BATCH) for n, o in enumerate(lines) if o.get("id")}
    crossing = [
        o
        for n, o in enumerate(lines)
        if batch_of.get(o.get("dup_of") or "", n // int(BATCH)) < n // int(BATCH)
    ]
    assert len(crossing) > 500
    assert Counter(bool(o.get("coordinated")) for o in lines)[True] > 20
    assert sum("error" in o for o in lines) > 10


@pytest.mark.slow
def test_workers_and_scheduler_are_exclusive(stream: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTAU_")}
    proc = subprocess.run(
        [*PANTAU, "analyze", "-i", str(stream), "--workers", "2", "--scheduler", "tcp://x:1"],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2 and "--workers atau --scheduler" in proc.stderr.decode()


@pytest.mark.slow
def test_an_existing_scheduler_gives_the_same_bytes(stream: Path, reference: Path) -> None:
    from pantau.scale import connect

    out = stream.with_name("scheduler.jsonl")
    with connect(workers=2) as client:
        analyze(stream, out, "--scheduler", client.scheduler.address, seed="3")
    assert out.read_bytes() == reference.read_bytes()


@pytest.mark.slow
def test_a_dead_worker_costs_one_batch_not_the_run(tmp_path: Path) -> None:
    """A worker SIGKILLed while it works: with no retries left in Dask (``allowed-failures``
    0), its batch is done in the calling process; the run ends well, output unchanged."""
    import signal
    import time

    import psutil

    stream = tmp_path / "long.jsonl"  # long enough that the workers are busy for seconds
    stream.write_text("\n".join(generate(LONG_STREAM)) + "\n", encoding="utf-8")
    reference = tmp_path / "single.jsonl"
    analyze(stream, reference)
    out = tmp_path / "killed.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTAU_")}
    env.update(
        PYTHONHASHSEED="0",
        PANTAU_ANALYZE_BATCH_SIZE=DEAD_WORKER_BATCH,
        DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="0",
    )
    args = ["analyze", "--input", str(stream), "--output", str(out), "--workers", "2"]
    proc = subprocess.Popen([*PANTAU, *args], env=env, stderr=subprocess.PIPE)
    try:
        # Killed while it computes a batch (not while it idly holds finished results, which
        # Dask just computes again elsewhere): the worker whose CPU time grows is mid-task.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not (out.exists() and out.stat().st_size):
            time.sleep(0.05)  # the first batch is back: the workers are up and hold the next ones
        busy = None
        while busy is None and time.monotonic() < deadline and proc.poll() is None:
            workers = [
                c
                for c in psutil.Process(proc.pid).children()
                if "spawn_main" in " ".join(c.cmdline())
            ]
            before = {w.pid: sum(w.cpu_times()[:2]) for w in workers}
            time.sleep(0.02)
            for w in workers:
                if sum(w.cpu_times()[:2]) - before[w.pid] >= BUSY_CPU_SECONDS:
                    busy = w
                    break
        assert busy is not None, "no Dask worker was seen computing"
        busy.send_signal(signal.SIGKILL)
        _, stderr = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    log = stderr.decode()
    assert proc.returncode == 0, log
    assert "Traceback" not in log
    assert "dikerjakan di proses ini" in log
    assert out.read_bytes() == reference.read_bytes()
