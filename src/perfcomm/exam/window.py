"""The rules of one sitting — its window (opens, closes, time zone) and its time limit — and the check
of one hand-in against them. Times are kept timezone-aware; a time written without an offset is a
wall-clock time in the sitting's time zone."""

from __future__ import annotations

import math
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from ..problems import did_you_mean

EXAMPLE = "2026-12-01T09:00"


class RuleError(ValueError):
    """A window, time zone or time limit a person wrote that cannot be used; says which and why."""


@dataclass(frozen=True)
class Rules:
    time_zone: str
    time_limit: int                  # minutes from the start to the hand-in
    opens: datetime | None = None
    closes: datetime | None = None

    def to_json(self) -> dict:
        return {"time_zone": self.time_zone, "time_limit_minutes": self.time_limit,
                "opens": self.opens.isoformat() if self.opens else None,
                "closes": self.closes.isoformat() if self.closes else None}

    @classmethod
    def from_json(cls, data: dict) -> Rules:
        moment = (lambda v: datetime.fromisoformat(v) if v else None)
        return cls(data["time_zone"], int(data["time_limit_minutes"]), moment(data.get("opens")),
                   moment(data.get("closes")))

    def local(self, moment: datetime, with_date: bool = True) -> str:
        shown = moment.astimezone(zoneinfo.ZoneInfo(self.time_zone))
        return shown.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")

    def describe(self) -> str:
        window = "no window"
        if self.opens or self.closes:
            window = (f"open {self.local(self.opens) if self.opens else '…'} to"
                      f" {self.local(self.closes) if self.closes else '…'} {self.time_zone}")
        return f"{window}; time limit {self.time_limit} min"


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA time zone, or RuleError with a suggestion."""
    try:
        return zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(name, zoneinfo.available_timezones()) or " — write an IANA name such as Asia/Shanghai"
        raise RuleError(f"time zone '{name}' is unknown{hint}") from None


def moment(value, time_zone: str) -> datetime:
    """A date and time as written by a person (text or YAML's own timestamp) -> an aware datetime."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date) or not isinstance(value, str):
        raise RuleError(f"'{value}' is not a date and time — write it like {EXAMPLE} (a time is needed)")
    else:
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise RuleError(f"'{value}' is not a date and time — write it like {EXAMPLE}"
                             f" or {EXAMPLE}+08:00") from None
        if len(value.strip()) <= 10:  # a date alone: which hour the window opens is not a guess to make
            raise RuleError(f"'{value}' has no time of day — write it like {EXAMPLE}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone(time_zone))


def make_rules(time_zone: str, time_limit, opens=None, closes=None) -> Rules:
    """Rules from values a person wrote; RuleError names the value that is wrong."""
    zone(time_zone)
    if isinstance(time_limit, bool) or not isinstance(time_limit, int) or time_limit <= 0:
        raise RuleError(f"time limit '{time_limit}' must be a whole number of minutes above 0, e.g. 45")
    start = moment(opens, time_zone) if opens not in (None, "") else None
    end = moment(closes, time_zone) if closes not in (None, "") else None
    if start and end and end <= start:
        raise RuleError(f"the window closes ({end.isoformat()}) before it opens ({start.isoformat()})"
                         " — check the dates")
    return Rules(time_zone, time_limit, start, end)


def _span(delta: timedelta) -> str:
    minutes = math.ceil(delta.total_seconds() / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def findings(rules: Rules, handed_in: datetime, started: datetime | None) -> list[str]:
    """What is wrong with one hand-in, in words HR reads; empty when it keeps every rule."""
    out = []
    if rules.opens and started and started < rules.opens:
        out.append(f"started at {rules.local(started)}, {_span(rules.opens - started)} before the window opened"
                   f" at {rules.local(rules.opens)}")
    if rules.opens and handed_in < rules.opens:
        out.append(f"handed in at {rules.local(handed_in)}, {_span(rules.opens - handed_in)} before the window"
                   f" opened at {rules.local(rules.opens)}")
    if rules.closes and handed_in > rules.closes:
        out.append(f"handed in at {rules.local(handed_in)}, {_span(handed_in - rules.closes)} after the window"
                   f" closed at {rules.local(rules.closes)}")
    if started and handed_in - started > timedelta(minutes=rules.time_limit):
        out.append(f"took {_span(handed_in - started)} (started {rules.local(started)}, handed in"
                   f" {rules.local(handed_in)}), {_span(handed_in - started - timedelta(minutes=rules.time_limit))}"
                   f" over the {rules.time_limit}-minute limit")
    return out


def utc(moment_: datetime) -> datetime:
    return moment_.astimezone(timezone.utc)
