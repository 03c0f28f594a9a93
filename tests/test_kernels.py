"""Grading kernels forked from a worker's nursery: each notebook gets a fresh kernel process of its
own, which runs code, takes interrupts and ends like one jupyter_client boots from nothing."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from traitlets.config import Config

from perfcomm.grading import kernels


KERNELSPECS = {  # as ipykernel's wheel installs it, and as `ipykernel install` writes it
    "wheel": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
    "installed": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
}


@pytest.fixture(params=sorted(KERNELSPECS))
def kernelspec(request, tmp_path_factory, monkeypatch):
    folder = tmp_path_factory.mktemp("jupyter") / "kernels" / "python3"
    folder.mkdir(parents=True)
    (folder / "kernel.json").write_text(json.dumps({"argv": KERNELSPECS[request.param], "language": "python",
                                                    "display_name": "Python 3"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(folder.parent.parent))
    return request.param


@pytest.fixture
def nursery(kernelspec):
    opened = kernels.open_nursery()
    assert opened is not None, "the python3 kernelspec of this environment runs ipykernel"
    yield opened
    kernels.close_nursery()
    kernels.NURSERY = None


def _run(sources: list[str], cwd, **options) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(notebook, kernel_manager_class=kernels.ForkingKernelManager,
                            resources={"metadata": {"path": str(cwd)}}, shutdown_kernel="immediate", **options)
    client.execute()
    return notebook


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def _gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_each_notebook_gets_a_fresh_kernel_forked_from_the_nursery(nursery, tmp_path):
    probe = "import os, perfcomm.exercise.scoring as s; print(os.getpid(), os.getppid(), os.getcwd())"
    first = _run([probe, "s.planted = 'by learner one'; print(hasattr(s, 'planted'))"], tmp_path)
    second = _run([probe, "print(hasattr(s, 'planted'), 'planted' in globals())"], tmp_path)
    pid1, parent1, cwd1 = _text(first.cells[0]).split()
    pid2, parent2, _ = _text(second.cells[0]).split()
    assert pid1 != pid2
    assert parent1 == parent2 == str(nursery.process.pid)  # forked, not booted
    assert cwd1 == str(tmp_path)                            # where nbgrader asked it to run
    assert _text(first.cells[1]).strip() == "True"
    assert _text(second.cells[1]).strip() == "False False"  # nothing of the first learner remains
    assert _gone(int(pid1)) and _gone(int(pid2))            # ended, and reaped by the nursery


def test_a_runaway_cell_is_interrupted(nursery, tmp_path):
    notebook = _run(["while True:\n    pass", "print('after')"], tmp_path,
                    timeout=2, interrupt_on_timeout=True, allow_errors=True)
    errors = [o for o in notebook.cells[0].outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "KeyboardInterrupt"
    assert _text(notebook.cells[1]).strip() == "after"


def test_the_kernel_sees_the_environment_it_was_given(nursery, tmp_path, monkeypatch):
    monkeypatch.setenv("PERFCOMM_PROBE", "given")
    notebook = _run(["import os; print(os.environ.get('PERFCOMM_PROBE'), os.environ['JPY_PARENT_PID'])"], tmp_path)
    assert _text(notebook.cells[0]).split() == ["given", str(nursery.process.pid)]


def test_a_kernel_the_nursery_cannot_start_is_launched_as_usual(tmp_path):
    kernels.NURSERY = kernels.Nursery([sys.executable + "-missing"])
    try:
        notebook = _run(["import os; print(os.getppid())"], tmp_path)
    finally:
        kernels.NURSERY = None
    assert _text(notebook.cells[0]).strip() == str(os.getpid())  # a child of this process


@pytest.mark.parametrize("nursery_code", ["pass", "import time; time.sleep(60)"], ids=["died", "silent"])
def test_a_nursery_that_fails_is_dropped_for_the_rest_of_the_batch(tmp_path, nursery_code):
    argv = KernelManager(kernel_name="python3").format_kernel_cmd()
    failing = kernels.Nursery(argv[:argv.index("-m")])
    failing.WAIT = 1
    failing.process = subprocess.Popen([sys.executable, "-c", nursery_code], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True)
    kernels.NURSERY = failing
    try:
        first = _run(["import os; print(os.getppid())"], tmp_path)
        assert failing.broken
        second = _run(["import os; print(os.getppid())"], tmp_path)
    finally:
        kernels.NURSERY = None
        failing.process.kill()
    assert _text(first.cells[0]).strip() == _text(second.cells[0]).strip() == str(os.getpid())


def test_a_nursery_that_takes_a_request_and_goes_silent_fails_that_launch_only(tmp_path):
    argv = KernelManager(kernel_name="python3").format_kernel_cmd()
    silent = kernels.Nursery(argv[:argv.index("-m")])
    silent.WAIT = 1
    silent.process = subprocess.Popen([sys.executable, "-c", "import json, sys, time; print(json.dumps({'ready':"
                                       " True}), flush=True); sys.stdin.readline(); time.sleep(60)"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    kernels.NURSERY = silent
    try:   # it may have forked a kernel on this connection file: no second kernel is started on it
        with pytest.raises(kernels.KernelLost, match="did not answer within 1 s"):
            _run(["print('never')"], tmp_path)
        assert silent.broken
        after = _run(["import os; print(os.getppid())"], tmp_path)   # the next one launches as usual
    finally:
        kernels.NURSERY = None
        silent.process.kill()
    assert _text(after.cells[0]).strip() == str(os.getpid())


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
def test_a_port_taken_by_another_process_loses_a_tcp_kernel_but_not_a_unix_socket_one(nursery, tmp_path,
                                                                                      transport):
    with socket.socket() as other:   # on a busy machine, any process may take the port chosen for a kernel
        other.bind(("127.0.0.1", 0))
        other.listen()
        config = Config()
        if transport == "ipc":
            assert kernels.unix_sockets(config)
        config.KernelManager.transport = transport
        config.KernelManager.shell_port = other.getsockname()[1]   # the port chosen for the kernel…
        config.KernelManager.cache_ports = False                      # …kept as chosen
        if transport == "tcp":
            with pytest.raises(RuntimeError, match="Kernel died before replying"):
                _run(["print('graded')"], tmp_path, config=config, startup_timeout=30)
        else:
            assert _text(_run(["print('graded')"], tmp_path, config=config).cells[0]).strip() == "graded"


def test_grading_kernels_listen_on_unix_sockets(tmp_path):
    from perfcomm.course import Course
    from perfcomm.grading.workdir import Workdir

    workdir = Workdir(tmp_path / "work")
    workdir.write_config(Course(Path(__file__).resolve().parent.parent), None)
    config = workdir.config()   # what nbgrader's own commands and the grading workers read
    assert config.KernelManager.transport == "ipc"
    assert os.path.isabs(config.KernelManager.ip)   # the kernel runs in the learner's folder, not ours
