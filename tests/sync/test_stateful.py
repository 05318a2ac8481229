"""Convergence, proved by search: 2-3 devices of one person against the real API.

Hypothesis drives random creates, edits and deletes on each device while devices go offline,
push and pull in any order, and the network drops requests, drops responses, delivers requests
twice and delivers old requests again. At the end every device syncs, and then:

- every device holds exactly what the server holds (same records, versions and fields);
- no acknowledged entry is missing or duplicated: the live records are exactly the ones created
  and never deleted;
- no edit was dropped silently: every value a device sent either is the final value, or was
  replaced by a device that had seen it, or is listed as a conflict's losing value.

Every edited value is a unique token, so "where did this value go" always has one answer.
"""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from fortify.catalog.service import catalog_food_id
from fortify.core.ratelimit import SignInLimiter
from tests.factories import Person, meal, sign_up, symptom
from tests.sync.client import Device, Fault, Lost

# The fields that carry tokens; other fields keep their factory values.
TRACKED: dict[str, tuple[str, ...]] = {
    "meals": ("name", "note"),
    "symptoms": ("note",),
    "custom_foods": ("name",),
    "favourites": (),
    "profile": ("display_name", "therapy_medicine"),
}
# Records the edit and delete rules pick from: not the profile (one record, never deleted)
# nor favourites (a set, toggled by its own rule).
EDITABLE = ("meals", "symptoms", "custom_foods")
# Curated foods the devices mark and unmark as favourites.
FAVOURITE_FOODS = [str(catalog_food_id("curated", key)) for key in ("whole_milk", "kale_raw")]
PUSH_FAULTS: list[Fault] = ["none", "none", "drop_request", "drop_response", "duplicate"]
PULL_FAULTS: list[Fault] = ["none", "none", "drop_response"]

Value = tuple[str, str, str, Any]  # (entity, id, field, value)


