"""Bytes the app writes to its terminal, counted in a pty at 80x24 on the bundled data: what an SSH link
carries. Three figures, each as a share of one full repaint:

- the first screen: every byte from launch until the app is settled (the data loaded, output quiet);
- one full repaint: the terminal resized away (to 79x24) and back, the bytes of both halved;
- each of 10 tree moves (`j`): the bytes from the key until output is quiet again;
- then in the Map view (`6`), against one full repaint of it: each of 10 pans (`l`, `h`), which
  should rewrite the map and its labels but not the header, list or footer, and each of 10 steps to
  the next place (`n`), which should rewrite the few rows its markers and labels are on.

The app runs in a real pty (`pty.fork`) with TERM=xterm-256color and without COLORTERM (as over SSH);
the pty answers one terminal query, as terminals with synchronized output (mode 2026) do, so that Textual
marks each frame and the decoder can tell them apart. "Settled" means no output
for QUIET seconds while the process used (almost) no CPU: the one clock-based wait, as no byte marks the end
of a frame.

`python tests/benchmarks/terminal_bytes.py [--moves N] [--decode]` prints the figures and, with --decode,
where each move's bytes went: per frame (one write burst), the screen rows and the columns written.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import termios
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: the modules beside it
from processes import REPO, SIZE, base_env, cpu_seconds
from results import Result

MOVES = 10
QUIET = 0.35  # seconds without output (and without CPU use) that end a measured step
CPU_BUDGET = 0.02  # CPU seconds the app may use in a quiet window and still count as settled
TREE_TEXT = b"Regions"  # the tree's border title: the first screen has been drawn
SYNC_QUERY, SYNC_REPLY = b"\x1b[?2026$p", b"\x1b[?2026;2$y"  # DECRQM for synchronized output, "reset"
FRAME_START = b"\x1b[?2026h"  # Textual begins each frame so once the terminal has said it can


def terminal_env() -> dict[str, str]:
    unset = ("COLORTERM", "NO_COLOR", "TEXTUAL_COLOR_SYSTEM", "COLUMNS", "LINES")  # COLUMNS/LINES fix the size
    return {k: v for k, v in base_env().items() if k not in unset} | {"TERM": "xterm-256color"}


def set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


class PtyApp:
    """The app in a pty of its own; everything it writes is read and timed in chunks."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = SIZE) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: the pty is its controlling terminal and its stdin/stdout/stderr
            try:
                set_size(0, *size)
                os.chdir(REPO)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.chunks: list[tuple[float, bytes]] = []  # (when read, bytes), everything since launch

    def read(self, timeout: float) -> bytes:
        """What arrives within `timeout` seconds of silence (b"" when nothing does)."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the app has closed the terminal
            raise EOFError("the app closed its terminal") from None
        if not data:
            raise EOFError("the app closed its terminal")
        if SYNC_QUERY in data:  # as a terminal with synchronized output answers: frames come marked
            os.write(self.fd, SYNC_REPLY)
        self.chunks.append((time.perf_counter(), data))
        return data

    def settle(self, timeout: float = 30.0, until: bytes | None = None) -> bytes:
        """Everything written until `until` has been seen (if given) and then QUIET seconds pass with no
        output and (almost) no CPU used."""
        out = bytearray()
        end = time.monotonic() + timeout
        cpu = cpu_seconds(self.pid)
        while time.monotonic() < end:
            data = self.read(QUIET)
            out += data
            if data or (until is not None and until not in out):
                continue
            now_cpu = cpu_seconds(self.pid)
            if now_cpu - cpu < CPU_BUDGET:
                return bytes(out)
            cpu = now_cpu
        raise TimeoutError(f"the app never settled in {timeout:.0f} s; last bytes: {bytes(out[-300:])!r}")

    def write(self, data: bytes) -> None:
        os.write(self.fd, data)

    def resize(self, columns: int, rows: int) -> None:
        set_size(self.fd, columns, rows)  # the kernel sends SIGWINCH to the app

    def close(self) -> None:
        try:
            self.write(b"q")
            end = time.monotonic() + 5
            while time.monotonic() < end:
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    break
                with contextlib.suppress(EOFError):
                    self.read(0.05)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass
        finally:
            os.close(self.fd)


# -- decoding the escape stream ------------------------------------------------------------------
CSI = re.compile(rb"\x1b\[([0-9;?<>=]*)([ -/]*[@-~])")
OSC = re.compile(rb"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


@dataclass
class Frame:
    """One frame of output (one synchronized update): the bytes written at each screen row, and how many
    of them went to set colours and attributes (SGR) rather than to text."""

    size: int = 0
    rows: Counter[int] = field(default_factory=Counter)  # row (1-based) -> bytes written there
    columns: dict[int, tuple[int, int]] = field(default_factory=dict)  # row -> (first, last) column moved to
    sgr: int = 0
    other: Counter[bytes] = field(default_factory=Counter)  # other control sequences -> bytes

    def describe(self) -> str:
        spans = ", ".join(
            f"{row}:{self.columns.get(row, (0, 0))[0]}-{self.columns.get(row, (0, 0))[1]}={n}"
            for row, n in sorted(self.rows.items())
        )
        extra = " ".join(f"{k.decode(errors='replace')}x{v}" for k, v in self.other.most_common(4))
        return f"{self.size} B, {len(self.rows)} rows, SGR {self.sgr} B [{spans}] {extra}".rstrip()


def decode(data: bytes) -> Frame:
    """Where the bytes of `data` went: cursor moves (CSI row;col H) start each written run."""
    frame, row, pos = Frame(size=len(data)), 0, 0
    while pos < len(data):
        if data[pos] == 0x1B:
            m = OSC.match(data, pos) or CSI.match(data, pos)
            if m is None:
                frame.other[b"ESC"] += 1
                pos += 1
                continue
            text = m.group(0)
            if text.startswith(b"\x1b[") and text.endswith(b"H"):
                parts = (m.group(1) or b"1;1").split(b";")
                row, col = int(parts[0] or 1), int(parts[1] or 1) if len(parts) > 1 else 1
                first, last = frame.columns.get(row, (col, col))
                frame.columns[row] = (min(first, col), max(last, col))
            elif text.endswith(b"m"):
                frame.sgr += len(text)
            else:
                frame.other[text[:12]] += len(text)
            frame.rows[row] += len(text)
            pos = m.end()
        else:
            frame.rows[row] += 1
            pos += 1
    return frame


def frames(chunks: list[tuple[float, bytes]]) -> list[bytes]:
    """The output split into frames: each starts where Textual begins a synchronized update."""
    data = b"".join(chunk for _, chunk in chunks)
    parts = data.split(FRAME_START)
    return [part if n == 0 else FRAME_START + part for n, part in enumerate(parts) if n or part]


# -- the figures ---------------------------------------------------------------------------------
@dataclass
class Measured:
    first_screen: int
    repaint: float
    moves: list[int]
    move_frames: list[list[bytes]]
    first_frames: list[bytes]
    repaint_frames: list[bytes]  # away and back
    map_repaint: float = 0.0  # the Map view (key 6) resized away and back, halved
    map_pans: list[int] = field(default_factory=list)  # `l`, `h`, ...: the map moves
    map_steps: list[int] = field(default_factory=list)  # `n`: the next place selected


def measure(argv: list[str], moves: int = MOVES, env: dict[str, str] | None = None) -> Measured:
    app = PtyApp(argv, env or terminal_env())
    try:
        first = len(app.settle(timeout=60, until=TREE_TEXT))
        first_frames = frames(app.chunks)
        app.resize(SIZE[0] - 1, SIZE[1])
        start = len(app.chunks)
        away = len(app.settle())
        app.resize(*SIZE)
        back = len(app.settle())
        repaint_frames = frames(app.chunks[start:])
        sizes: list[int] = []
        move_frames: list[list[bytes]] = []
        key, turns = b"j", 0
        while len(sizes) < moves:
            start = len(app.chunks)
            app.write(key)
            written = len(app.settle())
            if not written:  # the cursor is at the end of the tree: turn round (not a move)
                key, turns = (b"k" if key == b"j" else b"j"), turns + 1
                if turns > 2:
                    raise RuntimeError("the tree cursor does not move")
                continue
            sizes.append(written)
            move_frames.append(frames(app.chunks[start:]))
        measured = Measured(first, (away + back) / 2, sizes, move_frames, first_frames, repaint_frames)
        measure_map(app, measured, moves)
        return measured
    finally:
        app.close()


def measure_map(app: PtyApp, measured: Measured, moves: int) -> None:
    """The Map view: one full repaint of it, then pans and steps to the next place, each alone."""
    app.write(b"6")
    app.settle(timeout=30, until=b"Zoom in")
    app.resize(SIZE[0] - 1, SIZE[1])
    away = len(app.settle())
    app.resize(*SIZE)
    measured.map_repaint = (away + len(app.settle())) / 2
    for n in range(moves):
        app.write(b"lh"[n % 2 : n % 2 + 1])
        measured.map_pans.append(len(app.settle()))
    for _ in range(moves):
        app.write(b"n")
        measured.map_steps.append(len(app.settle()))


def results(measured: Measured) -> list[Result]:
    repaint, moves = measured.repaint, measured.moves
    common = {
        "full_repaint_bytes": round(repaint),
        "repaint_frame_bytes": [len(f) for f in measured.repaint_frames],  # a resize paints the screen ~3 times
        "terminal": f"{SIZE[0]}x{SIZE[1]} xterm-256color pty",
    }
    return [
        Result(
            "first_screen_repaints",
            measured.first_screen / repaint,
            common
            | {
                "first_screen_bytes": measured.first_screen,
                "first_screen_frame_bytes": [len(f) for f in measured.first_frames],
            },
        ),
        Result(
            "tree_move_median_repaints",
            statistics.median(moves) / repaint,
            common
            | {
                "move_bytes": moves,
                "median_bytes": statistics.median(moves),
                "move_frames": [len(burst) for burst in measured.move_frames],
            },
        ),
        Result("tree_move_max_repaints", max(moves) / repaint, common | {"max_bytes": max(moves)}),
        *map_results(measured),
    ]


def map_results(measured: Measured) -> list[Result]:
    """The map's pans and steps as shares of one full repaint of the Map view (not of the explorer)."""
    repaint = measured.map_repaint
    if not repaint or not measured.map_pans:
        return []
    common = {"map_repaint_bytes": round(repaint), "terminal": f"{SIZE[0]}x{SIZE[1]} xterm-256color pty"}
    pans, steps = measured.map_pans, measured.map_steps
    return [
        Result(
            "map_pan_median_repaints",
            statistics.median(pans) / repaint,
            common | {"pan_bytes": pans, "median_bytes": statistics.median(pans)},
        ),
        Result(
            "map_step_median_repaints",
            statistics.median(steps) / repaint,
            common | {"step_bytes": steps, "median_bytes": statistics.median(steps)},
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=MOVES)
    parser.add_argument("--decode", action="store_true", help="where each move's bytes went, frame by frame")
    args = parser.parse_args(argv)
    from bench import APP  # the console script beside the interpreter, or python -m tui

    measured = measure(APP, args.moves)
    for r in map(Result.as_json, results(measured)):
        print(f"{r['name']}: {r['value']:.3f} (target {r['target']}) {r['details']}")
    if args.decode:
        print(f"first screen: {measured.first_screen} B in {len(measured.first_frames)} frame(s)")
        for data in measured.first_frames:
            print("   ", decode(data).describe())
        for n, burst in enumerate(measured.move_frames, 1):
            print(f"move {n}: {measured.moves[n - 1]} B in {len(burst)} frame(s)")
            for data in burst:
                print("   ", decode(data).describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
