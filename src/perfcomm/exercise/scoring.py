"""Scoring functions the hidden tests call. Each returns the points earned as a number (nbgrader
takes a test cell's numeric result as partial credit) and never raises: a missing or malformed
answer earns 0, so no traceback can ever print a hidden line."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

from . import answers

RUNS_DIR = "runs"


def _points(points: float, fraction: float) -> float:
    return round(points * max(0.0, min(1.0, fraction)), 2)


def single(question: str, key: str, points: float) -> float:
    return _points(points, 1.0 if answers.get(question) == key else 0.0)


def multiple(question: str, key: list, points: float) -> float:
    """Partial credit: one share per right option chosen, minus one per wrong option chosen."""
    chosen = answers.get(question)
    if not isinstance(chosen, list):
        return 0.0
    right, picked = set(key), set(map(str, chosen))
    return _points(points, (len(picked & right) - len(picked - right)) / len(right))


def order(question: str, key: list, points: float) -> float:
    """Partial credit: the share of pairs of steps put in the right relative order."""
    given = answers.get(question)
    if not isinstance(given, list) or sorted(map(str, given)) != sorted(key):
        return 0.0
    position = {step: i for i, step in enumerate(given)}
    pairs = list(combinations(key, 2))
    return _points(points, sum(position[a] < position[b] for a, b in pairs) / len(pairs))


def match(question: str, key: dict, points: float) -> float:
    """Partial credit: the share of items matched to the right option."""
    given = answers.get(question)
    if not isinstance(given, dict):
        return 0.0
    return _points(points, sum(given.get(item) == option for item, option in key.items()) / len(key))


def audit(question: str, key: dict, points: float) -> float:
    """Partial credit: the share of checkpoints judged right (met / missed / violated)."""
    return match(question, key, points)


def scenario(scenario_id: str, points: float, best: int) -> float:
    """The saved run must be a legal, finished path through the scenario; scored by its checkpoints:
    points × (score / best possible score), never below 0. `best` is worked out when the exercise
    is built, so grading does not explore the scenario again."""
    try:
        from ..catalogue import load_catalogue
        from ..course import find_course
        from ..scenario import Dialogue
        from ..scenario.library import find

        saved = json.loads((Path(RUNS_DIR) / f"{scenario_id}.json").read_text(encoding="utf-8"))
        course = find_course()
        catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
        played = find(course, catalogue, scenario_id)
        dialogue = Dialogue.restore(played, json.dumps(saved["saved"]))
        if not dialogue.finished:
            return 0.0
        return _points(points, dialogue.score / max(best, 1))
    except Exception:  # noqa: BLE001 - any broken or forged run file earns 0, silently
        return 0.0
