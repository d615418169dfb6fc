"""HTML edition benchmark: how long `specmask-edu html` takes and how big its pages are.

Writes benchmarks/results/html_edition.md. Run:  python benchmarks/bench_html_edition.py [--browser]

What it measures
- Build time of the whole edition (execute every lesson with SPECMASK_FAST=1, export, index), in a
  fresh process as a user runs it; target < 2 minutes on 2 cores.
- Size of every page (target < 5 MB each), with its number of embedded figures and audio players and
  the share taken by the saved widget state.
- With --browser: wall time of the browser test run (tests/test_browser.py: JupyterLab + headless
  Chromium, every lesson 00-06 run from the Run menu, slider moves in 01-05); target < 5 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
BUILD_TARGET_S = 120
PAGE_TARGET_BYTES = 5_000_000
BROWSER_TARGET_S = 300


def build(out: Path) -> tuple[float, list[dict]]:
    code = (
        "import json, sys; from specmask_edu.edition import build_html_edition; "
        f"pages = build_html_edition({str(out)!r}, log=lambda m: print(m, file=sys.stderr)); "
        "print(json.dumps([{'name': p.path.name, 'title': p.title, 'seconds': p.seconds} for p in pages]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if run.returncode:
        raise SystemExit(f"the build failed:\n{run.stderr[-4000:]}")
    pages = json.loads(run.stdout.strip().splitlines()[-1])
    for page in pages:
        text = (out / page["name"]).read_text(encoding="utf-8")
        state = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', text, re.DOTALL)
        outputs = text.replace(state.group(1), "") if state else text  # the state repeats players and figures
        page.update(
            bytes=len(text.encode()),
            state_bytes=len(state.group(1).encode()) if state else 0,
            figures=len(re.findall(r'<img[^>]*src="data:image/(png|jpeg|webp);base64,', outputs)),
            players=len(re.findall(r"<audio", outputs)),
        )
    return seconds, pages


def browser_run() -> tuple[float, str]:
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "tests/test_browser.py", "-q", "-p", "no:cacheprovider"],
                         cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-500:]
    return seconds, summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="also time the browser test run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        seconds, pages = build(Path(tmp) / "html")
        index_bytes = (Path(tmp) / "html" / "index.html").stat().st_size
    ok_build = seconds < BUILD_TARGET_S
    ok_pages = all(p["bytes"] < PAGE_TARGET_BYTES for p in pages)
    lines = [
        "# HTML edition",
        "",
        f"`python benchmarks/bench_html_edition.py{' --browser' if args.browser else ''}` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}.",
        "",
        f"- Build (`specmask-edu html`, fresh process, SPECMASK_FAST=1): **{seconds:.1f} s** "
        f"(target < {BUILD_TARGET_S} s: {'met' if ok_build else 'NOT met'}).",
        f"- Largest page: **{max(p['bytes'] for p in pages) / 1e6:.2f} MB** "
        f"(target < {PAGE_TARGET_BYTES / 1e6:.0f} MB each: {'met' if ok_pages else 'NOT met'}); "
        f"all pages {sum(p['bytes'] for p in pages) / 1e6:.1f} MB; index {index_bytes / 1e3:.1f} kB.",
        "",
        "| page | title | execute + export (s) | size (MB) | of which widget state (MB) | figures | players |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for p in pages:
        lines.append(f"| {p['name']} | {p['title']} | {p['seconds']:.1f} | {p['bytes'] / 1e6:.2f} | "
                     f"{p['state_bytes'] / 1e6:.2f} | {p['figures']} | {p['players']} |")
    if args.browser:
        b_seconds, summary = browser_run()
        lines += [
            "",
            "## Browser test run",
            "",
            f"- `python -m pytest tests/test_browser.py` (start JupyterLab, lessons 00-06 via Run > Run All Cells in "
            f"headless Chromium, slider moves in 01-05, shutdown): **{b_seconds:.1f} s** "
            f"(target < {BROWSER_TARGET_S} s: {'met' if b_seconds < BROWSER_TARGET_S else 'NOT met'}); pytest: `{summary}`.",
        ]
    lines += [
        "",
        "Figures and players are embedded as base64 data URIs: figures as lossless WebP (the notebook's PNG pixels),",
        "players as lossless FLAC (the notebook's WAV samples); a clip played more than once, e.g. by an explorer",
        "(in the saved widget state) and by its static view in the same output, is stored once (`edition.compact_media`).",
        "The widget state is drawn by the Jupyter widget script from a CDN when the page is opened online",
        "(offline, each explorer shows its static view: figure, players and numbers).",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "html_edition.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
