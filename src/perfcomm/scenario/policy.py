"""The course's rules for a practice conversation, on top of the format's own checks:
a real conversation, not a quiz."""

from __future__ import annotations

from ..problems import Problem
from .explore import Exploration
from .model import Scenario

MIN_DECISIONS = 6
MIN_OPTIONS = 3
MIN_ENDINGS = 3


def course_rules(scenario: Scenario, report: Exploration) -> list[Problem]:
    out = []
    if report.min_decisions is not None and report.min_decisions < MIN_DECISIONS:
        out.append(Problem(scenario.path, 1, f"a path reaches an ending after {report.min_decisions} decisions —"
                                             f" every path needs at least {MIN_DECISIONS}"))
    if report.min_options is not None and report.min_options < MIN_OPTIONS:
        out.append(Problem(scenario.path, 1, f"a decision offers only {report.min_options} option(s) in some"
                                             f" state — offer at least {MIN_OPTIONS}"))
    if len(report.endings) < MIN_ENDINGS:
        out.append(Problem(scenario.path, 1, f"{len(report.endings)} ending(s) reachable — a scenario needs at"
                                             f" least {MIN_ENDINGS}"))
    return out
