"""Measure `perfcomm grade autograde --jobs N` against plain serial `nbgrader autograde` on the
same synthetic cohort, and the per-submission time with a large gradebook against a small one.

    .venv/bin/python benchmarks/autograde.py                  # 200 learners, 2 jobs
    .venv/bin/python benchmarks/autograde.py --learners 40    # a quicker look
    .venv/bin/python benchmarks/autograde.py --learners 30 --busy 4 --no-scale   # on a saturated CPU

Prints the figures; asserts nothing. Scores of both runs are compared learner by learner and question
by question. When anything differs, each difference is named (learner, question, both scores, the
kernel's error in that cell and the log lines about that learner) and the cohort folder is kept,
with both runs' logs in it; otherwise it is deleted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from perfcomm.course import Course  # noqa: E402
from perfcomm.exercise.load import audit_key  # noqa: E402
from perfcomm.grading.collect import collect  # noqa: E402
from perfcomm.grading.demo import load_prose, write_submission  # noqa: E402
from perfcomm.grading.release import course_exercises, release  # noqa: E402
from perfcomm.grading.roster import Learner  # noqa: E402
from perfcomm.grading.scores import differences, log_lines  # noqa: E402
from perfcomm.grading.workdir import Workdir  # noqa: E402

ASSIGNMENT = "stage1-zh"
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PERFCOMM_COURSE": str(ROOT), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def cohort(base: Path, learners: int, seed: int = 0) -> Workdir:
    course = Course(ROOT)
    workdir = Workdir(base / "ours")
    base.mkdir(parents=True, exist_ok=True)
    workdir.write_config(course, None)
    release(course, workdir, [ASSIGNMENT], say=lambda *_: None)
    exercises, scenarios = course_exercises(course)
    exercise = next(e for e in exercises if e.assignment("zh") == ASSIGNMENT)
    keys = {q.id: audit_key(q, scenarios[q.scenario]) for q in exercise.questions if q.kind == "audit"}
    prose, rng = load_prose(ROOT), random.Random(seed)
    roster = [Learner(f"learner{i:04d}", f"Learner {i:04d}") for i in range(1, learners + 1)]
    for learner in roster:
        quality = min(1.0, max(0.0, rng.gauss(0.6, 0.22)))
        write_submission(base / "inbox" / learner.id, workdir.folder("release") / ASSIGNMENT, exercise, "zh",
                         scenarios, quality, random.Random(f"{seed}:{learner.id}"), prose, keys)
    collect(workdir, ASSIGNMENT, roster, base / "inbox", [ASSIGNMENT])
    return workdir


def clone(workdir: Workdir, to: Path) -> Workdir:
    shutil.copytree(workdir.root, to)
    config = (to / "nbgrader_config.py").read_text(encoding="utf-8").replace(str(workdir.root.resolve()), str(to))
    (to / "nbgrader_config.py").write_text(config, encoding="utf-8")
    return Workdir(to)


@contextlib.contextmanager
def busy(processes: int):
    """Other work saturating the CPU: `processes` busy loops, ended (by their pids) on the way out."""
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(processes)]
    try:
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


def timed(args: list[str], cwd: Path, log: Path) -> float:
    """Run a grading command; its output goes to `log`. A failure is reported, not fatal: the
    comparison that follows names what it cost."""
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    log.write_text(f"$ {' '.join(args)}\n{result.stdout}\n{result.stderr}\nexit status {result.returncode}\n",
                   encoding="utf-8")
    if result.returncode != 0:
        print(f"{' '.join(args[:3])} ended with exit status {result.returncode}: see {log}")
    return elapsed


def ours(workdir: Workdir, jobs: int, log: Path) -> float:
    return timed([str(BIN / "perfcomm"), "grade", "autograde", "--workdir", str(workdir.root),
                  "--assignment", ASSIGNMENT, "--jobs", str(jobs)], ROOT, log)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--scale-small", type=int, default=10)
    parser.add_argument("--scale-large", type=int, default=1000)
    parser.add_argument("--busy", type=int, default=0, metavar="N",
                        help="saturate the CPU with N busy processes while both gradings run")
    parser.add_argument("--no-scale", action="store_true", help="skip the gradebook-size measurement")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="perfcomm-bench-"))
    load = f"; {args.busy} busy processes running" if args.busy else ""
    print(f"machine: {os.cpu_count()} cores{load}; cohort of {args.learners} learners in {base}")

    workdir = cohort(base, args.learners)
    plain = clone(workdir, base / "plain")
    with busy(args.busy):
        t_ours = ours(workdir, args.jobs, base / "ours.log")
        t_plain = timed([str(BIN / "nbgrader"), "autograde", ASSIGNMENT, "--force"], plain.root,
                        base / "plain.log")
    found = differences(workdir, plain, ASSIGNMENT)
    print(f"perfcomm grade autograde --jobs {args.jobs}: {t_ours:7.1f} s  ({t_ours / args.learners:.2f} s per submission)")
    print(f"nbgrader autograde (serial):        {t_plain:7.1f} s  ({t_plain / args.learners:.2f} s per submission)")
    print(f"speed-up: {t_plain / t_ours:.2f}x; identical scores for all {args.learners} learners"
          f" and questions: {not found}")
    if found:
        print(f"{len(found)} difference(s), perfcomm's score first, serial nbgrader's second:")
        for difference in found:
            print(f"  {difference}")
        for learner in sorted({d.learner for d in found}):
            for name in ("ours.log", "plain.log"):
                for line in log_lines(base / name, learner)[:5]:
                    print(f"  {name}: {line[:300]}")
        print(f"cohort kept for inspection: {base} (logs: ours.log, plain.log)")
    if args.no_scale:
        if not found:
            shutil.rmtree(base, ignore_errors=True)
        return

    # Gradebook size: the same few submissions graded with a small and with a large gradebook.
    small = cohort(base / "scale", args.scale_small, seed=1)
    big = clone(small, base / "scale-big")
    with big.gradebook() as gradebook:
        for i in range(args.scale_large - args.scale_small):
            gradebook.add_student(f"extra{i:05d}")
            gradebook.add_submission(ASSIGNMENT, f"extra{i:05d}")
    t_small = ours(small, args.jobs, base / "scale-small.log") / args.scale_small
    t_big = ours(big, args.jobs, base / "scale-big.log") / args.scale_small
    print(f"per submission with {args.scale_small} learners in the gradebook: {t_small:.2f} s;"
          f" with {args.scale_large}: {t_big:.2f} s (ratio {t_big / t_small:.2f})")
    if not found:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
