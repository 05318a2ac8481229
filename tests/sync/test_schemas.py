"""The sync schemas: the entity names the OpenAPI schema publishes are the ones sync carries."""

from __future__ import annotations

import uuid

from fortify.sync.entities import ENTITIES
from fortify.sync.schemas import Operation, SyncEntityName


class TestSyncEntityName:
    def test_names_every_entity_sync_carries_and_no_other(self) -> None:
        assert {name.value for name in SyncEntityName} == set(ENTITIES)

    def test_an_operation_on_an_unknown_entity_still_validates_so_it_alone_is_rejected(
        self,
    ) -> None:
        op = Operation.model_validate(
            {"op_id": "a", "entity": "users", "id": str(uuid.uuid4()), "kind": "delete"}
        )
        assert op.entity == "users"
