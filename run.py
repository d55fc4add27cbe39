"""Start the web app once set up (`make run` does the set-up first), with a job-queue consumer
beside it: `python -m planner worker` as a second process, so that `make run` needs no other
command and a batch or a PDF never runs in the web server's process (see docs/deploy.md)."""

from __future__ import annotations

import argparse
import atexit
import os
import signal
import subprocess
import sys

from planner.errors import DataProblems
from planner.web import create_app
from planner.web.devserver import QuietRequestHandler


def _start_worker() -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "planner", "worker", "--parent-pid", str(os.getpid())]
    worker = subprocess.Popen(command)

    def stop() -> None:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()

    atexit.register(stop)
    # SIGTERM (a process manager, `kill`) ends the server through the exit handlers too.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
    return worker


def main() -> None:
    parser = argparse.ArgumentParser(description="Amur Twin Cities Planner web app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--debug", action="store_true")
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="do not start the job queue's consumer (one runs elsewhere: `make worker`)",
    )
    args = parser.parse_args()
    try:
        app = create_app()
    except (DataProblems, RuntimeError) as exc:
        raise SystemExit(f"The app cannot start: {exc}") from None
    # With --debug the reloader runs this file twice: the consumer starts in the outer process.
    if not args.no_worker and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        _start_worker()
    app.run(host=args.host, port=args.port, debug=args.debug, request_handler=QuietRequestHandler)


if __name__ == "__main__":
    main()
