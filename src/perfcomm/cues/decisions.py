"""Scenario decisions: which option is best, whether length points at it, and what a player who
always picks the longest (or the shortest) option reaches.

The best option of a decision (an authored node with choices):
1. in every reachable state of the node, a choice loses the difference between the best score still
   reachable before it and the best score still reachable after it (explore.ChoiceValue);
2. the node's best option is the choice with the lowest mean loss over the node's reachable states;
3. ties are broken by what the choice itself does now: checkpoints met minus checkpoints violated;
4. choices still tied are all best. A node where every choice ties is not a scored decision: its
   choice never changes the score (it is left out of the rates).
"Longest" and "shortest" compare the node's authored choices by characters of one language. A
decision counts as "best is the longest" when a best option is (one of) the longest — a player who
follows length there loses nothing — and likewise for the shortest. A decision counts as "best is
the only question" when the options that end as a question are exactly its best options.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..course import LANGUAGES
from ..scenario.autoplay import autoplay, is_question
from ..scenario.dialogue import Dialogue
from ..scenario.explore import Exploration
from ..scenario.model import Scenario
from .rules import length, stands_out

POLICIES = ("longest", "shortest")   # the columns of the cues table
FORM_POLICIES = ("question",)         # reported beside it


@dataclass(frozen=True)
class Decision:
    node: str
    line: int
    best: tuple              # authored indices of the best option(s); () if it never matters
    lengths: dict            # lang -> characters of each authored choice
    lines: tuple             # the line of each authored choice
    questions: dict          # lang -> whether each authored choice ends as a question

    @property
    def scored(self) -> bool:
        return bool(self.best)

    def best_longest(self, lang: str) -> bool:
        sizes = self.lengths[lang]
        return self.scored and max(sizes[i] for i in self.best) == max(sizes)

    def best_shortest(self, lang: str) -> bool:
        sizes = self.lengths[lang]
        return self.scored and min(sizes[i] for i in self.best) == min(sizes)

    def best_only_question(self, lang: str) -> bool:
        asked = {i for i, q in enumerate(self.questions[lang]) if q}
        return self.scored and asked == set(self.best)

    def stands_out(self, lang: str) -> str | None:
        sizes = self.lengths[lang]
        others = [n for i, n in enumerate(sizes) if i not in self.best]
        return stands_out([sizes[i] for i in self.best], others, lang) if self.scored else None


def decisions(scenario: Scenario, report: Exploration) -> list[Decision]:
    out = []
    for node in scenario.nodes.values():
        values = report.choice_values.get(node.id)
        if not node.choices or not values:
            continue
        rank = {i: (-v.mean_loss, len(node.choices[i].meets) - len(node.choices[i].violates))
                for i, v in values.items()}
        top = max(rank.values())
        tied = len(set(rank.values())) == 1
        best = () if tied else tuple(sorted(i for i, r in rank.items() if r == top))
        lengths = {lang: tuple(length(c.text[lang]) for c in node.choices) for lang in LANGUAGES}
        questions = {lang: tuple(is_question(c.text[lang]) for c in node.choices)
                     for lang in LANGUAGES}
        out.append(Decision(node.id, node.line, best, lengths, tuple(c.line for c in node.choices),
                            questions))
    return out


def policy_run(scenario: Scenario, report: Exploration, lang: str, policy: str) -> dict:
    """Where always picking the longest (shortest, only question) option ends: ending, kind, score,
    best."""
    dialogue = Dialogue(scenario, lang)
    finished = autoplay(dialogue, policy)
    return {"policy": policy, "finished": finished,
            "ending": dialogue.state.node if finished else None,
            "ending_kind": dialogue.ending.kind if finished else None,
            "score": dialogue.score, "max_score": report.max_score,
            "choices": [e["choice"] for e in dialogue.transcript if "choice" in e]}


def policy_wins(run: dict, share: float) -> bool:
    """A length policy 'wins' when it reaches a good ending or more than `share` of the best."""
    best = run["max_score"] or 0
    return run["ending_kind"] == "good" or (best > 0 and run["score"] > share * best)


def measure(scenario: Scenario, report: Exploration) -> dict:
    """The figures for one scenario, per language (what `perfcomm cues --json` prints for it)."""
    found = decisions(scenario, report)
    scored = [d for d in found if d.scored]
    out = {"id": scenario.id, "path": scenario.path, "decisions": len(scored),
           "unscored": [d.node for d in found if not d.scored], "max_score": report.max_score,
           "langs": {}}
    for lang in LANGUAGES:
        out["langs"][lang] = {
            "best_longest": sum(d.best_longest(lang) for d in scored),
            "best_shortest": sum(d.best_shortest(lang) for d in scored),
            "best_only_question": sum(d.best_only_question(lang) for d in scored),
            "stands_out": sum(d.stands_out(lang) is not None for d in scored),
            "policies": {p: policy_run(scenario, report, lang, p)
                         for p in POLICIES + FORM_POLICIES},
        }
    return out
