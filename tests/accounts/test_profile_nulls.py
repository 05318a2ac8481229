"""A profile field that cannot be empty refuses null with a 422 naming it (was a 500).

Found by Schemathesis with more examples per operation: `PATCH /api/v1/profile` with
`"target_overrides": null` stored null, and reading the profile back then failed (500).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.factories import sign_up


@pytest.mark.parametrize("field", ["target_overrides", "time_zone", "cleared_for_high_impact"])
def test_null_for_a_field_that_cannot_be_empty_is_a_422_naming_it(
    client: TestClient, field: str
) -> None:
    person = sign_up(client)
    response = person.patch("/api/v1/profile", {field: None})
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["rule"]) == (field, "not_null")
    assert person.get("/api/v1/profile").status_code == 200
