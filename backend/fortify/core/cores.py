"""One core per app process (`FORTIFY_ONE_CORE_PER_PROCESS`), for `fortify serve --workers N`.

A request that reads the database is handed by the event loop to a worker thread and back. With
cores to spare, the two threads run on two cores and the GIL crosses between them at each hop:
waking an idle core and moving the request's data to its cache cost more than the statement
the hop carried. Kept to one core, the same process spent 20 % less CPU per pull and 12 % less
per search and computed report, with `/healthz` (no hop) unchanged (docs/scaling.md). A process
runs Python on one core at a time anyway (the GIL); the database server is not kept.

Each process claims a core of those it may use by an exclusive lock on a file (`core-N.lock`
in `directory`, the data directory), held as long as the process lives: the kernel lets go of
it when the process ends, so a worker uvicorn starts again claims the core its predecessor
left. With more processes than cores, the ones without a core of their own are left free.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import BinaryIO

# The lock files held by this process: open as long as it lives.
_held: list[BinaryIO] = []


def keep_to_one_core(directory: Path) -> int | None:
    """Claim a free core and keep every thread of this process (and each it starts later) on
    it; the core, or None when every core is taken (or there is only one)."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    for core in cores:
        handle = (directory / f"core-{core}.lock").open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        _held.append(handle)
        # Every thread: a thread started later takes the affinity of the one that starts it.
        for task in Path("/proc/self/task").iterdir():
            os.sched_setaffinity(int(task.name), {core})
        return core
    return None
