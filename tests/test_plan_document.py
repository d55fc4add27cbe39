"""The saved plan is a typed, versioned document: plans saved before still open everywhere."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path

import pytest
from conftest import MUSEUM_TRIP
from zones import HEIHE_TZ

from planner.plan_document import DOCUMENT_VERSION, PlanDocument, PlanUnreadable
from planner.web import create_app
from planner.web.plan_store import store

# Revision 2 of a group trip (an edit removed a stop) as main saved it before documents had a
# version: the request and the itinerary exactly as the database kept them.
SAVED_V1 = json.loads(
    (Path(__file__).parent / "fixtures" / "plan_v1.json").read_text(encoding="utf-8")
)


def _v1() -> dict:
    return copy.deepcopy(SAVED_V1["itinerary"])


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    db = tmp_path_factory.mktemp("plandoc") / "plans.sqlite3"
    return create_app(
        {"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": f"sqlite:///{db}", "TILES": "none"}
    )


@pytest.fixture(scope="module")
def old_plan(app):
    """The version-1 plan, stored as it was (not through the planner, which writes version 2)."""
    with app.app_context():
        plan, _token = store().create("Old group trip", SAVED_V1["request"], _v1(), "created")
    return plan.id


def test_the_fixture_is_a_version_1_plan_with_crossings_meals_and_changes():
    saved = _v1()
    assert "document_version" not in saved
    kinds = {item["type"] for day in saved["days"] for item in day["items"]}
    assert kinds == {"visit", "meal", "crossing"}
    assert saved["changes"] and saved["group"] and saved["agency"]


def test_a_version_1_plan_reads_with_aware_times_and_typed_messages():
    doc = PlanDocument.from_saved(_v1())
    assert doc.document_version == DOCUMENT_VERSION
    crossing = next(c for day in doc.days for c in day.crossings)
    assert isinstance(crossing.report_by, datetime)
    assert crossing.report_by.utcoffset() is not None
    assert crossing.report_by < crossing.depart < crossing.arrive
    assert doc.days[0].date.isoformat() == SAVED_V1["itinerary"]["days"][0]["date"]
    assert doc.changes[-1].code == "stop_removed"
    assert doc.left_out[0].detail.to_message().code == doc.left_out[0].detail.code


def test_a_version_1_plan_is_saved_again_unchanged_but_for_its_version():
    saved = _v1()
    assert PlanDocument.from_saved(saved).to_json() == {**saved, "document_version": 2}


def test_a_plan_saved_before_day_totals_and_entry_layers_still_opens():
    saved = _v1()
    for day in saved["days"]:
        del day["totals"]
        for crossing in day["crossings"]:
            del crossing["entry_rule"], crossing["entry_basis"]
    del saved["totals"]["vehicles"], saved["totals"]["vehicle_hire"]
    doc = PlanDocument.from_saved(saved)
    assert [day.totals for day in doc.days] == [None] * len(saved["days"])
    assert doc.totals is not None and doc.totals.vehicle_hire == {}


def test_a_plan_of_a_newer_version_is_refused_with_a_reason():
    with pytest.raises(PlanUnreadable, match="newer"):
        PlanDocument.from_saved({**_v1(), "document_version": DOCUMENT_VERSION + 1})


@pytest.mark.parametrize("version", ["3", 2.5, True, 0, -1, None])
def test_a_version_that_is_not_a_version_number_is_refused_not_read_as_version_1(version):
    with pytest.raises(PlanUnreadable, match="not a version number"):
        PlanDocument.from_saved({**_v1(), "document_version": version})


def test_a_damaged_plan_is_refused_naming_where():
    saved = _v1()
    saved["days"][1]["items"][0]["arrive"] = "2027-07-11T09:00"  # no offset: not an aware time
    with pytest.raises(PlanUnreadable, match=r"days\.1\.items\.0\.crossing\.arrive"):
        PlanDocument.from_saved(saved)


def test_texts_are_added_to_every_message_and_only_to_messages():
    doc = PlanDocument.from_saved(_v1())
    shown = doc.with_texts(lambda m: f"<{m.code}>")
    messages = list(shown.messages())
    assert len(messages) > 20
    assert all(m.text == f"<{m.code}>" for m in messages)
    assert all(m.text is None for m in doc.messages())  # the document itself is not changed
    assert "text" not in doc.to_json()["warnings"][0]


def test_a_new_plan_is_saved_as_the_current_version(app):
    client = app.test_client()
    made = client.post("/api/v1/plans", json=MUSEUM_TRIP).get_json()
    assert made["plan"]["document_version"] == DOCUMENT_VERSION
    with app.app_context():
        saved = store().get(made["plan"]["id"]).current.itinerary
    assert saved["document_version"] == DOCUMENT_VERSION
    assert PlanDocument.from_saved(saved).to_json() == saved


def test_a_version_1_plan_opens_in_the_api_with_texts(app, old_plan):
    response = app.test_client().get(f"/api/v1/plans/{old_plan}?lang=ru")
    assert response.status_code == 200
    plan = response.get_json()["plan"]
    assert len(plan["days"]) == len(SAVED_V1["itinerary"]["days"])
    assert plan["left_out"][0]["detail"]["text"]


@pytest.mark.parametrize("path", ["", ".gpx", ".ics", ".kml", ".geojson", "/print"])
def test_a_version_1_plan_opens_as_page_export_and_print_view(app, old_plan, path):
    first = SAVED_V1["itinerary"]["days"][0]["stops"][0]["name"]["en"]
    response = app.test_client().get(f"/plans/{old_plan}{path}")
    assert response.status_code == 200
    body = response.get_data(as_text=True).replace("\r\n ", "")  # ICS folds long lines
    assert first.split(" ")[0] in body


def test_the_api_answer_for_a_plan_is_the_document_its_description_names(app, old_plan):
    from planner.web.openapi import spec

    plan_schema = spec()["components"]["schemas"]["Plan"]
    assert {"$ref": "#/components/schemas/PlanDocument"} in plan_schema["allOf"]
    plan = app.test_client().get(f"/api/v1/plans/{old_plan}").get_json()["plan"]
    read = PlanDocument.from_saved(plan)  # the model the PlanDocument schema comes from
    assert read.days[0].stops[0].arrive.utcoffset() is not None
    with pytest.raises(PlanUnreadable, match="start"):
        PlanDocument.from_saved({**plan, "days": [{**plan["days"][0], "start": "soon"}]})


# The modules that render a saved plan, which read its times as the document parsed them once.
OUTPUTS = (
    "planner/exports.py",
    "planner/printing.py",
    "planner/documents.py",
    "planner/itinerary_map.py",
    "planner/plan_words.py",
    "planner/web/plan_view.py",
    "planner/web/plan_outputs.py",
    "planner/web/plans_api.py",
    "planner/commands/plan.py",
)


@pytest.mark.parametrize("module", OUTPUTS)
def test_no_output_module_parses_the_plans_times_again(module):
    source = (Path(__file__).resolve().parent.parent / module).read_text(encoding="utf-8")
    assert "def " in source  # the module is there
    assert "fromisoformat" not in source


# The core modules that read a saved plan to edit it (diff, re-plan, group, kept stops).
CORE = (
    "planner/changes.py",
    "planner/replan.py",
    "planner/agency.py",
    "planner/edits.py",
    "planner/plans.py",
    "planner/messages.py",
)


@pytest.mark.parametrize("module", CORE)
def test_no_core_module_parses_the_plans_times_again(module):
    source = (Path(__file__).resolve().parent.parent / module).read_text(encoding="utf-8")
    assert "PlanDocument" in source or "def clock_text" in source  # it reads the model
    assert "datetime.fromisoformat" not in source


def test_a_version_1_plan_reads_as_the_command_lines_text():
    from planner.commands.plan import render_text

    doc = PlanDocument.from_saved(_v1())
    crossing = next(c for day in doc.days for c in day.crossings)
    text = render_text(doc, "en", str)
    assert text.count("\n== ") == len(doc.days) - 1 and text.startswith("== ")
    depart = crossing.depart.astimezone(HEIHE_TZ)
    assert f"passenger ship departs {depart:%H:%M} Heihe (UTC+8)" in text
    stop = doc.days[0].stops[0]
    assert f"{stop.arrive:%H:%M}" in text and stop.name.en in text


def test_a_crossing_is_worded_with_its_mode_and_both_banks_clocks():
    from planner.plan_words import crossing_clocks, leg_words

    crossing = next(c for day in PlanDocument.from_saved(_v1()).days for c in day.crossings)
    frm, to = crossing.direction_from, crossing.to_point.city
    assert (frm, to) == ("heihe", "blagoveshchensk")
    words = crossing_clocks(
        crossing.mode, crossing.report_by, crossing.depart, crossing.arrive, frm, to, str
    )
    assert words.mode == "passenger ship"
    assert words.depart == f"{crossing.depart.astimezone(HEIHE_TZ):%H:%M} Heihe (UTC+8)"
    assert words.depart_other.endswith("Blagoveshchensk (UTC+9)")
    assert words.arrive.endswith("Blagoveshchensk (UTC+9)")
    assert leg_words(crossing.leg, str, "en").endswith(" km")
    assert leg_words(None, str, "en") == ""


@pytest.mark.parametrize("lang,words", [("en", "newer version"), ("ru", "более новой версией")])
def test_a_plan_saved_by_a_newer_planner_is_a_clear_409_and_is_left_as_it_was(app, lang, words):
    """A server behind in a rolling update meets a plan a newer one saved: it says so in the
    reader's language (never a 500) and does not touch the saved copy."""
    newer = {**_v1(), "document_version": DOCUMENT_VERSION + 1}
    with app.app_context():
        plan, _token = store().create("From the future", SAVED_V1["request"], newer, "created")
    client = app.test_client()
    page = client.get(f"/plans/{plan.id}?lang={lang}")
    assert page.status_code == 409
    assert words in page.get_data(as_text=True)
    api = client.get(f"/api/v1/plans/{plan.id}")
    assert api.status_code == 409 and "cannot be read" in api.get_json()["error"]
    with app.app_context():
        assert store().get(plan.id).current.itinerary["document_version"] == DOCUMENT_VERSION + 1


