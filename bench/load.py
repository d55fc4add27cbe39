"""Load test against a running server on 127.0.0.1 (`make serve-prod` or gunicorn): page views and
plan creations from N concurrent users (threads, keep-alive connections), for a bounded time.

    python bench/load.py --url http://127.0.0.1:8000 --users 10 --seconds 30 --mix pages,plans
    python bench/load.py --users 50 --seconds 20 --mix pages
    python bench/load.py --mixed --seconds 60   # pages at 10 users, 5 plan makers, 3 PDF readers

The mixed run (issue 19) needs the job queue's consumer running (`make worker`): each PDF client
makes a plan of its own and polls its PDF (202 + Retry-After, polled at most once a second) until
the file comes. It prints the page p99 and the PDFs made per minute.

Prints requests/s, p50/p95/p99 latency and errors per kind. Start the server with
PLANNER_RATELIMIT_ENABLED=false, or plan creations beyond the limit are 429s (counted as errors);
or with PLANNER_PROXIES=1 and run with --as-clients: each thread then sends an address of its own
(X-Forwarded-For), the server's per-client limits apply as in production, and a client told 429 or
503 waits the Retry-After it was given.
Only a loopback address is accepted: this is not a tool for someone else's server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import threading
import time
from collections import defaultdict
from urllib.parse import urlsplit

PAGES = ["/", "/attractions", "/attractions/aihui-ancient-town", "/crossing"]
PLAN = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-11T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
    "visas": ["RU"],
    "title": "load test",
}


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _loopback(url: str):
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("load tests run only against a server on this machine (127.0.0.1)")
    return parts


def run(
    url: str,
    users: int,
    seconds: float,
    mix: list[str],
    plan_share: float,
    plan_users: int = 0,
    pdf_users: int = 0,
    as_clients: bool = False,
) -> dict:
    """*users* threads on *mix*; with *plan_users*/*pdf_users* also that many threads only
    creating plans, and only fetching fresh PDFs (the mixed run)."""
    parts = _loopback(url)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    pdfs: list[float] = []  # seconds from asking to having each PDF
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    me = threading.local()  # with *as_clients*: this thread's address, as a proxy forwards it

    def connect() -> http.client.HTTPConnection:
        return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)

    def call(conn, kind: str, method: str, path: str, body=None, headers=None):
        """One request, timed under *kind*: (connection, status, headers, body)."""
        start = time.perf_counter()
        headers = dict(headers or {})
        if getattr(me, "address", None):
            headers["X-Forwarded-For"] = me.address
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            status, got = response.status, dict(response.getheaders())
        except (OSError, http.client.HTTPException):
            conn.close()
            conn, status, got, data = connect(), 0, {}, b""
        elapsed = time.perf_counter() - start
        with lock:
            latencies[kind].append(elapsed)
            statuses[kind][status] += 1
            if status == 0 or status >= 400:
                errors[kind] += 1
        return conn, status, got, data

    def wait(got: dict) -> None:
        """Sleep as the server said (Retry-After), but not past the end of the run."""
        try:
            seconds = float(got.get("Retry-After", 1))
        except ValueError:
            seconds = 1.0
        time.sleep(max(0.0, min(seconds, stop_at - time.monotonic())))

    def pdf_user(seed: int) -> None:
        if as_clients:
            me.address = f"10.0.2.{seed + 1}"
        conn = connect()
        while time.monotonic() < stop_at:
            plan = dict(PLAN, title=f"pdf {seed} {time.monotonic()}")  # a new plan: a new PDF
            conn, status, _h, data = call(
                conn,
                "plan (for a PDF)",
                "POST",
                "/api/v1/plans",
                json.dumps(plan),
                {"Content-Type": "application/json"},
            )
            if status != 201:
                if status in (429, 503):
                    wait(_h)
                else:
                    time.sleep(0.5)
                continue
            path = f"/plans/{json.loads(data)['plan']['id']}.pdf"
            asked = time.perf_counter()
            while time.monotonic() < stop_at:
                conn, status, got, _d = call(conn, "GET pdf", "GET", path)
                if status == 200:
                    with lock:
                        pdfs.append(time.perf_counter() - asked)
                    break
                if status not in (202, 429, 503):
                    break
                time.sleep(min(1.0, float(got.get("Retry-After", 1))))
        conn.close()

    def plan_user(seed: int) -> None:
        if as_clients:
            me.address = f"10.0.1.{seed + 1}"
        conn = connect()
        while time.monotonic() < stop_at:
            conn, status, got, _d = call(
                conn,
                "plan",
                "POST",
                "/api/v1/plans",
                json.dumps(PLAN),
                {"Content-Type": "application/json"},
            )
            if status == 503 and not as_clients:  # a busy worker: at most a second here
                time.sleep(min(1.0, float(got.get("Retry-After", 1))))
            elif status in (429, 503):  # a client over its limit, or the solver busy: as told
                wait(got)
        conn.close()

    def user(seed: int) -> None:
        rng = random.Random(seed)
        conn = connect()
        while time.monotonic() < stop_at:
            plans = "plans" in mix and ("pages" not in mix or rng.random() < plan_share)
            if plans:
                kind, method, path = "plan", "POST", "/api/v1/plans"
                body, headers = json.dumps(PLAN), {"Content-Type": "application/json"}
            else:
                path = rng.choice(PAGES)
                kind, method, body, headers = f"GET {path}", "GET", None, {}
            if as_clients:
                headers = {**headers, "X-Forwarded-For": f"10.0.0.{seed + 1}"}
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
            elapsed = time.perf_counter() - start
            with lock:
                latencies[kind].append(elapsed)
                if not ok:
                    errors[kind] += 1
        conn.close()

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    threads += [threading.Thread(target=plan_user, args=(i,)) for i in range(plan_users)]
    threads += [threading.Thread(target=pdf_user, args=(i,)) for i in range(pdf_users)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - began
    return {
        "wall": wall,
        "latencies": latencies,
        "errors": errors,
        "pdfs": pdfs,
        "statuses": statuses,
    }


def report(result: dict, users: int) -> str:
    lines = [f"{users} users, {result['wall']:.1f} s"]
    groups = {
        "pages": [v for k, vs in result["latencies"].items() if k.startswith("GET /") for v in vs],
        **{k: v for k, v in sorted(result["latencies"].items())},
    }
    head = (
        f"{'kind':<40} {'n':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'err':>4}"
    )
    lines.append(head)
    for kind, values in groups.items():
        if not values:
            continue
        errors = (
            sum(n for k, n in result["errors"].items() if k.startswith("GET /"))
            if kind == "pages"
            else result["errors"].get(kind, 0)
        )
        lines.append(
            f"{kind:<40} {len(values):>6} {len(values) / result['wall']:>7.1f} "
            f"{_percentile(values, 0.50) * 1000:>7.0f} {_percentile(values, 0.95) * 1000:>7.0f} "
            f"{_percentile(values, 0.99) * 1000:>7.0f} {errors:>4}"
        )
    total = sum(len(v) for v in result["latencies"].values())
    lines.append(
        f"total {total} requests, {total / result['wall']:.1f} req/s, "
        f"{sum(result['errors'].values())} errors"
    )
    for kind, counts in sorted(result.get("statuses", {}).items()):
        lines.append(f"{kind}: " + ", ".join(f"{n}×{code}" for code, n in sorted(counts.items())))
    if result.get("pdfs") is not None and any(k == "GET pdf" for k in result["latencies"]):
        made = result["pdfs"]
        lines.append(
            f"PDFs made {len(made)}, {len(made) / result['wall'] * 60:.1f} a minute; "
            f"asked to received p50 {_percentile(made, 0.5):.1f} s, "
            f"max {max(made, default=float('nan')):.1f} s"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--mix", default="pages,plans", help="pages, plans or both")
    parser.add_argument("--paths", default=",".join(PAGES), help="pages to view, comma-separated")
    parser.add_argument("--plan-share", type=float, default=0.2, help="share of plan creations")
    parser.add_argument(
        "--mixed",
        action="store_true",
        help="pages at --users (10) while --plan-users create plans and --pdf-users get PDFs",
    )
    parser.add_argument("--plan-users", type=int, default=5)
    parser.add_argument("--pdf-users", type=int, default=3)
    parser.add_argument(
        "--as-clients",
        action="store_true",
        help="each thread is a client of its own (X-Forwarded-For; the server runs with "
        "PLANNER_PROXIES=1), so the server's per-client rate limits apply as in production",
    )
    args = parser.parse_args()
    if not 1 <= args.users <= 100 or not 0 < args.seconds <= 120:
        raise SystemExit("at most 100 users and 120 seconds")
    mix = [m.strip() for m in args.mix.split(",") if m.strip()]
    PAGES[:] = [p for p in args.paths.split(",") if p.startswith("/")]
    if args.mixed:
        if not (0 <= args.plan_users <= 20 and 0 <= args.pdf_users <= 20):
            raise SystemExit("at most 20 plan and 20 PDF clients")
        result = run(
            args.url,
            args.users,
            args.seconds,
            ["pages"],
            0,
            args.plan_users,
            args.pdf_users,
            args.as_clients,
        )
        print(
            f"mixed: pages, {args.plan_users} plan clients, {args.pdf_users} PDF clients"
            + (", each client its own address" if args.as_clients else ", one address")
        )
        print(report(result, args.users))
        return
    print(report(run(args.url, args.users, args.seconds, mix, args.plan_share), args.users))


if __name__ == "__main__":
    main()
