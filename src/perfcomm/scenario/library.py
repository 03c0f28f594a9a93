"""The course's scenarios: every lessons/scenarios/*.yaml, loaded and checked."""

from __future__ import annotations

import hashlib

from ..catalogue import Catalogue
from ..course import Course
from ..problems import ContentError, Problem, did_you_mean
from .explore import explore, remember
from .load import load_scenario
from .model import Scenario
from .policy import course_rules


def scenario_files(course: Course):
    folder = course.lessons_data / "scenarios"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_all(course: Course, catalogue: Catalogue | None, explored: bool = False):
    """(scenarios, problems). With explored=True each scenario is also played through exhaustively."""
    scenarios, problems = [], []
    ids = catalogue.ids() if catalogue else None
    seen: dict[str, str] = {}
    for path in scenario_files(course):
        shown = course.rel(path)
        try:
            scenario = load_scenario(path, shown, ids)
        except ContentError as err:
            problems += err.problems
            continue
        if scenario.id in seen:
            problems.append(Problem(shown, 1, f"scenario id '{scenario.id}' is also used by {seen[scenario.id]}"))
            continue
        seen[scenario.id] = shown
        if explored:
            problems += _explored_problems(path.read_bytes(), scenario)
        scenarios.append(scenario)
    return scenarios, problems


_explored: dict = {}


def _explored_problems(content: bytes, scenario: Scenario) -> list:
    """Exploring a scenario takes seconds: a file whose bytes have not changed is explored once.
    The exploration is kept for this scenario object (explore_once), for its results and cues."""
    key = (hashlib.sha256(content).hexdigest(), scenario.path)
    if key not in _explored:
        report = explore(scenario)
        _explored[key] = (report, report.problems or course_rules(scenario, report))
    report, problems = _explored[key]
    remember(scenario, report)
    return problems


def find(course: Course, catalogue: Catalogue | None, scenario_id: str) -> Scenario:
    for path in scenario_files(course):
        if path.stem == scenario_id:
            return load_scenario(path, course.rel(path), catalogue.ids() if catalogue else None)
    scenarios, _ = load_all(course, catalogue)
    for scenario in scenarios:
        if scenario.id == scenario_id:
            return scenario
    known = [s.id for s in scenarios]
    raise LookupError(f"no scenario '{scenario_id}'{did_you_mean(scenario_id, known)}"
                      f" — `perfcomm scenarios` lists them")
