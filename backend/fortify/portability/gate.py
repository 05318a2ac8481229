"""How much heavy work runs at once: one job per person, and a few per process.

Heavy work reads or writes a person's whole record: the exports (JSON, CSV, FHIR), the imports
(a Fortify export of up to 64 MiB, an Apple Health export.zip) and the care-team report (a
year of day reports, and a PDF). Each can take a minute and hundreds of megabytes for a large
account. Nothing bounded them: one person starting the same export five times, or three imports
at once, took a process to 1.7-3.2 GB and its cores with it, and other people's requests waited
or were refused (503) behind them. So a second heavy job of a person while her first runs, or
one more than `max_running` in the process, is refused with 429 and Retry-After (problem+json,
rule `one_export_at_a_time` or `exports_busy`: the names predate the imports and the report,
and clients already read them), rather than queued: a queued job holds a thread and a
connection.

A place is held from the route until the answer's last byte (a streamed answer releases it
when its generator ends, fails or is closed: `stream`). A client that vanishes mid-stream lets
the generator be closed by the server; should that ever not happen, a place older than
`lease_seconds` is taken back, so a person is never locked out of her data for good.

The count is per process, like the in-process rate limits: with several workers, each admits
its own; the per-person rule still holds within a worker, which is what bounds the memory.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fortify.core.errors import TooManyRequests
from fortify.core.ratelimit import wait_words

#: What a refused job is told to wait (seconds): about what an export of a large account takes.
RETRY_AFTER_SECONDS = 30


class HeavyWorkGate:
    def __init__(
        self,
        max_running: int = 2,
        lease_seconds: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_running = max_running
        self.lease_seconds = lease_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._running: dict[uuid.UUID, float] = {}  # person → when her job started

    def enter(self, user_id: uuid.UUID) -> None:
        """Take a place for the person's heavy job, or raise a 429."""
        now = self._clock()
        with self._lock:
            self._running = {
                k: started
                for k, started in self._running.items()
                if now - started < self.lease_seconds
            }
            if user_id in self._running:
                rule = "one_export_at_a_time"
                said = "Your other export, import or report is still running."
            elif len(self._running) >= self.max_running:
                rule = "exports_busy"
                said = "The server is busy with other exports, imports and reports right now."
            else:
                self._running[user_id] = now
                return
        raise TooManyRequests(
            f"{said} {wait_words(RETRY_AFTER_SECONDS)}",
            rule=rule,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    def leave(self, user_id: uuid.UUID) -> None:
        with self._lock:
            self._running.pop(user_id, None)

    @contextmanager
    def held(self, user_id: uuid.UUID) -> Iterator[None]:
        self.enter(user_id)
        try:
            yield
        finally:
            self.leave(user_id)

    def stream(self, user_id: uuid.UUID, chunks: Iterator[bytes]) -> Iterator[bytes]:
        """The body of a streamed answer: takes the person's place, runs `chunks` up to their
        first piece, and releases the place when they end, fail or are closed (the client went
        away). A refusal (429), and whatever fails before the first piece (her account gone:
        the 401), is still an answer with its status, not a broken stream."""
        self.enter(user_id)
        released = self._released(user_id, chunks)
        # Started here, so that closing it (or its being dropped) runs its `finally`; a failure
        # of the first piece has released the place already.
        first = next(released, b"")
        return itertools.chain((first,), released)

    def _released(self, user_id: uuid.UUID, chunks: Iterator[bytes]) -> Iterator[bytes]:
        try:
            yield from chunks
        finally:
            self.leave(user_id)
