"""One URL validator for every URL the API accepts (today: Web Push endpoints).

`urllib.parse.urlsplit` raises on some malformed URLs (`https://[::1`: an unclosed IPv6
bracket) and defers others until an attribute is read (`.port` of `https://host:abc/` raises
ValueError): both were 500s, at subscription time or later in the delivery worker. So a URL is
checked once, whole, where it enters: it parses, has an http(s) scheme and a host, a numeric
port in range if any, no user info, and no whitespace or control characters. A failure is a
422 naming the field, with the rule that failed.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import SplitResult, urlsplit

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError


def _bad(rule: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(rule, message)


def split_url(value: str) -> SplitResult:
    """The URL's parts, every one readable; PydanticCustomError when it is not a web URL."""
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise _bad("url", "must not contain spaces or control characters")
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError for a non-numeric or out-of-range port
    except ValueError:
        raise _bad("url", "is not a valid URL") from None
    if parts.scheme not in ("http", "https"):
        raise _bad("url_scheme", "must be an http(s) URL")
    if not parts.hostname:
        raise _bad("url", "must name a host")
    if parts.username is not None or parts.password is not None:
        raise _bad("url", "must not carry a user name or password")
    if port == 0:
        raise _bad("url", "port 0 is not a port")
    return parts


def _checked(value: str) -> str:
    split_url(value)
    return value


WebUrl = Annotated[str, AfterValidator(_checked)]
