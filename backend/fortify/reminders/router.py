"""Reminder, push subscription and calendar feed routes (docs/reminders.md).

A reminder's create, PUT, PATCH and DELETE come from the entry-resource route factory
(entries/routes.py); the list and the read answer views (implicit reminders included), and the
actions are the domain's own.
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response, status

from fortify.accounts.deps import READ, AccountPrincipal, CurrentPrincipal, CurrentUser, Principal
from fortify.core.deps import Now, SessionDep, SettingsDep
from fortify.core.errors import problem_responses
from fortify.entries.routes import Op, add_entry_routes
from fortify.reminders import ics, push, schemas, service

router = APIRouter(prefix="/api/v1", responses=problem_responses(401, 403, 422))


not_found = problem_responses(404)


# --- reminders -------------------------------------------------------------------------------


@router.get(
    "/reminders",
    tags=["reminders"],
    response_model=list[schemas.ReminderView],
)
def list_reminders(user: CurrentUser, session: SessionDep) -> Any:
    """Every reminder: stored ones and each scheduled regimen item's implicit dose reminder."""
    return service.list_views(session, user)


add_entry_routes(
    router,
    service.REMINDERS,
    path="/reminders",
    id_name="reminder_id",
    tag="reminders",
    create_schema=schemas.ReminderCreate,
    ops={
        "create": Op(
            "create_reminder",
            description="Create a reminder (with a client id for offline use; a retry of the "
            "same create is 200).",
        ),
        "replace": Op("replace_reminder"),
        "update": Op("patch_reminder"),
        "delete": Op(
            "delete_reminder",
            description="Delete a stored reminder (a regimen item's default dose reminder "
            "comes back).",
        ),
    },
)


@router.get(
    "/reminders/due",
    tags=["reminders"],
    response_model=list[schemas.OccurrenceRead],
)
def due(user: CurrentUser, session: SessionDep, now: Now) -> Any:
    """The in-app banner: occurrences due in the last two hours that nobody acted on (not
    taken, snoozed, skipped, and whose dose is not logged)."""
    return [service.occurrence_read(o) for o in service.due_now(session, user, now)]


