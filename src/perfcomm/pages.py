"""Read a Markdown page of the site: front matter, headings with their anchors, checkpoint markers.

Anchors are computed the way the site's toc extension computes them (pymdownx slugify, lower case,
Chinese characters kept; an explicit `{#id}` wins; repeats get `_1`, `_2`), so `perfcomm trace`
links land on the same heading as the built page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pymdownx.slugs import slugify

from .yamlfile import load_text

MARKER = re.compile(r"\[\[cp:([^\]\s]*)\]\]")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
EXPLICIT_ID = re.compile(r"\s*\{[^}]*#([\w-]+)[^}]*\}\s*$")
ATTR_LIST = re.compile(r"\s*\{:?[^}]*\}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
ADMONITION = re.compile(r"^\s*(!!!|\?\?\?\+?)\s+([\w-]+)")
_slug = slugify(case="lower")


@dataclass
class Heading:
    level: int
    text: str
    anchor: str
    line: int
    explicit: bool


@dataclass
class Marker:
    checkpoint: str
    line: int
    heading: Heading | None


@dataclass
class Page:
    path: Path
    shown: str
    meta: dict
    meta_line: int
    headings: list[Heading] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    admonitions: list[tuple[str, str, int, Heading | None]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def section(self, anchor: str) -> Heading | None:
        return next((h for h in self.headings if h.anchor == anchor), None)

    def in_section(self, anchor: str, items):
        """Items (markers/admonitions) whose enclosing H2 is the section with this anchor."""
        out = []
        for item in items:
            heading = item.heading if isinstance(item, Marker) else item[3]
            top = self.h2_of(heading)
            if top is not None and top.anchor == anchor:
                out.append(item)
        return out

    def h2_of(self, heading: Heading | None) -> Heading | None:
        if heading is None:
            return None
        index = self.headings.index(heading)
        for h in reversed(self.headings[: index + 1]):
            if h.level <= 2:
                return h
        return None


def plain_heading_text(raw: str) -> str:
    text = re.sub(r"`([^`]*)`", r"\1", raw)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|_)(.+?)\1", r"\2", text)
    return text.strip()


def split_front_matter(text: str) -> tuple[str | None, int, str, int]:
    """(front matter text or None, its first line, body, body's first line)."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            meta = text[4:end + 1]
            body_start = text.find("\n", end + 4) + 1 if text.find("\n", end + 4) != -1 else len(text)
            return meta, 2, text[body_start:], meta.count("\n") + 3
    return None, 0, text, 1


def read_page(path: Path, shown: str) -> Page:
    text = Path(path).read_text(encoding="utf-8")
    meta_text, meta_line, body, body_line = split_front_matter(text)
    meta = load_text(meta_text, shown, meta_line) if meta_text else {}
    page = Page(path, shown, meta if isinstance(meta, dict) else {}, meta_line)
    page.lines = text.splitlines()
    used: set[str] = set()
    current: Heading | None = None
    in_fence = False
    for number, line in enumerate(body.splitlines(), start=body_line):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        match = HEADING.match(line)
        if match:
            raw = match.group(2)
            explicit = EXPLICIT_ID.search(raw)
            title = ATTR_LIST.sub("", raw)
            if explicit:
                anchor = explicit.group(1)
            else:
                anchor = _unique(_slug(plain_heading_text(title), "-"), used)
            used.add(anchor)
            current = Heading(len(match.group(1)), plain_heading_text(title), anchor, number, bool(explicit))
            page.headings.append(current)
            continue
        admonition = ADMONITION.match(line)
        if admonition:
            page.admonitions.append((admonition.group(1), admonition.group(2), number, current))
        for found in MARKER.finditer(line):
            page.markers.append(Marker(found.group(1), number, current))
    return page


def _unique(anchor: str, used: set[str]) -> str:
    # Python-Markdown's toc: append _1, _2 … to a repeated id.
    if anchor not in used:
        return anchor
    count = 1
    while f"{anchor}_{count}" in used:
        count += 1
    return f"{anchor}_{count}"


def page_language(path: Path) -> tuple[str, str | None]:
    """('lessons/01-goal-setting', 'zh') for docs/lessons/01-goal-setting.zh.md relative to docs."""
    stem, _, lang = path.stem.rpartition(".")
    if not stem:
        return path.stem, None
    return stem, lang


def page_url(docs_relative: str, lang: str, default_lang: str) -> str:
    """Site URL path of a page, as the i18n plugin publishes it (default language at /)."""
    base = docs_relative[:-3] if docs_relative.endswith(".md") else docs_relative
    stem, _, _ = base.rpartition(".")
    stem = stem or base
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    else:
        stem += "/"
    prefix = "" if lang == default_lang else f"{lang}/"
    return prefix + stem
