"""The job queue (Huey): PDFs rendered once by a task and cached; batch jobs that survive the
death of the process running them. Tests run the queue in immediate mode, or enqueue for real
into a SQLite queue in tmp_path (and into Redis when PLANNER_TEST_REDIS_URL is set: see
tests/backends.py) and run the queued task as a consumer would."""

from __future__ import annotations

import io
import zipfile

import pytest
from backends import BACKENDS, queue_url
from sqlalchemy import func, select

from planner.web import create_app, jobs

PLAN = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-11T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
}
HEADER = "title,arrive,depart,stay,nationality,visas,party_size,group_tour,lang,passengers\n"
ROW = "Group {n},2027-07-1{n}T09:00+08:00,2027-07-1{m}T18:00+08:00,heihe,CN,RU,2,no,en,Li;Wang\n"
THREE = HEADER + "".join(ROW.format(n=n, m=n + 1) for n in (0, 2, 4))


def _app(tmp_path, **config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'j.sqlite3'}",
            "PLAN_TIME_LIMIT": 0.05,
            "WTF_CSRF_ENABLED": False,
            "PDF_CACHE_DIR": str(tmp_path / "pdf"),
            **config,
        }
    )


@pytest.fixture(params=BACKENDS)
def queue(request, tmp_path):
    """An empty job queue's URL: Huey's SQLite file, or a Redis database."""
    yield from queue_url(request.param, tmp_path)


@pytest.fixture()
def queued(tmp_path, queue):
    """An app whose queue is real (SQLite or Redis): nothing runs until a consumer does."""
    app = _app(
        tmp_path,
        QUEUE_IMMEDIATE=False,
        QUEUE_URL=queue,
        RATELIMIT_ENABLED=True,  # its headers must not replace the 202's Retry-After
    )
    yield app
    jobs.huey.storage.flush_all()


def _consume(limit: int = 20) -> int:
    """Run what is queued, as a consumer's worker does; the number of tasks run."""
    ran = 0
    while ran < limit:
        task = jobs.huey.dequeue()
        if task is None:
            return ran
        jobs.huey.execute(task)
        ran += 1
    return ran


def _renders(monkeypatch) -> list[int]:
    from planner import printing

    calls: list[int] = []
    real = printing.pdf_from_html

    def counting(html: str) -> bytes:
        calls.append(1)
        return real(html)

    monkeypatch.setattr(printing, "pdf_from_html", counting)
    return calls


def test_a_pdf_is_rendered_once_and_then_served_from_the_cache(tmp_path, monkeypatch):
    client = _app(tmp_path).test_client()
    plan_id = client.post("/api/v1/plans", json=PLAN).get_json()["plan"]["id"]
    renders = _renders(monkeypatch)
    first = client.get(f"/plans/{plan_id}.pdf")
    again = [client.get(f"/plans/{plan_id}.pdf") for _ in range(3)]
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    assert [r.data for r in again] == [first.data] * 3
    assert len(renders) == 1
    assert client.get(f"/plans/{plan_id}.pdf?lang=ru").status_code == 200
    assert len(renders) == 2  # another language is another file


