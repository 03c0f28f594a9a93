"""perfcomm-learner: the part of perfcomm a learner's kernel needs, as a wheel built from this source
tree (one source of truth, no copied modules). It holds the scenario engine, the players, the answer
widgets, the hand-in control, the released questions' reader and the players' words, plus the
scenarios and the checkpoint catalogue as package data. Nothing that grades, builds exams or
handles a key: grading/, exam/, exercise/scoring.py, build.py, load.py are not in it, and
tests/test_lite.py checks that."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from pathlib import Path

from .. import __version__
from ..course import Course

NAME = "perfcomm-learner"
PACKAGE = Path(__file__).resolve().parent.parent
COURSE_DATA = "coursedata"      # perfcomm/coursedata/lessons/…: found by course.find_course()
# Modules and data of perfcomm that go in, by path under src/perfcomm/.
MODULES = (
    "__init__.py", "course.py", "catalogue.py", "problems.py", "yamlfile.py", "notebook.py",
    "scenario/__init__.py", "scenario/conditions.py", "scenario/dialogue.py", "scenario/explore.py",
    "scenario/library.py", "scenario/load.py", "scenario/model.py", "scenario/policy.py",
    "scenario/rules.py",
    "players/__init__.py", "players/words.py", "players/widgets.py", "players/player-words.yaml",
    "players/web/handin.js",
    "exercise/__init__.py", "exercise/answers.py", "exercise/questions.py", "exercise/cells.py",
    "exercise/widgets.py", "exercise/form.py", "exercise/handin.py", "exercise/safezip.py",
)
REQUIRES = ("PyYAML>=6", "ipywidgets>=8")
STAMP = (2020, 2, 2, 0, 0, 0)   # fixed member times: the same sources give the same wheel, byte for byte


def modules() -> list[str]:
    """The import names of the package's Python modules (the notebooks' cells import some of them
    only when a widget is first drawn)."""
    return [f"perfcomm.{name[:-3].replace('/', '.')}".removesuffix(".__init__")
            for name in MODULES if name.endswith(".py")]


def course_files(course: Course) -> list[tuple[str, Path]]:
    """(path in the wheel, source) for the course data the players read."""
    lessons = course.lessons_data
    files = [("lessons/checkpoints.yaml", lessons / "checkpoints.yaml")]
    files += [(f"lessons/scenarios/{p.name}", p) for p in sorted((lessons / "scenarios").glob("*.yaml"))]
    return [(f"perfcomm/{COURSE_DATA}/{name}", path) for name, path in files]


def members(course: Course) -> list[tuple[str, Path]]:
    return [(f"perfcomm/{name}", PACKAGE / name) for name in MODULES] + course_files(course)


def wheel_name() -> str:
    return f"{NAME.replace('-', '_')}-{__version__}-py3-none-any.whl"


def build_wheel(course: Course, out_dir: Path) -> Path:
    """Write the wheel into out_dir and return its path."""
    dist_info = f"{NAME.replace('-', '_')}-{__version__}.dist-info"
    metadata = "\n".join(["Metadata-Version: 2.1", f"Name: {NAME}", f"Version: {__version__}",
                          "Summary: perfcomm for learners: scenario players and answer widgets",
                          "Requires-Python: >=3.11", *[f"Requires-Dist: {r}" for r in REQUIRES]]) + "\n"
    wheel = "Wheel-Version: 1.0\nGenerator: perfcomm\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    entries = [(name, path.read_bytes()) for name, path in members(course)]
    entries += [(f"{dist_info}/METADATA", metadata.encode()), (f"{dist_info}/WHEEL", wheel.encode()),
                (f"{dist_info}/top_level.txt", b"perfcomm\n")]
    record = [f"{name},sha256={_digest(data)},{len(data)}" for name, data in entries]
    record.append(f"{dist_info}/RECORD,,")
    entries.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / wheel_name()
    target.write_bytes(buffer.getvalue())
    return target


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
