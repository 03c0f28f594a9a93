"""The SCORM 1.2 package under a real SCORM 1.2 runtime: scorm-again (npm) plays the LMS in a
harness page on a loopback server, the SCO is framed from the unpacked zip served under an
arbitrary path, and Debian's Chromium clicks through it with every non-loopback request blocked.
The LMS's data model is then read back: status, score, interactions, suspend data; a relaunch with
that data resumes at the same node. The same package also opens straight from the file system."""

from __future__ import annotations

import re

import pytest

from perfcomm.course import Course
from perfcomm.lms import make_package
from perfcomm.scenario import Dialogue
from perfcomm.scenario.explore import explore_once
from perfcomm.scenario.library import load_all

from conftest import guarded_page, serve, paths_to_endings
from lms_harness import PREFIX, ROOT, SCORM_AGAIN, docroot, items, unpack

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCENARIOS = {s.id: s for s in load_all(Course(ROOT), None)[0]}
MASTERY = "70"          # lessons/lms.yaml: mastery_score
# SCORM 1.2's own formats (scorm-again accepts looser ones; an LMS may not).
IDENTIFIER = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
TIMESPAN = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$")


@pytest.fixture(scope="module")
def packages(lms_site, tmp_path_factory):
    if not SCORM_AGAIN.is_file():
        pytest.fail("node_modules/scorm-again is missing — run `make test` (it runs npm ci)")
    tmp = tmp_path_factory.mktemp("scorm")
    out = {}
    for lang in ("zh", "en"):
        make_package("scorm", lang, tmp / f"{lang}.zip", site=lms_site, course=Course(ROOT))
        out[lang] = unpack(tmp / f"{lang}.zip", tmp / lang)
    return out


@pytest.fixture(scope="module")
def lms(packages, tmp_path_factory):
    url, httpd = serve(docroot(tmp_path_factory.mktemp("www"), packages))
    yield url
    httpd.shutdown()


def launch(tab, lms, lang, href, data=None):
    tab.goto(f"{lms}/lms/harness.html")
    tab.evaluate("([src, data]) => window.launch(src, data)", [f"{PREFIX}/{lang}/{href}", data])
    return tab.frame_locator("#sco")


def finish(tab) -> dict:
    tab.evaluate("window.close_sco()")
    tab.wait_for_function("window.events.includes('LMSFinish')")
    return tab.evaluate("window.model()")


def scenario_href(lang, scenario_id):
    return f"{'' if lang == 'zh' else 'en/'}scenarios/{scenario_id}.lms.html"


def play(sco, path):
    for number in path:
        sco.locator(f'[data-perfcomm-player] button[data-choice="{number}"]').click()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_scenario_reports_score_status_interactions_and_resumes_where_it_stopped(browser, lms, lang):
    scenario = SCENARIOS["s3-defensive-low-score"]
    path = explore_once(scenario).best_path
    tab = guarded_page(browser)
    mastery = {"student_data": {"mastery_score": MASTERY}}
    sco = launch(tab, lms, lang, scenario_href(lang, scenario.id), mastery)
    sco.locator("[data-perfcomm-player] button[data-choice]").first.wait_for()
    half = len(path) // 2
    play(sco, path[:half])
    first = finish(tab)
    core = first["core"]
    assert core["lesson_status"] == "incomplete" and core["exit"] == "suspend"
    assert TIMESPAN.match(core["session_time"]) and core["score"]["raw"] == ""
    assert len(first["suspend_data"]) <= 4096
    assert len(items(first["interactions"])) == half

    # Relaunch as an LMS does: the stored data back, entry "resume".
    resumed = {"core": {"lesson_status": core["lesson_status"], "entry": "resume"},
               "suspend_data": first["suspend_data"], **mastery}
    sco = launch(tab, lms, lang, scenario_href(lang, scenario.id), resumed)
    sco.locator("[data-perfcomm-player] button[data-choice]").first.wait_for()
    expected = Dialogue(scenario, lang)
    for number in path[:half]:
        expected.choose(number - 1)
    player = sco.locator("[data-perfcomm-player]")
    assert player.locator(".pc-choice-text").all_inner_texts() == [c.text for c in expected.choices]
    assert player.locator(".pc-chat .pc-self").count() == half
    assert player.locator(".pc-saved-here").inner_text() != ""
    play(sco, path[half:])
    for number in path[half:]:
        expected.choose(number - 1)
    ending = player.locator("[data-ending]")
    assert ending.get_attribute("data-ending") == expected.state.node
    model = finish(tab)

    percent = round(100 * max(0, expected.score) / explore_once(scenario).max_score, 2)
    core = model["core"]
    assert float(core["score"]["raw"]) == percent
    assert (core["score"]["min"], core["score"]["max"]) == ("0", "100")
    assert core["lesson_status"] == ("passed" if percent >= float(MASTERY) else "failed")
    assert core["exit"] == "suspend" and TIMESPAN.match(core["session_time"])
    # This session's choices are this session's interactions (SCORM 1.2 interactions are a journal).
    picks = [e for e in expected.transcript if "choice" in e][half:]
    interactions = items(model["interactions"])
    assert len(interactions) == len(picks)
    for item, pick in zip(interactions, picks):
        assert item["id"] == pick["node"] and IDENTIFIER.match(item["id"])
        assert item["type"] == "choice" and item["student_response"] == str(pick["choice"])
        result = "wrong" if pick["violates"] else "correct" if pick["meets"] else "neutral"
        assert item["result"] == result
        assert TIME.match(item["time"]) and TIMESPAN.match(item["latency"])
        objectives = [o["id"] for o in items(item["objectives"])]
        assert objectives == pick["meets"] + pick["violates"]
        assert all(IDENTIFIER.match(o) for o in objectives)
    assert len(model["suspend_data"]) <= 4096
    assert tab.errors == [] and tab.blocked == []
    tab.context.close()


