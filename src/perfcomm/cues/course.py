"""The answer-cue lint of a course: warnings per decision and per item, the rates against the
targets in cues.yaml (errors under --strict), and the figures `perfcomm cues` prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..course import LANGUAGES
from ..problems import Problem
from . import decisions as dec
from .items import from_item, from_question, lint
from .rules import rules

SCENARIOS_DIR = "lessons/scenarios/"
BANK_DIR = "exercises/bank/"
EXERCISES_DIR = "exercises/"


@dataclass
class Outcome:
    errors: list = field(default_factory=list)       # rates above target under --strict
    warnings: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    def add(self, other: Outcome) -> None:
        self.errors += other.errors
        self.warnings += other.warnings

    def rate(self, path: str, line: int, message: str, strict: bool) -> None:
        """A rate above its target: an error under --strict, else a warning."""
        if strict:
            self.errors.append(Problem(path, line, message))
        else:
            self.warnings.append(Problem(path, line, f"warning: {message}"))


def _share(n: int, total: int) -> str:
    return f"{n} of {total} ({n / total:.0%})" if total else "0 of 0"


def _span(sizes) -> str:
    return str(min(sizes)) if min(sizes) == max(sizes) else f"{min(sizes)}–{max(sizes)}"


# -- scenarios -------------------------------------------------------------------------------------
def scenario_lint(scenario, report, strict: bool = False) -> Outcome:
    """One scenario: a warning per decision whose best option stands out by length; its rates and
    its length policies against the targets."""
    out = Outcome()
    for d in dec.decisions(scenario, report):
        warning = _decision_warning(scenario, d)
        if warning:
            out.warnings.append(warning)
    t = rules().targets
    figures = dec.measure(scenario, report)
    total = figures["decisions"]
    where = f"scenario '{scenario.id}'"
    for lang in LANGUAGES:
        f = figures["langs"][lang]
        for what in ("longest", "shortest"):
            n, target = f[f"best_{what}"], t[f"best_{what}"]
            if total and n / total > target:
                message = (f"{where} ({lang}): the best option is the {what} in {_share(n, total)}"
                           f" decisions — target at most {target:.0%}; vary which option is {what}")
                out.rate(scenario.path, 1, message, strict)
        n, target = f["best_only_question"], t["best_only_question"]
        if total and n / total > target:
            message = (f"{where} ({lang}): the best option is the only question in"
                       f" {_share(n, total)} decisions — target at most {target:.0%}; let some poor"
                       f" options ask (a leading or a closed question) and some good ones state")
            out.rate(scenario.path, 1, message, strict)
        for policy, run in f["policies"].items():
            if dec.policy_wins(run, t["policy_score"]):
                reached = (f"the {run['ending_kind']} ending '{run['ending']}'" if run["finished"]
                           else "no ending")
                score = f"score {run['score']} of {run['max_score']}"
                replay = f"perfcomm play {scenario.id} --policy {policy} --lang {lang}"
                picked = (f"{policy} option" if policy != "question"
                          else "only question (else the first option)")
                message = (f"{where} ({lang}): always picking the {picked} reaches"
                           f" {reached} with {score} — target: no good ending and at most"
                           f" {t['policy_score']:.0%} of the best score; see the run with {replay}")
                out.rate(scenario.path, 1, message, strict)
    out.figures = figures
    return out


def _decision_warning(scenario, d) -> Problem | None:
    sides = {lang: d.stands_out(lang) for lang in LANGUAGES}
    sides = {lang: side for lang, side in sides.items() if side}
    if not sides:
        return None
    side = next(iter(sides.values()))
    numbers = ", ".join(str(i + 1) for i in d.best)
    which = (f"the best option (choice {numbers}) is" if len(d.best) == 1
             else f"the best options (choices {numbers}) are")
    detail = "; ".join(
        f"{lang} {_span([d.lengths[lang][i] for i in d.best])} characters against"
        f" {_span([n for i, n in enumerate(d.lengths[lang]) if i not in d.best])}"
        for lang in sides)
    fix = ("say it in fewer words, or give the poor options the detail of a real mistake"
           if side == "longer" else
           "give it the detail the other options have, or cut theirs")
    return Problem(scenario.path, d.lines[d.best[0]],
                   f"warning: node '{d.node}': {which} {side} than every other ({detail}) —"
                   f" a learner can pick by length; {fix}")


def scenarios_total(figures: list[dict]) -> dict:
    share = rules().targets["policy_score"]
    out = {}
    for lang in LANGUAGES:
        per = [f["langs"][lang] for f in figures]
        out[lang] = {"decisions": sum(f["decisions"] for f in figures),
                     "best_longest": sum(p["best_longest"] for p in per),
                     "best_shortest": sum(p["best_shortest"] for p in per),
                     "best_only_question": sum(p["best_only_question"] for p in per),
                     "stands_out": sum(p["stands_out"] for p in per),
                     "policy_wins": {policy: sum(dec.policy_wins(p["policies"][policy], share)
                                                 for p in per)
                                     for policy in dec.POLICIES + dec.FORM_POLICIES}}
    return out


def scenarios_course_lint(figures: list[dict], strict: bool) -> Outcome:
    out = Outcome()
    t = rules().targets
    total = scenarios_total(figures)
    for lang in LANGUAGES:
        f = total[lang]
        for what in ("longest", "shortest", "only question"):
            key = "best_" + what.replace(" ", "_")
            n, target = f[key], t[key]
            if f["decisions"] and n / f["decisions"] > target:
                message = (f"course ({lang}): the best option is the {what} in"
                           f" {_share(n, f['decisions'])} scenario decisions — target at most"
                           f" {target:.0%}; perfcomm cues lists them by scenario")
                out.rate(SCENARIOS_DIR, 0, message, strict)
    out.figures = total
    return out


# -- items -----------------------------------------------------------------------------------------
def choices_lint(views: list, where: str, target_key: str, label: str, strict: bool) -> Outcome:
    """Items or questions: a warning per flaw, and the share of single-answer ones keyed longest."""
    out = Outcome()
    for view in views:
        out.warnings += lint(view)
    singles = [v for v in views if v.kind == "single"]
    target = rules().targets[target_key]
    figures = {"single": len(singles)}
    for lang in LANGUAGES:
        longest = sum(v.key_longest(lang) for v in singles)
        shortest = sum(v.key_shortest(lang) for v in singles)
        figures[lang] = {"key_longest": longest, "key_shortest": shortest}
        if singles and longest / len(singles) > target:
            message = (f"{label} ({lang}): the key is the longest option in"
                       f" {_share(longest, len(singles))} — target at most {target:.0%};"
                       " vary which option is longest")
            out.rate(where, 0, message, strict)
    out.figures = figures
    return out


def bank_lint(items, where: str = BANK_DIR, strict: bool = False) -> Outcome:
    views = [v for v in (from_item(i) for i in items) if v]
    return choices_lint(views, where, "bank_key_longest", "single-answer bank items", strict)


def exercises_lint(exercises, where: str = EXERCISES_DIR, strict: bool = False) -> Outcome:
    views = [v for e in exercises for v in (from_question(q, e.path) for q in e.questions) if v]
    return choices_lint(views, where, "exercise_key_longest", "single-choice exercise questions",
                        strict)


# -- the whole course ------------------------------------------------------------------------------
def course_lint(explored: list, items, exercises, strict: bool = False) -> Outcome:
    """explored: [(scenario, exploration)] of the scenarios that explored without problems."""
    out = Outcome()
    per_scenario = []
    for scenario, report in explored:
        one = scenario_lint(scenario, report, strict)
        out.add(one)
        per_scenario.append(one.figures)
    total = scenarios_course_lint(per_scenario, strict)
    bank = bank_lint(items, strict=strict)
    questions = exercises_lint(exercises, strict=strict)
    for part in (total, bank, questions):
        out.add(part)
    out.figures = {"targets": dict(rules().targets), "scenarios": per_scenario,
                   "total": total.figures, "bank": bank.figures, "exercises": questions.figures}
    return out


def summary(figures: dict) -> list[str]:
    """The course-level rates in a few lines (printed by `perfcomm check`)."""
    lines = []
    bank, questions = figures["bank"], figures["exercises"]
    for lang in LANGUAGES:
        f = figures["total"][lang]
        wins = f["policy_wins"]
        lines.append(f"answer cues ({lang}): best option longest in"
                     f" {_share(f['best_longest'], f['decisions'])}, shortest in"
                     f" {_share(f['best_shortest'], f['decisions'])}, the only question in"
                     f" {_share(f['best_only_question'], f['decisions'])} scenario decisions;"
                     f" always-longest wins {wins['longest']},"
                     f" always-shortest {wins['shortest']},"
                     f" always-the-question {wins['question']} of"
                     f" {len(figures['scenarios'])} scenarios; key longest in"
                     f" {_share(bank[lang]['key_longest'], bank['single'])} bank items,"
                     f" {_share(questions[lang]['key_longest'], questions['single'])}"
                     " exercise questions")
    return lines
