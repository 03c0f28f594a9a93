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


def _rate(n: int, total: int, target: float) -> str:
    """'7/9  78% !': a share, marked when above its target."""
    mark = " !" if total and n / total > target else "  "
    return f"{_pct(n, total):>12}{mark}"


def _run(run: dict, share: float) -> str:
    where = run["ending_kind"] or "loops"
    mark = " !" if policy_wins(run, share) else "  "
    return f"{where + ' ' + str(run['score']) + '/' + str(run['max_score']):>13}{mark}"


def render(figures: dict) -> str:
    t = figures["targets"]
    share = t["policy_score"]
    out = ["Answer cues. A scenario decision's best option keeps the highest score within reach"
           " (docs/authors/item-writing).",
           f"'!' marks a figure above its target: the best option longest, or shortest, in more"
           f" than {t['best_longest']:.0%} / {t['best_shortest']:.0%} of decisions;",
           f"always picking the longest (shortest, only question) option reaching a good ending or"
           f" more than"
           f" {share:.0%} of the best score."]
    for lang in LANGUAGES:
        out += ["", f"{'scenario (' + lang + ')':<26}{'decisions':>9}  {'best longest':>14}"
                    f"  {'best shortest':>14}  {'always-longest':>15}  {'always-shortest':>15}"]
        rows = [(f["id"], f["decisions"], f["langs"][lang]) for f in figures["scenarios"]]
        for name, n, x in rows:
            out.append(f"{name:<26}{n:>9}  {_rate(x['best_longest'], n, t['best_longest'])}"
                       f"  {_rate(x['best_shortest'], n, t['best_shortest'])}"
                       + "".join(f"  {_run(x['policies'][p], share)}" for p in POLICIES))
        x = figures["total"][lang]
        n = x["decisions"]
        wins = [f"{x['policy_wins'][p]} of {len(rows)} win" for p in POLICIES]
        out.append(f"{'all scenarios':<26}{n:>9}  {_rate(x['best_longest'], n, t['best_longest'])}"
                   f"  {_rate(x['best_shortest'], n, t['best_shortest'])}"
                   + "".join(f"  {w:>13}  " for w in wins))
        rate = _rate(x["best_only_question"], n, t["best_only_question"]).strip()
        out.append(f"best option the only question: {rate} of all decisions (target at most"
                   f" {t['best_only_question']:.0%});"
                   f" always picking it wins {x['policy_wins']['question']} of {len(rows)}"
                   " (perfcomm check names the scenarios above target)")
    out.append("")
    for label, key, target in (("bank, single-answer items", "bank", t["bank_key_longest"]),
                               ("exercises, single-choice questions", "exercises",
                                t["exercise_key_longest"])):
        f = figures[key]
        parts = [f"{lang} {_rate(f[lang]['key_longest'], f['single'], target).strip()}"
                 for lang in LANGUAGES]
        out.append(f"{label}: the key is the longest option in {', '.join(parts)}"
                   f" (target at most {target:.0%})")
    return "\n".join(line.rstrip() for line in out)


__all__ = ["measure_course", "render"]
