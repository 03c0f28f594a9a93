"""`perfcomm trace`: for each checkpoint, where it is taught, simulated and tested."""

from __future__ import annotations

from .catalogue import load_catalogue
from .course import Course
from .lessons import taught_at
from .exam.bank import load_bank
from .exercise.library import load_exercises
from .scenario.library import load_all


def scenario_choices(scenarios) -> dict[str, list[dict]]:
    """checkpoint id -> the scenario choices that meet or violate it."""
    out: dict[str, list[dict]] = {}
    for scenario in scenarios:
        for node in scenario.nodes.values():
            for number, choice in enumerate(node.choices, 1):
                for tag, ids in (("meets", choice.meets), ("violates", choice.violates)):
                    for cp in ids:
                        out.setdefault(cp, []).append({"scenario": scenario.id, "node": node.id,
                                                       "choice": number, "tag": tag})
    return out


def tested_by(exercises, bank) -> dict[str, list[dict]]:
    """checkpoint id -> the exercise questions and exam items that test it."""
    out: dict[str, list[dict]] = {}
    for exercise in exercises:
        for q in exercise.questions:
            for cp in dict.fromkeys((*q.checkpoints, *q.audit)):
                out.setdefault(cp, []).append({"in": "exercise", "file": exercise.path, "id": q.id})
    for item in bank:
        for cp in item.checkpoints:
            out.setdefault(cp, []).append({"in": "exam", "file": item.path, "id": item.id})
    return out


def trace(course: Course) -> dict:
    catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
    taught = taught_at(course, catalogue)
    scenarios, _ = load_all(course, catalogue)
    exercised = scenario_choices(scenarios)
    tested = tested_by(load_exercises(course, catalogue, scenarios)[0], load_bank(course, catalogue)[0])
    return {
        "checkpoints": [
            {"id": cp.id, "stage": cp.stage, "taught": taught[cp.id], "scenarios": exercised.get(cp.id, []),
             "items": tested.get(cp.id, [])}
            for cp in catalogue.checkpoints
        ]
    }


def lesson_links(course: Course, catalogue, lang: str) -> dict[str, list[str]]:
    """checkpoint id -> the site URLs (in one language) of the sections that teach it."""
    return {cp: by_lang[lang] for cp, by_lang in taught_at(course, catalogue).items()}
