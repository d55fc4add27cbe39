"""`python -m planner geocode`: candidates for estimated places, with a fake geocoder."""

from __future__ import annotations

import json
from dataclasses import dataclass

from click.testing import CliRunner

from planner.catalogue import DEFAULT_PATH, load_catalogue
from planner.cli import cli
from planner.commands import geocode


@dataclass
class FakeLocation:
    latitude: float
    longitude: float
    address: str = "fake address"


class FakeGeocoder:
    """Answers every query with a point 1 km north of Heihe's centre; records the queries."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, query: str) -> FakeLocation | None:
        self.asked.append(query)
        if "nothing" in query:
            return None
        return FakeLocation(50.2545, 127.5290)


def test_only_estimated_places_are_looked_up_in_both_scripts():
    catalogue = load_catalogue()
    fake = FakeGeocoder()
    proposals = geocode.propose(catalogue.attractions, fake)
    estimated = [a for a in catalogue.attractions if a.is_estimated]
    assert [p["id"] for p in proposals] == [a.id for a in estimated]
    place = catalogue.get("central-street")
    assert place.address in fake.asked
    assert f"{place.name.zh}, 黑河市" in fake.asked and f"{place.name.ru}, Хэйхэ" in fake.asked
    sourced = catalogue.get("amur-regional-museum")
    assert not any(sourced.name.ru in q for q in fake.asked)


def test_candidates_carry_the_geodesic_distance_to_the_current_point():
    catalogue = load_catalogue()
    place = catalogue.get("central-street")
    (proposal,) = geocode.propose([place], FakeGeocoder())
    candidate = proposal["candidates"][0]
    assert candidate["lat"] == 50.2545 and candidate["lon"] == 127.529
    assert candidate["distance_km"] >= 0
    assert candidate["within_uncertainty"] == (
        candidate["distance_km"] * 1000 <= place.coord_uncertainty_m
    )


def test_command_writes_a_review_file_and_never_the_catalogue(tmp_path, monkeypatch):
    fake = FakeGeocoder()
    made = {}

    def factory(service, user_agent, min_delay):
        made.update(service=service, user_agent=user_agent, min_delay=min_delay)
        return fake

    monkeypatch.setattr(geocode, "make_geocoder", factory)
    monkeypatch.setenv("PLANNER_GEOCODER", "photon")
    before = DEFAULT_PATH.read_bytes()
    out = tmp_path / "review.json"
    result = CliRunner().invoke(
        cli, ["geocode", "-o", str(out), "--id", "central-street", "--min-delay", "0"]
    )
    assert result.exit_code == 0, result.output
    assert DEFAULT_PATH.read_bytes() == before
    review = json.loads(out.read_text(encoding="utf-8"))
    assert [p["id"] for p in review["places"]] == ["central-street"]
    assert made["service"] == "photon" and "amur-twin-cities-planner" in made["user_agent"]


def test_command_refuses_to_write_over_the_catalogue(monkeypatch):
    monkeypatch.setattr(geocode, "make_geocoder", lambda *a: FakeGeocoder())
    result = CliRunner().invoke(cli, ["geocode", "-o", str(DEFAULT_PATH)])
    assert result.exit_code != 0 and "catalogue" in result.output


def test_unknown_id_is_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setattr(geocode, "make_geocoder", lambda *a: FakeGeocoder())
    result = CliRunner().invoke(cli, ["geocode", "--id", "no-such-place"])
    assert result.exit_code != 0 and "no-such-place" in result.output
