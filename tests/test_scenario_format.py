"""Every mistake a scenario author can make, as a table: (mistake, expected line, expected message)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from perfcomm.cli import main
from perfcomm.problems import ContentError
from perfcomm.scenario.explore import explore
from perfcomm.scenario.load import load_scenario

TINY = Path(__file__).parent / "fixtures" / "tiny.yaml"
CHECKPOINTS = ["s1-ownership", "s1-content-standards", "s1-support-needed", "s1-goals-clear"]


def problems_of(path: Path) -> list[str]:
    try:
        scenario = load_scenario(path, "bad.yaml", CHECKPOINTS)
    except ContentError as err:
        return [str(p) for p in err.problems]
    return [str(p) for p in explore(scenario).problems]


def line_of(text: str, needle: str) -> int:
    """Line of the first occurrence of needle; '2|needle' for the second one."""
    nth, _, needle = needle.rpartition("|")
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[int(nth or 1) - 1]


def test_the_fixture_itself_is_valid():
    assert problems_of(TINY) == []


CASES = [
    ("yaml-syntax", "    choices:\n      - zh: 先聊聊", "    choices:\n      - zh: [先聊聊", "Tell me first how",
     "YAML syntax error"),
    ("unknown-key", "        effects: {trust: 10}", "        efects: {trust: 10}", "efects:",
     "node 'open' choice 1: unknown key 'efects' — did you mean 'effects'?"),
    ("missing-key", "        goto: close\n        effects: {clarity: 50}", "        effects: {clarity: 50}",
     "我们一起看看考核内容和标准", "node 'standards' choice 1: missing key 'goto'"),
    ("duplicate-id", "  partly:\n", "  agreed:\n", "2|  agreed:",
     "key 'agreed' appears twice in one mapping"),
    ("goto-missing", "        goto: close\n        effects: {clarity: 50}", "        goto: clsoe\n        effects: {clarity: 50}",
     "goto: clsoe", "node 'standards' choice 1: goto 'clsoe' not found — did you mean 'close'?"),
    ("unreachable-node", "      - {goto: unclear}", "      - {goto: partly}", "  unclear:",
     "node 'unclear' is unreachable — no path from start 'open' leads to it"),
    ("dead-end", "      - {goto: unclear}\n", "", "  close:",
     "node 'close': dead end — no `next` route holds when"),
    ("undeclared-variable", 'if: "trust >= 60"\n        goto: close', 'if: "trsut >= 60"\n        goto: close',
     "trsut >= 60", "variable 'trsut' is not declared — did you mean 'trust'?"),
    ("condition-out-of-range", 'if: "trust >= 60"\n        goto: close', 'if: "trust > 100"\n        goto: close',
     "trust > 100", "condition 'trust > 100' can never hold (trust 0–100)"),
    ("condition-never-reached", 'if: "trust >= 60"\n        goto: close', 'if: "trust >= 90"\n        goto: close',
     "trust >= 90", "condition 'trust >= 90' never holds in any reachable state"),
    ("hidden-not-a-flag", "  trust: {start: 50, min: 0, max: 100, zh:", "  trust: {start: 50, min: 0, max: 100, hidden: yes please, zh:",
     "hidden: yes please", "variable 'trust': hidden is true or false — true keeps it off the meters"),
    ("unknown-checkpoint", "meets: [s1-content-standards]", "meets: [s1-content-standard]",
     "s1-content-standard]", "unknown checkpoint 's1-content-standard' — did you mean 's1-content-standards'?"),
    ("missing-language", "        en: Let's go straight to the appraisal form.\n", "", "我们直接看考核表吧",
     "node 'open' choice 3: the 'en' line is missing"),
    ("format-version", "format_version: 1", "format_version: 7", "format_version",
     "format_version 7 is not supported — this perfcomm reads format_version 1"),
    ("loop-without-exit", "      - {goto: unclear}",
     "      - {goto: stuck}\n  stuck:\n    choices:\n      - {zh: 再说一遍, en: Say it again, goto: stuck}",
     "  stuck:", "node 'stuck': from here no ending can be reached when trust=60, clarity=0"),
    ("node-without-ending", "    ending: {kind: poor, zh: 目标不清, en: An unclear goal}\n", "", "  unclear:",
     "node 'unclear' is empty — give it choices, next or an ending"),
]


@pytest.mark.parametrize("old, new, at, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_mistake_is_reported_at_its_line(tmp_path, old, new, at, message):
    text = TINY.read_text(encoding="utf-8")
    assert old in text
    broken = text.replace(old, new, 1)
    path = tmp_path / "bad.yaml"
    path.write_text(broken, encoding="utf-8")
    found = [p for p in problems_of(path) if message in p]
    assert found, problems_of(path)
    assert found[0].startswith(f"bad.yaml:{line_of(broken, at)}: "), found


@pytest.mark.parametrize("content, message", [
    ("", "bad.yaml:1: the file is empty"),
    ("just some words, not a scenario\n", "bad.yaml:1: expected a YAML mapping"),
    ("\xff\xfe not utf-8", "bad.yaml: not UTF-8 text"),
], ids=["empty-file", "not-yaml", "not-utf8"])
def test_a_file_that_is_not_a_scenario(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content.encode("latin-1"))
    assert any(p.startswith(message) for p in problems_of(path)), problems_of(path)


def test_check_command_reports_a_broken_scenario_without_a_traceback(course_copy, capsys):
    target = course_copy / "lessons/scenarios/broken.yaml"
    shutil.copy(TINY, target)
    text = target.read_text(encoding="utf-8").replace("goto: close\n        effects: {clarity: 50}",
                                                      "goto: clsoe\n        effects: {clarity: 50}")
    target.write_text(text.replace("id: tiny", "id: broken"), encoding="utf-8")
    code = main(["check", str(target)])
    output = capsys.readouterr()
    assert code == 1
    assert "lessons/scenarios/broken.yaml:" in output.out
    assert "did you mean 'close'?" in output.out
    assert "Traceback" not in output.out + output.err


def test_a_sentence_cut_by_an_unquoted_comma_is_reported(tmp_path):
    text = TINY.read_text(encoding="utf-8").replace(
        "feedback: {zh: 先听员工的理解，目标更容易被认可。, en: Listening first makes the goal easier to own.}",
        "feedback: {zh: 先听员工的理解，目标更容易被认可。, en: Listen first, then the goal is owned.}")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    found = [p for p in problems_of(path) if "unexpected 'then the goal is owned.'" in p]
    assert found and found[0].startswith(f"bad.yaml:{line_of(text, 'then the goal is owned')}: ")
