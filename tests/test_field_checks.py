"""Positions from the field: the agency page stores a pending review, never the catalogue;
`python -m planner apply-review` writes accepted points with their source and confidence."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from planner.catalogue import DEFAULT_PATH, load_catalogue
from planner.cli import cli
from planner.web import create_app

WORST = "gunawen-rime"  # a Heihe village known only to its county: ±75 km, the least certain
FIELD_POINT = {"lat": "48.95123", "lon": "128.41234"}


class Text(HTMLParser):
    """The text of elements with a class, as a reader sees it (entities decoded)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.found: dict[str, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.stack.append(dict(attrs).get("class") or "")

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        for cls in self.stack:
            for name in cls.split():
                self.found.setdefault(name, []).append(data)

    def text(self, cls: str) -> str:
        return "".join(self.found.get(cls, []))


@pytest.fixture()
def field_app(tmp_path):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}",
            "TILES": "none",
            "ADMIN_TOKEN": "s3cret-admin-token-2026",
            "FIELD_REVIEWS_PATH": str(tmp_path / "field-reviews.jsonl"),
        }
    )


def _signed_in(app):
    client = app.test_client()
    page = client.get("/agency/positions").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/agency/login",
        data={"csrf_token": token, "token": "s3cret-admin-token-2026", "next": "/agency/positions"},
    )
    assert answer.headers["Location"].endswith("/agency/positions")
    return client, token


def _report(**changes):
    form = {**FIELD_POINT, "method": "map", "date": "2026-12-06", "agency": "Amur Tours"}
    form["note"] = "gate of the village"
    return {**form, **changes}


def test_positions_page_needs_the_admin_token(field_app):
    assert field_app.test_client().get("/agency/positions").status_code == 401
    assert field_app.test_client().get(f"/agency/positions/{WORST}").status_code == 401


def test_positions_list_the_least_certain_first_in_the_readers_language(field_app):
    client, _ = _signed_in(field_app)
    page = client.get("/agency/positions?lang=ru").get_data(as_text=True)
    ids = re.findall(r'data-place="([^"]+)"', page)
    assert ids[0] == WORST and len(ids) == len(load_catalogue())
    place = load_catalogue().get(WORST)
    table = Text(page).text("field-positions")
    assert place.name.ru in table
    assert "оценка" in table and "estimated" not in table  # the confidence, in Russian


def test_place_page_has_the_map_and_allows_geolocation_only_there(field_app):
    client, _ = _signed_in(field_app)
    answer = client.get(f"/agency/positions/{WORST}")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert 'class="folium-map"' in page and "js/field-position.js" in page
    assert "geolocation=(self)" in answer.headers["Permissions-Policy"]
    assert "geolocation=()" in client.get("/attractions").headers["Permissions-Policy"]
    # the one inline script carries the nonce; no CDN
    assert "cdn" not in page.lower()
    nonce = re.search(r"'nonce-([^']+)'", answer.headers["Content-Security-Policy"]).group(1)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)


