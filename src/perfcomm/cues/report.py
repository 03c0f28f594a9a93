"""`perfcomm cues`: the answer-cue figures of the course, per scenario and language, as a table
(or JSON) for authors rewriting options and for the tests that hold the targets."""

from __future__ import annotations

from ..catalogue import load_catalogue
from ..course import LANGUAGES, Course
from ..exam.bank import load_bank
from ..exercise.library import load_exercises
from ..scenario.explore import explore_once
from ..scenario.library import load_all
from .course import course_lint
from .decisions import POLICIES, policy_wins
from .rules import rules


def measure_course(course: Course) -> tuple[dict, list]:
    """(figures, problems): the figures of every scenario that explores cleanly, the bank and the
    stage exercises; problems are the files that could not be measured."""
    catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
    scenarios, problems = load_all(course, catalogue, explored=True)
    broken = {p.path for p in problems}
    exercises, more = load_exercises(course, catalogue, scenarios)
    items, bank_problems = load_bank(course, catalogue)
    figures = course_lint([(s, explore_once(s)) for s in scenarios if s.path not in broken],
                          items, exercises).figures
    return figures, problems + more + bank_problems


def _pct(n: int, total: int) -> str:
    return f"{n}/{total} {n / total:4.0%}" if total else f"{n}/0"


def _mark(n: int, total: int, target: float) -> str:
    return " !" if total and n / total > target else "  "


def _run(run: dict) -> str:
    where = run["ending_kind"] or "loops"
    return f"{where} {run['score']}/{run['max_score']}"


def render(figures: dict) -> str:
    t = figures["targets"]
    share = t["policy_score"]
    out = ["Answer cues. A scenario decision's best option keeps the highest score within reach"
           " (docs/authors/item-writing).",
           f"'!' marks a figure above its target: best option longest or shortest in at most"
           f" {t['best_longest']:.0%} / {t['best_shortest']:.0%} of decisions; always picking the longest or"
           f" the shortest option reaches no good ending and at most {share:.0%} of the best score."]
    for lang in LANGUAGES:
        out += ["", f"{'scenario (' + lang + ')':<26}{'decisions':>9}  {'best longest':>14}  {'best shortest':>14}"
                    f"  {'always-longest':>15}  {'always-shortest':>15}"]
        for f in figures["scenarios"]:
            n, x = f["decisions"], f["langs"][lang]
            runs = [x["policies"][p] for p in POLICIES]
            out.append(f"{f['id']:<26}{n:>9}  {_pct(x['best_longest'], n):>12}{_mark(x['best_longest'], n, t['best_longest'])}"
                       f"  {_pct(x['best_shortest'], n):>12}{_mark(x['best_shortest'], n, t['best_shortest'])}"
                       + "".join(f"  {_run(r):>13}{' !' if policy_wins(r, share) else '  '}" for r in runs))
        x = figures["total"][lang]
        n = x["decisions"]
        wins = [f"{x['policy_wins'][p]} of {len(figures['scenarios'])} win" for p in POLICIES]
        out.append(f"{'all scenarios':<26}{n:>9}  {_pct(x['best_longest'], n):>12}{_mark(x['best_longest'], n, t['best_longest'])}"
                   f"  {_pct(x['best_shortest'], n):>12}{_mark(x['best_shortest'], n, t['best_shortest'])}"
                   + "".join(f"  {w:>13}  " for w in wins))
    out.append("")
    for label, key, target in (("bank, single-answer items", "bank", t["bank_key_longest"]),
                               ("exercises, single-choice questions", "exercises", t["exercise_key_longest"])):
        f = figures[key]
        parts = [f"{lang} {_pct(f[lang]['key_longest'], f['single'])}"
                 f"{_mark(f[lang]['key_longest'], f['single'], target).rstrip()}" for lang in LANGUAGES]
        out.append(f"{label}: the key is the longest option in {', '.join(parts)} (target at most {target:.0%})")
    return "\n".join(out)


__all__ = ["measure_course", "render", "rules"]
