"""Heavy work off the web request, on Huey's job queue: batches of group plans and PDFs.

The queue is Huey (a small, maintained task queue): by default its messages live in SQLite in the
instance folder (`instance/queue.sqlite3`), so `make run` needs no service; PLANNER_QUEUE_URL
set to a `redis://` URL spreads the work over consumers on other machines (with the `redis`
package installed). A consumer is `python -m planner worker`; docs/deploy.md says how each
command starts one. Under TESTING the queue runs in Huey's immediate mode: a task runs inside
the call that enqueues it, so tests need no consumer.

A batch job is a row of `batch_jobs` (its CSV, language, progress and report) plus a queue
message naming it. The consumer claims the row, plans the rows not done yet (a resumed job skips
the rows an earlier attempt stored) and builds the zip at the end from the stored plans, so a
consumer killed mid-batch loses no plan: a periodic sweep finds the job untouched for
JOB_STALE_SECONDS and queues it again, up to MAX_ATTEMPTS, after which it is marked failed with
a message. Each row's edit token is kept in the job's report encrypted (Fernet, a key derived
from the app's secret key), never in clear, so the zip can be rebuilt if it is lost.

PDFs are rendered by a task into a cache on disk (instance/pdf-cache), one file per (plan,
revision, language, branding, base URL), bounded in size and age; the PDF endpoint answers with
the cached file, or 202 with Retry-After while it is being made.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import os
import sqlite3
import time
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import SqliteHuey, crontab
from huey.storage import SqliteStorage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a batch job is tried this many times before it is marked failed
PENDING_SECONDS = 120  # a PDF asked for this recently is not queued again

# Immediate (and in memory) until configure() points it at the app's queue: importing this
# module creates no file.
huey = SqliteHuey("planner", immediate=True, results=False, filename="queue.sqlite3")
_app: Flask | None = None


def configure(app: Flask) -> None:
    """Point the queue at the app's storage; the app is the one tasks run in (a consumer)."""
    global _app
    _app = app
    app.config.setdefault("QUEUE_IMMEDIATE", app.testing)
    app.config.setdefault("QUEUE_URL", "")
    app.config.setdefault("JOB_STALE_SECONDS", 300)
    app.config.setdefault("PDF_CACHE_MB", 200)
    app.config.setdefault("PDF_CACHE_DAYS", 7)
    # A render is bounded in time (a child process, killed past it; 0: rendered in the
    # consumer's thread, unbounded, as under TESTING) and in size; a plan past the print caps
    # gets no PDF at all (planner.printing.PrintCaps).
    app.config.setdefault("PDF_RENDER_SECONDS", 0 if app.testing else 60)
    app.config.setdefault("PDF_MAX_MB", 20)
    caps = printing_caps_defaults()
    for key, value in caps.items():
        app.config.setdefault(key, value)
    for key in ("PDF_RENDER_SECONDS", "PDF_MAX_MB", *caps):
        try:
            number = float(app.config[key])
            if number < 0:
                raise ValueError
        except (TypeError, ValueError):
            raise RuntimeError(
                f"PLANNER_{key} must be a number from 0, not {app.config[key]!r}"
            ) from None
        app.config[key] = number if key in ("PDF_RENDER_SECONDS", "PDF_MAX_MB") else int(number)
    if app.testing and not app.config.get("PDF_CACHE_DIR"):  # tests leave instance/ alone
        import tempfile

        app.config["PDF_CACHE_DIR"] = tempfile.mkdtemp(prefix="planner-pdf-")
    immediate = bool(app.config["QUEUE_IMMEDIATE"])
    url = str(app.config["QUEUE_URL"] or "")
    if url.startswith(("redis://", "rediss://")):
        from huey.storage import RedisStorage

        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": url}
    else:
        path = url.removeprefix("sqlite:///") or str(Path(app.instance_path) / "queue.sqlite3")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {"filename": path}
    huey._immediate = immediate
    try:
        huey.storage = huey.create_storage()
    except sqlite3.OperationalError as exc:  # a read-only instance folder: reads still work
        log.warning("the job queue cannot be opened (%s): PDFs and batches are refused", exc)
        huey._immediate = True
        huey.storage = huey.create_storage()