def test_a_saved_point_is_a_pending_review_and_the_catalogue_is_unchanged(field_app, tmp_path):
    before = DEFAULT_PATH.read_bytes()
    client, token = _signed_in(field_app)
    answer = client.post(f"/agency/positions/{WORST}", data={"csrf_token": token, **_report()})
    assert answer.status_code == 302
    lines = (tmp_path / "field-reviews.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    review = json.loads(lines[0])
    assert review["place_id"] == WORST and review["status"] == "pending"
    assert (review["lat"], review["lon"], review["accuracy_m"]) == (48.95123, 128.41234, 50)
    assert (review["agency"], review["date"], review["note"]) == (
        "Amur Tours",
        "2026-12-06",
        "gate of the village",
    )
    assert DEFAULT_PATH.read_bytes() == before
    page = client.get(f"/agency/positions/{WORST}").get_data(as_text=True)
    assert review["review_id"] in Text(page).text("field-review")


def test_hostile_agency_and_note_are_shown_as_text(field_app):
    client, token = _signed_in(field_app)
    hostile = "<script>alert(1)</script>{{ 7*7 }}"
    report = _report(agency=hostile, note=hostile)
    client.post(f"/agency/positions/{WORST}", data={"csrf_token": token, **report})
    page = client.get(f"/agency/positions/{WORST}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert hostile in Text(page).text("field-review")


def test_control_characters_and_line_breaks_leave_the_agency_name(field_app, tmp_path):
    client, token = _signed_in(field_app)
    report = _report(agency="Amur\n Tours\u202e\x07", note="gate\r\nleft\u202e")
    client.post(f"/agency/positions/{WORST}", data={"csrf_token": token, **report})
    saved = json.loads((tmp_path / "field-reviews.jsonl").read_text(encoding="utf-8"))
    assert saved["agency"] == "Amur Tours"
    assert saved["note"] == "gate\nleft"


@pytest.mark.parametrize(
    ("changes", "status", "field_text"),
    [
        ({"lat": "north"}, 400, "enter a number"),
        ({"lat": "95"}, 400, "must be from -90 to 90"),
        ({"date": "6.12.2026"}, 400, "enter a date"),
        ({"agency": " "}, 400, "this field is required"),
        ({"lat": "40.0", "lon": "116.4"}, 422, "outside the region"),
        ({"lat": "50.2700", "lon": "127.5300"}, 422, "across the Amur"),  # Blagoveshchensk
        ({"note": "x" * 501}, 422, "at most 500 characters"),
        ({"date": "2099-01-01"}, 422, "cannot be after today"),
        ({"method": "geolocation", "accuracy_m": "5000"}, 422, "too coarse"),
    ],
)
def test_bad_reports_are_refused_with_the_field_named(
    field_app, tmp_path, changes, status, field_text
):
    client, token = _signed_in(field_app)
    answer = client.post(
        f"/agency/positions/{WORST}", data={"csrf_token": token, **_report(**changes)}
    )
    assert answer.status_code == status
    assert field_text in Text(answer.get_data(as_text=True)).text("field-error")
    assert not (tmp_path / "field-reviews.jsonl").exists()


def test_saving_a_point_needs_csrf(tmp_path):
    app = create_app(
        {
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}",
            "TILES": "none",
            "ADMIN_TOKEN": "s3cret-admin-token-2026",
            "FIELD_REVIEWS_PATH": str(tmp_path / "r.jsonl"),
            "RATELIMIT_ENABLED": False,
        }
    )
    client, token = _signed_in(app)
    answer = client.post(f"/agency/positions/{WORST}", data=_report())
    assert answer.status_code == 400
    assert not (tmp_path / "r.jsonl").exists()


# --- apply-review -------------------------------------------------------------------------------


def _reviews_file(tmp_path: Path, **changes) -> Path:
    review = {
        "review_id": "abc123",
        "place_id": WORST,
        "lat": 48.95123,
        "lon": 128.41234,
        "accuracy_m": 12,
        "method": "geolocation",
        "note": "gate",
        "date": "2026-12-06",
        "agency": "Amur Tours",
        "submitted": "2026-12-06T03:00:00+00:00",
        "status": "pending",
    } | changes
    path = tmp_path / "field-reviews.jsonl"
    path.write_text(json.dumps(review) + "\n", encoding="utf-8")
    return path


def test_apply_review_writes_the_point_source_and_confidence(runner, tmp_path):
    catalogue = tmp_path / "attractions.geojson"
    shutil.copy(DEFAULT_PATH, catalogue)
    reviews = _reviews_file(tmp_path)
    args = ["apply-review", "--file", str(reviews), "--catalogue", str(catalogue)]
    result = runner.invoke(cli, [*args, "--accept", "abc123"])
    assert result.exit_code == 0, result.output
    place = load_catalogue(catalogue).get(WORST)
    assert (place.location.lat, place.location.lon) == (48.95123, 128.41234)
    assert (place.coord_confidence, place.coord_uncertainty_m) == ("field", 12)
    assert place.coord_method == "field check" and not place.is_estimated
    source = place.sources[-1]
    assert source.url == "field-check:Amur Tours"
    assert source.supports == "coordinates: field check by Amur Tours, 2026-12-06"
    assert source.checked.isoformat() == "2026-12-06"
    from planner.data_health import grade_of_url

    assert grade_of_url(source.url) == "field"
    assert json.loads(reviews.read_text())["status"] == "applied"
    check = runner.invoke(cli, ["check-data", "--catalogue", str(catalogue)])
    assert check.exit_code == 0, check.output
    again = runner.invoke(cli, args)  # applied once: a second run changes nothing
    assert again.exit_code == 0 and "no accepted review" in again.output


def test_a_field_point_is_trusted_as_medium_planned_and_said_on_the_place_page(runner, tmp_path):
    from planner.model import confidence_level
    from planner.planning.rules import position_known

    catalogue = tmp_path / "attractions.geojson"
    shutil.copy(DEFAULT_PATH, catalogue)
    reviews = _reviews_file(tmp_path, status="accepted")
    result = runner.invoke(
        cli, ["apply-review", "--file", str(reviews), "--catalogue", str(catalogue)]
    )
    assert result.exit_code == 0, result.output
    place = load_catalogue(catalogue).get(WORST)
    assert confidence_level(place.coord_confidence) == "medium"
    assert position_known(place)  # ±75 km before: kept out of timed plans; now planned
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "TILES": "none",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}",
            "CATALOGUE_PATH": str(catalogue),
        }
    )
    page = app.test_client().get(f"/attractions/{WORST}?lang=en").get_data(as_text=True)
    assert "position checked on the ground (±12 m)" in page
    ru = app.test_client().get(f"/attractions/{WORST}?lang=ru").get_data(as_text=True)
    assert "положение проверено на месте (±12 м)" in ru


