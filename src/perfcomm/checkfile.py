"""`perfcomm check PATH` for a file that is not one of the course's own: a draft scenario in /tmp,
a bank file in a colleague's folder. The file is checked as the kind its content (or, for a page,
its name) shows, against the course's catalogue; a file of no kind perfcomm knows is refused."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import load_catalogue
from .check import Checked, course_files, page_references
from .course import DEFAULT_LANGUAGE, Course
from .problems import ContentError
from .yamlfile import load_file

KINDS = {   # kind -> (its name, how it is recognised)
    "scenario": ("a scenario", "YAML with format_version and nodes"),
    "bank": ("an item-bank file", "YAML with format_version and items"),
    "exercise": ("a stage exercise", "YAML with format_version and questions"),
    "catalogue": ("a checkpoint catalogue", "YAML with stages and checkpoints"),
    "blueprint": ("an exam blueprint", "YAML with draw"),
    "agenda": ("a workshop agenda file", "YAML with agendas"),
    "lesson": ("a lesson page", "Markdown whose front matter has stage, teaching and exercises"),
    "page": ("a site page", "Markdown named NAME.zh.md or NAME.en.md"),
}
PAGE_NAME = re.compile(r"\.(zh|en)\.md$")
LESSON_KEYS = {"stage", "teaching", "exercises"}


class Refused(Exception):
    """A path perfcomm check cannot check: the message says why and what it can check."""


@dataclass
class Plan:
    course: list = field(default_factory=list)      # paths inside the course, as given
    files: list = field(default_factory=list)       # (path, kind) of files checked on their own
    whole: bool = False                             # no paths: the whole course


def plan(course: Course, paths: list[str]) -> Plan:
    if not paths:
        return Plan(whole=True)
    known = course_files(course)
    out = Plan()
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise Refused(f"{given}: no such file or folder")
        resolved = path.resolve()
        if path.is_dir():
            if any(resolved == f or resolved in f.parents for f in known):
                out.course.append(given)
                continue
            raise Refused(f"{given}: a folder with no course files in it — name the files to check")
        if resolved in known:
            out.course.append(given)
            continue
        try:
            kind = kind_of(path, course.rel(path))
        except ContentError as err:          # YAML that does not parse: say where
            out.files.append((path, err))
            continue
        if kind is None:
            raise Refused(f"{given}: not a kind of file perfcomm check knows — it checks "
                          + "; ".join(f"{name} ({how})" for name, how in KINDS.values()))
        out.files.append((path, kind))
    return out


def run(course: Course, todo: Plan, strict: bool = False) -> Checked:
    """Check what the plan names: the course (or the course files named), then each other file."""
    from .check import check_course, select

    result = Checked()
    if todo.whole or todo.course:
        checked = check_course(course, strict=strict)
        result.add(Checked(select(checked.errors, course, todo.course),
                           select(checked.warnings, course, todo.course),
                           checked.summary if todo.whole else []))
    for path, kind in todo.files:
        result.add(check_file(course, path, kind, strict=strict))
    return result


def checked_names(course: Course, todo: Plan) -> str:
    """What was checked, for the closing line: course paths as given, other files and kinds."""
    names = [*todo.course, *(f"{course.rel(path)} (checked as {KINDS[kind][0]})"
                             for path, kind in todo.files if isinstance(kind, str))]
    return ", ".join(names)


def kind_of(path: Path, shown: str) -> str | None:
    """What the file is, from its content (YAML) or its front matter and name (Markdown)."""
    if path.suffix in (".yaml", ".yml"):
        data = load_file(path, shown)
        if "nodes" in data and "format_version" in data:
            return "scenario"
        for key, kind in (("items", "bank"), ("questions", "exercise"), ("draw", "blueprint"),
                          ("agendas", "agenda")):
            if key in data:
                return kind
        if "checkpoints" in data and "stages" in data:
            return "catalogue"
        return None
    if path.suffix == ".md":
        from .pages import read_page

        page = read_page(path, shown)
        if isinstance(page.meta, dict) and LESSON_KEYS & set(page.meta):
            return "lesson"
        return "page" if PAGE_NAME.search(path.name) else None
    return None


def check_file(course: Course, path: Path, kind, strict: bool = False) -> Checked:
    """Check one file as `kind` (a ContentError in place of a kind: the file did not parse)."""
    if isinstance(kind, ContentError):
        return Checked(sorted(kind.problems))
    shown = course.rel(path)
    catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
    try:
        return CHECKS[kind](course, catalogue, path, shown, strict)
    except ContentError as err:
        return Checked(sorted(err.problems))


def _scenario(course, catalogue, path, shown, strict) -> Checked:
    from .cues.course import scenario_lint
    from .scenario.explore import explore
    from .scenario.load import load_scenario
    from .scenario.policy import course_rules

    scenario = load_scenario(path, shown, catalogue.ids())
    report = explore(scenario)
    problems = report.problems or course_rules(scenario, report)
    if report.problems:
        return Checked(sorted(problems))
    cues = scenario_lint(scenario, report, strict)
    return Checked(sorted(problems + cues.errors), sorted(cues.warnings))


def _bank(course, catalogue, path, shown, strict) -> Checked:
    from .cues.course import bank_lint
    from .exam.bank import load_bank_file

    items, problems = load_bank_file(path, shown, catalogue.ids(), catalogue.stages)
    cues = bank_lint(items, shown, strict)
    return Checked(sorted(problems + cues.errors), sorted(cues.warnings))


def _exercise(course, catalogue, path, shown, strict) -> Checked:
    from .cues.course import exercises_lint
    from .exercise.library import check_audits
    from .exercise.load import load_exercise
    from .scenario.library import load_all

    scenarios, _ = load_all(course, catalogue)
    by_id = {s.id: s for s in scenarios}
    exercise = load_exercise(path, shown, catalogue.ids(), list(by_id))
    cues = exercises_lint([exercise], shown, strict)
    return Checked(sorted(check_audits(exercise, by_id) + cues.errors), sorted(cues.warnings))


def _catalogue(course, catalogue, path, shown, strict) -> Checked:
    load_catalogue(path, shown)
    return Checked()


def _blueprint(course, catalogue, path, shown, strict) -> Checked:
    from .exam.bank import load_bank
    from .exam.blueprint import load_blueprint

    items, _ = load_bank(course, catalogue)
    load_blueprint(course, items, path)
    return Checked()


def _agenda(course, catalogue, path, shown, strict) -> Checked:
    from .agenda import load_agendas

    load_agendas(course, None, path)
    return Checked()


def _lesson(course, catalogue, path, shown, strict) -> Checked:
    from .lessons import Lesson, check_lesson
    from .pages import read_page

    page = read_page(path, shown)
    match = PAGE_NAME.search(path.name)
    lang = match.group(1) if match else DEFAULT_LANGUAGE
    meta = page.meta
    lesson = Lesson(path.name, meta.get("stage"), {lang: meta.get("title")},
                    meta.get("teaching") or 0, meta.get("exercises") or 0, {lang: page})
    return Checked(sorted(set(check_lesson(lesson, catalogue) + page_references(page, catalogue))))


def _page(course, catalogue, path, shown, strict) -> Checked:
    from .pages import read_page

    return Checked(sorted(page_references(read_page(path, shown), catalogue)))


CHECKS = {"scenario": _scenario, "bank": _bank, "exercise": _exercise, "catalogue": _catalogue,
          "blueprint": _blueprint, "agenda": _agenda, "lesson": _lesson, "page": _page}
