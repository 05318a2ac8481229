from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import PASSWORD, sign_up


class TestAuditLog:
    def test_records_sign_ins_tokens_and_failed_attempts(self, client: TestClient) -> None:
        person = sign_up(client)
        client.post("/api/v1/sessions", json={"email": person.email, "password": "not the one!"})
        token = person.post("/api/v1/tokens", {"name": "Shortcuts", "scopes": ["read"]}).json()
        person.delete(f"/api/v1/tokens/{token['id']}")
        events = person.get("/api/v1/audit").json()
        actions = [e["action"] for e in events]
        assert actions == [
            "token_revoked",
            "token_created",
            "sign_in_failed",
            "signed_in",
            "account_created",
        ]
        created = next(e for e in events if e["action"] == "token_created")
        assert created["detail"] == {"name": "Shortcuts", "scopes": "read"}
        assert token["token"] not in str(events)

    def test_never_shows_another_persons_events(self, client: TestClient) -> None:
        ann, bob = sign_up(client), sign_up(client)
        ann.post("/api/v1/tokens", {"name": "ann's", "scopes": ["read"]})
        assert "ann's" not in str(bob.get("/api/v1/audit").json())

    def test_holds_no_password(self, client: TestClient) -> None:
        person = sign_up(client)
        person.post(
            "/api/v1/password",
            json={"current_password": PASSWORD, "new_password": "another long secret"},
        )
        events = person.get("/api/v1/audit").json()
        assert events[0]["action"] == "password_changed"
        assert "another long secret" not in str(events)
        assert PASSWORD not in str(events)

    def test_a_read_token_cannot_read_the_audit_log(self, client: TestClient) -> None:
        person = sign_up(client)
        token = person.post("/api/v1/tokens", {"name": "x", "scopes": ["read"]}).json()["token"]
        response = client.get("/api/v1/audit", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 403

    def test_records_exports(self, client: TestClient) -> None:
        person = sign_up(client)
        assert person.get("/api/v1/export").status_code == 200
        assert person.get("/api/v1/export/csv").status_code == 200
        exports = [e for e in person.get("/api/v1/audit").json() if e["action"] == "data_exported"]
        assert sorted(e["detail"]["format"] for e in exports) == ["csv", "json"]
