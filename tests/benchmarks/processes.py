"""Launching and watching processes for the benchmark: the commands launched, wall time of a command, CPU
time and peak RSS from /proc (of a process and of the children it starts, such as the store build that a
first launch runs as `isis-explorer validate --cache`), waiting until a process and its children are idle,
and a private tmux server that times a launch until each of several things shows on its screen.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

PYTHON = sys.executable
_SCRIPT = Path(PYTHON).with_name("isis-explorer")  # the console script beside this interpreter
APP = [str(_SCRIPT)] if _SCRIPT.exists() else [PYTHON, "-m", "tui"]
REPO = Path(__file__).resolve().parents[2]  # every pane starts here
SIZE = (80, 24)  # the terminal of every launch (and of the in-app figures)
CACHE_ENV, DATA_ENV = "ISIS_EXPLORER_CACHE_DIR", "ISIS_EXPLORER_DATA"
IDLE_STUCK = 3.0  # a launch idle this long before painting is stuck


def base_env(cache_dir: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (DATA_ENV, CACHE_ENV)}
    return env | ({CACHE_ENV: cache_dir} if cache_dir else {})


def wall(argv: list[str], env: dict[str, str] | None = None) -> float:
    return timed_run(argv, env)[0]


def timed_run(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Seconds a command took, and what it wrote to stderr; raises when it fails."""
    start = time.perf_counter()
    done = subprocess.run(argv, env=env or base_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{shlex.join(argv[:4])} … exited {done.returncode}: {done.stderr[-800:]}")
    return elapsed, done.stderr


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()  # fields from the 3rd on


def cpu_seconds(pid: int) -> float:
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def descendants(pid: int) -> list[int]:
    """The processes `pid` started, and theirs, alive now (/proc/PID/task/TID/children)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:  # the task or the process ended meanwhile
                continue
            found += children
            todo += children
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of `pid` and of every process under it alive now, each with the children it has waited
    for (cutime + cstime): a child's time moves to its parent when it is reaped, so the sum never drops."""
    total = 0
    for process in (pid, *descendants(pid)):
        with contextlib.suppress(OSError):  # ended meanwhile
            fields = _stat(process)
            total += sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, timeout: float, quiet: float = 0.5, budget: float = 0.03) -> None:
    """Until the process and its children used < `budget` s of CPU in `quiet` s: loading, the store build
    (in a child) and cache writing are over."""
    end = time.monotonic() + timeout
    since, used = time.monotonic(), tree_cpu_seconds(pid)
    while time.monotonic() < end:
        time.sleep(0.1)
        now, spent = time.monotonic(), tree_cpu_seconds(pid)
        if spent - used >= budget:
            since, used = now, spent
        elif now - since >= quiet:
            return
    raise TimeoutError(f"process {pid} still busy after {timeout:.0f} s")


def peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmHWM:", 1)[1].split()[0]) / 1024  # kB


def command_name(pid: int) -> str:
    """The program's name and its first four arguments: "python3 -m tui validate --cache"."""
    args = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    return " ".join([Path(args[0]).name, *args[1:5]]).strip()


