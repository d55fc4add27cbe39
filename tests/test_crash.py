"""A plan saved before the server is killed (-9, no clean shut-down) is there after a restart."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from databases import BACKENDS, database

ROOT = Path(__file__).resolve().parent.parent
BASE = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-11T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
    "title": "Crash survivor",
}


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    yield from database(request.param, tmp_path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(db_url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "PLANNER_DATABASE_URL": db_url,
        "PLANNER_TILES": "none",
        "PLANNER_SECRET_KEY": "crash-test",
        "PLANNER_PLAN_TIME_LIMIT": "60",
    }
    server = subprocess.Popen(
        [sys.executable, "run.py", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2):
                return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    server.kill()
    pytest.fail("the server did not start within 30 s")


def _call(port: int, path: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_saved_plan_survives_kill_9_and_a_restart(db_url):
    port = _free_port()
    server = _start(db_url, port)
    try:
        status, created = _call(port, "/api/v1/plans", BASE)
        assert status == 201, created
    finally:
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    assert server.returncode == -signal.SIGKILL
    plan_id = created["plan"]["id"]

    port = _free_port()
    server = _start(db_url, port)
    try:
        status, again = _call(port, f"/api/v1/plans/{plan_id}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert status == 200
    assert again["plan"]["title"] == "Crash survivor"
    assert again["plan"]["days"] == created["plan"]["days"]
