"""School years and terms: the periods dashboards and reports count over.

Terms follow the usual English and Welsh school calendar, with fixed edges so that every force's
figures line up: autumn from 1 September to 31 December, spring from 1 January to 31 March and
summer from 1 April to 31 August (the summer holiday has no sessions, so it adds nothing). A
school year runs from 1 September to 31 August.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

D = datetime.date
# The names of the terms, each with its calendar year (a term's key is its season).
SEASONS = {
    "autumn": gettext_lazy("Autumn %(year)s"),
    "spring": gettext_lazy("Spring %(year)s"),
    "summer": gettext_lazy("Summer %(year)s"),
}


@dataclass(frozen=True)
class Term:
    name: str  # "Autumn 2017", in the language of the page
    start: datetime.date
    end: datetime.date
    season: str = ""  # "autumn", "spring" or "summer"; empty for a whole period

    @property
    def key(self) -> str:
        return self.start.isoformat()


@dataclass(frozen=True)
class Preset:
    key: str  # "2018-19" or "2018-19-autumn"
    label: str  # "2018/19 school year" or "Autumn 2018"
    start: datetime.date
    end: datetime.date


def school_year_of(day: datetime.date) -> int:
    """The calendar year a school year starts in: 2018 for any day from 1 Sep 2018 to 31 Aug 2019."""
    return day.year if day.month >= 9 else day.year - 1


def school_year(first_year: int) -> tuple[datetime.date, datetime.date]:
    return D(first_year, 9, 1), D(first_year + 1, 8, 31)


def terms_of_year(first_year: int) -> list[Term]:
    def term(season, year, start, end):
        return Term(SEASONS[season] % {"year": year}, start, end, season)

    return [
        term("autumn", first_year, D(first_year, 9, 1), D(first_year, 12, 31)),
        term("spring", first_year + 1, D(first_year + 1, 1, 1), D(first_year + 1, 3, 31)),
        term("summer", first_year + 1, D(first_year + 1, 4, 1), D(first_year + 1, 8, 31)),
    ]


def terms_between(start: datetime.date, end: datetime.date) -> list[Term]:
    """Every term that overlaps `start`..`end`, clipped to it, oldest first."""
    terms = []
    for year in range(school_year_of(start), school_year_of(end) + 1):
        for term in terms_of_year(year):
            if term.end >= start and term.start <= end:
                terms.append(
                    Term(term.name, max(term.start, start), min(term.end, end), term.season)
                )
    return terms


def current_school_year(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    return school_year(school_year_of(today or timezone.localdate()))


def presets(today: datetime.date | None = None, *, since: int | None = None) -> list[Preset]:
    """School years newest first, back to `since` (a first year, e.g. the year a force's first
    unit opened) or two years ago, with the terms of this school year and the last one."""
    today = today or timezone.localdate()
    newest = school_year_of(today)
    oldest = min(newest - 2, since) if since is not None else newest - 2
    found = []
    for year in range(newest, oldest - 1, -1):
        start, end = school_year(year)
        slug = f"{year}-{str(year + 1)[-2:]}"
        label = gettext("%(years)s school year") % {"years": f"{year}/{str(year + 1)[-2:]}"}
        found.append(Preset(slug, label, start, end))
        if year >= newest - 1:
            for term in terms_of_year(year):
                if term.start <= today:
                    key = f"{slug}-{term.season}"
                    found.append(Preset(key, term.name, term.start, term.end))
    return found
