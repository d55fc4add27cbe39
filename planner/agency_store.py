"""Crossing notices, batch jobs and admin sessions: the agency's rows, in the plans' database."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    and_,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine

from planner.agency import CrossingNotice
from planner.store_schema import (
    UnknownPlan,
    admin_sessions,
    aware_utc,
    batch_jobs,
    crossing_notices,
    hash_token,
    new_id,
    storable,
    utc_now,
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
        created_at=aware_utc(row["created_at"]),
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
                    created_at=utc_now(),
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
        if not storable(notice_id):
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
        now = utc_now()
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
        return created is not None and aware_utc(created) >= utc_now() - lifetime

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
        now = utc_now()
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
                .values(status=status, attempts=attempts, updated_at=utc_now())
            )
        return attempts if status == "running" else None

    def stale_jobs(self, older_than: timedelta) -> list[str]:
        """Jobs queued or running whose consumer has not touched them for *older_than*: their
        consumer died (kill -9, a lost machine) or their queue message was lost."""
        cutoff = utc_now() - older_than
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
        cutoff = utc_now() - keep
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
                .values(updated_at=utc_now(), **values)
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
            created_at=aware_utc(row["created_at"]),
            status=row["status"],
            total=row["total"],
            done=row["done"],
            failed=row["failed"],
            report=json.loads(row["report_json"]),
            has_archive=bool(row["has_archive"]),
            attempts=int(row["attempts"] or 0),
            message=row["message"] or "",
            updated_at=aware_utc(row["updated_at"]),
        )

    def job_archive(self, job_id: str) -> bytes | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(batch_jobs.c.archive).where(batch_jobs.c.id == job_id)
            ).scalar()
