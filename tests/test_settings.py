"""Every setting is declared once in planner/settings.py and documented in README.md's table
(Datasette checks its settings against its docs the same way)."""

import re
import subprocess
from pathlib import Path

from planner import settings

ROOT = Path(__file__).resolve().parent.parent


def _documented() -> list[str]:
    """The names in the first column of README.md's configuration table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names = []
    for line in section.splitlines():
        if line.startswith("| `"):
            names += re.findall(r"`([A-Z_]+)`", line.split("|")[1])
    return names


def test_every_setting_is_documented_in_the_readme_once():
    documented = _documented()
    assert len(documented) > 30
    assert sorted(documented) == sorted(set(documented)), "a setting has two rows"
    assert set(documented) == set(settings.BY_NAME)


def test_no_module_but_the_registry_reads_the_environment():
    found = subprocess.run(
        ["grep", "-rlE", r"os\.environ|getenv", str(ROOT / "planner"), "--include=*.py"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    assert [Path(p).name for p in found] == ["settings.py"]


def test_an_undeclared_setting_is_refused_by_name():
    try:
        settings.value("PLANNER_NO_SUCH_THING")
    except KeyError as exc:
        assert "PLANNER_NO_SUCH_THING" in str(exc)
    else:
        raise AssertionError("an undeclared setting was read")


def test_settings_from_the_environment_are_parsed_as_flask_did():
    config = settings.from_environ(
        {"PLANNER_PROXIES": "1", "PLANNER_TILE_URL": "https://t/{z}", "PLANNER_UNKNOWN": "x"}
    )
    assert config == {"PROXIES": 1, "TILE_URL": "https://t/{z}"}


def test_the_database_defaults_to_sqlite_in_the_instance_folder():
    assert settings.database_url(Path("/srv/i"), {}) == "sqlite:////srv/i/planner.sqlite3"
    url = "postgresql://db/p"
    assert settings.database_url(Path("/srv/i"), {"PLANNER_DATABASE_URL": url}) == url


def test_the_data_dir_setting_moves_every_region_file(monkeypatch, tmp_path):
    from planner import region
    from planner.resources import DATA

    assert region.data_file("crossing.json") == DATA / "crossing.json"
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    assert region.data_dir() == tmp_path.resolve()
    assert region.data_file("crossing.json") == tmp_path.resolve() / "crossing.json"
    # The world-wide passport table is shared: without a copy the shipped one is read.
    assert region.data_file("passport_index.csv") == DATA / "passport_index.csv"
