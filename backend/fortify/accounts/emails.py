# ruff: noqa: RUF001, RUF002  (this module is about look-alike letters; its examples are some)
"""One form for an email address, so look-alikes cannot become a second account.

Addresses are compared and stored as NFKC + case-folded text (Unicode's compatibility
normalisation, then full case folding: "ＡＬＩＣＥ@" and "Alice@" are one address). That alone
cannot catch a Cyrillic "а" standing in for a Latin "a" ("аlice@"), which is a different
letter, nor "ALİCE" (case-folded to "i" plus a combining dot). So a local part must be written in
one script (Latin, Cyrillic, Greek…; Japanese kana and kanji count as one), and may not keep a
combining mark that NFKC could not compose: a real name such as "josé" or "иван" passes, a
mixed "аlice" or "ali̇ce" is refused with a message saying why.

This is the "restriction level" idea of Unicode TS #39 (single script), not its full confusable
table: a whole-script look-alike ("аре" in all-Cyrillic) stays possible, but it cannot be made to
look like an existing Latin address by swapping one letter.
"""

from __future__ import annotations

import unicodedata

MIXED_SCRIPTS = "single_script"
MIXED_DETAIL = (
    "mixes letters of different alphabets (for example a Cyrillic 'а' among Latin letters); "
    "type the address with one alphabet"
)
_JAPANESE = frozenset({"CJK", "HIRAGANA", "KATAKANA"})


def normalise(email: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", email.strip()).casefold())


def _script(ch: str) -> str | None:
    """The script of a letter, from its Unicode name's first word (LATIN, CYRILLIC…); None
    for what belongs to no script (digits, punctuation, combining marks are checked apart)."""
    if not unicodedata.category(ch).startswith("L"):
        return None
    word = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
    return "JAPANESE" if word in _JAPANESE else word


def mixed_script(local_part: str) -> bool:
    if any(unicodedata.category(ch) == "Mn" for ch in local_part):
        return True
    scripts = {s for s in map(_script, local_part) if s is not None}
    return len(scripts) > 1
