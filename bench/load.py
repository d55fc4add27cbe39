"""Load test against a running server on 127.0.0.1 (`make serve-prod` or gunicorn): page views and
plan creations from N concurrent users (threads, keep-alive connections), for a bounded time.

    python bench/load.py --url http://127.0.0.1:8000 --users 10 --seconds 30 --mix pages,plans
    python bench/load.py --users 50 --seconds 20 --mix pages

Prints requests/s, p50/p95/p99 latency and errors per kind. Start the server with
PLANNER_RATELIMIT_ENABLED=false, or plan creations beyond the limit are 429s (counted as errors).
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


def run(url: str, users: int, seconds: float, mix: list[str], plan_share: float) -> dict:
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("load tests run only against a server on this machine (127.0.0.1)")
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def user(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
        while time.monotonic() < stop_at:
            plans = "plans" in mix and ("pages" not in mix or rng.random() < plan_share)
            if plans:
                kind, method, path = "plan", "POST", "/api/v1/plans"
                body, headers = json.dumps(PLAN), {"Content-Type": "application/json"}
            else:
                path = rng.choice(PAGES)
                kind, method, body, headers = f"GET {path}", "GET", None, {}
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
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - began
    return {"wall": wall, "latencies": latencies, "errors": errors}


def report(result: dict, users: int) -> str:
    lines = [f"{users} users, {result['wall']:.1f} s"]
    groups = {
        "pages": [v for k, vs in result["latencies"].items() if k != "plan" for v in vs],
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
            sum(n for k, n in result["errors"].items() if k != "plan")
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
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--mix", default="pages,plans", help="pages, plans or both")
    parser.add_argument("--paths", default=",".join(PAGES), help="pages to view, comma-separated")
    parser.add_argument("--plan-share", type=float, default=0.2, help="share of plan creations")
    args = parser.parse_args()
    if not 1 <= args.users <= 100 or not 0 < args.seconds <= 120:
        raise SystemExit("at most 100 users and 120 seconds")
    mix = [m.strip() for m in args.mix.split(",") if m.strip()]
    PAGES[:] = [p for p in args.paths.split(",") if p.startswith("/")]
    print(report(run(args.url, args.users, args.seconds, mix, args.plan_share), args.users))


if __name__ == "__main__":
    main()
