"""Validation: each broken copy of the catalogue fails with the file, the feature and the field."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.catalogue import DEFAULT_PATH, CatalogueError, load_catalogue
from planner.commands.check_data import command as check_data

ORIGINAL = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def _feature(data: dict, ident: str) -> dict:
    return next(f for f in data["features"] if f["properties"]["id"] == ident)


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "broken.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _problems(tmp_path: Path, mutate) -> tuple[Path, list[str]]:
    data = copy.deepcopy(ORIGINAL)
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert str(path) in str(info.value)
    return path, list(info.value.problems)


def _props(ident: str):
    def get(data: dict) -> dict:
        return _feature(data, ident)["properties"]

    return get


MUSEUM = _props("aihui-history-museum")
ARCH = _props("triumphal-arch")


def _set(getter, key, value):
    def mutate(data):
        getter(data)[key] = value

    return mutate


def _delete(getter, key):
    def mutate(data):
        del getter(data)[key]

    return mutate


def _move(ident, lon, lat):
    def mutate(data):
        _feature(data, ident)["geometry"]["coordinates"] = [lon, lat]

    return mutate


CASES = [
    # (what, mutation, feature id, field, words in the message)
    (
        "wrong type",
        _set(MUSEUM, "visit_minutes", "two hours"),
        "aihui-history-museum",
        "visit_minutes",
        "whole number",
    ),
    ("missing field", _delete(ARCH, "name:ru"), "triumphal-arch", "name:ru", "missing"),
    (
        "latitude out of range",
        _move("triumphal-arch", 127.52, 95.0),
        "triumphal-arch",
        "geometry",
        "latitude",
    ),
    (
        "longitude out of range",
        _move("triumphal-arch", 190.0, 50.25),
        "triumphal-arch",
        "geometry",
        "longitude",
    ),
    (
        "heihe place on the russian bank",
        _move("aihui-history-museum", 127.52458, 50.25606),
        "aihui-history-museum",
        "geometry",
        "lies in Russia, across the Amur",
    ),
    (
        "russian place on big heihe island",
        _move("triumphal-arch", 127.509961, 50.248557),
        "triumphal-arch",
        "geometry",
        "lies in China, across the Amur",
    ),
    (
        "unparsable opening_hours",
        _set(ARCH, "opening_hours", "Mo-Fr 25:00-26:99"),
        "triumphal-arch",
        "opening_hours",
        "cannot parse",
    ),
    (
        "hours without a source",
        # The Aihui museum's hours are sourced since issue 16: a museum without an hours source.
        _set(_props("overseas-chinese-in-russia-memorial"), "opening_hours", "Tu-Su 09:00-17:00"),
        "overseas-chinese-in-russia-memorial",
        "opening_hours",
        "no source",
    ),
    (
        "price without a source",
        _set(_props("heihe-aihui-airport"), "price", 10),
        "heihe-aihui-airport",
        "price",
        "no source",
    ),
    ("unknown city", _set(ARCH, "city", "harbin"), "triumphal-arch", "city", "unknown value"),
    ("unknown kind", _set(ARCH, "kind", "shop"), "triumphal-arch", "kind", "unknown value"),
    (
        "unknown confidence",
        _set(ARCH, "coord_confidence", "exact"),
        "triumphal-arch",
        "coord_confidence",
        "unknown value",
    ),
    (
        "estimate without method",
        _set(_props("victory-square"), "coord_method", ""),
        "victory-square",
        "coord_method",
        "estimated",
    ),
    (
        "estimate without uncertainty",
        _set(_props("victory-square"), "coord_uncertainty_m", 0),
        "victory-square",
        "coord_uncertainty_m",
        "uncertainty",
    ),
    ("no sources", _set(ARCH, "sources", []), "triumphal-arch", "sources", "non-empty"),
    (
        "source without a date",
        lambda d: ARCH(d)["sources"][0].pop("checked"),
        "triumphal-arch",
        "sources[0].checked",
        "missing",
    ),
    (
        "source with a bad date",
        lambda d: ARCH(d)["sources"][0].update(checked="29.11.2026"),
        "triumphal-arch",
        "sources[0].checked",
        "ISO date",
    ),
    (
        "source that does not say what it supports",
        lambda d: ARCH(d)["sources"][0].update(supports="a travel blog about the city"),
        "triumphal-arch",
        "sources[0].supports",
        "cannot tell what 'a travel blog about the city' supports",
    ),
    (
        "hours whose only source is not used for them",
        lambda d: MUSEUM(d).update(
            sources=[
                {**s, "supports": "hours (not used, undated): 09:10-16:00; price: free"}
                if s["supports"].startswith("hours")
                else s
                for s in MUSEUM(d)["sources"]
            ],
        ),
        "aihui-history-museum",
        "opening_hours",
        "no source supports the hours",
    ),
    (
        "coordinates named only as what a source is not",
        lambda d: ARCH(d).update(
            sources=[
                {**s, "supports": "reference point of the city (not the arch's coordinates)"}
                if "coordinates" in s["supports"]
                else s
                for s in ARCH(d)["sources"]
            ]
        ),
        "triumphal-arch",
        "sources",
        "coordinates",
    ),
    (
        "coordinates without a source",
        lambda d: ARCH(d).update(
            sources=[s for s in ARCH(d)["sources"] if "coordinates" not in s["supports"]]
        ),
        "triumphal-arch",
        "sources",
        "coordinates",
    ),
    ("wrong currency", _set(ARCH, "currency", "CNY"), "triumphal-arch", "currency", "RUB"),
    ("months out of range", _set(ARCH, "months", [0, 13]), "triumphal-arch", "months", "1-12"),
    (
        "popularity out of range",
        _set(ARCH, "popularity", 11),
        "triumphal-arch",
        "popularity",
        "out of range",
    ),
    ("tag that is not text", _set(ARCH, "tourism", 3), "triumphal-arch", "tourism", "text"),
    (
        "note with a blank language",
        _set(ARCH, "note", {"zh": " ", "ru": "Арка", "en": "The arch"}),
        "triumphal-arch",
        "note",
        "zh must not be empty",
    ),
]


@pytest.mark.parametrize(
    ("mutation", "ident", "field", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_broken_copy_names_file_feature_and_field(tmp_path, mutation, ident, field, words):
    path, problems = _problems(tmp_path, mutation)
    matching = [p for p in problems if f"'{ident}'" in p and f"field '{field}'" in p]
    assert matching, problems
    assert any(words in p for p in matching), matching
    assert all(p.startswith(str(path)) for p in problems)


def test_duplicate_ids_are_reported(tmp_path):
    def mutate(data):
        data["features"].append(copy.deepcopy(_feature(data, "triumphal-arch")))

    _, problems = _problems(tmp_path, mutate)
    assert any("'triumphal-arch'" in p and "field 'id'" in p and "duplicate" in p for p in problems)


def test_feature_without_id_is_named_by_index(tmp_path):
    def mutate(data):
        del data["features"][0]["properties"]["id"]

    _, problems = _problems(tmp_path, mutate)
    assert any("feature at index 0" in p and "field 'id'" in p for p in problems)


def test_all_problems_are_collected_not_just_the_first(tmp_path):
    def mutate(data):
        _set(ARCH, "city", "harbin")(data)
        _set(MUSEUM, "opening_hours", "nonsense")(data)
        _move("lenin-square", 127.5, 91.0)(data)

    _, problems = _problems(tmp_path, mutate)
    assert len(problems) >= 3
    text = "\n".join(problems)
    assert "'triumphal-arch'" in text and "'aihui-history-museum'" in text
    assert "'lenin-square'" in text


def test_invalid_json_names_the_file(tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueError, match="bad.geojson"):
        load_catalogue(path)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(CatalogueError, match="nowhere.geojson"):
        load_catalogue(tmp_path / "nowhere.geojson")


def test_check_data_exits_0_on_the_shipped_data():
    result = CliRunner().invoke(check_data, [])
    assert result.exit_code == 0, result.output
    assert "heihe:" in result.output and "blagoveshchensk:" in result.output
    assert "check-data: OK" in result.output


def test_check_data_exits_1_and_lists_every_problem(tmp_path):
    data = copy.deepcopy(ORIGINAL)
    _set(ARCH, "city", "harbin")(data)
    _move("aihui-history-museum", 127.52458, 50.25606)(data)
    path = _write(tmp_path, data)
    result = CliRunner().invoke(check_data, ["--path", str(path)])
    assert result.exit_code == 1
    assert "'triumphal-arch'" in result.output and "'aihui-history-museum'" in result.output
    assert "Traceback" not in result.output
