"""Saved plans and their revisions: SQLAlchemy Core, SQLite in instance/ by default.

Every edit appends a revision and bumps the plan's version in one transaction; a writer that
read an older version gets `StaleVersion` (the API's 409) and nothing is written. The edit token
is never stored: only its SHA-256, compared in constant time. The schema is Alembic's
(planner/migrations); `open_store` brings any database up to it before use.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
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
    and_,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from planner.agency import CrossingNotice
from planner.errors import PlannerError
from planner.resources import PACKAGE

MIGRATIONS = PACKAGE / "migrations"

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


def _storable(number: int) -> bool:
    return isinstance(number, int) and -MAX_INTEGER - 1 <= number <= MAX_INTEGER


class StaleVersion(PlannerError):
    """The plan changed since the writer read it (their version is not the current one)."""

    def __init__(self, current: int):
        super().__init__(f"the plan is at version {current}")
        self.current = current


class UnknownPlan(PlannerError, LookupError):
    """No plan (or no such revision of it) with that id."""


@dataclass(frozen=True)
class Revision:
    number: int
    created_at: datetime
    request: dict[str, Any]
    itinerary: dict[str, Any]
    note: str


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


def new_id() -> str:
    """An unguessable id (128 bits) that starts with a letter or digit, so it is never taken for
    an option on a command line (`export -Eab…`) and reads well in a URL."""
    while True:
        value = secrets.token_urlsafe(16)
        if value[0].isalnum():
            return value


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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


def migrate(engine: Engine) -> None:
    """Apply every Alembic migration not yet applied (idempotent; data is never dropped)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
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
        now = _now()
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
                    request_json=_dump(request),
                    itinerary_json=_dump(itinerary),
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
            created_at=_aware(head["created_at"]),
            updated_at=_aware(head["updated_at"]),
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
        now = _now()
        if not _storable(version):  # no plan is at that version: it is stale, whatever it is
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
                    request_json=_dump(request),
                    itinerary_json=_dump(itinerary),
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
        return [RevisionInfo(r.number, _aware(r.created_at), r.note) for r in rows]

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
        if not _storable(number):
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
            created_at=_aware(row["created_at"]),
            request=json.loads(row["request_json"]),
            itinerary=json.loads(row["itinerary_json"]),
            note=row["note"],
        )


@dataclass(frozen=True)
class BatchJob:
    id: str
    created_at: datetime
    status: str
    total: int
    done: int
    failed: int
    report: list[dict[str, Any]]
    has_archive: bool
    attempts: int = 0
    message: str = ""
    updated_at: datetime | None = None


def _notice(row: Any) -> CrossingNotice:
    return CrossingNotice(
        id=row["id"],
        start=row["start_date"],
        end=row["end_date"],
        scope=row["scope"],
        effect=row["effect"],
        text={"zh": row["text_zh"], "ru": row["text_ru"], "en": row["text_en"]},
        author=row["author"],
        created_at=_aware(row["created_at"]),
    )


