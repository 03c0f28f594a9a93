"""Kernels for a grading worker, forked from the worker's nursery (see nursery.py) instead of booted
from nothing. nbgrader's Execute preprocessor is nbclient's NotebookClient, whose
`kernel_manager_class` is configurable: `ForkingKernelManager` is that class with jupyter_client's
own local provisioner, changed only in how the process is started. Anything the nursery cannot
start (another interpreter, a nursery that failed) is launched the usual way; a request the nursery
took but never answered fails that launch (KernelLost), so that no two kernels share a connection."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import time
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner


class KernelLost(RuntimeError):
    """The nursery took a kernel request and did not answer: whether a kernel was forked is unknown,
    so this launch fails (the learner is graded again, with a new kernel) rather than risk two
    kernels on one connection file."""


class Nursery:
    """The nursery process of one grading worker, started once, ended with the worker."""

    WAIT = 120  # seconds for the nursery to be ready (its imports), then for each answer

    def __init__(self, prefix: list[str]):
        self.prefix = prefix  # the interpreter and its options, as the kernelspec gives them
        self.process: subprocess.Popen | None = None
        self.broken = False
        self.ready = False

    def start(self) -> None:
        if self.process is None and not self.broken:
            self.process = subprocess.Popen([*self.prefix, "-m", "perfcomm.grading.nursery"],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def accepts(self, argv: list[str]) -> bool:
        n = len(self.prefix)
        return not self.broken and argv[:n] == self.prefix and argv[n:n + 2] == ["-m", "ipykernel_launcher"]

    def _answer(self) -> dict | None:
        """The nursery's next line, or None when it stays silent for WAIT seconds or has ended."""
        try:
            waiting, _, _ = select.select([self.process.stdout], [], [], self.WAIT)
            return json.loads(self.process.stdout.readline() or "null") if waiting else None
        except (OSError, ValueError):
            return None

    def _drop(self) -> None:
        self.broken = True  # one failure is enough: the rest of the batch launches as usual
        self.process.kill()

    def fork(self, argv: list[str], cwd: str, env: dict) -> int | None:
        """The pid of a new kernel running `argv`, or None: launch it the usual way."""
        if not self.accepts(argv):
            return None
        self.start()
        if not self.ready:  # the nursery says when its imports are done; nothing was asked of it yet
            if (self._answer() or {}).get("ready") is not True:
                self._drop()
                return None
            self.ready = True
        try:
            self.process.stdin.write(json.dumps({"argv": argv[len(self.prefix) + 2:], "cwd": cwd, "env": env}) + "\n")
            self.process.stdin.flush()
        except OSError:
            self._drop()  # it ended before reading the request: no kernel was forked
            return None
        reply = self._answer()
        if reply is None:
            self._drop()
            raise KernelLost(f"the kernel nursery did not answer within {self.WAIT} s")
        if "pid" not in reply:
            self._drop()  # it answered that it could not fork: launch as usual
            return None
        return reply["pid"]

    def close(self) -> None:
        if self.process is not None:
            try:
                self.process.stdin.close()  # the nursery ends at the end of its input
            except OSError:
                pass
            self.process.wait(timeout=10)
            self.process = None


class ForkedKernel:
    """What jupyter_client's local provisioner needs of a Popen, for a kernel the nursery forked.
    The nursery reaps its children, so a kernel that has ended has no pid any more."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # the nursery collected the exit status, not us
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.002)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


NURSERY: Nursery | None = None  # set by the grading worker that owns it


class ForkProvisioner(LocalProvisioner):
    async def launch_kernel(self, cmd: list[str], **kwargs):
        cwd = str(kwargs.get("cwd") or os.getcwd())
        pid = NURSERY.fork(cmd, cwd, dict(kwargs.get("env") or os.environ)) if NURSERY else None
        if pid is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernel(pid)
        self.pid = self.pgid = pid  # the child called setsid(): it leads its own group
        self.cwd = cwd
        return self.connection_info

    async def kill(self, restart: bool = False) -> None:
        await super().kill(restart)
        if isinstance(self.process, ForkedKernel):
            try:  # gone within milliseconds: spare jupyter_client's first 0.1 s poll
                self.process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                pass


class ForkingKernelManager(AsyncKernelManager):
    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


def unix_sockets(config) -> bool:
    """Make the kernels started with this config talk over Unix sockets (jupyter_client's "ipc"
    transport) instead of TCP ports; True when done (POSIX, and a socket path within the system's
    limit). Over TCP, the ports are chosen by the grading process and bound later by the kernel; on
    a busy machine another process can take one in between ("Address already in use"), and the
    kernel, with that learner's grading, is lost. The sockets get an absolute path of this process's
    own (jupyter_client's default, "kernel-ipc", is relative to each side's working folder)."""
    from jupyter_core.paths import jupyter_runtime_dir

    folder = jupyter_runtime_dir()
    prefix = os.path.join(folder, f"perfcomm-{os.getpid()}-ipc")
    if os.name != "posix" or len(prefix) > 90:
        return False
    os.makedirs(folder, exist_ok=True)
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = prefix
    return True


def open_nursery(kernel_name: str = "python3") -> Nursery | None:
    """Start this worker's nursery for the kernel's interpreter, if that kernel runs ipykernel."""
    global NURSERY
    from jupyter_client.kernelspec import NoSuchKernel
    from jupyter_client.manager import KernelManager

    try:  # the command exactly as jupyter_client will give it ("python" becomes this interpreter)
        argv = KernelManager(kernel_name=kernel_name).format_kernel_cmd()
    except NoSuchKernel:
        return None
    if "-m" not in argv or argv[argv.index("-m") + 1:argv.index("-m") + 2] != ["ipykernel_launcher"]:
        return None
    NURSERY = Nursery(argv[:argv.index("-m")])
    NURSERY.start()
    return NURSERY


def close_nursery() -> None:
    if NURSERY is not None:
        NURSERY.close()

