"""Offline-first sync (docs/sync.md): idempotent push, a change feed that never skips, conflicts
kept.

- `push.py` applies a device's outbox: each operation in its own savepoint, stale writes merged
  field by field, answers stored for retries (the conflict policy is in its docstring);
- `pull.py` serves the change feed from the person's change counter (why it never skips a late
  commit is in its docstring) and purges old tombstones;
- `conflicts.py` keeps every overwritten value for the person to restore or dismiss;
- `entities.py` is the registry of what syncs (profile, entries, custom foods, favourites,
  reminders): how each is loaded, written, listed in the feed and purged, through its own
  domain's service.
"""
