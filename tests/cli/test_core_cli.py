"""The core CLI in-process: init, user add, settings, version; bad input named clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pantau.cli import _load, app
from pantau.settings import REGISTRY

_load()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PANTAU_DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PANTAU_SECRET_KEY", raising=False)
    return tmp_path


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), input=input)


@pytest.mark.slow
def test_init_creates_store_agencies_and_secret(env: Path) -> None:
    result = run("init", "--province", "64")
    assert result.exit_code == 0, result.output
    assert "Instansi provinsi 64: 11 dibuat" in result.output
    key = (env / "secret_key").read_text().strip()
    assert len(key) >= 32 and oct((env / "secret_key").stat().st_mode)[-3:] == "600"
    again = run("init", "--province", "64")
    assert again.exit_code == 0 and "0 dibuat, 11 sudah ada" in again.output
    assert (env / "secret_key").read_text().strip() == key  # kept across runs


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["init", "--province", "Kaltim"], "--province 'Kaltim': gunakan kode Kemendagri"),
        (["init", "--province", "99"], "kode provinsi '99' tidak dikenal"),
        (["init", "--database-url", "mysql://nope/x"], "cannot open database"),
    ],
)
def test_init_bad_input_is_named(env: Path, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.slow
def test_user_add_and_its_errors(env: Path) -> None:
    assert run("init", "--province", "64").exit_code == 0
    ok = run(
        "user",
        "add",
        "rina",
        "--role",
        "analis",
        "--agency",
        "Diskominfo Samarinda",
        "--password",
        "sandi-yang-panjang",
    )
    assert ok.exit_code == 0, ok.output
    cases = [
        (
            [
                "user",
                "add",
                "rina",
                "--role",
                "analis",
                "--agency",
                "Diskominfo Samarinda",
                "--password",
                "sandi-yang-panjang",
            ],
            "sudah dipakai",
        ),
        (
            ["user", "add", "x", "--role", "admin", "--password", "sandi-yang-panjang"],
            "username: 3-64 karakter",
        ),
        (
            ["user", "add", "andi", "--role", "bos", "--password", "sandi-yang-panjang"],
            "role: peran 'bos' tidak dikenal",
        ),
        (
            ["user", "add", "andi", "--role", "admin", "--password", "pendek"],
            "password: kata sandi minimal 10 karakter",
        ),
        (
            ["user", "add", "andi", "--role", "analis", "--password", "sandi-yang-panjang"],
            "agency: peran analis harus terhubung",
        ),
        (
            [
                "user",
                "add",
                "andi",
                "--role",
                "analis",
                "--agency",
                "Diskominfo Atlantis",
                "--password",
                "sandi-yang-panjang",
            ],
            "--agency 'Diskominfo Atlantis'",
        ),
        (
            [
                "user",
                "add",
                "andi",
                "--role",
                "admin",
                "--email",
                "bukan-surel",
                "--password",
                "sandi-yang-panjang",
            ],
            "email: alamat surel 'bukan-surel' tidak valid",
        ),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.exit_code == 2, args
        assert message in result.output, (args, result.output)


@pytest.mark.slow
def test_user_add_prompts_for_password(env: Path) -> None:
    run("init")
    result = run(
        "user", "add", "sari", "--role", "admin", input="sandi-rahasia-123\nsandi-rahasia-123\n"
    )
    assert result.exit_code == 0, result.output


def test_settings_lists_every_registered_setting_with_help(env: Path) -> None:
    result = run("settings", "--json")
    assert result.exit_code == 0
    rows = {r["name"]: r for r in json.loads(result.output)}
    assert set(rows) == set(REGISTRY)
    for name, row in rows.items():
        assert row["help"].strip() and row["env"] == f"PANTAU_{name.upper()}"
    assert rows["timezone"]["value"] == "Asia/Makassar"


def test_bad_setting_value_is_named(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANTAU_SESSION_MAX_AGE", "sehari")
    result = run("settings")
    assert result.exit_code == 2
    assert "PANTAU_SESSION_MAX_AGE: cannot read 'sehari' as int" in result.output


def test_version_and_openapi(env: Path) -> None:
    assert run("version").output.strip() == "0.1.0"
    doc = json.loads(run("openapi").output)
    assert "/api/v1/mentions" in doc["paths"]


@pytest.mark.slow
def test_global_database_url_reaches_every_command_and_the_command_option_wins(
    env: Path,
) -> None:
    other = env / "lain.db"
    third = env / "ketiga.db"
    assert run("--database-url", f"sqlite:///{other}", "init").exit_code == 0
    assert other.exists() and not (env / "p.db").exists()
    rows = json.loads(run("--database-url", f"sqlite:///{other}", "settings", "--json").output)
    assert {r["name"]: r["value"] for r in rows}["database_url"] == f"sqlite:///{other}"
    result = run("--database-url", f"sqlite:///{other}", "source", "list", "--json")
    assert result.exit_code == 0 and json.loads(result.output) == []
    # the per-command option of earlier scripts still works, and is the more specific one
    result = run(
        "--database-url", f"sqlite:///{other}", "init", "--database-url", f"sqlite:///{third}"
    )
    assert result.exit_code == 0 and third.exists()
    # the next invocation without it falls back to PANTAU_DATABASE_URL
    assert run("init").exit_code == 0 and (env / "p.db").exists()


def test_links_follow_the_served_address_unless_base_url_is_set() -> None:
    import socket

    from pantau.settings import Settings

    unset = Settings.from_env({})
    assert unset.public_url == "http://127.0.0.1:8000"  # commands that serve nothing
    assert unset.served_at("127.0.0.1", 8765).public_url == "http://127.0.0.1:8765"
    assert unset.served_at("::1", 8765).public_url == "http://[::1]:8765"
    wildcard = unset.served_at("0.0.0.0", 8765).public_url
    assert wildcard == f"http://{socket.gethostname()}:8765"
    proxied = Settings.from_env({"PANTAU_BASE_URL": "https://pantau.kaltimprov.go.id/"})
    assert proxied.served_at("0.0.0.0", 8765).public_url == "https://pantau.kaltimprov.go.id"
