"""Benchmark of the writing desk's web editor: the live check as one types, saving, exports.

Run: ``.venv/bin/python benchmarks/writing_editor.py``; writes
benchmarks/results/writing_editor.md.

The editor posts the whole textarea to ``/tulis/{id}/periksa`` half a second after typing stops
and swaps in the marked findings; what a person feels is that round trip. The baseline, measured
in the same run on the same texts, is the bare ``pantau.writing.lint()`` call the endpoint cannot
avoid, so the ratio is what the web layer (session, CSRF, store read, marking, template) adds.
Exports are compared the same way with the bare exporters. All in-process (FastAPI TestClient)
on a fresh SQLite store.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from pantau.settings import Settings  # noqa: E402
from pantau.store import Agency, Database  # noqa: E402
from pantau.web.app import create_app  # noqa: E402
from pantau.workflow.users import create_user  # noqa: E402
from pantau.writing import compose, example_fields, lint, to_docx, to_pdf  # noqa: E402

RUNS = 7  # median of seven: enough to steady a shared 2-core machine
PASSWORD = "benchmark-sandi-2026"
RESULTS = ROOT / "benchmarks" / "results" / "writing_editor.md"


def median_seconds(func: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def setup(tmp: Path) -> tuple[TestClient, str, int]:
    """A store with one analyst, a logged-in client, its CSRF token and one composed document."""
    url = f"sqlite:///{tmp / 'bench.db'}"
    db = Database(url)
    db.upgrade()
    with db.writer() as s:
        agency = Agency(name="Diskominfo Uji", short_name="Uji", level="kota")
        s.add(agency)
        s.flush()
        create_user(s, username="rina", password=PASSWORD, role="analis", agency_id=agency.id)
    settings = Settings.from_env(
        {}, database_url=url, data_dir=str(tmp), secret_key="bench-" + "x" * 40
    )
    client = TestClient(create_app(settings, db), base_url="http://127.0.0.1")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    client.post(
        "/login",
        data={"username": "rina", "password": PASSWORD, "csrf_token": token.group(1), "next": "/"},
    )
    # the session (and its CSRF token) is renewed at login
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/tulis").text)
    assert token is not None, "login failed"
    resp = client.post(
        "/api/v1/documents",
        json={"kind": "siaran_pers", "fields": example_fields("siaran_pers")},
        headers={"X-CSRF-Token": token.group(1)},
    )
    resp.raise_for_status()
    return client, token.group(1), int(resp.json()["id"])


def main() -> None:
    release = compose("siaran_pers", example_fields("siaran_pers")).text
    texts = {
        "one release": release,
        "ten releases": "\n".join([release] * 10),
        "fifty releases": "\n".join([release] * 50),
    }
    rows = []
    floor = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        client, token, doc_id = setup(Path(tmp))
        headers = {"X-CSRF-Token": token}
        floor = median_seconds(lambda: client.get("/healthz"))
        for name, text in texts.items():
            base = median_seconds(lambda t=text: lint(t, kind="siaran_pers"))
            live = median_seconds(
                lambda t=text: client.post(
                    f"/tulis/{doc_id}/periksa", data={"text": t}, headers=headers
                )
            )
            rows.append((f"live check, {name} ({len(text):,} chars)", base, live))
        base = median_seconds(lambda: to_docx(release))
        web = median_seconds(lambda: client.get(f"/tulis/{doc_id}/unduh.docx"))
        rows.append(("DOCX download", base, web))
        base = median_seconds(lambda: to_pdf(release), runs=3)
        web = median_seconds(lambda: client.get(f"/tulis/{doc_id}/unduh.pdf"), runs=3)
        rows.append(("PDF download", base, web))
        counter = iter(range(1, 10_000))
        save = median_seconds(
            lambda: client.post(
                f"/api/v1/documents/{doc_id}/versions",
                json={"text": release + f"\nTambahan {next(counter)}.\n"},
                headers=headers,
            )
        )
        rows.append(("save a new version (baseline: `GET /healthz`)", floor, save))
    lines = [
        "# Writing desk editor benchmark",
        "",
        "Command: `.venv/bin/python benchmarks/writing_editor.py` "
        f"(median of {RUNS} runs, PDF 3; in-process client, fresh SQLite store).",
        "",
        "| what | baseline s | web s | ratio |",
        "|---|---:|---:|---:|",
    ]
    for what, base, web in rows:
        lines.append(f"| {what} | {base:.4f} | {web:.4f} | {web / base:.2f} |")
    lines += [
        "",
        f"Fixed cost of one request through the in-process client (`GET /healthz`): {floor:.4f} s.",
        "Baselines: the bare `lint()` on the same text for the live check, "
        "the bare `to_docx()` / `to_pdf()` for downloads.",
        f"Machine: {os.cpu_count()} cores shared with other jobs "
        f"(load average {os.getloadavg()[0]:.1f} at the end); the ratios are the stable part.",
    ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
