"""The one clock: every "now" the server reads comes from here.

`utcnow` is the real clock (aware, UTC); services that stamp rows call it. Code that decides
*when* something is due (routes, the reminder worker) takes a `Clock` instead, so a test can
move time: the app's clock is `app.state.clock` when a test set one (tests/reminders/conftest.py),
else `utcnow`, and routes receive it as the `core.deps.Now` dependency. A person's "today" is
`local_today(zone, now)`, never the machine's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def app_clock(app: Any) -> Clock:
    """The clock an app runs on: the one a test injected (`app.state.clock`), else `utcnow`."""
    clock: Clock = getattr(app.state, "clock", utcnow)
    return clock


def local_today(zone: str | ZoneInfo, now: dt.datetime | None = None) -> dt.date:
    """The local date in `zone` at `now` (default: the real clock's now)."""
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    return (now or utcnow()).astimezone(tz).date()
