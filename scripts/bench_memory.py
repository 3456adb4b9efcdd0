"""Peak memory and CPU time of a process tree, sampled from ``/proc`` while it runs (Linux only).

Each process's ``VmHWM`` (the kernel's high-water mark of its resident set)
is read every ``interval`` seconds for the process and all its descendants.
The mark only grows, so the last reading before a process ends is its peak
up to at most one interval before the end. The same goes for its CPU time
(user and system, from ``/proc/PID/stat``): what a process spent in its last
interval is missed. A process whose command line changes (a forked child
that runs a new program) starts afresh. Processes are told apart by their
command line: ``multiprocessing`` workers of ``hendelse ingest``, Spark's
JVM and Python workers.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class ProcessPeak:
    pid: int
    kind: str
    command: str
    peak_kb: int = 0
    #: CPU seconds (user + system) at the last reading.
    cpu_seconds: float = 0.0

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:  # the process ended between listing and reading
        return None


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (every thread's list)."""
    found: list[int] = []
    try:
        tasks = list((PROC / str(pid) / "task").iterdir())
    except OSError:  # the process has ended
        return found
    for task in tasks:
        text = _read(task / "children")
        if text:
            found += [int(p) for p in text.split()]
    return found


def descendants(pid: int) -> list[int]:
    out: list[int] = []
    todo = children(pid)
    while todo:
        child = todo.pop()
        out.append(child)
        todo += children(child)
    return out


def high_water_kb(pid: int) -> int | None:
    status = _read(PROC / str(pid) / "status")
    if status is None:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time the process has used so far."""
    stat = _read(PROC / str(pid) / "stat")
    if stat is None:
        return None
    # the fields after the command name, which is in parentheses and may hold spaces
    fields = stat[stat.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def classify(command: str) -> str:
    """What a process of the ingest is, from its command line."""
    if "resource_tracker" in command:
        return "resource tracker"
    if "multiprocessing" in command and "spawn" in command:
        return "ingest worker"
    if "java" in command.split(" ", 1)[0] or "org.apache.spark" in command:
        return "spark jvm"
    if "pyspark.daemon" in command or "pyspark.worker" in command:
        return "spark python worker"
    return "other"


@dataclass
class TreeSampler:
    """Samples the peak memory of ``pid`` and its descendants in a thread."""

    pid: int
    interval: float = 0.1
    peaks: dict[int, ProcessPeak] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="memory-sampler", daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        for pid in [self.pid, *descendants(self.pid)]:
            raw = _read(PROC / str(pid) / "cmdline")
            kb = high_water_kb(pid)
            if kb is None or raw is None:
                continue
            command = raw.replace("\0", " ").strip()[:200]
            peak = self.peaks.get(pid)
            if peak is None or peak.command != command:
                # new, or a forked child that has since exec'd its own program:
                # the mark before the exec was its parent's copy, not its own
                kind = "main" if pid == self.pid else classify(command)
                peak = self.peaks[pid] = ProcessPeak(pid, kind, command)
            peak.peak_kb = max(peak.peak_kb, kb)
            cpu = cpu_seconds(pid)
            if cpu is not None:
                peak.cpu_seconds = max(peak.cpu_seconds, cpu)

    def by_kind(self) -> dict[str, list[float]]:
        """Peak MB of each process, grouped by kind (largest first)."""
        out: dict[str, list[float]] = {}
        for peak in self.peaks.values():
            out.setdefault(peak.kind, []).append(round(peak.peak_mb, 1))
        return {kind: sorted(values, reverse=True) for kind, values in out.items()}

    def cpu_by_kind(self) -> dict[str, list[float]]:
        """CPU seconds of each process, grouped by kind (largest first)."""
        out: dict[str, list[float]] = {}
        for peak in self.peaks.values():
            out.setdefault(peak.kind, []).append(round(peak.cpu_seconds, 2))
        return {kind: sorted(values, reverse=True) for kind, values in out.items()}
