"""Flask extensions, created once here and bound to the app in :func:`portal.create_app`."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
import enum

import sqlalchemy as sa
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# A naming convention keeps constraint names stable across SQLite and PostgreSQL, so
# Alembic migrations (batch mode on SQLite) can find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def one_of(column: str, values: type[enum.Enum]) -> sa.CheckConstraint:
    """A CHECK constraint named ``ck_<table>_<column>`` allowing only the values of the enum
    ``values`` (or NULL) in ``column``: the database refuses a misspelt state or kind."""
    allowed = ", ".join("'" + str(member.value).replace("'", "''") + "'" for member in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=column)


class Base(DeclarativeBase):
    """Declarative base for every model; shares one MetaData with the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# No limit applies by default; portal.auth.throttle counts failed password checks on its
# storage (RATELIMIT_STORAGE_URI). The moving window frees one try at a time.
limiter = Limiter(key_func=get_remote_address, strategy="moving-window")
