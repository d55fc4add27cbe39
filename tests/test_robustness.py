"""Bad input never gives a 500 or a traceback; broken data is the operator's 503, not a 400."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict

from planner.catalogue import DEFAULT_PATH, CatalogueError, load_catalogue
from planner.cli import cli
from planner.web import create_app

READ: set[str] = set()  # the query parameters the routes have read


class _RecordingArgs(ImmutableMultiDict):
    """request.args that notes which parameters a route reads, so the edge test spends its
    requests on those (a route never reads the others, whatever their value)."""

    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        READ.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        READ.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        READ.add(key)
        return super().__contains__(key)

    def _all(self):
        READ.update(super().keys())

    def __iter__(self):
        self._all()
        return super().__iter__()

    def items(self, multi=False):
        self._all()
        return super().items(multi)

    def to_dict(self, flat=True):
        self._all()
        return super().to_dict(flat)


class _NoPlaces:
    """A geocoder that finds nothing (without one, /api/v1/geocode is a documented 503)."""

    def search(self, query: str, language: str = "en") -> list:
        return []


APP = create_app({"TESTING": True, "SECRET_KEY": "test-only", "GEOCODER": _NoPlaces()})
APP.request_class.parameter_storage_class = _RecordingArgs

PARAM_NAMES = [
    "from",
    "after",
    "until",
    "nationality",
    "limit",
    "party",
    "visa",
    "date",
    "city",
    "group",
    "kind",
    "q",
    "lang",
]
EDGE_VALUES = [
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00+08:00",
    "9999-12-31T23:59-05:00",
    "9999-12-31T23:59:59.999999+14:00",
    "2027-01-20T09:00+08:00",
    "2027-01-20T09:00",
    "heihe",
    "blagoveshchensk",
    "RU",
    "CN",
    "XX",
    "-1",
    "0",
    "99999999999999999999",
    "",
    "{{7*7}}",
    "<script>",
    "\x00",
]
# A valid query that every route accepts; each example keeps some of it and spoils the rest, so
# the fuzzing reaches the code behind the required parameters, not only the "missing" errors.
VALID = {
    "from": "heihe",
    "after": "2027-01-20T09:00+08:00",
    "nationality": "RU",
    "party": "2",
    "date": "2027-01-20",
    "city": "heihe",
    "lang": "zh",
}
values = st.one_of(st.sampled_from(EDGE_VALUES), st.text(max_size=30))
queries = st.builds(
    lambda kept, spoiled: {**{k: VALID[k] for k in kept}, **spoiled},
    st.sets(st.sampled_from(sorted(VALID))),
    st.dictionaries(
        st.one_of(st.sampled_from(PARAM_NAMES), st.text(max_size=8)), values, max_size=4
    ),
)


def _get_rules() -> list[str]:
    return sorted(
        rule.rule
        for rule in APP.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    )


def _path(rule: str, value: str) -> str:
    segment = quote(value, safe="")
    for name in ("<attraction_id>", "<id>"):
        rule = rule.replace(name, segment)
    return rule


@pytest.mark.parametrize("rule", _get_rules())
def test_no_route_answers_5xx_when_one_parameter_is_at_an_edge(rule):
    """Every parameter the route reads, one at a time, at every edge value, on an otherwise
    valid query; a parameter first read under an edge value is tried too."""
    client = APP.test_client()
    READ.clear()
    client.get(_path(rule, "x"), query_string=VALID).close()
    tried: set[str] = set()
    while todo := sorted((READ & set(PARAM_NAMES)) - tried) or (["lang"] if not tried else []):
        for name in todo:
            tried.add(name)
            for value in EDGE_VALUES:
                query = {**VALID, name: value}
                response = client.get(_path(rule, value or "x"), query_string=query)
                response.close()
                assert response.status_code < 500, (rule, query)
    assert tried  # the loop ran: at least the reader's language was tried


def test_the_edge_test_sees_which_parameters_a_route_reads():
    READ.clear()
    APP.test_client().get("/api/v1/crossings", query_string=VALID).close()
    assert {"from", "after", "nationality"} <= READ


@pytest.mark.parametrize("rule", _get_rules())
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=queries, path_value=st.text(min_size=1, max_size=20))
def test_no_route_answers_5xx_to_any_query(rule, query, path_value):
    path = _path(rule, path_value)
    response = APP.test_client().get(path, query_string=query)
    body = response.get_data(as_text=True)[:300]
    response.close()
    assert response.status_code < 500, (path, query, body)


@pytest.mark.parametrize(
    "after", ["0001-01-01T00:00+08:00", "9999-12-31T23:59-05:00", "9999-12-31T23:59+09:00"]
)
def test_crossings_api_rejects_dates_at_the_calendar_edge_with_400(client, after):
    response = client.get(
        "/api/v1/crossings", query_string={"from": "heihe", "after": after, "nationality": "RU"}
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["ok"] is False and "out of range" in body["error"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_crossing_page_explains_a_date_at_the_calendar_edge(client, day):
    response = client.get("/crossing", query_string={"date": day})
    assert response.status_code == 400  # an invalid query, explained
    assert "out of range" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "args",
    [
        [
            "crossings",
            "--from",
            "heihe",
            "--nationality",
            "RU",
            "--after",
            "9999-12-31T23:59-05:00",
        ],
        ["crossings", "--from", "heihe", "--nationality", "RU", "--after", "0001-01-01T00:00+08"],
        [
            "plan",
            "--arrive",
            "9999-12-30T09:00+08:00",
            "--depart",
            "9999-12-31T18:00+08:00",
            "--stay",
            "heihe",
        ],
    ],
)
def test_cli_rejects_dates_at_the_calendar_edge_with_a_message(runner, args):
    result = runner.invoke(cli, args)
    assert result.exit_code != 0
    assert "out of range" in result.output
    assert "Traceback" not in result.output


def test_api_keeps_the_documented_key_order(client):
    first = client.get("/api/v1/attractions?city=heihe").get_json(force=True)
    raw = client.get("/api/v1/attractions?city=heihe").get_data(as_text=True)
    assert raw.startswith('{"ok":true,"type":"FeatureCollection","features":')
    assert list(first) == ["ok", "type", "features"]
    error = client.get("/api/v1/attractions?city=harbin").get_data(as_text=True)
    assert error.startswith('{"ok":false,"error":')


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    response.close()
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)


def _broken_copy(tmp_path):
    path = tmp_path / "catalogue.geojson"
    shutil.copy(DEFAULT_PATH, path)
    return path


def test_broken_catalogue_stops_the_app_at_start_naming_file_feature_and_field(tmp_path):
    path = _broken_copy(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    feature = data["features"][3]
    feature["properties"]["visit_minutes"] = "long"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        create_app({"TESTING": True, "SECRET_KEY": "x", "CATALOGUE_PATH": str(path)})
    message = str(info.value)
    assert "catalogue.geojson" in message
    assert feature["properties"]["id"] in message
    assert "visit_minutes" in message


def test_data_broken_while_running_is_a_503_without_server_paths(tmp_path):
    path = _broken_copy(tmp_path)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "CATALOGUE_PATH": str(path)})
    client = app.test_client()
    assert client.get("/api/v1/attractions").status_code == 200
    path.write_text("{ not json", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    response = client.get("/api/v1/attractions")
    assert response.status_code == 503
    body = response.get_json()
    assert body == {"ok": False, "error": "data unavailable", "status": 503}
    page = client.get("/attractions")
    assert page.status_code == 503
    assert str(tmp_path) not in page.get_data(as_text=True)


def _one_line_error(result, *words: str) -> None:
    """A non-zero exit with one line of message, never an exception's traceback."""
    assert result.exit_code not in (0, None), result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.output.startswith("Error: ") or "\nError: " in result.output, result.output
    assert sum(line.startswith("Error") for line in result.output.splitlines()) == 1
    for word in words:
        assert word in result.output


