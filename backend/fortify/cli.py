"""The `fortify` command line: serve, migrate and manage accounts."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
import uvicorn

from fortify.accounts import service as accounts
from fortify.core import migrations
from fortify.core.config import get_settings
from fortify.core.db import make_engine, session_factory, session_scope
from fortify.core.errors import FortifyError

app = typer.Typer(help="Fortify: companion app for people on anastrozole.", no_args_is_help=True)
user_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default: FORTIFY_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="Default: FORTIFY_PORT")] = None,
    workers: Annotated[int, typer.Option(min=1, help="uvicorn worker processes")] = 1,
    migrate_first: Annotated[bool, typer.Option("--migrate/--no-migrate")] = True,
) -> None:
    """Serve the API and the app (migrating the database first)."""
    settings = get_settings()
    if migrate_first:
        migrations.upgrade(settings.database_url)
    uvicorn.run(
        "fortify.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        proxy_headers=True,
        access_log=False,  # our own request log leaves out query strings
    )


@app.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
    down: Annotated[bool, typer.Option(help="Downgrade to the revision instead")] = False,
) -> None:
    """Bring the database schema to a revision (default: the newest)."""
    url = get_settings().database_url
    if down:
        migrations.downgrade(url, revision if revision != "head" else "base")
    else:
        migrations.upgrade(url, revision)
    typer.echo(f"database at {migrations.current_revision(make_engine(url))}")


def _ask_password(password: str | None) -> str:
    if password:
        return password
    first = getpass.getpass("Password (at least 10 characters): ")
    if getpass.getpass("Again: ") != first:
        raise typer.BadParameter("the passwords differ")
    return first


@user_app.command("create")
def user_create(
    email: str,
    display_name: Annotated[str, typer.Option("--name")] = "Fortify user",
    password: Annotated[str | None, typer.Option(help="Prompted when omitted")] = None,
) -> None:
    """Create an account."""
    factory = session_factory(make_engine(get_settings().database_url))
    try:
        for session in session_scope(factory):
            user = accounts.create_user(session, email, _ask_password(password), display_name)
            typer.echo(f"created {user.email} ({user.id})")
    except (FortifyError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


@user_app.command("reset-password")
def user_reset_password(
    email: str,
    password: Annotated[str | None, typer.Option(help="Prompted when omitted")] = None,
) -> None:
    """Set a new password and sign the account out everywhere."""
    new = _ask_password(password)
    if len(new) < 10:
        typer.echo("error: the password needs at least 10 characters", err=True)
        raise typer.Exit(1)
    factory = session_factory(make_engine(get_settings().database_url))
    try:
        for session in session_scope(factory):
            accounts.reset_password(session, email, new)
    except FortifyError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"password reset for {email}; every session was signed out")
