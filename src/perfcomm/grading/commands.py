"""`perfcomm grade …`: the command-line face of the grading workflow."""

from __future__ import annotations

import csv
import os
import random
import sys
from datetime import datetime, timezone
from pathlib import Path

from ..course import find_course
from ..yamlfile import load_file
from .workdir import Workdir, ensure_tools_on_path


def _workdir(args) -> Workdir:
    return Workdir(Path(args.workdir))


def _exercise(course, assignment: str):
    from .release import course_exercises

    exercises, scenarios = course_exercises(course)
    for exercise in exercises:
        for lang in ("zh", "en"):
            if exercise.assignment(lang) == assignment:
                return exercise, lang, scenarios
    names = [e.assignment(lang) for e in exercises for lang in ("zh", "en")]
    from ..problems import did_you_mean
    raise LookupError(f"no assignment '{assignment}'{did_you_mean(assignment, names)} — known: {', '.join(names)}")


def _known(course, assignment: str) -> bool:
    """An exercise assignment or the certification exam: both go through the same workflow.
    True for the exam."""
    from ..exam.blueprint import BLUEPRINT

    exam = (course.root / BLUEPRINT).is_file() and load_file(course.root / BLUEPRINT, BLUEPRINT).get("name")
    if assignment != exam:
        _exercise(course, assignment)
    return assignment == exam


def cmd_init(args) -> int:
    workdir = _workdir(args)
    workdir.write_config(find_course(), args.db)
    for name in ("source", "release", "submitted", "autograded", "feedback"):
        workdir.folder(name).mkdir(parents=True, exist_ok=True)
    with workdir.gradebook():
        pass  # creates (or upgrades) the gradebook
    print(f"grading work directory ready: {workdir.root} (gradebook {workdir.db_url.split('@')[-1]})")
    return 0


def cmd_release(args) -> int:
    from .release import release

    release(find_course(), _workdir(args), args.assignment or None)
    return 0


def cmd_collect(args) -> int:
    from .collect import collect
    from .release import assignments
    from .roster import read_roster

    course = find_course()
    exam = _known(course, args.assignment)
    roster = read_roster(Path(args.roster))
    due = None
    if args.due:  # with an offset (2026-12-01T18:00+08:00) as given; without one, this machine's local time
        try:
            due = datetime.fromisoformat(args.due)
        except ValueError:
            print(f"perfcomm grade collect: --due {args.due!r} is not a date and time — write it like"
                  " 2026-12-01T18:00 or 2026-12-01T18:00+08:00", file=sys.stderr)
            return 2
        due = (due if due.tzinfo else due.astimezone()).astimezone(timezone.utc)
    report = collect(_workdir(args), args.assignment, roster, Path(args.source), assignments(course), due)
    lines = report.lines(args.assignment)
    if exam:  # each hand-in checked against the sitting's window and time limit, and recorded
        from ..exam.commands import collect_sitting

        lines += collect_sitting(_workdir(args), args.assignment, report)
    print("\n".join(lines))
    return 0


def cmd_autograde(args) -> int:
    from .autograde import autograde

    course = find_course()
    _known(course, args.assignment)
    os.environ["PERFCOMM_EXAM_FORMS"] = str((_workdir(args).root / "exam" / "forms").resolve())
    report = autograde(_workdir(args), args.assignment, course.root, args.jobs)
    for finding in report.findings:
        print(finding)
    for learner, error in report.failed:
        print(f"submitted/{learner}/{args.assignment}: nbgrader could not grade it, twice — {error}; run"
              f" `perfcomm grade autograde` again (grading is repeatable)")
    print(f"{args.assignment}: {len(report.graded)} graded, {len(report.failed)} reported,"
          f" {len(report.findings)} finding(s)")
    return 0


def cmd_feedback(args) -> int:
    api = _workdir(args).api()
    result = api.generate_feedback(args.assignment)
    if not result.get("success"):
        print(result.get("error") or result.get("log"), file=sys.stderr)
        return 1
    print(f"feedback written to {_workdir(args).folder('feedback')}/<learner>/{args.assignment}/")
    return 0


def cmd_export(args) -> int:
    from .export import write

    workdir = _workdir(args)
    to = write(workdir, Path(args.to) if args.to else workdir.root / "grades.csv")
    print(f"grades exported to {to}")
    return 0


def cmd_report(args) -> int:
    from .report import write_report

    workdir = _workdir(args)
    exercise, lang, _ = _exercise(find_course(), args.assignment)
    to = Path(args.to) if args.to else workdir.root / "reports" / f"{args.assignment}.html"
    write_report(workdir, args.assignment, exercise, args.lang or lang, to)
    print(f"cohort report written to {to}")
    return 0


def cmd_rubric(args) -> int:
    exercise, lang, _ = _exercise(find_course(), args.assignment)
    for q in exercise.questions:
        if q.kind == "prose":
            print(f"{q.id} ({q.points:g})")
            for item in q.rubric[lang]:
                print(f"  - {item}")
    return 0


