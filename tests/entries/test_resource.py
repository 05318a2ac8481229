"""The entry-resource pattern (entries/resource.py), held for its three kinds at once: an entry
(symptom check-ins), a reminder and a food of one's own.

- A Hypothesis property: any sequence of creates (new ids, retries with the same or other
  content, retries after a delete), PUTs and DELETEs, by the person or by a write-only token,
  never duplicates nor loses a record, and each answer is the one the pattern promises.
- F4: a principal without `read` learns nothing about stored content through a retry: the
  answer to a write-only retry is the same whether or not the stored content matches, carries
  what it sent, and writes nothing; a 409 names only the id.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SLOW_MACHINE
from tests.factories import Person, sign_up, symptom


@dataclass(frozen=True)
class Kind:
    """One kind of record as a client sees it; `variant` makes distinguishable content."""

    name: str
    url: str
    payload: Callable[[int], dict[str, Any]]
    content: Callable[[dict[str, Any]], int]  # the variant an answer holds
    listed: Callable[[Person], list[str]]  # ids of every live record of the person

    def item(self, record_id: str) -> str:
        return f"{self.url}/{record_id}"


def _paged(person: Person, url: str) -> list[str]:
    ids: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 200} | ({"cursor": cursor} if cursor else {})
        page = person.get(url, params=params)
        assert page.status_code == 200, page.text
        ids += [item["id"] for item in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return ids


def _food(variant: int) -> dict[str, Any]:
    return {
        "name": f"Oat bake {variant}",
        "nutrients_per_100g": {"calcium_mg": 40},
        "portions": [{"label": "1 slice", "grams": 90}],
    }


KINDS = [
    Kind(
        "entry",
        "/api/v1/symptoms",
        lambda v: symptom(worst_pain_0_10=v),
        lambda body: int(body["worst_pain_0_10"]),
        lambda p: _paged(p, "/api/v1/symptoms"),
    ),
    Kind(
        "reminder",
        "/api/v1/reminders",
        lambda v: {"kind": "custom", "title": f"Stretch {v}", "times": ["08:00"]},
        lambda body: int(body["title"].rsplit(" ", 1)[1]),
        lambda p: [r["id"] for r in p.get("/api/v1/reminders").json()],
    ),
    Kind(
        "own food",
        "/api/v1/foods/custom",
        _food,
        lambda body: int(body["name"].rsplit(" ", 1)[1]),
        lambda p: _paged(p, "/api/v1/foods/custom"),
    ),
]


def write_only(person: Person) -> Person:
    made = person.post("/api/v1/tokens", {"name": "Shortcut", "scopes": ["write"]})
    assert made.status_code == 201, made.text
    return Person(person.client, person.email, made.json()["token"], person.user_id)


@pytest.fixture
def person(client: TestClient) -> Person:
    return sign_up(client)


# --- the property ------------------------------------------------------------------------

DELETED = "deleted"
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["create", "create_write_only", "put", "delete"]),
        st.integers(0, 2),  # which record (slot)
        st.integers(0, 2),  # which content
    ),
    min_size=1,
    max_size=10,
)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
@settings(
    max_examples=12,
    database=None,
    suppress_health_check=[*SLOW_MACHINE, HealthCheck.function_scoped_fixture],
)
@given(steps=STEPS)
def test_no_sequence_of_writes_duplicates_or_loses_a_record(
    kind: Kind, person: Person, steps: list[tuple[str, int, int]]
) -> None:
    """One person for every example (signing in per example trips the sign-in limiter): each
    example has fresh ids and checks the person's records by difference."""
    writer = write_only(person)
    before = set(kind.listed(person))
    ids = [str(uuid.uuid4()) for _ in range(3)]
    model: dict[int, int | str] = {}  # slot -> current content, or DELETED
    for action, slot, variant in steps:
        state = model.get(slot)
        url, body = kind.item(ids[slot]), kind.payload(variant) | {"id": ids[slot]}
        if action in ("create", "create_write_only"):
            who = person if action == "create" else writer
            answer = who.post(kind.url, body)
            if state is None:
                assert answer.status_code == 201, answer.text
                model[slot] = variant
            elif state == DELETED:
                assert answer.status_code == 409, answer.text
            elif who is writer:
                # Whatever is stored: a 409 naming only the id, and nothing written.
                assert answer.status_code == 409, answer.text
            else:
                assert answer.status_code == (200 if state == variant else 409), answer.text
                if answer.status_code == 200:
                    assert kind.content(answer.json()) == state
        elif action == "put":
            answer = writer.put(url, kind.payload(variant))
            if state is None or state == DELETED:
                assert answer.status_code == 404, answer.text
            else:
                assert answer.status_code == 200, answer.text
                model[slot] = variant
        else:
            answer = writer.delete(url)
            assert answer.status_code == (404 if state in (None, DELETED) else 204), answer.text
            if state is not None:
                model[slot] = DELETED
    for slot, record_id in enumerate(ids):
        read = person.get(kind.item(record_id))
        state = model.get(slot)
        if state is None or state == DELETED:
            assert read.status_code == 404, read.text
        else:
            assert read.status_code == 200, read.text
            assert kind.content(read.json()) == state
    after = kind.listed(person)
    assert len(after) == len(set(after)), "a record is listed twice"
    live = {ids[slot] for slot, state in model.items() if state != DELETED}
    assert set(after) - before == live


