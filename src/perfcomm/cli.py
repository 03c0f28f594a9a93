"""The `perfcomm` command."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .course import find_course
from .problems import ContentError


def _course(args):
    return find_course()


def cmd_check(args) -> int:
    from .checkfile import Refused, checked_names, plan, run

    course = _course(args)
    try:
        todo = plan(course, args.paths)
    except Refused as err:
        print(f"perfcomm check: {err}", file=sys.stderr)
        return 2
    result = run(course, todo, args.strict)
    for problem in (*result.errors, *result.warnings):
        print(problem)
    for line in result.summary:
        print(line, file=sys.stderr)
    warned = f"{len(result.warnings)} warning(s)" if result.warnings else ""
    if result.errors:
        print(f"{len(result.errors)} problem(s) found{', ' + warned if warned else ''}",
              file=sys.stderr)
        return 1
    what = "all content is valid" if todo.whole else f"no problems in {checked_names(course, todo)}"
    tail = f" — {warned}; perfcomm cues shows the figures" if warned else ""
    print(f"perfcomm check: {what}{tail}", file=sys.stderr)
    return 0


def cmd_cues(args) -> int:
    from .cues.report import measure_course, render

    figures, problems = measure_course(_course(args))
    for problem in problems:
        print(problem, file=sys.stderr)
    print(json.dumps(figures, ensure_ascii=False, indent=2) if args.json else render(figures))
    return 1 if problems else 0


def cmd_trace(args) -> int:
    from .trace import trace

    data = trace(_course(args))
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for cp in data["checkpoints"]:
            zh, en = len(cp["taught"]["zh"]), len(cp["taught"]["en"])
            print(f"{cp['id']:<28} stage {cp['stage']}  taught zh:{zh} en:{en}"
                  f"  scenarios:{len(cp['scenarios'])}  items:{len(cp['items'])}")
    return 0


def _scenario(args):
    from .catalogue import load_catalogue
    from .scenario.library import find

    course = _course(args)
    catalogue = load_catalogue(course.catalogue_file, course.rel(course.catalogue_file))
    return course, catalogue, find(course, catalogue, args.id)


def cmd_scenarios(args) -> int:
    from .catalogue import load_catalogue
    from .scenario.library import load_all

    course = _course(args)
    scenarios, problems = load_all(course, load_catalogue(course.catalogue_file, course.rel(course.catalogue_file)))
    for problem in problems:
        print(problem, file=sys.stderr)
    rows = [{"id": s.id, "path": s.path, "stage": s.stage, "persona": s.persona, "title": s.title}
            for s in scenarios]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['id']:<32} stage {row['stage']}  {row['title']['zh']} / {row['title']['en']}")
    return 1 if problems else 0


def cmd_play(args) -> int:
    from .players import terminal
    from .scenario import Dialogue
    from .trace import lesson_links

    course, catalogue, scenario = _scenario(args)
    dialogue = Dialogue(scenario, args.lang, args.seed)
    if args.policy:
        from .scenario.autoplay import autoplay

        if args.choices is not None:
            print("perfcomm play: give --choices or --policy, not both", file=sys.stderr)
            return 2
        if not autoplay(dialogue, args.policy, args.seed):
            print(f"perfcomm play: always picking the {args.policy} option never reaches an"
                  f" ending — it loops at node '{dialogue.state.node}'", file=sys.stderr)
    elif args.choices is None:
        terminal.play(dialogue, lessons=lesson_links(course, catalogue, args.lang))
        return 0
    else:
        code = _play_choices(dialogue, args.choices)
        if code:
            return code
    if args.json:
        print(json.dumps(dialogue.result(), ensure_ascii=False, indent=2))
    else:
        terminal.show_lines(dialogue, print)
        if dialogue.finished:
            terminal.show_debrief(dialogue, print, lesson_links(course, catalogue, args.lang))
    return 0


def _play_choices(dialogue, choices: str) -> int:
    """Play the 1-based choices given with --choices; 2 (having said why) if one is not offered."""
    try:
        numbers = [int(n) for n in choices.split(",") if n.strip()]
    except ValueError:
        print(f"perfcomm play: --choices takes numbers separated by commas, like 2,1,3"
              f" (got {choices!r})", file=sys.stderr)
        return 2
    for step, number in enumerate(numbers, 1):
        on_offer = len(dialogue.choices)
        if dialogue.finished or not 1 <= number <= on_offer:
            where = "the conversation has already ended" if dialogue.finished else f"choose 1–{on_offer}"
            print(f"perfcomm play: choice {step} is {number}, which is not on offer at node"
                  f" '{dialogue.state.node}' — {where}", file=sys.stderr)
            return 2
        dialogue.choose(number - 1)
    return 0


def cmd_graph(args) -> int:
    from .scenario.graph import mermaid

    _, _, scenario = _scenario(args)
    print(mermaid(scenario, args.lang))
    return 0


def cmd_kit(args) -> int:
    from .kit.build import KitError, build_kit

    out = args.out or Path(f"kit-{args.agenda}-{args.lang}")
    try:
        build_kit(_course(args), args.agenda, args.lang, args.participants, out)
    except KitError as err:
        print(f"perfcomm kit: {err}", file=sys.stderr)
        return 2
    print(f"perfcomm kit: {out}/index.html lists what to print", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="perfcomm", description="Course package for performance conversations.")
    parser.add_argument("--version", action="version", version=f"perfcomm {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="validate authored content (everything when no path is given)")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="course files or folders, or a file elsewhere checked as the kind it shows")
    p.add_argument("--strict", action="store_true",
                   help="answer-cue rates above their targets are errors, not warnings")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("cues", help="answer cues: where option length gives the answer away, per"
                                    " scenario and language, in the bank and the exercises")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_cues)

    p = sub.add_parser("trace", help="where each checkpoint is taught, simulated and tested")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_trace)

    p = sub.add_parser("scenarios", help="list the practice scenarios")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("play", help="play a scenario in the terminal")
    p.add_argument("id", help="scenario id (see `perfcomm scenarios`)")
    p.add_argument("--choices", help="play these choices (1-based, comma-separated) and stop")
    p.add_argument("--policy", choices=["longest", "shortest", "question", "random"],
                   help="play to an ending, picking the longest, the shortest, the only question"
                        " (else the first) or a random option")
    p.add_argument("--json", action="store_true", help="print the run as JSON")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--seed", type=int, default=0,
                   help="which variant of each line is said; the picks of --policy random")
    p.set_defaults(func=cmd_play)

    from .grading.commands import add_parser as add_grade_parser

    add_grade_parser(sub)
    from .exam.commands import add_parsers as add_exam_parsers

    add_exam_parsers(sub)
    from .lms.commands import add_parser as add_package_parser

    add_package_parser(sub)

    p = sub.add_parser("kit", help="the workshop kit: print-ready PDFs and editable forms for one workshop")
    p.add_argument("--agenda", default="full-day", help="an agenda of lessons/agenda.yaml (half-day, full-day)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--participants", type=int, default=24, help="group size, for the copies to print (24)")
    p.add_argument("--out", type=Path, help="folder to write (default: kit-AGENDA-LANG)")
    p.set_defaults(func=cmd_kit)

    p = sub.add_parser("graph", help="print a scenario as a Mermaid flowchart")
    p.add_argument("id")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_graph)
    return parser


def main(argv: list[str] | None = None) -> int:
    import warnings

    warnings.filterwarnings("ignore", message=".*not in session.*")  # nbgrader's SQLAlchemy noise
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader went away (`perfcomm … | head`): stop quietly, as the Python docs advise for
        # SIGPIPE — point stdout at devnull so the interpreter's last flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except ContentError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    except LookupError as err:
        print(f"perfcomm: {err.args[0]}", file=sys.stderr)
        return 2
    except FileNotFoundError as err:
        print(f"perfcomm: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # a gradebook that cannot be reached is a set-up problem, not a bug
        if type(err).__module__.startswith("sqlalchemy"):
            reason = str(getattr(err, "orig", err)).strip().splitlines()[0]
            print(f"perfcomm: cannot use the gradebook — {reason}; check --db / nbgrader_config.py", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
