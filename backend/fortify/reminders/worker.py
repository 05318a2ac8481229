"""The delivery worker: plan, claim, check, send, record. Safe to run as N processes.

**Planning** (once a minute) takes only the people whose reminders changed or whose plan must
reach further, in batches `FOR UPDATE SKIP LOCKED` (reminders/service.py, "Planning"), so its
cost follows the changes, not the number of people, and workers plan disjoint people.

**The claim.** Due occurrences are taken by one statement,

    UPDATE reminder_occurrences SET status = 'claimed', claimed_by = :me, claimed_at = :now
    WHERE status = 'pending' AND id IN (
        SELECT id … WHERE status = 'pending' AND next_attempt_at <= :now
        ORDER BY next_attempt_at LIMIT :n FOR UPDATE SKIP LOCKED)
    RETURNING id

and committed before anything is sent. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets N workers
claim disjoint rows without waiting on each other, and the outer `status = 'pending'` is
re-checked on the locked row, so a row is claimed once. On SQLite there is no row locking:
the UPDATE takes the database's single write lock, so claims are serialized and the same
statement is just as exclusive (one machine; several workers there only queue up).

**Grouping.** Right after a claim, the same worker also claims the same people's pending
occurrences due within the next five minutes, so a 08:00 calcium and a 08:03 anastrozole
arrive as one notification (at 08:00).

**Exactly once.** A claimed row belongs to its worker. Each subscription that accepted the
message is recorded on the occurrence (`delivered_to`), so a retry (429, 5xx, a timeout) goes
only to the devices that did not get it yet. The one gap is a worker killed between the push
service's 201 and the commit that records it: its claim expires after `CLAIM_LEASE` and
another worker sends again. That is at-least-once for crashes, exactly-once otherwise; the
notification's `tag` makes a phone replace the duplicate rather than show two.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from fortify.accounts import service as accounts
from fortify.core.clock import Clock, utcnow
from fortify.core.config import Settings
from fortify.core.db import session_scope
from fortify.reminders import push
from fortify.reminders import service as reminders
from fortify.reminders.models import PushSubscription, ReminderOccurrence

log = logging.getLogger("fortify.reminders.worker")

GROUP_WINDOW = dt.timedelta(minutes=5)
CLAIM_LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 6
BACKOFF_BASE = dt.timedelta(seconds=30)
BACKOFF_MAX = dt.timedelta(minutes=15)
#: A subscription that refused this many messages in a row (4xx other than 404/410) is dropped.
MAX_SUBSCRIPTION_FAILURES = 5
PLAN_EVERY = dt.timedelta(seconds=60)
#: A bound on one planning round (people who write without pause could keep it going).
MAX_PLAN_BATCHES = 100

Sender = Callable[[dict[str, object], str, Settings], push.PushResult]


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def backoff(attempts: int, retry_after_seconds: float | None) -> dt.timedelta:
    """30 s, 1 min, 2 min … capped at 15 min; a push service's Retry-After wins when longer."""
    delay: dt.timedelta = min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)
    if retry_after_seconds is not None:
        delay = max(delay, min(dt.timedelta(seconds=retry_after_seconds), BACKOFF_MAX))
    return delay


# --- claim -----------------------------------------------------------------------------------


