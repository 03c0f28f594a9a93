"""The vendored schemas (see README.md here) and validation with lxml.

    validate_scorm12(imsmanifest_bytes) -> ["line 12: …", …]   (empty when valid)
    validate_cmi5(cmi5_xml_bytes) -> [...]
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCORM12 = HERE / "scorm12"
CMI5 = HERE / "cmi5"
# SCORM 1.2 packages carry these at their root, beside imsmanifest.xml.
SCORM12_FILES = {p.name: p.read_bytes() for p in sorted(SCORM12.glob("*.xsd"))}
# One schema document that imports the namespaces the manifest uses, so that its adlcp: elements
# are checked too (the content-packaging schema admits other namespaces' elements only "strict":
# an element of a namespace not imported here fails). imsmd_rootv1p2p1.xsd is shipped in the
# package but not imported: libxml2 cannot compile it (its annotationType breaks XML Schema's
# unique-particle rule), and the manifest holds no imsmd: metadata, which would then fail.
_SCORM12_DRIVER = b"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <xsd:import namespace="http://www.imsproject.org/xsd/imscp_rootv1p1p2" schemaLocation="imscp_rootv1p1p2.xsd"/>
  <xsd:import namespace="http://www.adlnet.org/xsd/adlcp_rootv1p2" schemaLocation="adlcp_rootv1p2.xsd"/>
</xsd:schema>"""


class SchemaError(Exception):
    """A generated file does not validate: a bug in the packager, reported with the schema's words."""

    def __init__(self, name: str, problems: list[str]):
        self.name, self.problems = name, problems
        super().__init__(f"{name} does not validate: " + "; ".join(problems[:5]))


# ims_xml.xsd declares the xml namespace as its default namespace, which libxml2 refuses ("xml
# namespace URI cannot be the default namespace"); the prefix is predeclared anyway. The file stays
# as published and is read with that one redundant declaration left out.
_XML_DEFAULT_NS = b'xmlns="http://www.w3.org/XML/1998/namespace"'


def _resolver():
    from lxml import etree

    class Vendored(etree.Resolver):
        """Schema imports come from this folder, never from the network."""

        def resolve(self, url, pubid, context):
            name = url.rsplit("/", 1)[-1]
            path = SCORM12 / name
            if not path.is_file():
                return None
            data = path.read_bytes()
            if name == "ims_xml.xsd":
                data = data.replace(_XML_DEFAULT_NS, b"", 1)
            return self.resolve_string(data, context, base_url=path.as_uri())

    return Vendored()


@lru_cache(maxsize=None)
def _schema(kind: str):
    from lxml import etree

    if kind == "scorm12":
        parser = etree.XMLParser(no_network=True)
        parser.resolvers.add(_resolver())
        driver = etree.fromstring(_SCORM12_DRIVER, parser, base_url=(SCORM12 / "driver.xsd").as_uri())
        return etree.XMLSchema(driver)
    return etree.XMLSchema(etree.parse(str(CMI5 / "CourseStructure.xsd"), etree.XMLParser(no_network=True)))


def _validate(kind: str, document: bytes) -> list[str]:
    from lxml import etree

    schema = _schema(kind)
    try:
        tree = etree.fromstring(document)
    except etree.XMLSyntaxError as err:
        return [f"not well-formed XML: {err}"]
    if schema.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def validate_scorm12(document: bytes) -> list[str]:
    return _validate("scorm12", document)


def validate_cmi5(document: bytes) -> list[str]:
    return _validate("cmi5", document)
