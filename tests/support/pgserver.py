"""A throwaway PostgreSQL server for the test session: initdb into a temp dir, start, stop.

Run as root (CI), the server runs as the ``postgres`` system user. Set
``PANTAU_TEST_POSTGRES_URL`` to use an existing server instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["PostgresServer", "find_pg_bin"]

_CANDIDATES = (
    "/usr/lib/postgresql/17/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/15/bin",
)


def find_pg_bin() -> Path:
    for cand in _CANDIDATES:
        if (Path(cand) / "initdb").exists():
            return Path(cand)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise RuntimeError(
        "PostgreSQL server binaries not found: install them (apt-get install postgresql) "
        "or set PANTAU_TEST_POSTGRES_URL; `make test` does this when run as root"
    )


#: Ports tried before giving up: a second clash in a row would mean something else is wrong.
_PORT_TRIES = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """Start with :meth:`start`, get ``url``, stop with :meth:`stop`."""

    def __init__(self) -> None:
        self.bin = find_pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="pantau-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.url = f"postgresql+psycopg://pantau@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stdout}\n{proc.stderr}")

    def start(self) -> str:
        if self.as_root:
            shutil.chown(self.dir, "postgres")
            self.dir.chmod(0o700)
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "pantau",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        )
        # The port was free when picked, but parallel test workers pick theirs at the same time:
        # one that another process took in between is picked again, not a failed session.
        for attempt in range(_PORT_TRIES):
            try:
                self._pg_ctl_start()
                break
            except RuntimeError:
                log = self.dir / "server.log"
                taken = log.exists() and "could not bind" in log.read_text(errors="replace")
                if not taken or attempt == _PORT_TRIES - 1:
                    raise
                self.port = _free_port()
        self.url = f"postgresql+psycopg://pantau@127.0.0.1:{self.port}/postgres"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self.url
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not come up; see {self.dir / 'server.log'}")

    def _pg_ctl_start(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-w",
            "-t",
            "60",
            "-l",
            str(self.dir / "server.log"),
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            "start",
        )

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
