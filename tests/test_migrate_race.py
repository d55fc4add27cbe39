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
open(sys.argv[3], "w").close()  # imported: ready
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
            [sys.executable, "-c", WORKER, db_url, str(go), str(tmp_path / f"ready-{n}")],
            cwd=ROOT,
            env=os.environ.copy(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(6)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 6 and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()  # all at once
    errors = [w.communicate(timeout=60)[1] for w in workers]
    assert [w.returncode for w in workers] == [0] * 6, errors
