"""The `fortify` command line: serve, migrate and manage accounts."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from sqlalchemy.orm import Session

from fortify.accounts import service as accounts
from fortify.catalog import importer
from fortify.catalog.usda import UsdaFormatError
from fortify.core import migrations
from fortify.core.clock import utcnow
from fortify.core.config import Settings, get_settings
from fortify.core.db import make_engine, session_factory, session_scope
from fortify.core.errors import FortifyError
from fortify.sync.pull import purge_tombstones

app = typer.Typer(help="Fortify: companion app for people on anastrozole.", no_args_is_help=True)
user_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")
catalog_app = typer.Typer(help="Manage the food catalog.", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")
sync_app = typer.Typer(help="Offline sync housekeeping.", no_args_is_help=True)
app.add_typer(sync_app, name="sync")
import_app = typer.Typer(help="Import data into an account.", no_args_is_help=True)
app.add_typer(import_app, name="import")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default: FORTIFY_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="Default: FORTIFY_PORT")] = None,
    workers: Annotated[int, typer.Option(min=1, help="uvicorn worker processes")] = 1,
    migrate_first: Annotated[bool, typer.Option("--migrate/--no-migrate")] = True,
) -> None:
    """Serve the API and the app (migrating the database first)."""
    # The flags are settings like their variables: the app (made in each worker process from
    # the environment) builds its emailed links from them when FORTIFY_PUBLIC_URL is unset;
    # `--port 8765` with links to :8000 sent every newcomer to a dead address.
    if host is not None:
        os.environ["FORTIFY_HOST"] = host
    if port is not None:
        os.environ["FORTIFY_PORT"] = str(port)
    get_settings.cache_clear()
    settings = get_settings()
    if migrate_first:
        migrations.upgrade(settings.database_url)
        _load_catalog(settings.database_url)
    uvicorn.run(
        "fortify.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        proxy_headers=True,
        # Only the reverse proxy may say who the client is and that it came over HTTPS: the
        # sign-in limit keys on that address, and HSTS needs that scheme (README, deployment).
        forwarded_allow_ips=settings.trusted_proxies,
        access_log=False,  # our own request log leaves out query strings
    )


@app.command()
def worker(
    interval: Annotated[
        float | None,
        typer.Option(help="Seconds between rounds; default FORTIFY_WORKER_INTERVAL_SECONDS"),
    ] = None,
    batch: Annotated[int, typer.Option(min=1, max=1000, help="Occurrences per claim")] = 50,
    exit_when_idle: Annotated[
        bool, typer.Option(hidden=True, help="Stop after the first round that finds nothing")
    ] = False,
    niceness: Annotated[
        int,
        typer.Option(
            min=0, max=19, help="CPU priority to yield to the web processes on the same machine"
        ),
    ] = 10,
) -> None:
    """Plan and deliver reminders (Web Push): the production setup runs this beside the
    `fortify serve` processes (FORTIFY_RUN_WORKER=false there); on PostgreSQL any number of
    workers share the work."""
    import os
    import signal
    import threading

    from fortify.reminders.worker import Worker

    # A reminder can wait a few milliseconds; a request should not wait for a planning round.
    os.nice(niceness)
    settings = get_settings()
    if interval is not None:
        settings = settings.model_copy(update={"worker_interval_seconds": interval})
    delivery = Worker(session_factory(make_engine(settings.database_url)), settings, batch=batch)
    if exit_when_idle:
        while delivery.run_once().claimed:
            pass
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # finish the round, then exit
    try:
        delivery.run_forever(stop)
    except KeyboardInterrupt:
        stop.set()


@app.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
    down: Annotated[bool, typer.Option(help="Downgrade to the revision instead")] = False,
) -> None:
    """Bring the database schema to a revision (default: the newest), then load the food
    catalog (curated foods and the USDA SR28 pack) where it is missing or out of date."""
    url = get_settings().database_url
    if down:
        migrations.downgrade(url, revision if revision != "head" else "base")
    else:
        migrations.upgrade(url, revision)
    typer.echo(f"database at {migrations.current_revision(make_engine(url))}")
    if not down and revision == "head":
        _load_catalog(url)


def _load_catalog(url: str) -> None:
    """The reference data every install needs, in one transaction (skipped when up to date)."""
    engine = make_engine(url)
    try:
        for session in session_scope(session_factory(engine)):
            load = importer.ensure_catalog(session)
    finally:
        engine.dispose()
    if load.usda is not None:
        typer.echo(f"USDA SR28: {load.usda.inserted} foods loaded in {load.usda.seconds:.1f} s")
    typer.echo(f"food catalog: {load.foods} foods ({load.seconds:.1f} s)")


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


@contextmanager
def _account_session() -> Iterator[tuple[Session, Settings]]:
    """A session on the configured database that commits when the block ends cleanly; a
    refusal (FortifyError) is printed as `error: …` and exits 1, writing nothing."""
    settings = get_settings()
    factory = session_factory(make_engine(settings.database_url))
    try:
        with contextmanager(session_scope)(factory) as session:
            yield session, settings
    except FortifyError as exc:
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
    with _account_session() as (session, _):
        accounts.reset_password(session, email, new)
    typer.echo(
        f"password reset for {email}; every device was signed out and every access token and "
        "calendar link ended"
    )


@user_app.command("reset-link")
def user_reset_link(email: str) -> None:
    """Print a password-reset link for EMAIL (single-use, one hour): for a person who asks you
    when no mail server is configured. Opening it lets her choose a new password."""
    with _account_session() as (session, settings):
        typer.echo(accounts.reset_link(session, email, settings.base_url))


@user_app.command("verify-link")
def user_verify_link(email: str) -> None:
    """Print a fresh link that finishes the sign-up waiting for EMAIL (the mailed one stops
    working): for a person whose mail did not arrive."""
    with _account_session() as (session, settings):
        typer.echo(accounts.verification_link(session, email, settings.base_url))


@app.command()
def backup(path: Annotated[Path, typer.Argument(help="Where to write the backup")]) -> None:
    """Back up the whole database while it serves (SQLite backup API, or pg_dump -Fc)."""
    from fortify.core import backup as backups

    try:
        backups.backup(get_settings().database_url, path)
    except backups.BackupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"backup written to {path} ({path.stat().st_size} bytes)")


@app.command()
def restore(
    path: Annotated[Path, typer.Argument(help="A file written by `fortify backup`")],
    yes: Annotated[bool, typer.Option("--yes", help="Replace the database without asking")] = False,
) -> None:
    """Replace the whole database with a backup. Stop the server first."""
    from fortify.core import backup as backups

    url = get_settings().database_url
    if not yes and not typer.confirm(f"Replace every row of {url} with {path}?"):
        raise typer.Exit(1)
    try:
        backups.restore(url, path)
    except backups.BackupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"restored {path}")


@app.command()
def demo(
    days: Annotated[int, typer.Option(min=1, max=3660, help="Days of history")] = 90,
    email: Annotated[str, typer.Option()] = "demo@fortify.example",
    password: Annotated[str, typer.Option()] = "demo garden password",
    seed: Annotated[int, typer.Option(help="Same seed, same history")] = 7,
) -> None:
    """Create a demo person with a plausible history, and print how to sign in."""
    import datetime as dt

    from fortify.demo.service import create_demo_person

    settings = get_settings()
    migrations.upgrade(settings.database_url)
    factory = session_factory(make_engine(settings.database_url))
    try:
        for session in session_scope(factory):
            _user, counts = create_demo_person(
                session, email=email, password=password, days=days, today=dt.date.today(), seed=seed
            )
    except FortifyError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"demo person created with {sum(counts.values())} entries over {days} days")
    typer.echo(f"sign in as {email} with the password '{password}'")


@catalog_app.command("import-usda")
def catalog_import_usda(
    directory: Annotated[
        Path,
        typer.Argument(
            exists=True,
            file_okay=False,
            help="Folder with the SR28 files FOOD_DES, NUT_DATA, WEIGHT and FD_GROUP (.txt)",
        ),
    ],
) -> None:
    """Load (or refresh) the USDA SR28 foods; running it again updates, never duplicates."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    started = time.perf_counter()
    factory = session_factory(make_engine(get_settings().database_url))
    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        total = importer.total_foods(directory)
        with Progress("[progress.description]{task.description}", *columns) as bar:
            task = bar.add_task("USDA SR28 foods", total=total)
            for session in session_scope(factory):
                result = importer.import_usda(
                    session, directory, progress=lambda n: bar.advance(task, n)
                )
    except (OSError, UsdaFormatError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(
        f"{result.inserted} foods inserted, {result.updated} updated "
        f"in {time.perf_counter() - started:.1f} s"
    )


@sync_app.command("purge")
def sync_purge(
    days: Annotated[int, typer.Option(min=90, help="Keep tombstones this many days")] = 90,
) -> None:
    """Delete tombstones older than the retention; older cursors then get 410 and resync."""
    factory = session_factory(make_engine(get_settings().database_url))
    for session in session_scope(factory):
        report = purge_tombstones(session, utcnow(), dt.timedelta(days=days))
    typer.echo(
        f"purged tombstones of {report.people} people, {report.operations} kept answers "
        f"and {report.conflicts} resolved conflicts"
    )


@import_app.command("apple-health")
def import_apple_health(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="export.zip from the Health app")
    ],
    email: Annotated[str, typer.Option(help="The account to import into")],
) -> None:
    """Import workouts, dietary calcium and vitamin D, and body mass; safe to run again."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
    from sqlalchemy import select

    from fortify.accounts.models import User
    from fortify.portability import apple_health

    settings = get_settings()
    factory = session_factory(make_engine(settings.database_url))
    columns = (BarColumn(), DownloadColumn(), TimeRemainingColumn())
    try:
        with Progress("[progress.description]{task.description}", *columns) as bar:
            task = bar.add_task("export.xml", total=None)
            for session in session_scope(factory):
                user = session.scalar(select(User).where(User.email == email.lower()))
                if user is None:
                    raise typer.BadParameter(f"no account with the email {email}")
                with file.open("rb") as source:
                    result = apple_health.import_export(
                        session,
                        user,
                        source,
                        progress=lambda n: bar.advance(task, n),
                        total=lambda n: bar.update(task, total=n),
                        max_xml_bytes=settings.apple_health_max_xml_bytes,
                        max_records=settings.apple_health_max_records,
                        commit=session.commit,
                    )
    except FortifyError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(result["skipped"].items())) or "none"
    typer.echo(
        f"{result['workouts']} workouts, {result['meals']} calcium/vitamin D records and "
        f"{result['measurements']} weights written; {result['unchanged']} unchanged; "
        f"skipped: {skipped}"
    )
