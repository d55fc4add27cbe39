"""A web worker never queues pages behind plans: when every solver slot of the machine is taken,
making, editing or restoring a plan answers 503 with Retry-After at once, and pages are served."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from conftest import make_app

from planner.web import create_app, solving

PLAN = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-11T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
}


def _app(tmp_path, **config):
    """One solver slot, refused at once when taken (the wait has its own tests)."""
    return make_app(
        tmp_path,
        **{
            "SOLVER_SLOTS": 1,
            "SOLVER_LOCK_DIR": str(tmp_path / "slots"),
            "SOLVER_WAIT_SECONDS": 0,
            **config,
        },
    )


@pytest.fixture()
def app(tmp_path):
    return _app(tmp_path)


@contextmanager
def another_worker_solving(app, seconds: float | None = None) -> Iterator[None]:
    """A slot held by another thread (as by another gunicorn worker) for the block, or only
    for *seconds* when given."""
    held, release = threading.Event(), threading.Event()

    def solve() -> None:
        with app.app_context(), solving.solver_slot():
            held.set()
            release.wait(30)

    thread = threading.Thread(target=solve)
    thread.start()
    try:
        assert held.wait(10)
        if seconds is not None:
            threading.Timer(seconds, release.set).start()
        yield
    finally:
        release.set()
        thread.join(10)


def test_a_plan_asked_while_the_solver_is_busy_is_503_with_retry_after_in_the_envelope(app):
    client = app.test_client()
    with another_worker_solving(app):
        busy = client.post("/api/v1/plans", json=PLAN)
        assert client.get("/").status_code == 200  # pages are never refused
        assert client.get("/crossing").status_code == 200
    body = busy.get_json()
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "2"
    assert body["ok"] is False and body["status"] == 503 and "busy" in body["error"]
    assert client.post("/api/v1/plans", json=PLAN).status_code == 201  # the slot is free again


def test_a_busy_solver_asks_for_seconds_not_the_rate_limit_window(tmp_path):
    """The limiter's headers say when its window resets (60 s or an hour): a client that obeys
    them after a 503 would wait a minute for a solver free again in seconds."""
    limited = _app(tmp_path, RATELIMIT_ENABLED=True)
    client = limited.test_client()
    with another_worker_solving(limited):
        busy = client.post("/api/v1/plans", json=PLAN)
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == str(solving.RETRY_SECONDS)


def test_a_refusal_as_busy_costs_no_plan_from_the_clients_limit(tmp_path):
    """A client obeying Retry-After would otherwise use up its plans by waiting for the slot."""
    limited = _app(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_PLAN_CREATE="3 per minute")
    client = limited.test_client()
    with another_worker_solving(limited):
        busy = [client.post("/api/v1/plans", json=PLAN).status_code for _ in range(5)]
    assert busy == [503] * 5
    made = [client.post("/api/v1/plans", json=PLAN).status_code for _ in range(4)]
    assert made == [201, 201, 201, 429]  # the limit still holds for plans really made


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_a_client_refused_as_busy_gets_the_freed_slot_before_one_that_did_not_wait(app):
    """Without turns, the slot goes to whoever asks first once it is free: nearly always the
    client whose plan just finished, so a client obeying Retry-After could wait for ever."""
    client = app.test_client()
    with another_worker_solving(app):
        assert client.post("/api/v1/plans", json=PLAN, **_from("10.0.0.1")).status_code == 503
    eager = client.post("/api/v1/plans", json=PLAN, **_from("10.0.0.2"))
    assert eager.status_code == 503 and eager.headers["Retry-After"] == "2"
    assert client.post("/api/v1/plans", json=PLAN, **_from("10.0.0.1")).status_code == 201
    # then the one told to come back, who now waits longest
    assert client.post("/api/v1/plans", json=PLAN, **_from("10.0.0.2")).status_code == 201
    assert client.post("/api/v1/plans", json=PLAN, **_from("10.0.0.3")).status_code == 201


def test_a_turn_not_claimed_in_time_lapses_and_holds_no_one_up(app):
    import os
    import time
    from pathlib import Path

    client = app.test_client()
    with another_worker_solving(app):
        assert client.post("/api/v1/plans", json=PLAN, **_from("10.0.0.1")).status_code == 503
    turns = list((Path(app.config["SOLVER_LOCK_DIR"]) / "turns").iterdir())
    assert len(turns) == 1  # 10.0.0.1 waits, under a hash, not its address
    assert "10.0.0.1" not in turns[0].name
    gone = time.time() - solving.TURN_SECONDS - 1
    os.utime(turns[0], (gone, gone))  # the client gave up
    assert client.post("/api/v1/plans", json=PLAN, **_from("10.0.0.2")).status_code == 201
    assert not turns[0].exists()


def test_the_client_first_in_line_waits_a_moment_for_the_slot_instead_of_a_503(app):
    """The slot would otherwise sit idle until the client first in line comes back."""
    app.config["SOLVER_WAIT_SECONDS"] = 5
    with another_worker_solving(app, seconds=0.5):  # the other plan ends half a second later
        answer = app.test_client().post("/api/v1/plans", json=PLAN, **_from("10.0.0.1"))
    assert answer.status_code == 201


def test_only_the_client_first_in_line_waits_the_others_are_told_at_once(app):
    import time

    app.config["SOLVER_WAIT_SECONDS"] = 1
    client = app.test_client()
    with another_worker_solving(app):
        started = time.monotonic()
        first = client.post("/api/v1/plans", json=PLAN, **_from("10.0.0.1"))
        first_took = time.monotonic() - started
        started = time.monotonic()
        second = client.post("/api/v1/plans", json=PLAN, **_from("10.0.0.2"))
        second_took = time.monotonic() - started
    assert first.status_code == 503 and first_took >= 1  # waited, the slot never came
    assert second.status_code == 503 and second_took < 0.5  # behind it in line: no wait


def test_the_form_while_the_solver_is_busy_says_so_in_the_readers_language(app):
    form = {
        "arrive_date": "2027-07-10",
        "arrive_time": "09:00",
        "depart_date": "2027-07-11",
        "depart_time": "18:00",
        "stay_first": "heihe",
        "nationality": "RU",
        "visas": ["CN"],
        "party_size": "2",
        "pace": "normal",
        "transport_heihe": ["walk", "taxi"],
        "transport_blagoveshchensk": ["walk", "taxi"],  # (without it the form is a 400)
    }
    with another_worker_solving(app):
        pages = {
            lang: app.test_client().post(f"/plan?lang={lang}", data={**form, "lang": lang})
            for lang in ("ru", "zh")
        }
    assert {r.status_code for r in pages.values()} == {503}
    assert all(r.headers["Retry-After"] == "2" for r in pages.values())
    assert "Планировщик занят" in pages["ru"].get_data(as_text=True)
    assert "规划器正忙" in pages["zh"].get_data(as_text=True)


def test_an_edit_while_the_solver_is_busy_is_503_and_the_plan_is_unchanged(app):
    client = app.test_client()
    made = client.post("/api/v1/plans", json=PLAN).get_json()
    plan_id, auth = made["plan"]["id"], {"X-Edit-Token": made["edit_token"]}
    with another_worker_solving(app):
        edit = client.patch(
            f"/api/v1/plans/{plan_id}", json={"version": 1, "request": {"title": "B"}}, headers=auth
        )
    assert edit.status_code == 503 and edit.headers["Retry-After"] == "2"
    assert client.get(f"/api/v1/plans/{plan_id}").get_json()["plan"]["version"] == 1


def test_two_slots_let_two_plans_be_made_at_once_and_refuse_a_third(app):
    app.config["SOLVER_SLOTS"] = 2
    client = app.test_client()
    with another_worker_solving(app):
        assert client.post("/api/v1/plans", json=PLAN).status_code == 201  # the second slot
        with another_worker_solving(app):
            assert client.post("/api/v1/plans", json=PLAN).status_code == 503


@pytest.mark.parametrize("value", ["-1", "many"])
def test_solver_slots_that_are_not_a_whole_number_stop_the_app_with_its_name(tmp_path, value):
    with pytest.raises(RuntimeError, match="PLANNER_SOLVER_SLOTS"):
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "t",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                "SOLVER_SLOTS": value,
            }
        )


def test_a_spoofed_forwarded_for_makes_no_turns_of_its_own_without_trusted_proxies(app):
    """With PLANNER_PROXIES unset, X-Forwarded-For is the client's own claim: fifty made-up
    addresses from one connection are one client in line, not fifty."""
    from pathlib import Path

    assert not app.config.get("PROXIES")
    client = app.test_client()
    with another_worker_solving(app):
        for n in range(50):
            spoofed = {"X-Forwarded-For": f"203.0.113.{n}"}
            response = client.post("/api/v1/plans", json=PLAN, headers=spoofed, **_from("10.0.0.1"))
            assert response.status_code == 503
    turns = list((Path(app.config["SOLVER_LOCK_DIR"]) / "turns").iterdir())
    assert [t.name for t in turns] == [solving._turn_path(Path("."), "10.0.0.1").name]


def test_turns_left_unclaimed_do_not_keep_a_free_solver_idle(app):
    """Turns cost nothing (a refusal as busy is free), so clients that take turns and never
    come for them, one after another, must not hold a free slot: once it has been free for
    IDLE_SECONDS, whoever asks gets it, though the unclaimed turns have not lapsed yet."""
    import os
    import time
    from pathlib import Path

    client = app.test_client()
    with another_worker_solving(app):
        for n in range(3):  # three addresses take turns they will never claim
            assert (
                client.post("/api/v1/plans", json=PLAN, **_from(f"10.0.1.{n}")).status_code == 503
            )
    # freed a moment ago: kept for the clients ahead in line
    assert client.post("/api/v1/plans", json=PLAN, **_from("10.0.0.9")).status_code == 503
    slot = Path(app.config["SOLVER_LOCK_DIR"]) / "slot-0.lock"
    freed = time.time() - solving.IDLE_SECONDS - 0.5
    os.utime(slot, (freed, freed))  # ... and then left idle
    turns = list((Path(app.config["SOLVER_LOCK_DIR"]) / "turns").iterdir())
    assert len(turns) == 4  # the unclaimed three are still in line, ahead of 10.0.0.9
    assert client.post("/api/v1/plans", json=PLAN, **_from("10.0.0.9")).status_code == 201


def test_a_bad_request_while_the_solver_is_busy_is_a_400_and_takes_no_turn(app):
    from pathlib import Path

    client = app.test_client()
    with another_worker_solving(app):
        bad = client.post("/api/v1/plans", json={**PLAN, "arrive": "2024-01-01T12:99:00Z"})
        assert bad.status_code == 400 and "arrive" in bad.get_json()["error"]
    assert not (Path(app.config["SOLVER_LOCK_DIR"]) / "turns").exists()
