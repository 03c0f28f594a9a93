"""`perfcomm kit`: build the workshop kit for one agenda, language and group size — A4 PDFs printed by
headless Chromium (Chinese fonts embedded), editable .docx/.xlsx forms, and index.html saying what to
print, how many copies and when each item is used."""

from __future__ import annotations

import math
import re
import shutil
import threading
from pathlib import Path

from ..agenda import load_agendas
from ..catalogue import load_catalogue
from ..course import Course
from ..lessons import read_lessons
from ..problems import ContentError, did_you_mean
from ..scenario.library import load_all
from ..yamlfile import load_file
from . import forms, pages
from .data import load_kit

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                  "--disable-component-update", "--disable-sync"]
PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


class KitError(Exception):
    """Something on the machine or the command line, not in the course files."""


def load_course(course: Course):
    """Everything the kit draws on, checked: (kit, catalogue, ui, agendas, scenarios)."""
    catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
    lessons, problems = read_lessons(course)
    scenarios, scenario_problems = load_all(course, catalogue)
    if problems or scenario_problems:
        raise ContentError(problems + scenario_problems)
    ui = load_file(course.ui_file, course.rel(course.ui_file))
    return load_kit(course, scenarios, lessons), catalogue, ui, load_agendas(course, lessons), lessons


def copies(item: dict, participants: int, trio: int) -> int:
    base = {"participant": participants, "trio": math.ceil(participants / trio), "facilitator": 1, "once": 1}
    return base[item["per"]] * item["times"] + item["plus"]


def practised_stages(rows, lessons) -> list[int]:
    """The stages whose lessons the agenda gives exercise time: their trios role-play (stage 5 with
    its lesson's case, HR and a manager)."""
    by_name = {lesson.name: lesson for lesson in lessons}
    stages = {by_name[row.lesson].stage for row in rows
              if row.lesson and ("exercises" in row.parts or not row.parts)}
    return sorted(stage for stage in stages if 0 <= stage <= 5)


def build_kit(course: Course, agenda_name: str, lang: str, participants: int, out: Path, say=print) -> list[dict]:
    kit, catalogue, ui, agendas, lessons = load_course(course)
    if agenda_name not in agendas:
        raise KitError(f"no agenda '{agenda_name}'{did_you_mean(agenda_name, agendas)} — lessons/agenda.yaml has"
                       f" {', '.join(agendas)}")
    if participants < 1:
        raise KitError("--participants must be 1 or more")
    chromium = next((path for path in map(shutil.which, CHROMIUM_NAMES) if path), None)
    if chromium is None:
        raise KitError("the kit's PDFs are printed by Chromium, which is not installed — install the Debian"
                       " package chromium (make test does)")
    rows = agendas[agenda_name]
    stages = practised_stages(rows, lessons)
    words = kit.words
    trios = math.ceil(participants / kit.trio)
    titles = {item["id"]: item["title"][lang] for item in kit.items}
    documents: dict[str, str] = {}
    for item in kit.items:
        kind, title = item["id"], titles[item["id"]]
        if kind == "agenda":
            documents[kind] = pages.agenda(rows, words, ui, lang, agenda_name, title)
        elif kind == "role-cards":
            documents[kind] = pages.role_cards(sorted((c for c in kit.cards if c.stage in stages),
                                                      key=lambda c: (c.stage, c.source != "lesson")), words, ui,
                                               catalogue.stages, lang, title)
        elif kind == "observer":
            documents[kind] = pages.observer_sheets(stages, catalogue, words, lang, title)
        elif kind == "voting":
            documents[kind] = pages.voting_cards(words, lang, title)
        elif kind in kit.templates:
            documents[kind] = pages.form(kit.templates[kind], words, lang, title)
        elif kind == "sign-in":
            documents[kind] = pages.sign_in(words, lang, title, participants, kit.sign_in_rows)
        else:  # load_kit allows no other kind
            documents[kind] = pages.feedback_form(kit.feedback_questions, words, lang, title)
    out.mkdir(parents=True, exist_ok=True)
    pdfs = _print(documents, out, lang, chromium)
    entries = []
    for number, item in enumerate(kit.items, 1):
        kind = item["id"]
        pdf = pdfs[kind]
        entry = {"id": kind, "title": titles[kind], "when": item["when"][lang], "pdf": pdf.name,
                 "pages": len(PAGE.findall(pdf.read_bytes())), "copies": copies(item, participants, kit.trio)}
        if kind in kit.templates:
            template = kit.templates[kind]
            writer = forms.write_docx if template["format"] == "docx" else forms.write_xlsx
            editable = out / f"{pdf.stem}.{template['format']}"
            writer(template, titles[kind], lang, words["source"][lang], editable)
            entry["editable"] = editable.name
        entries.append(entry)
        say(f"  {pdf.name:<34} {entry['pages']:>3} page(s) × {entry['copies']}")
    (out / "index.html").write_text(pages.index(entries, words, lang, agenda_name, participants, trios),
                                    encoding="utf-8")
    return entries


def _print(documents: dict[str, str], out: Path, lang: str, chromium: str) -> dict[str, Path]:
    """Print every page to PDF in one Chromium, about a third of a second each. In a thread of its
    own: Playwright's sync API refuses a thread whose event loop is running (a Jupyter kernel, or a
    caller already driving a browser)."""
    result: dict = {}

    def work():
        try:
            result["files"] = _print_here(documents, out, lang, chromium)
        except Exception as err:  # noqa: BLE001 - raised again in the caller's thread
            result["error"] = err

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    if "error" in result:
        raise result["error"]
    return result["files"]


def _print_here(documents: dict[str, str], out: Path, lang: str, chromium: str) -> dict[str, Path]:
    from playwright.sync_api import sync_playwright

    files = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS, headless=True)
        tab = browser.new_page()
        tab.route("**/*", lambda route: route.abort() if not route.request.url.startswith(("about:", "data:"))
                  else route.continue_())
        for number, (kind, document) in enumerate(documents.items(), 1):
            tab.set_content(document, wait_until="load")
            path = out / f"{number:02d}-{kind}.{lang}.pdf"
            tab.pdf(path=str(path), format="A4", print_background=True, prefer_css_page_size=True)
            files[kind] = path
        browser.close()
    return files
