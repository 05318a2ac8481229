"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from fortify.accounts import models as accounts_models
from fortify.core.db import Base
from fortify.entries import models as entries_models

metadata = Base.metadata

__all__ = ["accounts_models", "entries_models", "metadata"]
