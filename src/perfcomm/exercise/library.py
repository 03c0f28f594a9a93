"""The course's stage exercises: every exercises/*.yaml, loaded and checked."""

from __future__ import annotations

from ..course import Course
from ..problems import ContentError, Problem
from .load import audit_key, load_exercise


def exercise_files(course: Course):
    folder = course.root / "exercises"
    return sorted(folder.glob("stage*.yaml")) if folder.is_dir() else []


def load_exercises(course: Course, catalogue, scenarios):
    """(exercises, problems). Audit runs are played to check they are complete, legal runs."""
    by_id = {s.id: s for s in scenarios}
    exercises, problems = [], []
    for path in exercise_files(course):
        shown = course.rel(path)
        try:
            exercise = load_exercise(path, shown, catalogue.ids(), list(by_id))
        except ContentError as err:
            problems += err.problems
            continue
        problems += check_audits(exercise, by_id)
        exercises.append(exercise)
    return exercises, problems


def check_audits(exercise, by_id: dict) -> list[Problem]:
    """Each audit question's run is a complete, legal run of its scenario that exercises the
    checkpoints it asks about."""
    from ..scenario import Dialogue

    problems = []
    for q in exercise.questions:
        if q.kind != "audit" or q.scenario not in by_id:
            continue
        try:
            key = audit_key(q, by_id[q.scenario])
            run = Dialogue(by_id[q.scenario], "zh")
            for n in q.choices:
                run.choose(n - 1)
            if not run.finished:
                raise IndexError("the run stops before an ending")
            unknown = [cp for cp in q.audit if cp not in by_id[q.scenario].checkpoints]
            if unknown or len(key) != len(q.audit):
                problems.append(Problem(exercise.path, q.line, f"question '{q.id}': checkpoint '{unknown[0]}'"
                                                               f" is not exercised by scenario '{q.scenario}'"))
        except IndexError as err:
            problems.append(Problem(exercise.path, q.line, f"question '{q.id}': choices {list(q.choices)} are not"
                                                           f" a complete run of '{q.scenario}' ({err}) — try them"
                                                           f" with perfcomm play {q.scenario} --choices …"))
    return problems
