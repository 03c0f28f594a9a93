"""The `perfcomm` command."""

from __future__ import annotations

import argparse
import json
import sys

from . import __version__
from .course import find_course
from .problems import ContentError


def _course(args):
    return find_course()


def cmd_check(args) -> int:
    from .check import check_course, select

    course = _course(args)
    problems = select(check_course(course), course, args.paths)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("perfcomm check: all content is valid", file=sys.stderr)
    return 0


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="perfcomm", description="Course package for performance conversations.")
    parser.add_argument("--version", action="version", version=f"perfcomm {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="validate authored content (everything when no path is given)")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("trace", help="where each checkpoint is taught, simulated and tested")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_trace)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ContentError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    except FileNotFoundError as err:
        print(f"perfcomm: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
