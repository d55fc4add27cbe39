"""Time a batch of 20 agency groups: CSV rows -> validated, planned, stored plans with files.

    python bench/batch.py [--groups 20] [--time-limit 0.25]

Uses a temporary SQLite database and output folder; prints the total and per-group time
(target: 20 groups in under a minute), through the command line, so the PDF and the four
exports of every group count, and so does start-up.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.batch import COLUMNS

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
    from click.testing import CliRunner

    from planner.commands.batch import command

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "groups.csv"
        csv_path.write_text(groups_csv(args.groups), encoding="utf-8")
        out = Path(tmp) / "out"
        argv = [str(csv_path), "--out", str(out), "--time-limit", str(args.time_limit)]
        argv += ["--database", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"]
        started = time.perf_counter()
        result = CliRunner().invoke(command, argv)
        took = time.perf_counter() - started
        files = sorted(p.suffix for p in out.rglob("plan.*"))
    kinds = {suffix: files.count(suffix) for suffix in dict.fromkeys(files)}
    print(result.output.strip().splitlines()[-1] if result.output.strip() else result)
    print(
        f"{args.groups} groups in {took:.1f} s, start-up included "
        f"({took / max(1, args.groups):.2f} s per group; target: under 60 s for 20); "
        f"files: " + ", ".join(f"{n} {k}" for k, n in kinds.items())
    )


if __name__ == "__main__":
    main()
