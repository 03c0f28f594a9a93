"""The SCORM 1.2 package: one SCO per lesson and per scenario, an organisation that orders them by
stage, each scenario's mastery score from lessons/lms.yaml, and imsmanifest.xml checked against
the SCORM 1.2 schemas (schemas/scorm12/) before anything is written.

    package_scorm(course, "zh", Path("perfcomm-zh-scorm12.zip"), site=None) -> Report
"""

from __future__ import annotations

from pathlib import Path

from ..course import Course
from .schemas import SCORM12_FILES, SchemaError, validate_scorm12
from .site import check_site, launch_page, offline_search, web_asset, write_zip
from .units import LANGUAGE_TAGS, Outline

CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SITE_RESOURCE = "course-site"
ADAPTER = "scorm12.js"
WEB = ("lms.js", "lms.css", ADAPTER)


def manifest(outline: Outline, files: list[str]) -> bytes:
    """imsmanifest.xml: `files` are every file of the package but the manifest (the shared asset
    resource lists them, so an LMS that copies only what the manifest names gets everything)."""
    from lxml import etree

    def cp(tag, parent=None, **attrs):
        node = etree.Element(f"{{{CP}}}{tag}", nsmap=None) if parent is None else \
            etree.SubElement(parent, f"{{{CP}}}{tag}")
        for key, value in attrs.items():
            node.set(key, value)
        return node

    root = etree.Element(f"{{{CP}}}manifest", nsmap={None: CP, "adlcp": ADLCP, "xsi": XSI})
    root.set("identifier", f"perfcomm-{outline.lang}")
    root.set("version", "1.2")
    root.set(f"{{{XSI}}}schemaLocation", f"{CP} imscp_rootv1p1p2.xsd {IMSMD} imsmd_rootv1p2p1.xsd"
                                         f" {ADLCP} adlcp_rootv1p2.xsd")
    metadata = cp("metadata", root)
    cp("schema", metadata).text = "ADL SCORM"
    cp("schemaversion", metadata).text = "1.2"
    organizations = cp("organizations", root, default="course")
    organization = cp("organization", organizations, identifier="course")
    cp("title", organization).text = outline.title
    for stage in outline.stages:
        group = cp("item", organization, identifier=f"stage-{stage.number}")
        cp("title", group).text = stage.title
        for unit in stage.units:
            item = cp("item", group, identifier=unit.identifier, identifierref=f"res-{unit.identifier}")
            cp("title", item).text = unit.title
            if unit.mastery is not None:
                etree.SubElement(item, f"{{{ADLCP}}}masteryscore").text = str(unit.mastery)
    resources = cp("resources", root)
    for unit in outline.units:
        resource = cp("resource", resources, identifier=f"res-{unit.identifier}", type="webcontent",
                      href=unit.launch)
        resource.set(f"{{{ADLCP}}}scormtype", "sco")
        cp("file", resource, href=unit.launch)
        cp("dependency", resource, identifierref=SITE_RESOURCE)
    site = cp("resource", resources, identifier=SITE_RESOURCE, type="webcontent")
    site.set(f"{{{ADLCP}}}scormtype", "asset")
    launches = {unit.launch for unit in outline.units}
    for name in files:
        if name not in launches:
            cp("file", site, href=name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def unit_config(outline: Outline, unit) -> dict:
    return {"standard": "scorm12", "kind": unit.kind, "unit": unit.identifier, "lang": LANGUAGE_TAGS[outline.lang]}


def package_scorm(course: Course, outline: Outline, site: Path, out: Path) -> dict:
    """Write the SCORM 1.2 zip from a built site; returns what was written (for the command's
    report). The manifest is validated first: an invalid one is never written."""
    check_site(site, outline)
    extra = {unit.launch: launch_page(site, unit, unit_config(outline, unit), ADAPTER).encode("utf-8")
             for unit in outline.units}
    for name in WEB:
        extra[f"assets/perfcomm/{name}"] = web_asset(name)
    extra.update(offline_search(site))
    for name, data in SCORM12_FILES.items():
        extra[name] = data
    files = sorted({p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} | set(extra))
    document = manifest(outline, files)
    problems = validate_scorm12(document)
    if problems:
        raise SchemaError("imsmanifest.xml", problems)
    extra["imsmanifest.xml"] = document
    size = write_zip(out, site, extra)
    return {"standard": "SCORM 1.2", "out": str(out), "bytes": size, "files": len(files) + 1,
            "units": len(outline.units), "manifest": "imsmanifest.xml"}
