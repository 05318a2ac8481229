"""The password policy: long enough, and hard to guess for this person.

NIST SP 800-63B asks a verifier to refuse passwords found in lists of commonly used or breached
values, rather than to impose composition rules. Two checks, both offline (nothing is sent
anywhere):

- the 30,000 most common passwords from public breach corpora (zxcvbn's list), ignoring case
  and trailing digits and symbols ("Password2026!");
- zxcvbn's strength estimate (Dropbox's estimator: dictionaries, keyboard patterns, repeats,
  dates, l33t) given the person's own words as context (the email, its parts, the display
  name, and the app's name), so "aaaaaaaaaa", "0000000000", "fortify2026" or one's own email
  are refused. A score of 3 ("safely unguessable", about 10^8 guesses or more) is required;
  behind argon2id that is years of offline guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 10
MIN_SCORE = 3
NOT_COMMON = "not_common"
STRENGTH = "strength"
COMMON_DETAIL = "is one of the most common passwords; choose something less guessable"
WEAK_DETAIL = (
    "is too easy to guess (for example repeated characters, a common word with a year, or your "
    "own name or email); try three or four unrelated words"
)
# zxcvbn's run time grows with length; beyond this a password is long enough to be strong if
# its start is (the estimate looks at the first part only).
_ESTIMATE_CHARS = 64
_TRAILING = re.compile(r"[\d\W_]+$")
_WORDS = re.compile(r"[\w]+")
APP_WORDS = ("fortify", "anastrozole", "arimidex")


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    lowered = password.strip().lower()
    base = _TRAILING.sub("", lowered)
    return lowered in _common() or (len(base) >= 4 and base in _common())


def context_words(*phrases: str | None) -> list[str]:
    """The person's own words: each phrase whole, and each of its words (an email's local part,
    its domain's labels, a first and last name)."""
    words: list[str] = list(APP_WORDS)
    for phrase in phrases:
        if phrase:
            words.append(phrase.lower())
            words.extend(w.lower() for w in _WORDS.findall(phrase) if len(w) >= 3)
    return words


def problem(password: str, context: Iterable[str]) -> tuple[str, str] | None:
    """(rule, detail) when the password is refused, else None. Length is the schema's job."""
    if is_common(password):
        return NOT_COMMON, COMMON_DETAIL
    result = zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=list(context))
    if int(result["score"]) < MIN_SCORE:
        return STRENGTH, WEAK_DETAIL
    return None