class SyncMachine(RuleBasedStateMachine):
    client: TestClient  # set by the test before running

    def __init__(self) -> None:
        super().__init__()
        self.person: Person = sign_up(self.client)
        self.devices: list[Device] = []
        self.online: list[bool] = []
        self.tokens = 0
        self.sent: list[Value] = []
        self.replaced: set[Value] = set()
        self.created: set[tuple[str, str]] = set()
        self.deleted: set[tuple[str, str]] = set()
        self.favourited: set[str] = set()

    @initialize(count=st.integers(2, 3))
    def make_devices(self, count: int) -> None:
        for n in range(count):
            self.devices.append(Device(self.client, self.person.token, device_id=f"device-{n}"))
            self.online.append(True)

    def device(self, n: int) -> Device:
        return self.devices[n % len(self.devices)]

    def token(self, n: int) -> str:
        self.tokens += 1
        return f"d{n % len(self.devices)}-{self.tokens}"

    # --- Local changes ----------------------------------------------------------------------

    @rule(n=st.integers(0, 2), entity=st.sampled_from(EDITABLE))
    def create(self, n: int, entity: str) -> None:
        tokens = {name: self.token(n) for name in TRACKED[entity]}
        if entity == "meals":
            fields = meal(**tokens)
        elif entity == "symptoms":
            fields = symptom(**tokens)
        else:
            fields = {"nutrients_per_100g": {"calcium_mg": 120}, "tags": ["fermented"]} | tokens
        op = self.device(n).create(entity, fields)
        self.created.add((entity, op.id))
        self.sent += [(entity, op.id, name, value) for name, value in tokens.items()]

    @rule(n=st.integers(0, 2), data=st.data())
    def edit(self, n: int, data: st.DataObject) -> None:
        device = self.device(n)
        view = device.view()
        keys = sorted(k for k in view if k[0] in EDITABLE)
        if not keys:
            return
        entity, entity_id = data.draw(st.sampled_from(keys))
        name = data.draw(st.sampled_from(TRACKED[entity]))
        self._edit(n, device, view, entity, entity_id, name)

    @rule(n=st.integers(0, 2), name=st.sampled_from(TRACKED["profile"]))
    def edit_profile(self, n: int, name: str) -> None:
        device = self.device(n)
        self._edit(n, device, device.view(), "profile", self.person.user_id, name)

    def _edit(
        self,
        n: int,
        device: Device,
        view: dict[tuple[str, str], dict[str, Any]],
        entity: str,
        entity_id: str,
        name: str,
    ) -> None:
        self.replaced.add((entity, entity_id, name, view.get((entity, entity_id), {}).get(name)))
        value = self.token(n)
        device.edit(entity, entity_id, {name: value})
        self.sent.append((entity, entity_id, name, value))

    @rule(n=st.integers(0, 2), data=st.data())
    def delete(self, n: int, data: st.DataObject) -> None:
        device = self.device(n)
        view = device.view()
        keys = sorted(k for k in view if k[0] in EDITABLE)
        if not keys:
            return
        entity, entity_id = data.draw(st.sampled_from(keys))
        for name in TRACKED[entity]:
            self.replaced.add((entity, entity_id, name, view[(entity, entity_id)].get(name)))
        device.delete(entity, entity_id)
        self.deleted.add((entity, entity_id))

    @rule(n=st.integers(0, 2), food=st.sampled_from(FAVOURITE_FOODS))
    def toggle_favourite(self, n: int, food: str) -> None:
        device = self.device(n)
        if ("favourites", food) in device.view():
            device.delete("favourites", food)
        else:
            device.create("favourites", {}, entity_id=food)
            self.favourited.add(food)

    # --- The network ------------------------------------------------------------------------

    @rule(n=st.integers(0, 2))
    def toggle_online(self, n: int) -> None:
        i = n % len(self.devices)
        self.online[i] = not self.online[i]

    @rule(n=st.integers(0, 2), fault=st.sampled_from(PUSH_FAULTS))
    def push(self, n: int, fault: Fault) -> None:
        if self.online[n % len(self.devices)]:
            with contextlib.suppress(Lost):
                self.device(n).push(fault)

    @rule(n=st.integers(0, 2), fault=st.sampled_from(PULL_FAULTS), limit=st.integers(1, 5))
    def pull(self, n: int, fault: Fault, limit: int) -> None:
        if self.online[n % len(self.devices)]:
            with contextlib.suppress(Lost):
                self.device(n).pull(fault, limit=limit)

    @rule(n=st.integers(0, 2), index=st.integers(0, 30))
    def replay_an_old_request(self, n: int, index: int) -> None:
        if self.online[n % len(self.devices)]:
            self.device(n).replay(index)

    # --- The end: everyone syncs, then the checks -------------------------------------------

    def teardown(self) -> None:
        if not self.devices:
            return
        for device in self.devices:
            device.sync()
        for device in self.devices:
            device.pull()
        reader = Device(self.client, self.person.token, device_id="reader")
        reader.pull()
        server = reader.view()
        versions = {k: r.version for k, r in reader.confirmed.items() if not r.deleted}
        for device in self.devices:
            assert device.rejected == [], device.rejected
            assert device.view() == server, device.device_id
            mine = {k: r.version for k, r in device.confirmed.items() if not r.deleted}
            assert mine == versions, device.device_id

        live = {k for k in server if k[0] in EDITABLE}
        assert live == self.created - self.deleted
        # Favourites are a set that devices toggle concurrently (the last arrival wins); all
        # the server may hold is foods somebody marked.
        assert {i for e, i in server if e == "favourites"} <= self.favourited

        response = self.client.get(
            "/api/v1/sync/conflicts", params={"limit": 500}, headers=self.person.headers
        )
        losing: set[Value] = set()
        for c in response.json()["items"]:
            if c["field"] == "*":
                for name, value in (c["losing_value"] or {}).items():
                    if name in TRACKED[c["entity"]]:
                        losing.add((c["entity"], c["entity_id"], name, value))
            else:
                losing.add((c["entity"], c["entity_id"], c["field"], c["losing_value"]))
        for entity, entity_id, name, value in self.sent:
            final = server.get((entity, entity_id), {}).get(name)
            value_key = (entity, entity_id, name, value)
            assert final == value or value_key in self.replaced or value_key in losing, (
                f"the edit {value_key} was lost silently"
            )


def test_devices_converge_and_no_edit_is_lost(client: TestClient) -> None:
    SyncMachine.client = client
    # Each example signs a new person in; the sign-in limiter would refuse the 11th a minute.
    client.app.state.sign_in_limiter = SignInLimiter(1_000_000)  # type: ignore[attr-defined]
    run_state_machine_as_test(
        SyncMachine,
        settings=settings(
            max_examples=80,
            stateful_step_count=40,
        ),
    )
