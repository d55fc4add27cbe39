"""Where the shipped files are: data/, templates/, static/ and translations/ sit beside the
package in a checkout, and inside it (planner/_shipped/) when installed with `pip install .`.

Every module finds them through this one root instead of counting `.parent`s from its own file.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = Path(str(files("planner")))
_CHECKOUT = PACKAGE.parent
IN_CHECKOUT = (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "data").is_dir()

# The root of data/, templates/, static/ and translations/.
ROOT = _CHECKOUT if IN_CHECKOUT else PACKAGE / "_shipped"
DATA = ROOT / "data"
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
TRANSLATIONS = ROOT / "translations"
# Secrets and the SQLite files: the checkout's instance/, else instance/ in the working folder
# (an installed package's folder is no place to write).
INSTANCE = _CHECKOUT / "instance" if IN_CHECKOUT else Path.cwd() / "instance"
