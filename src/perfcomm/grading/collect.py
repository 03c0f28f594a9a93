"""Collect submissions as an LMS or e-mail hands them over (a folder or a zip of one folder per
learner, or a folder of zips, one per learner: the browser's hand-in `<assignment>-<learner>.zip`)
into submitted/<learner>/<assignment>/, matched against the roster. Unknown names, duplicates, late
and missing learners, notebooks filed under the wrong assignment and zips that cannot be opened are
reported; nothing is dropped: what cannot be filed is kept under unmatched/. A zip is hostile input:
exercise/safezip.py checks every member before anything is unpacked."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from . import neutral
from ..exercise.safezip import BadZip, extract
from .roster import Learner
from .workdir import Workdir

STAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
# Where a hand-in time comes from: the timestamp.txt nbgrader writes when a learner submits (an
# LMS export may carry one too), else the newest file time in the folder (a zip keeps its own).
STAMP_SOURCE, FILE_SOURCE = "nbgrader's timestamp", "file time"


@dataclass
class CollectReport:
    filed: list = field(default_factory=list)       # learner ids
    unknown: list = field(default_factory=list)     # folder names kept under unmatched/
    duplicates: list = field(default_factory=list)  # (learner, kept folder, other folder)
    late: list = field(default_factory=list)        # (learner, hours late)
    missing: list = field(default_factory=list)     # learner ids with no submission
    misfiled: list = field(default_factory=list)    # (learner, notebook name, where it belongs)
    escaped: list = field(default_factory=list)     # learner ids whose roster name holds markup
    rejected: list = field(default_factory=list)    # (zip file name, what is wrong with it)
    handed_in: dict = field(default_factory=dict)   # learner -> (hand-in time, STAMP_SOURCE or FILE_SOURCE)

    def lines(self, assignment: str) -> list[str]:
        out = [f"{assignment}: {len(self.filed)} submission(s) filed"]
        out += [f"  unknown learner folder '{name}': kept in unmatched/ — add it to the roster or rename it"
                for name in self.unknown]
        out += [f"  {who}: two submissions ('{kept}', '{other}'); graded the newer '{kept}', kept the other in"
                f" unmatched/" for who, kept, other in self.duplicates]
        out += [f"  {who}: late by {hours:.1f} h" for who, hours in self.late]
        out += [f"  {who}: '{nb}' belongs to {belongs}, not {assignment}; kept in unmatched/"
                for who, nb, belongs in self.misfiled]
        out += [f"  {name}: {why} — kept in unmatched/; ask the sender for the file again"
                for name, why in self.rejected]
        out += [f"  {who}: no submission" for who in self.missing]
        out += [f"  {who}: the roster name holds '<' or '&'; the gradebook keeps it escaped, so"
                " nbgrader's pages show it as text (the roster is unchanged)"
                for who in self.escaped]
        return out


def _stamp(folder: Path) -> tuple[datetime, str]:
    """When the learner handed in, and where that time was taken from."""
    from nbgrader.utils import parse_utc

    stamp = folder / "timestamp.txt"
    if stamp.is_file():
        text = stamp.read_text(encoding="utf-8", errors="replace").strip()
        try:  # read as nbgrader reads it when it grades (a time without a zone is UTC)
            return parse_utc(text).replace(tzinfo=timezone.utc), STAMP_SOURCE
        except (ValueError, OverflowError, AttributeError):
            pass
    newest = max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=folder.stat().st_mtime)
    return datetime.fromtimestamp(newest, tz=timezone.utc), FILE_SOURCE


def _learner_for(folder_name: str, roster: list[Learner]) -> Learner | None:
    """The learner a folder is named after: by id, else by name when only one learner has it."""
    key = folder_name.strip().lower()
    by_id = [learner for learner in roster if learner.id.lower() == key]
    by_name = [learner for learner in roster if learner.name.strip().lower() == key]
    if by_id:
        return by_id[0]
    return by_name[0] if len(by_name) == 1 else None


def _contents(folder: Path, assignment: str) -> Path:
    """A learner folder may hold the files directly or inside <assignment>/."""
    inner = folder / assignment
    return inner if inner.is_dir() else folder


def _unpack(archive: Path, scratch: Path, roster: list[Learner], report: CollectReport, keep: Path) -> list[Path]:
    """The learner folders in one zip (unpacked under scratch); a zip that cannot be opened safely is
    reported and kept as it is."""
    dest = scratch / f"zip-{len(list(scratch.iterdir()))}"
    try:
        extract(archive, dest / "content")
    except BadZip as err:
        report.rejected.append((archive.name, str(err)))
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy2(archive, keep / archive.name)
        return []
    folders = _learner_folders(dest / "content", roster)
    if any(_learner_for(f.name, roster) for f in folders):
        return folders
    learner = _learner_for(archive.stem, roster)     # a zip named after its learner, files inside
    if learner is not None:
        (dest / "content").rename(dest / learner.id)
        return [dest / learner.id]
    if folders:
        return folders                               # the caller reports them as unknown
    report.unknown.append(archive.name)
    keep.mkdir(parents=True, exist_ok=True)
    shutil.copy2(archive, keep / archive.name)
    return []


def _learner_folders(root: Path, roster: list[Learner]) -> list[Path]:
    """The folders under root that stand for learners: root's own, or those of its one top folder."""
    entries = sorted(p for p in root.iterdir() if p.is_dir())
    if len(entries) == 1 and not _learner_for(entries[0].name, roster):
        return _learner_folders(entries[0], roster) or entries   # a zip of one top folder
    return entries


