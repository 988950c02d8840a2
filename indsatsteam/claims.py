"""Deciding who wins when two requests change the same row at once (a double click, two
colleagues, two managers), the same way on SQLite and PostgreSQL.

`claim(obj, Model.status == "draft")` runs `UPDATE … SET id = id WHERE id = :id AND status =
'draft'` and tells from the row count whether the conditions still held. The UPDATE keeps the
row write-locked until the transaction ends (PostgreSQL: the row lock; SQLite: the database's
write lock, which the second request waits for under `busy_timeout`), so the second request
runs its UPDATE only after the first committed, finds the conditions false and changes
nothing. A `SELECT … FOR UPDATE` would do nothing on SQLite; this works on both.

The change itself is then made through the ORM as usual, so the audit trail records it.
"""

from __future__ import annotations

from sqlalchemy import inspect, update

from .extensions import db


def claim(obj, *conditions) -> bool:
    """Lock `obj`'s row if `conditions` still hold in the database; True when they did.

    Either way `obj` is reloaded, so the caller sees the row as it now is (the state the
    winner committed, for a loser).
    """
    obj = obj._get_current_object() if hasattr(obj, "_get_current_object") else obj  # current_user
    model = type(obj)
    key = inspect(model).primary_key[0].key
    column = getattr(model, key)
    result = db.session.execute(
        update(model).where(column == getattr(obj, key), *conditions)
        .values({column: column}).execution_options(synchronize_session=False))
    db.session.refresh(obj)
    return result.rowcount == 1


def lock(obj) -> None:
    """Hold `obj`'s row until commit and reload it: later reads see the latest state."""
    claim(obj)
