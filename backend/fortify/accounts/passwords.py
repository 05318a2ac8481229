"""The password policy: long enough, and not one of the passwords everybody tries first.

NIST SP 800-63B asks a verifier to refuse passwords found in lists of commonly used or breached
values, rather than to impose composition rules. The list is zxcvbn's (Dropbox's estimator,
maintained as the `zxcvbn` package): the 30,000 most common passwords from public breach
corpora, shipped inside the package, so the check works offline and sends nothing anywhere.
A password is refused when it, or it without trailing digits and symbols ("Password2026!"), is on
the list, ignoring case.
"""

from __future__ import annotations

import re
from functools import lru_cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 10
NOT_COMMON = "not_common"
COMMON_DETAIL = "is one of the most common passwords; choose something less guessable"
_TRAILING = re.compile(r"[\d\W_]+$")


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    lowered = password.strip().lower()
    base = _TRAILING.sub("", lowered)
    return lowered in _common() or (len(base) >= 4 and base in _common())
