"""Typed factories: accounts, signed-in clients and valid payloads for every entry kind."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from fortify.core.mail import Mail

PASSWORD = "correct horse battery"
_LINK = re.compile(r"(https?://\S+/(verify|reset))#token=(\S+)")


@dataclass
class Outbox:
    """The test app's mailer: keeps every mail instead of sending it (tests/conftest.py)."""

    mails: list[Mail] = field(default_factory=list)

    def send(self, mail: Mail) -> None:
        self.mails.append(mail)

    def to(self, email: str) -> list[Mail]:
        return [m for m in self.mails if m.to == email]

    def link(self, email: str, kind: str = "verify") -> str:
        """The token of the newest `verify` or `reset` link mailed to `email`."""
        for mail in reversed(self.to(email)):
            for match in _LINK.finditer(mail.text):
                if match.group(2) == kind:
                    return match.group(3)
        raise AssertionError(f"no {kind} link was mailed to {email}")


@dataclass
class Person:
    client: TestClient
    email: str
    token: str
    user_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, headers=self.headers, **kwargs)

    def post(self, url: str, json: Any = None, **kwargs: Any) -> Any:
        return self.client.post(url, headers=self.headers, json=json, **kwargs)

    def put(self, url: str, json: Any = None) -> Any:
        return self.client.put(url, headers=self.headers, json=json)

    def patch(self, url: str, json: Any = None) -> Any:
        return self.client.patch(url, headers=self.headers, json=json)

    def delete(self, url: str) -> Any:
        return self.client.delete(url, headers=self.headers)


def sign_up(client: TestClient, email: str | None = None, password: str = PASSWORD) -> Person:
    """A new person, signed in: signs up, opens the link of the mail, as a person would."""
    email = email or f"person-{uuid.uuid4().hex[:8]}@example.com"
    if not isinstance(client.app.state.mailer, Outbox):  # type: ignore[attr-defined]
        client.app.state.mailer = Outbox()  # type: ignore[attr-defined]  # an app of its own
    asked = client.post(
        "/api/v1/accounts", json={"email": email, "password": password, "display_name": "Pat"}
    )
    assert asked.status_code == 202, asked.text
    outbox: Outbox = client.app.state.mailer  # type: ignore[attr-defined]
    verified = client.post(
        "/api/v1/accounts/verify",
        json={"token": outbox.link(email.lower()), "password": password, "device_name": "test"},
    )
    assert verified.status_code == 201, verified.text
    return Person(client, email, verified.json()["token"], verified.json()["user_id"])


def at(day: dt.date = dt.date(2026, 11, 20), hour: int = 8, minute: int = 0) -> str:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC).isoformat()


def meal(**overrides: Any) -> dict[str, Any]:
    return {
        "eaten_at": at(),
        "name": "Breakfast",
        "items": [
            {
                "food_name": "Milk, whole",
                "grams": 244,
                "nutrients": {"calcium_mg": 276, "energy_kcal": 149},
                "servings": {},
            }
        ],
    } | overrides


def regimen(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Calcium citrate 400 mg",
        "kind": "supplement",
        "form": "calcium_citrate",
        "nutrients_per_unit": {"calcium_mg": 400},
        "schedule_times": ["08:00", "20:00"],
    } | overrides


def dose(**overrides: Any) -> dict[str, Any]:
    return {
        "taken_at": at(),
        "units": 1,
        "kind": "supplement",
        "nutrients": {"calcium_mg": 400},
    } | (overrides)


def workout(**overrides: Any) -> dict[str, Any]:
    return {
        "activity": "brisk_walking",
        "started_at": at(),
        "minutes": 30,
        "intensity": "moderate",
    } | overrides


def symptom(**overrides: Any) -> dict[str, Any]:
    return {"measured_at": at(), "worst_pain_0_10": 4, "locations": ["hands"]} | overrides


def lab(**overrides: Any) -> dict[str, Any]:
    return {"measured_at": at(), "kind": "vitamin_d_25oh", "value": 32, "unit": "ng/mL"} | overrides


def measurement(**overrides: Any) -> dict[str, Any]:
    return {"measured_at": at(), "weight_kg": 68.5} | overrides


VALID: dict[str, Any] = {
    "meals": meal,
    "regimen": regimen,
    "doses": dose,
    "workouts": workout,
    "symptoms": symptom,
    "labs": lab,
    "measurements": measurement,
}


def export_document(foods: int, meals: int) -> dict[str, Any]:
    """A version-3 JSON export of `foods` own foods and `meals` one-item meals: the outside
    probe's large import (F2 of issue #13), shared by its race test and bench/import_file.py."""
    at = "2026-12-01T00:00:00+00:00"
    return {
        "format": "fortify-export",
        "version": 3,
        "exported_at": "2026-12-05T00:00:00+00:00",
        "profile": {"display_name": "Importer", "time_zone": "UTC"},
        "custom_foods": [
            {
                "id": str(uuid.uuid4()),
                "created_at": at,
                "name": f"home-made bake {i}",
                "nutrients_per_100g": {"calcium_mg": 1},
            }
            for i in range(foods)
        ],
        "meals": [
            {
                "id": str(uuid.uuid4()),
                "created_at": at,
                "eaten_at": "2026-12-01T08:00:00+00:00",
                "name": f"meal {i}",
                "items": [{"food_name": "milk", "grams": 100, "nutrients": {"calcium_mg": 120}}],
            }
            for i in range(meals)
        ],
    }