class AgencyStore:
    """Crossing notices and batch jobs, in the plans' database."""

    def __init__(self, engine: Engine):
        self.engine = engine

    # --- crossing notices

    def add_notice(
        self,
        start: date,
        end: date,
        scope: str,
        effect: str,
        text: dict[str, str],
        author: str = "",
    ) -> CrossingNotice:
        with self.engine.begin() as conn:
            new_id = conn.execute(
                insert(crossing_notices).values(
                    created_at=_now(),
                    start_date=start,
                    end_date=end,
                    scope=scope,
                    effect=effect,
                    text_zh=text.get("zh", ""),
                    text_ru=text.get("ru", ""),
                    text_en=text.get("en", ""),
                    author=author[:100],
                )
            ).inserted_primary_key[0]
            row = (
                conn.execute(select(crossing_notices).where(crossing_notices.c.id == new_id))
                .mappings()
                .one()
            )
        return _notice(row)

    def delete_notice(self, notice_id: int) -> bool:
        if not _storable(notice_id):
            return False
        with self.engine.begin() as conn:
            gone = conn.execute(delete(crossing_notices).where(crossing_notices.c.id == notice_id))
        return gone.rowcount == 1

    def notices(self, first: date | None = None, last: date | None = None) -> list[CrossingNotice]:
        """Every notice, or those whose dates overlap [first, last]; earliest first."""
        query = select(crossing_notices).order_by(
            crossing_notices.c.start_date, crossing_notices.c.id
        )
        if first is not None and last is not None:
            query = query.where(
                and_(crossing_notices.c.start_date <= last, crossing_notices.c.end_date >= first)
            )
        with self.engine.connect() as conn:
            return [_notice(row) for row in conn.execute(query).mappings()]

    # --- admin sessions

    def open_admin_session(self, lifetime: timedelta) -> str:
        """A new admin session's nonce (for the cookie); expired sessions are dropped."""
        nonce = secrets.token_urlsafe(32)
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(delete(admin_sessions).where(admin_sessions.c.created_at < now - lifetime))
            conn.execute(
                insert(admin_sessions).values(nonce_hash=hash_token(nonce), created_at=now)
            )
        return nonce

    def admin_session_open(self, nonce: str, lifetime: timedelta) -> bool:
        if not nonce:
            return False
        with self.engine.connect() as conn:
            created = conn.execute(
                select(admin_sessions.c.created_at).where(
                    admin_sessions.c.nonce_hash == hash_token(nonce)
                )
            ).scalar()
        return created is not None and _aware(created) >= _now() - lifetime

    def close_admin_session(self, nonce: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                delete(admin_sessions).where(admin_sessions.c.nonce_hash == hash_token(nonce))
            )

    # --- batch jobs

    def create_job(
        self, total: int, source_text: str | None = None, lang: str = "en", base_url: str = ""
    ) -> str:
        job_id = new_id()
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(
                insert(batch_jobs).values(
                    id=job_id,
                    created_at=now,
                    updated_at=now,
                    status="queued",
                    total=total,
                    done=0,
                    failed=0,
                    report_json="[]",
                    source_text=source_text,
                    lang=lang,
                    base_url=base_url,
                    attempts=0,
                    message="",
                )
            )
        return job_id

    def job_source(self, job_id: str) -> tuple[str, str, str]:
        """(CSV text, language, base URL) a consumer runs the job with."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(batch_jobs.c.source_text, batch_jobs.c.lang, batch_jobs.c.base_url).where(
                    batch_jobs.c.id == job_id
                )
            ).first()
        if row is None:
            raise UnknownPlan(f"job {job_id}")
        return row[0] or "", row[1] or "en", row[2] or ""

    def claim_job(self, job_id: str, max_attempts: int) -> int | None:
        """Mark a queued (or requeued) job running and count the attempt; None when it is not
        there, already finished, or has used up its attempts (then it is marked failed)."""
        with self.engine.begin() as conn:
            row = conn.execute(
                select(batch_jobs.c.status, batch_jobs.c.attempts).where(batch_jobs.c.id == job_id)
            ).first()
            if row is None or row[0] in ("done", "failed"):
                return None
            attempts = int(row[1] or 0) + 1
            status = "running" if attempts <= max_attempts else "failed"
            conn.execute(
                update(batch_jobs)
                .where(batch_jobs.c.id == job_id)
                .values(status=status, attempts=attempts, updated_at=_now())
            )
        return attempts if status == "running" else None

    def stale_jobs(self, older_than: timedelta) -> list[str]:
        """Jobs queued or running whose consumer has not touched them for *older_than*: their
        consumer died (kill -9, a lost machine) or their queue message was lost."""
        cutoff = _now() - older_than
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(batch_jobs.c.id).where(
                        batch_jobs.c.status.in_(("queued", "running")),
                        batch_jobs.c.updated_at <= cutoff,
                    )
                ).scalars()
            )

    def purge_jobs(self, keep: timedelta) -> int:
        """Delete jobs untouched for *keep*: their zips hold edit tokens and grow the database.

        The plans a job stored stay; only the job (its report and zip) goes.
        """
        cutoff = _now() - keep
        with self.engine.begin() as conn:
            result = conn.execute(delete(batch_jobs).where(batch_jobs.c.updated_at < cutoff))
        return result.rowcount or 0

    def update_job(self, job_id: str, **values: Any) -> None:
        if "report" in values:
            values["report_json"] = json.dumps(values.pop("report"), ensure_ascii=False)
        with self.engine.begin() as conn:
            conn.execute(
                update(batch_jobs)
                .where(batch_jobs.c.id == job_id)
                .values(updated_at=_now(), **values)
            )

    def job(self, job_id: str) -> BatchJob:
        with self.engine.connect() as conn:
            row = (
                conn.execute(
                    select(
                        *(c for c in batch_jobs.c if c.name not in ("archive", "source_text")),
                        batch_jobs.c.archive.isnot(None).label("has_archive"),
                    ).where(batch_jobs.c.id == job_id)
                )
                .mappings()
                .first()
            )
        if row is None:
            raise UnknownPlan(f"job {job_id}")
        return BatchJob(
            id=row["id"],
            created_at=_aware(row["created_at"]),
            status=row["status"],
            total=row["total"],
            done=row["done"],
            failed=row["failed"],
            report=json.loads(row["report_json"]),
            has_archive=bool(row["has_archive"]),
            attempts=int(row["attempts"] or 0),
            message=row["message"] or "",
            updated_at=_aware(row["updated_at"]),
        )

    def job_archive(self, job_id: str) -> bytes | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(batch_jobs.c.archive).where(batch_jobs.c.id == job_id)
            ).scalar()


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
