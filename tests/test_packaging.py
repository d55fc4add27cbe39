"""`pip install .` ships every package of planner/ and the data, templates, static files and
translations it reads (checked by hand once: a fresh venv, `python -m planner --help`)."""

import tomllib
from pathlib import Path

from planner import resources

ROOT = Path(__file__).resolve().parent.parent


def test_every_python_folder_of_planner_is_a_listed_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "planner").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert "planner.web" in folders
    assert folders <= listed
    shipped = config["tool"]["setuptools"]["package-dir"]
    assert sorted(shipped.values()) == ["data", "static", "templates", "translations"]


def test_a_checkout_reads_its_own_data_and_templates():
    assert resources.IN_CHECKOUT
    assert resources.DATA == ROOT / "data"
    assert (resources.TEMPLATES / "about_data.html").is_file()


def test_the_runtime_dependencies_are_those_pinned_in_requirements():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = {
        d.split("[")[0].split("~")[0].split(">")[0].split("=")[0].split("<")[0].lower()
        for d in config["project"]["dependencies"]
    }
    pins = {
        line.split("==")[0].split("[")[0].lower()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line
    }
    assert len(names) > 20
    assert names <= pins
