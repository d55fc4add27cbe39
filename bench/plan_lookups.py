"""Count the string-keyed lookups (`x["key"]`, `x.get("key")`) in the modules that read a plan.

    python bench/plan_lookups.py [--rev COMMIT]

With --rev, the modules as they were at that commit (`git show`), e.g. the figure before
(68539ee, before the typed plan document).

The figure of issue 17: each output, and the core that edits a saved plan, read the plan as a
dict. The count is syntactic (any subscript by a string constant, any `.get("...")` call), so
it also counts lookups on other dicts in these modules (the stored request, which edits.py
changes, label tables, message params); `.get` on Flask's request, session and config is left
out. Prints the count per module and the totals of the outputs, of the core, and of both.

Measured (2026-12-07): outputs 358 at 68539ee, 83 at 430979b, 77 on plandoc2 (merged with main
at d1308d0); core 202 at 68539ee, 61 on plandoc2 (41 of them edits.py's changes to the
request); 560 -> 138 in all.
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

# The core that reads a saved plan to change it: the diff of an edit, the partial re-plan, the
# agency's group and meeting point, the kept-stop notices, the saved-plan service, the writer.
CORE = (
    "planner/changes.py",
    "planner/replan.py",
    "planner/agency.py",
    "planner/edits.py",
    "planner/plans.py",
    "planner/serialize.py",
    "planner/plan_writer.py",
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


def _count(title: str, modules: tuple[str, ...], rev: str | None) -> int:
    total = 0
    print(title)
    for name in modules:
        source = _source(name, rev)
        n = count_lookups(source) if source else 0
        total += n
        print(f"{n:5d}  {name}")
    print(f"{total:5d}  total")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default=None, help="count at this git commit")
    rev = parser.parse_args().rev
    outputs = _count("outputs", MODULES, rev)
    core = _count("core", CORE, rev)
    print(f"{outputs + core:5d}  all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
