"""A logged exception says what failed and where, never what values it carried."""

from __future__ import annotations

import json
import logging
import sys

from fortify.core.logging import JsonFormatter

SECRET = "ZQX-pain-note"


def _fail() -> None:
    try:
        int("not a number")
    except ValueError as exc:
        raise LookupError(f"refused {SECRET}") from exc


def test_an_exception_is_written_with_its_class_frames_and_cause_but_not_its_message() -> None:
    try:
        _fail()
    except LookupError:
        record = logging.LogRecord(
            "fortify.reminders.worker",
            logging.ERROR,
            __file__,
            1,
            "reminder worker loop failed; retrying",
            None,
            sys.exc_info(),
        )
    written = JsonFormatter().format(record)
    line = json.loads(written)
    assert line["message"] == "reminder worker loop failed; retrying"
    exception = line["exception"]
    assert exception["type"] == "builtins.LookupError"
    assert any("test_logging.py" in at and "in _fail" in at for at in exception["at"])
    assert exception["cause"]["type"] == "builtins.ValueError"
    assert SECRET not in written
