"""The lesson pages: their shared skeleton, and where each checkpoint is taught."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue
from .course import DEFAULT_LANGUAGE, LANGUAGES, Course
from .pages import Page, page_language, page_url, read_page
from .problems import ContentError, Problem

# Sections every lesson has after its body, in this order (explicit ids, same in both languages).
SECTIONS = ("technique", "dialogue", "checkpoints", "mistakes", "self-check", "practice")
LIST_FIELDS = ("questions", "objectives", "keypoints")
MINUTE_FIELDS = ("teaching", "exercises")
PRACTICE_MARKER = "<!-- perfcomm:practice -->"
SOURCE_HINT = re.compile(r"(1[89]|20)\d\d|Center for Creative Leadership|创新领导力中心")


@dataclass(frozen=True)
class Lesson:
    name: str            # e.g. lessons/01-goal-setting
    stage: int
    title: dict          # lang -> title
    teaching: int
    exercises: int
    pages: dict          # lang -> Page


def all_pages(course: Course) -> dict[str, dict[str, Path]]:
    """Every Markdown page under docs/, grouped: name -> {lang: path}."""
    grouped: dict[str, dict[str, Path]] = {}
    for path in sorted(course.docs.rglob("*.md")):
        rel = path.relative_to(course.docs)
        name, lang = page_language(rel)
        grouped.setdefault(str(rel.parent / name) if str(rel.parent) != "." else name, {})[lang] = path
    return grouped


def notebooks(course: Course) -> dict[str, dict[str, Path]]:
    """Every notebook under lessons/notebooks/, grouped: name -> {lang: path}."""
    grouped: dict[str, dict[str, Path]] = {}
    for path in sorted((course.lessons_data / "notebooks").glob("*.ipynb")):
        name, lang = page_language(path.relative_to(course.lessons_data))
        grouped.setdefault(name, {})[lang] = path
    return grouped


def check_twins(course: Course) -> list[Problem]:
    problems = []
    for name, by_lang in [*all_pages(course).items(), *notebooks(course).items()]:
        for lang, path in by_lang.items():
            if lang not in LANGUAGES:
                problems.append(Problem(course.rel(path), 0, f"page has no language suffix — rename it"
                                                             f" {name}.zh.md and add {name}.en.md"))
        for lang in LANGUAGES:
            if lang not in by_lang and any(k in LANGUAGES for k in by_lang):
                other = next(by_lang[k] for k in LANGUAGES if k in by_lang)
                twin = other.with_name(other.name.replace(f".{other.name.split('.')[-2]}.", f".{lang}."))
                problems.append(Problem(course.rel(other), 0, f"page exists in one language only —"
                                                              f" add its '{lang}' twin {course.rel(twin)}"))
    return problems


def read_lessons(course: Course) -> tuple[list[Lesson], list[Problem]]:
    problems: list[Problem] = []
    lessons = []
    grouped = {n: p for n, p in all_pages(course).items() if n.startswith("lessons/")}
    for name, by_lang in sorted(grouped.items()):
        pages = {}
        for lang, path in by_lang.items():
            if lang not in LANGUAGES:
                continue
            try:
                pages[lang] = read_page(path, course.rel(path))
            except ContentError as err:
                problems.extend(err.problems)
        if not pages:
            continue
        first = pages.get(DEFAULT_LANGUAGE) or next(iter(pages.values()))
        meta = first.meta
        lessons.append(Lesson(name, meta.get("stage"), {k: p.meta.get("title") for k, p in pages.items()},
                              _int(meta.get("teaching")), _int(meta.get("exercises")), pages))
    return lessons, problems


def _int(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def check_lesson(lesson: Lesson, catalogue: Catalogue) -> list[Problem]:
    problems: list[Problem] = []
    for lang, page in lesson.pages.items():
        problems.extend(_check_skeleton(page, catalogue))
    if set(lesson.pages) == set(LANGUAGES):
        problems.extend(_check_twins_agree(lesson))
    return problems


def _check_skeleton(page: Page, catalogue: Catalogue) -> list[Problem]:
    shown = page.shown
    out: list[Problem] = []
    meta, line = page.meta, page.meta_line or 1

    def need(condition: bool, at: int, message: str):
        if not condition:
            out.append(Problem(shown, at, message))

    if not page.meta:
        return [Problem(shown, 1, "lesson has no front matter — start the file with '---', title, stage,"
                                  " teaching, exercises, questions, objectives, keypoints, then '---'")]
    need(isinstance(meta.get("title"), str) and meta["title"].strip(), line, "front matter: 'title' is missing")
    need(meta.get("stage") in catalogue.stages, meta.line_of("stage") if "stage" in meta else line,
         f"front matter: 'stage' must be one of {sorted(catalogue.stages)}")
    for key in MINUTE_FIELDS:
        value = meta.get(key)
        need(isinstance(value, int) and not isinstance(value, bool) and value >= 0,
             meta.line_of(key) if key in meta else line,
             f"front matter: '{key}' must be a whole number of minutes — e.g. `{key}: 30`")
    for key in LIST_FIELDS:
        value = meta.get(key)
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    out.append(Problem(shown, value.line_of(index),
                                       f"front matter: {key} item {index + 1} reads as a mapping because of"
                                       " ': ' — put the sentence in quotes"))
        need(isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value),
             meta.line_of(key) if key in meta else line,
             f"front matter: '{key}' must be a non-empty list of sentences")
    known = set(meta) - {"title", "stage", *MINUTE_FIELDS, *LIST_FIELDS}
    for key in sorted(known, key=str):
        out.append(Problem(shown, meta.line_of(key), f"front matter: unknown key '{key}'"))

    need(any(h.level == 1 for h in page.headings), 1, "lesson has no '# title' heading")
    h2 = [h for h in page.headings if h.level == 2]
    positions = {h.anchor: i for i, h in enumerate(h2) if h.explicit}
    last = -1
    for anchor in SECTIONS:
        if anchor not in positions:
            out.append(Problem(shown, h2[-1].line if h2 else 1,
                               f"lesson skeleton: section '## … {{#{anchor}}}' is missing — sections after the"
                               f" body are {', '.join('#' + s for s in SECTIONS)}, in that order"))
            continue
        if positions[anchor] < last:
            out.append(Problem(shown, h2[positions[anchor]].line,
                               f"lesson skeleton: section #{anchor} is out of order — expected order"
                               f" {', '.join('#' + s for s in SECTIONS)}"))
        last = positions[anchor]
    first_fixed = min((positions[a] for a in SECTIONS if a in positions), default=len(h2))
    need(first_fixed > 0, page.headings[0].line if page.headings else 1,
         "lesson skeleton: the body (at least one '## …' section) must come before #technique")

    technique = page.section("technique")
    if technique:
        body = _section_text(page, technique)
        need(bool(SOURCE_HINT.search(body)), technique.line,
             "section #technique: name the technique's source (author or body and year)")
    dialogue = page.section("dialogue")
    if dialogue:
        kinds = {kind for _, kind, _, _ in page.in_section("dialogue", page.admonitions)}
        need({"failure", "success"} <= kinds, dialogue.line,
             "section #dialogue: show the same situation twice — a '!!! failure' and a '!!! success' block")
    check = page.section("self-check")
    if check:
        hidden = [a for a in page.in_section("self-check", page.admonitions) if a[0].startswith("???")]
        need(len(hidden) >= 2, check.line,
             "section #self-check: at least 2 questions with hidden answers ('??? question \"…\"')")
    practice = page.section("practice")
    if practice:
        need(PRACTICE_MARKER in _section_text(page, practice), practice.line,
             f"section #practice: keep the line {PRACTICE_MARKER} (the build fills in scenarios and exercises)")
    listed = page.in_section("checkpoints", page.markers)
    if page.section("checkpoints") and meta.get("stage") in catalogue.stages:
        missing = {cp.id for cp in catalogue.of_stage(meta["stage"])} - {m.checkpoint for m in listed}
        for cp_id in sorted(missing):
            out.append(Problem(shown, page.section("checkpoints").line,
                               f"section #checkpoints: checkpoint '{cp_id}' of stage {meta['stage']} is not"
                               f" listed — add a line `- [[cp:{cp_id}]]: …`"))
    return out


def _section_text(page: Page, heading) -> str:
    after = [h.line for h in page.headings if h.line > heading.line and h.level <= heading.level]
    end = after[0] if after else len(page.lines) + 1
    return "\n".join(page.lines[heading.line: end - 1])


def _check_twins_agree(lesson: Lesson) -> list[Problem]:
    out = []
    zh, en = lesson.pages["zh"], lesson.pages["en"]
    for key in ("stage", *MINUTE_FIELDS):
        if zh.meta.get(key) != en.meta.get(key):
            out.append(Problem(en.shown, en.meta.line_of(key) if key in en.meta else 1,
                               f"front matter: '{key}' is {en.meta.get(key)!r} here but {zh.meta.get(key)!r}"
                               f" in {zh.shown} — twins must agree"))
    zh_marks = {m.checkpoint for m in zh.markers}
    en_marks = {m.checkpoint for m in en.markers}
    for cp_id in sorted(zh_marks - en_marks):
        out.append(Problem(en.shown, 1, f"checkpoint '{cp_id}' is taught in {zh.shown} but not here —"
                                        f" add [[cp:{cp_id}]] where the English text teaches it"))
    for cp_id in sorted(en_marks - zh_marks):
        out.append(Problem(zh.shown, 1, f"checkpoint '{cp_id}' is taught in {en.shown} but not here —"
                                        f" add [[cp:{cp_id}]] where the Chinese text teaches it"))
    return out


def taught_at(course: Course, catalogue: Catalogue) -> dict[str, dict[str, list[str]]]:
    """checkpoint id -> {lang: ['url#anchor', …]}: the sections that teach it, from every page's markers."""
    taught: dict[str, dict[str, list[str]]] = {cp: {lang: [] for lang in LANGUAGES} for cp in catalogue.ids()}
    for name, by_lang in all_pages(course).items():
        for lang, path in by_lang.items():
            if lang not in LANGUAGES:
                continue
            try:
                page = read_page(path, course.rel(path))
            except ContentError:
                continue
            rel = str(path.relative_to(course.docs))
            for marker in page.markers:
                if marker.checkpoint not in taught or marker.heading is None:
                    continue
                # Listing a checkpoint in the HR checklist is not teaching it: skip that section.
                if page.h2_of(marker.heading) and page.h2_of(marker.heading).anchor == "checkpoints":
                    continue
                link = f"{page_url(rel, lang, DEFAULT_LANGUAGE)}#{marker.heading.anchor}"
                if link not in taught[marker.checkpoint][lang]:
                    taught[marker.checkpoint][lang].append(link)
    return taught