class ChildPeaks(threading.Thread):
    """Samples the peak RSS (VmHWM) of every process `pid` starts, every `every` s until stopped: the
    last reading of a child before it exits, so a lower bound (growth in its last `every` s is missed)."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(name="bench-child-peaks", daemon=True)
        self.pid, self.every = pid, every
        self.peaks: dict[int, float] = {}
        self.names: dict[int, str] = {}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            for child in descendants(self.pid):
                try:
                    self.peaks[child] = peak_rss_mib(child)
                    self.names.setdefault(child, command_name(child))
                except (OSError, IndexError):  # ended meanwhile, or a zombie (no VmHWM)
                    pass

    def stop(self) -> dict[str, float]:
        """Stops sampling; the peak of each child seen, in MiB, by its command and pid."""
        self.stopped.set()
        self.join()
        return {f"{self.names.get(child, '?')} (pid {child})": round(mib, 1) for child, mib in self.peaks.items()}


class Tmux:
    """A private tmux server (own socket), kept alive by a keeper session that ends with this process
    at the latest; every pane is 80x24."""

    def __init__(self) -> None:
        self.socket, self.count = f"isis-bench-{os.getpid()}", 0
        self.run("new-session", "-d", "-s", "bench-keeper", f"tail --pid={os.getpid()} -f /dev/null")
        self.run("set-option", "-g", "status", "off")  # else the pane is 80x23
        self.run("set-option", "-g", "remain-on-exit", "on")  # a crash stays on screen, for the report
        self.socket_path = self.run("display-message", "-p", "#{socket_path}").strip()

    def run(self, *args: str, check: bool = True) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check).stdout

    def close(self) -> None:
        self.run("kill-server", check=False)  # the keeper and any pane left by an interruption
        Path(self.socket_path).unlink(missing_ok=True)

    def first_paint(
        self,
        argv: list[str],
        texts: tuple[str, ...],
        env: dict[str, str],
        timeout: float = 60,
        after: Callable[[int], None] | None = None,
        started: Callable[[int], None] | None = None,
    ) -> float:
        """Seconds from launch until one of `texts` is on screen; `started(pid)` runs as soon as the app
        is launched, `after(pid)` once it has painted, before the stop."""

        def shown(screen: str) -> bool:
            return any(text in screen for text in texts)

        return self.launch(argv, env, {texts[0]: shown}, timeout, after, started=started)[texts[0]]

    def launch(
        self,
        argv: list[str],
        env: dict[str, str],
        marks: dict[str, Callable[[str], bool]],
        timeout: float = 60,
        after: Callable[[int], None] | None = None,
        send: dict[str, str] | None = None,
        started: Callable[[int], None] | None = None,
    ) -> dict[str, float]:
        """Seconds from launch until each of `marks` (name: a test of the screen's text) first holds, until
        all have; `send` (mark: text) types a text in one burst the moment its mark holds, and adds the
        time it was sent as "MARK:sent". `started(pid)` runs at launch, `after(pid)` before the stop."""
        self.count += 1
        name = f"run-{self.count}"
        changed = [f"{k}={v}" for k, v in env.items() if os.environ.get(k) != v]
        command = shlex.join(["exec", "env", *[f"-u{k}" for k in os.environ if k not in env], *changed, *argv])
        size = ["-x", str(SIZE[0]), "-y", str(SIZE[1])]
        poll = ["capture-pane", "-p", "-t", name, ";", "display-message", "-p", "-t", name, "#{pane_dead}"]
        times: dict[str, float] = {}
        start = time.perf_counter()
        pid = int(self.run("new-session", "-d", "-P", "-F", "#{pane_pid}", "-s", name, *size, "-c", str(REPO), command))
        try:
            if started:
                started(pid)
            mark, stuck = (start, 0.0), False  # (when, CPU s): idle for IDLE_STUCK s without painting is stuck
            while True:  # one tmux call per poll: the screen, then whether the app has exited
                screen, _, dead = self.run(*poll).rstrip("\n").rpartition("\n")
                for label, holds in marks.items():
                    if label not in times and holds(screen):
                        times[label] = time.perf_counter() - start
                        if send and label in send:
                            self.run("send-keys", "-t", name, "-l", send[label])
                            times[f"{label}:sent"] = time.perf_counter() - start
                if len(times) >= len(marks) + len(send or ()):
                    break
                now = time.perf_counter()
                if dead == "0" and now - mark[0] > IDLE_STUCK:
                    stuck, mark = tree_cpu_seconds(pid) - mark[1] < 0.05, (now, tree_cpu_seconds(pid))
                if dead != "0" or now - start > timeout or stuck:
                    why = "exited" if dead != "0" else "idle" if stuck else f"not done in {timeout:.0f} s"
                    missing = ", ".join(repr(label) for label in marks if label not in times)
                    raise RuntimeError(f"{missing} never shown ({why}); the pane shows:\n{screen}")
                time.sleep(0.005)
            if after:
                after(pid)
            return times
        finally:
            self.run("kill-session", "-t", name, check=False)  # SIGHUP: the app restores the terminal
            end = time.monotonic() + 10
            while Path(f"/proc/{pid}").exists() and time.monotonic() < end:
                time.sleep(0.01)
            if Path(f"/proc/{pid}").exists():
                os.kill(pid, signal.SIGKILL)