def test_an_edited_plan_gets_a_new_pdf(tmp_path, monkeypatch):
    client = _app(tmp_path).test_client()
    made = client.post("/api/v1/plans", json=PLAN)
    plan, token = made.get_json()["plan"], made.get_json()["edit_token"]
    plan_id, stop = plan["id"], plan["days"][0]["stops"][0]["attraction_id"]
    renders = _renders(monkeypatch)
    client.get(f"/plans/{plan_id}.pdf")
    edited = client.patch(
        f"/api/v1/plans/{plan_id}",
        json={"version": 1, "edits": [{"op": "remove", "attraction_id": stop}]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert edited.status_code == 200, edited.get_json()
    client.get(f"/plans/{plan_id}.pdf")
    assert len(renders) == 2


def test_a_pdf_not_yet_made_is_a_202_that_polls_then_the_file(queued):
    client = queued.test_client()
    plan_id = client.post("/api/v1/plans", json=PLAN).get_json()["plan"]["id"]
    waiting = client.get(f"/plans/{plan_id}.pdf")
    assert waiting.status_code == 202 and waiting.headers["Retry-After"] == "3"
    assert 'http-equiv="refresh"' in waiting.get_data(as_text=True)
    assert client.get(f"/plans/{plan_id}.pdf").status_code == 202
    assert _consume() == 1  # asked twice, queued once
    done = client.get(f"/plans/{plan_id}.pdf")
    assert done.status_code == 200 and done.data.startswith(b"%PDF")


def test_the_pdf_cache_is_bounded_in_size(tmp_path):
    app = _app(tmp_path, PDF_CACHE_MB=0.0001)  # about 100 bytes: one file at most stays
    client = app.test_client()
    ids = [client.post("/api/v1/plans", json=PLAN).get_json()["plan"]["id"] for _ in range(2)]
    assert all(client.get(f"/plans/{i}.pdf").status_code == 200 for i in ids)
    assert len(list((tmp_path / "pdf").glob("*.pdf"))) <= 1


def test_a_batch_upload_is_queued_not_run_in_the_web_request(queued):
    client = queued.test_client()
    response = client.post(
        "/agency/batch",
        data={"file": (io.BytesIO(THREE.encode()), "g.csv")},
        content_type="multipart/form-data",
    )
    job_id = response.headers["Location"].rsplit("/", 1)[-1]
    status = client.get(f"/api/v1/batch/{job_id}").get_json()["job"]
    assert (status["status"], status["done"]) == ("queued", 0)
    assert _consume() == 1
    status = client.get(f"/api/v1/batch/{job_id}").get_json()["job"]
    assert (status["status"], status["done"], status["failed"]) == ("done", 3, 0)
    assert all("sealed_token" not in r and "edit_token" not in r for r in status["rows"])


def _plan_count(app) -> int:
    from planner.store_schema import plans

    with app.extensions["plan_store"].engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(plans)).scalar_one()


def test_a_batch_whose_worker_died_mid_job_is_resumed_and_finishes(queued, monkeypatch):
    """kill -9 after the first row: the job is `running 1/3`, its message gone. A consumer's
    sweep resumes it: the two other rows are planned, the first is not planned twice, and the
    zip holds each plan's edit token (kept sealed in the job, not only in the lost zip)."""
    import planner.batch

    client = queued.test_client()
    response = client.post(
        "/agency/batch",
        data={"file": (io.BytesIO(THREE.encode()), "g.csv")},
        content_type="multipart/form-data",
    )
    job_id = response.headers["Location"].rsplit("/", 1)[-1]
    real = planner.batch.plan_row

    def dies_on_the_second_row(index, *args, **kwargs):
        if index == 2:
            raise SystemExit("killed")  # not an Exception: nothing in the task catches it
        return real(index, *args, **kwargs)

    monkeypatch.setattr(planner.batch, "plan_row", dies_on_the_second_row)
    with pytest.raises(SystemExit):
        _consume()
    status = client.get(f"/api/v1/batch/{job_id}").get_json()["job"]
    assert (status["status"], status["done"], status["total"]) == ("running", 1, 3)
    assert _plan_count(queued) == 1

    monkeypatch.setattr(planner.batch, "plan_row", real)
    assert jobs.requeue_stale_jobs(queued) == []  # a live job (just touched) is left alone
    queued.config["JOB_STALE_SECONDS"] = 0
    assert jobs.requeue_stale_jobs(queued) == [job_id]
    assert client.get(f"/api/v1/batch/{job_id}").get_json()["job"]["status"] == "queued"
    assert _consume() == 1
    status = client.get(f"/api/v1/batch/{job_id}").get_json()["job"]
    assert (status["status"], status["done"], status["failed"]) == ("done", 3, 0)
    assert _plan_count(queued) == 3
    archive = zipfile.ZipFile(io.BytesIO(client.get(status["download"]).data))
    records = [n for n in archive.namelist() if n.endswith("/plan.json")]
    assert len(records) == 3
    store = queued.extensions["plan_store"]
    import json

    for name in records:
        record = json.loads(archive.read(name))
        assert store.token_matches(record["id"], record["edit_token"])


def test_a_batch_that_keeps_dying_is_marked_failed_never_running_forever(queued, monkeypatch):
    import planner.batch

    client = queued.test_client()
    response = client.post(
        "/agency/batch",
        data={"file": (io.BytesIO(THREE.encode()), "g.csv")},
        content_type="multipart/form-data",
    )
    job_id = response.headers["Location"].rsplit("/", 1)[-1]

    def dies(*args, **kwargs):
        raise SystemExit("killed")

    monkeypatch.setattr(planner.batch, "plan_row", dies)
    queued.config["JOB_STALE_SECONDS"] = 0
    for _attempt in range(jobs.MAX_ATTEMPTS):
        with pytest.raises(SystemExit):
            _consume()
        jobs.requeue_stale_jobs(queued)
    status = client.get(f"/api/v1/batch/{job_id}").get_json()["job"]
    assert status["status"] == "failed" and status["message"]
    page = client.get(f"/agency/batch/{job_id}").get_data(as_text=True)
    assert status["message"] in page or "failed" in page.lower()


def _worker(tmp_path, queue: str, env_extra: dict[str, str]):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "PLANNER_DATABASE_URL": f"sqlite:///{tmp_path / 'j.sqlite3'}",
        "PLANNER_QUEUE_URL": queue,
        "PLANNER_PDF_CACHE_DIR": str(tmp_path / "pdf"),
        "PLANNER_SECRET_KEY": "t",
        "PLANNER_TILES": "none",
        "PLANNER_PLAN_TIME_LIMIT": "0.05",
        **env_extra,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "planner", "worker"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(client, job_id: str, until, seconds: float = 60) -> dict:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/batch/{job_id}").get_json()["job"]
        if until(job):
            return job
        time.sleep(0.05)
    pytest.fail(f"the job did not get there in {seconds} s: {job}")


def test_a_consumer_killed_mid_batch_is_replaced_by_one_that_finishes_the_job(tmp_path, queue):
    """Real processes: `python -m planner worker` is killed with SIGKILL after the first rows;
    a new consumer resumes the job at start-up and finishes it, each row planned once."""
    import signal

    ROWS = 5  # each row is planned and printed (about a second): enough to be killed midway

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'j.sqlite3'}",
            "WTF_CSRF_ENABLED": False,
            "QUEUE_IMMEDIATE": False,
            "QUEUE_URL": queue,
        }
    )
    client = app.test_client()
    rows = HEADER + "".join(ROW.format(n=n % 8, m=n % 8 + 1) for n in range(ROWS))
    response = client.post(
        "/agency/batch",
        data={"file": (io.BytesIO(rows.encode()), "g.csv")},
        content_type="multipart/form-data",
    )
    job_id = response.headers["Location"].rsplit("/", 1)[-1]
    first = _worker(tmp_path, queue, {})
    try:
        _wait(client, job_id, lambda job: job["done"] >= 1)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    stopped = client.get(f"/api/v1/batch/{job_id}").get_json()["job"]
    assert stopped["status"] == "running" and 1 <= stopped["done"] < ROWS
    import time

    time.sleep(1.2)  # older than the stale bound below: its consumer is gone
    second = _worker(tmp_path, queue, {"PLANNER_JOB_STALE_SECONDS": "1"})
    try:
        job = _wait(client, job_id, lambda job: job["status"] in ("done", "failed"), 120)
    finally:
        second.terminate()
        second.wait(10)
    assert (job["status"], job["done"], job["failed"]) == ("done", ROWS, 0)
    assert _plan_count(app) == ROWS  # the rows done before the kill were not planned again
    jobs.huey.storage.flush_all()
