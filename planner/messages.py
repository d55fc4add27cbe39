"""Messages the core hands to the adapters: a code with parameters, rendered to words at the edge.

Pure Python (no Flask). The core never builds a sentence a user reads: it returns a `Message`,
and the web, API and command line call `render(message, gettext)` in the traveller's language.
Code filters on `message.code`, never on text. Every template below is wrapped in `N_()` so that
`pybabel extract -k N_` puts it in the catalogues (see the Makefile's translations-update).
Texts that come from the data file (notes, rule titles) travel in params as `LocalizedName`
(zh, ru, en) and are shown in the reader's language, like names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Union

from babel.dates import format_skeleton
from babel.lists import format_list

from planner import region
from planner.languages import list_separator
from planner.model import LocalizedName
from planner.timeutil import city_zone
from planner.wording import babel_locale, country_name, iso_in_words, month_days, number_text

# A parameter: a plain value, a nested message (rendered in the same language), or several.
Param = Union[
    str, int, float, bool, None, "Message", LocalizedName, tuple["Message | LocalizedName", ...]
]


def N_(text: str) -> str:
    """Mark a string for extraction without translating it here."""
    return text


@dataclass(frozen=True)
class Message:
    """A reason or warning: a stable `code` plus the values its sentence needs."""

    code: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __hash__(self) -> int:  # params is a dict, so hash its items (messages are deduplicated)
        return hash((self.code, tuple(sorted(self.params.items()))))


TEMPLATES: dict[str, str] = {
    # the agency's meeting point (planner/agency.py: meeting_point_notices)
    "meeting_point_other_bank": N_(
        "The group's meeting point, %(place)s, is in %(city)s, but its first crossing leaves "
        "from %(checkpoint)s in %(from_city)s: choose a meeting point on that bank"
    ),
    "meeting_point_far": N_(
        "The group's meeting point, %(place)s, is %(km)s km from %(checkpoint)s, where its "
        "first crossing leaves: allow time to get there, or meet nearer"
    ),
    # why a plan has no PDF (planner.printing: the print-size caps and the render's bounds)
    "pdf_too_many_days": N_("a PDF holds at most %(max)s days; this plan has %(count)s"),
    "pdf_too_many_passengers": N_(
        "a PDF holds at most %(max)s passengers; this plan has %(count)s"
    ),
    "pdf_notes_too_long": N_(
        "a PDF holds notes of at most %(max)s characters; this plan's notes have %(count)s"
    ),
    "pdf_took_too_long": N_("the PDF could not be made within %(seconds)s seconds"),
    "pdf_too_large": N_("the PDF would be larger than %(mb)s MB"),
    # why there is no option (reasons)
    "entry_not_permitted": N_(
        "entry to %(country)s is not permitted for citizens of %(nationality)s on %(day)s "
        "without a visa: %(details)s. Declare a visa for %(country)s to see the options"
    ),
    "no_visa_free_rule": N_("no visa-free rule for citizens of %(nationality)s"),
    "entry_rule_does_not_apply": N_("%(title)s; note: %(note)s"),
    "entry_rule_party_size": N_("%(title)s: needs a party of %(min)s to %(max)s"),
    "entry_rule_not_yet": N_("%(title)s: not in force before %(start)s"),
    "entry_rule_ended": N_("%(title)s ended %(end)s: %(after)s"),
    "mode_not_in_service": N_("%(mode)s: not in service (%(status)s)"),
    "mode_not_running": N_("%(mode)s: not running on %(day)s (%(season)s)"),
    "season_dates": N_("season %(start)s to %(end)s"),
    "season_open_ended": N_("season from %(start)s, no end date"),
    "season_none_dated": N_("no dated season covers this day"),
    "season_typical": N_("typical season %(periods)s, estimated"),
    "timetable_unknown": N_("%(mode)s from %(city)s: timetable unknown (%(note)s)"),
    "checkpoint_closed": N_("%(mode)s: check-point closed: %(reason)s (%(start)s to %(end)s)"),
    "holiday_closure": N_(
        "%(mode)s: closed for a public holiday: %(reason)s (%(start)s to %(end)s)"
    ),
    "holiday_closure_estimated": N_(
        "%(mode)s: closed for a public holiday: Chinese New Year (Spring Festival), estimated "
        "%(start)s to %(end)s from the lunar calendar (no published notice yet: verify)"
    ),
    "no_more_crossings_today": N_(
        "no more crossings from %(city)s on %(day)s after %(after)s: the last was the "
        "%(last_mode)s at %(last_time)s; the next options are the next morning"
    ),
    # why a request cannot be planned (PlanningError)
    "refused_departure_before_arrival": N_("the departure must be after the arrival"),
    "refused_trip_too_long": N_("trips longer than 14 days are not supported"),
    "entry_hint_visa": N_(
        "%(country)s: your passport needs a visa there (or a group tour); tick it above if you "
        "hold one"
    ),
    "refused_edit_drops": N_(
        "this change would drop %(place)s (%(reason)s); the plan stays as it was"
    ),
    "refused_day_across": N_("choose a day across the river: automatic, yes or no"),
    # what an edit changed (planner/changes.py)
    "stop_added": N_("added: %(place)s, day %(day)s"),
    "stop_removed": N_("removed: %(place)s, day %(day)s"),
    "stop_moved": N_("moved: %(place)s, from day %(from_day)s to day %(to_day)s"),
    "stop_time_shifted": N_("new time: %(place)s, day %(day)s, %(before)s → %(after)s"),
    "refused_no_such_day": N_("this trip has no day %(day)s"),
    "refused_reorder_unknown": N_("the new order must list exactly the stops of day %(day)s"),
    "refused_reorder_late": N_(
        "in this order %(place)s cannot be visited in time on day %(day)s; the plan stays as it was"
    ),
    "refused_reorder": N_(
        "the stops of day %(day)s cannot all be visited in this order (opening hours, "
        "crossings or the day's end); the plan stays as it was"
    ),
    "refused_day_across_day": N_("the day across (day %(day)s) is outside the trip"),
    "refused_safe_and_last": N_(
        "a safe return and the day's last crossing back exclude each other: choose one"
    ),
    "refused_pace": N_("choose a pace: relaxed, normal or packed"),
    "refused_party_size": N_("the party size must be a whole number from 1 to 200"),
    "refused_stay": N_("say where you stay: %(cities)s"),
    "refused_transport": N_("transport can be walking, taxi or bus"),
    "refused_unknown_place": N_("a place asked for is not in the catalogue"),
    "refused_must_and_exclude": N_("a place cannot be both a must-see and excluded"),
    "refused_budget": N_("the daily budget must be CNY or RUB, and not negative"),
    "refused_kept_outside_trip": N_("%(place)s is kept on day %(day)s, outside the trip"),
    "refused_nights": N_("the trip has %(nights)s night(s) but %(given)s stay cities were given"),
    "refused_no_crossing": N_(
        "no border crossing on %(day)s from %(from_city)s to %(to_city)s: %(reason)s"
    ),
    "refused_no_plan": N_("no feasible plan: the crossings or must-see places do not fit"),
    "no_crossing_fits": N_("no crossing that day fits the plan"),
    "no_crossing_in_window": N_(
        "no crossing from %(city)s between %(after)s and %(until)s: do not plan a crossing"
    ),
    # what to watch on an option (warnings)
    "last_crossing_of_day": N_("last crossing of the day from %(city)s (%(mode)s at %(time)s)"),
    "arrives_after_last_return": N_(
        "arrives after the last safe return of the day (be at the port by %(time)s, "
        "%(city)s time): plan to stay overnight"
    ),
    "no_return_that_day": N_("no crossing back from %(city)s on %(day)s: plan to stay overnight"),
    "season_estimated": N_("%(mode)s: %(season)s; no published dates for %(year)s, verify"),
    "timetable_status": N_("%(status)s timetable: %(note)s"),
    "timetable_from_year": N_(
        "schedule for %(year)s not yet published: times from the %(as_of)s timetable"
    ),
    "ride_estimated": N_("time on the way estimated: %(note)s"),
    "port_hours_estimated": N_(
        "check-point hours %(open)s–%(close)s are an estimate (the last known regime, not "
        "published for now): verify before you go"
    ),
    "checkpoint_minutes_estimated": N_(
        "check-point times are estimates (%(exit)s min exit, %(entry)s min entry)"
    ),
    "fare_unknown": N_("fare unknown: %(note)s"),
    "ice_risk": N_(
        "ice-risk period (%(period)s): river crossings can stop at short notice for days; "
        "avoid trips if you can, the bridge bus is the fallback"
    ),
    "holiday_note": N_("public holiday (%(holidays)s): %(text)s"),
    "stay_limited": N_("stay in %(country)s limited to %(days)s days"),
    "entry_rule_extension": N_(
        "%(title)s: applied until %(end)s only because %(extension)s "
        "(confidence %(confidence)s, verify)"
    ),
    "entry_rule_extension_verified": N_(
        "%(title)s: applied until %(end)s because %(extension)s (confidence %(confidence)s)"
    ),
    "entry_rule_low_confidence": N_("%(title)s: low confidence, verify"),
    "entry_rule_ends": N_(
        "%(title)s ends on %(end)s, within a %(days)s-day stay: after that %(after)s"
    ),
    "entry_rule_ends_extension_reported": N_(
        "%(title)s ends on %(end)s, within a %(days)s-day stay: after that %(extension)s "
        "(confidence %(confidence)s: verify); otherwise %(after)s"
    ),
    "visa_needed": N_("a visa is needed"),
    "verify": N_("verify locally"),
    "timetable_indicative": N_("indicative timetable: %(note)s"),
    "extension_reported": N_(
        "reported, not verified (%(confidence)s confidence; not applied): %(text)s"
    ),
    "declared_visa": N_("visa for %(country)s (declared by the traveller)"),
    # which layer of the entry rules answered, with its date (planner/crossing/entry.py)
    "entry_layer_rule": N_(
        "the rule \u201c%(title)s\u201d (checked %(checked)s; %(grade)s source: %(url)s)"
    ),
    "entry_layer_base": N_(
        "the passport-index dataset of %(date)s (%(grade)s source, commit %(commit)s, checked "
        "%(checked)s): %(requirement)s"
    ),
    "entry_layer_own": N_("own citizens of %(country)s"),
    "entry_layer_declared": N_("the visa for %(country)s that you declared"),
    "base_visa_free_days": N_("visa-free for up to %(days)s days"),
    "base_visa_free": N_("visa-free"),
    "base_e_visa": N_("e-visa"),
    "base_visa_on_arrival": N_("visa on arrival"),
    "base_visa_required": N_("visa required"),
    "base_no_admission": N_("no admission"),
    "base_own": N_("own country"),
    "base_no_row": N_("no row for this passport"),
    "entry_base_not_applied": N_(
        "%(base)s: this dataset is older than the rule \u201c%(title)s\u201d and is not applied"
    ),
    "e_visa_needed": N_(
        "by this dataset, this passport needs the e-visa for %(country)s: apply online before "
        "the trip, then declare it as a visa"
    ),
    "visa_on_arrival_unconfirmed": N_(
        "a visa on arrival is not confirmed at these check-points: get a visa for %(country)s "
        "before the trip"
    ),
    "entry_base_verify": N_(
        "visa-free entry to %(country)s for citizens of %(nationality)s rests only on the "
        "passport-index dataset of %(date)s (a secondary source): verify with an embassy before "
        "travel"
    ),
    # plans: why a day abroad is not possible
    "only_last_crossing_back": N_(
        "only the day's last crossing back from %(city)s would leave enough time there; "
        "allow the last crossing to plan such a day"
    ),
    "too_little_time_abroad": N_(
        "the crossings leave less than %(hours)s hours in %(city)s on this day"
    ),
    # plans: warnings of a day
    "last_crossing_used": N_(
        "you come back from %(city)s on the day's last crossing (%(mode)s at %(time)s): if you "
        "miss it, you spend the night there"
    ),
    "last_run_back": N_(
        "you come back from %(city)s on the day's last run (%(mode)s at %(time)s); the plan "
        "has you at the port at least %(minutes)s min before reporting. %(if_missed)s"
    ),
    "last_run_if_missed": N_("If you miss it: %(next)s; stay near %(port)s; %(entry)s"),
    "next_run": N_("the next run is the %(mode)s at %(time)s the next morning"),
    "next_run_unknown": N_("the next run from %(city)s is not known: ask at the port"),
    "entry_allows_night": N_("your entry allows up to %(days)s days, so a night there is legal"),
    "entry_visa_night": N_("a night there is within your visa's terms (check its dates)"),
    "idle_gap": N_(
        "%(minutes)s min free from %(start)s to %(end)s (%(city)s): time for a walk, a café "
        "or a rest at the hotel"
    ),
    "crossing_tight": N_(
        "less than an hour to spare before reporting for the %(mode)s at %(time)s (%(city)s): "
        "%(minutes)s min; do not linger at the stop before it"
    ),
    "crossing_late": N_(
        "the %(mode)s at %(time)s (%(city)s) cannot be reached by its report time: "
        "%(minutes)s min short"
    ),
    "departure_unreachable": N_(
        "the departure cannot be reached in time: at the departure point at %(time)s "
        "(%(city)s), it should be by %(deadline)s. Change the departure or leave earlier"
    ),
    "public_holiday_hours": N_(
        "%(day)s is a public holiday in %(country)s: places may keep other hours or close; "
        "check before you go"
    ),
    "last_crossing_move": N_(
        "you cross from %(city)s on the day's last crossing (%(mode)s at %(time)s): if you miss "
        "it, you cannot reach that night's hotel across the river"
    ),
    "budget_crossing_over": N_(
        "the crossings of this day alone cost about %(cost)s %(currency)s for the party, over "
        "the daily budget"
    ),
    "meal_missed": N_("no time was left for %(meal)s on this day"),
    "position_unknown_must_see": N_(
        "%(place)s: position known only to about %(km)s km; the way there is counted generously, "
        "confirm it locally"
    ),
    "position_approximate": N_(
        "approximate position for %(places)s: travel times there are estimates"
    ),
    "party_taxis": N_("a party of %(size)s takes %(count)s taxis on each taxi leg: a taxi seats 4"),
    "party_charter": N_(
        "the group of %(size)s rides a %(vehicle)s (%(count)s), with minutes to board and alight "
        "at each leg; the hire is counted once per vehicle"
    ),
    "hours_unverified": N_("opening hours not verified for %(places)s: check before you go"),
    "winter_daylight": N_(
        "winter day: sunrise %(sunrise)s, sunset %(sunset)s (%(city)s time); outdoor visits are "
        "planned in daylight, and severe cold is usual"
    ),
    "arrival_night_hotel": N_(
        "you arrive at %(time)s, in the night: go to your hotel first; the day starts from there"
    ),
    "long_walk": N_(
        "a walk of %(minutes)s min (%(km)s km) on this day: only walking was chosen; a taxi or "
        "bus would be usual"
    ),
    "arrival_no_time": N_("you arrive at %(time)s: no time is left for visits on the first day"),
    # plans: warnings of the trip
    "nights_on_local_calendar": N_(
        "the arrival or departure falls on another date across the river: the plan counts "
        "%(nights)s night(s) on the local calendars"
    ),
    "day_abroad_not_worth": N_(
        "a day in %(city)s was weighed and left out: its crossings leave at most about "
        "%(hours)s h there, against hours at the border; add a must-see there to go anyway"
    ),
    "day_abroad_over_budget": N_(
        "a day in %(city)s was left out: its crossings alone cost about %(cost)s %(currency)s "
        "for the party, over the daily budget"
    ),
    "first_night_where_arrived": N_(
        "you arrive after the day's last crossing: the first night is in %(city)s, and the "
        "river is crossed the next day; book a room there"
    ),
    "must_see_missing": N_("must-see %(place)s could not be fitted: %(reason)s"),
    "city_unreachable": N_("no day in %(city)s: %(reason)s"),
    # plans: why a place is left out
    "left_excluded": N_("excluded by you"),
    "left_season": N_("not open in the months of the trip"),
    "left_not_on_dates": N_("not on the trip's dates"),
    "left_dates_not_published": N_("dates not published for %(year)s"),
    "left_over_budget": N_("%(cost)s %(currency)s for the party, over the daily budget"),
    "left_over_day_budget": N_("the day's tickets would exceed the budget"),
    "left_position_unknown": N_(
        "position known only to about %(km)s km, too rough to time a visit (add it as a must-see "
        "to plan it anyway)"
    ),
    "left_too_far": N_("too far for a day trip (%(km)s km there and back)"),
    "left_too_far_straight": N_(
        "too far for a day trip (at least %(km)s km there and back in a straight line); "
        "plan a night there"
    ),
    "left_not_reachable": N_("no day of the trip is spent in %(city)s"),
    "left_closed": N_("closed on every day of the trip"),
    "left_eatery": N_(
        "a place to eat, not a sight: meals are eaten at food places on the way, and none "
        "of this plan's meals fell near it"
    ),
    "left_not_a_sight": N_("an arrival or departure point, not a sight: give it as one"),
    "left_no_time": N_("not enough time for it"),
    # agencies: crossing notices and group processing (planner/agency.py)
    "notice_suspension": N_(
        "%(mode)s: suspended by a crossing notice (%(start)s to %(end)s): %(reason)s"
    ),
    "group_checkpoint_minutes": N_(
        "a group of %(party)s reports %(minutes)s min earlier for passport control "
        "(the project's estimate, not a published figure)"
    ),
}
# A sentence of the data file, shown as recorded with its sources (no template to translate).
DATA_NOTE = "data_note"

MODE_LABELS: dict[str, str] = {
    "ship": N_("passenger ship"),
    "hovercraft": N_("hovercraft"),
    "pontoon_bus": N_("bus over the pontoon bridge"),
    "bridge_bus": N_("bus over the road bridge"),
    "cableway": N_("cableway"),
}
# How a leg between stops is taken (travel.MODES): every output words a leg's mode by this.
LEG_MODE_LABELS: dict[str, str] = {
    "walk": N_("walk"),
    "taxi": N_("taxi"),
    "bus": N_("bus"),
    "minibus": N_("chartered minibus"),
    "coach": N_("chartered coach"),
}
# The region's cities by their English names (data/region.json); a name is also a msgid, so a
# translation in the .po files wins over the file's own name where both exist.
CITY_LABELS: region.CityMap[str] = region.CityMap(lambda c: c.name.en)
CITY_PARAMS = frozenset({"city", "from_city", "to_city"})  # params that hold a city id
MODE_PARAMS = frozenset({"mode", "last_mode"})  # params that hold a crossing mode's id
COUNTRY_LABELS: dict[str, str] = {"CN": N_("China"), "RU": N_("Russia")}
# The trip request's choices (the plan form shows these; a "choose one of" error lists them).
PACE_LABELS: dict[str, str] = {
    "relaxed": N_("relaxed (10:00-20:30)"),
    "normal": N_("normal (09:00-21:00)"),
    "packed": N_("packed (08:00-22:00)"),
}
TRAVEL_MODE_LABELS: dict[str, str] = {
    "walk": N_("on foot"),
    "taxi": N_("taxi"),
    "bus": N_("city bus"),
}
CURRENCY_LABELS: dict[str, str] = {"CNY": N_("yuan (CNY)"), "RUB": N_("roubles (RUB)")}
STATUS_LABELS: dict[str, str] = {
    "published": N_("published"),
    "ambiguous": N_("ambiguous"),
    "derived": N_("derived"),
    "estimated": N_("estimated"),
    "unknown": N_("unknown"),
}
PERIOD_LABELS: dict[str, str] = {"freeze-up": N_("freeze-up"), "break-up": N_("break-up")}
MEAL_LABELS: dict[str, str] = {"lunch": N_("lunch"), "dinner": N_("dinner")}
# Where a meal without a named place is eaten (trip.Meal.near).
MEAL_NEAR_LABELS: dict[str, str] = {
    "last_stop": N_("near the last stop"),
    "hotel": N_("near the hotel"),
    "departure": N_("near the departure point"),
    "crossing": N_("near the border crossing"),
    "arrival": N_("near where you arrive"),
}
# The places left out, grouped by reason (planner/digest.py): a heading per group.
LEFT_OUT_GROUP_LABELS: dict[str, str] = {
    "excluded": N_("Excluded by you"),
    "no_time": N_("No time left for them"),
    "over_budget": N_("Over the daily budget"),
    "closed": N_("Closed on every day of the trip"),
    "season": N_("Not in season"),
    "not_reachable": N_("In a city the plan does not reach"),
    "too_far": N_("Too far for a day trip"),
    "position_unknown": N_("Position too rough to time a visit"),
    "dates_not_published": N_("Dates not published yet"),
    "not_on_dates": N_("Not held on the trip's dates"),
    "eatery": N_("Places to eat (meals are planned near the route)"),
    "not_a_sight": N_("Arrival and departure points"),
}
LEFT_OUT_OTHER = N_("For other reasons")
LEFT_OUT_MORE = N_("%(names)s and %(n)s more")
CONFIDENCE_LABELS: dict[str, str] = {
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
    "estimated": N_("estimated"),
    "field": N_("checked on the ground"),
}
GRADE_WORDS: dict[str, str] = {
    "primary": N_("primary"),
    "secondary": N_("secondary"),
    "tertiary": N_("tertiary"),
}

# Which params hold an id that must be shown as a translated word, never as the id itself.
_WORDS: dict[str, Mapping[str, str]] = {
    "vehicle": LEG_MODE_LABELS,
    "country": COUNTRY_LABELS,
    "status": STATUS_LABELS,
    "period": PERIOD_LABELS,
    "meal": MEAL_LABELS,
    "confidence": CONFIDENCE_LABELS,
    "grade": GRADE_WORDS,
}


class _Values(dict):
    """Params for %-formatting; a placeholder without a value shows as '?' instead of failing."""

    def __missing__(self, key: str) -> str:
        return "?"


def mode_word(mode: str, gettext: Callable[[str], str], lang: str = "en") -> str:
    """A crossing mode in the reader's words: the region's own short name for it where its
    crossing data gives one (`label`: a road bus across a land border is no "bus over the road
    bridge"), else the catalogues' translation of the built-in name (an unknown id stays)."""
    from planner.crossing import load_crossing_data  # the crossing package reads messages

    try:
        own = load_crossing_data().modes[mode].label
    except (KeyError, AttributeError):
        own = None
    if own is not None:
        return own.get(lang)
    return gettext(MODE_LABELS[mode]) if mode in MODE_LABELS else mode


def city_word(city: str, gettext: Callable[[str], str], lang: str = "en") -> str:
    """The city's name for the reader: the catalogues' translation of its English name where
    they have one, else the region file's name in *lang* (an unknown id stays as given)."""
    english = region.city_name(city, "en")
    translated = gettext(english)
    return translated if translated != english else region.city_name(city, lang)


def cities_text(cities: tuple[str, ...] | list[str], lang: str) -> str:
    """'<city> or <city>': the region's cities as a choice, in *lang*."""
    names = [region.city_name(c, lang) for c in cities]
    return format_list(names, style="or", locale=babel_locale(lang))


def clock_text(value: datetime, city: str, gettext: Callable[[str], str], lang: str = "en") -> str:
    """'10:00 <city> (UTC+8)': a moment on *city*'s clock, the city named in the reader's language
    (the plan page, the print, the exports and the command line all write times this way)."""
    local = value.astimezone(city_zone(city))
    hours = int(local.utcoffset().total_seconds() // 3600)  # type: ignore[union-attr]
    label = city_word(city, gettext, lang)
    return f"{local:%H:%M} {label} (UTC+{hours})"


def moment_text(value: datetime, city: str, gettext: Callable[[str], str], lang: str = "en") -> str:
    """'Wed, Jan 20, 09:40 <city> (UTC+8)': the day in words in *lang*, then clock_text."""
    local = value.astimezone(city_zone(city))
    day = format_skeleton("MMMEd", local, locale=babel_locale(lang))
    return f"{day}, {clock_text(local, city, gettext, lang)}"


def leg_text(mode: str, minutes: int, km: float, gettext: Callable[[str], str], lang: str) -> str:
    """'chartered minibus 12 min, 3.4 km': a leg in the reader's words (page, text, print,
    exports); an unknown mode stays as given."""
    label = gettext(LEG_MODE_LABELS[mode]) if mode in LEG_MODE_LABELS else mode
    return gettext("%(mode)s %(minutes)s min, %(km)s km") % {
        "mode": label,
        "minutes": minutes,
        "km": number_text(km, lang, digits=2, least=1),
    }


def data_note(text: str | LocalizedName) -> Message:
    """A sentence taken from the data file: {zh, ru, en} (a LocalizedName), shown in the
    reader's language; a plain str is English only and shown as it is."""
    return Message(DATA_NOTE, {"text": text})


def _text(value: object, gettext: Callable[[str], str], lang: str) -> str:
    if isinstance(value, Message):
        return render(value, gettext, lang)
    if isinstance(value, LocalizedName):
        return value.get(lang)
    return "" if value is None else str(value)


def render(
    message: Message, gettext: Callable[[str], str], lang: str = "en", *, dates: bool = False
) -> str:
    """The message as a sentence: its template and id-valued params translated by *gettext*;
    names (LocalizedName params) in *lang*; with *dates*, ISO dates and moments in words."""
    if message.code == DATA_NOTE:
        return _text(message.params.get("text", ""), gettext, lang)
    template = TEMPLATES.get(message.code)
    values: dict[str, str] = _Values()
    separator = list_separator(lang)
    for key, value in message.params.items():
        if isinstance(value, Message):
            values[key] = render(value, gettext, lang, dates=dates)
        elif key in MODE_PARAMS and isinstance(value, str):
            values[key] = mode_word(value, gettext, lang)
        elif key in CITY_PARAMS and isinstance(value, str):
            values[key] = city_word(value, gettext, lang)
        elif key == "cities" and isinstance(value, list | tuple):
            values[key] = cities_text([str(c) for c in value], lang)
        elif isinstance(value, LocalizedName):
            values[key] = _text(value, gettext, lang)
        elif isinstance(value, tuple):
            joiner = "; " if value and isinstance(value[0], Message) else separator
            values[key] = joiner.join(
                render(item, gettext, lang, dates=dates)
                if isinstance(item, Message)
                else _text(item, gettext, lang)
                for item in value
            )
        elif key in _WORDS and isinstance(value, str) and value in _WORDS[key]:
            values[key] = gettext(_WORDS[key][value])
        elif key == "nationality" and isinstance(value, str):
            values[key] = country_name(value, lang)
        elif key == "periods" and isinstance(value, str):
            values[key] = month_days(value, lang)
        elif isinstance(value, float):
            values[key] = number_text(value, lang, digits=2)
        elif dates and isinstance(value, str):
            values[key] = iso_in_words(value, lang)
        else:
            values[key] = "" if value is None else str(value)
    if template is None:  # an unknown code still says something useful
        return message.code + (f" {values}" if values else "")
    return gettext(template) % values


def refusal_text(exc: Exception, gettext: Callable[[str], str], lang: str = "en") -> str:
    """Why a request was refused, in *lang* when the refusal carries a coded message."""
    message = getattr(exc, "message", None)
    return render(message, gettext, lang) if isinstance(message, Message) else str(exc)


def english(message: Message) -> str:
    """The message in English (the templates as written), for logs and English-only callers."""
    return render(message, lambda text: text)
