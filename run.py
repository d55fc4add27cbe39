"""Start the web app once set up (`make run` does the set-up first)."""

from __future__ import annotations

import argparse

from planner.errors import DataProblems
from planner.web import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description="Amur Twin Cities Planner web app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    try:
        app = create_app()
    except DataProblems as exc:
        raise SystemExit(f"The app cannot start: {exc}") from None
    app.run(host=args.host, port=args.port, debug=args.debug)


if __name__ == "__main__":
    main()
