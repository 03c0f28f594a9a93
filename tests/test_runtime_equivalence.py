"""The browser runtime (scenario/js/) against the Python engine, its reference, step by step.

For every scenario of the course (and a fixture that uses every feature of the format), in both
languages, headless Chromium replays through the JavaScript runtime:
- every path exploration finds: a depth-first walk that takes every choice on offer in every
  reachable state (so every state and every move between states), undoing back after each; and
- 200 random walks from a fresh start, with undos along the way, each a different seed.
At every step both sides describe the dialogue: the lines just said, the choices on offer, the
variables, the ending, the score and the checkpoint statuses. The exhaustive walk compares a CRC-32
of each description (the full text would be hundreds of megabytes); the random walks compare the
full descriptions, then the whole result (transcript included), the save state, and a restore of it.
One mismatch fails, naming the scenario, the step and both descriptions.
"""

from __future__ import annotations

import json
import random
import zlib
from pathlib import Path

import pytest

from perfcomm.course import Course
from perfcomm.scenario import Dialogue, load_scenario
from perfcomm.scenario.compiled import compile_scenario
from perfcomm.scenario.library import load_all
from perfcomm.site.player import RUNTIME, RUNTIME_DIR

from conftest import guarded_page

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent
WALKS = 200
UNDO_SHARE = 0.15

SNAPSHOT_JS = """
function snapshot(d) {
  return JSON.stringify([d.lines.map((l) => [l.speaker, l.text]),
                         d.choices.map((c) => [c.number, c.text, c.index]),
                         d.state.values, d.ending ? d.state.node : null, d.score,
                         Object.entries(d.checkpoints)]);
}
"""


def snapshot(d: Dialogue) -> str:
    data = [[[line.speaker, line.text] for line in d.lines], [[c.number, c.text, c.index] for c in d.choices],
            [list(pair) for pair in d.state.values], d.state.node if d.ending else None, d.score,
            [list(pair) for pair in d.checkpoints.items()]]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def digest(d: Dialogue) -> int:
    return zlib.crc32(snapshot(d).encode("utf-8"))


def exhaustive(scenario, lang: str) -> tuple[list[int], list[int]]:
    """(ops, digests): op n > 0 picks choice n and is followed by a digest, op 0 undoes."""
    d = Dialogue(scenario, lang)
    ops, digests = [], [digest(d)]
    seen = {d.state}
    stack = [iter(range(len(d.choices)))]
    while stack:
        number = next(stack[-1], None)
        if number is None:
            stack.pop()
            if stack:
                d.undo()
                ops.append(0)
            continue
        d.choose(number)
        ops.append(number + 1)
        digests.append(digest(d))
        if d.finished or d.state in seen:
            d.undo()
            ops.append(0)
        else:
            seen.add(d.state)
            stack.append(iter(range(len(d.choices))))
    return ops, digests


def random_walk(scenario, lang: str, seed: int) -> tuple[list[int], dict]:
    """(ops, expected): a random play with undos; the snapshots after every step, the result, the
    save state and the snapshot of a dialogue restored from it."""
    rng = random.Random(f"{scenario.id}:{lang}:{seed}")
    d = Dialogue(scenario, lang, seed)
    ops, snaps = [], [snapshot(d)]
    while not d.finished and len(ops) < 400:
        if d.transcript and rng.random() < UNDO_SHARE and any("choice" in e for e in d.transcript):
            d.undo()
            ops.append(0)
        else:
            number = rng.randrange(len(d.choices))
            d.choose(number)
            ops.append(number + 1)
        snaps.append(snapshot(d))
    restored = Dialogue.restore(scenario, d.save())
    return ops, {"snapshots": snaps, "result": d.result(), "save": json.loads(d.save()),
                 "restored": snapshot(restored)}


def course_scenarios():
    scenarios, problems = load_all(Course(ROOT), None)
    assert not problems
    fixture = load_scenario(ROOT / "tests/fixtures/variants.yaml", "tests/fixtures/variants.yaml")
    return [*scenarios, fixture]


SCENARIOS = course_scenarios()


@pytest.fixture(scope="module")
def runtime(browser):
    tab = guarded_page(browser)
    tab.set_content("<!doctype html><title>runtime</title>")
    for name in RUNTIME:
        tab.add_script_tag(content=(RUNTIME_DIR / name).read_text(encoding="utf-8"))
    tab.add_script_tag(content=SNAPSHOT_JS)
    yield tab
    assert tab.errors == [] and tab.blocked == []
    tab.context.close()


