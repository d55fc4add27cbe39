"""Shared fixtures: the app factory with a temporary instance folder (Flask tutorial's habit)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# No test may fetch map tiles: every app made in the tests (also those built without these
# fixtures) draws the offline base map instead. CI runs pytest, so this covers CI too.
os.environ["PLANNER_TILES"] = "none"

from planner.web import create_app


@pytest.fixture()
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "TILES": "none",
        }
    )
    yield app


def make_app(tmp_path, **config):
    """An app on a fresh SQLite file with forms open to tests (no CSRF) and a short plan cap;
    *config* adds or overrides keys."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
            "PLAN_TIME_LIMIT": 0.05,
            "WTF_CSRF_ENABLED": False,
            **config,
        }
    )


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner():
    from click.testing import CliRunner

    return CliRunner()


def summer_request(**changes):
    """A three-day July trip based in Heihe for a Chinese traveller holding a Russian visa."""
    from dataclasses import replace
    from datetime import datetime

    from zones import HEIHE_TZ

    from planner.planning import TripRequest

    base = TripRequest(
        arrive=datetime(2027, 7, 10, 9, 0, tzinfo=HEIHE_TZ),
        depart=datetime(2027, 7, 12, 18, 0, tzinfo=HEIHE_TZ),
        stay=("heihe",),
        interests=("history", "architecture"),
        nationality="CN",
        visas=("RU",),  # Russia's visa-free regime for CN ended 2026-09-14 (extension unverified)
    )
    return replace(base, **changes)


# A plan request that must visit the one place with clock hours in OSM syntax
# ('Tu-Su 10:00-19:00; Mo off; Fr[-1] off'): two days in Blagoveshchensk, Wednesday and Thursday.
MUSEUM = "amur-regional-museum"
MUSEUM_TRIP = {
    "arrive": "2027-07-14T09:00+09:00",
    "depart": "2027-07-15T18:00+09:00",
    "stay": "blagoveshchensk",
    "nationality": "RU",
    "must_see": [MUSEUM],
    "lang": "ru",
}

# The newest schema migration (each file in planner/migrations/versions is named after it).
HEAD_REVISION = max(
    p.name.split("_")[0]
    for p in (Path(__file__).resolve().parent.parent / "planner/migrations/versions").glob("0*.py")
)


CHROMIUM = (
    "/usr/bin/chromium"  # Debian's; the browser tests skip without it (unless REQUIRE_BROWSER)
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the browser tests of one module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# The planner searches on a work budget (iterations), so a plan does not depend on the machine;
# the time limit is only a cap, set here far above what any test plan takes, so that a busy
# machine (CI, or two test workers on two cores) never cuts a search short.
QUALITY_LIMIT = 60.0
TEST_BUDGET_ITERATIONS = (250, 120)  # per solve: iterations, and without improvement


@pytest.fixture(autouse=True, scope="session")
def _test_work_budget():
    """A smaller work budget than production for the whole session: the same plan on every
    run and machine, quicker (bench/plan.py measures the production budget)."""
    from planner.planning import service

    production = service.DEFAULT_BUDGET
    service.DEFAULT_BUDGET = service.WorkBudget(*TEST_BUDGET_ITERATIONS)
    yield
    service.DEFAULT_BUDGET = production


@pytest.fixture(params=["embedded", "redis"])
def limit_store(request):
    """Flask-Limiter's storage for a rate-limit test: memory://, and Redis when
    PLANNER_TEST_REDIS_URL is set (tests/backends.py)."""
    from backends import limit_storage

    return limit_storage(request.param)


def serve(app):
    """Serve *app* on a free loopback port in a thread for the browser tests: yields its URL
    (use as `yield from serve(app)` in a fixture), and stops the server afterwards."""
    import threading

    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
