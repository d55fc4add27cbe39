"""Shared fixtures: the app factory with a temporary instance folder (Flask tutorial's habit)."""

from __future__ import annotations

import pytest

from planner.web import create_app


@pytest.fixture()
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "TILE_URL": "",
        }
    )
    yield app


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner():
    from click.testing import CliRunner

    return CliRunner()