def collect(workdir: Workdir, assignment: str, roster: list[Learner], source: Path, known_assignments: list[str],
            due: datetime | None = None) -> CollectReport:
    report = CollectReport()
    keep = workdir.folder("unmatched") / assignment
    with tempfile.TemporaryDirectory() as scratch:
        root, zips = Path(source), Path(scratch) / "zips"
        zips.mkdir()
        if root.is_file():
            candidates = _unpack(root, zips, roster, report, keep)
        else:
            candidates = sorted(p for p in root.iterdir() if p.is_dir())
            for archive in sorted(p for p in root.iterdir() if p.is_file() and p.suffix.lower() == ".zip"):
                candidates += _unpack(archive, zips, roster, report, keep)
        by_learner: dict[str, list[tuple[tuple[datetime, str], Path]]] = {}
        for folder in candidates:
            learner = _learner_for(folder.name, roster)
            if learner is None:
                report.unknown.append(folder.name)
                shutil.copytree(folder, keep / folder.name, dirs_exist_ok=True)
                continue
            by_learner.setdefault(learner.id, []).append((_stamp(folder), folder))
        for learner_id, found in by_learner.items():
            found.sort(key=lambda item: item[0][0], reverse=True)
            (stamp, source), folder = found[0]
            for _, other in found[1:]:
                report.duplicates.append((learner_id, folder.name, other.name))
                shutil.copytree(other, workdir.folder("unmatched") / assignment / f"{learner_id}--{other.name}",
                                dirs_exist_ok=True)
            files = _contents(folder, assignment)
            notebooks = [p for p in files.glob("*.ipynb")]
            wanted = files / f"{assignment}.ipynb"
            for nb in notebooks:
                if nb != wanted and nb.stem in known_assignments:
                    report.misfiled.append((learner_id, nb.name, nb.stem))
                    keep = workdir.folder("unmatched") / nb.stem / learner_id
                    keep.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(nb, keep / nb.name)
            target = workdir.folder("submitted") / learner_id / assignment
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(files, target, ignore=shutil.ignore_patterns(*[f"{a}.ipynb" for a in known_assignments
                                                                          if a != assignment]))
            (target / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f UTC"), encoding="utf-8")
            if due and stamp > due:
                report.late.append((learner_id, (stamp - due).total_seconds() / 3600))
            report.filed.append(learner_id)
            report.handed_in[learner_id] = (stamp, source)
    report.missing = [learner.id for learner in roster if learner.id not in report.filed]
    with workdir.gradebook() as gradebook:
        for learner in roster:
            shown, escaped = neutral.name(learner.name)   # the formgrader prints names unescaped
            if escaped:
                report.escaped.append(learner.id)
            last, _, first = shown.partition(" ")   # Chinese names have no space: all in last_name
            gradebook.update_or_create_student(learner.id, first_name=first or None, last_name=last,
                                               email=learner.email or None)
    return report
