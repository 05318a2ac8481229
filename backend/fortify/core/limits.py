"""How many of each thing one person may keep: the per-person caps, in one place.

Nothing bounded them, and an outside probe (F6) made 1,000 push subscriptions, 120 tokens,
120 calendar links and 120 reminders of 12 times each for one person. Each is cheap alone, but a
reminder fans out to every subscription as a Web Push request under the server's one VAPID
identity (1,000 subscriptions can get that identity throttled by the push services for
everyone), and lists, audit rows and the reminder planner grow with them. The caps are far above
what a person uses (a phone, a tablet and a laptop; a token per app; a link per calendar; a
reminder per medicine and habit), and a create past one is a 409 problem+json with rule
`too_many` whose words say what to remove.

Own foods are content, not credentials or fan-out: their cap is generous (an account holding
thousands of recipes is a real one), there only so that one account cannot grow without bound.
"""

from __future__ import annotations

from fortify.core.errors import Conflict

MAX_PUSH_SUBSCRIPTIONS = 20
MAX_ACCESS_TOKENS = 50
MAX_CALENDAR_LINKS = 20
MAX_REMINDERS = 100
# Medicines and supplements: each has its own dose reminder, stored on its first edit and not
# counted among the reminders above, so the items are what bounds those (outside probe F4).
MAX_REGIMEN_ITEMS = 100
MAX_CUSTOM_FOODS = 5_000


def refuse_past(count: int, limit: int, what: str, remove: str) -> None:
    """Raise a 409 `too_many` when a person who holds `count` of `what` would pass `limit`."""
    if count >= limit:
        raise Conflict(
            f"You have {count} {what}, the most one account may keep is {limit}. {remove}",
            rule="too_many",
        )
