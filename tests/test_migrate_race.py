"""gunicorn's workers start together on a fresh database: every one must come up, migrated once
(issue 19's review: two running the first migration together crashed the others with "table
alembic_version already exists")."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from databases import BACKENDS, database

ROOT = Path(__file__).resolve().parent.parent
# Import first (slow), then wait for the go file, so that every process migrates at once.
WORKER = """
import os, sys, time
from planner.storage import make_engine, migrate
while not os.path.exists(sys.argv[2]):
    time.sleep(0.005)
migrate(make_engine(sys.argv[1]))
"""


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    yield from database(request.param, tmp_path)


def test_six_workers_migrating_a_fresh_database_at_once_all_come_up(db_url, tmp_path):
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db_url, str(go)],
            cwd=ROOT,
            env=os.environ.copy(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    time.sleep(2)  # every one has imported the planner by now
    go.touch()
    errors = [w.communicate(timeout=60)[1] for w in workers]
    assert [w.returncode for w in workers] == [0] * 6, errors
