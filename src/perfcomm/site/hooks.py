"""mkdocs hooks for the course site (listed under `hooks:` in mkdocs.yml).

- render course data into pages: checkpoint badges, lesson overview and key points, agendas,
  the checkpoint catalogue;
- publish the notebooks of lessons/notebooks/ as pages, after mkdocs-static-i18n has rebuilt the
  file list (it drops mkdocs-jupyter's notebook handling, see restore_notebooks).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from perfcomm.agenda import load_agendas
from perfcomm.catalogue import load_catalogue
from perfcomm.course import DEFAULT_LANGUAGE, Course
from perfcomm.lessons import PRACTICE_MARKER, taught_at
from perfcomm.problems import ContentError
from perfcomm.scenario.graph import mermaid
from perfcomm.scenario.library import load_all
from perfcomm.site import render
from perfcomm.yamlfile import load_file

AGENDA_MARKER = "<!-- perfcomm:agenda {name} -->"
CATALOGUE_MARKER = "<!-- perfcomm:catalogue -->"
SCENARIOS_MARKER = "<!-- perfcomm:scenarios -->"
NOTEBOOK_DIR = "notebooks"     # under lessons/
NOTEBOOK_SITE_DIR = "scenarios"  # where notebook pages are published

_state: dict = {}


def on_config(config):
    try:
        return _load(config)
    except ContentError as err:  # an author's mistake: say where, no traceback
        raise PluginError(f"{err}\nRun `perfcomm check` for the full list.") from None


def _load(config):
    course = Course(Path(config.config_file_path).parent)
    _state["course"] = course
    _state["catalogue"] = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
    _state["ui"] = load_file(course.ui_file, course.rel(course.ui_file))
    _state["agendas"] = load_agendas(course)
    _state["taught"] = taught_at(course, _state["catalogue"])
    scenarios, problems = load_all(course, _state["catalogue"])
    if problems:
        raise ContentError(problems)
    _state["scenarios"] = scenarios
    if str(course.lessons_data) not in config.watch:
        config.watch.append(str(course.lessons_data))
    return config


def _notebooks(course: Course) -> dict[str, Path]:
    folder = course.lessons_data / NOTEBOOK_DIR
    return {f"{NOTEBOOK_SITE_DIR}/{p.name}": p for p in sorted(folder.glob("*.ipynb"))} if folder.is_dir() else {}


@event_priority(50)
def add_notebooks(files: Files, config) -> Files:
    """Add lessons/notebooks/*.ipynb to the file list before the i18n and jupyter plugins see it."""
    # Registered as if under docs/ (the i18n plugin drops pages from elsewhere); the real source
    # is set back in restore_notebooks.
    for src_uri in _notebooks(_state["course"]):
        if files.get_file_from_path(src_uri) is None:
            files.append(File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls))
    return files


@event_priority(-200)
def restore_notebooks(files: Files, config) -> Files:
    """mkdocs-static-i18n (priority -100) rebuilds every File and loses mkdocs-jupyter's NotebookFile
    wrapper, so notebooks would be published as raw JSON. Wrap them again, point them at their real
    source and publish them as NAME/index.html under the language's folder."""
    from mkdocs_jupyter.plugin import NotebookFile

    sources = _notebooks(_state["course"])
    # Replace in place: `files` is the i18n plugin's own Files subclass, which resolves nav and links.
    for file in [f for f in files if f.src_uri in sources and not isinstance(f, NotebookFile)]:
        file.abs_src_path = str(sources[file.src_uri])
        building = getattr(file, "locale_alternate_of", DEFAULT_LANGUAGE)
        prefix = "" if building == DEFAULT_LANGUAGE else f"{building}/"
        name = Path(file.src_uri).name.split(".")[0]            # 00-intro.zh.ipynb -> 00-intro
        page = f"{name}/index.html" if config.use_directory_urls else f"{name}.html"
        file.dest_path = f"{prefix}{NOTEBOOK_SITE_DIR}/{page}"
        file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_path))
        file.url = file._get_url(config.use_directory_urls)
        wrapped = NotebookFile(file, config.use_directory_urls, config.site_dir)
        wrapped.dest_path, wrapped.abs_dest_path, wrapped.url = file.dest_path, file.abs_dest_path, file.url
        wrapped.abs_src_path = file.abs_src_path  # File properties on the wrapper do not delegate
        files.remove(file)
        files.append(wrapped)
    return files


on_files = CombinedEvent(add_notebooks, restore_notebooks)


def _stage_scenarios(stage) -> list:
    return [s for s in _state["scenarios"] if s.stage == stage]


def _stage_notebook(stage) -> str | None:
    """The notebook that runs a stage's scenarios: lessons/notebooks/0N-….ipynb (HR's: with stage 3)."""
    number = 3 if stage == 0 else stage
    for src_uri in _notebooks(_state["course"]):
        name = Path(src_uri).name
        if name.startswith(f"{number:02d}-"):
            return f"{NOTEBOOK_SITE_DIR}/{name.split('.')[0]}.ipynb"
    return None


def _language(page) -> str:
    return getattr(page.file, "locale", None) or DEFAULT_LANGUAGE


def on_page_markdown(markdown: str, page, config, files) -> str:
    lang, ui, catalogue = _language(page), _state["ui"], _state["catalogue"]
    src = getattr(page.file, "norm_src_uri", None) or page.file.src_uri
    if src.startswith("lessons/") and "teaching" in page.meta:
        markdown = render.lesson_boxes(markdown, page.meta, lang, ui)
        if PRACTICE_MARKER in markdown:
            stage = page.meta.get("stage")
            markdown = markdown.replace(PRACTICE_MARKER, render.practice_list(
                _stage_scenarios(stage), _stage_notebook(stage), lang, ui, src))
    for name, rows in _state["agendas"].items():
        marker = AGENDA_MARKER.format(name=name)
        if marker in markdown:
            markdown = markdown.replace(marker, render.agenda_table(rows, lang, ui, src))
    if SCENARIOS_MARKER in markdown:
        groups = [(stage, _stage_notebook(stage), _stage_scenarios(stage)) for stage in sorted(catalogue.stages)
                  if _stage_scenarios(stage)]
        markdown = markdown.replace(SCENARIOS_MARKER, render.scenario_catalogue(
            groups, lang, ui, src, catalogue.stages, mermaid))
    if CATALOGUE_MARKER in markdown:
        url = page.file.url.rstrip("/")
        markdown = markdown.replace(CATALOGUE_MARKER,
                                    render.catalogue_page(catalogue, _state["taught"], lang, ui, url))
    return render.checkpoint_badges(markdown, catalogue, lang, src, ui)


_HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def on_post_page(output: str, page, config) -> str:
    """Drop the <head> hreflang links. mkdocs-material treats each as a language *root* and fetches
    `sitemap.xml` below it; the i18n plugin points them at the page's twin, so every page load would
    request a missing file. The language menu's own links still go to the twin page."""
    head_end = output.find("</head>")
    return _HEAD_ALTERNATE.sub("", output[:head_end]) + output[head_end:]
