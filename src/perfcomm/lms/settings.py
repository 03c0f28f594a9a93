"""lessons/lms.yaml: what only a learning platform needs — the course's IRI and the pass marks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..course import Course
from ..problems import ContentError, Problem, did_you_mean
from ..yamlfile import load_file

FORMAT_VERSION = 1
FILE = "lms.yaml"     # under lessons/
# An absolute IRI: a scheme, then no spaces, quotes or angle brackets (RFC 3987, loosely).
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class LmsSettings:
    course_id: str
    mastery_score: int                       # percent of a scenario's best score
    mastery_scores: dict = field(default_factory=dict)   # scenario id -> percent

    def mastery(self, scenario_id: str) -> int:
        return self.mastery_scores.get(scenario_id, self.mastery_score)


def _percent(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100


def load_settings(course: Course, scenario_ids=None) -> LmsSettings:
    """Read lessons/lms.yaml; every mistake is a ContentError that says where, and the fix."""
    path = course.lessons_data / FILE
    shown = course.rel(path)
    data = load_file(path, shown)
    problems: list[Problem] = []
    if data.get("format_version") != FORMAT_VERSION:
        problems.append(Problem(shown, data.line_of("format_version"), f"format_version must be {FORMAT_VERSION}"))
    course_id = data.get("course_id")
    if not isinstance(course_id, str) or not IRI.match(course_id):
        problems.append(Problem(shown, data.line_of("course_id"),
                                f"course_id {course_id!r} is not an IRI — write one your company owns, like"
                                " \"https://learning.example.com/perfcomm\" or \"tag:example.com,2026:perfcomm\""))
    default = data.get("mastery_score")
    if not _percent(default):
        problems.append(Problem(shown, data.line_of("mastery_score"),
                                f"mastery_score {default!r} must be a whole number of percent from 0 to 100"))
    overrides = data.get("mastery_scores") or {}
    if not isinstance(overrides, dict):
        problems.append(Problem(shown, data.line_of("mastery_scores"),
                                "mastery_scores is a mapping: scenario id, colon, percentage"))
        overrides = {}
    for scenario_id, value in overrides.items():
        line = overrides.line_of(scenario_id) if hasattr(overrides, "line_of") else data.line_of("mastery_scores")
        if scenario_ids is not None and scenario_id not in scenario_ids:
            problems.append(Problem(shown, line, f"mastery_scores: no scenario '{scenario_id}'"
                                                 f"{did_you_mean(scenario_id, scenario_ids)}"))
        if not _percent(value):
            problems.append(Problem(shown, line, f"mastery_scores: '{scenario_id}' has {value!r} — write a whole"
                                                 " number of percent from 0 to 100"))
    if problems:
        raise ContentError(problems)
    return LmsSettings(course_id.rstrip("/"), default, {str(k): v for k, v in overrides.items()})