# --- F4: a write-only principal learns nothing through a retry --------------------------


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
class TestWriteOnlyRetries:
    def test_the_answer_is_the_same_whether_the_guess_is_right_or_wrong(
        self, kind: Kind, person: Person
    ) -> None:
        writer = write_only(person)
        record_id = str(uuid.uuid4())
        assert person.post(kind.url, kind.payload(7) | {"id": record_id}).status_code == 201
        stored = person.get(kind.item(record_id)).json()
        right = writer.post(kind.url, kind.payload(7) | {"id": record_id})
        wrong = writer.post(kind.url, kind.payload(3) | {"id": record_id})
        # Never a 200 for a write that was not done, and nothing to tell the guesses apart by.
        assert right.status_code == wrong.status_code == 409, wrong.text
        assert right.json() == wrong.json()
        assert [(e["field"], e["rule"]) for e in wrong.json()["errors"]] == [("id", "unique")]
        assert _stored_text(kind, 7) not in right.text + wrong.text
        assert stored["created_at"] not in right.text + wrong.text
        # The wrong guess wrote nothing.
        again = person.get(kind.item(record_id)).json()
        assert again == stored

    def test_a_retry_after_the_person_edited_is_a_409_and_keeps_the_edit(
        self, kind: Kind, person: Person
    ) -> None:
        writer = write_only(person)
        record_id = str(uuid.uuid4())
        assert writer.post(kind.url, kind.payload(1) | {"id": record_id}).status_code == 201
        assert person.put(kind.item(record_id), kind.payload(9)).status_code == 200
        retry = writer.post(kind.url, kind.payload(1) | {"id": record_id})
        assert retry.status_code == 409, retry.text
        assert "was saved" in retry.json()["detail"]
        assert kind.content(person.get(kind.item(record_id)).json()) == 9

    def test_a_retry_after_a_delete_is_a_409_that_names_only_the_id(
        self, kind: Kind, person: Person
    ) -> None:
        writer = write_only(person)
        record_id = str(uuid.uuid4())
        assert person.post(kind.url, kind.payload(8) | {"id": record_id}).status_code == 201
        assert person.delete(kind.item(record_id)).status_code == 204
        retry = writer.post(kind.url, kind.payload(5) | {"id": record_id})
        assert retry.status_code == 409, retry.text
        problem = retry.json()
        assert [(e["field"], e["rule"]) for e in problem["errors"]] == [("id", "unique")]
        assert _stored_text(kind, 8) not in retry.text

    def test_a_principal_that_may_read_keeps_the_200_or_409(
        self, kind: Kind, person: Person
    ) -> None:
        record_id = str(uuid.uuid4())
        assert person.post(kind.url, kind.payload(2) | {"id": record_id}).status_code == 201
        same = person.post(kind.url, kind.payload(2) | {"id": record_id})
        other = person.post(kind.url, kind.payload(4) | {"id": record_id})
        assert (same.status_code, other.status_code) == (200, 409)
        assert kind.content(same.json()) == 2
        assert _stored_text(kind, 2) not in other.text


def _stored_text(kind: Kind, variant: int) -> str:
    """How content `variant` would appear in an answer's JSON."""
    return {
        "entry": f'"worst_pain_0_10":{variant}',
        "reminder": f"Stretch {variant}",
        "own food": f"Oat bake {variant}",
    }[kind.name]


def _without_content(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in ("worst_pain_0_10", "title", "name")}
