"""TOPTW benchmark: our solver against Google OR-Tools' routing solver, same data, same limit.

Every instance of the development set is solved for M = 1..4 routes by both solvers with the
same time limit and the same integer scaling (distances truncated to 1 or 2 decimals, then
x10 / x100). Every route of both is re-checked with `planner.solver.check()`, which shares no
code with either search. Figures go to stdout and to bench/out/toptw-<stamp>.{json,csv}.

Two times per run: `search` is what the solver reports (ours: `Result.runtime_s`, from the
start of `solve()`; OR-Tools: model building and search), `wall` is perf_counter around the
whole case in the worker process, reading the file and any first import (OR-Tools) included.

    .venv/bin/python bench/toptw.py --time-limit 2 --jobs 2 > bench/out/run.txt 2>&1 &

OR-Tools model: one vehicle per route, depot start and end, transit = service(i) + travel(i,j),
a time dimension with waiting (slack) and each customer's window on the start of service,
every customer optional through a disjunction whose penalty is its score. The penalty is
multiplied by M * Tmax + 1 so that one point of score outweighs any travel (the arc cost
only breaks ties), otherwise the solver would drop customers to save distance.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.solver import Instance, MaxRuntime, check, solve  # noqa: E402
from planner.solver.toptw_io import read_toptw  # noqa: E402

DEFAULT_DATA = ROOT / "bench" / "instances"


def run_ours(instance: Instance, time_limit: float, seed: int) -> tuple[list[list[int]], float]:
    """Our solver under a wall-clock limit."""
    result = solve(instance, MaxRuntime(time_limit), seed=seed)
    return result.routes, result.runtime_s


def run_ortools(instance: Instance, time_limit: float, seed: int) -> tuple[list[list[int]], float]:
    """OR-Tools routing with optional visits (disjunctions) and a time dimension."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    started = time.perf_counter()
    n = instance.num_nodes
    m = instance.num_routes
    spec = instance.routes[0]
    horizon = spec.end_time
    manager = pywrapcp.RoutingIndexManager(n, m, spec.start_node)
    routing = pywrapcp.RoutingModel(manager)
    travel = [list(row) for row in instance.travel]
    service = instance.service
    # Matrices rather than Python callbacks: the solver then runs at C++ speed (a fair peer).
    arc_cb = routing.RegisterTransitMatrix(travel)
    time_cb = routing.RegisterTransitMatrix(
        [[service[i] + travel[i][j] for j in range(n)] for i in range(n)]
    )
    routing.SetArcCostEvaluatorOfAllVehicles(arc_cb)
    routing.AddDimension(time_cb, horizon, horizon, False, "Time")
    dim = routing.GetDimensionOrDie("Time")
    weight = m * horizon + 1
    for node in range(n):
        if node == spec.start_node:
            continue
        index = manager.NodeToIndex(node)
        (earliest, latest), *_ = instance.windows[node][0]
        dim.CumulVar(index).SetRange(earliest, latest)
        routing.AddDisjunction([index], instance.scores[node] * weight)
    for v in range(m):
        dim.CumulVar(routing.Start(v)).SetRange(spec.start_time, horizon)
        dim.CumulVar(routing.End(v)).SetRange(spec.start_time, horizon)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    remaining = max(0.1, time_limit - (time.perf_counter() - started))
    params.time_limit.FromMilliseconds(int(remaining * 1000))
    solution = routing.SolveWithParameters(params)
    routes: list[list[int]] = []
    for v in range(m):
        route: list[int] = []
        if solution is not None:
            index = solution.Value(routing.NextVar(routing.Start(v)))
            while not routing.IsEnd(index):
                route.append(manager.IndexToNode(index))
                index = solution.Value(routing.NextVar(index))
        routes.append(route)
    return routes, time.perf_counter() - started


SOLVERS = {"ours": run_ours, "ortools": run_ortools}


def run_case(task: tuple[str, str, int, float, int, str]) -> dict[str, object]:
    """One solver on one (instance, M); the check is done here, on the returned routes."""
    solver, path, m, time_limit, seed, _ = task
    started = time.perf_counter()
    loaded = read_toptw(path, routes=m)
    routes, runtime = SOLVERS[solver](loaded.instance, time_limit, seed)
    wall = time.perf_counter() - started
    report = check(loaded.instance, routes)
    return {
        "solver": solver,
        "instance": loaded.instance.name,
        "m": m,
        "score": report.score,
        "feasible": report.feasible,
        "violations": list(report.violations[:3]),
        "runtime_s": round(runtime, 3),
        "wall_s": round(wall, 3),
        "routes": [[loaded.vertex_ids[j] for j in route] for route in routes],
    }


