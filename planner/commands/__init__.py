"""Sub-commands of `python -m planner`; each module exposes a click `command`."""
