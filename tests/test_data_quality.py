"""Measurable targets of the shipped catalogue (issue #11): positions, groups, day trips."""

from __future__ import annotations

import pytest

from planner.browse import Filters, filter_attractions
from planner.catalogue import Catalogue, group_of, load_catalogue
from planner.data_health import contradicted_radii, shared_estimated_points

VISITABLE = ("attraction", "day_trip", "event")
POSITION_KNOWN_M = 1000  # beyond this the planner treats a position as unknown


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _to_visit(catalogue: Catalogue):
    return [a for a in catalogue.attractions if a.kind in VISITABLE]


def test_no_two_places_share_an_estimated_point(catalogue):
    # An event held at another place (its `venue` tag) may share that place's point; anything
    # else on one identical point must be a located object (issue 16: the embankment's point
    # was shared by four places).
    assert shared_estimated_points(catalogue.attractions) == []


def test_no_cited_point_contradicts_a_stated_radius(catalogue):
    cited = [a for a in catalogue.attractions if any(s.point for s in a.sources)]
    assert len(cited) >= 8  # the points of issue 16's audit are recorded in the sources
    assert contradicted_radii(catalogue.attractions) == []


def test_venues_name_existing_places(catalogue):
    assert any("venue" in a.tags for a in catalogue.attractions), "some places have a venue"
    for a in catalogue.attractions:
        venue = a.tags.get("venue")
        if venue is not None:
            assert venue in catalogue and venue != a.id, a.id


def test_heihe_places_within_a_kilometre_have_a_sourced_point(catalogue):
    assert any(
        a.city == "heihe" and a.coord_uncertainty_m <= POSITION_KNOWN_M
        for a in _to_visit(catalogue)
    ), "some Heihe places are known within a kilometre"
    for a in _to_visit(catalogue):
        if a.city != "heihe" or a.coord_uncertainty_m > POSITION_KNOWN_M:
            continue
        assert not a.is_estimated, a.id
        assert any("coordinates" in s.supports.lower() for s in a.sources), a.id


def test_other_group_holds_under_five_percent_of_places_to_visit(catalogue):
    places = _to_visit(catalogue)
    other = [a.id for a in places if group_of(a) == "other"]
    assert len(other) / len(places) < 0.05, other


def test_shopping_filter_returns_at_least_a_handful(catalogue):
    # Five sourced shopping places today (see docs/data.md); raise the bar as more are sourced.
    shopping = filter_attractions(catalogue.attractions, Filters(group="shopping"))
    assert len(shopping) >= 5


def test_return_distances_are_only_on_day_trips(catalogue):
    assert any("return_km" in a.tags for a in catalogue.attractions), "some return distances"
    for a in catalogue.attractions:
        if "return_km" in a.tags:
            assert a.kind == "day_trip" and a.tags["return_km"] >= 0, a.id
            assert any("return_km" in s.supports for s in a.sources), a.id


def test_renamed_ids_are_spelt_in_pinyin(catalogue):
    assert "honghegu-ski-resort" in catalogue and "hongyegu-ski-resort" not in catalogue
    assert "woniu-lake-resort" in catalogue and "wuniu-lake-resort" not in catalogue


def test_no_position_resting_only_on_tertiary_sources_is_above_low():
    """Issue #11: a fact resting only on wikis, guides or repositories is `low`."""
    from planner.data_health import grade_of_url

    places = load_catalogue().attractions
    assert any("coordinate" in s.supports.lower() for p in places for s in p.sources)
    for place in places:
        sources = [s for s in place.sources if "coordinate" in s.supports.lower()]
        if sources and all(grade_of_url(s.url) == "tertiary" for s in sources):
            assert place.coord_confidence in ("low", "estimated"), place.id
