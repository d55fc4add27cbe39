"""Every error the project defines derives from one root, PlannerError, and has a code."""

import importlib
import inspect
import pkgutil

import planner
from planner.errors import PlannerError


def _project_exceptions() -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages(planner.__path__, "planner."):
        if ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseException) and obj.__module__ == info.name:
                found.append(obj)
    return found


def test_every_project_error_derives_from_planner_error_with_a_code():
    errors = _project_exceptions()
    assert len(errors) >= 20
    strays = [e.__qualname__ for e in errors if not issubclass(e, PlannerError)]
    assert strays == []
    assert all(isinstance(e.code, str) and e.code for e in errors)


def test_bad_input_errors_are_still_value_errors_for_callers_that_catch_them():
    from planner.timeutil import NaiveDatetimeError
    from planner.trip import PlanningError

    assert issubclass(PlanningError, ValueError)
    assert NaiveDatetimeError("x").code == "naive_datetime_error"
