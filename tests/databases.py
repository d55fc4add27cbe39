"""The databases the storage tests run on: SQLite always, PostgreSQL when
PLANNER_TEST_DATABASE_URL names one (CI sets it and REQUIRE_POSTGRES=1, so there a missing server
fails instead of skipping). Each PostgreSQL test gets a schema of its own, dropped afterwards."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

PG_URL = os.environ.get("PLANNER_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"]


def _pg_schema_url() -> Iterator[str]:
    from sqlalchemy import create_engine, text

    from planner.storage import database_url

    if not PG_URL:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but PLANNER_TEST_DATABASE_URL is not set")
        pytest.skip("PostgreSQL tests need PLANNER_TEST_DATABASE_URL")
    schema = "t_" + secrets.token_hex(6)
    admin = create_engine(database_url(PG_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    joiner = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{joiner}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL of *backend*."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'plans.sqlite3'}"
    else:
        yield from _pg_schema_url()
