"""Answer cues: the best option of a decision, the length policies, the item flaws, the rates
against the targets, and the figures `perfcomm cues` reports for the course."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import yaml

from perfcomm.cli import main
from perfcomm.cues.decisions import decisions
from perfcomm.scenario import Dialogue, load_scenario
from perfcomm.scenario.autoplay import is_question, length
from perfcomm.scenario.explore import explore

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests/fixtures/cues"
PERFCOMM = Path(sys.executable).parent / "perfcomm"


def run_check(capsys, *args):
    code = main(["check", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def shown(path: Path) -> str:
    """How the check names a file: relative to the course when inside it."""
    return str(path.relative_to(ROOT))


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def choice_line(path: Path, node: str, number: int) -> int:
    """The line of a node's n-th choice (1-based): its first key."""
    scenario = load_scenario(path, str(path))
    return scenario.nodes[node].choices[number - 1].line


@pytest.fixture(autouse=True)
def the_course(monkeypatch):
    monkeypatch.setenv("PERFCOMM_COURSE", str(ROOT))


# -- the best option of a decision -------------------------------------------------------------------
def test_the_best_option_comes_from_the_scores_still_reachable_not_from_the_choice_alone():
    trap = load_scenario(FIXTURES / "trap.yaml", "trap.yaml")
    found = {d.node: d for d in decisions(trap, explore(trap))}
    # choice 1 meets a checkpoint at once but leads where only violations are left
    assert found["open"].best == (1,)
    # two choices keep the best score and meet the same checkpoints: both are best, and the longer
    # of them is the longest option, so following length loses nothing there
    assert found["later"].best == (0, 1)
    assert found["later"].best_longest("zh") and found["later"].best_longest("en")
    # where every choice leads to the same score, there is nothing to find: not a scored decision
    assert not found["either"].scored and not found["dead"].scored


# -- scenarios: per decision, rates, policies -------------------------------------------------------
def test_a_cue_laden_scenario_is_warned_at_every_decision_and_its_rates(capsys):
    path = FIXTURES / "cued.yaml"
    code, out, err = run_check(capsys, str(path))
    assert code == 0, out + err                        # warnings do not fail the check
    assert "all content is valid" not in err and "checked as a scenario" in err
    best = {"d1": 1, "d2": 2, "d3": 3, "d4": 1, "d5": 2, "d6": 3}
    for node, number in best.items():
        prefix = f"{shown(path)}:{choice_line(path, node, number)}: warning: node '{node}': the best option (choice {number})"
        assert any(row.startswith(prefix) and "longer than every other" in row for row in out.splitlines()), (prefix, out)
    for lang in ("zh", "en"):
        assert f"{shown(path)}:1: warning: scenario 'cued' ({lang}): the best option is the longest in 6 of 6 (100%)" in out
        assert (f"{shown(path)}:1: warning: scenario 'cued' ({lang}): always picking the longest option reaches the good"
                f" ending 'good' with score 6 of 6") in out
    assert "Traceback" not in out + err


def test_a_scenario_without_cues_passes_even_strict(capsys):
    code, out, err = run_check(capsys, "--strict", str(FIXTURES / "clean.yaml"))
    assert code == 0, out + err
    assert out == "" and "warning" not in err


def test_strict_turns_the_rates_and_policies_of_a_cued_scenario_into_errors(capsys):
    path = FIXTURES / "cued.yaml"
    code, out, err = run_check(capsys, "--strict", str(path))
    assert code == 1
    errors = [row for row in out.splitlines() if ": warning:" not in row]
    assert f"{shown(path)}:1: scenario 'cued' (zh): the best option is the longest in 6 of 6 (100%) decisions" in "\n".join(errors)
    assert any("always picking the longest option reaches the good ending" in row for row in errors)
    assert not any("always picking the shortest" in row for row in errors)     # that one ends poorly
    assert "4 problem(s) found, 6 warning(s)" in err                          # per-decision cues stay warnings


