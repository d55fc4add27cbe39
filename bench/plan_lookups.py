"""Count the string-keyed lookups (`x["key"]`, `x.get("key")`) in the modules that render a plan.

    python bench/plan_lookups.py [--rev COMMIT]

With --rev, the modules as they were at that commit (`git show`), e.g. the figure before.

The figure of issue 17: each output read the saved plan as a dict. The count is syntactic (any
subscript by a string constant, any `.get("...")` call), so it also counts lookups on other
dicts in these modules (the stored request, label tables); `.get` on Flask's request, session
and config is left out. Prints the count per module and the total.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The outputs of a plan: the page, the print view and PDF, the exports, the CLI text, the API.
MODULES = (
    "planner/web/plan_view.py",
    "planner/web/plan_pages.py",
    "planner/web/plan_outputs.py",
    "planner/web/plans_api.py",
    "planner/printing.py",
    "planner/documents.py",
    "planner/exports.py",
    "planner/commands/plan.py",
)

# Receivers that are not plan data (Flask's request, the session, the app's configuration, a
# blueprint's `bp.get("/route")`).
NOT_PLAN = ("request.", "session", "config", "environ", "headers")
ROUTES = ("bp", "app")


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def count_lookups(source: str) -> int:
    """The `["key"]` subscripts and `.get("key")` calls in *source* (not on NOT_PLAN receivers)."""
    count = 0
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_str(node.slice):
            receiver = ast.unparse(node.value)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and _is_str(node.args[0])
        ):
            receiver = ast.unparse(node.func.value)
        else:
            continue
        if receiver not in ROUTES and not any(word in receiver for word in NOT_PLAN):
            count += 1
    return count


def _source(name: str, rev: str | None) -> str:
    if rev is None:
        path = ROOT / name
        return path.read_text(encoding="utf-8") if path.exists() else ""
    shown = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:{name}"], capture_output=True, text=True
    )
    return shown.stdout if shown.returncode == 0 else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default=None, help="count at this git commit")
    rev = parser.parse_args().rev
    total = 0
    for name in MODULES:
        source = _source(name, rev)
        n = count_lookups(source) if source else 0
        total += n
        print(f"{n:5d}  {name}")
    print(f"{total:5d}  total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