def printing_caps_defaults() -> dict[str, int]:
    from planner.printing import PrintCaps

    caps = PrintCaps()
    return {
        "PDF_MAX_DAYS": caps.days,
        "PDF_MAX_PASSENGERS": caps.passengers,
        "PDF_MAX_NOTE_CHARS": caps.note_chars,
    }


def print_caps(app: Flask) -> Any:
    from planner.printing import PrintCaps

    return PrintCaps(
        int(app.config["PDF_MAX_DAYS"]),
        int(app.config["PDF_MAX_PASSENGERS"]),
        int(app.config["PDF_MAX_NOTE_CHARS"]),
    )


def _worker_app() -> Flask:
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if _app is None:  # a consumer started without configure(): build the app as the web does
        from planner.web import create_app

        return create_app()
    return _app


# --------------------------------------------------------------------------- edit tokens


def _fernet(app: Flask) -> Any:
    from cryptography.fernet import Fernet

    digest = hashlib.sha256(b"batch-edit-tokens:" + str(app.config["SECRET_KEY"]).encode())
    return Fernet(base64.urlsafe_b64encode(digest.digest()))


def seal_token(app: Flask, token: str) -> str:
    return _fernet(app).encrypt(token.encode("utf-8")).decode("ascii")


def open_token(app: Flask, sealed: str) -> str:
    return _fernet(app).decrypt(sealed.encode("ascii")).decode("utf-8")


# --------------------------------------------------------------------------- batches


def enqueue_batch(job_id: str) -> None:
    batch_task(job_id)


@huey.task(retries=1, retry_delay=5, context=True)
def batch_task(job_id: str, task: Any = None) -> None:
    app = _worker_app()
    try:
        run_batch_job(app, job_id)
    except Exception:
        log.exception("batch job %s failed", job_id)
        last = task is None or not task.retries
        store = app.extensions["plan_store"].agency
        if last:
            store.update_job(job_id, status="failed", message="the job failed; upload it again")
        else:
            store.update_job(job_id, status="queued", message="the job is tried again")
        raise


def run_batch_job(app: Flask, job_id: str) -> None:
    """Plan the rows not yet done, then build the zip from the stored plans."""
    from babel.support import Translations

    from planner.batch import BatchReport, RowResult, plan_row, read_rows, row_files, row_folder
    from planner.commands.plan import TRANSLATIONS
    from planner.plans import Planner
    from planner.web.plan_outputs import plan_files

    plan_store = app.extensions["plan_store"]
    agency = plan_store.agency
    attempt = agency.claim_job(job_id, MAX_ATTEMPTS)
    if attempt is None:
        return
    text, lang, base_url = agency.job_source(job_id)
    base_url = public_base_url(app, base_url)
    gettext = Translations.load(str(TRANSLATIONS), [lang]).gettext
    job = agency.job(job_id)
    rows: list[dict[str, Any]] = list(job.report)
    done = len(rows)
    with app.app_context():
        from planner.web import data

        planner = Planner(plan_store, data.catalogue(), app.config["PLAN_TIME_LIMIT"])
    for index, (line, row) in enumerate(read_rows(text), start=1):
        if index <= done:
            continue  # stored by an earlier attempt: its plan and sealed token are in the report
        result, _plan = plan_row(index, line, row, planner, gettext, lang)
        entry = result.as_json()
        if result.edit_token:
            entry["sealed_token"] = seal_token(app, result.edit_token)
        rows.append(entry)
        failed = sum(1 for r in rows if not r["ok"])
        agency.update_job(job_id, done=index, failed=failed, report=rows)
    # The zip: every planned row's files from its stored plan (rebuilt whole on a resume).
    report = BatchReport()
    buffer = io.BytesIO()

    def outputs(plan: Any) -> dict[str, bytes]:
        with app.test_request_context(base_url=base_url):
            return plan_files(plan)

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, entry in enumerate(rows, start=1):
            result = RowResult(
                line=entry["line"],
                title=entry["title"],
                ok=entry["ok"],
                plan_id=entry["plan_id"],
                errors=entry["errors"],
            )
            if result.ok and result.plan_id:
                plan = plan_store.get(result.plan_id)
                token = open_token(app, entry["sealed_token"])
                folder = row_folder(index, result.title, plan.id)
                for name, content in row_files(plan, token, report.notes, outputs).items():
                    archive.writestr(f"{folder}/{name}", content)
                    result.files.append(f"{folder}/{name}")
                entry["files"] = result.files
                agency.update_job(job_id)  # a heartbeat: the sweep leaves a live job alone
            report.rows.append(result)
        archive.writestr(
            "report.json", json.dumps(report.as_json(), ensure_ascii=False, indent=2).encode()
        )
    agency.update_job(
        job_id,
        status="done",
        failed=report.failed,
        report=rows,
        archive=buffer.getvalue(),
        message="",
    )


