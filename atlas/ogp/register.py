"""The NGO activity register the workshop fills in live: what an entry is, and how it is checked.

An **entry** is one organisation (name, type, an optional private contact) with one or more
**activities**: a theme, where (level-2 units by p-code, ``oblast:KG-C`` for a whole oblast,
``country`` for the whole country), years, optional beneficiaries, a link and a few words. Only what
the organisation typed is published, and never its contact. The store is ``atlas.keep.register``;
maps, counts and the gaps view are ``atlas.ogp.register_stats``.

    >>> a = Activity("water", ("KG04220000000",), 2023)
    >>> validate_entry(Entry("Suu Bulak", "ngo", (a,))).activities[0].areas
    ('KG04220000000',)
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.places import units
from atlas.places.gazetteer import CODES, region_name

COUNTRY = "country"
OBLAST_PREFIX = "oblast:"
FIRST_YEAR = 1991  # independence: no organisation registered in Kyrgyzstan worked here earlier
PLAN_AHEAD = 5  # planned work may be entered up to this many years ahead
MAX_BENEFICIARIES = 10_000_000  # more than the country's population is a typo
MAX_ACTIVITIES = 12
MAX_TEXT = {"name": 200, "contact": 200, "description": 300, "link": 500}
KG_TZ = timezone(timedelta(hours=6))


@dataclass(frozen=True)
class Theme:
    """A register theme, matched to the OGP policy areas and SDG goals the app already knows.

    ``series``: the official SDG series shown beside it in the gaps view (None: none fits);
    ``worse``: "high" or "low" when a higher or lower value is plainly worse, else None.
    """

    label: str  # msgid
    ogp_areas: tuple[str, ...]
    sdg_goals: tuple[int, ...]
    series: str | None = None
    worse: str | None = None


THEMES: dict[str, Theme] = {
    "poverty": Theme(N_("Poverty and social protection"), ("Public Service Delivery", "Social Accountability"),
                     (1, 10), "SI_POV_NAHC", "high"),
    "health": Theme(N_("Health"), ("Health",), (3,), "SH_DYN_MORT", "high"),
    "education": Theme(N_("Education"), ("Education",), (4,), "_L_KG_040101_1B", "low"),
    "water": Theme(N_("Water and sanitation"), ("Public Service Delivery",), (6,), "SH_H2O_SAFE", "low"),
    "gender": Theme(N_("Women and girls"), (), (5,), "SP_DYN_MRBF18", "high"),
    "jobs": Theme(N_("Jobs and livelihoods"), ("Private Sector",), (8,), "SL_TLF_UEM", "high"),
    "environment": Theme(N_("Environment, climate and disasters"), (), (11, 13), "VC_DSR_MORT", "high"),
    "budget": Theme(N_("Budgets, procurement and audit"),
                    ("Fiscal Openness", "Publication of Budget/Fiscal Information",
                     "Public Participation in Budget/Fiscal Policy", "Open Contracting", "Public Procurement",
                     "Audits"), (16,)),
    "integrity": Theme(N_("Anti-corruption and elections"),
                       ("Anti Corruption and Integrity", "Anti-Corruption Institutions", "Political Integrity",
                        "Elections"), (16,), "_L_KG_160501_1A"),
    "participation": Theme(N_("Civic participation and local government"),
                           ("Public Participation", "Democratizing Decision-Making", "Local Commitments",
                            "Subnational", "Open Parliaments", "Participation in Lawmaking", "Legislature"),
                           (16,), "_L_KG_160602_1A"),
    "information": Theme(N_("Access to information and open data"),
                         ("Access to Information", "Right to Information", "Open Data", "E-Government"),
                         (16, 17), "IT_USE_II99", "low"),
    "other": Theme(N_("Other"), (), ()),
}

ORG_TYPES: dict[str, str] = {
    "ngo": N_("Non-governmental organisation"),
    "community": N_("Community group or local initiative"),
    "foundation": N_("Foundation"),
    "network": N_("Association or network"),
    "media": N_("Media"),
    "research": N_("University or research centre"),
    "other": N_("Other"),
}

PUBLIC_FIELDS = ("name", "org_type", "theme", "areas", "year_from", "year_to", "beneficiaries", "link",
                 "description")


@dataclass(frozen=True)
class Activity:
    """One line of work: a theme, where, from which year (to which, or ongoing), and optional details.

    >>> Activity("health", ("oblast:KG-N",), 2022, 2024).year_to
    2024
    """

    theme: str
    areas: tuple[str, ...]
    year_from: int | None
    year_to: int | None = None
    beneficiaries: int | None = None
    link: str = ""
    description: str = ""


@dataclass(frozen=True)
class Entry:
    """One organisation and its activities. ``contact`` is private: never shown nor exported.

    >>> Entry("Suu Bulak", "ngo", ()).hidden
    False
    """

    name: str
    org_type: str
    activities: tuple[Activity, ...]
    contact: str = ""
    id: int | None = None
    hidden: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


class EntryInvalid(UserError):
    """An entry with problems; ``problems`` maps a field ("name", "a0.areas", …) to its message."""

    def __init__(self, problems: dict[str, Msg]):
        super().__init__(Msg(N_("The entry was not saved: {count} field(s) need fixing."), {"count": len(problems)}))
        self.problems = problems


def this_year() -> int:
    """The current year in Kyrgyzstan (UTC+6).

    >>> this_year() >= 2024
    True
    """
    return datetime.now(KG_TZ).year


# ---------------------------------------------------------------------------------------------
# Where: level-2 units, whole oblasts, the whole country


@lru_cache(maxsize=1)
def _units() -> dict[str, str]:
    return units.parents()


def oblasts() -> list[str]:
    """The 7 oblasts that have rayons (the two cities are units of their own at both levels).

    >>> oblasts()[:2]
    ['KG-B', 'KG-C']
    """
    counts = Counter(_units().values())
    return [c for c in CODES if counts[c] > 1]


def area_groups() -> dict[str, list[str]]:
    """Choices for the "where" widget, grouped by level-1 unit: whole oblast first, then its units.

    >>> area_groups()["KG-N"][0], area_groups()["KG-GB"]
    ('oblast:KG-N', ['KG11000000000'])
    """
    table = units.level2().sort_values("name_en")
    groups: dict[str, list[str]] = {}
    for iso in CODES:
        members = list(table.index[table["parent_iso"] == iso])
        groups[iso] = ([OBLAST_PREFIX + iso] if iso in oblasts() else []) + members
    return groups


def area_choices() -> list[str]:
    """Every allowed "where" value in display order: the whole country, then each group.

    >>> area_choices()[0]
    'country'
    """
    return [COUNTRY, *(a for group in area_groups().values() for a in group)]


def expand(areas: tuple[str, ...] | list[str]) -> list[str]:
    """The level-2 units an activity covers: a whole oblast is each of its units, the country all 55.

    >>> len(expand(["country"])), len(expand(["oblast:KG-T"])) > 1
    (55, True)
    """
    parents = _units()
    if COUNTRY in areas:
        return list(parents)
    out = []
    for area in areas:
        if area.startswith(OBLAST_PREFIX):
            iso = area[len(OBLAST_PREFIX):]
            out += [p for p, parent in parents.items() if parent == iso]
        elif area in parents:
            out.append(area)
    return list(dict.fromkeys(out))


def level1_of(areas: tuple[str, ...] | list[str]) -> list[str]:
    """The level-1 units (ISO codes) an activity touches.

    >>> level1_of(["KG04220000000", "oblast:KG-T"])
    ['KG-N', 'KG-T']
    """
    touched = {_units()[p] for p in expand(areas)}
    return [c for c in CODES if c in touched]


def area_label(area: str, lang: str, _: Any = str) -> str:
    """How a "where" value reads: a unit's name, "Naryn Region (whole)", or "Whole country".

    >>> area_label("country", "en")
    'Whole country'
    """
    if area == COUNTRY:
        return _(N_("Whole country"))
    if area.startswith(OBLAST_PREFIX):
        return _(N_("{name} (whole)")).format(name=region_name(area[len(OBLAST_PREFIX):], lang))
    return units.unit_name(area, lang)


# ---------------------------------------------------------------------------------------------
# Validation (pure)

_LINK = re.compile(r"^https?://[^\s/?#@]+\.[^\s/?#@]+(?:[/?#]\S*)?$", re.IGNORECASE)


def link_problem(text: str) -> Msg | None:
    """Why ``text`` is not an acceptable public link (http or https only), or None.

    >>> link_problem("javascript:alert(1)").text
    'A link must start with http:// or https://.'
    >>> link_problem("https://suubulak.kg/about") is None
    True
    """
    if not text:
        return None
    if not re.match(r"^https?://", text, re.IGNORECASE):
        return Msg(N_("A link must start with http:// or https://."))
    if not _LINK.match(text):
        return Msg(N_("The link is not a complete web address."))
    return None


def _as_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value != value:
        return None
    try:
        number = float(str(value).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except ValueError as exc:
        raise ValueError(str(value)) from exc
    if number != int(number):
        raise ValueError(str(value))
    return int(number)


def _years_problem(year_from: Any, year_to: Any, now: int) -> tuple[int | None, int | None, Msg | None]:
    try:
        start, end = _as_int(year_from), _as_int(year_to)
    except ValueError:
        return None, None, Msg(N_("Years are whole numbers like 2023."))
    if start is None:
        return None, None, Msg(N_("Give the year the activity started."))
    last = now + PLAN_AHEAD
    for year in (start, end):
        if year is not None and not FIRST_YEAR <= year <= last:
            return None, None, Msg(N_("Years run from {first} to {last}."), {"first": FIRST_YEAR, "last": last})
    if end is not None and end < start:
        return None, None, Msg(N_("The end year is before the start year."))
    return start, end, None


def _areas_problem(areas: Any) -> tuple[tuple[str, ...], Msg | None]:
    items = [areas] if isinstance(areas, str) else list(areas or ())
    chosen = list(dict.fromkeys(str(a).strip() for a in items if str(a).strip()))
    if not chosen:
        return (), Msg(N_("Choose where you work: rayons, a whole oblast or the whole country."))
    allowed = area_choices()
    unknown = [a for a in chosen if a not in allowed]
    if unknown:
        return (), Msg(N_("Unknown place(s): {codes}."), {"codes": ", ".join(unknown)})
    if COUNTRY in chosen:
        return (COUNTRY,), None  # the whole country already holds every other choice
    whole = {a[len(OBLAST_PREFIX):] for a in chosen if a.startswith(OBLAST_PREFIX)}
    kept = [a for a in chosen if a.startswith(OBLAST_PREFIX) or _units().get(a) not in whole]
    return tuple(a for a in allowed if a in kept), None


def _activity(index: int, activity: Activity, now: int, problems: dict[str, Msg]) -> Activity:
    key = f"a{index}."
    if activity.theme not in THEMES:
        problems[key + "theme"] = Msg(N_("Choose a theme from the list."))
    areas, problem = _areas_problem(activity.areas)
    if problem:
        problems[key + "areas"] = problem
    start, end, problem = _years_problem(activity.year_from, activity.year_to, now)
    if problem:
        problems[key + "years"] = problem
    people: int | None = None
    try:
        people = _as_int(activity.beneficiaries)
        if people is not None and not 0 <= people <= MAX_BENEFICIARIES:
            problems[key + "beneficiaries"] = Msg(N_("Beneficiaries: a number from 0 to {max}, or leave it empty."),
                                                  {"max": MAX_BENEFICIARIES})
    except ValueError:
        problems[key + "beneficiaries"] = Msg(N_("Beneficiaries: a whole number of people, or leave it empty."))
    link = str(activity.link or "").strip()
    description = " ".join(str(activity.description or "").split())
    if problem := link_problem(link):
        problems[key + "link"] = problem
    for name, text in (("link", link), ("description", description)):
        if len(text) > MAX_TEXT[name] and key + name not in problems:
            problems[key + name] = Msg(N_("This text is too long: at most {limit} characters."),
                                       {"limit": MAX_TEXT[name]})
    return Activity(activity.theme, areas, start, end, people, link, description)


def validate_entry(entry: Entry, now: int | None = None) -> Entry:
    """Return ``entry`` tidied (stripped text, ordered places, numbers as int); raise ``EntryInvalid``.

    >>> validate_entry(Entry("", "ngo", ()))
    Traceback (most recent call last):
    atlas.ogp.register.EntryInvalid: The entry was not saved: 2 field(s) need fixing.
    """
    now = now or this_year()
    problems: dict[str, Msg] = {}
    name = " ".join(str(entry.name or "").split())
    contact = str(entry.contact or "").strip()
    if not name:
        problems["name"] = Msg(N_("Give the organisation's name."))
    if entry.org_type not in ORG_TYPES:
        problems["org_type"] = Msg(N_("Choose the type of organisation."))
    for field_name, text in (("name", name), ("contact", contact)):
        if len(text) > MAX_TEXT[field_name] and field_name not in problems:
            problems[field_name] = Msg(N_("This text is too long: at most {limit} characters."),
                                       {"limit": MAX_TEXT[field_name]})
    if not entry.activities:
        problems["activities"] = Msg(N_("Add at least one activity."))
    elif len(entry.activities) > MAX_ACTIVITIES:
        problems["activities"] = Msg(N_("At most {max} activities per organisation."), {"max": MAX_ACTIVITIES})
    activities = tuple(_activity(i, a, now, problems) for i, a in enumerate(entry.activities[:MAX_ACTIVITIES]))
    if problems:
        raise EntryInvalid(problems)
    return replace(entry, name=name, contact=contact, activities=activities)
