"""Her import's lock holds at the change counter too, not only on sign-in (importlock.py): a
write that passed sign-in just before the import took the lock cannot commit between two of
the import's batches."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fortify.accounts import importlock
from fortify.accounts import service as accounts
from fortify.core.errors import Unauthorized
from tests.factories import sign_up


def _locked(app: FastAPI, user_id: uuid.UUID) -> None:
    with app.state.session_factory() as session:
        importlock.begin(session, user_id)
        session.commit()


class TestTheCounterRefuses:
    def test_every_way_of_taking_a_change_number_is_refused_while_she_imports(
        self, app: FastAPI, client: TestClient
    ) -> None:
        user_id = uuid.UUID(sign_up(client).user_id)
        _locked(app, user_id)
        for take in (
            lambda s: accounts.next_version(s, user_id),
            lambda s: accounts.take_versions(s, user_id, 3),
            lambda s: accounts.reserve_versions(s, user_id, 3),
            lambda s: accounts.lock_changes(s, user_id),
        ):
            with app.state.session_factory() as session:
                with pytest.raises(importlock.ImportRunning) as refused:
                    take(session)
                assert refused.value.status == 503
                assert 1 <= int(refused.value.headers["Retry-After"]) <= 30

    def test_the_imports_own_session_passes_and_the_end_frees_her(
        self, app: FastAPI, client: TestClient
    ) -> None:
        user_id = uuid.UUID(sign_up(client).user_id)
        with app.state.session_factory() as importing:
            importlock.begin(importing, user_id)
            importing.commit()
            before = accounts.next_version(importing, user_id)
            assert accounts.take_versions(importing, user_id, 2) == before + 1
            importing.commit()
            # A second import of hers meanwhile: refused, her lock unchanged.
            with app.state.session_factory() as second, pytest.raises(importlock.ImportRunning):
                importlock.begin(second, user_id)
            importlock.end(importing, user_id)
            importing.commit()
        with app.state.session_factory() as session:
            assert accounts.next_version(session, user_id) == before + 3

    def test_a_person_gone_is_the_401_a_later_request_gets(self, app: FastAPI) -> None:
        with app.state.session_factory() as session, pytest.raises(Unauthorized) as gone:
            accounts.next_version(session, uuid.uuid4())
        assert gone.value.rule == "account_deleted"

    def test_the_lock_waits_for_a_write_in_flight_and_refuses_the_next(
        self, app: FastAPI, client: TestClient
    ) -> None:
        """A write that took its number before the lock commits first (the lock's UPDATE waits
        for the row lock, or SQLite's writer); the import then reads a settled account."""
        user_id = uuid.UUID(sign_up(client).user_id)
        with app.state.session_factory() as writing:
            accounts.next_version(writing, user_id)
            locking = threading.Thread(target=_locked, args=(app, user_id))
            locking.start()
            time.sleep(0.5)
            assert locking.is_alive()  # waits for the write in flight
            writing.commit()
        locking.join(10)
        assert not locking.is_alive()
        with app.state.session_factory() as session, pytest.raises(importlock.ImportRunning):
            accounts.next_version(session, user_id)
