"""`perfcomm check`: validate every authored file of the course, or only the paths given."""

from __future__ import annotations

from pathlib import Path

from .agenda import load_agendas
from .catalogue import Catalogue, load_catalogue
from .course import LANGUAGES, Course
from .lessons import all_pages, check_lesson, check_twins, read_lessons, taught_at
from .pages import read_page
from .problems import ContentError, Problem
from .exam.bank import load_bank
from .exam.blueprint import load_blueprint
from .exercise.library import load_exercises
from .lms.settings import load_settings
from .scenario.library import load_all


def check_course(course: Course) -> list[Problem]:
    problems: list[Problem] = []
    try:
        catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
    except ContentError as err:
        return sorted(err.problems)  # everything else refers to the catalogue
    problems += check_twins(course)
    lessons, read_problems = read_lessons(course)
    problems += read_problems
    for lesson in lessons:
        problems += check_lesson(lesson, catalogue)
    problems += check_references(course, catalogue)
    problems += check_taught(course, catalogue)
    scenarios, scenario_problems = load_all(course, catalogue, explored=True)
    problems += scenario_problems
    problems += load_exercises(course, catalogue, scenarios)[1]
    items, bank_problems = load_bank(course, catalogue)
    problems += bank_problems
    if items and not bank_problems:
        try:
            load_blueprint(course, items)
        except ContentError as err:
            problems += err.problems
    try:
        load_agendas(course, lessons)
    except ContentError as err:
        problems += err.problems
    if (course.lessons_data / "lms.yaml").is_file():
        try:
            load_settings(course, {s.id for s in scenarios})
        except ContentError as err:
            problems += err.problems
    return sorted(set(problems))


def check_references(course: Course, catalogue: Catalogue) -> list[Problem]:
    out = []
    for by_lang in all_pages(course).values():
        for path in by_lang.values():
            try:
                page = read_page(path, course.rel(path))
            except ContentError as err:
                out += err.problems
                continue
            for marker in page.markers:
                if marker.checkpoint not in catalogue:
                    out.append(Problem(page.shown, marker.line,
                                       f"broken checkpoint reference [[cp:{marker.checkpoint}]]: "
                                       f"{catalogue.unknown(marker.checkpoint)}"))
    return out


def check_taught(course: Course, catalogue: Catalogue) -> list[Problem]:
    out = []
    taught = taught_at(course, catalogue)
    for cp in catalogue.checkpoints:
        for lang in LANGUAGES:
            if not taught[cp.id][lang]:
                out.append(Problem(catalogue.path, cp.line,
                                   f"checkpoint '{cp.id}' is taught nowhere in '{lang}' — mark the section that"
                                   f" teaches it with [[cp:{cp.id}]] in a {lang} page"))
    return out


def select(problems: list[Problem], course: Course, paths: list[str]) -> list[Problem]:
    """Keep the problems in the files (or folders) named on the command line."""
    if not paths:
        return problems
    wanted = [course.rel(Path(p)) for p in paths]
    return [p for p in problems if any(p.path == w or p.path.startswith(w.rstrip("/") + "/") for w in wanted)]
