"""A reference sync client (docs/sync.md, "Client rules"), small enough to read in one go.

The PWA's engine follows the same rules; this one runs in tests against the real API:

- `confirmed` holds the server's records as this device last heard of them (version, fields);
  `outbox` holds the operations not yet answered, oldest first. What the person sees is
  `view()`: confirmed with the outbox laid over it, so an edit shows at once, offline or not.
- A change and its outbox entry are made together (in the PWA: one IndexedDB transaction, with
  no network call awaited inside it). An operation keeps its op_id for ever, so a retry after a
  lost response is answered `duplicate` and changes nothing; only an `op_id_reused` refusal
  (the op_id named another change) gives it a new one.
- Push sends the oldest operations (at most 500) and removes each answered one from the outbox.
  Pull walks the feed from the saved cursor; on 410 it forgets `confirmed` and the cursor and
  pulls from the start, keeping the outbox.
- Faults can be injected: a request that never arrives, a response that never comes back, a
  request delivered twice, an old request delivered again later.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

Key = tuple[str, str]  # (entity, id)
# Entities where an upsert of a tombstone brings the record back (docs/sync.md: favourites).
REVIVABLE = frozenset({"favourites"})
Fault = Literal["none", "drop_request", "drop_response", "duplicate"]


class Lost(Exception):
    """The request or its answer was lost; nothing is known about its effect."""


@dataclass
class Rec:
    version: int
    deleted: bool
    fields: dict[str, Any] | None


@dataclass
class Op:
    op_id: str
    entity: str
    id: str
    kind: Literal["upsert", "delete"]
    base_version: int | None
    fields: dict[str, Any] | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "op_id": self.op_id,
            "entity": self.entity,
            "id": self.id,
            "kind": self.kind,
            "base_version": self.base_version,
        }
        if self.fields is not None:
            out["fields"] = self.fields
        return out


@dataclass
class Device:
    http: httpx.Client
    token: str
    device_id: str = field(default_factory=lambda: f"device-{uuid.uuid4().hex[:8]}")
    batch_size: int = 500
    confirmed: dict[Key, Rec] = field(default_factory=dict)
    outbox: list[Op] = field(default_factory=list)
    cursor: str | None = None
    rejected: list[tuple[Op, dict[str, Any]]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    sent_bodies: list[dict[str, Any]] = field(default_factory=list)
    resyncs: int = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    # --- Local changes (each one: the change and its outbox entry, together) ----------------

    def view(self) -> dict[Key, dict[str, Any]]:
        """What the person sees: confirmed records with the pending operations laid over."""
        out = {k: copy.deepcopy(r.fields) for k, r in self.confirmed.items() if not r.deleted}
        for op in self.outbox:
            key = (op.entity, op.id)
            if op.kind == "delete":
                out.pop(key, None)
            elif key in out:
                out[key] = {**(out[key] or {}), **(op.fields or {})}
            elif op.entity in REVIVABLE or not (
                key in self.confirmed and self.confirmed[key].deleted
            ):
                out[key] = dict(op.fields or {})
        return {k: v for k, v in out.items() if v is not None}

    def _enqueue(self, op: Op) -> Op:
        self.outbox.append(op)
        return op

    def _base(self, key: Key) -> int | None:
        """The version a change is made on: the confirmed one, unless a pending change of the
        same record was made on an older one; then that older one. A pending change was made
        before the pull (or merged answer) that moved confirmed on, so the server may have
        applied it before that newer version; its value, laid over confirmed, then hides a value
        the newer version holds, which the person never saw. The older base makes the server
        merge and keep that value as a conflict instead of taking this change as fresh."""
        rec = self.confirmed.get(key)
        bases = [rec.version if rec is not None else None]
        bases += [op.base_version for op in self.outbox if (op.entity, op.id) == key]
        return min(bases, key=lambda base: base or 0)

    def create(self, entity: str, fields: dict[str, Any], entity_id: str | None = None) -> Op:
        entity_id = entity_id or str(uuid.uuid4())
        key = (entity, entity_id)
        return self._enqueue(
            Op(str(uuid.uuid4()), entity, entity_id, "upsert", self._base(key), dict(fields))
        )

    def edit(self, entity: str, entity_id: str, changes: dict[str, Any]) -> Op:
        """Only the changed fields travel, so a concurrent edit of another field survives."""
        key = (entity, entity_id)
        return self._enqueue(
            Op(str(uuid.uuid4()), entity, entity_id, "upsert", self._base(key), dict(changes))
        )

    def delete(self, entity: str, entity_id: str) -> Op:
        key = (entity, entity_id)
        return self._enqueue(Op(str(uuid.uuid4()), entity, entity_id, "delete", self._base(key)))

    # --- Network ----------------------------------------------------------------------------

    def _send(self, method: str, url: str, fault: Fault, **kwargs: Any) -> httpx.Response:
        if fault == "drop_request":
            raise Lost("request dropped")
        response = self.http.request(method, url, headers=self.headers, **kwargs)
        if fault == "duplicate":
            response = self.http.request(method, url, headers=self.headers, **kwargs)
        if fault == "drop_response":
            raise Lost("response dropped")
        return response

    def push(self, fault: Fault = "none") -> list[dict[str, Any]]:
        """Send the oldest pending operations once; raises Lost when the answer never came."""
        batch = self.outbox[: self.batch_size]
        if not batch:
            return []
        body = {"device_id": self.device_id, "operations": [op.body() for op in batch]}
        self.sent_bodies.append(body)
        response = self._send("POST", "/api/v1/sync/push", fault, json=body)
        if response.status_code >= 500:
            raise Lost(f"server error {response.status_code}")
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        assert [r["op_id"] for r in results] == [op.op_id for op in batch]
        for op, result in zip(batch, results, strict=True):
            self._settle(op, result)
        return results

    def replay(self, index: int) -> None:
        """The network delivers an old request again; its answer goes nowhere."""
        if self.sent_bodies:
            body = self.sent_bodies[index % len(self.sent_bodies)]
            self.http.post("/api/v1/sync/push", headers=self.headers, json=body)

    def _settle(self, op: Op, result: dict[str, Any]) -> None:
        if result["status"] == "rejected" and any(
            e.get("rule") == "op_id_reused" for e in result["problem"].get("errors", [])
        ):
            # The op_id named another change already (docs/sync.md): nothing was written. A
            # client's slip, not the person's: the op stays where it is under a new op_id.
            op.op_id = str(uuid.uuid4())
            return
        self.outbox.remove(op)
        answer = result.get("original") if result["status"] == "duplicate" else result
        assert answer is not None
        key = (op.entity, op.id)
        self.conflicts.extend(answer.get("conflicts", []))
        if answer["status"] == "rejected":
            self.rejected.append((op, answer["problem"]))
            return
        if answer.get("record") is not None:  # merged or refused: the server says what it holds
            self._take(key, answer["record"])
            return
        version = answer.get("version")
        rec = self.confirmed.get(key)
        if version is None or (rec is not None and rec.version >= version):
            return  # nothing written, or a pull brought this version (or a newer one) already
        if op.kind == "delete":
            self.confirmed[key] = Rec(version, True, None)
        else:
            base = rec.fields if rec is not None and not rec.deleted and rec.fields else {}
            self.confirmed[key] = Rec(version, False, {**base, **(op.fields or {})})

    def _take(self, key: Key, change: dict[str, Any]) -> None:
        rec = self.confirmed.get(key)
        if rec is None or rec.version <= change["version"]:
            self.confirmed[key] = Rec(change["version"], change["deleted"], change["fields"])

    def pull(self, fault: Fault = "none", limit: int = 500) -> int:
        """Pull to the end of the feed; returns the number of changes taken."""
        taken = 0
        while True:
            params: dict[str, Any] = {"limit": limit}
            if self.cursor:
                params["cursor"] = self.cursor
            response = self._send("GET", "/api/v1/sync/pull", fault, params=params)
            if response.status_code == 410:
                # Older than the purge horizon: start again, keeping what is not yet pushed.
                self.confirmed.clear()
                self.cursor = None
                self.resyncs += 1
                continue
            assert response.status_code == 200, response.text
            page = response.json()
            for change in page["changes"]:
                self._take((change["entity"], change["id"]), change)
            taken += len(page["changes"])
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return taken

    def sync(self) -> None:
        """Push everything (retrying server errors), then pull to the end."""
        for _ in range(100):
            if not self.outbox:
                break
            try:
                self.push()
            except Lost:
                continue
        assert not self.outbox, "the outbox did not drain"
        self.pull()
