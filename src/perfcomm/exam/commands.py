"""`perfcomm exam …`, `perfcomm cert …` and `perfcomm bank …`: certification on top of the grading
workflow (same work directory, same gradebook, same collect and autograde)."""

from __future__ import annotations

import csv
import json
import math
import os
import random
import shutil
import sys
from pathlib import Path

from ..catalogue import load_catalogue
from ..course import find_course
from ..grading.workdir import Workdir
from ..problems import ContentError
from .window import RuleError
from ..players.words import words

REHEARSAL_BASE = "https://credentials.example.com/rehearsal/"

def _bank(course):
    from .bank import load_bank
    from .blueprint import load_blueprint

    catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
    items, problems = load_bank(course, catalogue)
    if problems:
        raise ContentError(problems)
    return items, load_blueprint(course, items)


def sitting_rules(blueprint, opens=None, closes=None, time_zone=None, time_limit=None):
    """The sitting's rules: exam.yaml's, each overridden by what HR gave on the command line."""
    from .window import make_rules

    window = blueprint.window or {}
    return make_rules(time_zone or window.get("time_zone"), blueprint.time_limit if time_limit is None else time_limit,
                      opens or window.get("opens"), closes or window.get("closes"))


def forms(workdir: Workdir, course, roster_file: Path, seed, window: dict | None = None) -> tuple:
    """Build the forms of a sitting: (candidates given a form, blueprint, one message per candidate
    refused a form because they are over the attempt limit, the sitting)."""
    from ..grading.roster import read_roster
    from . import sittings
    from .delivery import build_forms, exam_notebook

    roster = read_roster(roster_file)            # a bad roster stops here: nothing is built
    items, blueprint = _bank(course)
    rules = sitting_rules(blueprint, **(window or {}))
    sitting = sittings.begin(workdir, blueprint.name, str(seed), rules, blueprint.attempts)
    source = workdir.folder("source") / blueprint.name
    source.mkdir(parents=True, exist_ok=True)
    import nbformat
    nbformat.write(exam_notebook(blueprint), source / f"{blueprint.name}.ipynb")
    result = workdir.api().generate_assignment(blueprint.name, force=True, create=True)
    if not result.get("success"):
        raise RuntimeError(result.get("error") or result.get("log"))
    allowed, refused = sittings.admit(workdir, sitting, [c.id for c in roster])
    given = [c for c in roster if c.id in allowed]
    rules_of = {c: {**rules.to_json(), "attempt": n, "attempts": blueprint.attempts} for c, n in allowed.items()}
    build_forms(workdir.root / "exam", workdir.folder("release") / blueprint.name, blueprint, items, given, seed,
                rules_of)
    sittings.record_forms(workdir, sitting, list(allowed))
    return given, blueprint, refused, sitting


def _window_args(args) -> dict:
    return {"opens": args.opens, "closes": args.closes, "time_zone": args.time_zone, "time_limit": args.time_limit}


def cmd_forms(args) -> int:
    try:
        given, blueprint, refused, sitting = forms(Workdir(Path(args.workdir)), find_course(), Path(args.roster),
                                                   args.seed, _window_args(args))
    except RuleError as err:
        print(f"perfcomm exam forms: {err}", file=sys.stderr)
        return 2
    for line in refused:
        print(line)
    print(f"sitting '{sitting.label}': {sitting.rules.describe()}; at most {sitting.attempts} attempt(s) each")
    print(f"{len(given)} exam forms of {blueprint.length} items: hand out {args.workdir}/exam/deliver/<candidate>/"
          f"{blueprint.name}/, or deliver-zip/<candidate>.zip for the exam in the browser (keys stay in"
          f" {args.workdir}/exam/forms/, never hand that out)")
    return 0


def grade(workdir: Workdir, course, jobs: int, accept=(), reject=()):
    """Record HR's decisions on late hand-ins, autograde, and write results.csv with the candidates
    whose hand-in counts; (report, results, blueprint, decision lines, held-back lines)."""
    from ..grading.autograde import autograde
    from . import sittings
    from .results import exam_results, held_back

    _, blueprint = _bank(course)
    decided = sittings.decide(workdir, blueprint.name, list(accept), list(reject))
    os.environ["PERFCOMM_EXAM_FORMS"] = str((workdir.root / "exam" / "forms").resolve())
    report = autograde(workdir, blueprint.name, course.root, jobs)
    forms_dir = workdir.root / "exam" / "forms"
    results = exam_results(workdir, blueprint.name, forms_dir, blueprint.pass_mark)
    held = held_back(workdir, blueprint.name, forms_dir)
    stages = sorted({stage for r in results for stage in r.stages})
    with (workdir.root / "exam" / "results.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["candidate", "score", "max_score", "share", "passed", *[f"stage{s}" for s in stages],
                         "note"])
        for r in results:
            writer.writerow([r.candidate, r.score, r.max_score, f"{r.share:.3f}", "yes" if r.passed else "no",
                             *[f"{r.stages[s][0]:g}/{r.stages[s][1]:g}" if s in r.stages else "" for s in stages],
                             r.note])
    return report, results, blueprint, decided, held


