"""Reminders: the rules. What is due when, planning occurrences, acting on them, feeds.

This module is the domain's face to the rest of the app (the router, the worker, sync,
portability and accounts call it); the rules live in one module per part:
`effective.py` (which reminders exist), `records.py` (the `reminders` entry kind and its
views), `planner.py` (planning occurrences), `occurrences.py` (the checks before sending and
the actions on an occurrence), `feeds.py` (calendar links) and `subscriptions.py` (Web Push).

**Which reminders exist.** Stored reminders (the syncable `reminders` table, written through
the REST API or sync like any entry) plus one *implicit* dose reminder per active regimen item
that has `schedule_times` and no stored reminder naming it. The implicit one has a
deterministic id, `uuid5(IMPLICIT_NAMESPACE, item id)`, and follows the item's times. Editing,
snoozing or skipping it stores it under that id (so two offline devices doing so converge on
one record); a stored dose reminder with `times: null` keeps following the item's times, and
`enabled: false` turns it off. Deleting the stored record brings the default back. Deleting
the regimen item deletes its stored dose reminders with it (tombstones, on every path:
`entries.kinds.RegimenKind.on_tombstone`).

**Occurrences.** The planner writes one `reminder_occurrences` row per reminder per due instant
over the next 36 hours (idempotent: unique (user_id, reminder_id, due_at), insert-or-ignore),
only for the people whose reminders changed or whose plan must reach further ("Planning"). A row is
checked again just before it is sent, because the world may have moved on since it was
planned: the reminder was edited, deleted, disabled, snoozed or skipped (→ skipped or deferred),
the person moved to another time zone (→ skipped; the planner adds the new instants), the dose
was already logged (→ suppressed) or the lab flag cleared (→ suppressed).
"""

from __future__ import annotations

from fortify.reminders.effective import (
    BANNER_WINDOW,
    DOSE_WINDOW_BEFORE,
    HORIZON,
    IMPLICIT_NAMESPACE,
    LAB_FLAG_RULES,
    LATE_LIMIT,
    OPEN_STATUSES,
    TAKEN_DOSE_NAMESPACE,
    Effective,
    effective_reminders,
    implicit_reminder_id,
    taken_dose_id,
    zone_of,
)
from fortify.reminders.feeds import (
    FEED_LIFETIME,
    FEED_PREFIX,
    create_feed,
    feed_owner,
    list_feeds,
    renew_feed,
    revoke_all_feeds,
    revoke_feed,
)
from fortify.reminders.occurrences import (
    Verdict,
    due_now,
    judge,
    occurrence_read,
    snooze_occurrence,
    take,
)
from fortify.reminders.planner import (
    PLAN_BATCH,
    PLAN_PERIOD,
    PlanRound,
    enrol_people,
    lab_flag_due,
    next_extension,
    plan_batch,
    plan_if_stale,
    plan_occurrences,
)
from fortify.reminders.records import (
    REMINDERS,
    ReminderKind,
    check_fields,
    drop_item_reminders,
    get_view,
    implicit_default,
    list_views,
    skip_today,
    snooze,
    view,
)
from fortify.reminders.subscriptions import (
    list_subscriptions,
    subscribe,
    unsubscribe,
)

__all__ = [
    "BANNER_WINDOW",
    "DOSE_WINDOW_BEFORE",
    "FEED_LIFETIME",
    "FEED_PREFIX",
    "HORIZON",
    "IMPLICIT_NAMESPACE",
    "LAB_FLAG_RULES",
    "LATE_LIMIT",
    "OPEN_STATUSES",
    "PLAN_BATCH",
    "PLAN_PERIOD",
    "REMINDERS",
    "TAKEN_DOSE_NAMESPACE",
    "Effective",
    "PlanRound",
    "ReminderKind",
    "Verdict",
    "check_fields",
    "create_feed",
    "drop_item_reminders",
    "due_now",
    "effective_reminders",
    "enrol_people",
    "feed_owner",
    "get_view",
    "implicit_default",
    "implicit_reminder_id",
    "judge",
    "lab_flag_due",
    "list_feeds",
    "list_subscriptions",
    "list_views",
    "next_extension",
    "occurrence_read",
    "plan_batch",
    "plan_if_stale",
    "plan_occurrences",
    "renew_feed",
    "revoke_all_feeds",
    "revoke_feed",
    "skip_today",
    "snooze",
    "snooze_occurrence",
    "subscribe",
    "take",
    "taken_dose_id",
    "unsubscribe",
    "view",
    "zone_of",
]
