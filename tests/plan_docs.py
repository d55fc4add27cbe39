"""Small plan documents built from the model, for tests of what reads a saved plan."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from planner.model import LocalizedName
from planner.plan_document import Day, PlanDocument, Stop
from tests.zones import HEIHE_TZ

DAY_ONE = date(2027, 7, 10)


def _stop(pid: str, when: date, clock: str) -> Stop:
    arrive = datetime.combine(when, time.fromisoformat(clock), HEIHE_TZ)
    return Stop(
        attraction_id=pid,
        name=LocalizedName(zh=pid, ru=pid, en=pid.title()),
        city="heihe",
        arrive=arrive,
        depart=arrive + timedelta(minutes=30),
        zone="Asia/Shanghai",
    )


def document_of(*days: list[tuple[str, str]]) -> PlanDocument:
    """A plan of days in Heihe from DAY_ONE, each with its (place id, arrival 'HH:MM') stops
    (the place's names are its id, in English title-cased)."""
    out = []
    for index, stops in enumerate(days):
        when = DAY_ONE + timedelta(days=index)
        out.append(
            Day(
                date=when,
                city_start="heihe",
                city_end="heihe",
                start=datetime.combine(when, time(8), HEIHE_TZ),
                end=datetime.combine(when, time(20), HEIHE_TZ),
                stops=[_stop(pid, when, clock) for pid, clock in stops],
            )
        )
    return PlanDocument(days=out)