def _ids(values) -> list[str]:
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


def cmd_grade(args) -> int:
    try:
        report, results, blueprint, decided, held = grade(Workdir(Path(args.workdir)), find_course(), args.jobs,
                                                          _ids(args.accept_late), _ids(args.reject_late))
    except RuleError as err:
        print(f"perfcomm exam grade: {err}", file=sys.stderr)
        return 2
    for line in decided:
        print(line)
    for finding in report.findings:
        print(finding)
    for candidate, error in report.failed:
        print(f"submitted/{candidate}/{blueprint.name}: nbgrader could not grade it, twice — {error}; run"
              f" `perfcomm exam grade` again (grading is repeatable)")
    for candidate, reason in held:
        print(f"{candidate}: {reason}")
    passed = sum(r.passed for r in results)
    kept = f"; {len(held)} not in the results (above)" if held else ""
    print(f"{blueprint.name}: {len(results)} graded, {passed} passed (pass mark {blueprint.pass_mark:.0%}){kept};"
          f" results in {args.workdir}/exam/results.csv")
    return 0


def _options_given(given, original: dict):
    """The bank's option ids for the letters a candidate gave on their form; anything that is not
    one of those letters (a forged answers file) counts as no answer."""
    if isinstance(given, list):
        return [original[g] for g in given if isinstance(g, str) and g in original]
    return original.get(given) if isinstance(given, str) else None


def stats(workdir: Workdir, course, lang: str, to: Path | None = None):
    from .results import exam_results
    from .statistics import item_statistics
    from . import stats_page

    items, blueprint = _bank(course)
    results = exam_results(workdir, blueprint.name, workdir.root / "exam" / "forms", blueprint.pass_mark)
    records = []
    for r in results:
        answers_file = workdir.folder("autograded") / r.candidate / blueprint.name / "answers.json"
        try:
            answers = json.loads(answers_file.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):   # a candidate's file: missing, broken, forged
            answers = {}
        answers = answers if isinstance(answers, dict) else {}
        form = json.loads((workdir.root / "exam" / "forms" / f"{r.candidate}.json").read_text(encoding="utf-8"))
        slots = []
        for n, (item, earned, possible) in enumerate(r.slots, 1):
            original = {chr(65 + i): oid for i, oid in enumerate(form["slots"][n - 1]["options"])}
            given = _options_given(answers.get(f"slot-{n}"), original)
            slots.append((item, earned, possible, given))
        records.append({"total": r.score, "slots": slots})
    keys = {i.id: i.key for i in items}
    option_ids = {i.id: [o.id for o in i.options] for i in items}
    item_stats, alpha = item_statistics(records, keys, option_ids, {i.id: i.kind for i in items})
    page = stats_page.write(item_stats, alpha, len(records), lang, to or workdir.root / "exam" / "statistics.html")
    return item_stats, alpha, page


def cmd_stats(args) -> int:
    item_stats, alpha, page = stats(Workdir(Path(args.workdir)), find_course(), args.lang, Path(args.to) if args.to
                                    else None)
    flagged = [s for s in item_stats if s.flags]
    print(f"{len(item_stats)} items, α = {'—' if alpha is None else f'{alpha:.2f}'}, {len(flagged)} flagged;"
          f" report: {page}")
    for s in flagged:
        print(f"  {s.item}: {'; '.join(s.flags)}")
    return 0


# -- the bank ----------------------------------------------------------------------------------

def cmd_bank_export(args) -> int:
    from . import gift

    items, _ = _bank(find_course())
    text = gift.export(items, args.lang)
    if args.to:
        Path(args.to).write_text(text, encoding="utf-8")
        print(f"{len(items)} items written to {args.to}")
    else:
        sys.stdout.write(text)
    return 0


# -- rehearsal ---------------------------------------------------------------------------------

def synthetic_answer(item, order: list[str], ability: float, rng: random.Random):
    """A candidate of this ability answers an item of this difficulty (a 2-parameter logistic model)."""
    b = {"easy": -1.0, "medium": 0.0, "hard": 1.0}[item.difficulty]
    p = 1 / (1 + math.exp(-1.7 * (ability - b)))
    if item.kind == "single":
        wrong = [o for o in order if o != item.key]
        return item.key if rng.random() < p else rng.choice(wrong)
    if item.kind == "multiple":
        return [o for o in order if rng.random() < (p if o in item.key else 1 - p)]
    steps = list(item.key)
    if rng.random() >= p:
        i = rng.randrange(len(steps) - 1)
        steps[i], steps[i + 1] = steps[i + 1], steps[i]
    return steps


