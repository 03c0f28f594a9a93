"""The built site: strict build, lessons in both languages, search, notebooks, no third-party hosts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from perfcomm.course import Course
from perfcomm.lessons import SECTIONS, read_lessons

pytestmark = pytest.mark.slow


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def lesson_names(root):
    lessons, problems = read_lessons(Course(root))
    assert not problems
    return lessons


def test_six_lessons_exist_in_both_languages_with_the_full_skeleton(root, built_site):
    lessons = lesson_names(root)
    assert sorted(lesson.stage for lesson in lessons) == [0, 1, 2, 3, 4, 5]
    for lesson in lessons:
        for prefix in ("", "en/"):
            page = built_site / prefix / lesson.name / "index.html"
            html = soup(page)
            for anchor in SECTIONS:
                assert html.find(id=anchor), f"{page}: no #{anchor}"
            assert html.select(".lesson-overview li"), f"{page}: no questions/objectives box"
            assert html.select(".lesson-keypoints li"), f"{page}: no key points box"
            assert len(html.select("details.question")) >= 2, f"{page}: self-check answers not hidden"
            assert html.select("#dialogue ~ .admonition.failure") and html.select("#dialogue ~ .admonition.success")


def test_chinese_headings_keep_chinese_anchors(built_site):
    html = soup(built_site / "lessons/01-goal-setting/index.html")
    ids = [h.get("id", "") for h in html.select("h2[id], h3[id]")]
    assert any(re.search(r"[\u4e00-\u9fff]", anchor) for anchor in ids), ids


def test_checkpoint_markers_become_links_to_the_catalogue(built_site):
    for prefix, lang_word in (("", "检查点"), ("en/", "Checkpoint")):
        html = soup(built_site / prefix / "lessons/03-appraisal-feedback/index.html")
        badges = html.select("a.cp-badge")
        assert badges
        assert all(b["href"].startswith("../../checkpoints/#") for b in badges)
        assert all(b["title"].startswith(lang_word) for b in badges)
        catalogue = soup(built_site / prefix / "checkpoints/index.html")
        for badge in badges:
            assert catalogue.find(id=badge["href"].split("#")[1])
    assert "[[cp:" not in (built_site / "lessons/03-appraisal-feedback/index.html").read_text(encoding="utf-8")


def test_search_index_has_chinese_words_as_separate_tokens(built_site):
    index = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] + " " + doc["title"] for doc in index["docs"])
    separator = re.compile(index["config"]["separator"])
    tokens = set(separator.split(text))
    assert "反馈" in tokens and "绩效" in tokens
    assert "\u200b" in text
    feedback = [d for d in index["docs"] if d["location"].startswith("lessons/03-appraisal-feedback/")]
    assert feedback, "the feedback lesson is not in the Chinese search index"
    # mkdocs-static-i18n merges both languages into the one index
    assert any(d["location"].startswith("en/lessons/03") for d in index["docs"])


def test_a_notebook_page_is_rendered_html_not_json(built_site):
    for prefix in ("", "en/"):
        page = built_site / prefix / "scenarios/00-intro/index.html"
        html = soup(page)
        cells = html.select(".jp-Cell")
        assert len(cells) >= 3, page
        assert html.select(".jp-MarkdownCell h1, .jp-MarkdownCell h2")
        assert '"cell_type"' not in page.read_text(encoding="utf-8")
    assert not (built_site / "scenarios/00-intro.zh.ipynb").exists()


def test_agendas_are_computed_from_the_lessons_minutes(root, built_site):
    lessons = {lesson.name: lesson for lesson in lesson_names(root)}
    full_day_minutes = sum(lesson.teaching + lesson.exercises for lesson in lessons.values())
    html = soup(built_site / "facilitator/index.html")
    tables = [t for t in html.select("table") if "合计" in t.get_text()]
    totals = [int(t.select("tr")[-1].select("td")[-1].get_text(strip=True).strip("*")) for t in tables]
    assert len(totals) == 2, "expected a half-day and a full-day agenda table"
    half, full = sorted(totals)
    assert full > full_day_minutes  # every lesson in full plus opening, breaks, lunch, wrap-up
    rows = tables[-1].select("tbody tr")
    for row in rows[:-1]:
        start, end = row.select("td")[0].get_text(strip=True).split("–")
        minutes = int(row.select("td")[-1].get_text(strip=True))
        h1, m1 = map(int, start.split(":"))
        h2, m2 = map(int, end.split(":"))
        assert (h2 * 60 + m2) - (h1 * 60 + m1) == minutes


THIRD_PARTY_ATTRS = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
                     "video": "src", "audio": "src"}


def _is_third_party(url: str) -> bool:
    parsed = urlparse(url.strip())
    return bool(parsed.netloc) or url.strip().startswith("//")


def test_no_page_loads_anything_from_another_host(built_site):
    offenders = []
    for page in built_site.rglob("*.html"):
        html = soup(page)
        for tag, attr in THIRD_PARTY_ATTRS.items():
            for element in html.find_all(tag):
                url = element.get(attr)
                if tag == "link" and not set(element.get("rel", [])) & {"stylesheet", "preload", "icon",
                                                                       "modulepreload", "preconnect", "manifest"}:
                    continue
                if url and _is_third_party(url):
                    offenders.append(f"{page.relative_to(built_site)}: <{tag} {attr}={url}>")
        for style in html.find_all("style"):
            offenders += [f"{page}: style url({u})" for u in re.findall(r"url\(['\"]?([^'\")]+)", style.text)
                          if _is_third_party(u)]
    for css in built_site.rglob("*.css"):
        for url in re.findall(r"url\(['\"]?([^'\")]+)", css.read_text(encoding="utf-8", errors="replace")):
            if _is_third_party(url) and not url.startswith("data:"):
                offenders.append(f"{css.relative_to(built_site)}: url({url})")
    assert not offenders, "\n".join(offenders[:20])
    assert not any("fonts.googleapis" in p.read_text(encoding="utf-8") for p in built_site.rglob("*.html"))


def test_mermaid_is_vendored_and_loaded_only_where_there_are_diagrams(built_site):
    with_diagrams = soup(built_site / "lessons/05-cycle/index.html")
    assert with_diagrams.select("pre.mermaid")
    assert with_diagrams.select_one('script[src="../../assets/vendor/mermaid/mermaid.min.js"]')
    for page in ("glossary/index.html", "scenarios/s1-new-hire-goals/index.html", "en/lessons/01-goal-setting/index.html"):
        html = soup(built_site / page)
        assert not html.select("pre.mermaid") and not html.select('script[src*="mermaid"]'), page
    assert (built_site / "assets/vendor/mermaid/mermaid.min.js").stat().st_size > 1_000_000


def test_every_scenario_has_a_page_and_is_played_on_its_stages_practice_page(root, built_site):
    from perfcomm.scenario.library import load_all

    scenarios, _ = load_all(Course(root), None)
    for prefix, lang in (("", "zh"), ("en/", "en")):
        for scenario in scenarios:
            page = soup(built_site / prefix / "scenarios" / scenario.id / "index.html")
            assert page.select_one("h1").get_text(strip=True).rstrip("¶") == scenario.title[lang]
            player = page.select_one(f'[data-perfcomm-player][data-scenario="{scenario.id}"]')
            assert player and player["data-lang"] == lang
            assert scenario.briefing[lang] in player.get_text()           # readable without script
            story = json.loads(page.select_one(f'script[data-perfcomm-story="{scenario.id}"]').string)
            assert story["story"]["lang"] == lang and story["story"]["id"] == scenario.id
            assert page.select_one('script[src$="assets/perfcomm/player.js"]')
        for stage, name in ((1, "01-goal-setting"), (2, "02-during-period"), (3, "03-appraisal-feedback"),
                            (4, "04-improvement")):
            page = soup(built_site / prefix / "scenarios" / name / "index.html")
            played = sorted(p["data-scenario"] for p in page.select("[data-perfcomm-player]"))
            assert played == sorted(s.id for s in scenarios if (3 if s.stage == 0 else s.stage) == stage)
            assert not page.select(".jp-Cell"), "a stage practice page shows notebook cells"
            download = page.select_one('a[download][href$=".ipynb"]')
            assert download and (built_site / prefix / "scenarios" / name / download["href"]).resolve().is_file()
    catalogue = soup(built_site / "scenarios/index.html")
    for scenario in scenarios:
        assert catalogue.find(id=scenario.id), scenario.id
        assert catalogue.select_one(f'a[href$="{scenario.id}/"]'), f"no link to play {scenario.id}"
    assert len(catalogue.select("pre.mermaid")) == len(scenarios)
    lesson = soup(built_site / "lessons/03-appraisal-feedback/index.html")
    practice = lesson.find(id="practice").find_next("ul")
    assert practice and "../../scenarios/s3-defensive-low-score/" in str(practice)


def test_player_script_and_one_scenario_stay_under_100_kb_gzipped(built_site):
    import gzip

    script = (built_site / "assets/perfcomm/player.js").read_bytes()
    style = (built_site / "assets/perfcomm/player.css").read_bytes()
    page = soup(built_site / "scenarios/hr-joins-feedback/index.html")
    data = page.select_one('script[data-perfcomm-story="hr-joins-feedback"]').string.encode("utf-8")
    assert len(gzip.compress(script + style + data)) < 100_000


def test_lesson_checkpoint_markers_show_names_not_ids(root, built_site):
    from perfcomm.catalogue import load_catalogue

    course = Course(root)
    catalogue = load_catalogue(course.catalogue_file, "lessons/checkpoints.yaml")
    for prefix, lang in (("", "zh"), ("en/", "en")):
        html = soup(built_site / prefix / "lessons/03-appraisal-feedback/index.html")
        for badge in html.select("a.cp-badge, a.cp-item"):
            cp_id = badge["href"].split("#")[1]
            assert badge.get_text(strip=True) == catalogue.get(cp_id).name[lang]
            assert cp_id in badge["title"]                               # the id is there on hover
        text = html.select_one("article").get_text()
        assert "s3-explain-result" not in text
