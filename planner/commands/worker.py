"""`python -m planner worker`: the job queue's consumer (batches of group plans, PDFs)."""

from __future__ import annotations

import click


@click.command("worker")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("--parent-pid", type=int, default=None, hidden=True)
def command(workers: int, parent_pid: int | None) -> None:
    """Run the job queue's consumer: batches and PDFs, with the web app's settings."""
    import logging

    from planner.errors import DataProblems
    from planner.web import create_app
    from planner.web.jobs import lower_priority, make_consumer, requeue_stale_jobs

    try:
        app = create_app({"QUEUE_IMMEDIATE": False})
        lower_priority(app)
    except (DataProblems, RuntimeError) as exc:
        raise click.ClickException(f"The worker cannot start: {exc}") from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    consumer = make_consumer(app, workers)
    requeue_stale_jobs(app)  # jobs a dead consumer left: resumed now, not in a minute
    if parent_pid is not None:
        _stop_with_parent(parent_pid)
    consumer.run()


def _stop_with_parent(parent_pid: int) -> None:
    """Started by run.py: stop (as on SIGTERM) once that process is gone, even after kill -9,
    so that no consumer is left behind."""
    import os
    import signal
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