def requeue_stale_jobs(app: Flask) -> list[str]:
    """Queue again the jobs whose consumer died (untouched for JOB_STALE_SECONDS)."""
    agency = app.extensions["plan_store"].agency
    stale = agency.stale_jobs(timedelta(seconds=float(app.config["JOB_STALE_SECONDS"])))
    for job_id in stale:
        job = agency.job(job_id)
        if job.attempts >= MAX_ATTEMPTS:
            agency.update_job(
                job_id, status="failed", message="the job stopped too often; upload it again"
            )
            continue
        agency.update_job(job_id, status="queued", message="the job is resumed")
        enqueue_batch(job_id)
    return stale


@huey.periodic_task(crontab(minute="*"))
def sweep_task() -> None:
    requeue_stale_jobs(_worker_app())


# --------------------------------------------------------------------------- PDFs


def public_base_url(app: Flask, asked: str = "") -> str:
    """PLANNER_PUBLIC_URL when set, else the (trusted) URL root the request came with."""
    configured = str(app.config.get("PUBLIC_URL") or "").strip()
    if configured:
        return configured.rstrip("/") + "/"
    return asked or "http://localhost/"  # a batch queued outside a request: a trusted host


def pdf_cache_dir(app: Flask) -> Path:
    return Path(app.config.get("PDF_CACHE_DIR") or Path(app.instance_path) / "pdf-cache")


def pdf_key(plan: Any, lang: str, base_url: str) -> str:
    """(plan, revision, language, branding, base URL) as a file name."""
    branding = json.dumps(plan.current.request.get("agency") or {}, sort_keys=True)
    extra = hashlib.sha256(f"{branding}\n{base_url}".encode()).hexdigest()[:16]
    safe_id = "".join(c for c in plan.id if c.isalnum() or c in "-_")[:64]
    return f"{safe_id}-r{plan.current.number}-{lang}-{extra}"


def cached_pdf(app: Flask, plan: Any, lang: str, base_url: str) -> Path | None:
    path = pdf_cache_dir(app) / f"{pdf_key(plan, lang, base_url)}.pdf"
    return path if path.is_file() else None


def request_pdf(app: Flask, plan: Any, lang: str, base_url: str) -> bool:
    """Queue the PDF's rendering unless it is already queued; True when this call queued it."""
    folder = pdf_cache_dir(app)
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f"{pdf_key(plan, lang, base_url)}.pending"
    try:
        if time.time() - marker.stat().st_mtime < PENDING_SECONDS:
            return False
    except FileNotFoundError:
        pass
    marker.touch()
    pdf_task(plan.id, lang, base_url)
    return True


@huey.task(retries=1, retry_delay=2)
def pdf_task(plan_id: str, lang: str, base_url: str) -> None:
    app = _worker_app()
    render_pdf(app, plan_id, lang, base_url)