def cmd_demo(args) -> int:
    from .autograde import autograde
    from .collect import collect
    from .demo import load_prose, prose_score, write_submission
    from .release import assignments, release
    from .report import write_report
    from .roster import read_roster
    from ..exercise.load import audit_key

    course = find_course()
    workdir = _workdir(args)
    exercise, lang, scenarios = _exercise(course, args.assignment)
    cmd_init(args)
    release(course, workdir, [args.assignment])
    inbox = workdir.root / "inbox" / args.assignment
    roster_file = workdir.root / "roster.csv"
    rng = random.Random(args.seed)
    with roster_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "email"])
        for i in range(1, args.learners + 1):
            writer.writerow([f"learner{i:04d}", f"Learner {i:04d}", ""])
    roster = read_roster(roster_file)
    prose = load_prose(course.root)
    keys = {q.id: audit_key(q, scenarios[q.scenario]) for q in exercise.questions if q.kind == "audit"}
    released = workdir.folder("release") / args.assignment
    for learner in roster:
        quality = min(1.0, max(0.0, rng.gauss(0.6, 0.22)))
        write_submission(inbox / learner.id, released, exercise, lang, scenarios, quality,
                         random.Random(f"{args.seed}:{learner.id}"), prose, keys)
    print("\n".join(collect(workdir, args.assignment, roster, inbox, assignments(course)).lines(args.assignment)))
    report = autograde(workdir, args.assignment, course.root, args.jobs)
    print(f"autograded {len(report.graded)}, reported {len(report.failed)}")
    _grade_prose_as_hr(workdir, args.assignment, exercise, lang, prose, prose_score)
    _workdir(args).api().generate_feedback(args.assignment)
    args.to = None
    cmd_export(args)
    write_report(workdir, args.assignment, exercise, lang, workdir.root / "reports" / f"{args.assignment}.html")
    print(f"demo cohort of {args.learners} graded in {workdir.root}")
    return 0


def _grade_prose_as_hr(workdir, assignment, exercise, lang, prose, prose_score) -> None:
    """The demo's stand-in for HR grading the prose answers in the formgrader."""
    import nbformat

    prose_ids = [q.id for q in exercise.questions if q.kind == "prose"]
    with workdir.gradebook() as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            learner = submission.student.id
            path = workdir.folder("autograded") / learner / assignment / f"{assignment}.ipynb"
            cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nbformat.read(path, 4).cells}
            for qid in prose_ids:
                grade = gradebook.find_grade(qid, assignment, assignment, learner)
                grade.manual_score = prose_score(cells[qid].source, grade.max_score, prose, lang)
                grade.needs_manual_grade = False
            gradebook.db.commit()


def add_parser(sub) -> None:
    grade = sub.add_parser("grade", help="HR's grading workflow (wraps nbgrader)")
    steps = grade.add_subparsers(dest="step", required=True)

    def step(name, func, help_text, assignment=True):
        p = steps.add_parser(name, help=help_text)
        p.add_argument("--workdir", required=name != "rubric", default=".", help="the grading work directory")
        if assignment:
            p.add_argument("--assignment", required=True, help="e.g. stage1-zh")
        p.set_defaults(func=func)
        return p

    p = step("init", cmd_init, "create a grading work directory (an nbgrader course directory)", assignment=False)
    p.add_argument("--db", help="gradebook URL, e.g. postgresql://user@host/db (default: SQLite in the workdir)")
    p = steps.add_parser("release", help="build the exercises and release them")
    p.add_argument("--workdir", required=True)
    p.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    p.set_defaults(func=cmd_release)
    p = step("collect", cmd_collect, "collect submissions from a folder or zip against a roster")
    p.add_argument("--roster", required=True, help="roster CSV with the columns id,name[,email]")
    p.add_argument("--from", dest="source", required=True, help="folder or zip with one folder per learner")
    p.add_argument("--due", help="due date and time, e.g. 2026-12-01T18:00")
    p = step("autograde", cmd_autograde, "autograde every submission")
    p.add_argument("--jobs", type=int, default=2, help="parallel workers (default 2)")
    step("feedback", cmd_feedback, "write each learner's feedback HTML")
    p = step("export", cmd_export, "export the grades as CSV", assignment=False)
    p.add_argument("--to", help="CSV file (default WORKDIR/grades.csv)")
    p = step("report", cmd_report, "write the cohort report (HTML)")
    p.add_argument("--lang", choices=["zh", "en"])
    p.add_argument("--to", help="HTML file (default WORKDIR/reports/ASSIGNMENT.html)")
    step("rubric", cmd_rubric, "print the prose questions' rubrics")
    p = steps.add_parser("demo", help="a synthetic cohort through the whole pipeline")
    p.add_argument("--learners", type=int, default=20)
    p.add_argument("--workdir", required=True)
    p.add_argument("--assignment", default="stage1-zh")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--db", help="gradebook URL (default: SQLite in the workdir)")
    p.set_defaults(func=cmd_demo)
    ensure_tools_on_path()
