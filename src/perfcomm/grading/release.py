"""Build every exercise's nbgrader source assignment and release it (nbgrader generate_assignment)."""

from __future__ import annotations

from ..catalogue import load_catalogue
from ..course import LANGUAGES, Course
from ..exercise.build import write_source
from ..exercise.library import load_exercises
from ..problems import ContentError
from ..scenario.library import load_all
from .workdir import Workdir


def course_exercises(course: Course, with_catalogue: bool = False):
    catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
    scenarios, problems = load_all(course, catalogue)
    exercises, more = load_exercises(course, catalogue, scenarios)
    if problems or more:
        raise ContentError(problems + more)
    if with_catalogue:
        return exercises, {s.id: s for s in scenarios}, catalogue
    return exercises, {s.id: s for s in scenarios}


def assignments(course: Course) -> list[str]:
    exercises, _ = course_exercises(course)
    return [e.assignment(lang) for e in exercises for lang in LANGUAGES]


def release(course: Course, workdir: Workdir, only: list[str] | None = None, say=print) -> list[str]:
    exercises, scenarios, catalogue = course_exercises(course, with_catalogue=True)
    api = workdir.api()
    done = []
    for exercise in exercises:
        for lang in LANGUAGES:
            name = exercise.assignment(lang)
            if only and name not in only:
                continue
            texts = {cp.id: cp.text[lang] for cp in catalogue.checkpoints}
            write_source(exercise, lang, scenarios, workdir.folder("source"), texts)
            result = api.generate_assignment(name, force=True, create=True)
            if not result.get("success"):
                raise RuntimeError(f"nbgrader could not release {name}:\n{result.get('error') or result.get('log')}")
            say(f"released {name} → {workdir.folder('release') / name}")
            done.append(name)
    return done
