"""Saved plans and their revisions: SQLAlchemy Core, SQLite in instance/ by default.

Every edit appends a revision and bumps the plan's version in one transaction; a writer that
read an older version gets `StaleVersion` (the API's 409) and nothing is written. The edit token
is never stored: only its SHA-256, compared in constant time. The schema is Alembic's
(planner/migrations); `open_store` brings any database up to it before use.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import (
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from planner.agency_store import AgencyStore
from planner.plan_document import PlanDocument, PlanUnreadable
from planner.resources import PACKAGE
from planner.store_schema import (
    StaleVersion,
    UnknownPlan,
    aware_utc,
    dump_json,
    hash_token,
    new_id,
    plan_revisions,
    plans,
    storable,
    utc_now,
)

MIGRATIONS = PACKAGE / "migrations"


@dataclass(frozen=True)
class Revision:
    number: int
    created_at: datetime
    request: dict[str, Any]
    itinerary: dict[str, Any]
    note: str

    @cached_property
    def document(self) -> PlanDocument:
        """The itinerary as the typed plan document (an older revision's migrated)."""
        return PlanDocument.from_saved(self.itinerary)


@dataclass(frozen=True)
class RevisionInfo:
    number: int
    created_at: datetime
    note: str


@dataclass(frozen=True)
class Plan:
    """A plan as stored: its head fields and the current revision's documents."""

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    version: int
    current: Revision


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers go on while one writer commits; foreign keys on; wait, don't fail."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def database_url(url: str) -> str:
    """The SQLAlchemy URL for *url*: `postgres://` and `postgresql://` (as hosting services and
    libpq write them) use psycopg 3, the driver installed; anything else is left as given."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def read_only_file(path: Path) -> bool:
    """An existing database file on a read-only volume (or one this process may not write):
    SQLite's WAL mode would need to create its `-shm` file beside it, and fail even to read."""
    import os

    if not path.exists():
        return False
    folder = path.parent
    try:
        mounted_ro = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        mounted_ro = False
    return mounted_ro or not os.access(path, os.W_OK) or not os.access(folder, os.W_OK)


def _read_only_engine(path: Path) -> Engine:
    """Reads only: SQLite's `mode=ro&immutable=1` needs no lock and no `-shm` file. Writes fail
    with 'attempt to write a readonly database' (the web answers 503)."""
    import sqlite3
    from urllib.parse import quote

    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    return create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
        poolclass=NullPool,
    )


def make_engine(url: str) -> Engine:
    url = database_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and read_only_file(Path(path)):
            return _read_only_engine(Path(path))
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # One connection per use: no pooled SQLite handle is shared across threads.
        engine = create_engine(url, poolclass=NullPool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A small pool per worker process (several gunicorn workers share one server); pre-ping
    # drops connections the server closed (restart, idle timeout) instead of failing a request.
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, pool_recycle=1800)


MIGRATION_LOCK = 72019  # PostgreSQL advisory lock key: one migrating process at a time


