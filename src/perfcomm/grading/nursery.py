"""The kernel nursery a grading worker forks its kernels from: run as
`python -m perfcomm.grading.nursery`, it imports ipykernel and perfcomm's scoring code once, then for
each request on stdin forks a child that becomes a new kernel, exactly as `python -m
ipykernel_launcher -f FILE` would, and answers with the child's pid on stdout.

Each learner still gets a kernel process of their own that has run nothing before: the nursery
never runs notebook code; it only saves every kernel the second or so of importing that a boot
from nothing costs. Protocol: {"ready": true} once the imports are done; then one JSON line per
request, {"argv": [...], "cwd": ..., "env": {...}}, answered by {"pid": N} or {"error": "..."}."""

from __future__ import annotations

import atexit
import importlib
import json
import os
import signal
import sys
import threading
import traceback

# What every grading kernel imports anyway: the kernel itself and what the hidden tests call.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "IPython.core.completerlib",
    "IPython.core.history",
    "IPython.extensions.storemagic",
    "psutil",
    "perfcomm.exercise.cells",
    "perfcomm.exercise.scoring",
    "perfcomm.catalogue",
    "perfcomm.course",
    "perfcomm.scenario",
    "perfcomm.scenario.library",
)


def _become_kernel(request: dict, replies) -> None:
    """In the forked child: turn into `python -m ipykernel_launcher ARGS`; never returns."""
    code = 1
    try:
        os.close(replies.fileno())  # the worker must see the end of the pipe when the nursery ends
        os.setsid()  # as jupyter_client's launcher does: interrupts reach the kernel's whole group
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(2, 1)  # the kernel's own prints go where the worker's messages go, never on stdout
        os.close(devnull)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())  # the kernel ends if the nursery does
        if sys.path and sys.path[0] in ("", os.getcwd(), _STARTED_IN):
            del sys.path[0]  # as ipykernel_launcher does; the kernel puts the cwd back itself
        from ipykernel import kernelapp

        # ipykernel read JPY_PARENT_PID when it was imported, i.e. in the nursery: pass it here.
        # Kernel warnings (the loopback TCP notice) would only break the worker's progress bar.
        grading = [f"--IPKernelApp.parent_handle={os.getppid()}", "--IPKernelApp.log_level=ERROR"]
        kernelapp.launch_new_instance(argv=[*request["argv"], *grading])
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 - a child must never return into the nursery's loop
        traceback.print_exc()
    finally:
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(requests, replies) -> None:
    for line in requests:
        try:
            request = json.loads(line)
            if threading.active_count() != 1:
                raise RuntimeError("a thread runs in the nursery: forking it would not be safe")
            pid = os.fork()
        except Exception as error:  # noqa: BLE001 - the worker falls back to a plain launch
            replies.write(json.dumps({"error": f"{type(error).__name__}: {error}"}) + "\n")
            replies.flush()
            continue
        if pid == 0:
            _become_kernel(request, replies)
        replies.write(json.dumps({"pid": pid}) + "\n")
        replies.flush()


_STARTED_IN = os.getcwd()

if __name__ == "__main__":
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped as they end: no zombies
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl+C is the worker's to handle; EOF ends us
    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # nothing an imported module prints can mix with the answers
    for name in PRELOAD:
        importlib.import_module(name)
    answers.write(json.dumps({"ready": True}) + "\n")  # the worker sends no request before this line
    answers.flush()
    serve(sys.stdin, answers)
