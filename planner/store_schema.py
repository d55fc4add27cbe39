"""The tables of the plans' database (SQLAlchemy Core) and the small helpers every store uses.

The schema is Alembic's (planner/migrations); planner/storage.py keeps plans and revisions,
planner/agency_store.py crossing notices, batch jobs and admin sessions, in the same database.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from planner.errors import PlannerError


class StaleVersion(PlannerError):
    """The plan changed since the writer read it (their version is not the current one)."""

    def __init__(self, current: int):
        super().__init__(f"the plan is at version {current}")
        self.current = current


class UnknownPlan(PlannerError, LookupError):
    """No plan (or no such revision of it) with that id."""


metadata = MetaData()

plans = Table(
    "plans",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    Column("edit_token_hash", String(64), nullable=False),
    Column("current_revision", Integer, nullable=False),
    # The secret edit link's hash (another device, a companion); null: none, or revoked.
    Column("edit_link_hash", String(64), nullable=True),
)

plan_revisions = Table(
    "plan_revisions",
    metadata,
    Column("plan_id", String(64), ForeignKey("plans.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("request_json", Text, nullable=False),
    Column("itinerary_json", Text, nullable=False),
    Column("note", String(200), nullable=False, default=""),
)


crossing_notices = Table(
    "crossing_notices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("scope", String(64), nullable=False),  # all | a mode id | a check-point id
    Column("effect", String(16), nullable=False),  # info | suspended
    Column("text_zh", Text, nullable=False),
    Column("text_ru", Text, nullable=False),
    Column("text_en", Text, nullable=False),
    Column("author", String(100), nullable=False),
    Index("ix_crossing_notices_dates", "start_date", "end_date"),
)

batch_jobs = Table(
    "batch_jobs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),  # queued | running | done | failed
    Column("total", Integer, nullable=False),
    Column("done", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("report_json", Text, nullable=False),
    Column("archive", LargeBinary, nullable=True),  # the zip, once done
    # What a queue consumer needs to run or resume the job (0003).
    Column("source_text", Text, nullable=True),
    Column("lang", String(8), nullable=True),
    Column("base_url", String(300), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("message", String(300), nullable=False, default=""),
)

# A signed-in agency administrator: the SHA-256 of the nonce in their session cookie. Logging out
# deletes the row, so a copied cookie no longer opens the admin pages.
admin_sessions = Table(
    "admin_sessions",
    metadata,
    Column("nonce_hash", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# The largest value of an Integer column on every backend (PostgreSQL's INTEGER is 32-bit). A
# number beyond it names no row, and the driver would raise OverflowError instead of saying so.
MAX_INTEGER = 2**31 - 1


def storable(number: int) -> bool:
    return isinstance(number, int) and -MAX_INTEGER - 1 <= number <= MAX_INTEGER


def new_id() -> str:
    """An unguessable id (128 bits) that starts with a letter or digit, so it is never taken for
    an option on a command line (`export -Eab…`) and reads well in a URL."""
    while True:
        value = secrets.token_urlsafe(16)
        if value[0].isalnum():
            return value


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def aware_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def dump_json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