@contextmanager
def _one_migrator(engine: Engine) -> Iterator[None]:
    """Let one process migrate at a time: gunicorn's workers all start on a fresh database at
    once, and two running the first migration together crashed the others ("table
    alembic_version already exists"). SQLite: a lock file beside the database; PostgreSQL: an
    advisory lock taken in the migration's own transaction (see migrate)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    import fcntl

    with open(f"{database}.migrate-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield


def migrate(engine: Engine) -> None:
    """Apply every Alembic migration not yet applied (idempotent; data is never dropped)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _one_migrator(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class PlanStore:
    """Plans in a database; every write is one transaction."""

    def __init__(self, engine: Engine, max_revisions: int = 0):
        self.engine = engine
        self.max_revisions = max(int(max_revisions), 2) if max_revisions else 0  # 0: unbounded
        self.agency = AgencyStore(engine)  # crossing notices and batch jobs, same database

    def create(
        self, title: str, request: dict[str, Any], itinerary: dict[str, Any], note: str = ""
    ) -> tuple[Plan, str]:
        """Save a new plan as revision 1; return it with its edit token (shown once)."""
        plan_id = new_id()
        token = secrets.token_urlsafe(24)
        now = utc_now()
        with self.engine.begin() as conn:
            conn.execute(
                insert(plans).values(
                    id=plan_id,
                    title=title,
                    created_at=now,
                    updated_at=now,
                    version=1,
                    edit_token_hash=hash_token(token),
                    current_revision=1,
                )
            )
            conn.execute(
                insert(plan_revisions).values(
                    plan_id=plan_id,
                    number=1,
                    created_at=now,
                    request_json=dump_json(request),
                    itinerary_json=dump_json(itinerary),
                    note=note[:200],
                )
            )
        return self.get(plan_id), token

    def get(self, plan_id: str) -> Plan:
        with self.engine.connect() as conn:
            head = conn.execute(select(plans).where(plans.c.id == plan_id)).mappings().first()
            if head is None:
                raise UnknownPlan(plan_id)
            current = self._revision(conn, plan_id, head["current_revision"])
        return Plan(
            id=head["id"],
            title=head["title"],
            created_at=aware_utc(head["created_at"]),
            updated_at=aware_utc(head["updated_at"]),
            version=head["version"],
            current=current,
        )

    def _hashes(self, plan_id: str) -> tuple[str | None, str | None]:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(plans.c.edit_token_hash, plans.c.edit_link_hash).where(plans.c.id == plan_id)
            ).first()
        return (row[0], row[1]) if row is not None else (None, None)

    def owner_matches(self, plan_id: str, token: str | None) -> bool:
        """Whether *token* is the plan's own edit token (the one shown when it was made)."""
        stored, _link = self._hashes(plan_id)
        return bool(token and stored) and hmac.compare_digest(stored, hash_token(token))

    def token_matches(self, plan_id: str, token: str | None) -> bool:
        """Whether *token* may edit: the plan's edit token, or its edit link's secret."""
        if not token:
            return False
        stored, link = self._hashes(plan_id)
        given = hash_token(token)
        owner = stored is not None and hmac.compare_digest(stored, given)
        linked = link is not None and hmac.compare_digest(link, given)
        return owner or linked

    def has_edit_link(self, plan_id: str) -> bool:
        return self._hashes(plan_id)[1] is not None

    def make_edit_link(self, plan_id: str) -> str:
        """A new secret for the plan's edit link (shown once; any earlier link stops working)."""
        secret = secrets.token_urlsafe(24)
        self._set_link(plan_id, hash_token(secret))
        return secret

    def revoke_edit_link(self, plan_id: str) -> None:
        """The edit link stops working (and so do the browsers that opened it)."""
        self._set_link(plan_id, None)

    def _set_link(self, plan_id: str, value: str | None) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(plans).where(plans.c.id == plan_id).values(edit_link_hash=value)
            )
        if done.rowcount == 0:
            raise UnknownPlan(plan_id)

    def append(
        self,
        plan_id: str,
        version: int,
        title: str,
        request: dict[str, Any],
        itinerary: dict[str, Any],
        note: str = "",
    ) -> Plan:
        """Add a revision if the plan is still at *version*; else raise StaleVersion."""
        now = utc_now()
        if not storable(version):  # no plan is at that version: it is stale, whatever it is
            raise StaleVersion(self.get(plan_id).version)
        with self.engine.begin() as conn:
            # The write comes first so that it takes the lock before anything is read, and the
            # version in its WHERE clause makes the check and the write one step.
            changed = conn.execute(
                update(plans)
                .where(plans.c.id == plan_id, plans.c.version == version)
                .values(version=plans.c.version + 1, title=title, updated_at=now)
            ).rowcount
            if changed != 1:
                current = conn.execute(
                    select(plans.c.version).where(plans.c.id == plan_id)
                ).scalar()
                if current is None:
                    raise UnknownPlan(plan_id)
                raise StaleVersion(current)
            last = conn.execute(
                select(func.max(plan_revisions.c.number)).where(plan_revisions.c.plan_id == plan_id)
            ).scalar()
            number = (last or 0) + 1
            conn.execute(update(plans).where(plans.c.id == plan_id).values(current_revision=number))
            conn.execute(
                insert(plan_revisions).values(
                    plan_id=plan_id,
                    number=number,
                    created_at=now,
                    request_json=dump_json(request),
                    itinerary_json=dump_json(itinerary),
                    note=note[:200],
                )
            )
            if self.max_revisions:
                # Bounded growth: the first revision and the newest (max - 1) stay; the ones in
                # between go (each is a full copy of the plan, hundreds of kB for a big one).
                conn.execute(
                    delete(plan_revisions).where(
                        plan_revisions.c.plan_id == plan_id,
                        plan_revisions.c.number > 1,
                        plan_revisions.c.number <= number - (self.max_revisions - 1),
                    )
                )
        return self.get(plan_id)

    def revisions(self, plan_id: str) -> list[RevisionInfo]:
        with self.engine.connect() as conn:
            if conn.execute(select(plans.c.id).where(plans.c.id == plan_id)).first() is None:
                raise UnknownPlan(plan_id)
            rows = conn.execute(
                select(plan_revisions.c.number, plan_revisions.c.created_at, plan_revisions.c.note)
                .where(plan_revisions.c.plan_id == plan_id)
                .order_by(plan_revisions.c.number)
            ).all()
        return [RevisionInfo(r.number, aware_utc(r.created_at), r.note) for r in rows]

    def revision(self, plan_id: str, number: int) -> Revision:
        with self.engine.connect() as conn:
            return self._revision(conn, plan_id, number)

    def heads(self, plan_ids: list[str]) -> list[Plan]:
        """The plans among *plan_ids* that exist, newest first (for a browser's own list)."""
        found = []
        for plan_id in plan_ids:
            try:
                found.append(self.get(plan_id))
            except UnknownPlan:
                continue
        return sorted(found, key=lambda p: p.updated_at, reverse=True)

    @staticmethod
    def _revision(conn, plan_id: str, number: int) -> Revision:
        if not storable(number):
            raise UnknownPlan(f"{plan_id} revision {number}")
        row = (
            conn.execute(
                select(plan_revisions).where(
                    plan_revisions.c.plan_id == plan_id, plan_revisions.c.number == number
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            raise UnknownPlan(f"{plan_id} revision {number}")
        return Revision(
            number=row["number"],
            created_at=aware_utc(row["created_at"]),
            request=_saved_object(row["request_json"], "request"),
            itinerary=_saved_object(row["itinerary_json"], "document"),
            note=row["note"],
        )


def _saved_object(text: str, what: str) -> dict[str, Any]:
    """A revision's saved JSON object; PlanUnreadable (409, not a crash) when the database holds
    something else there (damaged by hand or by a faulty copy): not JSON, or not an object."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise PlanUnreadable(f"the saved plan's {what} is not JSON") from None
    if not isinstance(data, dict):
        raise PlanUnreadable(f"the saved plan's {what} is not a JSON object")
    return data


def open_store(url: str, max_revisions: int = 0) -> PlanStore:
    """An engine on *url*, migrated to the newest schema; each plan keeps at most
    *max_revisions* revisions (the first and the newest; 0: all)."""
    engine = make_engine(url)
    migrate(engine)
    return PlanStore(engine, max_revisions)


def init_db(url: str) -> Engine:
    """Bring the database at *url* up to the newest schema (used by `python -m planner setup`)."""
    engine = make_engine(url)
    migrate(engine)
    return engine
