"""Learner text is data, never markup.

nbgrader's feedback pages and its formgrader render a prose answer's Markdown through nbconvert,
which passes raw HTML and `javascript:` links straight through, links bare URLs, anchors headings,
draws checkboxes, and leaves TeX to the MathJax those pages load (`\\href`, `\\rule`, and patterns
whose time grows with the square of the answer's length); the formgrader prints a learner's roster
name into its page unescaped. So before any of it reaches nbgrader:

- a prose answer that nbconvert's own renderer would make anything of but plain formatting
  (paragraphs, lists, emphasis, quotes, code), or that holds HTML, an entity, a link, an image or
  TeX, is rendered here with markdown-it (raw HTML, links, images and entities all off, so every
  character the learner typed stays visible as text), cleaned with nh3 to the formatting a learner
  may use (those, headings and tables too), and stored as that HTML in one block nbconvert passes
  through as it is and MathJax skips;
- a name with markup characters is stored escaped;
- a cell of a CSV file that a spreadsheet would take for a formula gets a quote before it.

An answer without any of that (almost all of them) is left exactly as written.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from nbconvert.filters.markdown_mistune import markdown2html_mistune

# the formatting a learner's answer keeps; everything else is text
TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
        "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "s"}
ATTRIBUTES = {"ol": {"start"}}
# what nbconvert may make of an answer that is left as written: these elements, no attribute but
# a list's start
PLAIN = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "hr"}
# marks the block as ours; MathJax (feedback and formgrader load it) leaves it alone
WRAPPER = '<div class="perfcomm-learner-text tex2jax_ignore mathjax_ignore">'
# "<" starts every tag, autolink and broken tag; "](" every inline link or image in any Markdown
# dialect; "$" and "\\" every formula MathJax typesets (and every one nbconvert's math patterns
# take quadratic time over)
MARKS = ("<", "](", "$", "\\")
# a spreadsheet takes a cell starting with one of these for a formula (OWASP's list)
FORMULA = ("=", "+", "-", "@", "\t", "\r")

_writer = MarkdownIt("commonmark", {"html": False}).disable(
    ["link", "image", "autolink", "reference", "entity"]).enable(["table", "strikethrough"])
_reader = MarkdownIt("commonmark", {"html": True}).disable(["text_join"])
_reader.validateLink = lambda url: True  # see javascript: links too, to neutralise them
_LINKS = {"link_open", "image"}
_SURROGATE = re.compile("[\ud800-\udfff]")   # half a pair: JSON holds it, UTF-8 cannot


class _Elements(HTMLParser):
    """Every element, with its attributes' names, in a piece of HTML; "!" for anything else that
    is not text (a comment, a declaration)."""

    def __init__(self, markup: str):
        super().__init__()
        self.found: list[tuple[str, list[str]]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, [name for name, _ in attrs]))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.found.append(("!", []))

    handle_decl = handle_pi = unknown_decl = handle_comment


def _renders_plain(text: str) -> bool:
    """Whether nbconvert's Markdown renderer, as nbgrader's pages call it, makes nothing of the
    text but plain formatting (no link, heading anchor, checkbox, table, diagram or attribute)."""
    return all(tag in PLAIN and all((tag, name) == ("ol", "start") for name in names)
               for tag, names in _Elements(markdown2html_mistune(text)).found)


def _holds_markup(text: str) -> bool:
    if any(mark in text for mark in MARKS):
        return True
    try:
        # the tokens find reference links and entities such as &#x3C; that decode into "<"
        for block in _reader.parse(text):
            for token in block.children or ():
                if token.type in _LINKS or (token.type == "text_special" and token.info == "entity"):
                    return True
        return not _renders_plain(text)
    except Exception:  # noqa: BLE001 - text a renderer cannot take is neutralised, never trusted
        return True


def prose(text: str) -> tuple[str, bool]:
    """The answer as a Markdown cell may hold it, and whether it had to be neutralised."""
    text = _SURROGATE.sub("\ufffd", text)
    if not _holds_markup(text):
        return text, False
    clean = nh3.clean(_writer.render(text), tags=TAGS, attributes=ATTRIBUTES, link_rel=None)
    # one line: nbconvert's Markdown takes an HTML block as it is up to the first blank line
    return f"{WRAPPER}{clean.strip().replace(chr(10), '&#10;')}</div>", True


def name(text: str) -> tuple[str, bool]:
    """A roster name as the gradebook may hold it (the formgrader prints it unescaped)."""
    if "<" not in text and "&" not in text:
        return text, False
    return html.escape(text, quote=False), True


def cell(value) -> str:
    """A value as a CSV cell HR opens in Excel: text a spreadsheet shows, never runs as a formula."""
    if not isinstance(value, str):
        return "" if value is None else str(value)   # a number or a date: the spreadsheet's own
    return f"'{value}" if value.lstrip(" ").startswith(FORMULA) else value
