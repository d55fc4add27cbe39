"""The queue's consumer can run at a lower CPU priority than the web workers (PLANNER_WORKER_NICE),
for an operator who would rather keep pages fast than PDFs on a machine they share."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import os
from planner.web import create_app
from planner.web.jobs import lower_priority
app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite://"})
before = os.nice(0)
print(before, lower_priority(app), os.nice(0))
"""


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_consumer_asked_to_yield_the_cores_runs_at_that_niceness():
    done = _run(PROBE, PLANNER_WORKER_NICE="10")
    assert done.returncode == 0, done.stderr
    before, returned, after = (int(n) for n in done.stdout.split())
    assert after == max(before, 10) == returned


def test_by_default_the_consumer_keeps_its_priority():
    """Measured: at niceness 10 the mixed load's PDFs took 29 s each behind the pages."""
    done = _run(PROBE)
    assert done.returncode == 0, done.stderr
    before, _returned, after = (int(n) for n in done.stdout.split())
    assert after == before


def test_a_niceness_out_of_range_stops_the_worker_with_a_message():
    done = subprocess.run(
        [sys.executable, "-m", "planner", "worker"],
        cwd=ROOT,
        env={**os.environ, "PLANNER_WORKER_NICE": "42"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "PLANNER_WORKER_NICE must be from 0 to 19" in done.stderr
    assert "Traceback" not in done.stderr