@pytest.mark.parametrize(
    "url, reason",
    [
        ("nope://x", "Can't load plugin"),
        ("sqlite:////etc/passwd", "not a database"),
        ("::::", "Could not parse"),
    ],
)
def test_export_and_batch_name_a_database_they_cannot_open_in_one_line(
    runner, tmp_path, monkeypatch, url, reason
):
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    result = runner.invoke(cli, ["export", "abc", "--format", "gpx"])
    _one_line_error(result, "cannot open the database", reason)
    source = tmp_path / "groups.csv"
    source.write_text("title,arrive,depart,stay\n", encoding="utf-8")
    args = ["batch", str(source), "--out", str(tmp_path / "out"), "--database", url]
    _one_line_error(runner.invoke(cli, args), "cannot open the database", reason)


def test_export_to_a_file_it_cannot_write_is_one_line(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    from planner.plans import Planner
    from planner.storage import open_store

    store = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    body = {"arrive": "2027-07-10T09:00+08:00", "depart": "2027-07-10T20:00+08:00", "stay": "heihe"}
    plan, _ = Planner(store, load_catalogue(), time_limit=60).create(body)
    for target in (tmp_path / "no-such-folder" / "plan.gpx", Path("/proc/version")):
        result = runner.invoke(cli, ["export", plan.id, "--format", "gpx", "--out", str(target)])
        _one_line_error(result, str(target))


def test_batch_into_a_folder_it_cannot_make_is_one_line(runner, tmp_path):
    source = tmp_path / "groups.csv"
    source.write_text(
        "title,arrive,depart,stay\nA,2027-07-10T09:00+08:00,2027-07-10T20:00+08:00,heihe\n",
        encoding="utf-8",
    )
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    db = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    args = ["batch", str(source), "--out", str(blocker / "out"), "--database", db]
    args += ["--time-limit", "0.05"]
    _one_line_error(runner.invoke(cli, args), str(blocker))


BAD_SECONDS = ["nan", "inf", "-inf", "-1", "0", "NaN", "1e999", "soon"]


@pytest.mark.parametrize("value", BAD_SECONDS)
def test_a_time_limit_that_is_not_a_finite_positive_number_is_refused(runner, tmp_path, value):
    c101 = str(Path(__file__).resolve().parent.parent / "bench/instances/c101.txt")
    trip = ["--arrive", "2027-07-10T09:00+08:00", "--depart", "2027-07-11T18:00+08:00"]
    source = tmp_path / "groups.csv"
    source.write_text("title,arrive,depart,stay\n", encoding="utf-8")
    for args in (
        ["solve-toptw", c101],
        ["plan", *trip, "--stay", "heihe"],
        ["batch", str(source), "--out", str(tmp_path / "o")],
    ):
        result = runner.invoke(cli, [*args, "--time-limit", value])
        assert result.exit_code == 2 and "--time-limit" in result.output, result.output


@pytest.mark.parametrize(
    "args", [["--routes", "99999999999999999999"], ["--routes", "0"], ["--seed", "-5"]]
)
def test_solve_toptw_refuses_numbers_out_of_range_in_one_line(runner, args):
    c101 = str(Path(__file__).resolve().parent.parent / "bench/instances/c101.txt")
    result = runner.invoke(cli, ["solve-toptw", c101, "--time-limit", "0.05", *args])
    assert result.exit_code == 2 and args[0] in result.output
    assert isinstance(result.exception, SystemExit)


def test_max_runtime_refuses_nan_seconds():
    from planner.solver import MaxRuntime

    with pytest.raises(ValueError, match="non-negative"):
        MaxRuntime(float("nan"))
