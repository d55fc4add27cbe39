"""The queue and rate-limit stores the queue, batch and rate-limit tests run on: the embedded
ones always (Huey's SQLite queue, Flask-Limiter's memory://), Redis too when
PLANNER_TEST_REDIS_URL names a server (CI sets it and REQUIRE_REDIS=1, so there a missing server
fails instead of skipping). Each pytest-xdist worker uses a Redis database of its own, emptied
before each test, so parallel workers never see each other's keys."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("PLANNER_TEST_REDIS_URL", "")
BACKENDS = ["embedded", "redis"]


def redis_url() -> str:
    """An empty Redis database for this test (skips, or fails under REQUIRE_REDIS=1, without)."""
    if not REDIS_URL:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but PLANNER_TEST_REDIS_URL is not set")
        pytest.skip("Redis tests need PLANNER_TEST_REDIS_URL")
    import redis

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    db = 1 + (int(worker) if worker.isdigit() else 0) % 15  # 0 is left to the URL's owner
    base = REDIS_URL.rsplit("/", 1)[0] if REDIS_URL.count("/") > 2 else REDIS_URL
    url = f"{base}/{db}"
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    except redis.ConnectionError as exc:
        pytest.fail(f"PLANNER_TEST_REDIS_URL={REDIS_URL} cannot be reached: {exc}")
    finally:
        client.close()
    return url


def queue_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty job-queue URL of *backend* (a SQLite file, or a Redis database)."""
    yield str(tmp_path / "queue.sqlite3") if backend == "embedded" else redis_url()


def limit_storage(backend: str) -> str:
    """Flask-Limiter's storage URI for *backend*: memory:// or an empty Redis database."""
    return "memory://" if backend == "embedded" else redis_url()
