"""`perfcomm check`: validate every authored file of the course, or only the paths given; the
answer-cue lint adds warnings (errors under --strict when a rate is above its target)."""

from __future__ import annotations

from dataclasses import dataclass, field
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
from .cues.course import course_lint, summary
from .kit.data import load_kit
from .scenario.explore import explore_once
from .lms.settings import load_settings
from .scenario.library import load_all


@dataclass
class Checked:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    summary: list = field(default_factory=list)     # the course's answer-cue rates, a few lines

    def add(self, other: Checked) -> None:
        self.errors = sorted(set(self.errors + other.errors))
        self.warnings = sorted(set(self.warnings + other.warnings))
        self.summary += other.summary


def check_course(course: Course, strict: bool = False) -> Checked:
    problems: list[Problem] = []
    try:
        catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
    except ContentError as err:
        return Checked(sorted(err.problems))  # everything else refers to the catalogue
    problems += check_twins(course)
    lessons, read_problems = read_lessons(course)
    problems += read_problems
    for lesson in lessons:
        problems += check_lesson(lesson, catalogue)
    problems += check_references(course, catalogue)
    problems += check_taught(course, catalogue)
    scenarios, scenario_problems = load_all(course, catalogue, explored=True)
    problems += scenario_problems
    exercises, exercise_problems = load_exercises(course, catalogue, scenarios)
    problems += exercise_problems
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
    if (course.lessons_data / "kit.yaml").is_file():
        try:
            load_kit(course, scenarios, lessons)
        except ContentError as err:
            problems += err.problems
    if (course.lessons_data / "lms.yaml").is_file():
        try:
            load_settings(course, {s.id for s in scenarios})
        except ContentError as err:
            problems += err.problems
    broken = {p.path for p in scenario_problems}
    explored = [(s, explore_once(s)) for s in scenarios if s.path not in broken]
    cues = course_lint(explored, items, exercises, strict)
    return Checked(sorted(set(problems + cues.errors)), sorted(set(cues.warnings)),
                   summary(cues.figures))


def check_references(course: Course, catalogue: Catalogue) -> list[Problem]:
    out = []
    for by_lang in all_pages(course).values():
        for path in by_lang.values():
            try:
                page = read_page(path, course.rel(path))
            except ContentError as err:
                out += err.problems
                continue
            out += page_references(page, catalogue)
    return out


def page_references(page, catalogue: Catalogue) -> list[Problem]:
    """A [[cp:…]] marker naming no checkpoint of the catalogue."""
    return [Problem(page.shown, m.line, f"broken checkpoint reference [[cp:{m.checkpoint}]]:"
                                        f" {catalogue.unknown(m.checkpoint)}")
            for m in page.markers if m.checkpoint not in catalogue]


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


def course_files(course: Course) -> list[Path]:
    """Every file check_course reads: a path among them (or a folder holding some) is checked as
    part of the course; any other file is checked on its own as the kind it shows (checkfile.py)."""
    from .exam.bank import bank_files
    from .exam.blueprint import BLUEPRINT
    from .exercise.library import exercise_files
    from .lessons import notebooks
    from .scenario.library import scenario_files

    files = [course.catalogue_file, course.agenda_file, course.root / BLUEPRINT,
             course.lessons_data / "kit.yaml", course.lessons_data / "roleplay.yaml"]
    files += [path for by_lang in (*all_pages(course).values(), *notebooks(course).values())
              for path in by_lang.values()]
    files += [*scenario_files(course), *exercise_files(course), *bank_files(course)]
    return [path.resolve() for path in files if path.is_file()]
