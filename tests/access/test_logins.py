"""Logins: throttling per user name, address and known device; hashing off the write lock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from pantau.workflow.logins import (
    LoginAttempt,
    LoginPolicy,
    PasswordGate,
    authenticate,
)
from pantau.workflow.users import _DUMMY_HASH, _hasher, verify_password
from tests.access.helpers import page_csrf
from tests.conftest import PASSWORD, AppEnv


@pytest.fixture
def strict_env(tmp_path: Path, seeded_db_file: Path) -> Iterator[AppEnv]:
    """The seeded app with a small per-address allowance, so a spray is cut off quickly."""
    env = AppEnv(tmp_path, seeded_db_file, login_max_failures_per_address=4)
    yield env
    env.db.dispose()


def test_spraying_many_user_names_from_one_address_is_throttled(strict_env: AppEnv) -> None:
    c = strict_env.client()
    answers = [strict_env.login(c, f"tebakan{i}", "salah-sandi-123").status_code for i in range(6)]
    assert answers[:4] == [401] * 4
    assert answers[4:] == [429, 429]
    # the address is cut off for everyone without a known device, even with the right password
    refused = strict_env.login(c, "rina")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0


def test_an_unknown_user_name_costs_a_full_password_check() -> None:
    """The stand-in hash checked when no user has the name verifies and needs no rehash: it has
    the hasher's current parameters, so checking it costs what checking a real user's does."""
    assert _hasher.verify_and_update("pantau-dummy-password", _DUMMY_HASH) == (True, None)
    assert not verify_password("pantau-dummy-password", None)


def test_owner_on_a_known_device_logs_in_while_the_user_name_is_attacked(
    app_env: AppEnv,
) -> None:
    owner = app_env.client()
    assert app_env.login(owner, "rina").status_code == 303  # the browser becomes known
    owner.post("/logout", data={"csrf_token": page_csrf(owner)})
    attacker = app_env.client()
    for _ in range(5):
        assert app_env.login(attacker, "rina", "salah-sandi-123").status_code == 401
    assert app_env.login(attacker, "rina").status_code == 429  # the attacker is throttled
    assert app_env.login(owner, "rina").status_code == 303  # the owner is not
    assert owner.get("/").status_code == 200


def test_a_known_device_gets_no_more_guesses_than_anyone(app_env: AppEnv) -> None:
    c = app_env.client()
    assert app_env.login(c, "budi").status_code == 303
    c.post("/logout", data={"csrf_token": page_csrf(c)})
    for _ in range(5):
        assert app_env.login(c, "budi", "salah-sandi-123").status_code == 401
    assert app_env.login(c, "budi").status_code == 429


def test_a_forged_device_cookie_is_worth_nothing(app_env: AppEnv) -> None:
    attacker = app_env.client()
    for _ in range(5):
        app_env.login(attacker, "rina", "salah-sandi-123")
    attacker.cookies.set("pantau_device", "eyJkIjoieCIsInUiOlsicmluYSJdfQ.forged", path="/login")
    assert app_env.login(attacker, "rina").status_code == 429


def test_backoff_doubles_and_reports_the_wait(app_env: AppEnv) -> None:
    from datetime import timedelta

    from sqlalchemy import select

    from pantau.store.models import LoginFailure

    c = app_env.client()
    for _ in range(5):
        app_env.login(c, "budi", "salah-sandi-123")
    first = app_env.login(c, "budi", "salah-sandi-123")
    assert first.status_code == 429 and 55 <= int(first.headers["retry-after"]) <= 60
    # the minute passes (moved back in the store); one more failure doubles the wait
    with app_env.db.writer() as s:
        for failure in s.scalars(select(LoginFailure)):
            failure.at -= timedelta(seconds=61)
    assert app_env.login(c, "budi", "salah-sandi-123").status_code == 401
    second = app_env.login(c, "budi", PASSWORD)
    assert second.status_code == 429 and 115 <= int(second.headers["retry-after"]) <= 120
    assert "Tunggu 2 menit" in second.text


def test_password_check_does_not_need_the_write_lock(app_env: AppEnv) -> None:
    """A writer holding the store (a push batch) does not stop a correct password check."""
    held, release = threading.Event(), threading.Event()

    def writer() -> None:
        with app_env.db.writer():
            held.set()
            release.wait(60)

    t = threading.Thread(target=writer)
    t.start()
    held.wait(10)
    results: list[object] = []
    attempt = LoginAttempt("rina", PASSWORD, "10.0.0.1")
    checker = threading.Thread(
        target=lambda: results.append(
            anyio.run(authenticate, app_env.db, attempt, LoginPolicy(), PasswordGate(1))
        )
    )
    checker.start()
    checker.join(60)
    finished = not checker.is_alive()
    release.set()
    t.join()
    checker.join()
    assert finished, "the password check waited for the write lock"
    assert results[0].principal is not None  # type: ignore[attr-defined]


def _check(*args: object) -> object:
    """``authenticate`` on its own event loop in a fresh thread: the session's Playwright keeps
    an event loop on the main thread, where ``anyio.run`` would refuse to start another."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, authenticate, *args).result(60)


def test_the_gate_refuses_unknown_devices_when_full_but_not_the_known_one(
    app_env: AppEnv,
) -> None:
    gate = PasswordGate(1)
    attempt = LoginAttempt("rina", PASSWORD, "10.0.0.2")
    with gate.held(known=False):
        busy: Any = _check(app_env.db, attempt, LoginPolicy(), gate)
        assert busy.busy and busy.principal is None
        known = LoginAttempt("rina", PASSWORD, "10.0.0.2", device="perangkat-rina")
        passed: Any = _check(app_env.db, known, LoginPolicy(), gate)
        assert passed.principal is not None
    # the slot came back: the unknown device gets its check now
    again: Any = _check(app_env.db, attempt, LoginPolicy(), gate)
    assert again.principal is not None


def test_a_flood_waiting_for_the_gate_holds_no_worker_thread(app_env: AppEnv) -> None:
    """While the only check slot is taken, 60 waiting logins (more than the 40 worker threads)
    leave the pages answering: the wait happens on the event loop."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    gate = PasswordGate(1, wait=60)
    app_env.app.state.password_gate = gate
    with app_env.client() as c:  # one event loop for all requests
        token = app_env.csrf(c)
        form = {"username": "rina", "password": "salah-sandi-123", "csrf_token": token}
        with ThreadPoolExecutor(60) as pool:
            with gate.held(known=False):
                waiting = [pool.submit(c.post, "/login", data=form) for _ in range(60)]
                deadline = time.monotonic() + 60
                while gate.waiting < 60 and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert gate.waiting == 60
                assert c.get("/login").status_code == 200  # a sync page still gets a thread
                assert not any(f.done() for f in waiting)  # answered while all still wait
            answers = [f.result().status_code for f in waiting]
    # the burst queued together, yet only the allowance was checked
    assert sorted(answers) == [401] * 5 + [429] * 55
