"""A value a device never showed is never overwritten by it without a conflict.

A device lays its pending edits over the records it confirmed. When a push is applied but its
answer is lost, the edit stays pending; a pull then brings a newer version of the record, in
which another device has already replaced that edit's value. The screen still shows the
pending value, so the other device's value is hidden behind it. An edit made now was made on
the version the device confirmed *before* its pending edit, not on the pulled one: had it sent
the pulled version as its base, the server would have taken it as fresh and overwritten the
hidden value with no conflict (found by test_stateful's state machine).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from tests.factories import Person
from tests.sync.client import Device, Lost


def losing_values(person: Person, field: str) -> list[object]:
    response = person.get("/api/v1/sync/conflicts", params={"limit": 500})
    assert response.status_code == 200, response.text
    return [c["losing_value"] for c in response.json()["items"] if c["field"] == field]


class TestAValueHiddenBehindAPendingEdit:
    def test_an_edit_over_it_records_it_as_a_conflict(
        self, ann: Person, make_device: Callable[..., Device]
    ) -> None:
        phone = make_device(ann, device_id="phone")
        tablet = make_device(ann, device_id="tablet")
        phone.pull()
        tablet.pull()
        profile = ("profile", ann.user_id)

        phone.edit(*profile, {"therapy_medicine": "phone-1"})
        with contextlib.suppress(Lost):
            phone.push(fault="drop_response")  # applied; the phone never hears so
        tablet.edit(*profile, {"therapy_medicine": "tablet-1"})
        tablet.push()  # replaces phone-1 (a conflict keeps it)
        phone.pull()  # confirmed now holds tablet-1 ...
        assert phone.view()[profile]["therapy_medicine"] == "phone-1"  # ... hidden on screen
        phone.edit(*profile, {"therapy_medicine": "phone-2"})  # made over phone-1
        phone.sync()
        tablet.sync()

        assert phone.view()[profile]["therapy_medicine"] == "phone-2"
        assert tablet.view() == phone.view()
        assert "tablet-1" in losing_values(ann, "therapy_medicine")

    def test_an_edit_of_another_field_is_fresh_when_nothing_pending_hid_it(
        self, ann: Person, make_device: Callable[..., Device]
    ) -> None:
        # Not over-reporting the plain case: the pulled version is the base when no pending
        # edit of that record was made on an older one.
        phone = make_device(ann, device_id="phone")
        tablet = make_device(ann, device_id="tablet")
        phone.pull()
        tablet.pull()
        profile = ("profile", ann.user_id)

        tablet.edit(*profile, {"therapy_medicine": "tablet-1"})
        tablet.sync()
        phone.pull()
        phone.edit(*profile, {"therapy_medicine": "phone-1"})
        [answer] = phone.push()

        assert answer["status"] == "applied" and not answer.get("merged")
        assert "tablet-1" not in losing_values(ann, "therapy_medicine")