def claim(session: Session, worker_id: str, now: dt.datetime, limit: int = 50) -> list[uuid.UUID]:
    """Claim up to `limit` due occurrences, then their people's others due within the group
    window. Commit right after: the claim is what keeps other workers away."""
    occ = ReminderOccurrence
    _release_expired_claims(session, now)
    _expire_late(session, now)
    due = (
        select(occ.id)
        .where(occ.status == "pending", occ.next_attempt_at <= now)
        .order_by(occ.next_attempt_at, occ.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = _claim_ids(session, due, worker_id, now)
    if not claimed:
        return []
    people = select(occ.user_id).where(occ.id.in_(claimed)).distinct()
    soon = (
        select(occ.id)
        .where(
            occ.status == "pending",
            occ.user_id.in_(people),
            occ.next_attempt_at <= now + GROUP_WINDOW,
        )
        .with_for_update(skip_locked=True)
    )
    return claimed + _claim_ids(session, soon, worker_id, now)


def _claim_ids(session: Session, ids: object, worker_id: str, now: dt.datetime) -> list[uuid.UUID]:
    occ = ReminderOccurrence
    stmt = (
        update(occ)
        .where(occ.status == "pending", occ.id.in_(ids))  # type: ignore[arg-type]
        .values(status="claimed", claimed_by=worker_id, claimed_at=now)
        .returning(occ.id)
        .execution_options(synchronize_session=False)
    )
    return list(session.scalars(stmt))


def _release_expired_claims(session: Session, now: dt.datetime) -> None:
    """A worker that died holding claims: after the lease its rows are pending again."""
    occ = ReminderOccurrence
    session.execute(
        update(occ)
        .where(occ.status == "claimed", occ.claimed_at < now - CLAIM_LEASE)
        .values(status="pending", claimed_by=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )


def _expire_late(session: Session, now: dt.datetime) -> None:
    """Never send a reminder hours late (the server was down): it is expired instead."""
    occ = ReminderOccurrence
    session.execute(
        update(occ)
        .where(occ.status == "pending", occ.next_attempt_at < now - reminders.LATE_LIMIT)
        .values(status="expired", last_error="not sent in time")
        .execution_options(synchronize_session=False)
    )


def live_subscriptions(
    session: Session, user_id: uuid.UUID, now: dt.datetime
) -> list[PushSubscription]:
    """The person's subscriptions whose credential (session or access token) is live at `now`,
    oldest first. The others are deleted: an expired session never comes back (signing in
    again makes a new one, and the app subscribes again with it)."""
    subscriptions = list(
        session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id == user_id)
            .order_by(PushSubscription.created_at)
        )
    )
    live_ids = accounts.live_credentials(
        session,
        {s.session_id for s in subscriptions if s.session_id is not None},
        {s.token_id for s in subscriptions if s.token_id is not None},
        now,
    )
    live = [s for s in subscriptions if s.session_id in live_ids or s.token_id in live_ids]
    dead = [s.id for s in subscriptions if s not in live]
    if dead:
        session.execute(delete(PushSubscription).where(PushSubscription.id.in_(dead)))
        log.info("dropped %d push subscriptions of ended sessions", len(dead))
    return live


# --- the payload -----------------------------------------------------------------------------


def payload(group: Sequence[ReminderOccurrence]) -> dict[str, object]:
    """The JSON the service worker receives (docs/reminders.md, "The push payload")."""
    first = group[0]
    doses = [o for o in group if o.regimen_item_id is not None]
    if len(group) == 1:
        title = first.title
        body = f"Time for your {first.local_time} dose." if doses else f"Due at {first.local_time}."
    else:
        title = f"{len(group)} reminders"
        body = ", ".join(o.title for o in group)
    return {
        "type": "reminder",
        "title": title,
        "body": body,
        "tag": f"fortify-reminder-{first.id}",
        "occurrences": [
            {
                "id": str(o.id),
                "reminder_id": str(o.reminder_id),
                "regimen_item_id": str(o.regimen_item_id) if o.regimen_item_id else None,
                "kind": o.kind,
                "title": o.title,
                "due_at": o.due_at.isoformat().replace("+00:00", "Z"),
                "local_time": o.local_time,
                "dose_id": str(reminders.taken_dose_id(o.id)) if o.regimen_item_id else None,
            }
            for o in group
        ],
        "actions": [
            {"action": "taken", "title": "Taken" if doses else "Done"},
            {"action": "snooze", "title": "Snooze 30 min"},
        ],
    }


def groups_of(occurrences: Sequence[ReminderOccurrence]) -> list[list[ReminderOccurrence]]:
    """One person's occurrences in notifications: each group spans at most GROUP_WINDOW."""
    out: list[list[ReminderOccurrence]] = []
    for occ in sorted(occurrences, key=lambda o: (o.due_at, o.title, o.id)):
        if out and occ.due_at - out[-1][0].due_at <= GROUP_WINDOW:
            out[-1].append(occ)
        else:
            out.append([occ])
    return out


# --- the worker ------------------------------------------------------------------------------


@dataclass
class RunReport:
    claimed: int = 0
    notifications: int = 0
    deliveries: int = 0
    statuses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    planning: reminders.PlanRound | None = None


@dataclass
class Worker:
    """One delivery loop. `now` and `sender` are injected so tests control time and the wire."""

    factory: sessionmaker[Session]
    settings: Settings
    now: Clock = utcnow
    sender: Sender = push.send
    worker_id: str = field(default_factory=default_worker_id)
    batch: int = 50
    plan: bool = True
    plan_batch: int = reminders.PLAN_BATCH
    _last_plan: dt.datetime | None = None

    def run_once(self) -> RunReport:
        """Plan (at most once a minute), then claim and deliver until nothing is due."""
        report = RunReport()
        now = self.now()
        if self.plan and (self._last_plan is None or now - self._last_plan >= PLAN_EVERY):
            report.planning = self.plan_round(now)
            self._last_plan = now
        while True:
            now = self.now()
            for session in session_scope(self.factory):
                ids = claim(session, self.worker_id, now, self.batch)
            if not ids:
                return report
            report.claimed += len(ids)
            self._deliver(ids, report)

    def plan_round(self, now: dt.datetime) -> reminders.PlanRound:
        """Plan everyone who needs it, a batch per transaction, until a batch comes back short
        (the rest are being planned by another worker, or nobody is left)."""
        total = reminders.PlanRound()
        for session in session_scope(self.factory):
            reminders.enrol_people(session, now)
        for _ in range(MAX_PLAN_BATCHES):
            for session in session_scope(self.factory):
                batch = reminders.plan_batch(session, now, self.plan_batch)
            total += batch
            if batch.people < self.plan_batch:
                break
        if total.people:
            log.info(
                "planned: %d replanned, %d extended, %d unchanged, %d new occurrences",
                total.replanned,
                total.extended,
                total.unchanged,
                total.occurrences,
            )
        return total

    def run_forever(self, stop: threading.Event) -> None:
        log.info("reminder worker %s started", self.worker_id)
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:  # a bad row or a database blip must not end the loop
                log.exception("reminder worker loop failed; retrying")
            stop.wait(self.settings.worker_interval_seconds)
        log.info("reminder worker %s stopped", self.worker_id)

    def _deliver(self, ids: list[uuid.UUID], report: RunReport) -> None:
        by_person: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        for session in session_scope(self.factory):
            for user_id, occ_id in session.execute(
                select(ReminderOccurrence.user_id, ReminderOccurrence.id).where(
                    ReminderOccurrence.id.in_(ids)
                )
            ):
                by_person[user_id].append(occ_id)
        for user_id, occ_ids in by_person.items():
            try:
                self._deliver_person(user_id, occ_ids, report)
            except Exception:
                log.exception("delivery to one person failed; their claims expire and retry")

    def _deliver_person(
        self, user_id: uuid.UUID, occ_ids: list[uuid.UUID], report: RunReport
    ) -> None:
        now = self.now()
        # 1. Check each occurrence as things stand now; settle the ones not to send.
        with self.factory() as session, session.begin():
            user = accounts.get_person(session, user_id)
            occurrences = self._mine(session, occ_ids)
            if user is None or not occurrences:
                return
            verdicts = reminders.judge(session, user, occurrences, now)
            to_send: list[ReminderOccurrence] = []
            for occ in occurrences:
                verdict = verdicts[occ.id]
                if verdict.status is not None:
                    occ.status, occ.last_error = verdict.status, verdict.reason
                    report.statuses[verdict.status] += 1
                elif verdict.defer_to is not None:
                    occ.status, occ.next_attempt_at = "pending", verdict.defer_to
                    occ.claimed_by = occ.claimed_at = None
                else:
                    to_send.append(occ)
            subscriptions = live_subscriptions(session, user_id, now) if to_send else []
            if to_send and not subscriptions:
                for occ in to_send:
                    occ.status, occ.last_error = "failed", "no push subscription"
                    report.statuses["failed"] += 1
                to_send = []
            plans = [
                (
                    [o.id for o in group],
                    json.dumps(payload(group), separators=(",", ":")),
                    [
                        (s.id, s.info())
                        for s in subscriptions
                        if any(str(s.id) not in o.delivered_to for o in group)
                    ],
                )
                for group in groups_of(to_send)
            ]
        # 2. Send, outside any transaction: a slow push service holds no database lock.
        for group_ids, body, targets in plans:
            results = [(sub_id, self._send(info, body)) for sub_id, info in targets]
            report.notifications += 1
            report.deliveries += sum(r.outcome == "delivered" for _, r in results)
            # 3. Record what happened.
            with self.factory() as session, session.begin():
                self._record(session, group_ids, results, report)

    def _send(self, info: dict[str, object], body: str) -> push.PushResult:
        """One device's send. Whatever goes wrong with it is that device's result, never an
        error for the person: her other devices still get the message, and are recorded."""
        try:
            return self.sender(info, body, self.settings)
        except Exception as exc:  # a bad row of one device must not stop the rest
            log.warning("push to one subscription failed: %s", type(exc).__name__, exc_info=True)
            return push.PushResult("rejected", None, f"{type(exc).__name__}: {exc}"[:300])

    def _mine(self, session: Session, ids: list[uuid.UUID]) -> list[ReminderOccurrence]:
        return list(
            session.scalars(
                select(ReminderOccurrence).where(
                    ReminderOccurrence.id.in_(ids),
                    ReminderOccurrence.status == "claimed",
                    ReminderOccurrence.claimed_by == self.worker_id,
                )
            )
        )

    def _record(
        self,
        session: Session,
        group_ids: list[uuid.UUID],
        results: list[tuple[uuid.UUID, push.PushResult]],
        report: RunReport,
    ) -> None:
        now = self.now()
        delivered: list[str] = []
        retry_after: list[float | None] = []
        errors: list[str] = []
        for sub_id, result in results:
            if result.outcome == "delivered":
                delivered.append(str(sub_id))
                session.execute(
                    update(PushSubscription)
                    .where(PushSubscription.id == sub_id)
                    .values(last_success_at=now, failures=0)
                )
            elif result.outcome in ("gone", "unusable"):
                session.execute(delete(PushSubscription).where(PushSubscription.id == sub_id))
                errors.append(f"{result.detail}: subscription removed")
            elif result.outcome == "retry":
                retry_after.append(result.retry_after_seconds)
                errors.append(result.detail)
            else:
                errors.append(result.detail)
                sub = session.get(PushSubscription, sub_id)
                if sub is not None:
                    sub.failures += 1
                    if sub.failures >= MAX_SUBSCRIPTION_FAILURES:
                        session.delete(sub)
        for occ in self._mine(session, group_ids):
            occ.delivered_to = [*occ.delivered_to, *delivered]
            occ.attempts += 1
            occ.last_error = "; ".join(errors)[:300] or None
            if retry_after and occ.attempts < MAX_ATTEMPTS:
                occ.status = "pending"
                occ.next_attempt_at = now + backoff(
                    occ.attempts, max((r for r in retry_after if r is not None), default=None)
                )
                occ.claimed_by = occ.claimed_at = None
                report.statuses["retry"] += 1
            elif occ.delivered_to:
                occ.status, occ.sent_at = "sent", occ.sent_at or now
                report.statuses["sent"] += 1
            else:
                occ.status = "failed"
                report.statuses["failed"] += 1


# --- running inside `fortify serve` ----------------------------------------------------------


class BackgroundWorker:
    """The worker on a daemon thread, started and stopped by the app's lifespan."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=worker.run_forever, args=(self._stop,), name="fortify-reminders", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
