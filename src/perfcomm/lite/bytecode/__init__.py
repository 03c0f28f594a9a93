"""Bytecode for the in-browser kernel, made at build time by Pyodide's own Python (in Node): the
modules the kernel and the notebooks import at start-up get a .pyc beside them in the standard
library's zip and in the wheels, so the learner's kernel loads them instead of compiling some 500
modules at every page load."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

RUN = Path(__file__).parent / "run.mjs"


class BytecodeError(RuntimeError):
    """Node or Pyodide could not compile: said with what to do."""


def compile_archives(pyodide: Path, archives: list[Path], imports: list[str],
                     out_dir: Path) -> list[Path]:
    """Copies of archives (the standard library's .zip, wheels) in out_dir with bytecode added for
    every module that importing `imports` loads."""
    node = shutil.which("node")
    if node is None:
        raise BytecodeError("node: not found — run `make lite` (it installs Node.js and npm)")
    work = out_dir / "work"
    (work / "in").mkdir(parents=True, exist_ok=True)
    (work / "out").mkdir(exist_ok=True)
    pairs = []
    for archive in archives:
        shutil.copyfile(archive, work / "in" / archive.name)
        pairs.append([f"in/{archive.name}", f"out/{archive.name}"])
    job = {"imports": imports, "archives": pairs}
    (work / "job.json").write_text(json.dumps(job, indent=1), encoding="utf-8")
    result = subprocess.run([node, str(RUN), str(pyodide.resolve()), str(work.resolve())],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise BytecodeError(f"compiling the kernel's modules in Pyodide failed:\n"
                            f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    done = []
    for archive in archives:
        target = out_dir / archive.name
        (work / "out" / archive.name).replace(target)
        done.append(target)
    shutil.rmtree(work)
    return done
