"""Storage and the plans API on SQLite and on PostgreSQL: the same behaviour, no lost updates."""

from __future__ import annotations

import threading

import pytest
from conftest import HEAD_REVISION
from databases import BACKENDS, database
from sqlalchemy import text

from planner.storage import database_url, open_store
from planner.store_schema import StaleVersion, UnknownPlan
from planner.web import create_app

BASE = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-11T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
    "title": "Twin",
}


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    yield from database(request.param, tmp_path)


@pytest.fixture()
def api(db_url):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": db_url, "PLAN_TIME_LIMIT": 60}
    )
    yield app
    app.extensions["plan_store"].engine.dispose()


def test_postgres_urls_use_psycopg_3():
    assert database_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.sqlite3") == "sqlite:///x.sqlite3"


def test_store_keeps_revisions_and_refuses_a_stale_version(db_url):
    store = open_store(db_url)
    open_store(db_url).engine.dispose()  # migrating again is harmless
    plan, token = store.create("t", {"n": 1}, {"days": []}, "created")
    assert store.token_matches(plan.id, token) and not store.token_matches(plan.id, token + "x")
    store.append(plan.id, 1, "t2", {"n": 2}, {}, "second")
    with pytest.raises(StaleVersion) as stale:
        store.append(plan.id, 1, "t3", {"n": 3}, {}, "lost")
    assert stale.value.current == 2
    assert [r.number for r in store.revisions(plan.id)] == [1, 2]
    assert store.get(plan.id).current.request == {"n": 2}
    assert store.get(plan.id).created_at.tzinfo is not None
    with pytest.raises(UnknownPlan):
        store.get("missing")
    with store.engine.connect() as conn:
        assert (
            conn.execute(text("select version_num from alembic_version")).scalar() == HEAD_REVISION
        )
    store.engine.dispose()


def _race(store, plan_id: str, version: int, writers: int) -> list[str]:
    """*writers* threads append to one plan at *version* at the same moment."""
    barrier = threading.Barrier(writers)
    outcomes: list[str] = []

    def write(i: int) -> None:
        barrier.wait()
        try:
            store.append(plan_id, version, "t", {"n": i}, {})
            outcomes.append("ok")
        except StaleVersion:
            outcomes.append("stale")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_concurrent_appends_with_one_version_let_exactly_one_through(db_url):
    store = open_store(db_url)
    plan, _token = store.create("t", {"n": 0}, {})
    for round_ in range(5):
        version = store.get(plan.id).version
        outcomes = _race(store, plan.id, version, writers=4)
        assert sorted(outcomes) == ["ok", "stale", "stale", "stale"], round_
    assert store.get(plan.id).version == 6
    assert len(store.revisions(plan.id)) == 6
    store.engine.dispose()


def test_two_patches_with_the_same_version_are_one_200_and_one_409(api):
    client = api.test_client()
    created = client.post("/api/v1/plans", json=BASE).get_json()
    plan_id, token = created["plan"]["id"], created["edit_token"]
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def patch(pace: str) -> None:
        own = api.test_client()
        barrier.wait()
        response = own.patch(
            f"/api/v1/plans/{plan_id}",
            json={"version": 1, "edits": [{"op": "pace", "pace": pace}]},
            headers={"Authorization": f"Bearer {token}"},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=patch, args=(p,)) for p in ("relaxed", "packed")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 409]
    plan = client.get(f"/api/v1/plans/{plan_id}").get_json()["plan"]
    assert plan["version"] == 2 and plan["revision"] == 2
    revisions = client.get(f"/api/v1/plans/{plan_id}/revisions").get_json()["revisions"]
    assert len(revisions) == 2


def test_api_create_read_edit_restore(api):
    client = api.test_client()
    response = client.post("/api/v1/plans", json=BASE)
    assert response.status_code == 201
    plan, token = response.get_json()["plan"], response.get_json()["edit_token"]
    auth = {"X-Edit-Token": token}
    assert client.get(f"/api/v1/plans/{plan['id']}").get_json()["plan"]["title"] == "Twin"
    edited = client.patch(
        f"/api/v1/plans/{plan['id']}",
        json={"version": 1, "request": {"title": "Two"}},
        headers=auth,
    )
    assert edited.status_code == 200 and edited.get_json()["plan"]["title"] == "Two"
    stale = client.patch(f"/api/v1/plans/{plan['id']}", json={"version": 1}, headers=auth)
    assert stale.status_code == 409 and stale.get_json()["ok"] is False
    restored = client.post(
        f"/api/v1/plans/{plan['id']}/revisions/1/restore", json={"version": 2}, headers=auth
    )
    assert restored.status_code == 200 and restored.get_json()["plan"]["title"] == "Twin"
    assert client.get("/api/v1/plans/nope").status_code == 404


def test_purge_deletes_only_jobs_untouched_for_the_retention(db_url):
    from datetime import timedelta

    from sqlalchemy import update

    from planner.store_schema import batch_jobs
    from planner.store_schema import utc_now as _now

    store = open_store(db_url)
    old, fresh = store.agency.create_job(1), store.agency.create_job(1)
    with store.engine.begin() as conn:
        conn.execute(
            update(batch_jobs)
            .where(batch_jobs.c.id == old)
            .values(updated_at=_now() - timedelta(days=3))
        )
    assert store.agency.purge_jobs(timedelta(days=2)) == 1
    with pytest.raises(UnknownPlan):
        store.agency.job(old)
    assert store.agency.job(fresh).status == "queued"
    store.engine.dispose()


def test_a_revision_note_with_control_characters_is_stored_clean(api):
    """PostgreSQL refuses NUL in text: the note is cleaned like every typed field (no 500)."""
    client = api.test_client()
    made = client.post("/api/v1/plans", json=BASE).get_json()
    plan, token = made["plan"], made["edit_token"]
    body = {
        "version": 1,
        "note": "a\u0000b\u202ec\u001b",
        "edits": [{"op": "pace", "pace": "packed"}],
    }
    response = client.patch(
        f"/api/v1/plans/{plan['id']}", json=body, headers={"X-Edit-Token": token}
    )
    assert response.status_code == 200, response.get_json()
    notes = [
        r["note"]
        for r in client.get(f"/api/v1/plans/{plan['id']}/revisions").get_json()["revisions"]
    ]
    assert "abc" in notes
