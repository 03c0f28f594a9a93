"""Dialogue: plays one scenario in one language. No widgets, no terminal: players subscribe to it.

    d = Dialogue(scenario, lang="zh", seed=0)
    d.lines, d.choices           # what was just said; what the learner may say now
    d.choose(0); d.undo()
    d.save() -> str; Dialogue.restore(scenario, text) gives back the same state
    d.ending, d.debrief()
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..problems import ContentError, Problem
from . import rules
from .model import Scenario

SAVE_VERSION = 1


@dataclass(frozen=True)
class Line:
    speaker: str
    text: str


@dataclass(frozen=True)
class Offered:
    """A choice as offered now: its position on screen and what it says."""
    number: int          # 0-based position among the choices on offer
    text: str
    index: int           # index among the node's authored choices


class RestoreError(ValueError):
    pass


class Dialogue:
    def __init__(self, scenario: Scenario, lang: str = "zh", seed: int = 0):
        self.scenario, self.lang, self.seed = scenario, lang, seed
        self.transcript: list[dict] = []
        self._picks: list[int] = []             # authored choice indices chosen, in order
        self._undo: list[tuple] = []
        self._listeners = []
        self.lines: list[Line] = []
        self.state = rules.initial(scenario)
        self._enter(self.state)

    # -- playing -------------------------------------------------------------------------------
    @property
    def choices(self) -> list[Offered]:
        if self.ending:
            return []
        return [Offered(n, c.text[self.lang], i) for n, (i, c) in enumerate(rules.offered(self.scenario, self.state))]

    @property
    def ending(self):
        return self.scenario.nodes[self.state.node].ending

    @property
    def finished(self) -> bool:
        return self.ending is not None

    def choose(self, number: int) -> None:
        """Pick the choice at this 0-based position among those on offer."""
        on_offer = rules.offered(self.scenario, self.state)
        if not 0 <= number < len(on_offer):
            raise IndexError(f"choice {number + 1} is not on offer (1–{len(on_offer)})")
        index, choice = on_offer[number]
        self._undo.append((self.state, len(self.transcript), list(self.lines)))
        self._picks.append(index)
        entry = {"speaker": self.scenario.role, "text": choice.text[self.lang], "choice": number + 1,
                 "node": self.state.node, "meets": list(choice.meets), "violates": list(choice.violates)}
        if choice.feedback:
            entry["feedback"] = choice.feedback[self.lang]
        self.transcript.append(entry)
        self._enter(rules.apply(self.scenario, self.state, choice))

    def undo(self) -> bool:
        if not self._undo:
            return False
        self.state, length, self.lines = self._undo.pop()
        del self.transcript[length:]
        self._picks.pop()
        self._notify()
        return True

    def subscribe(self, listener) -> None:
        """listener(dialogue) is called after every change."""
        self._listeners.append(listener)

    def _notify(self):
        for listener in self._listeners:
            listener(self)

    def _enter(self, state) -> None:
        settled, path = rules.settle(self.scenario, state)
        if settled is None:  # an unchecked file: say where, as `perfcomm check` would
            node = self.scenario.nodes[path[-1]]
            raise ContentError([Problem(self.scenario.path, node.line, f"node '{node.id}': dead end — no `next`"
                                                                         " route holds; run perfcomm check")])
        self.state = settled
        values = settled.value_map()
        self.lines = []
        for node_id in path:
            for position, line in enumerate(self.scenario.nodes[node_id].lines):
                if rules.holds(line.condition, values):
                    variants = line.text[self.lang]
                    pick = rules.variant(self.seed, node_id, position, len(self._picks), len(variants))
                    self.lines.append(Line(line.speaker, variants[pick]))
        self.transcript += [{"speaker": line.speaker, "text": line.text} for line in self.lines]
        self._notify()

    # -- results -------------------------------------------------------------------------------
    @property
    def values(self) -> dict:
        return self.state.value_map()

    @property
    def checkpoints(self) -> dict[str, str]:
        return rules.statuses(self.scenario, self.state)

    @property
    def score(self) -> int:
        return rules.score(self.scenario, self.state)

    def debrief(self, lessons: dict | None = None) -> list[dict]:
        """Per checkpoint: status, the feedback on the choices that met or violated it, lesson links.
        `lessons` maps checkpoint id -> list of lesson URLs (the players pass the trace's 'taught')."""
        out = []
        for cp, status in self.checkpoints.items():
            notes = [e["feedback"] for e in self.transcript
                     if "feedback" in e and cp in (e["violates"] if status == "violated" else e["meets"])]
            out.append({"checkpoint": cp, "status": status, "notes": notes,
                        "lessons": list((lessons or {}).get(cp, []))})
        return out

    def result(self) -> dict:
        """The run as data: what `perfcomm play --json` prints and an exercise grades."""
        from .explore import explore_once  # late: only results need the exploration

        report = explore_once(self.scenario)
        return {
            "scenario": self.scenario.id,
            "lang": self.lang,
            "ending": self.state.node if self.ending else None,
            "ending_kind": self.ending.kind if self.ending else None,
            "offered": [c.text for c in self.choices],
            "score": self.score,
            "max_score": report.max_score,
            "checkpoints": self.checkpoints,
            "variables": self.values,
            "choices": [e["choice"] for e in self.transcript if "choice" in e],
            "transcript": self.transcript,
        }

    # -- saving --------------------------------------------------------------------------------
    def save(self) -> str:
        return json.dumps({"version": SAVE_VERSION, "scenario": self.scenario.id, "lang": self.lang,
                           "seed": self.seed, "picks": self._picks, "node": self.state.node,
                           "values": self.values}, ensure_ascii=False)

    @classmethod
    def restore(cls, scenario: Scenario, text: str) -> Dialogue:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise RestoreError(f"saved run is not JSON: {err}") from None
        if data.get("version") != SAVE_VERSION or data.get("scenario") != scenario.id:
            raise RestoreError(f"saved run is for scenario {data.get('scenario')!r} (save version"
                               f" {data.get('version')!r}), not {scenario.id!r}")
        dialogue = cls(scenario, data.get("lang", "zh"), data.get("seed", 0))
        for index in data.get("picks", []):
            on_offer = [i for i, _ in rules.offered(scenario, dialogue.state)]
            if index not in on_offer:
                raise RestoreError(f"saved run does not fit the scenario any more (at node {dialogue.state.node})")
            dialogue.choose(on_offer.index(index))
        if dialogue.state.node != data.get("node") or dialogue.values != data.get("values"):
            raise RestoreError("saved run does not fit the scenario any more — it was changed since")
        return dialogue
