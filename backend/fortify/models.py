"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from fortify.accounts import models as accounts_models
from fortify.catalog import models as catalog_models
from fortify.core.db import Base
from fortify.entries import models as entries_models
from fortify.portability import models as portability_models
from fortify.reminders import models as reminders_models
from fortify.sync import models as sync_models

metadata = Base.metadata

__all__ = [
    "accounts_models",
    "catalog_models",
    "entries_models",
    "metadata",
    "portability_models",
    "reminders_models",
    "sync_models",
]
