"""What a learning platform sees of the course: its title, and per stage the lessons and scenarios
it launches, each a page of the site built with `--no-directory-urls`.

    course_outline(course, "zh") -> Outline(title, description, stages=[Stage(…, units=[Unit…])])
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from ..catalogue import load_catalogue
from ..course import DEFAULT_LANGUAGE, Course
from ..lessons import read_lessons
from ..problems import ContentError
from ..scenario.library import load_all
from .settings import LmsSettings, load_settings

LANGUAGE_TAGS = {"zh": "zh-CN", "en": "en-US"}     # for xAPI language maps and cmi5 langstrings


@dataclass(frozen=True)
class Unit:
    kind: str            # "lesson" or "scenario"
    key: str             # lessons/01-goal-setting, scenarios/s1-new-hire-goals
    title: str
    description: str
    page: str            # the site's page, relative to the site root: en/lessons/01-goal-setting.html
    mastery: int | None  # percent; scenarios only

    @property
    def identifier(self) -> str:
        """A short id that is an XML ID and a SCORM 1.2 identifier: lesson-01-goal-setting."""
        return f"{self.kind}-{self.key.split('/', 1)[1]}"

    @property
    def launch(self) -> str:
        """The copy of the page a platform launches: the page with the platform's adapter."""
        return self.page.removesuffix(".html") + ".lms.html"


@dataclass(frozen=True)
class Stage:
    number: int
    title: str
    units: tuple


@dataclass(frozen=True)
class Outline:
    lang: str
    course_id: str       # IRI from lessons/lms.yaml, with the language: <course_id>/<lang>
    title: str
    description: str
    stages: tuple
    settings: LmsSettings

    @property
    def units(self) -> list[Unit]:
        return [unit for stage in self.stages for unit in stage.units]

    def iri(self, unit: Unit) -> str:
        return f"{self.course_id}/{unit.key}"


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml names Python objects (!!python/name:…); only its plain values are read here."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _site_words(course: Course, lang: str) -> tuple[str, str]:
    config = yaml.load((course.root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)  # noqa: S506
    title, description = config.get("site_name", ""), config.get("site_description", "")
    if lang != DEFAULT_LANGUAGE:
        for plugin in config.get("plugins") or []:
            if isinstance(plugin, dict) and "i18n" in plugin:
                for language in plugin["i18n"].get("languages") or []:
                    if language.get("locale") == lang:
                        title = language.get("site_name", title)
                        description = language.get("site_description", description)
    return title, description


def _page(lang: str, path: str) -> str:
    return path if lang == DEFAULT_LANGUAGE else f"{lang}/{path}"


def course_outline(course: Course, lang: str) -> Outline:
    """Stages in the catalogue's order; in each, its lessons, then its scenarios (HR's are stage 0)."""
    catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
    scenarios, problems = load_all(course, catalogue)
    lessons, lesson_problems = read_lessons(course)
    if problems or lesson_problems:
        raise ContentError(problems + lesson_problems)
    settings = load_settings(course, {s.id for s in scenarios})
    stages = []
    for number, titles in catalogue.stages.items():
        units = []
        for lesson in lessons:
            if lesson.stage == number and lang in lesson.pages:
                objectives = lesson.pages[lang].meta.get("objectives") or []
                units.append(Unit("lesson", lesson.name, lesson.title[lang],
                                  "\n".join(str(o) for o in objectives) or lesson.title[lang],
                                  _page(lang, f"{lesson.name}.html"), None))
        for scenario in scenarios:
            if scenario.stage == number:
                units.append(Unit("scenario", f"scenarios/{scenario.id}", scenario.title[lang],
                                  scenario.persona[lang], _page(lang, f"scenarios/{scenario.id}.html"),
                                  settings.mastery(scenario.id)))
        if units:
            stages.append(Stage(number, titles[lang], tuple(units)))
    title, description = _site_words(course, lang)
    return Outline(lang, f"{settings.course_id}/{lang}", title, description, tuple(stages), settings)