def test_apply_review_dry_run_and_pending_reviews_write_nothing(runner, tmp_path):
    catalogue = tmp_path / "attractions.geojson"
    shutil.copy(DEFAULT_PATH, catalogue)
    before = catalogue.read_bytes()
    reviews = _reviews_file(tmp_path)
    args = ["apply-review", "--file", str(reviews), "--catalogue", str(catalogue)]
    pending = runner.invoke(cli, args)
    assert pending.exit_code == 0 and "1 pending" in pending.output
    dry = runner.invoke(cli, [*args, "--accept", "abc123", "--dry-run"])
    assert dry.exit_code == 0 and "dry run" in dry.output and WORST in dry.output
    assert catalogue.read_bytes() == before
    assert json.loads(reviews.read_text())["status"] == "pending"


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("{not json\n", "line 1: not JSON"),
        ('{"review_id": "x"}\n', "field 'place_id' is missing"),
        ("[1, 2]\n", "expected a JSON object"),
    ],
)
def test_a_bad_review_file_is_a_clean_cli_error(runner, tmp_path, content, said):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["apply-review", "--file", str(path)])
    assert result.exit_code == 1
    assert said in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_apply_review_refuses_unknown_place_and_wrong_bank_writing_nothing(runner, tmp_path):
    catalogue = tmp_path / "attractions.geojson"
    shutil.copy(DEFAULT_PATH, catalogue)
    before = catalogue.read_bytes()
    for changes, said in (
        ({"place_id": "no-such-place", "status": "accepted"}, "no place 'no-such-place'"),
        ({"lat": 50.27, "lon": 127.53, "status": "accepted"}, "across the Amur"),
    ):
        reviews = _reviews_file(tmp_path, **changes)
        args = ["apply-review", "--file", str(reviews), "--catalogue", str(catalogue)]
        result = runner.invoke(cli, args)
        assert result.exit_code == 1 and said in result.output, result.output
    assert catalogue.read_bytes() == before


def test_apply_review_of_a_missing_file_or_review_id_is_a_message(runner, tmp_path):
    missing = runner.invoke(cli, ["apply-review", "--file", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    reviews = _reviews_file(tmp_path)
    unknown = runner.invoke(cli, ["apply-review", "--file", str(reviews), "--accept", "zzz"])
    assert unknown.exit_code == 1 and "no review 'zzz'" in unknown.output


def test_a_field_point_far_from_a_point_an_old_source_cites_is_not_written(runner, tmp_path):
    """check-data would fail (a cited point beyond the new ±12 m): the editor resolves it first."""
    catalogue = tmp_path / "attractions.geojson"
    shutil.copy(DEFAULT_PATH, catalogue)
    before = catalogue.read_bytes()
    reviews = _reviews_file(
        tmp_path, place_id="aihui-ancient-town", lat=49.9850, lon=127.4950, status="accepted"
    )
    result = runner.invoke(
        cli, ["apply-review", "--file", str(reviews), "--catalogue", str(catalogue)]
    )
    assert result.exit_code == 1
    assert "aihui-ancient-town" in result.output and "beyond its stated ±12 m" in result.output
    assert catalogue.read_bytes() == before
    assert json.loads(reviews.read_text())["status"] == "accepted"