def failed_pdf(app: Flask, plan: Any, lang: str, base_url: str) -> Any:
    """Why the PDF of this revision could not be made (a Message), or None."""
    from planner.messages import Message

    path = pdf_cache_dir(app) / f"{pdf_key(plan, lang, base_url)}.failed"
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        return Message(str(saved["code"]), dict(saved["params"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _render_bounded(html: str, partial: Path, seconds: float) -> bool:
    """Render into *partial* in a child process; False when it ran past *seconds* (killed)."""
    import multiprocessing

    from planner import printing

    if seconds <= 0:
        partial.write_bytes(printing.pdf_from_html(html))
        return True
    # forkserver: the consumer has threads, so its children are forked from a clean server
    # that has the renderer imported already.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["planner.printing", "weasyprint"])
    child = context.Process(target=printing.write_pdf_file, args=(html, str(partial)))
    child.start()
    child.join(seconds)
    if child.is_alive():
        child.kill()
        child.join(5)
        partial.unlink(missing_ok=True)
        return False
    if child.exitcode != 0:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"the PDF renderer stopped with exit code {child.exitcode}")
    return True


def render_pdf(app: Flask, plan_id: str, lang: str, base_url: str) -> Path | None:
    """Render the plan's current revision into the cache (atomically) and prune the cache;
    None when it is past the time or size bound (a `.failed` file then says which)."""
    from planner.web.plan_outputs import print_html

    plan = app.extensions["plan_store"].get(plan_id)
    folder = pdf_cache_dir(app)
    folder.mkdir(parents=True, exist_ok=True)
    key = pdf_key(plan, lang, base_url)
    with app.test_request_context(base_url=base_url):
        html = print_html(plan, lang, for_pdf=True)
    partial = folder / f"{key}.part"
    seconds = float(app.config["PDF_RENDER_SECONDS"])
    max_mb = float(app.config["PDF_MAX_MB"])
    failure: dict[str, Any] | None = None
    if not _render_bounded(html, partial, seconds):
        failure = {"code": "pdf_took_too_long", "params": {"seconds": int(seconds) or 1}}
    elif max_mb and partial.stat().st_size > max_mb * 1024 * 1024:
        partial.unlink(missing_ok=True)
        failure = {"code": "pdf_too_large", "params": {"mb": f"{max_mb:g}"}}
    (folder / f"{key}.pending").unlink(missing_ok=True)
    if failure is not None:
        log.warning("PDF of plan %s not made: %s", plan_id, failure)
        (folder / f"{key}.failed").write_text(json.dumps(failure), encoding="utf-8")
        return None
    path = folder / f"{key}.pdf"
    partial.replace(path)
    prune_pdf_cache(app, keep=path)
    return path


def prune_pdf_cache(app: Flask, keep: Path | None = None) -> None:
    """Drop PDFs older than PDF_CACHE_DAYS, then the oldest until the cache is under
    PDF_CACHE_MB (*keep*, the file just made, stays)."""
    folder = pdf_cache_dir(app)
    now = time.time()
    max_age = float(app.config["PDF_CACHE_DAYS"]) * 86400
    max_bytes = float(app.config["PDF_CACHE_MB"]) * 1024 * 1024
    files = []
    for path in folder.glob("*.pdf"):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        if path == keep:
            continue
        if now - stat.st_mtime > max_age:
            path.unlink(missing_ok=True)
        else:
            files.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _m, size, _p in files) + (keep.stat().st_size if keep else 0)
    for _mtime, size, path in sorted(files):
        if total <= max_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size


# --------------------------------------------------------------------------- the consumer


def lower_priority(app: Flask) -> int:
    """Raise this process's niceness to WORKER_NICE (never lower it): on a machine shared with
    the web workers, PDFs and batches then take the cores only when pages and interactive plans
    leave them, at the cost of slower PDFs (docs/deploy.md has the figures). Returns the
    niceness now."""
    try:
        wanted = int(app.config.get("WORKER_NICE", 0))
    except (TypeError, ValueError):
        raise RuntimeError(
            f"PLANNER_WORKER_NICE must be a whole number from 0 to 19, "
            f"not {app.config.get('WORKER_NICE')!r}"
        ) from None
    if not 0 <= wanted <= 19:
        raise RuntimeError(f"PLANNER_WORKER_NICE must be from 0 to 19, not {wanted}")
    current = os.nice(0)
    if wanted > current:
        current = os.nice(wanted - current)
    return current


def make_consumer(app: Flask, workers: int = 1) -> Any:
    """A Huey consumer of threads for the app's queue (`python -m planner worker` runs one)."""
    configure(app)
    if huey.immediate:
        huey._immediate = False
        huey.storage = huey.create_storage()
    return huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