@router.get(
    "/reminders/{reminder_id}",
    tags=["reminders"],
    response_model=schemas.ReminderView,
    responses=not_found,
)
def read_reminder(reminder_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Any:
    return service.get_view(session, user, reminder_id)


@router.post(
    "/reminders/{reminder_id}/snooze",
    tags=["reminders"],
    response_model=schemas.ReminderRead | schemas.ReminderActed,
    responses=not_found,
)
def snooze_reminder(
    reminder_id: uuid.UUID,
    data: schemas.SnoozeBody,
    principal: CurrentPrincipal,
    session: SessionDep,
    now: Now,
) -> Any:
    """No notification of this reminder for `minutes`; what fell due meanwhile comes then.
    A write-only token is answered with the id, the snooze and its time only."""
    row = service.snooze(session, principal.user, reminder_id, data.minutes, now)
    return _acted(principal, row)


@router.post(
    "/reminders/{reminder_id}/skip-today",
    tags=["reminders"],
    response_model=schemas.ReminderRead | schemas.ReminderActed,
    responses=not_found,
)
def skip_today(
    reminder_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, now: Now
) -> Any:
    """No more notifications of this reminder today (the person's local day). A write-only
    token is answered with the id, the skipped day and its time only."""
    return _acted(principal, service.skip_today(session, principal.user, reminder_id, now))


def _acted(principal: Principal, row: Any) -> Any:
    # F4: an action's answer to a principal without `read` carries the id and this write's time
    # and the action's result, never the stored reminder.
    if READ in principal.scopes:
        return service.REMINDERS.read_row(row)
    return schemas.ReminderActed.model_validate(row)


def _occurrence(principal: Principal, occ: Any) -> Any:
    # Since F7 a principal without `read` never gets here (accounts/deps.py, READING_PREFIXES:
    # even the status told whether she had acted); the short shape stays for the published API.
    read = service.occurrence_read(occ)
    if READ in principal.scopes:
        return read
    return schemas.OccurrenceActed(id=read.id, status=read.status, dose_id=read.dose_id)


@router.post(
    "/reminders/occurrences/{occurrence_id}/taken",
    tags=["reminders"],
    response_model=schemas.TakenRead,
    responses=not_found,
)
def taken(
    occurrence_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, now: Now
) -> Any:
    """ "Taken" (or "Done"): logs the dose once, with the id `dose_id` of the occurrence, and
    closes it. Repeating it logs nothing more. Needs `read` as well as `write`: `dose_created`
    tells whether she had logged it already."""
    occ, dose_id, created = service.take(session, principal.user, occurrence_id, now)
    return schemas.TakenRead(
        occurrence=_occurrence(principal, occ), dose_id=dose_id, dose_created=created
    )


@router.post(
    "/reminders/occurrences/{occurrence_id}/snooze",
    tags=["reminders"],
    response_model=schemas.OccurrenceRead | schemas.OccurrenceActed,
    responses=not_found,
)
def snooze_occurrence(
    occurrence_id: uuid.UUID,
    data: schemas.SnoozeBody,
    principal: CurrentPrincipal,
    session: SessionDep,
    now: Now,
) -> Any:
    """ "Snooze 30 min": this occurrence is sent again after `minutes` (default 30). Needs
    `read` as well as `write`: the answer tells what she did with it already."""
    occ = service.snooze_occurrence(session, principal.user, occurrence_id, data.minutes, now)
    return _occurrence(principal, occ)


# --- push subscriptions ----------------------------------------------------------------------


@router.get(
    "/push/vapid-public-key",
    tags=["push"],
    response_model=schemas.VapidPublicKey,
)
def vapid_public_key(settings: SettingsDep) -> Any:
    """The applicationServerKey for `PushManager.subscribe` (no sign-in needed)."""
    return schemas.VapidPublicKey(public_key=push.public_key(settings))


@router.post(
    "/push/subscriptions",
    tags=["push"],
    response_model=schemas.PushSubscriptionRead,
    status_code=status.HTTP_201_CREATED,
)
def subscribe(
    data: schemas.PushSubscriptionCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    now: Now,
) -> Any:
    """Store this browser's push subscription (`PushSubscription.toJSON()`); sending the same
    endpoint again updates it (200). It ends when the device that registered it signs out (or
    the token that did is revoked); another person's subscription to the same endpoint is
    theirs and is never touched."""
    push.check_endpoint(data.endpoint, settings)
    sub, created = service.subscribe(
        session,
        principal.user,
        data,
        now,
        session_id=principal.session_id,
        token_id=principal.token_id,
    )
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return sub


@router.get(
    "/push/subscriptions",
    tags=["push"],
    response_model=list[schemas.PushSubscriptionRead],
)
def list_subscriptions(user: CurrentUser, session: SessionDep) -> Any:
    return service.list_subscriptions(session, user)


@router.delete(
    "/push/subscriptions/{subscription_id}",
    tags=["push"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=not_found,
)
def unsubscribe(subscription_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Response:
    service.unsubscribe(session, user, subscription_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- calendar feeds --------------------------------------------------------------------------


@router.post(
    "/calendar-feeds",
    tags=["calendar"],
    response_model=schemas.CalendarFeedCreated,
    status_code=status.HTTP_201_CREATED,
)
def create_feed(
    data: schemas.CalendarFeedCreate,
    request: Request,
    principal: AccountPrincipal,
    session: SessionDep,
) -> Any:
    """A secret calendar link to the reminders; its URL is shown only in this answer. Needs a
    signed-in device (not an access token); the link works for a year unless renewed, and ends
    with a password change."""
    feed, secret = service.create_feed(session, principal.user, data.name)
    url = str(request.base_url).rstrip("/") + f"/api/v1/calendar/{secret}.ics"
    return schemas.CalendarFeedCreated(
        id=feed.id,
        name=feed.name,
        created_at=feed.created_at,
        expires_at=feed.expires_at,
        last_used_at=None,
        url=url,
    )


@router.get(
    "/calendar-feeds",
    tags=["calendar"],
    response_model=list[schemas.CalendarFeedRead],
)
def list_feeds(principal: AccountPrincipal, session: SessionDep) -> Any:
    return service.list_feeds(session, principal.user)


@router.post(
    "/calendar-feeds/{feed_id}/renew",
    tags=["calendar"],
    response_model=schemas.CalendarFeedRead,
    responses=not_found,
)
def renew_feed(
    feed_id: uuid.UUID, principal: AccountPrincipal, session: SessionDep, now: Now
) -> Any:
    """Keep a link working for another year from now (the URL stays the same)."""
    return service.renew_feed(session, principal.user, feed_id, now)


@router.delete(
    "/calendar-feeds/{feed_id}",
    tags=["calendar"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=not_found,
)
def revoke_feed(
    feed_id: uuid.UUID, principal: AccountPrincipal, session: SessionDep, now: Now
) -> Response:
    """Revoke the link: calendars subscribed to it get 404 from now on."""
    service.revoke_feed(session, principal.user, feed_id, now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/calendar/{secret}.ics",
    tags=["calendar"],
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, **not_found},
)
def calendar_feed(
    secret: Annotated[str, Path(min_length=10, max_length=100)],
    session: SessionDep,
    now: Now,
) -> Response:
    """The reminders as an iCalendar feed (the secret in the URL is the only credential)."""
    user = service.feed_owner(session, secret, now)
    reminders = [
        e
        for e in service.effective_reminders(session, user.id)
        if e.enabled
        and e.times
        and (e.lab_flag is None or service.lab_flag_due(session, user, e.lab_flag, now))
    ]
    body = ics.calendar(reminders, service.zone_of(user), now, name=user.display_name)
    return Response(body, media_type="text/calendar; charset=utf-8")
