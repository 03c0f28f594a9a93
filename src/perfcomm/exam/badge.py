"""The badge image (SVG) and Open Badges 3.0 baking: the signed credential goes, as JSON in a
CDATA section, into one `<openbadges:credential>` element placed directly after the `<svg>` start
tag; extraction reads it back with a hardened XML parser (defusedxml)."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from ..players.words import words

NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
_START = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" ' \
         'viewBox="0 0 512 512" width="512" height="512">'


class BadgeError(Exception):
    pass


def image() -> str:
    """The badge itself, in both languages, with nothing baked in."""
    zh, en = words("zh")["certificate"], words("en")["certificate"]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
{_START}
<title>{escape(zh['title'])} / {escape(en['title'])}</title>
<circle cx="256" cy="256" r="240" fill="#26a69a"/>
<circle cx="256" cy="256" r="212" fill="none" stroke="#ffffff" stroke-width="6"/>
<path d="M186 262 l48 48 l92 -104" fill="none" stroke="#ffffff" stroke-width="26" stroke-linecap="round"
 stroke-linejoin="round"/>
<text x="256" y="140" text-anchor="middle" font-size="34" fill="#ffffff"
 font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif">{escape(zh['badge'])}</text>
<text x="256" y="380" text-anchor="middle" font-size="22" fill="#ffffff"
 font-family="Noto Sans, Helvetica, Arial, sans-serif">{escape(en['badge'])}</text>
</svg>
"""


def bake(svg: str, credential: dict) -> str:
    """The SVG with the credential baked in (embedded proof: JSON in CDATA, no `verify` attribute)."""
    if "<openbadges:credential" in svg:
        raise BadgeError("the image already holds a credential")
    # '>' occurs only inside JSON strings; escaping it keeps ']]>' out of the CDATA section.
    text = json.dumps(credential, ensure_ascii=False, indent=1).replace(">", "\\u003e")
    at = svg.index(_START) + len(_START)
    return f"{svg[:at]}\n<openbadges:credential><![CDATA[\n{text}\n]]></openbadges:credential>{svg[at:]}"


def extract(data: bytes) -> dict:
    """The credential baked into an SVG badge."""
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as err:
        raise BadgeError(f"not a readable SVG badge: {err}") from None
    element = next(root.iter(f"{{{NAMESPACE}}}credential"), None)
    if element is None:
        raise BadgeError("this image has no credential baked in (no <openbadges:credential> element)")
    if element.get("verify"):
        raise BadgeError("the badge holds a VC-JWT credential; this tool checks embedded proofs only")
    try:
        return json.loads(element.text or "")
    except json.JSONDecodeError as err:
        raise BadgeError(f"the credential baked into the image is not JSON: {err}") from None
