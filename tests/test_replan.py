"""An edit re-plans only the days it concerns; the others stay to the minute; the diff says
what changed."""

from __future__ import annotations

import json

import pytest

from planner.catalogue import load_catalogue
from planner.changes import plan_changes
from planner.documents import plan_document
from planner.edits import EDITS, apply_edits
from planner.model import LocalizedName
from planner.plan_check import check_plan
from planner.plan_document import PlanDocument
from planner.planning import plan_trip
from planner.planning.partial import replan_days, splice_days
from planner.replan import edit_scope, replan_document
from planner.request_spec import spec_from_json, to_trip_request
from planner.totals import sum_totals
from planner.trip import PlanningError
from tests.plan_docs import document_of
from tests.test_edits import BASE

CAT = load_catalogue()


@pytest.fixture(scope="module")
def saved():
    return plan_document(spec_from_json(BASE, CAT), CAT, time_limit=5, seed=1)


def stops(day):
    return [s.attraction_id for s in day.stops]


def replan(doc, *ops):
    edits = EDITS.validate_python(list(ops))
    spec = spec_from_json(apply_edits(BASE, edits), CAT)
    return replan_document(spec, doc, edits, CAT, time_limit=5, seed=1)


def test_removing_a_stop_replans_only_its_day(saved):
    gone = stops(saved.days[0])[1]
    new = replan(saved, {"op": "remove", "attraction_id": gone})
    assert new is not None and len(new.days) == len(saved.days) == 3
    assert gone not in stops(new.days[0])
    assert new.days[1:] == saved.days[1:]  # to the minute, crossings and all
    # the places left out are said as before (the partial plan did not weigh the day across),
    # and the removed one as excluded
    left = {x.attraction_id: x for x in new.left_out}
    assert left.pop(gone).reason == "excluded"
    assert left == {x.attraction_id: x for x in saved.left_out}
    assert [w.code for w in new.warnings] == [w.code for w in saved.warnings]


def test_moving_a_stop_replans_its_two_days_and_keeps_the_day_across(saved):
    across = saved.days[1]
    assert len(across.crossings) == 2  # the saved plan has its day across on day 2
    island = "big-heihe-island"
    assert island in stops(saved.days[2])
    new = replan(saved, {"op": "move", "attraction_id": island, "day": 0})
    assert new is not None
    assert island in stops(new.days[0]) and island not in stops(new.days[2])
    assert new.days[1] == across
    assert new.days[2].stops  # the day it left is not emptied


def test_a_stop_added_without_a_day_goes_to_one_day(saved):
    place = next(x.attraction_id for x in saved.left_out if x.reason == "no_time")
    new = replan(saved, {"op": "add", "attraction_id": place})
    assert new is not None
    changed = [i for i, (a, b) in enumerate(zip(saved.days, new.days, strict=True)) if a != b]
    assert len(changed) == 1
    assert place in stops(new.days[changed[0]])


def test_pace_and_dates_replan_the_whole_trip(saved):
    edits = EDITS.validate_python([{"op": "pace", "pace": "packed"}])
    assert edit_scope(saved, edits, CAT) is None


def test_an_old_document_without_day_totals_is_planned_whole(saved):
    old = saved.model_copy(
        update={"days": [d.model_copy(update={"totals": None}) for d in saved.days]}
    )
    edits = EDITS.validate_python([{"op": "remove", "attraction_id": "central-street"}])
    assert edit_scope(old, edits, CAT) is None


def test_the_days_totals_add_up_to_the_trips(saved):
    days = [d.totals.model_dump(mode="json") for d in saved.days if d.totals]
    assert len(days) == len(saved.days) == 3
    totals = saved.totals.model_dump(mode="json")
    assert sum_totals(days, totals) == totals


def test_a_spliced_plan_keeps_every_rule_and_matches_the_saved_days():
    req = to_trip_request(spec_from_json(BASE, CAT), CAT)
    old = plan_trip(req, CAT, time_limit=5, seed=1)
    first = [v.attraction.id for v in old.days[0].stops]
    edited = apply_edits(BASE, EDITS.validate_python([{"op": "remove", "attraction_id": first[0]}]))
    req2 = to_trip_request(spec_from_json(edited, CAT), CAT)
    held = {v.attraction.id for day in old.days[1:] for v in day.stops}
    keep = [(pid, 0) for pid in first[1:]]
    new = replan_days(req2, {0}, keep, held, CAT, time_limit=5, seed=1)
    spliced = splice_days(old, new, {0}, req2)
    assert spliced.days[1:] == old.days[1:]
    assert first[0] not in [v.attraction.id for v in spliced.days[0].stops]
    assert check_plan(spliced, CAT) == []


