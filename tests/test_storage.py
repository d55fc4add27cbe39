"""Saved plans survive a restart, keep every revision, and refuse stale writers."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import HEAD_REVISION

from planner.storage import PlanStore, open_store
from planner.store_schema import StaleVersion, UnknownPlan, hash_token
from planner.web import create_app

BASE = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-11T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
    "title": "Survivor",
}


def _app(db):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{db}",
            "PLAN_TIME_LIMIT": 60,
        }
    )


def test_a_plan_survives_an_app_restart(tmp_path):
    db = tmp_path / "restart.sqlite3"
    first = _app(db).test_client().post("/api/v1/plans", json=BASE).get_json()
    again = _app(db).test_client().get(f"/api/v1/plans/{first['plan']['id']}")
    assert again.status_code == 200
    assert again.get_json()["plan"]["title"] == "Survivor"
    assert again.get_json()["plan"]["days"] == first["plan"]["days"]


def test_sqlite_runs_in_wal_mode_and_is_migrated_by_alembic(tmp_path):
    db = tmp_path / "wal.sqlite3"
    open_store(f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        assert (
            conn.execute("select version_num from alembic_version").fetchone()[0] == HEAD_REVISION
        )
    assert {"plans", "plan_revisions", "alembic_version"} <= tables
    open_store(f"sqlite:///{db}")  # migrating again is harmless


@pytest.fixture()
def store(tmp_path) -> PlanStore:
    return open_store(f"sqlite:///{tmp_path / 's.sqlite3'}")


def test_only_the_token_hash_is_stored_and_tokens_compare(store, tmp_path):
    plan, token = store.create("t", {"a": 1}, {"days": []})
    assert store.token_matches(plan.id, token)
    assert not store.token_matches(plan.id, token + "x")
    assert not store.token_matches(plan.id, None)
    with sqlite3.connect(tmp_path / "s.sqlite3") as conn:
        stored = conn.execute("select edit_token_hash from plans").fetchone()[0]
    assert stored == hash_token(token) and token not in stored


def test_every_append_is_a_revision_and_a_stale_version_writes_nothing(store):
    plan, _ = store.create("t", {"n": 1}, {})
    store.append(plan.id, 1, "t2", {"n": 2}, {}, "second")
    with pytest.raises(StaleVersion) as stale:
        store.append(plan.id, 1, "t3", {"n": 3}, {}, "lost")
    assert stale.value.current == 2
    assert [r.number for r in store.revisions(plan.id)] == [1, 2]
    assert store.get(plan.id).current.request == {"n": 2}
    assert store.revision(plan.id, 1).request == {"n": 1}
    with pytest.raises(UnknownPlan):
        store.get("missing")


def test_plan_ids_never_start_like_a_command_line_option():
    from planner.store_schema import new_id

    ids = [new_id() for _ in range(2000)]
    assert all(i[0].isalnum() and len(i) >= 20 for i in ids)
    assert len(set(ids)) == len(ids)
