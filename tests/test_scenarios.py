"""Scenarios: transcript tests, save/restore round trips, exploration, the play command, the player."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from perfcomm.catalogue import load_catalogue
from perfcomm.course import Course
from perfcomm.scenario import Dialogue, load_scenario
from perfcomm.scenario.explore import explore
from perfcomm.scenario.library import load_all
from perfcomm.scenario.policy import course_rules
from perfcomm.trace import trace

ROOT = Path(__file__).resolve().parent.parent
PERFCOMM = Path(sys.executable).parent / "perfcomm"
TRANSCRIPTS = sorted((ROOT / "tests/transcripts").glob("*.yaml"))


def course_scenarios():
    course = Course(ROOT)
    catalogue = load_catalogue(course.catalogue_file, "lessons/checkpoints.yaml")
    scenarios, problems = load_all(course, catalogue)
    assert not problems, problems
    return scenarios


SCENARIOS = course_scenarios()


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
def test_transcript(path):
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    scenario = load_scenario(ROOT / plan["scenario"], plan["scenario"])
    dialogue = Dialogue(scenario, plan["lang"])
    for step in plan["steps"]:
        if "expect" in step:
            assert [line.text for line in dialogue.lines] == step["expect"]
        if "offered" in step:
            assert [c.text for c in dialogue.choices] == step["offered"]
        if "pick" in step:
            dialogue.choose(step["pick"] - 1)
    assert dialogue.state.node == plan["ending"] and dialogue.finished
    assert dialogue.score == plan["score"]
    assert dialogue.checkpoints == plan["checkpoints"]


def random_run(scenario, lang, seed, stop_at=None):
    rng = random.Random(seed)
    dialogue = Dialogue(scenario, lang, seed)
    steps = 0
    while not dialogue.finished and (stop_at is None or steps < stop_at) and steps < 200:
        dialogue.choose(rng.randrange(len(dialogue.choices)))
        steps += 1
    return dialogue


def test_there_are_at_least_two_scenarios_per_stage_and_one_for_hr():
    stages = [s.stage for s in SCENARIOS]
    for stage in (1, 2, 3, 4):
        assert stages.count(stage) >= 2, stage
    assert any(s.role == "hr" for s in SCENARIOS)
    for stage in (1, 2, 3, 4):
        personas = [s.persona["en"] for s in SCENARIOS if s.stage == stage]
        assert len(set(personas)) == len(personas)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_exploration_finds_no_problem_and_the_course_rules_hold(scenario):
    report = explore(scenario)
    assert report.problems == []
    assert course_rules(scenario, report) == []
    assert report.max_score > report.min_score
    kinds = {scenario.nodes[e].ending.kind for e in report.endings}
    assert {"good", "poor"} <= kinds


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_save_and_restore_give_back_the_same_state(scenario):
    for seed in range(5):
        for lang in ("zh", "en"):
            dialogue = random_run(scenario, lang, seed, stop_at=seed + 2)
            again = Dialogue.restore(scenario, dialogue.save())
            assert again.state == dialogue.state
            assert again.transcript == dialogue.transcript
            assert [c.text for c in again.choices] == [c.text for c in dialogue.choices]
            # and play on identically from there
            if not dialogue.finished:
                dialogue.choose(0)
                again.choose(0)
                assert again.state == dialogue.state and again.lines == dialogue.lines


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_undo_returns_to_the_state_before_the_choice(scenario):
    dialogue = Dialogue(scenario, "zh")
    before = (dialogue.state, list(dialogue.lines), list(dialogue.transcript))
    dialogue.choose(len(dialogue.choices) - 1)
    assert dialogue.undo()
    assert (dialogue.state, dialogue.lines, dialogue.transcript) == before
    assert not dialogue.undo()


def test_every_checkpoint_of_stages_1_to_4_is_exercised_by_a_scenario_choice_in_both_languages():
    data = trace(Course(ROOT))
    by_id = {s.id: s for s in SCENARIOS}
    for cp in data["checkpoints"]:
        if cp["stage"] not in (1, 2, 3, 4):
            continue
        meets = [c for c in cp["scenarios"] if c["tag"] == "meets"]
        assert meets, f"{cp['id']} is met by no scenario choice"
        for ref in meets:
            choice = by_id[ref["scenario"]].nodes[ref["node"]].choices[ref["choice"] - 1]
            assert choice.text["zh"] and choice.text["en"]
            assert cp["id"] in choice.meets


def run(*args):
    return subprocess.run([str(PERFCOMM), *args], cwd=ROOT, capture_output=True, text=True)


def test_play_json_plays_exactly_the_given_choices():
    scenario = SCENARIOS[0]
    dialogue = random_run(scenario, "zh", seed=3)
    numbers = [e["choice"] for e in dialogue.transcript if "choice" in e]
    result = run("play", scenario.id, "--choices", ",".join(map(str, numbers)), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"scenario", "ending", "offered", "score", "max_score", "checkpoints", "transcript"}
    assert data["scenario"] == scenario.id
    assert data["ending"] == dialogue.state.node
    assert data["score"] == dialogue.score and data["checkpoints"] == dialogue.checkpoints
    assert data["offered"] == []
    assert data["max_score"] == explore(scenario).max_score
    assert [e["text"] for e in data["transcript"]] == [e["text"] for e in dialogue.transcript]


def test_play_json_while_unfinished_lists_what_is_on_offer():
    scenario = SCENARIOS[0]
    data = json.loads(run("play", scenario.id, "--choices", "1", "--json", "--lang", "en").stdout)
    assert data["ending"] is None
    expected = Dialogue(scenario, "en")
    expected.choose(0)
    assert data["offered"] == [c.text for c in expected.choices]


@pytest.mark.parametrize("choices", ["9", "1,0", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "a,b"])
def test_an_invalid_choice_is_a_clear_error_with_exit_2(choices):
    scenario = SCENARIOS[0]
    result = run("play", scenario.id, "--choices", choices, "--json")
    if choices.startswith("1,1,1") and result.returncode == 0:
        pytest.skip("this scenario loops long enough to take 36 first choices")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "perfcomm play:" in result.stderr and result.stdout == ""


def test_scenarios_json_lists_every_scenario():
    rows = json.loads(run("scenarios", "--json").stdout)
    assert {r["id"] for r in rows} == {s.id for s in SCENARIOS}
    for row in rows:
        assert set(row) == {"id", "path", "stage", "persona", "title"}
        assert (ROOT / row["path"]).is_file()


def test_graph_prints_a_mermaid_flowchart_with_every_node():
    scenario = SCENARIOS[0]
    out = run("graph", scenario.id).stdout
    assert out.startswith("flowchart TD")
    assert out.count("-->") == sum(len(n.choices) for n in scenario.nodes.values())


def test_unknown_scenario_suggests_the_right_id():
    scenario = SCENARIOS[0]
    result = run("play", scenario.id[:-1])
    assert result.returncode == 2
    assert f"did you mean '{scenario.id}'" in result.stderr


def test_interactive_terminal_play_to_an_ending():
    scenario = SCENARIOS[0]
    dialogue = random_run(scenario, "en", seed=1)
    keys = "u\n" + "".join(f"{e['choice']}\n" for e in dialogue.transcript if "choice" in e)
    result = subprocess.run([str(PERFCOMM), "play", scenario.id, "--lang", "en"], cwd=ROOT, input="9\n" + keys,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Please type a number from 1 to" in result.stdout
    assert "Nothing to undo." in result.stdout
    assert f"Ending: {dialogue.ending.title['en']}" in result.stdout
    assert f"Score: {dialogue.score}" in result.stdout
