"""Memory and CPU of one student's kernel per lesson, for sizing a JupyterHub. Writes
``benchmarks/results/hub.md``.

Run from the repository root (``nice`` keeps a shared machine usable)::

    nice python benchmarks/bench_hub.py                      # lessons 00-06, and 07 in SPECMASK_FAST mode
    nice python benchmarks/bench_hub.py --full-07            # lesson 07 as a student runs it (minutes)

What is measured, for each lesson in a **fresh kernel** (nbclient, the ``python3`` kernel, no
``MPLBACKEND`` so the kernel uses the inline backend a student gets):

- **peak memory**: the kernel's high-water mark of resident memory (``VmHWM`` in ``/proc/self/status``),
  read by a cell appended after the lesson; this is what a container's ``mem_limit`` must fit;
- **memory after the run**: the kernel's resident memory (``VmRSS``) when the lesson is done; a student
  who leaves the notebook open keeps this much;
- **kernel CPU**: CPU seconds of the kernel process (all its threads) for Restart & Run All;
- **CPU threads**: the largest number of threads the kernel process had (``Threads`` in /proc), sampled
  from outside every 0.2 s, i.e. how many cores it could use at once;
- the idle kernel (``import specmask_edu`` only) and the idle Jupyter server, which every student pod
  also holds.

A student works through a lesson in about 45-85 minutes (INSTRUCTORS.md), so the CPU seconds here are spread
over that time: CPU is a burst per cell, memory is held for the whole session.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "hub.md"
CLASS_SIZE = 200

STATS_CELL = """
import json as _json, time as _time
_status = {l.split(":")[0]: l.split()[1] for l in open("/proc/self/status") if l.startswith(("VmHWM", "VmRSS"))}
print("BENCH" + _json.dumps({"cpu_s": _time.process_time(), "peak_mb": int(_status["VmHWM"]) / 1024,
                             "rss_mb": int(_status["VmRSS"]) / 1024}))
"""


def _threads(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _kernel_pids() -> set[int]:
    pids = set()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if "ipykernel_launcher" in cmd:
                pids.add(int(proc.name))
    return pids


def run_lesson(path: Path, extra_env: dict | None = None) -> dict:
    """Execute one notebook in a fresh kernel; return wall, kernel CPU, peak/after memory, max threads."""
    import nbformat
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell

    nb = nbformat.read(str(path), as_version=4)
    nb.cells.append(new_code_cell(STATS_CELL))
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "SPECMASK_INSTRUCTOR")}
    env.update(extra_env or {})
    before = _kernel_pids()
    max_threads = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            for pid in _kernel_pids() - before:
                max_threads[0] = max(max_threads[0], _threads(pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    with tempfile.TemporaryDirectory(prefix="specmask_hub_") as workdir:
        client = NotebookClient(nb, timeout=1800, kernel_name="python3", resources={"metadata": {"path": workdir}})
        sampler.start()
        t0 = time.perf_counter()
        try:
            client.execute(env=env)
        finally:
            stop.set()
            sampler.join()
        wall = time.perf_counter() - t0
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    stats = json.loads(text.split("BENCH", 1)[1])
    return {"name": path.stem, "wall_s": wall, "threads": max_threads[0], **stats}


def idle_kernel() -> dict:
    """A kernel that only imported the package: the floor of every student's kernel."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    with tempfile.TemporaryDirectory(prefix="specmask_hub_") as workdir:
        path = Path(workdir) / "idle.ipynb"
        nbformat.write(new_notebook(cells=[new_code_cell("import specmask_edu as sm")]), str(path))
        row = run_lesson(path)
    row["name"] = "idle kernel (import specmask_edu)"
    return row


