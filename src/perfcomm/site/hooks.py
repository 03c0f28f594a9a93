"""mkdocs hooks for the course site (listed under `hooks:` in mkdocs.yml).

- render course data into pages: checkpoint badges, lesson overview and key points, agendas,
  the checkpoint catalogue;
- publish the notebooks of lessons/notebooks/ that the nav names as pages, after mkdocs-static-i18n
  has rebuilt the file list (it drops mkdocs-jupyter's notebook handling, see restore_notebooks),
  and every notebook as a download;
- a page per scenario (scenarios/<id>/) and the stage practice pages, each with the in-page player:
  the scenario compiled to JSON inside the page, played by the JavaScript runtime in assets/perfcomm/.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from perfcomm.agenda import load_agendas
from perfcomm.catalogue import load_catalogue
from perfcomm.exercise.library import load_exercises
from perfcomm.lite import build as lite
from perfcomm.course import DEFAULT_LANGUAGE, LANGUAGES, Course
from perfcomm.lessons import PRACTICE_MARKER, taught_at
from perfcomm.players.words import words
from perfcomm.problems import ContentError
from perfcomm.scenario.compiled import compile_scenario
from perfcomm.scenario.graph import mermaid
from perfcomm.scenario.library import load_all
from perfcomm.site import kit, player, render
from perfcomm.yamlfile import load_file

AGENDA_MARKER = "<!-- perfcomm:agenda {name} -->"
CATALOGUE_MARKER = "<!-- perfcomm:catalogue -->"
KIT_MARKER = "<!-- perfcomm:kit -->"
SCENARIOS_MARKER = "<!-- perfcomm:scenarios -->"
PLAYER_MARKER = re.compile(r"<!-- perfcomm:player ([a-z0-9][a-z0-9_-]*) -->")
STAGE_PLAYERS_MARKER = "<!-- perfcomm:stage-players -->"
NOTEBOOK_DIR = "notebooks"     # under lessons/
NOTEBOOK_SITE_DIR = "scenarios"  # where notebook pages and scenario pages are published
DOWNLOAD_DIR = "downloads/notebooks"  # every notebook, as a file to open in Jupyter
MERMAID = "assets/vendor/mermaid/mermaid.min.js"

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
    _state["nav_notebooks"] = _nav_notebooks(config.nav)
    scenarios, problems = load_all(course, _state["catalogue"])
    if problems:
        raise ContentError(problems)
    _state["scenarios"] = scenarios
    exercises, problems = load_exercises(course, _state["catalogue"], scenarios)
    if problems:
        raise ContentError(problems)
    _state["exercises"] = {exercise.stage: exercise for exercise in exercises}
    for folder in (course.lessons_data, player.WEB_DIR, player.RUNTIME_DIR):
        if str(folder) not in config.watch:
            config.watch.append(str(folder))
    return config


def _nav_notebooks(nav) -> set[str]:
    """The notebooks the nav names (rendered as pages); the others are only downloads."""
    found: set[str] = set()

    def walk(item):
        if isinstance(item, str) and item.endswith(".ipynb"):
            found.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)
    walk(nav or [])
    return found


def _notebooks(course: Course) -> dict[str, Path]:
    folder = course.lessons_data / NOTEBOOK_DIR
    return {f"{NOTEBOOK_SITE_DIR}/{p.name}": p for p in sorted(folder.glob("*.ipynb"))} if folder.is_dir() else {}


@event_priority(50)
def add_notebooks(files: Files, config) -> Files:
    """Add the nav's notebooks to the file list before the i18n and jupyter plugins see them."""
    # Registered as if under docs/ (the i18n plugin drops pages from elsewhere); the real source
    # is set back in restore_notebooks.
    for src_uri in _notebooks(_state["course"]):
        page = f"{src_uri.split('.')[0]}.ipynb"           # scenarios/00-intro.zh.ipynb -> scenarios/00-intro.ipynb
        if page in _state["nav_notebooks"] and files.get_file_from_path(src_uri) is None:
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