def test_the_diff_names_stops_added_removed_moved_and_shifted():
    old = document_of([("a", "09:00"), ("b", "10:00"), ("c", "11:00")], [("d", "09:00")])
    new = document_of(
        [("a", "09:15"), ("c", "11:30")], [("d", "09:00"), ("b", "10:00"), ("e", "12:00")]
    )
    changes = {(c.code, c.params["place"].en): c.params for c in plan_changes(old, new)}
    assert set(changes) == {
        ("stop_time_shifted", "C"),  # a moved by 15 minutes: not a change worth saying
        ("stop_moved", "B"),
        ("stop_added", "E"),
    }
    assert changes[("stop_moved", "B")] == {
        "place": LocalizedName(zh="b", ru="b", en="B"),
        "attraction_id": "b",
        "from_day": 1,
        "to_day": 2,
    }
    assert changes[("stop_time_shifted", "C")]["before"] == "11:00"
    assert changes[("stop_time_shifted", "C")]["after"] == "11:30"
    gone = plan_changes(new, old)
    assert {(c.code, c.params["place"].en) for c in gone} >= {("stop_removed", "E")}


def test_a_plan_just_made_is_the_plan_read_back_from_what_is_stored(saved):
    stored = json.loads(json.dumps(saved.to_json()))
    again = PlanDocument.from_saved(stored)
    assert again.to_json() == stored
    assert again == saved  # to the minute, messages and totals alike
    assert plan_changes(saved, again) == []
    assert all(s.arrive.second == 0 for d in saved.days for s in d.stops)


def test_an_unchanged_plan_has_no_changes(saved):
    assert plan_changes(saved, saved) == []


def test_reordering_a_day_keeps_its_stops_in_that_order_and_the_other_days(saved):
    day = saved.days[0]
    ids = stops(day)
    assert len(ids) >= 3
    wanted = [ids[1], ids[0], *ids[2:]]
    new = replan(saved, {"op": "reorder", "day": 0, "attraction_ids": wanted})
    assert new is not None
    assert stops(new.days[0]) == wanted
    assert new.days[1:] == saved.days[1:]


def test_a_reorder_that_is_not_the_days_stops_is_refused_with_a_reason(saved):
    ids = stops(saved.days[0])
    with pytest.raises(PlanningError) as refused:
        replan(saved, {"op": "reorder", "day": 0, "attraction_ids": ids[:-1]})
    assert refused.value.message.code == "refused_reorder_unknown"


def test_a_reorder_that_breaks_the_day_is_refused_with_a_reason(saved):
    across = saved.days[1]
    cities = [s.city for s in across.stops]
    assert cities[0] == "blagoveshchensk" and cities[-1] == "heihe"
    # The day across backwards: its Heihe stops before the crossing that has not happened yet.
    backwards = list(reversed(stops(across)))
    with pytest.raises(PlanningError) as refused:
        replan(saved, {"op": "reorder", "day": 1, "attraction_ids": backwards})
    assert refused.value.message.code in ("refused_reorder", "refused_reorder_late")


def test_removing_a_stop_of_the_day_across_keeps_it_a_day_across(saved):
    across = saved.days[1]
    assert len(across.crossings) == 2
    gone = next(s.attraction_id for s in across.stops if s.city == "blagoveshchensk")
    new = replan(saved, {"op": "remove", "attraction_id": gone})
    assert new is not None
    assert len(new.days[1].crossings) == 2
    assert gone not in stops(new.days[1])
    assert [new.days[0], new.days[2]] == [saved.days[0], saved.days[2]]


def test_a_reordered_day_spliced_in_keeps_every_rule():
    req = to_trip_request(spec_from_json(BASE, CAT), CAT)
    old = plan_trip(req, CAT, time_limit=5, seed=1)
    held = {v.attraction.id for day in old.days[1:] for v in day.stops}
    ids = [v.attraction.id for v in old.days[0].stops]
    assert len(ids) >= 3
    for k in range(len(ids) - 1):  # the first swap of neighbours that the hours allow
        wanted = [*ids[:k], ids[k + 1], ids[k], *ids[k + 2 :]]
        keep = [(pid, 0) for pid in ids]
        try:
            new = replan_days(req, {0}, keep, held, CAT, time_limit=5, seed=1, order=[(0, wanted)])
        except PlanningError:
            continue
        if [v.attraction.id for v in new.days[0].stops] == wanted:
            break
    else:
        pytest.fail("no swap of neighbouring stops holds")
    spliced = splice_days(old, new, {0}, req)
    assert [v.attraction.id for v in spliced.days[0].stops] == wanted
    assert spliced.days[1:] == old.days[1:]
    assert check_plan(spliced, CAT) == []
