"""Requests released together: threads behind a barrier, each with its own HTTP connection,
against a real uvicorn process (`live_server`). The race tests share this."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx


def together(calls: list[Callable[[], httpx.Response]]) -> list[Any]:
    """Each call's answer, or the transport error it raised (a reset connection is an answer
    too, a wrong one)."""
    barrier = threading.Barrier(len(calls))
    answers: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            answers[i] = calls[i]()
        except httpx.HTTPError as exc:
            answers[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def statuses(answers: list[Any]) -> list[int | str]:
    return sorted(a.status_code if isinstance(a, httpx.Response) else repr(a) for a in answers)
