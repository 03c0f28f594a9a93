"""The workshop kit on the site: built for each agenda in each language when the site is built, so a
facilitator downloads it from the guide without installing anything; the guide's table of items is
rendered from the same data. Built once per change of its inputs (kept in .cache/perfcomm-kit/)."""

from __future__ import annotations

import hashlib
import html
import shutil
from pathlib import Path

from ..course import DEFAULT_LANGUAGE
from ..kit.build import build_kit, load_course
from ..pages import page_url
from .player import site_root

SITE_DIR = "kit"               # site/kit/<agenda>/ (site/en/kit/<agenda>/ in English)
PARTICIPANTS = 30              # a workshop group of 25–30 (Google re:Work); the index says how to scale
PACKAGE = Path(__file__).resolve().parent.parent


def _inputs(course) -> str:
    """A digest of everything the kit is made from: course data, lesson pages and the kit's code."""
    digest = hashlib.sha256()
    sources = [*sorted(course.lessons_data.rglob("*.yaml")), *sorted(course.lesson_pages.glob("*.md")),
               *sorted((PACKAGE / "kit").glob("*.py"))]
    for path in sources:
        digest.update(str(path.relative_to(course.root if path.is_relative_to(course.root) else PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def publish(course, lang: str, site: Path, agendas: dict) -> None:
    cache = course.root / ".cache" / "perfcomm-kit" / _inputs(course)
    for agenda in agendas:
        built = cache / lang / agenda
        if not (built / "index.html").is_file():
            build_kit(course, agenda, lang, PARTICIPANTS, built, say=lambda *_: None)
        target = site / SITE_DIR / agenda
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(built, target)


def guide_table(course, lang: str, page_src: str) -> str:
    """The facilitator guide's table: each item, when it is used, and its PDF (and editable form) for
    each agenda, linked in the site's kit folder."""
    kit, _, _, agendas, _ = load_course(course)
    root = site_root(page_url(page_src.replace(".md", f".{lang}.md"), lang, DEFAULT_LANGUAGE))
    prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
    words = kit.words
    head = f"| {words['item'][lang]} | {words['when'][lang]} | {words['file'][lang]} |\n|---|---|---|"
    rows = [head]
    for number, item in enumerate(kit.items, 1):
        links = []
        for agenda in agendas:
            name = f"{number:02d}-{item['id']}.{lang}"
            href = f"{root}{prefix}{SITE_DIR}/{agenda}/{name}.pdf"
            label = words["agenda_name"][agenda][lang]
            links.append(f'<a href="{html.escape(href)}">{html.escape(label)} PDF</a>')
            template = kit.templates.get(item["id"])
            if template and agenda == next(iter(agendas)):
                editable = f"{root}{prefix}{SITE_DIR}/{agenda}/{name}.{template['format']}"
                links.append(f'<a href="{html.escape(editable)}">{html.escape(words["editable"][lang])}'
                             f" (.{template['format']})</a>")
        rows.append(f"| {item['title'][lang]} | {item['when'][lang]} | {' · '.join(links)} |")
    indexes = " · ".join(f'<a href="{html.escape(f"{root}{prefix}{SITE_DIR}/{agenda}/index.html")}">'
                         f"{html.escape(words['agenda_name'][agenda][lang])}</a>" for agenda in agendas)
    return "\n".join(rows) + f"\n\n{words['kit'][lang]}: {indexes}\n"
