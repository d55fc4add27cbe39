"""Amur Twin Cities Planner: trip planning across a pair of border cities (data/region.json)."""

__version__ = "0.1.0"
