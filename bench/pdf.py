"""How long a 3-day plan's PDF takes (issue #10: under 3 s). `python bench/pdf.py [--runs 5]`.

Plans one three-day trip with a day across the river, stores it, then times GET /plans/<id>.pdf
through the app (print model, SVG maps, QR codes, WeasyPrint) and prints p50 and max.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PLANNER_TILES", "none")

from pypdf import PdfReader

from planner.web import create_app

REQUEST = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-12T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
    "visas": ["RU"],
    "interests": ["history", "architecture"],
    "title": "Bench: three days",
    "lang": "ru",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{tmp}/b.db"}
        )
        client = app.test_client()
        plan = client.post("/api/v1/plans", json=REQUEST).get_json()["plan"]
        # The first PDF of a process also imports WeasyPrint and loads the fonts (about 1.2 s
        # here): timed apart, as a server pays it once.
        start = time.perf_counter()
        assert client.get(f"/plans/{plan['id']}.pdf").status_code == 200
        cold = time.perf_counter() - start
        times, size, pages = [], 0, 0
        for _ in range(args.runs):
            start = time.perf_counter()
            answer = client.get(f"/plans/{plan['id']}.pdf")
            times.append(time.perf_counter() - start)
            assert answer.status_code == 200
            size = len(answer.data)
            pages = len(PdfReader(io.BytesIO(answer.data)).pages)
    print(
        f"3-day PDF ({len(plan['days'])} days, {size / 1024:.0f} kB, {pages} pages): "
        f"p50 {statistics.median(times):.2f} s, max {max(times):.2f} s over {args.runs} runs "
        f"({', '.join(f'{t:.2f}' for t in times)}); first in the process {cold:.2f} s"
    )


if __name__ == "__main__":
    main()
