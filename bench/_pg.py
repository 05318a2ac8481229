"""A private PostgreSQL server for the load bench's fault run.

Restarting the machine's own cluster would cut off everything else using it (a test run, a
developer's shell), so the fault run starts a throwaway server of the same installation: its own
data directory, port and socket folder, owned by the `postgres` user (initdb refuses root).
`restart()` is what the fault run does to it mid-load; the folder is removed afterwards.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from _server import free_port


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path is None:
        raise RuntimeError("pg_ctl not found: the fault run needs PostgreSQL's server binaries")
    return Path(on_path).parent


class PrivateCluster:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = port
        self.bin = _bindir()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True)

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        # A log file, so the server does not hold this process's output pipes open.
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", *extra, action)

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._pg_ctl("start")

    def restart(self) -> None:
        # Fast mode: open connections are cut, as in a crash of the server or a failover.
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        with suppress(subprocess.CalledProcessError):  # already stopped
            self._pg_ctl("stop")


@contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    folder = Path(tempfile.mkdtemp(prefix="fortify-pg-"))
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(folder, postgres.pw_uid, postgres.pw_gid)
    cluster = PrivateCluster(folder, free_port())
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.stop()
        time.sleep(0.2)
        shutil.rmtree(folder, ignore_errors=True)
