"""The in-page scenario player in Debian's headless Chromium, every request off this machine blocked:
every scenario played to each of its endings by clicking, in both languages; the stage practice
pages; progress kept in the browser; keys, live region, narrow screens and print; workshop mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from perfcomm.course import Course
from perfcomm.scenario import Dialogue
from perfcomm.scenario.explore import explore
from perfcomm.scenario.library import load_all

from conftest import guarded_page, paths_to_endings

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS, _ = load_all(Course(ROOT), None)
PREFIX = {"zh": "", "en": "/en"}


def played(scenario, lang: str, path: list[int]) -> Dialogue:
    d = Dialogue(scenario, lang)
    for number in path:
        d.choose(number - 1)
    return d


def open_scenario(tab, server, scenario_id: str, lang: str = "zh"):
    tab.goto(f"{server}{PREFIX[lang]}/scenarios/{scenario_id}/")
    tab.wait_for_selector(f'[data-perfcomm-player][data-scenario="{scenario_id}"] button[data-choice]')
    return tab.locator(f'[data-perfcomm-player][data-scenario="{scenario_id}"]')


def click_path(player, path: list[int]) -> None:
    for number in path:
        player.locator(f'button[data-choice="{number}"]').click()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_every_ending_is_reached_by_clicking(browser, server, scenario, lang):
    tab = guarded_page(browser)
    best = explore(scenario).max_score
    endings = paths_to_endings(scenario)
    assert set(endings) == {node.id for node in scenario.endings}
    for ending, path in endings.items():
        tab.goto(f"{server}/")
        tab.evaluate("localStorage.clear()")
        player = open_scenario(tab, server, scenario.id, lang)
        expected = Dialogue(scenario, lang)
        for number in path:
            assert player.locator(".pc-choice-text").all_inner_texts() == [c.text for c in expected.choices]
            player.locator(f'button[data-choice="{number}"]').click()
            expected.choose(number - 1)
        done = player.locator("[data-ending]")
        assert done.get_attribute("data-ending") == ending
        assert int(done.get_attribute("data-score")) == expected.score
        assert int(done.get_attribute("data-max-score")) == best
        assert player.locator("button[data-choice]").count() == 0
        rows = player.locator(".pc-debrief-table tbody tr")
        assert rows.count() == len(scenario.checkpoints)
        for cp, status in expected.checkpoints.items():
            assert player.locator(f'tr[data-checkpoint="{cp}"]').get_attribute("data-status") == status
        bubbles = player.locator(".pc-chat .pc-line .pc-text, .pc-chat p.pc-narrator")
        assert bubbles.all_inner_texts() == [e["text"] for e in expected.transcript]
    assert tab.errors == [] and tab.blocked == []
    tab.context.close()


def test_choices_show_the_text_on_offer_and_feedback_follows_a_pick(page, server):
    scenario = next(s for s in SCENARIOS if s.id == "s3-defensive-low-score")
    player = open_scenario(page, server, scenario.id)
    d = Dialogue(scenario, "zh")
    assert player.locator(".pc-choice-text").all_inner_texts() == [c.text for c in d.choices]
    assert player.locator("[data-feedback]").count() == 0
    player.locator('button[data-choice="2"]').click()
    d.choose(1)
    feedback = d.transcript[-len(d.lines) - 1]["feedback"]
    assert player.locator("[data-feedback]").last.inner_text().endswith(feedback)
    assert player.locator("[data-feedback]").last.is_visible()
    for line in d.lines:
        assert line.text in player.locator(".pc-chat").inner_text()
    assert page.errors == [] and page.blocked == []


def test_a_meter_for_each_shown_variable_and_none_for_hidden_ones(page, server):
    scenario = next(s for s in SCENARIOS if s.id == "s3-defensive-low-score")
    hidden = {v.name for v in scenario.variables if v.hidden}
    assert hidden, "the scenario keeps bookkeeping flags off the meters"
    player = open_scenario(page, server, scenario.id)
    shown = player.locator("[data-variable]").evaluate_all("els => els.map(e => e.dataset.variable)")
    assert shown == [v.name for v in scenario.variables if not v.hidden]
    player.locator('button[data-choice="1"]').click()      # the page keeps playing past a hidden effect
    assert page.errors == [] and page.blocked == []


def test_the_learners_own_lines_are_labelled_you_and_the_manager_is_not_when_the_learner_is_hr(page, server):
    player = open_scenario(page, server, "hr-joins-feedback")
    player.locator('button[data-choice="1"]').click()
    chat = player.locator(".pc-chat")
    assert "你（HR）" in chat.inner_text()
    assert "你（主管）" not in chat.inner_text()


def test_progress_is_kept_in_the_browser_and_restored_undo_and_restart_work(page, server):
    scenario = next(s for s in SCENARIOS if s.id == "s1-new-hire-goals")
    player = open_scenario(page, server, scenario.id)
    chat = lambda: player.locator(".pc-chat").inner_text()  # noqa: E731
    click_path(player, [2])
    after_one = chat()
    click_path(player, [1])
    after_two = chat()
    page.reload()
    player = open_scenario(page, server, scenario.id)
    assert chat() == after_two
    assert player.locator(".pc-notice").inner_text()                      # "picked up where you left off"
    assert player.locator("button[data-choice]").count() == len(played(scenario, "zh", [2, 1]).choices)
    player.locator("[data-undo]").click()
    assert chat() == after_one
    page.reload()
    player = open_scenario(page, server, scenario.id)
    assert chat() == after_one
    player.locator("[data-restart]").click()
    assert player.locator("[data-undo]").is_disabled()
    page.reload()
    player = open_scenario(page, server, scenario.id)
    assert player.locator("[data-undo]").is_disabled() and player.locator(".pc-chat .pc-self").count() == 0
    assert json.loads(page.evaluate(f"localStorage.getItem('perfcomm:run:{scenario.id}:zh')"))["save"]
    assert page.errors == [] and page.blocked == []


def test_number_keys_pick_a_choice_and_new_lines_reach_a_live_region(page, server):
    scenario = next(s for s in SCENARIOS if s.id == "s2-shortcut-target")
    player = open_scenario(page, server, scenario.id)
    chat = player.locator(".pc-chat")
    assert chat.get_attribute("role") == "log" and chat.get_attribute("aria-live") == "polite"
    before = chat.locator(".pc-line").count()
    page.keyboard.press("3")
    expected = played(scenario, "zh", [3])
    assert expected.lines[-1].text in chat.inner_text()
    assert chat.locator(".pc-line").count() > before
    assert page.evaluate("document.activeElement.dataset.choice") == "1"   # focus moves to the new choices
    page.keyboard.press("9")                                               # not on offer: nothing happens
    assert player.locator("button[data-choice]").count() == len(expected.choices)


def test_a_stage_page_plays_each_of_its_scenarios_on_its_own(page, server):
    page.goto(f"{server}/scenarios/03-appraisal-feedback/")
    players = page.locator("[data-perfcomm-player]")
    ids = [players.nth(i).get_attribute("data-scenario") for i in range(players.count())]
    assert sorted(ids) == sorted(s.id for s in SCENARIOS if s.stage in (0, 3))
    first, second = players.nth(0), players.nth(1)
    second.locator('button[data-choice="1"]').click()
    assert first.locator("[data-undo]").is_disabled() and not second.locator("[data-undo]").is_disabled()
    page.keyboard.press("2")                                 # keys go to the player last used
    assert second.locator(".pc-chat .pc-self").count() == 2 and first.locator(".pc-chat .pc-self").count() == 0
    download = page.locator('a[download][href$=".ipynb"]')
    href = download.get_attribute("href")
    assert page.request.get(f"{server}/scenarios/03-appraisal-feedback/{href}").ok
    assert page.errors == [] and page.blocked == []


def test_the_player_is_usable_at_360_pixels(browser, server):
    tab = guarded_page(browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    player = open_scenario(tab, server, "s4-plan-slipping")
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= 360
    for button in player.locator("button[data-choice]").all():
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["height"] >= 32
    player.locator('button[data-choice="1"]').tap()
    assert player.locator(".pc-chat .pc-self").count() == 1
    assert tab.evaluate("document.scrollingElement.scrollWidth") <= 360
    tab.context.close()


def test_print_shows_the_transcript_and_debrief_without_the_controls(page, server):
    scenario = next(s for s in SCENARIOS if s.id == "s4-plan-slipping")
    path = next(iter(paths_to_endings(scenario).values()))
    player = open_scenario(page, server, scenario.id)
    click_path(player, path)
    page.emulate_media(media="print")
    assert player.locator(".pc-chat").is_visible() and player.locator("[data-ending]").is_visible()
    for control in (".pc-toolbar", "[data-download]"):
        assert not player.locator(control).first.is_visible()
    assert player.locator("[data-feedback]").first.is_visible()


def test_workshop_mode_votes_chart_reveal_and_the_rooms_path(page, server):
    scenario = next(s for s in SCENARIOS if s.id == "s3-defensive-low-score")
    player = open_scenario(page, server, scenario.id)
    player.locator("[data-workshop-toggle]").click()
    assert player.locator("[data-workshop-toggle]").get_attribute("aria-pressed") == "true"
    font = lambda: float(page.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)",  # noqa: E731
                                       player.element_handle()))
    assert font() > 16
    d = Dialogue(scenario, "zh")
    room = []
    while not d.finished:
        count = len(d.choices)
        votes = [(3 * i + 5) % 11 + 1 for i in range(count)]
        votes[-1] = max(votes) + 4                       # the room's choice: the last option, clearly
        for number, value in enumerate(votes, 1):
            player.locator(f'input[data-votes="{number}"]').fill(str(value))
        bars = [player.locator(f'[data-vote-chart] [data-bar="{n}"] .pc-bar').evaluate("b => b.style.width")
                for n in range(1, count + 1)]
        assert [round(float(b.rstrip("%"))) for b in bars] == [round(100 * v / sum(votes)) for v in votes]
        player.locator("[data-play-room]").click()
        room.append((count, votes))
        had_feedback = d.choices[-1] and scenario.nodes[d.state.node].choices[d.choices[-1].index].feedback
        d.choose(count - 1)
        if had_feedback and not d.finished:
            assert not player.locator("[data-feedback]").last.is_visible()       # hidden until revealed
            player.locator("[data-reveal]").click()
            assert player.locator("[data-feedback]").last.is_visible()
    assert player.locator("[data-ending]").get_attribute("data-ending") == d.state.node
    path = player.locator("[data-room-path] tbody tr")
    assert path.count() == len(room)
    for row, (count, votes) in zip(path.all(), room):
        assert row.locator(".pc-room-votes").inner_text() == " · ".join(f"{n}: {v}" for n, v in enumerate(votes, 1))
    page.emulate_media(media="print")
    assert player.locator("[data-room-path]").is_visible() and player.locator(".pc-debrief-table").is_visible()
    assert not player.locator("[data-workshop-toggle]").is_visible()
    assert page.errors == [] and page.blocked == []


def test_a_tie_asks_the_facilitator_to_pick(page, server):
    player = open_scenario(page, server, "s1-raised-target")
    player.locator("[data-workshop-toggle]").click()
    player.locator('input[data-votes="1"]').fill("4")
    player.locator('input[data-votes="2"]').fill("4")
    player.locator("[data-play-room]").click()
    assert player.locator(".pc-room-note").inner_text()
    assert player.locator(".pc-chat .pc-self").count() == 0
    player.locator('button[data-choice="2"]').click()
    assert player.locator(".pc-chat .pc-self").count() == 1