def _damage(app, plan_id: str, column: str, text: str) -> None:
    """Overwrite the plan's saved revision in the database (a faulty copy, a hand edit)."""
    import sqlite3

    db = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(db) as conn:
        conn.execute(f"UPDATE plan_revisions SET {column} = ? WHERE plan_id = ?", (text, plan_id))


@pytest.mark.parametrize(
    "column,text",
    [
        ("itinerary_json", "{not json"),
        ("itinerary_json", ""),
        ("itinerary_json", "[]"),
        ("itinerary_json", "null"),
        ("itinerary_json", "[" * 100_000 + "]" * 100_000),
        ("request_json", "null"),
        ("request_json", "{not json"),
    ],
)
def test_a_damaged_saved_plan_is_a_409_in_the_readers_language_and_nothing_is_saved(
    app, column, text
):
    with app.app_context():
        plan, token = store().create("Damaged", SAVED_V1["request"], _v1(), "created")
    _damage(app, plan.id, column, text)
    client = app.test_client()
    for path in ("", "/print", ".gpx", ".ics", ".pdf"):
        page = client.get(f"/plans/{plan.id}{path}?lang=ru")
        assert page.status_code == 409, path
        assert "более новой версией" in page.get_data(as_text=True), path
    api = client.get(f"/api/v1/plans/{plan.id}")
    assert api.status_code == 409 and "cannot be read" in api.get_json()["error"]
    assert client.get(f"/api/v1/plans/{plan.id}/revisions").status_code == 409
    edit = client.patch(
        f"/api/v1/plans/{plan.id}",
        json={"version": 1, "request": {"pace": "relaxed"}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert edit.status_code == 409
    with app.app_context():
        assert [r.number for r in store().revisions(plan.id)] == [1]


def test_the_command_line_says_a_damaged_plan_cannot_be_read_without_a_traceback(app, monkeypatch):
    from click.testing import CliRunner

    from planner.commands.export import command

    with app.app_context():
        plan, _token = store().create("Damaged", SAVED_V1["request"], _v1(), "created")
    _damage(app, plan.id, "itinerary_json", "[]")
    monkeypatch.setenv("PLANNER_DATABASE_URL", app.config["DATABASE_URL"])
    result = CliRunner().invoke(command, [plan.id, "--format", "gpx"])
    assert result.exit_code == 1
    assert "cannot be read" in result.output or "not a" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
