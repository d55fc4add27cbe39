"""Time a batch of 20 agency groups: CSV rows -> validated, planned, stored plans with files.

    python bench/batch.py [--groups 20] [--time-limit 0.25]

Uses a temporary SQLite database and output folder; prints the total and per-group time
(target: 20 groups in under a minute). The PDF and exports count when they are installed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.batch import COLUMNS, run_batch  # noqa: E402
from planner.catalogue import load_catalogue  # noqa: E402
from planner.plans import Planner  # noqa: E402
from planner.storage import open_store  # noqa: E402

STAYS = ("heihe", "blagoveshchensk", "heihe;blagoveshchensk")


def groups_csv(n: int) -> str:
    """*n* varied July-August groups of 5-40 with passengers, guides and a meeting point."""
    lines = [",".join(COLUMNS)]
    for i in range(n):
        day = 1 + i % 25
        nights = 2 if i % 3 == 2 else 1 + i % 2
        party = 5 + (i * 7) % 36
        row = {c: "" for c in COLUMNS}
        row.update(
            title=f"Group {i + 1}",
            arrive=f"2027-07-{day:02d}T09:00+08:00",
            depart=f"2027-07-{day + nights:02d}T18:00+08:00",
            stay=STAYS[2] if nights == 2 else STAYS[i % 2],
            nationality="CN" if i % 2 else "RU",
            visas="RU" if i % 2 else "CN",
            party_size=str(party),
            group_tour="yes",
            interests="history;architecture",
            lang=("zh", "ru", "en")[i % 3],
            agency_name="Amur Tours",
            passengers=";".join(f"Passenger {k}" for k in range(party)),
            meeting_point="heihe-river-port",
            meeting_minutes_before="20",
            guide_heihe_name="Zhang",
            guide_blagoveshchensk_name="Ivanova",
        )
        lines.append(",".join(row[c] for c in COLUMNS))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=0.25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        planner = Planner(store, load_catalogue(), time_limit=args.time_limit)
        out = Path(tmp) / "out"

        def write(name: str, content: bytes) -> None:
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(content)

        started = time.perf_counter()
        report = run_batch(groups_csv(args.groups), planner, write)
        took = time.perf_counter() - started
        store.engine.dispose()
    planned = len(report.rows) - report.failed
    print(
        f"{args.groups} groups: {planned} planned, {report.failed} failed in {took:.1f} s "
        f"({took / max(1, args.groups):.2f} s per group; target: under 60 s for 20)"
    )
    for row in report.rows:
        if not row.ok:
            print(f"  line {row.line}: {'; '.join(row.errors)}")
    for note in report.notes:
        print(f"  note: {note}")


if __name__ == "__main__":
    main()