def load_bks(data_dir: Path) -> dict[tuple[str, int], int]:
    with open(data_dir / "bks.csv", newline="") as handle:
        return {(row["instance"], int(row["m"])): int(row["bks"]) for row in csv.DictReader(handle)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--time-limit", type=float, default=2.0, help="seconds per run")
    parser.add_argument("--instances", default="", help="comma-separated names (default: all)")
    parser.add_argument("--m", default="1,2,3,4", help="comma-separated numbers of routes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-ortools", action="store_true")
    parser.add_argument("--jobs", type=int, default=1, help="parallel runs (<= cores)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args(argv)

    data_dir: Path = args.data_dir
    # The copy in bench/instances/ is flat; the upstream folder keeps them in instances/.
    nested = data_dir / "instances"
    files = sorted((nested if nested.is_dir() else data_dir).glob("*.txt"))
    if args.instances:
        wanted = set(args.instances.split(","))
        files = [f for f in files if f.stem in wanted]
        missing = wanted - {f.stem for f in files}
        if missing:
            parser.error(f"unknown instances: {', '.join(sorted(missing))}")
    ms = [int(x) for x in args.m.split(",")]
    bks = load_bks(data_dir)
    solvers = ["ours"] if args.skip_ortools else ["ours", "ortools"]
    tasks = [
        (solver, str(f), m, args.time_limit, args.seed, f.stem)
        for f in files
        for m in ms
        for solver in solvers
    ]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        rows = list(pool.map(run_case, tasks))
    wall = time.perf_counter() - started

    by_case: dict[tuple[str, int], dict[str, dict[str, object]]] = {}
    for row in rows:
        by_case.setdefault((str(row["instance"]), int(row["m"])), {})[str(row["solver"])] = row
    header = f"{'instance':9} {'m':>2} {'bks':>5} {'ours':>5} {'gap%':>6} {'search':>6} {'wall':>5}"
    if "ortools" in solvers:
        header += f" {'ortools':>7} {'gap%':>6} {'search':>6} {'wall':>5} {'ratio':>6}"
    print(header)
    table: list[dict[str, object]] = []
    totals = {s: 0 for s in solvers}
    gaps: dict[str, list[float]] = {s: [] for s in solvers}
    infeasible = {s: 0 for s in solvers}
    walls: dict[str, list[float]] = {s: [] for s in solvers}
    for (name, m), results in sorted(by_case.items()):
        best = bks.get((name, m))
        line = f"{name:9} {m:>2} {best if best is not None else '-':>5}"
        record: dict[str, object] = {"instance": name, "m": m, "bks": best}
        for solver in solvers:
            res = results[solver]
            score = int(res["score"]) if res["feasible"] else 0
            gap = 100.0 * (best - score) / best if best else float("nan")
            totals[solver] += score
            gaps[solver].append(gap)
            infeasible[solver] += 0 if res["feasible"] else 1
            flag = "" if res["feasible"] else "!"
            walls[solver].append(float(res["wall_s"]))
            line += (
                f" {score:>5}{flag} {gap:>6.2f} {float(res['runtime_s']):>6.2f}"
                f" {float(res['wall_s']):>5.2f}"
            )
            record[solver] = {
                k: res[k]
                for k in ("score", "feasible", "runtime_s", "wall_s", "violations", "routes")
            }
            record[f"{solver}_gap_pct"] = round(gap, 3)
        if "ortools" in solvers:
            ours = int(results["ours"]["score"])
            peer = int(results["ortools"]["score"])
            ratio = ours / peer if peer else float("inf")
            record["ratio"] = round(ratio, 4)
            line += f" {ratio:>6.3f}"
        print(line)
        table.append(record)
    print()
    summary: dict[str, object] = {
        "time_limit_s": args.time_limit,
        "seed": args.seed,
        "cases": len(by_case),
        "wall_s": round(wall, 1),
    }
    for solver in solvers:
        mean_gap = sum(gaps[solver]) / len(gaps[solver]) if gaps[solver] else float("nan")
        wall_mean = sum(walls[solver]) / len(walls[solver]) if walls[solver] else float("nan")
        wall_max = max(walls[solver], default=0.0)
        print(
            f"{solver:8} total score {totals[solver]:>7}  mean gap {mean_gap:6.3f} %  "
            f"max gap {max(gaps[solver], default=0):6.2f} %  infeasible {infeasible[solver]}  "
            f"wall per run mean {wall_mean:.3f} s max {wall_max:.3f} s"
        )
        summary[solver] = {
            "total_score": totals[solver],
            "mean_gap_pct": round(mean_gap, 3),
            "max_gap_pct": round(max(gaps[solver], default=0.0), 3),
            "infeasible": infeasible[solver],
            "wall_mean_s": round(wall_mean, 3),
            "wall_max_s": round(wall_max, 3),
        }
    if "ortools" in solvers and totals["ortools"]:
        ratio = totals["ours"] / totals["ortools"]
        print(f"total ours / ortools = {ratio:.4f}")
        summary["total_ratio_ours_ortools"] = round(ratio, 4)
    for m in ms:
        part = [r for r in table if r["m"] == m]
        text = f"m={m}: " + "  ".join(
            f"{s} mean gap {sum(float(r[f'{s}_gap_pct']) for r in part) / len(part):.2f} %"
            for s in solvers
        )
        print(text)

    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (args.out / f"toptw-{stamp}.json").write_text(
        json.dumps({"summary": summary, "cases": table}, indent=1)
    )
    with open(args.out / f"toptw-{stamp}.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "instance",
                "m",
                "bks",
                *[
                    f"{s}_{k}"
                    for s in solvers
                    for k in ("score", "gap_pct", "runtime_s", "wall_s", "feasible")
                ],
            ]
        )
        for r in table:
            writer.writerow(
                [r["instance"], r["m"], r["bks"]]
                + [
                    v
                    for s in solvers
                    for v in (
                        r[s]["score"],  # type: ignore[index]
                        r[f"{s}_gap_pct"],
                        r[s]["runtime_s"],  # type: ignore[index]
                        r[s]["wall_s"],  # type: ignore[index]
                        r[s]["feasible"],  # type: ignore[index]
                    )
                ]
            )
    print(f"written {args.out}/toptw-{stamp}.json and .csv  (wall {wall:.0f} s, pid {os.getpid()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