@pytest.mark.parametrize("name, lang, policy, ending, kind, score", [
    ("cued", "zh", "longest", "good", "good", 6),
    ("cued", "en", "shortest", "poor", "poor", -5),
    ("clean", "zh", "longest", "poor", "poor", -2),
    ("clean", "en", "shortest", "mixed", "mixed", 1),
], ids=["cued-longest-wins", "cued-shortest-loses", "clean-longest-loses", "clean-shortest-no-good-ending"])
def test_play_by_policy_reports_the_run(course_copy, capsys, name, lang, policy, ending, kind, score):
    shutil.copy(FIXTURES / f"{name}.yaml", course_copy / "lessons/scenarios" / f"{name}.yaml")
    assert main(["play", name, "--policy", policy, "--lang", lang, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["ending"], data["ending_kind"], data["score"], data["max_score"]) == (ending, kind, score, 6)
    # every pick was the longest (shortest) option on offer, by characters of that language
    scenario = load_scenario(course_copy / "lessons/scenarios" / f"{name}.yaml", name)
    replay = Dialogue(scenario, lang)
    for number in data["choices"]:
        sizes = [length(c.text) for c in replay.choices]
        assert sizes[number - 1] == (max(sizes) if policy == "longest" else min(sizes))
        replay.choose(number - 1)
    assert replay.transcript == data["transcript"]


@pytest.mark.parametrize("text, asked", [
    ("你先说说，这个数对你意味着什么？", True),
    ("What does that number mean for you?", True),
    ("他问：“为什么？”", True),                 # a closing quote after the mark
    ("Shall we look at it (every two weeks?)", True),
    ("先看别的。", False),
    ("Why not. Let's move on.", False),
    ("What? No, we keep the target.", False),  # a question inside, a statement at the end
], ids=["zh", "en", "zh-quoted", "en-bracketed", "zh-statement", "en-statement", "en-inner"])
def test_a_question_is_an_option_that_ends_as_one(text, asked):
    assert is_question(text) is asked


def test_a_scenario_that_cues_by_questions_is_caught_and_strict_fails(capsys):
    path = FIXTURES / "asked.yaml"
    code, out, err = run_check(capsys, "--strict", str(path))
    assert code == 1, out + err
    for lang in ("zh", "en"):
        assert (f"{shown(path)}:1: scenario 'asked' ({lang}): the best option is the only question in 6 of 6"
                f" (100%) decisions — target at most 40%") in out
        assert (f"{shown(path)}:1: scenario 'asked' ({lang}): always picking the only question (else the first"
                f" option) reaches the good ending 'good' with score 6 of 6") in out
    assert "the best option is the longest" not in out and "the best option is the shortest" not in out
    assert "4 problem(s) found" in err


def test_play_by_the_question_policy_picks_the_only_question_else_the_first(course_copy, capsys):
    for name in ("asked", "cued"):
        shutil.copy(FIXTURES / f"{name}.yaml", course_copy / "lessons/scenarios" / f"{name}.yaml")
    assert main(["play", "asked", "--policy", "question", "--lang", "zh", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["ending_kind"], data["score"], data["choices"]) == ("good", 6, [2, 3, 1, 2, 3, 2])
    assert main(["play", "cued", "--policy", "question", "--lang", "en", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # d2 has one question (choice 2); elsewhere none, so the first option is picked
    assert data["choices"] == [1, 2, 1, 1, 1, 1] and data["ending_kind"] != "good"


def test_play_by_random_policy_is_repeatable_by_seed():
    def play(seed):
        result = subprocess.run([str(PERFCOMM), "play", "s2-shortcut-target", "--policy", "random", "--seed",
                                 str(seed), "--json"], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    first = play(7)
    assert first["ending_kind"] in ("good", "mixed", "poor") and first == play(7)
    assert any(play(seed)["choices"] != first["choices"] for seed in (1, 2, 3))


# -- items ----------------------------------------------------------------------------------------
FLAWS = [
    ("flaw-long-key", "B", "the key is longer than every distractor"),
    ("flaw-of-the-above", "D", "option D says '以上都对', 'all of the above'"),
    ("flaw-absolute", None, "absolute words only in distractors (zh — B: 一定; C: 所有)"),
    ("flaw-absolute", None, "absolute words only in distractors (en — B: always; C: everyone)"),
    ("flaw-repeat", "B", "options B and C repeat each other"),
    ("flaw-stem", "A", "the key A repeats the stem"),
]


@pytest.mark.parametrize("item, option, message", FLAWS, ids=[f"{i}-{n}" for n, (i, _, _) in enumerate(FLAWS)])
def test_each_classic_item_flaw_is_warned_at_its_line(capsys, item, option, message):
    path = FIXTURES / "flawed-bank.yaml"
    code, out, err = run_check(capsys, str(path))
    assert code == 0, out + err
    text = path.read_text(encoding="utf-8").splitlines()
    start = line_of(path, f"id: {item}")
    line = start if option is None else next(n for n in range(start, len(text) + 1)
                                              if text[n - 1].strip() == f"- id: {option}")
    assert f"{shown(path)}:{line}: warning: item '{item}': {message}" in out, out


def test_a_clean_item_gets_no_warning_and_the_bank_rate_is_counted(capsys):
    path = FIXTURES / "flawed-bank.yaml"
    _, out, _ = run_check(capsys, str(path))
    assert "clean-item" not in out
    assert len([row for row in out.splitlines() if ": warning: item '" in row]) == len(FLAWS)
    assert f"{shown(path)}: warning: single-answer bank items (zh): the key is the longest option in 5 of 6 (83%)" in out
    code, out, _ = run_check(capsys, "--strict", str(path))
    assert code == 1 and f"{shown(path)}: single-answer bank items (zh): the key is the longest option in 5 of 6" in out


def test_exercise_questions_are_linted_and_counted(capsys):
    path = FIXTURES / "exercise.yaml"
    code, out, err = run_check(capsys, str(path))
    assert code == 0 and "checked as a stage exercise" in err
    line = line_of(path, "- id: B")
    assert f"{shown(path)}:{line}: warning: question 'q1-cued': the key is longer than every distractor" in out
    assert "q2-clean" not in out
    assert f"{shown(path)}: warning: single-choice exercise questions (en): the key is the longest option in 1 of 2" in out


# -- the course ------------------------------------------------------------------------------------
def cues(*args) -> str:
    """`perfcomm cues` in this process: the course's explorations are shared with the other tests."""
    out = io.StringIO()
    with mock.patch.dict("os.environ", {"PERFCOMM_COURSE": str(ROOT)}), contextlib.redirect_stdout(out):
        assert main(["cues", *args]) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def figures():
    return json.loads(cues("--json"))


def _key_longest(options, key, lang):
    sizes = {o["id"]: len(" ".join(str(o[lang]).split())) for o in options}
    return sizes[key] == max(sizes.values())


def test_bank_and_exercise_key_rates_match_a_count_from_the_files(figures):
    items = [i for path in sorted((ROOT / "exercises/bank").glob("*.yaml"))
             for i in yaml.safe_load(path.read_text(encoding="utf-8"))["items"] if i["kind"] == "single"]
    questions = [q for path in sorted((ROOT / "exercises").glob("stage*.yaml"))
                 for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"] if q["kind"] == "single"]
    assert figures["bank"]["single"] == len(items) and figures["exercises"]["single"] == len(questions)
    for lang in ("zh", "en"):
        assert figures["bank"][lang]["key_longest"] == sum(_key_longest(i["options"], i["key"], lang) for i in items)
        assert figures["exercises"][lang]["key_longest"] == sum(_key_longest(q["options"], q["key"], lang)
                                                                 for q in questions)


def test_scenario_figures_add_up_and_the_policies_replay(figures):
    scenarios = figures["scenarios"]
    assert len(scenarios) == len(list((ROOT / "lessons/scenarios").glob("*.yaml")))
    for lang in ("zh", "en"):
        total = figures["total"][lang]
        assert total["decisions"] == sum(s["decisions"] for s in scenarios)
        assert total["best_longest"] == sum(s["langs"][lang]["best_longest"] for s in scenarios)
    smallest = min(scenarios, key=lambda s: s["decisions"])
    for policy in ("longest", "shortest"):
        result = subprocess.run([str(PERFCOMM), "play", smallest["id"], "--policy", policy, "--json", "--lang", "en"],
                                cwd=ROOT, capture_output=True, text=True)
        run = json.loads(result.stdout)
        expected = smallest["langs"]["en"]["policies"][policy]
        assert (run["ending"], run["ending_kind"], run["score"], run["max_score"], run["choices"]) == (
            expected["ending"], expected["ending_kind"], expected["score"], expected["max_score"], expected["choices"])


def test_the_report_prints_every_scenario_in_both_languages(figures):
    report = cues()
    for scenario in (ROOT / "lessons/scenarios").glob("*.yaml"):
        assert report.count(scenario.stem) == 2
    assert "scenario (zh)" in report and "scenario (en)" in report
    total = figures["total"]["zh"]
    assert f"{total['best_longest']}/{total['decisions']}" in report
    assert "bank, single-answer items" in report and "exercises, single-choice questions" in report


def test_the_course_check_reports_cues_as_warnings_with_a_summary(capsys):
    code, out, err = run_check(capsys)
    assert code == 0, out + err
    assert all(": warning: " in row for row in out.splitlines())
    assert "answer cues (zh): best option longest in" in err and "answer cues (en):" in err


def test_the_course_passes_the_strict_check(capsys):
    code, out, err = run_check(capsys, "--strict")
    assert code == 0, out
    assert "problem(s) found" not in err


# -- the authors' pages quote the fixtures these tests exercise --------------------------------------
PAGES = sorted((ROOT / "docs/authors").glob("*.md"))
FENCE = re.compile(r"^```(yaml|text)\n(.*?)^```", re.S | re.M)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_the_examples_on_the_authors_pages_come_from_the_fixtures(page, capsys):
    quoted = 0
    for kind, body in FENCE.findall(page.read_text(encoding="utf-8")):
        lines = body.rstrip("\n").split("\n")
        if kind == "yaml" and lines[0].startswith("# tests/fixtures/"):
            source = (ROOT / lines[0][2:]).read_text(encoding="utf-8").split("\n")
            wanted = lines[1:]
            assert any(source[i:i + len(wanted)] == wanted for i in range(len(source))), (page.name, wanted[0])
            quoted += 1
        elif kind == "text" and lines[0].startswith("tests/fixtures/"):
            path = lines[0].split(":")[0]
            _, out, _ = run_check(capsys, str(ROOT / path))
            for line in lines:
                assert line in out.splitlines(), (page.name, line)
            quoted += 1
    if page.stem.startswith(("item-writing", "scenario-format")):
        assert quoted >= 2, page.name