def idle_server() -> float:
    """Resident memory (MB) of an idle JupyterLab server, 5 s after it answered its first request."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(8)
    with tempfile.TemporaryDirectory(prefix="specmask_hub_server_") as root:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root,
            env={**os.environ, "JUPYTER_RUNTIME_DIR": root})
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=5).read()
                    break
                except OSError:
                    time.sleep(0.5)
            time.sleep(5)
            status = Path(f"/proc/{proc.pid}/status").read_text().splitlines()
            return int(next(line for line in status if line.startswith("VmRSS")).split()[1]) / 1024
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def machine() -> str:
    import numpy

    load = os.getloadavg()
    return (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
            f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) at the end; "
            f"NumPy {numpy.__version__}; OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")


def write_markdown(rows, kernel, server_mb, full_07: bool, failed=()) -> None:
    core = [r for r in rows if r["name"][:2] <= "06"]
    peak_core = max(r["peak_mb"] for r in core)
    peak_all = max(r["peak_mb"] for r in rows)
    lines = [
        "# JupyterHub sizing: memory and CPU of one student's kernel per lesson", "",
        f"Written by `benchmarks/bench_hub.py` on {time.strftime('%Y-%m-%d %H:%M')}; machine: {machine()}.", "",
        "Each lesson ran top to bottom (Restart & Run All) in a fresh `python3` kernel with the inline backend.",
        "*Peak* is the kernel's high-water mark of resident memory (VmHWM), *after* its resident memory when "
        "the lesson is done (what an open notebook keeps), *kernel CPU* the CPU seconds of all its threads, "
        "*threads* the most threads it had at once. The machine is shared: wall times can be longer than on "
        "an idle laptop; CPU seconds and memory are not affected by that.", "",
        "| lesson | wall (s) | kernel CPU (s) | peak memory (MB) | memory after the run (MB) | threads |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in [kernel] + rows:
        note = " (SPECMASK_FAST=1)" if r["name"].startswith("07") and not full_07 else ""
        lines.append(f"| {r['name']}{note} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {r['peak_mb']:.0f} | "
                     f"{r['rss_mb']:.0f} | {r['threads']} |")
    if failed:
        lines += ["", "**Failed to run (not measured):** " + "; ".join(failed)]
    lines += [
        "", f"Idle JupyterLab server (every student pod holds one): **{server_mb:.0f} MB** resident.", "",
        "## What this means for a class", "",
        f"- Lessons 00-06: at most **{peak_core:.0f} MB** per kernel; with the server, one open lesson needs "
        f"about {peak_core + server_mb:.0f} MB, two open lessons (a student who did not shut the previous kernel "
        f"down) about {2 * peak_core + server_mb:.0f} MB.",
        (f"- Lesson 07 (PyTorch training): at most {peak_all:.0f} MB"
         + (" (the full lesson)." if full_07 else " with SPECMASK_FAST=1 (short training; the full lesson trains "
            "for more steps on the same data: run `--full-07` to measure it).")
         if any(r["name"].startswith("07") for r in rows) else "- Lesson 07 was not measured in this run."),
        "- CPU: a lesson's CPU seconds are spent in bursts over a 45-85 minute session, so the *average* load "
        f"of {CLASS_SIZE} students working through 00-06 at the same time is well under 0.1 core each; a burst "
        "(a cell) wants one core for a few seconds. Lesson 07's training wants every core it is allowed for "
        "one to three minutes.",
        "- The recommended `mem_limit` / `cpu_limit` (with the arithmetic) are in INSTRUCTORS.md, section "
        "*JupyterHub*.", "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("wrote", RESULTS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full-07", action="store_true", help="run lesson 07 in full (not SPECMASK_FAST)")
    parser.add_argument("--lessons", default="0[0-7]", help="glob of lesson numbers (default 0[0-7])")
    args = parser.parse_args(argv)
    lessons = sorted((ROOT / "notebooks").glob(f"{args.lessons}_*.ipynb"))
    print("warm-up run:", lessons[0].name, flush=True)
    run_lesson(lessons[0])
    kernel = idle_kernel()
    rows, failed = [], []
    for path in lessons:
        env = {} if (args.full_07 or not path.name.startswith("07")) else {"SPECMASK_FAST": "1"}
        try:
            row = run_lesson(path, env)
        except Exception as err:  # noqa: BLE001 - record the failure, measure the other lessons
            print(f"{path.stem}: FAILED ({type(err).__name__}); not in the table", flush=True)
            failed.append(f"{path.stem}: {type(err).__name__}: {str(err).splitlines()[-1][:200] if str(err) else ''}")
            continue
        rows.append(row)
        print(f"{row['name']:>30}: {row['wall_s']:6.1f} s wall, {row['cpu_s']:6.1f} s CPU, peak {row['peak_mb']:5.0f} MB,"
              f" after {row['rss_mb']:5.0f} MB, {row['threads']} threads", flush=True)
    server_mb = idle_server()
    write_markdown(rows, kernel, server_mb, args.full_07, failed)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
