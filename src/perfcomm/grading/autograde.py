"""Autograde every submission of an assignment in parallel (`--jobs N`), each worker calling
nbgrader's own API; bad submissions are repaired and reported first, and never stop the batch."""

from __future__ import annotations

import os
import re
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..exercise.answers import ANSWERS_FILE
from ..exercise.scoring import RUNS_DIR
from .inspect import Finding, repair
from .workdir import Workdir

TRIES = 2  # a learner whose grading fails, or whose scoring cell ends in an error, is graded once more

_worker_api = None
_workdir = None


@dataclass
class GradeReport:
    graded: list = field(default_factory=list)
    failed: list = field(default_factory=list)      # (learner, nbgrader's message)
    findings: list = field(default_factory=list)    # Finding


def _init_worker(root: str, course_root: str) -> None:
    global _worker_api, _workdir
    os.environ["PERFCOMM_COURSE"] = course_root
    os.environ["PERFCOMM_GRADING"] = "1"  # kernels inherit it: cells skip drawing widgets
    _workdir = Workdir(Path(root))
    config = _workdir.config()
    # Every notebook reaching nbgrader here was rebuilt by repair() from the released notebook, so its
    # cell metadata is the release's own, and executing it adds outputs only: nbgrader's metadata
    # check (a JSON-schema validation of every cell, run before and after execution, a sixth of each
    # submission's time) has nothing left to find. Both passes keep every other step.
    from nbgrader.converters import Autograde

    for steps in ("sanitize_preprocessors", "autograde_preprocessors"):
        chosen = config.Autograde[steps] if steps in config.Autograde else Autograde.class_traits()[steps].default()
        config.Autograde[steps] = [p for p in chosen if _step_name(p) != "CheckCellMetadata"]
    # Each learner's notebook still runs in a fresh kernel of its own, forked from this worker's
    # nursery instead of booted from nothing (kernels.py); and once the notebook has run, the kernel
    # has nothing left to save: it is ended at once.
    from .kernels import ForkingKernelManager, open_nursery, unix_sockets

    if open_nursery() is not None:
        config.Execute.kernel_manager_class = ForkingKernelManager
    config.Execute.shutdown_kernel = "immediate"
    # Kernels talk to the worker over Unix sockets: a TCP port chosen for a kernel can be taken by
    # another process before the kernel binds it, which on a busy machine lost a learner's grading.
    unix_sockets(config)
    _worker_api = _workdir.api(config)


def _step_name(step) -> str:
    return step.__name__ if isinstance(step, type) else str(step).rsplit(".", 1)[-1]


_EXCEPTION = re.compile(r"^(?:[\w.]+\.)?(\w*(?:Error|Exception|Lost|Interrupt)): (.*)$")


def reason(result: dict) -> str:
    """The cause of a failed nbgrader run, as one line: the first exception nbgrader logged (its own
    closing NbGraderException only says to look above)."""
    for text in (result.get("log") or "", result.get("error") or ""):
        for line in text.splitlines():
            found = _EXCEPTION.match(line.strip())
            if found and found.group(1) != "NbGraderException":
                return f"{found.group(1)}: {found.group(2)}".strip()
    last = (result.get("error") or "").strip().splitlines()
    return last[-1] if last else "no message"


