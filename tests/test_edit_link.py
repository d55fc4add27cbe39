"""A secret edit link opens a plan for editing on another device; revoking it (or making a new
one) makes it stop working; the read-only share link stays read-only."""

from __future__ import annotations

import re

from sqlalchemy import select
from test_plan_edit_pages import client  # noqa: F401 - fixture
from test_plan_pages import form, parse

from planner.store_schema import hash_token, plans
from planner.web.plan_store import store


def make_link(owner, location: str) -> str:
    response = owner.post(
        f"{location}/edit-link",
        data={"action": "make", "csrf_token": parse(owner.get(location)).inputs["csrf_token"]},
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return re.search(r'value="([^"]+/e/[^"]+)"', response.get_data(as_text=True)).group(1)


def can_edit(browser, location: str) -> bool:
    return "Remove" in " ".join(parse(browser.get(location)).text)


def remove_first(browser, location: str, version: int) -> int:
    body = browser.get(location).get_data(as_text=True)
    stop = re.search(
        r'name="op" value="remove">\s*<input type="hidden" name="attraction_id" value="([^"]+)"',
        body,
    )
    csrf = parse(browser.get("/plan")).inputs["csrf_token"]
    data = {"op": "remove", "version": str(version), "csrf_token": csrf}
    data["attraction_id"] = stop.group(1) if stop else "lenin-square"
    return browser.post(f"{location}/edit", data=data).status_code


def test_an_edit_link_lets_another_device_edit_until_it_is_revoked(client):  # noqa: F811
    location = form(client).headers["Location"]
    link = make_link(client, location)
    assert "/e/" in link
    plan_id = location.rstrip("/").split("/")[-1]
    with client.application.app_context():
        row = store().engine.connect().execute(select(plans).where(plans.c.id == plan_id)).first()
    secret = link.rsplit("/", 1)[-1]
    assert row.edit_link_hash == hash_token(secret) and secret not in str(tuple(row))

    phone = client.application.test_client()
    assert not can_edit(phone, location)
    opened = phone.get(link.split("localhost", 1)[-1])
    assert opened.status_code == 302 and opened.headers["Location"].endswith(location)
    assert can_edit(phone, location)
    assert remove_first(phone, location, 1) == 302
    assert "Version 2" in " ".join(parse(phone.get(location)).text)
    # the companion edits, but cannot make or revoke links: only the plan's own token can
    csrf = parse(phone.get(location)).inputs["csrf_token"]
    revoke = {"action": "revoke", "csrf_token": csrf}
    assert phone.post(f"{location}/edit-link", data=revoke).status_code == 403
    # the API takes the link's secret as the edit token too
    api_path = f"/api/v1/plans/{plan_id}"
    auth = {"Authorization": f"Bearer {secret}"}
    patched = phone.patch(
        api_path, json={"version": 2, "edits": [{"op": "pace", "pace": "packed"}]}, headers=auth
    )
    assert patched.status_code == 200

    owner_csrf = parse(client.get(location)).inputs["csrf_token"]
    done = client.post(f"{location}/edit-link", data={"action": "revoke", "csrf_token": owner_csrf})
    assert done.status_code == 302
    assert not can_edit(phone, location)
    assert remove_first(phone, location, 3) == 403
    again = phone.get(link.split("localhost", 1)[-1], follow_redirects=True)
    assert "This edit link no longer works" in " ".join(parse(again).text)
    assert phone.patch(api_path, json={"version": 3, "edits": []}, headers=auth).status_code == 403
    assert can_edit(client, location)  # the owner's own token still works


def test_a_new_edit_link_replaces_the_old_one_and_the_share_link_stays_read_only(client):  # noqa: F811
    location = form(client).headers["Location"]
    first = make_link(client, location).split("localhost", 1)[-1]
    second = make_link(client, location).split("localhost", 1)[-1]
    assert first != second
    phone = client.application.test_client()
    phone.get(first)
    assert not can_edit(phone, location)
    phone.get(second)
    assert can_edit(phone, location)
    stranger = client.application.test_client()
    assert not can_edit(stranger, location)
    assert "/e/" not in stranger.get(location).get_data(as_text=True)
