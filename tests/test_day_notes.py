"""Each day has a note typed by the traveller: kept without control or bidi characters, shown
as text (never markup) on the page, the printed plan and the exports; nothing is re-planned."""

from __future__ import annotations

import json

from test_plan_edit_pages import api, created  # noqa: F401 - fixtures

NOTE = "Meet Olga <script>alert(1)</script> {{7*7}} at\u202e the gate\u0000\nbring 100 ¥"
CLEAN = "Meet Olga <script>alert(1)</script> {{7*7}} at the gate\nbring 100 ¥"


def patch(api, plan, token, *edits, version=1):  # noqa: F811
    return api.patch(
        f"/api/v1/plans/{plan['id']}?lang=en",
        json={"version": version, "edits": list(edits)},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_day_note_is_kept_clean_and_shown_as_text_everywhere(api, created):  # noqa: F811
    plan, token = created
    response = patch(api, plan, token, {"op": "note", "day": 1, "text": NOTE})
    assert response.status_code == 200, response.get_json()
    after = response.get_json()["plan"]
    assert after["request"]["day_notes"] == ["", CLEAN]
    assert after["days"] == plan["days"]  # a note plans nothing again
    assert (after["warnings"], after["left_out"]) == (plan["warnings"], plan["left_out"])
    assert after["changes"] == []
    client = api.application.test_client()
    for path in (f"/plans/{plan['id']}?lang=en", f"/plans/{plan['id']}/print?lang=en"):
        body = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in body
        assert "Meet Olga &lt;script&gt;alert(1)&lt;/script&gt; {{7*7}} at the gate" in body
        assert "\u202e" not in body
    ics = client.get(f"/plans/{plan['id']}.ics").get_data(as_text=True)
    assert "Meet Olga <script>alert(1)</script> {{7*7}} at the gate" in ics.replace("\r\n ", "")
    geojson = json.loads(client.get(f"/plans/{plan['id']}.geojson").get_data(as_text=True))
    assert geojson["day_notes"] == ["", CLEAN]


def test_a_note_can_be_removed_and_a_note_for_no_such_day_is_refused(api, created):  # noqa: F811
    plan, token = created
    assert patch(api, plan, token, {"op": "note", "day": 0, "text": "x"}).status_code == 200
    cleared = patch(api, plan, token, {"op": "note", "day": 0, "text": ""}, version=2)
    assert cleared.get_json()["plan"]["request"]["day_notes"] == []
    refused = patch(api, plan, token, {"op": "note", "day": 9, "text": "x"}, version=3)
    assert refused.status_code == 422
    assert "this trip has no day 10" in json.dumps(refused.get_json())
