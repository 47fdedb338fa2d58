"""Access commands: user passwd/deactivate, and personal API tokens (add, list, revoke)."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Annotated

import typer

from pantau.cli import app
from pantau.cli.console import err, fail, out
from pantau.cli.core import open_store, user_app

if TYPE_CHECKING:
    from pantau.workflow.permissions import Principal

__all__ = ["token_add", "token_list", "token_revoke", "user_deactivate", "user_passwd"]

token_app = typer.Typer(help="Kelola token API pribadi (berlingkup, tersimpan ter-hash).")
app.add_typer(token_app, name="token")


def cli_actor() -> Principal:
    """Who the command line acts as in the audit log: the operator at the server's console
    (built when a command needs it: ``pantau --help`` must not import the workflow stage)."""
    from pantau.workflow.permissions import Principal

    return Principal(id=0, username="cli", role="admin")


DatabaseOption = Annotated[str | None, typer.Option(help="URL basis data.")]


@user_app.command("passwd")
def user_passwd(
    username: Annotated[str, typer.Argument(help="Nama pengguna.")],
    database_url: DatabaseOption = None,
) -> None:
    """Ganti kata sandi pengguna; semua sesinya berakhir."""
    from pantau.workflow.users import UserError, find_user, set_password

    _, db = open_store(database_url)
    secret = os.environ.get("PANTAU_NEW_PASSWORD") or typer.prompt(
        "Kata sandi baru", hide_input=True, confirmation_prompt=True
    )
    with db.writer() as s:
        try:
            ended = set_password(s, find_user(s, username), secret, actor="cli")
        except UserError as exc:
            fail(str(exc))
    err.print(f"Kata sandi {username!r} diganti; {ended} sesi diakhiri.")


@user_app.command("deactivate")
def user_deactivate(
    username: Annotated[str, typer.Argument(help="Nama pengguna.")],
    database_url: DatabaseOption = None,
) -> None:
    """Nonaktifkan pengguna: sesi diakhiri dan token API-nya dicabut."""
    from pantau.workflow.users import UserError, deactivate_user, find_user

    _, db = open_store(database_url)
    with db.writer() as s:
        try:
            ended = deactivate_user(s, find_user(s, username), actor="cli")
        except UserError as exc:
            fail(str(exc))
    err.print(f"Pengguna {username!r} dinonaktifkan; {ended} sesi diakhiri, token dicabut.")


@token_app.command("add")
def token_add(
    username: Annotated[str, typer.Argument(help="Pemilik token.")],
    name: Annotated[str, typer.Option(help="Untuk apa token ini, mis. 'grafana'.")],
    scope: Annotated[list[str], typer.Option(help="read, write atau metrics; boleh diulang.")],
    days: Annotated[int | None, typer.Option(help="Masa berlaku dalam hari.")] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Buat token API; rahasianya dicetak sekali ke stdout."""
    from pantau.workflow.permissions import PermissionDenied
    from pantau.workflow.tokens import TokenError, create_token
    from pantau.workflow.users import UserError, find_user, principal_of

    _, db = open_store(database_url)
    with db.writer() as s:
        try:
            owner = principal_of(find_user(s, username))
            token, secret = create_token(
                s, owner, name=name, scopes=scope, days=days, actor=cli_actor()
            )
        except (UserError, TokenError, PermissionDenied) as exc:
            fail(str(exc))
        token_id = token.id
    out.print(secret)
    err.print(
        f"Token #{token_id} untuk {username!r} dibuat; simpan sekarang, tidak akan tampil lagi."
    )


@token_app.command("list")
def token_list(
    username: Annotated[
        str | None, typer.Option("--user", help="Hanya token pengguna ini.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Daftar token API (tanpa rahasia)."""
    from rich.table import Table

    from pantau.workflow.tokens import list_tokens, token_dict
    from pantau.workflow.users import UserError, find_user

    _, db = open_store(database_url)
    with db.session() as s:
        try:
            user_id = find_user(s, username).id if username else None
        except UserError as exc:
            fail(str(exc))
        rows = [token_dict(t) for t in list_tokens(s, user_id)]
    if as_json:
        out.print_json(json.dumps(rows))
        return
    table = Table("id", "pengguna", "nama", "awal", "cakupan", "status", "dibuat", "berakhir")
    for r in rows:
        table.add_row(
            str(r["id"]),
            str(r["user_id"]),
            r["name"],
            r["hint"],
            ",".join(r["scopes"]),
            r["state"],
            str(r["created_at"])[:16],
            str(r["expires_at"] or "-")[:16],
        )
    out.print(table)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="ID token (lihat `pantau token list`).")],
    database_url: DatabaseOption = None,
) -> None:
    """Cabut token API seketika."""
    from pantau.workflow.tokens import revoke_token

    _, db = open_store(database_url)
    with db.writer() as s:
        try:
            revoke_token(s, cli_actor(), token_id)
        except LookupError as exc:
            fail(str(exc))
    err.print(f"Token #{token_id} dicabut.")
