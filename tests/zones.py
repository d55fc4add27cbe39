"""The shipped region's two clocks, for tests that build times by hand (data/region.json)."""

from planner.timeutil import city_zone

HEIHE_TZ = city_zone("heihe")
BLAGOVESHCHENSK_TZ = city_zone("blagoveshchensk")
