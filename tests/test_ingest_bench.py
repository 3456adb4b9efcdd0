"""The ingest benchmark's CPU accounting (scripts/bench_memory.py, used by bench_ingest.py).

The benchmark says how busy the ingest's workers were and how much CPU its
parent took; this checks that the sampler sees a child's CPU time as the
child's, not the parent's.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import bench_memory  # noqa: E402


def test_sampler_counts_a_busy_child_s_cpu_time_as_its_own() -> None:
    code = textwrap.dedent(
        """
        import subprocess, sys
        child = "import time\\nend = time.process_time() + 0.6\\n"
        child += "while time.process_time() < end: pass\\ntime.sleep(0.3)"
        subprocess.run([sys.executable, "-c", child], check=True)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", code])
    with bench_memory.TreeSampler(process.pid, interval=0.05) as sampler:
        assert process.wait() == 0
    parent = sampler.peaks[process.pid]
    children = [p for p in sampler.peaks.values() if p.pid != process.pid]
    assert children, "the child process was not seen"
    busy = max(p.cpu_seconds for p in children)
    assert busy >= 0.5
    assert parent.cpu_seconds < busy
    assert sampler.cpu_by_kind()["other"] == [round(busy, 2)]