@event_priority(-200)
def add_scenario_pages(files: Files, config) -> Files:
    """A page per scenario, scenarios/<id>/ in each language, generated after the i18n plugin has
    chosen this build's files (it would drop a generated file)."""
    lang = getattr(getattr(files, "plugin", None), "current_language", None) or DEFAULT_LANGUAGE
    _state["lang"] = lang
    for scenario in _state["scenarios"]:
        src_uri = f"{NOTEBOOK_SITE_DIR}/{scenario.id}.md"
        if files.get_file_from_path(src_uri) is not None:   # an authored page wins
            continue
        content = f"---\ntitle: {json.dumps(scenario.title[lang], ensure_ascii=False)}\n---\n\n" \
                  f"# {scenario.title[lang]}\n\n<!-- perfcomm:player {scenario.id} -->\n"
        file = File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
        file.dest_uri = _scenario_page(scenario.id, lang, config.use_directory_urls)
        # what the i18n plugin records on the files it made: the language menu links to the twin
        file.locale = file.locale_alternate_of = file.localization = lang
        file.norm_src_uri = src_uri
        file.alternates = {other: SimpleNamespace(url=_scenario_url(scenario.id, other, config.use_directory_urls))
                           for other in LANGUAGES}
        files.append(file)
    return files


def _scenario_page(scenario_id: str, lang: str, directory_urls: bool) -> str:
    prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
    page = f"{scenario_id}/index.html" if directory_urls else f"{scenario_id}.html"
    return f"{prefix}{NOTEBOOK_SITE_DIR}/{page}"


def _scenario_url(scenario_id: str, lang: str, directory_urls: bool) -> str:
    return _scenario_page(scenario_id, lang, directory_urls).removesuffix("index.html")


on_files = CombinedEvent(add_notebooks, restore_notebooks, add_scenario_pages)


def _stage_scenarios(stage) -> list:
    return [s for s in _state["scenarios"] if s.stage == stage]


def _practice_stage(scenario) -> int:
    """The stage whose practice page plays a scenario: its own, HR's (stage 0) with stage 3."""
    return 3 if scenario.stage == 0 else scenario.stage


def _stage_page(stage) -> str | None:
    """The practice page of a stage: docs/scenarios/0N-….md (HR's scenarios: with stage 3)."""
    number = 3 if stage == 0 else stage
    folder = _state["course"].docs / NOTEBOOK_SITE_DIR
    for path in sorted(folder.glob(f"{number:02d}-*.md")):
        return f"{NOTEBOOK_SITE_DIR}/{path.name.split('.')[0]}.md"
    return None


def _stage_notebook(stage, lang) -> str | None:
    """The stage's notebook as a download: downloads/notebooks/0N-….LANG.ipynb."""
    number = 3 if stage == 0 else stage
    for src_uri in _notebooks(_state["course"]):
        name = Path(src_uri).name
        if name.startswith(f"{number:02d}-") and name.endswith(f".{lang}.ipynb"):
            return f"{DOWNLOAD_DIR}/{name}"
    return None


def _exercise_href(stage, lang: str, page) -> str | None:
    """The stage exercise opened in the browser (JupyterLite under lab/), relative to the page."""
    exercise = _state["exercises"].get(stage)
    if exercise is None:
        return None
    name = exercise.assignment(lang)
    return f"{player.site_root(page.url)}{lite.SITE_FOLDER}/notebooks/index.html?path={name}/{name}.ipynb"


def _language(page) -> str:
    return getattr(page.file, "locale", None) or DEFAULT_LANGUAGE