def test_a_run_that_reaches_the_mastery_score_passes_and_a_later_weaker_run_does_not_lower_it(browser, lms):
    scenario = SCENARIOS["s1-new-hire-goals"]
    explored = explore_once(scenario)
    runs = []
    for path in [explored.best_path, *paths_to_endings(scenario).values()]:
        d = Dialogue(scenario, "zh")
        for n in path:
            d.choose(n - 1)
        runs.append((100 * max(0, d.score) / explored.max_score, path))
    good, weak = max(runs), min(runs)
    assert good[0] >= float(MASTERY) > weak[0]
    tab = guarded_page(browser)
    sco = launch(tab, lms, "zh", scenario_href("zh", scenario.id), {"student_data": {"mastery_score": MASTERY}})
    play(sco, good[1])
    sco.locator("[data-restart]").click()
    play(sco, weak[1])
    core = finish(tab)["core"]
    assert core["lesson_status"] == "passed" and float(core["score"]["raw"]) == round(good[0], 2)
    tab.context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lesson_is_completed_when_the_learner_reaches_the_end_of_the_page(browser, lms, lang):
    tab = guarded_page(browser)
    href = f"{'' if lang == 'zh' else 'en/'}lessons/02-during-period.lms.html"
    sco = launch(tab, lms, lang, href)
    sco.locator("article h1").wait_for()
    tab.wait_for_function("window.events.includes('LMSInitialize')")
    assert tab.evaluate("window.API.cmi.core.lesson_status") == "incomplete"
    assert not sco.locator(".md-header").is_visible()                  # the LMS's menu replaces the site's
    sco.locator("[data-perfcomm-end]").scroll_into_view_if_needed()
    tab.wait_for_function("window.API.cmi.core.lesson_status === 'completed'")
    core = finish(tab)["core"]
    assert core["lesson_status"] == "completed" and core["exit"] == "" and TIMESPAN.match(core["session_time"])
    assert tab.errors == [] and tab.blocked == []
    tab.context.close()


def test_a_lesson_not_read_to_the_end_stays_incomplete_and_links_open_beside_it(browser, lms):
    tab = guarded_page(browser)
    sco = launch(tab, lms, "zh", "lessons/01-goal-setting.lms.html")
    sco.locator("article h1").wait_for()
    link = sco.locator("article a[href*='checkpoints.html']").first
    with tab.context.expect_page() as opened:
        link.click()
    opened.value.close()
    core = finish(tab)["core"]
    assert core["lesson_status"] == "incomplete" and core["exit"] == "suspend"
    tab.context.close()


def test_the_package_plays_from_the_file_system_without_an_lms(browser, packages):
    """A preview: the launch page opened from disk finds no LMS and works as on the site."""
    tab = guarded_page(browser)
    scenario = SCENARIOS["s4-plan-slipping"]
    path = next(iter(paths_to_endings(scenario).values()))
    tab.goto((packages["en"] / "en" / "scenarios" / f"{scenario.id}.lms.html").as_uri())
    player = tab.locator("[data-perfcomm-player]")
    play(tab, path)
    assert player.locator("[data-ending]").count() == 1
    tab.goto((packages["zh"] / "lessons" / "01-goal-setting.lms.html").as_uri())
    assert tab.locator("article h1").is_visible()
    tab.wait_for_function("typeof __index === 'object' && __index.docs.length > 0")   # search's offline index
    assert tab.errors == [] and tab.blocked == []
    tab.context.close()