def first_difference(expected: list, found: list) -> int:
    return next((i for i, (a, b) in enumerate(zip(expected, found)) if a != b), min(len(expected), len(found)))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_every_explored_path_plays_the_same_in_the_browser(runtime, scenario, lang):
    ops, expected = exhaustive(scenario, lang)
    found = runtime.evaluate("""([story, ops]) => {
        const { Scenario } = perfcomm.model, { Dialogue } = perfcomm.dialogue, { crc32 } = perfcomm.rules;
        const d = new Dialogue(new Scenario(story), story.lang, 0);
        const out = [crc32(snapshot(d))];
        for (const op of ops) {
          if (op === 0) d.undo(); else { d.choose(op - 1); out.push(crc32(snapshot(d))); }
        }
        return out;
    }""", [compile_scenario(scenario, lang), ops])
    if found != expected:
        # Replay up to the first difference on both sides, to show the two descriptions in full.
        step = first_difference(expected, found)
        before = _ops_before(ops, step)
        shown = runtime.evaluate("""([story, ops]) => {
            const d = new perfcomm.dialogue.Dialogue(new perfcomm.model.Scenario(story), story.lang, 0);
            for (const op of ops) if (op === 0) d.undo(); else d.choose(op - 1);
            return snapshot(d);
        }""", [compile_scenario(scenario, lang), before])
        d = Dialogue(scenario, lang)
        for op in before:
            d.undo() if op == 0 else d.choose(op - 1)
        path = [op for op in before if op]
        pytest.fail(f"{scenario.id} ({lang}): step {step} of {len(expected)} differs (choices {path[-12:]},"
                    f" undos as 0: {before[-12:]})\npython:  {snapshot(d)}\nbrowser: {shown}")
    assert len(expected) > 1


def _ops_before(ops: list[int], step: int) -> list[int]:
    """The ops that lead to the step-th digest (digest 0 is the start, one digest per pick)."""
    out, picks = [], 0
    for op in ops:
        if op and picks == step:
            break
        out.append(op)
        picks += bool(op)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_random_walks_play_the_same_in_the_browser(runtime, scenario, lang):
    walks = [random_walk(scenario, lang, seed) for seed in range(WALKS)]
    found = runtime.evaluate("""([story, walks]) => {
        const { Scenario } = perfcomm.model, { Dialogue } = perfcomm.dialogue;
        const played = new Scenario(story);
        return walks.map(([seed, ops]) => {
          const d = new Dialogue(played, story.lang, seed);
          const snapshots = [snapshot(d)];
          for (const op of ops) { if (op === 0) d.undo(); else d.choose(op - 1); snapshots.push(snapshot(d)); }
          const restored = Dialogue.restore(played, d.save());
          return { snapshots, result: d.result(), save: JSON.parse(d.save()), restored: snapshot(restored) };
        });
    }""", [compile_scenario(scenario, lang), [[seed, ops] for seed, (ops, _) in enumerate(walks)]])
    endings = set()
    for seed, ((ops, expected), got) in enumerate(zip(walks, found)):
        step = first_difference(expected["snapshots"], got["snapshots"])
        assert got["snapshots"] == expected["snapshots"], (
            f"{scenario.id} ({lang}) walk {seed}, step {step}, ops {ops[:step]}:\n"
            f"python:  {expected['snapshots'][step:step + 1]}\nbrowser: {got['snapshots'][step:step + 1]}")
        assert got["result"] == expected["result"], f"{scenario.id} ({lang}) walk {seed}: result() differs"
        assert got["save"] == expected["save"], f"{scenario.id} ({lang}) walk {seed}: save() differs"
        assert got["restored"] == expected["restored"]
        endings.add(expected["result"]["ending"])
    assert len(walks) == WALKS and endings - {None}


def test_the_runtime_refuses_a_compiled_form_of_another_version(runtime):
    story = compile_scenario(SCENARIOS[-1], "zh")
    message = runtime.evaluate("""(story) => {
        try { new perfcomm.model.Scenario({ ...story, version: story.version + 1 }); return null; }
        catch (err) { return err.message; }
    }""", story)
    assert message and f"version {story['version'] + 1}" in message and "rebuild" in message
