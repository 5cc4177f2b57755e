"""Launching and watching processes for the benchmark: wall time of a command, CPU time and peak RSS from
/proc, waiting until a process is idle, and a private tmux server that times a launch until its first paint.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]  # every pane starts here
SIZE = (80, 24)  # the terminal of every launch (and of the in-app figures)
CACHE_ENV, DATA_ENV = "ISIS_EXPLORER_CACHE_DIR", "ISIS_EXPLORER_DATA"
IDLE_STUCK = 3.0  # a launch idle this long before painting is stuck


def base_env(cache_dir: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (DATA_ENV, CACHE_ENV)}
    return env | ({CACHE_ENV: cache_dir} if cache_dir else {})


def wall(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env or base_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{shlex.join(argv[:4])} … exited {done.returncode}: {done.stderr[-800:]}")
    return elapsed


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def wait_idle(pid: int, timeout: float, quiet: float = 0.5, budget: float = 0.03) -> None:
    """Until the process used < `budget` s of CPU in `quiet` s: loading and cache writing are over."""
    end = time.monotonic() + timeout
    since, used = time.monotonic(), cpu_seconds(pid)
    while time.monotonic() < end:
        time.sleep(0.1)
        now, spent = time.monotonic(), cpu_seconds(pid)
        if spent - used >= budget:
            since, used = now, spent
        elif now - since >= quiet:
            return
    raise TimeoutError(f"process {pid} still busy after {timeout:.0f} s")


def peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmHWM:", 1)[1].split()[0]) / 1024  # kB


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
    ) -> float:
        """Seconds from launch until one of `texts` is on screen; `after(pid)` runs before the stop."""
        self.count += 1
        name = f"run-{self.count}"
        changed = [f"{k}={v}" for k, v in env.items() if os.environ.get(k) != v]
        command = shlex.join(["exec", "env", *[f"-u{k}" for k in os.environ if k not in env], *changed, *argv])
        size = ["-x", str(SIZE[0]), "-y", str(SIZE[1])]
        poll = ["capture-pane", "-p", "-t", name, ";", "display-message", "-p", "-t", name, "#{pane_dead}"]
        start = time.perf_counter()
        pid = int(self.run("new-session", "-d", "-P", "-F", "#{pane_pid}", "-s", name, *size, "-c", str(REPO), command))
        try:
            mark, stuck = (start, 0.0), False  # (when, CPU s): idle for IDLE_STUCK s without painting is stuck
            while True:  # one tmux call per poll: the screen, then whether the app has exited
                screen, _, dead = self.run(*poll).rstrip("\n").rpartition("\n")
                if any(text in screen for text in texts):
                    break
                now = time.perf_counter()
                if dead == "0" and now - mark[0] > IDLE_STUCK:
                    stuck, mark = cpu_seconds(pid) - mark[1] < 0.05, (now, cpu_seconds(pid))
                if dead != "0" or now - start > timeout or stuck:
                    why = "exited" if dead != "0" else "idle" if stuck else f"not done in {timeout:.0f} s"
                    raise RuntimeError(f"{texts[0]!r} never shown ({why}); the pane shows:\n{screen}")
                time.sleep(0.005)
            painted = time.perf_counter() - start
            if after:
                after(pid)
            return painted
        finally:
            self.run("kill-session", "-t", name, check=False)  # SIGHUP: the app restores the terminal
            end = time.monotonic() + 10
            while Path(f"/proc/{pid}").exists() and time.monotonic() < end:
                time.sleep(0.01)
            if Path(f"/proc/{pid}").exists():
                os.kill(pid, signal.SIGKILL)
