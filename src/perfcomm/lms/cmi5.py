"""The cmi5 package: cmi5.xml (a block per stage, an AU per lesson and per scenario, checked against
the cmi5 course structure schema, schemas/cmi5/) and the course site with each AU's launch page.

A lesson AU moves on when completed (the learner reached the end of the page); a scenario AU when
completed and passed (a run reached an ending with the mastery score from lessons/lms.yaml).

    package_cmi5(course, outline, site, Path("perfcomm-zh-cmi5.zip")) -> dict
"""

from __future__ import annotations

from pathlib import Path

from ..course import Course
from .schemas import SchemaError, validate_cmi5
from .site import check_site, launch_page, offline_search, web_asset, write_zip
from .units import LANGUAGE_TAGS, Outline, Unit

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
ADAPTER = "cmi5.js"
WEB = ("lms.js", "lms.css", ADAPTER)
MOVE_ON = {"lesson": "Completed", "scenario": "CompletedAndPassed"}


def course_structure(outline: Outline) -> bytes:
    from lxml import etree

    lang = LANGUAGE_TAGS[outline.lang]

    def el(parent, tag, **attrs):
        node = etree.SubElement(parent, f"{{{NS}}}{tag}")
        for key, value in attrs.items():
            node.set(key, value)
        return node

    def text(parent, tag, value):
        etree.SubElement(el(parent, tag), f"{{{NS}}}langstring", lang=lang).text = value

    root = etree.Element(f"{{{NS}}}courseStructure", nsmap={None: NS})
    course = el(root, "course", id=outline.course_id)
    text(course, "title", outline.title)
    text(course, "description", outline.description)
    for stage in outline.stages:
        block = el(root, "block", id=f"{outline.course_id}/stages/{stage.number}")
        text(block, "title", stage.title)
        text(block, "description", stage.title)
        for unit in stage.units:
            attrs = {"id": outline.iri(unit), "moveOn": MOVE_ON[unit.kind], "launchMethod": "AnyWindow"}
            if unit.mastery is not None:
                attrs["masteryScore"] = f"{unit.mastery / 100:.4g}"
            au = el(block, "au", **attrs)
            text(au, "title", unit.title)
            text(au, "description", unit.description)
            el(au, "url").text = unit.launch
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def unit_config(outline: Outline, unit: Unit) -> dict:
    """What the AU's adapter needs beyond the launch parameters: its publisher id (statements about
    each decision are filed under it) and the IRIs of the checkpoint result extensions."""
    base = outline.settings.course_id
    return {"standard": "cmi5", "kind": unit.kind, "unit": unit.identifier, "lang": LANGUAGE_TAGS[outline.lang],
            "au": outline.iri(unit), "title": unit.title,
            "extensions": {"meets": f"{base}/extensions/checkpoints-met",
                           "violates": f"{base}/extensions/checkpoints-violated"}}


def package_cmi5(course: Course, outline: Outline, site: Path, out: Path) -> dict:
    check_site(site, outline)
    document = course_structure(outline)
    problems = validate_cmi5(document)
    if problems:
        raise SchemaError("cmi5.xml", problems)
    extra = {unit.launch: launch_page(site, unit, unit_config(outline, unit), ADAPTER).encode("utf-8")
             for unit in outline.units}
    for name in WEB:
        extra[f"assets/perfcomm/{name}"] = web_asset(name)
    extra.update(offline_search(site))
    extra["cmi5.xml"] = document
    size = write_zip(out, site, extra)
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} | set(extra)
    return {"standard": "cmi5", "out": str(out), "bytes": size, "files": len(files),
            "units": len(outline.units), "manifest": "cmi5.xml"}
