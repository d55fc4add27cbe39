"""Edits are bounded: a per-client rate limit shared by PATCH, the page's edit form and restore,
and a cap on the revisions stored per plan (the first and the newest stay)."""

from __future__ import annotations

import pytest
from conftest import make_app
from sqlalchemy import func, select

from planner.store_schema import plan_revisions

PLAN = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-11T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
    "title": "Weekend",
}


def _app(tmp_path, **config):
    return make_app(tmp_path, **config)


def _stored(app, plan_id: str) -> tuple[int, int]:
    """(revisions stored, bytes of their documents) for one plan."""
    size = func.length(plan_revisions.c.request_json) + func.length(plan_revisions.c.itinerary_json)
    with app.extensions["plan_store"].engine.connect() as conn:
        count, total = conn.execute(
            select(func.count(), func.sum(size)).where(plan_revisions.c.plan_id == plan_id)
        ).one()
    return count, total


def test_thirty_edits_keep_at_most_the_capped_revisions_first_and_newest(tmp_path):
    app = _app(tmp_path, MAX_REVISIONS=5)
    client = app.test_client()
    made = client.post("/api/v1/plans", json=PLAN).get_json()
    plan_id, auth = made["plan"]["id"], {"X-Edit-Token": made["edit_token"]}
    one_revision = _stored(app, plan_id)[1]
    for version in range(1, 31):
        edited = client.patch(
            f"/api/v1/plans/{plan_id}",
            json={"version": version, "request": {"title": f"Trip {version}"}},
            headers=auth,
        )
        assert edited.status_code == 200, edited.get_json()
    count, total = _stored(app, plan_id)
    assert count == 5
    assert total <= 5 * one_revision * 1.5  # five revisions of about the same size, not 31
    listed = client.get(f"/api/v1/plans/{plan_id}/revisions").get_json()["revisions"]
    assert [r["number"] for r in listed] == [1, 28, 29, 30, 31]
    assert client.get(f"/api/v1/plans/{plan_id}/revisions/1").status_code == 200
    assert client.get(f"/api/v1/plans/{plan_id}/revisions/2").status_code == 404
    restored = client.post(
        f"/api/v1/plans/{plan_id}/revisions/1/restore", json={"version": 31}, headers=auth
    )
    assert restored.status_code == 200 and restored.get_json()["plan"]["title"] == "Weekend"
    assert _stored(app, plan_id)[0] == 5


def test_patch_form_edit_and_restore_share_one_per_client_limit(tmp_path, limit_store):
    app = _app(
        tmp_path,
        RATELIMIT_ENABLED=True,
        RATELIMIT_PLAN_EDIT="3 per minute",
        RATELIMIT_STORAGE_URI=limit_store,
    )
    client = app.test_client()
    made = client.post("/api/v1/plans", json=PLAN).get_json()
    plan_id, auth = made["plan"]["id"], {"X-Edit-Token": made["edit_token"]}
    patch = client.patch(
        f"/api/v1/plans/{plan_id}", json={"version": 1, "request": {"title": "A"}}, headers=auth
    )
    restore = client.post(
        f"/api/v1/plans/{plan_id}/revisions/1/restore", json={"version": 2}, headers=auth
    )
    form = client.post(f"/plans/{plan_id}/edit", data={})
    assert [patch.status_code, restore.status_code] == [200, 200]
    assert form.status_code != 429
    over = [
        client.patch(
            f"/api/v1/plans/{plan_id}",
            json={"version": 3, "request": {"title": "B"}},
            headers=auth,
        ),
        client.post(f"/plans/{plan_id}/restore/1", data={}),
        client.post(f"/plans/{plan_id}/edit", data={}),
    ]
    assert [r.status_code for r in over] == [429, 429, 429]
    assert int(over[0].headers["Retry-After"]) > 0


def test_reading_a_plan_is_not_counted_against_the_edit_limit(tmp_path):
    app = _app(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_PLAN_EDIT="1 per minute")
    client = app.test_client()
    plan_id = client.post("/api/v1/plans", json=PLAN).get_json()["plan"]["id"]
    reads = [client.get(f"/api/v1/plans/{plan_id}").status_code for _ in range(5)]
    assert reads == [200] * 5


@pytest.mark.parametrize("value", ["1", "lots", True, "0"])
def test_a_revision_cap_that_is_not_a_whole_number_from_2_stops_the_app(tmp_path, value):
    with pytest.raises(RuntimeError, match="PLANNER_MAX_REVISIONS"):
        _app(tmp_path, MAX_REVISIONS=value)


def test_edits_and_creations_spend_from_one_solver_bucket(tmp_path):
    """Creating and editing both run the planner: a client past the creation limit cannot go
    on solving through PATCH."""
    app = _app(
        tmp_path,
        RATELIMIT_ENABLED=True,
        RATELIMIT_PLAN_CREATE="3 per minute",
        RATELIMIT_PLAN_EDIT="100 per minute",
    )
    client = app.test_client()
    made = client.post("/api/v1/plans", json=PLAN).get_json()
    plan_id, auth = made["plan"]["id"], {"X-Edit-Token": made["edit_token"]}
    codes = []
    for version in (1, 2, 3):
        edited = client.patch(
            f"/api/v1/plans/{plan_id}",
            json={"version": version, "request": {"title": f"Trip {version}"}},
            headers=auth,
        )
        codes.append(edited.status_code)
    assert codes == [200, 200, 429]  # 1 creation + 2 edits = the 3 allowed
    assert client.post("/api/v1/plans", json=PLAN).status_code == 429
