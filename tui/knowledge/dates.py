"""Dates with the precision the source gives them: `2017`, `late 2017-08`, `2017-10-17`, `unknown`.

A date the source does not state in full (most often its year, taken from the publication date)
is written with `inferred` in front: `inferred 2017-07`, and shown as `inferred: July 2017`."""

from __future__ import annotations

import re
from dataclasses import dataclass

DATE_PARTS = ("early", "mid", "late")  # a date may start with one: `late 2017-08`
UNKNOWN_DATE = "unknown"
INFERRED = "inferred "
_DATE = re.compile(rf"(?:({'|'.join(DATE_PARTS)}) )?(\d{{4}})(?:-(\d{{2}})(?:-(\d{{2}}))?)?\Z", re.ASCII)
# English, whatever the locale (calendar.month_name follows it), and without importing calendar
_MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_PART_START_MONTH = {None: 1, "early": 1, "mid": 5, "late": 9}
_PART_START_DAY = {None: 1, "early": 1, "mid": 11, "late": 21}


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, month or day, perhaps only as its early/mid/late part."""

    year: int | None
    month: int | None = None
    day: int | None = None
    part: str | None = None  # early | mid | late
    inferred: bool = False  # the source does not state all of it (e.g. the year): we inferred it

    @property
    def precision(self) -> str:
        if self.year is None:
            return "unknown"
        return "day" if self.day else "month" if self.month else "year"

    @property
    def known(self) -> bool:
        return self.year is not None

    def sort_key(self) -> tuple[int, int, int, int, int]:
        """Orders by where the span the date covers starts (`late 2017` from September); a span
        that contains another comes first (`2017` before `2017-01`). Unknown dates sort last."""
        if self.year is None:
            return (10_000, 0, 0, 0, 0)
        part = 0 if self.part is None else 1
        if self.month is None:
            return (self.year, _PART_START_MONTH[self.part], 1, 0, part)
        if self.day is None:
            return (self.year, self.month, _PART_START_DAY[self.part], 1, part)
        return (self.year, self.month, self.day, 2, 0)

    def __str__(self) -> str:
        if self.year is None:
            return "date unknown"
        if self.day:
            body = f"{self.day} {_MONTHS[self.month or 1]} {self.year}"
        elif self.month:
            body = f"{_MONTHS[self.month]} {self.year}"
        else:
            body = str(self.year)
        body = f"{self.part} {body}" if self.part else body
        return f"inferred: {body}" if self.inferred else body

    def iso(self) -> str:
        """The form it is written in, e.g. `late 2017-08`."""
        if self.year is None:
            return "unknown"
        body = f"{self.year:04d}"
        if self.month:
            body += f"-{self.month:02d}"
        if self.day:
            body += f"-{self.day:02d}"
        body = f"{self.part} {body}" if self.part else body
        return INFERRED + body if self.inferred else body


UNKNOWN = PartialDate(None)


def parse_date(text: str) -> PartialDate:
    """Parse a date as written in the data; ValueError says what is wrong."""
    if text == UNKNOWN_DATE:
        return UNKNOWN
    inferred = text.startswith(INFERRED)
    match = _DATE.match(text[len(INFERRED) :] if inferred else text)
    if not match:
        raise ValueError(
            "expected a date like 2017, 2017-10, 2017-10-17, 'late 2017-08', 'inferred 2017-07' or 'unknown'"
        )
    part, year, month, day = match.groups()
    y = int(year)
    if y < 1:
        raise ValueError("year 0000 does not exist")
    m = int(month) if month else None
    d = int(day) if day else None
    if m is not None and not 1 <= m <= 12:
        raise ValueError(f"month {m} does not exist")
    if d is not None and m is not None and not 1 <= d <= _days_in(y, m):
        raise ValueError(f"day {d} does not exist in {_MONTHS[m]} {y}")
    return PartialDate(y, m, d, part, inferred)


def _days_in(year: int, month: int) -> int:
    import calendar  # only when a day is checked: not on the start-up path (it imports datetime)

    return calendar.monthrange(year, month)[1]
