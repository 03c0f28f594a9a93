"""The LMS packages as files: imsmanifest.xml and cmi5.xml valid against the vendored schemas (lxml)
in both languages, one unit per lesson and per scenario ordered by stage, mastery scores from
lessons/lms.yaml, every file the manifest names in the zip, nothing fetched from another host, the
largest saved run within SCORM 1.2's suspend_data limit; lessons/lms.yaml's mistakes located."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from perfcomm.catalogue import load_catalogue
from perfcomm.cli import main
from perfcomm.course import Course
from perfcomm.lms import load_settings, make_package
from perfcomm.lms.schemas import validate_cmi5, validate_scorm12
from perfcomm.problems import ContentError
from perfcomm.scenario import Dialogue, rules
from perfcomm.scenario.library import load_all

ROOT = Path(__file__).resolve().parent.parent
CP = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
CMI5 = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}


@pytest.fixture(scope="module")
def zips(lms_site, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("packages")
    out = {}
    for standard in ("scorm", "cmi5"):
        for lang in ("zh", "en"):
            path = tmp / f"{standard}-{lang}.zip"
            make_package(standard, lang, path, site=lms_site, course=Course(ROOT))
            out[standard, lang] = zipfile.ZipFile(path)
    return out


def expected_units(lang):
    """(stage, kind, page) in the order a learner meets them: stage by stage, lessons first."""
    course = Course(ROOT)
    catalogue = load_catalogue(course.catalogue_file, "lessons/checkpoints.yaml")
    scenarios, _ = load_all(course, catalogue)
    prefix = "" if lang == "zh" else "en/"
    lessons = sorted(p.name.split(".")[0] for p in (ROOT / "docs" / "lessons").glob("*.zh.md"))
    out = []
    for stage in catalogue.stages:
        out += [f"{prefix}lessons/{name}.lms.html" for name in lessons if int(name[:2]) == stage]
        out += [f"{prefix}scenarios/{s.id}.lms.html" for s in scenarios if s.stage == stage]
    return out, {s.id: s for s in scenarios}



@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_scorm_manifest_validates_and_orders_a_sco_per_lesson_and_scenario_by_stage(zips, lang):
    archive = zips["scorm", lang]
    document = archive.read("imsmanifest.xml")
    assert validate_scorm12(document) == []
    tree = etree.fromstring(document)
    resources = {r.get("identifier"): r for r in tree.iterfind(".//cp:resource", CP)}
    items = tree.findall(".//cp:organization/cp:item/cp:item", CP)
    launches = [resources[i.get("identifierref")].get("href") for i in items]
    expected, scenarios = expected_units(lang)
    assert launches == expected
    settings = load_settings(Course(ROOT))
    for item, href in zip(items, launches):
        resource = resources[item.get("identifierref")]
        assert resource.get(f"{{{CP['adlcp']}}}scormtype") == "sco"
        mastery = item.findtext("adlcp:masteryscore", namespaces=CP)
        if "/scenarios/" in f"/{href}":
            scenario_id = href.rsplit("/", 1)[1].removesuffix(".lms.html")
            assert mastery == str(settings.mastery(scenario_id))
            assert item.findtext("cp:title", namespaces=CP) == scenarios[scenario_id].title[lang]
        else:
            assert mastery is None
    names = set(archive.namelist())
    named = {f.get("href") for f in tree.iterfind(".//cp:file", CP)}
    assert named == names - {"imsmanifest.xml"}                 # every file named, and each is there
    for xsd in ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd", "imsmd_rootv1p2p1.xsd"):
        assert xsd in names
    for identifier in [i.get("identifier") for i in tree.iter(f"{{{CP['cp']}}}item")]:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,254}", identifier)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cmi5_course_structure_validates_with_an_au_per_unit_and_the_mastery_scores(zips, lang):
    archive = zips["cmi5", lang]
    document = archive.read("cmi5.xml")
    assert validate_cmi5(document) == []
    tree = etree.fromstring(document)
    aus = tree.findall("c:block/c:au", CMI5)
    expected, _ = expected_units(lang)
    assert [au.findtext("c:url", namespaces=CMI5) for au in aus] == expected
    settings = load_settings(Course(ROOT))
    ids = [au.get("id") for au in aus]
    assert len(set(ids)) == len(ids) and all(i.startswith(f"{settings.course_id}/{lang}/") for i in ids)
    for au in aus:
        url = au.findtext("c:url", namespaces=CMI5)
        assert url in archive.namelist()
        if "scenarios/" in url:
            scenario_id = url.rsplit("/", 1)[1].removesuffix(".lms.html")
            assert au.get("moveOn") == "CompletedAndPassed"
            assert float(au.get("masteryScore")) == settings.mastery(scenario_id) / 100
        else:
            assert au.get("moveOn") == "Completed" and au.get("masteryScore") is None


def test_a_broken_manifest_fails_the_schema():
    bad = b'<manifest xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" identifier="x"><resources/></manifest>'
    assert any("organizations" in problem for problem in validate_scorm12(bad))
    assert validate_cmi5(b'<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"/>')


@pytest.mark.slow
def test_nothing_in_a_package_is_fetched_from_another_host(zips):
    """Pages, styles and scripts refer only to files in the package (links to read elsewhere aside)."""
    fetch = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)="(https?:)?//', re.I)
    css = re.compile(r"url\(\s*['\"]?(https?:)?//", re.I)
    for archive in zips.values():
        for name in archive.namelist():
            if name.endswith((".html", ".css")):
                text = archive.read(name).decode("utf-8", "replace")
                assert not fetch.search(text) and not css.search(text), name


@pytest.mark.slow
def test_the_launch_pages_load_the_adapters_and_their_links_resolve_inside_the_package(zips):
    for (standard, lang), archive in zips.items():
        names = set(archive.namelist())
        adapter = "scorm12.js" if standard == "scorm" else "cmi5.js"
        for launch in [n for n in names if n.endswith(".lms.html")]:
            page = archive.read(launch).decode("utf-8")
            folder = Path(launch).parent
            assert f"assets/perfcomm/{adapter}" in page and "data-perfcomm-lms" in page
            head = page[:page.index("</head>")]
            assert head.index("assets/perfcomm/lms.js") < head.index(adapter)
            for href in re.findall(r'(?:src|href)="([^"#?:]+\.(?:html|js|css))"', page):
                target = (folder / href).as_posix()
                while "/../" in f"/{target}":
                    target = re.sub(r"(^|/)[^/]+/\.\./", r"\1", target, count=1)
                assert target in names, f"{launch}: {href}"


@pytest.mark.slow
def test_the_largest_saved_run_fits_scorm_suspend_data():
    """The player keeps {save, workshop, room, votes, revealed}; save is the Dialogue's save(). The
    deepest runs of every scenario (explored breadth-first to their deepest reachable states) stay
    far below SCORM 1.2's 4096 characters; the adapter drops a workshop's room and votes first if a
    state ever grows past it."""
    scenarios, _ = load_all(Course(ROOT), None)
    longest = 0
    for scenario in scenarios:
        start, _ = rules.settle(scenario, rules.initial(scenario))
        frontier, seen, deepest = [(start, [])], {start}, []
        while frontier:
            deepest = frontier
            following = []
            for state, path in frontier:
                for number, (_, choice) in enumerate(rules.offered(scenario, state), 1):
                    after, _ = rules.settle(scenario, rules.apply(scenario, state, choice))
                    if after not in seen:
                        seen.add(after)
                        following.append((after, path + [number]))
            frontier = following
        for lang in ("zh", "en"):
            for _, path in deepest[:20]:
                d = Dialogue(scenario, lang)
                for n in path:
                    d.choose(n - 1)
                kept = {"save": d.save(), "workshop": False, "room": [], "votes": [], "revealed": True}
                longest = max(longest, len(json.dumps(kept, separators=(",", ":"))))
    assert longest < 1024, longest


# -- lessons/lms.yaml: its mistakes are located ------------------------------------------------------
GOOD = 'format_version: 1\ncourse_id: "tag:example.com,2026:perfcomm"\nmastery_score: 70\nmastery_scores: {}\n'


@pytest.mark.parametrize("text, line, message", [
    (GOOD.replace("mastery_score: 70", "mastery_score: 170"), 3, "mastery_score 170 must be a whole number"),
    (GOOD.replace("mastery_score: 70", "mastery_score: 0.7"), 3, "mastery_score 0.7 must be a whole number"),
    (GOOD.replace('"tag:example.com,2026:perfcomm"', "our course"), 2, "course_id 'our course' is not an IRI"),
    (GOOD.replace("mastery_scores: {}", "mastery_scores:\n  s1-new-hire-goal: 60"), 5,
     "no scenario 's1-new-hire-goal' — did you mean 's1-new-hire-goals'?"),
    (GOOD.replace("mastery_scores: {}", "mastery_scores:\n  s1-new-hire-goals: high"), 5, "'high'"),
    (GOOD.replace("format_version: 1", "format_version: 2"), 1, "format_version must be 1"),
], ids=["over-100", "fraction", "not-an-iri", "unknown-scenario", "not-a-number", "format-version"])
def test_mistakes_in_lms_yaml_say_where_and_what(course_copy, text, line, message):
    (course_copy / "lessons" / "lms.yaml").write_text(text, encoding="utf-8")
    scenarios = {s.id for s in load_all(Course(course_copy), None)[0]}
    with pytest.raises(ContentError) as caught:
        load_settings(Course(course_copy), scenarios)
    assert any(p.path == "lessons/lms.yaml" and p.line == line and message in p.message
               for p in caught.value.problems), caught.value.problems


def test_package_stops_at_a_mistake_in_lms_yaml_before_building(course_copy, tmp_path, capsys):
    (course_copy / "lessons" / "lms.yaml").write_text(GOOD.replace("70", "170"), encoding="utf-8")
    assert main(["package", "scorm", "--out", str(tmp_path / "x.zip")]) == 1
    assert "lessons/lms.yaml:3:" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()


@pytest.mark.slow
def test_the_same_course_gives_the_same_zip_readable_by_others(lms_site, tmp_path):
    for name in ("a.zip", "b.zip"):
        make_package("cmi5", "en", tmp_path / name, site=lms_site, course=Course(ROOT))
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert (tmp_path / "a.zip").stat().st_mode & 0o044 == 0o044
    assert not list(tmp_path.glob(".*.part"))