def scoring_errors(workdir: Workdir, assignment: str, learner: str) -> list[tuple[str, str]]:
    """(notebook, grade cell) pairs whose autograded outputs hold an error, with the error. The hidden
    tests never raise on a learner's answers, so an error there (a timeout, an interrupt, a lost
    kernel) is the grading's own failure, never a score the learner earned."""
    found = []
    for path in sorted((workdir.folder("autograded") / learner / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            errors = [f"{o.get('ename')}: {o.get('evalue')}".rstrip(": ") for o in cell.get("outputs", [])
                      if o.get("output_type") == "error"]
            if meta.get("grade") and cell.cell_type == "code" and errors:
                found.append((path.name, meta.get("grade_id"), errors[0]))
    return found


def _grade(assignment: str, learner: str) -> tuple[str, bool, str, list]:
    findings = prepare(_workdir, assignment, [learner])
    for attempt in range(1, TRIES + 1):
        result = _worker_api.autograde(assignment, learner, force=True, create=True)
        ok = bool(result.get("success"))
        broken = scoring_errors(_workdir, assignment, learner) if ok else []
        if ok and not broken:
            if attempt > 1:
                findings.append(Finding(learner, assignment, "", "", f"graded on the second try (the first: {why})"))
            return learner, True, "", findings
        why = reason(result) if not ok else "; ".join(f"cell '{cell}' {error}" for _, cell, error in broken)
    if ok:  # graded, but a scoring cell failed twice: its 0 is not the learner's score
        findings += [Finding(learner, assignment, notebook, cell, f"ended in an error twice ({error}) and scored 0:"
                                                                 " this is not the learner's score — grade the"
                                                                 " learner again")
                     for notebook, cell, error in broken]
        return learner, True, "", findings
    return learner, False, why, findings


def _progress(done: int, total: int, stream=sys.stderr) -> None:
    width = 30
    filled = width * done // max(total, 1)
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        stream.write("\n")
    stream.flush()


def _handed_in(folder: Path) -> str | None:
    """The hand-in time collect (perfcomm's or nbgrader's) wrote: a new one, a new submission."""
    stamp = folder / "timestamp.txt"
    return stamp.read_text(encoding="utf-8", errors="replace") if stamp.is_file() else None


def _extra_files(handed_in: Path, released: Path) -> list[Path]:
    """Files of a submission that grading never reads: nbgrader would copy them on into autograded/
    and the learner's feedback folder (an .html file there would be served as a page)."""
    from fnmatch import fnmatch

    from nbgrader.coursedir import CourseDirectory

    ignored = CourseDirectory.class_traits()["ignore"].default()   # nbgrader skips these itself
    wanted = {p.relative_to(released) for p in released.rglob("*") if p.is_file()}
    wanted |= {Path(ANSWERS_FILE), Path("timestamp.txt"), Path("questions.json")}  # an exam form
    extra = []
    for path in sorted(handed_in.rglob("*")):
        rel = path.relative_to(handed_in)
        if not path.is_file() or rel in wanted or any(fnmatch(p, i) for p in rel.parts for i in ignored):
            continue
        if rel.parent == Path(RUNS_DIR) and rel.suffix == ".json":   # a scenario run handed in
            continue
        extra.append(rel)
    return extra


def prepare(workdir: Workdir, assignment: str, learners: list[str]) -> list[Finding]:
    """Keep each submission as handed in under originals/, then make the submitted notebook gradable
    from that copy, so grading it again starts from the learner's own file (in the workers, so that
    this work is shared out too)."""
    findings = []
    released = workdir.folder("release") / assignment
    for learner in learners:
        folder = workdir.folder("submitted") / learner / assignment
        keep = workdir.folder("originals") / learner / assignment
        # the first grading, or the learner handed in again and it was collected anew
        if not keep.exists() or _handed_in(keep) != _handed_in(folder):
            if keep.exists():
                shutil.rmtree(keep)
            shutil.copytree(folder, keep)
        if (released / "questions.json").exists() and not (folder / "answers.json").exists():
            findings.append(Finding(learner, assignment, "answers.json", "",
                                    "is missing: every click-answered question scores 0 — ask the learner whether"
                                    " the whole assignment folder was handed in"))
        for rel in _extra_files(keep, released):
            (folder / rel).unlink(missing_ok=True)
            findings.append(Finding(learner, assignment, rel.as_posix(), "",
                                    "is not part of the assignment: not graded and not passed on to"
                                    f" feedback (kept in originals/{learner}/{assignment}/)"))
        for notebook in sorted(released.glob("*.ipynb")):
            target, handed_in = folder / notebook.name, keep / notebook.name
            if not handed_in.exists():
                findings.append(Finding(learner, assignment, notebook.name, "",
                                        "is missing from the submission; graded from the saved answers"))
                shutil.copy2(notebook, target)
                continue
            findings += repair(notebook, handed_in, learner, assignment, into=target)
    return findings


def autograde(workdir: Workdir, assignment: str, course_root: Path, jobs: int = 1,
              learners: list[str] | None = None, progress=_progress) -> GradeReport:
    report = GradeReport()
    submitted = workdir.folder("submitted")
    learners = learners or sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())
    os.environ["PERFCOMM_COURSE"] = str(course_root)
    total, done = len(learners), 0
    progress(0, total)
    with ProcessPoolExecutor(max_workers=max(1, jobs), initializer=_init_worker,
                             initargs=(str(workdir.root), str(course_root))) as pool:
        futures = [pool.submit(_grade, assignment, learner) for learner in learners]
        for future in as_completed(futures):
            learner, ok, error, findings = future.result()
            report.findings += findings
            (report.graded if ok else report.failed).append(learner if ok else (learner, error))
            done += 1
            progress(done, total)
    return report