def on_page_markdown(markdown: str, page, config, files) -> str:
    lang, ui, catalogue = _language(page), _state["ui"], _state["catalogue"]
    src = getattr(page.file, "norm_src_uri", None) or page.file.src_uri
    if src.startswith("lessons/") and "teaching" in page.meta:
        markdown = render.lesson_boxes(markdown, page.meta, lang, ui)
        if PRACTICE_MARKER in markdown:
            stage = page.meta.get("stage")
            exercise = _exercise_href(stage, lang, page)
            markdown = markdown.replace(PRACTICE_MARKER, render.practice_list(
                _stage_scenarios(stage), _stage_page(stage), lang, ui, src, exercise))
    for name, rows in _state["agendas"].items():
        marker = AGENDA_MARKER.format(name=name)
        if marker in markdown:
            markdown = markdown.replace(marker, render.agenda_table(rows, lang, ui, src))
    if SCENARIOS_MARKER in markdown:
        groups = [(stage, _stage_page(stage), _stage_scenarios(stage)) for stage in sorted(catalogue.stages)
                  if _stage_scenarios(stage)]
        markdown = markdown.replace(SCENARIOS_MARKER, render.scenario_catalogue(
            groups, lang, ui, src, catalogue.stages, mermaid))
    if STAGE_PLAYERS_MARKER in markdown:
        stage = page.meta.get("stage")
        played = [s for s in _state["scenarios"] if _practice_stage(s) == stage]
        notebook = _stage_notebook(stage, lang)
        markdown = markdown.replace(STAGE_PLAYERS_MARKER, player.stage_players(
            played, lang, ui, player.site_root(page.url) + notebook if notebook else None,
            _exercise_href(stage, lang, page)))
    markdown = PLAYER_MARKER.sub(lambda m: player.block(_scenario(m.group(1), page), lang, ui), markdown)
    if KIT_MARKER in markdown:
        markdown = markdown.replace(KIT_MARKER, kit.guide_table(_state["course"], lang, src))
    if CATALOGUE_MARKER in markdown:
        url = page.file.url.rstrip("/")
        markdown = markdown.replace(CATALOGUE_MARKER,
                                    render.catalogue_page(catalogue, _state["taught"], lang, ui, url))
    return render.checkpoint_badges(markdown, catalogue, lang, src, ui)


def _scenario(scenario_id: str, page):
    for scenario in _state["scenarios"]:
        if scenario.id == scenario_id:
            return scenario
    raise PluginError(f"{page.file.src_uri}: no scenario '{scenario_id}' for the player — see `perfcomm scenarios`")


_compiled: dict = {}


def _story(scenario, lang: str) -> dict:
    """The scenario compiled for the player, remembered while its file is unchanged (exploring for the
    best score takes up to two seconds, and each language and each `mkdocs serve` rebuild asks again)."""
    path = _state["course"].root / scenario.path
    key = (scenario.path, hashlib.sha256(path.read_bytes()).hexdigest(), lang)
    if key not in _compiled:
        _compiled[key] = compile_scenario(scenario, lang)
    return _compiled[key]


_HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def on_post_page(output: str, page, config) -> str:
    """Drop the <head> hreflang links. mkdocs-material treats each as a language *root* and fetches
    `sitemap.xml` below it; the i18n plugin points them at the page's twin, so every page load would
    request a missing file. The language menu's own links still go to the twin page.
    A page with diagrams gets the vendored Mermaid (2.8 MB: no other page pays for it); a page with
    players gets their compiled scenarios and the player's script and style."""
    head_end = output.find("</head>")
    output = _HEAD_ALTERNATE.sub("", output[:head_end]) + output[head_end:]
    if 'class="mermaid"' in output:
        body_end = output.rfind("</body>")
        output = f'{output[:body_end]}<script src="{player.site_root(page.url)}{MERMAID}"></script>{output[body_end:]}'
    played = player.PLAYER_ID.findall(output)
    if played:
        lang = _language(page)
        root = player.site_root(page.url)
        stories = [(_story(_scenario(sid, page), lang), player.debrief_data(
            _scenario(sid, page), lang, _state["catalogue"], _state["taught"])) for sid in dict.fromkeys(played)]
        output = player.inject(output, stories, words(lang), root)
    return output


def on_post_build(config) -> None:
    """The player's script and style, every notebook as a download, the workshop kit for each agenda
    in this build's language (the facilitator guide links it), and the in-browser exercises under lab/
    (perfcomm.lite: built once, then copied from its cache while its inputs are unchanged)."""
    site = Path(config.site_dir)
    player.write_assets(site)
    lang = _state.get("lang", DEFAULT_LANGUAGE)
    if (_state["course"].lessons_data / "kit.yaml").is_file():   # each language build: its own kit
        kit.publish(_state["course"], lang, site if lang == DEFAULT_LANGUAGE else site / lang, _state["agendas"])
    target = site / DOWNLOAD_DIR
    target.mkdir(parents=True, exist_ok=True)
    for source in _notebooks(_state["course"]).values():
        shutil.copyfile(source, target / source.name)
    try:
        lite.build(_state["course"], site)
    except lite.LiteError as err:
        raise PluginError(str(err)) from None
