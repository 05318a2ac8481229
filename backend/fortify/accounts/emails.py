# ruff: noqa: RUF001, RUF002  (this module is about look-alike letters; its examples are some)
"""One form for an email address, so look-alikes cannot become a second account.

Addresses are compared and stored as NFKC + case-folded text (Unicode's compatibility
normalisation, then full case folding: "ＡＬＩＣＥ@" and "Alice@" are one address). That alone
cannot catch a Cyrillic "а" standing in for a Latin "a" ("аlice@"), which is a different
letter, nor "ALİCE" (case-folded to "i" plus a combining dot). So a local part must be written in
one script (Latin, Cyrillic, Greek…; Japanese kana and kanji count as one), and may not keep a
combining mark that NFKC could not compose: a real name such as "josé" or "иван" passes, a
mixed "аlice" or "ali̇ce" is refused with a message saying why. The domain's labels are held to
the same one-script rule ("exаmple.com" with a Cyrillic "а" is refused).

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
LOOSE_MARK_DETAIL = (
    "holds an accent that stands apart from its letter (a capital 'İ' becomes 'i' and a dot); "
    "type the letter without it"
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


def _mixed(part: str) -> bool:
    scripts = {s for s in map(_script, part) if s is not None}
    return len(scripts) > 1


def script_problem(email: str) -> str | None:
    """Why a normalised address could pass for another one (a detail for the person), or None.

    The local part and each label of the domain are checked apart: "иван@пример.com" is two
    one-script pieces and welcome, "аlice@" and "@exаmple.com" each mix two scripts."""
    local, _, domain = email.rpartition("@")
    if any(unicodedata.category(ch) == "Mn" for ch in local):
        return LOOSE_MARK_DETAIL
    if _mixed(local) or any(_mixed(label) for label in domain.split(".")):
        return MIXED_DETAIL
    return None