def cmd_demo(args) -> int:
    from ..grading.collect import collect
    from ..grading.commands import cmd_init
    from ..grading.roster import read_roster
    from . import credentials
    from .certify import issue

    course, workdir = find_course(), Workdir(Path(args.workdir))
    cmd_init(args)
    keys = Path(args.keys) if args.keys else workdir.root.parent / f"{workdir.root.name}-issuer-keys"
    if not (keys / credentials.KEY_FILE).exists():
        credentials.keygen(keys, words("zh")["certificate"]["rehearsal_issuer"], args.base_url)
    elif not credentials.settings(credentials.load_issuer(keys, need_base=False))["base"]:
        credentials.update_profile(keys, base=args.base_url)
    roster_file = workdir.root / "exam" / "roster.csv"
    roster_file.parent.mkdir(parents=True, exist_ok=True)
    with roster_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "lang"])
        for i in range(1, args.candidates + 1):
            writer.writerow([f"cand{i:04d}", f"Candidate {i:04d}", "zh" if i % 3 else "en"])
    roster, blueprint, _, _ = forms(workdir, course, roster_file, args.seed)
    items = {i.id: i for i in _bank(course)[0]}
    rng = random.Random(args.seed)
    inbox = workdir.root / "inbox" / blueprint.name
    for candidate in roster:
        ability = rng.gauss(0.3, 1.0)
        folder = inbox / candidate.id
        shutil.copytree(workdir.root / "exam" / "deliver" / candidate.id / blueprint.name, folder, dirs_exist_ok=True)
        form = json.loads((workdir.root / "exam" / "forms" / f"{candidate.id}.json").read_text(encoding="utf-8"))
        answers = {}
        for n, s in enumerate(form["slots"], 1):
            letter = {oid: chr(65 + i) for i, oid in enumerate(s["options"])}
            given = synthetic_answer(items[s["item"]], s["options"], ability, rng)
            answers[f"slot-{n}"] = [letter[g] for g in given] if isinstance(given, list) else letter[given]
        (folder / "answers.json").write_text(json.dumps(answers), encoding="utf-8")
    collected = collect(workdir, blueprint.name, read_roster(roster_file), inbox, [blueprint.name])
    print("\n".join(collected.lines(blueprint.name) + collect_sitting(workdir, blueprint.name, collected)))
    _, results, _, _, _ = grade(workdir, course, args.jobs)
    written = issue(workdir, course, keys)
    item_stats, alpha, page = stats(workdir, course, "zh")
    print(f"{len(results)} candidates graded, {sum(r.passed for r in results)} passed, {len(written)} certificates;"
          f" α = {'—' if alpha is None else f'{alpha:.2f}'}; statistics: {page}")
    return 0


def collect_sitting(workdir: Workdir, exam: str, report) -> list[str]:
    """After collecting the exam: each hand-in checked against its sitting and recorded."""
    from .sittings import record_hand_ins

    return record_hand_ins(workdir, exam, report.filed, report.handed_in)


def add_parsers(sub) -> None:
    exam = sub.add_parser("exam", help="the certification exam").add_subparsers(dest="step", required=True)
    p = exam.add_parser("forms", help="one randomised exam form per candidate on the roster")
    p.add_argument("--workdir", required=True)
    p.add_argument("--roster", required=True, help="roster CSV: id,name[,email][,lang]")
    p.add_argument("--seed", default="0", help="exam seed: the same seed and candidate give the same form;"
                                                " a new seed is a new sitting (another attempt)")
    p.add_argument("--opens", help="the window opens, e.g. 2026-12-01T09:00 (default: exam.yaml)")
    p.add_argument("--closes", help="the window closes, e.g. 2026-12-01T12:00 (default: exam.yaml)")
    p.add_argument("--time-zone", help="time zone of --opens/--closes, e.g. Asia/Shanghai (default: exam.yaml)")
    p.add_argument("--time-limit", type=int, metavar="MINUTES", help="time limit (default: exam.yaml)")
    p.set_defaults(func=cmd_forms)
    p = exam.add_parser("grade", help="autograde the collected exams: scores, stage sub-scores, pass or fail")
    p.add_argument("--workdir", required=True)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--accept-late", action="append", metavar="IDS",
                   help="count these candidates' late or out-of-window hand-ins (comma-separated ids)")
    p.add_argument("--reject-late", action="append", metavar="IDS",
                   help="leave these candidates' late or out-of-window hand-ins out of the results")
    p.set_defaults(func=cmd_grade)
    p = exam.add_parser("stats", help="item statistics report (HTML) from the gradebook")
    p.add_argument("--workdir", required=True)
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--to")
    p.set_defaults(func=cmd_stats)
    p = exam.add_parser("demo", help="roster → forms → answers → grading → certificates → statistics")
    p.add_argument("--candidates", type=int, default=50)
    p.add_argument("--workdir", required=True)
    p.add_argument("--keys", help="issuer key folder (default: beside the workdir, never inside it)")
    p.add_argument("--base-url", default=REHEARSAL_BASE, help="where a rehearsal's certificates say their files are")
    p.add_argument("--seed", default="0")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--db")
    p.set_defaults(func=cmd_demo)

    from .certify import add_parsers as add_cert_parsers

    add_cert_parsers(sub)

    bank = sub.add_parser("bank", help="the item bank").add_subparsers(dest="step", required=True)
    p = bank.add_parser("export", help="export the bank (GIFT for Moodle)")
    p.add_argument("--format", choices=["gift"], default="gift")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--to")
    p.set_defaults(func=cmd_bank_export)
