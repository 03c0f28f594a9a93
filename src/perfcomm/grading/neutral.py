"""Learner text is data, never markup.

nbgrader's feedback pages and its formgrader render a prose answer's Markdown through nbconvert,
which passes raw HTML and `javascript:` links straight through, and the formgrader prints a
learner's roster name into its page unescaped. So before any of it reaches nbgrader:

- a prose answer that holds HTML, an entity, a link or an image is rendered here with markdown-it
  (raw HTML, links, images and entities all off, so every character the learner typed stays visible
  as text), cleaned with nh3 to the formatting a learner may use (paragraphs, lists, bold, italics,
  quotes, code), and stored as that HTML in one block nbconvert passes through as it is;
- a name with markup characters is stored escaped.

An answer without any of that (almost all of them) is left exactly as written.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt

# the formatting a learner's answer keeps; everything else is text
TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
        "h1", "h2", "h3", "h4", "h5", "h6"}
ATTRIBUTES = {"ol": {"start"}}
# marks the block as ours; MathJax (feedback and formgrader load it) leaves it alone
WRAPPER = '<div class="perfcomm-learner-text tex2jax_ignore mathjax_ignore">'

_writer = MarkdownIt("commonmark", {"html": False}).disable(
    ["link", "image", "autolink", "reference", "entity"])
_reader = MarkdownIt("commonmark", {"html": True}).disable(["text_join"])
_reader.validateLink = lambda url: True  # see javascript: links too, to neutralise them
_LINKS = {"link_open", "image"}


def _holds_markup(text: str) -> bool:
    # "<" starts every tag, autolink and broken tag; "](" every inline link or image in any Markdown
    # dialect (nbconvert's mistune is looser than CommonMark); the tokens find reference links and
    # entities such as &#x3C; that decode into "<".
    if "<" in text or "](" in text:
        return True
    for block in _reader.parse(text):
        for token in block.children or ():
            if token.type in _LINKS or (token.type == "text_special" and token.info == "entity"):
                return True
    return False


def prose(text: str) -> tuple[str, bool]:
    """The answer as a Markdown cell may hold it, and whether it had to be neutralised."""
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
