"""Amur Twin Cities Planner: trip planning across Heihe and Blagoveshchensk."""

__version__ = "0.1.0"
