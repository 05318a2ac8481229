"""The protocol's small formulas, in one place so every module (and the TypeScript port) agrees.

Rounding: scores are "rounded half up", but half-way values are common (0.45 x 25/90 = 0.125)
and binary floating point often lands them a hair below the half (12.499999999999998). Python's
round() would also round half to even. So every engine rounds as floor(100 x + 0.5 + 1e-9):
the 1e-9 swallows float noise far smaller than any real difference between two days.
"""

from __future__ import annotations

import math

ROUNDING_EPSILON = 1e-9


def lin(x: float, target: float) -> float:
    """Credit for reaching `target`: min(max(x / target, 0), 1).

    A target of 0 or less (only possible through an override) asks for nothing, so it is met.
    """
    if target <= 0:
        return 1.0
    return min(max(x / target, 0.0), 1.0)


def round_half_up(x: float) -> int:
    """A 0..1 fraction as a 0..100 score: floor(100 x + 0.5 + 1e-9)."""
    return math.floor(100 * x + 0.5 + ROUNDING_EPSILON)


def round_places(x: float, places: int) -> float:
    """Half-up rounding to `places` decimals, with the same epsilon as the scores."""
    scale = 10.0**places
    return math.floor(x * scale + 0.5 + ROUNDING_EPSILON) / scale
