"""How fast does an explorer answer in the browser? Writes ``benchmarks/results/latency.md``.

Run from the repository root (needs Debian's Chromium at /usr/bin/chromium and the ``playwright`` Python
package; never ``playwright install``)::

    python benchmarks/bench_latency.py                       # every explorer of lessons 00-06
    python benchmarks/bench_latency.py --lessons 02 04       # only these lessons
    python benchmarks/bench_latency.py --presses 10          # fewer key presses per explorer (quicker)

What a student feels (issue 14, "Instant"): a key press on a slider of an explorer, until the explorer's
picture changes. For every lesson a throwaway JupyterLab (temporary settings, a *copy* of the notebooks,
127.0.0.1 with a token; ``tests/_jupyterlab.py``) is opened in headless Chromium at 1400 x 1000, Run All
Cells runs the lesson, and every explorer in it (a widget box holding an explorer picture; named by the
last line of its cell, ``mask_explorer.widget``) is measured on its first enabled slider:

1. **Paced presses.** Focus the slider handle (which makes the kernel prepare one step either way:
   ``_states.prepare_around``), wait 200 ms, then ``--presses`` times: press ArrowRight or ArrowLeft
   (``--run`` presses one way, then back; turning early at an end of the slider), wait until the new
   picture is in, pause ``--pause-ms`` so updates never queue. Timestamps are taken *in the page*
   (``performance.now()`` clock): the key's ``keydown`` event, the ``src`` change of the picture's <img> (a
   MutationObserver: the frame arrived and the widget set it) and the <img>'s ``load`` event (decoded:
   what the student sees). The latency is keydown -> load. A press with no new picture within
   ``--timeout-s`` counts as a stall of that length. Stepping one way reaches values the explorer
   prepared while the kernel was idle, stepping back values it showed (``specmask_edu/widgets/_states.py``);
   the kernel's record says which presses were answered from such a kept state. When the page itself shows
   a picture the kernel sent ahead (the explorer's box dispatches ``specmask-ahead-shown``), the press is
   timed to the next animation frame (the picture was decoded when it arrived: it is painted in that frame),
   and the kernel's own picture, arriving later, counts only if it is visible.
1b. **Jumps.** ``--jumps`` clicks on the slider's track at new places (``JUMP_POSITIONS``), mouse press ->
   picture loaded: values nothing prepared, so each one is computed (the cost of a new state).
2. **Rapid burst.** ``--burst`` presses ``--burst-gap-ms`` apart (holding a key down), alternating
   direction. ipywidgets sends a slider's new value only once the kernel has finished the previous one,
   so pictures do not arrive one per press; reported: pictures received, the time from the last press to
   the last picture (*settle*), the longest wait for a picture while presses were pending (*max gap*), and
   the longest time the visible picture showed another value than the slider's readout (*longest wrong
   picture*: from the pictures' ``specmask-at-*`` tags, so a late picture of a value the student has left
   counts as wrong). Either over 300 ms counts against the "no stall" target like a slow paced press.
3. **Where the time goes.** The kernel records every update of every explorer (``Explorer.last_timing``,
   read over a second kernel client after the presses): compute, draw, encode (JPEG frame), players
   (fingerprint, and the audio only if a clip changed; after a student's move they follow the picture once
   the kernel idles), its process CPU time, the frame's size, whether the players' HTML was sent again, and
   whether the update was answered from a kept state. *transport + front end* = browser latency - (compute +
   draw + encode): the frame leaves the kernel before the players are done. ``--freeze-players`` is a what-if run
   in which the players' audio is never sent again (what lazy players would save).

Exit status 1 if a lesson could not be measured (its row says why); JupyterLab and its kernels are shut
down in every case.

Targets (issue 14): median <= 50 ms, p90 <= 100 ms, no stall over 300 ms, per explorer; "before" is the
measurement quoted in the issue (per lesson, on this 2-core machine under load). Speed is checked here,
not in the test suite. The machine's load average before and after is written with the table: on a
shared 2-core machine every number here includes waiting for a core.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

# One BLAS thread in the kernels JupyterLab starts (they inherit it), as in bench_explorers.py and the tests:
# a multithreaded OpenBLAS waits for a free core on a loaded 2-core machine. Set it yourself to measure another.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the JupyterLab server and page actions the browser tests use

RESULTS = ROOT / "benchmarks" / "results" / "latency.md"
NOTEBOOKS = ROOT / "notebooks"
TARGET_MEDIAN_MS = 50.0
TARGET_P90_MS = 100.0
STALL_MS = 300.0
VIEWPORT = {"width": 1400, "height": 1000}

#: Issue 14, measured before this benchmark existed (per lesson: key press on a slider -> new picture).
BEFORE = {
    "01": "98 (p90 151)",
    "02": "58 (p90 72)",
    "04": "77 (p90 113)",
    "05": "122 (p90 161, one stall of 3.7 s)",
}

# --------------------------------------------------------------------------------------------------
# In the page: find the explorers, and a recorder per explorer.

# Every explorer box (the VBox whose direct child is the picture <img>), in page order, with the last
# line of its cell (the explorer's name) and its sliders.
JS_EXPLORERS = r"""() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const boxes = [];
  for (const img of panel.querySelectorAll('.jp-OutputArea-output img.widget-image')) {
    const box = img.parentElement;
    if (!box || boxes.includes(box) || !box.querySelector('.widget-slider')) continue;
    boxes.push(box);
  }
  window.__benchBoxes = boxes;
  return boxes.map((box, i) => {
    const cell = box.closest('.jp-Cell');
    const lines = cell ? [...cell.querySelectorAll('.jp-InputArea-editor .cm-line')].map(l => l.textContent.trim())
                             .filter(l => l && !l.startsWith('#')) : [];
    const title = box.querySelector(':scope > .widget-html b');
    return {
      index: i,
      last_line: lines.length ? lines[lines.length - 1] : '',
      title: title ? title.textContent.trim() : '',
      sliders: [...box.querySelectorAll('.widget-slider')].map(s => {
        const h = s.querySelector('[role=slider]');
        const label = s.querySelector('.widget-label');
        return {label: label ? label.textContent.trim() : '',
                disabled: !h || s.classList.contains('mod-disabled') || h.hasAttribute('disabled')
                          || !!s.querySelector('[disabled]'),
                now: h ? h.getAttribute('aria-valuenow') : null, min: h ? h.getAttribute('aria-valuemin') : null,
                max: h ? h.getAttribute('aria-valuemax') : null};
      }),
    };
  });
}"""

# Start recording on explorer box `index`, slider `slider`: keydown times on its handle, src changes and
# load events of its picture, and changes of its players (the HTML widget right after the picture).
JS_ARM = r"""([index, slider]) => {
  if (window.__bench) window.__bench.stop();
  const box = window.__benchBoxes[index];
  const img = box.querySelector(':scope > img.widget-image');
  const handle = box.querySelectorAll('.widget-slider')[slider].querySelector('[role=slider]');
  const players = img.nextElementSibling;
  const rec = {keys: [], src: [], load: [], players: [], ahead: [], readout: [], shown: []};
  // what the slider's readout says after each key press, and which state the visible picture shows (its
  // specmask-at-* classes) each time it changes: the time a student sees a picture that is not the readout's
  const readout = box.querySelectorAll('.widget-slider')[slider].querySelector('.widget-readout');
  const visible = () => [...box.querySelectorAll(':scope > img.widget-image')]
    .find((el) => el.style.display !== 'none');
  const onShown = (t, el) => rec.shown.push([t, el ? [...el.classList] : []]);
  const onKeyAfter = (e) => {  // bubbling on the document: the slider has moved its readout by then
    if (e.target === handle && readout) rec.readout.push([e.timeStamp, readout.textContent.trim()]);
  };
  const sliderBox = box.querySelectorAll('.widget-slider')[slider].closest('.specmask-control');
  const named = sliderBox && [...sliderBox.classList].find((c) => c.startsWith('specmask-name-'));
  rec.name = named ? named.slice('specmask-name-'.length) : null;
  const snapshot = () => ({t: performance.now(), readout: readout ? readout.textContent.trim() : null,
                           shown: visible() ? [...visible().classList] : []});
  const onKey = (e) => { if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') rec.keys.push(e.timeStamp); };
  // a click on the slider's track (a jump) starts with a pointerdown: it counts as the press
  const track = box.querySelectorAll('.widget-slider')[slider].querySelector('.noUi-target');
  const onPointer = (e) => rec.keys.push(e.timeStamp);
  // the kernel's picture counts when the student sees it (the page keeps it hidden while a picture it showed
  // ahead is the one the slider asks for)
  const onLoad = () => {
    if (img.style.display === 'none') return;
    const t = performance.now();
    onShown(t, img);
    onLoadAt(t);
  };
  // a picture the kernel sent ahead, shown by the page's script on the key press: it is on screen in the next
  // frame (it was decoded when it arrived), so the time counted is that frame's (requestAnimationFrame)
  const onAhead = () => requestAnimationFrame(() => {
    const t = performance.now();
    rec.ahead.push(t);
    onShown(t, visible());
    onLoadAt(t);
  });
  const onLoadAt = (t) => {
    rec.load.push(t);
    if (window.__bench && window.__bench.waiter) window.__bench.waiter();
  };
  const srcObserver = new MutationObserver(() => rec.src.push(performance.now()));
  const playerObserver = new MutationObserver(() => {
    const t = performance.now();
    if (!rec.players.length || rec.players[rec.players.length - 1] !== t) rec.players.push(t);
  });
  handle.addEventListener('keydown', onKey, true);
  document.addEventListener('keydown', onKeyAfter);
  if (track) track.addEventListener('pointerdown', onPointer, true);
  img.addEventListener('load', onLoad);
  box.addEventListener('specmask-ahead-shown', onAhead);
  srcObserver.observe(img, {attributes: true, attributeFilter: ['src']});
  if (players) playerObserver.observe(players, {childList: true, subtree: true, characterData: true});
  window.__bench = {
    rec,
    snapshot,
    stop() {
      handle.removeEventListener('keydown', onKey, true);
      document.removeEventListener('keydown', onKeyAfter);
      if (track) track.removeEventListener('pointerdown', onPointer, true);
      img.removeEventListener('load', onLoad);
      box.removeEventListener('specmask-ahead-shown', onAhead);
      srcObserver.disconnect();
      playerObserver.disconnect();
    },
  };
  handle.scrollIntoView({block: 'center'});
  handle.focus();
  return {origin: performance.timeOrigin, value: handle.getAttribute('aria-valuenow'),
          min: handle.getAttribute('aria-valuemin'),
          max: handle.getAttribute('aria-valuemax'), focused: document.activeElement === handle};
}"""

# Resolves (true) once a key press after the first `keys` presses has been followed by a picture load after
# the first `loads`, or (false) after `timeout` ms; no polling, so the page is not kept busy while it waits.
JS_WAIT = r"""([keys, loads, timeout]) => new Promise((resolve) => {
  const rec = window.__bench.rec;
  const done = () => rec.keys.length > keys && rec.load.length > loads;
  if (done()) return resolve(true);
  const timer = setTimeout(() => { window.__bench.waiter = null; resolve(false); }, timeout);
  window.__bench.waiter = () => {
    if (!done()) return;
    clearTimeout(timer);
    window.__bench.waiter = null;
    resolve(true);
  };
})"""

JS_COUNTS = "() => ({keys: window.__bench.rec.keys.length, src: window.__bench.rec.src.length, " \
            "load: window.__bench.rec.load.length})"
JS_RECORD = "() => window.__bench.rec"
JS_FOCUSED = "() => !!document.activeElement && document.activeElement.getAttribute('role') === 'slider'"
JS_FOCUS = "([index, slider]) => window.__benchBoxes[index].querySelectorAll('.widget-slider')[slider]" \
           ".querySelector('[role=slider]').focus()"
# Where the slider's handle is (aria values: the value, or the index of a selection slider) and its track's box.
JS_POSITION = r"""([index, slider]) => {
  const s = window.__benchBoxes[index].querySelectorAll('.widget-slider')[slider];
  const h = s.querySelector('[role=slider]');
  const t = s.querySelector('.noUi-target');
  const r = t ? t.getBoundingClientRect() : null;
  return {now: parseFloat(h.getAttribute('aria-valuenow')), min: parseFloat(h.getAttribute('aria-valuemin')),
          max: parseFloat(h.getAttribute('aria-valuemax')),
          track: r ? {x: r.x, y: r.y, width: r.width, height: r.height} : null};
}"""

#: Where the jumps click on the track (fractions of its length): far apart and never repeating, so each lands
#: on a value the explorer has not shown and that the same-size-move guess of ``_states.next_step`` misses.
JUMP_POSITIONS = (0.15, 0.85, 0.35, 0.65, 0.05, 0.95, 0.25, 0.75, 0.45, 0.55)

# --------------------------------------------------------------------------------------------------
# In the kernel: record every explorer update (installed after Run All, over a second kernel client).

KERNEL_SETUP = r"""
def __bench_setup():
    import time
    from specmask_edu.widgets import Explorer
    if getattr(Explorer, "_bench_log", None) is not None:
        return
    Explorer._bench_log = log = {}
    original = Explorer.update

    original_catch_up = Explorer._catch_up

    def update(self, **params):
        players_before = self.players_html.value
        start = time.time()
        self._bench_updating = True
        try:
            out = original(self, **params)
        finally:
            self._bench_updating = False
        timing = dict(self.last_timing)
        timing["frame_bytes"] = len(self.image.value)
        timing["players_sent"] = self.players_html.value is not players_before
        timing["players_bytes"] = len(self.players_html.value)
        timing["t_start"] = start
        log.setdefault(id(self), []).append(timing)
        return out

    def catch_up(self):
        # after a student's move the players follow the picture once the kernel idles: note them on that update
        players_before = self.players_html.value
        start = time.perf_counter()
        out = original_catch_up(self)
        entries = log.get(id(self))
        if entries and not getattr(self, "_bench_updating", False):
            entries[-1]["players_sent"] = entries[-1]["players_sent"] or self.players_html.value is not players_before
            entries[-1]["players_bytes"] = len(self.players_html.value)
            entries[-1]["players"] = time.perf_counter() - start
        return out

    Explorer.update = update
    Explorer._catch_up = catch_up
__bench_setup()
del __bench_setup
"""

# What-if (``--freeze-players``): the player table is sent once and never again, as if players loaded their
# audio only when pressed; shows how much of the latency re-sending the audio costs. Not what a student gets.
KERNEL_FREEZE_PLAYERS = r"""
import specmask_edu.widgets._base as __base
__base._fingerprint = lambda *args: ("frozen by bench_latency.py --freeze-players",)
del __base
"""

KERNEL_READ = r"""
def __bench_read():
    import json
    from specmask_edu.widgets import Explorer
    names = {id(v): k for k, v in get_ipython().user_ns.items() if isinstance(v, Explorer) and not k.startswith('_')}
    out = {names.get(k, str(k)): v for k, v in Explorer._bench_log.items()}
    Explorer._bench_log.clear()
    return json.dumps(out)
print(__bench_read())
del __bench_read
"""


class KernelProbe:
    """A second client of the lesson's kernel (its connection file in the server's runtime folder)."""

    def __init__(self, server, runtime_dir: Path):
        from jupyter_client import BlockingKernelClient

        kernels = server.api("GET", "/api/kernels") or []
        if len(kernels) != 1:
            raise RuntimeError(f"expected one running kernel, found {len(kernels)}")
        path = runtime_dir / f"kernel-{kernels[0]['id']}.json"
        if not path.exists():
            found = sorted(p.name for p in runtime_dir.glob("*.json"))
            raise RuntimeError(f"no connection file {path.name} in {runtime_dir} (found {found})")
        self.client = BlockingKernelClient()
        self.client.load_connection_file(str(path))
        self.client.start_channels()
        self.client.wait_for_ready(timeout=30)

    def run(self, code: str, timeout: float = 60.0) -> str:
        out = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                out.append("\n".join(msg["content"]["traceback"]))

        reply = self.client.execute_interactive(code, store_history=False, timeout=timeout, output_hook=hook)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel probe failed: {''.join(out)[-2000:]}")
        return "".join(out)

    def close(self):
        self.client.stop_channels()


# --------------------------------------------------------------------------------------------------
# Measuring one explorer.


def _name_of(info) -> str:
    match = re.match(r"^([A-Za-z_]\w*)(?:\.widget)?\s*;?$", info["last_line"])
    return match.group(1) if match else (info["title"] or f"explorer {info['index']}")


def _percentile(values, q):
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def _wait_quiet(page, quiet_ms: float = 800, timeout_s: float = 30.0):
    """Wait until the picture has not changed for ``quiet_ms`` (the kernel finished what was queued)."""
    deadline = time.monotonic() + timeout_s
    last = page.evaluate(JS_COUNTS)["src"]
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        now = page.evaluate(JS_COUNTS)["src"]
        if now != last:
            last, quiet_since = now, time.monotonic()
        elif (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
            return True
    return False


def measure_explorer(page, index: int, slider: int, presses: int, pause_ms: int, timeout_s: float,
                     burst: int, burst_gap_ms: int, run: int = 10, jumps: int = 0) -> dict:
    """Paced presses (``run`` steps one way, then back), clicks on the track (jumps), then a rapid burst on one
    slider; all times in ms from in-page timestamps, plus the epoch time each phase began (to split the
    kernel's record)."""
    state = page.evaluate(JS_ARM, [index, slider])
    try:
        value, top = float(state["value"]), float(state["max"])
        key = "ArrowLeft" if value >= top else "ArrowRight"
    except (TypeError, ValueError):
        key = "ArrowRight"
    other = {"ArrowRight": "ArrowLeft", "ArrowLeft": "ArrowRight"}
    page.wait_for_timeout(200)
    phase_start = {"paced": time.time()}

    def one_press(act):
        """Do ``act`` (a key press or a click), wait for the picture; (key -> loaded, key -> arrived) in ms."""
        before = page.evaluate(JS_COUNTS)
        act()
        got = page.evaluate(JS_WAIT, [before["keys"], before["load"], timeout_s * 1000])
        rec = page.evaluate(JS_RECORD)
        if len(rec["keys"]) <= before["keys"]:
            raise RuntimeError("the press did not reach the slider (focus lost, or the click missed the track?)")
        t_key = rec["keys"][before["keys"]]
        loads = [t for t in rec["load"][before["load"]:] if t >= t_key]
        srcs = [t for t in rec["src"][before["src"]:] if t >= t_key]
        page.wait_for_timeout(pause_ms)
        shown_ahead = bool(loads) and loads[0] in rec["ahead"]  # the page showed a picture sent ahead
        return (loads[0] - t_key if loads else timeout_s * 1000, srcs[0] - t_key if srcs else timeout_s * 1000,
                not got, shown_ahead)

    latency, arrived, no_picture, ahead = [], [], 0, []
    for i in range(presses):
        if not page.evaluate(JS_FOCUSED):
            page.evaluate(JS_FOCUS, [index, slider])
        at = page.evaluate(JS_POSITION, [index, slider])
        if i and i % run == 0:
            key = other[key]                                   # turn about after a run of steps
        if (key == "ArrowRight" and at["now"] >= at["max"]) or (key == "ArrowLeft" and at["now"] <= at["min"]):
            key = other[key]                                   # at an end: turn about early
        loaded, got_src, missing, shown_ahead = one_press(lambda k=key: page.keyboard.press(k))
        latency.append(loaded)
        arrived.append(got_src)
        no_picture += missing
        ahead.append(shown_ahead)
    n_paced = len(page.evaluate(JS_RECORD)["keys"])
    phase_start["jumps"] = time.time()
    jump_latency, jump_missing = [], 0
    for fraction in JUMP_POSITIONS[:jumps]:
        at = page.evaluate(JS_POSITION, [index, slider])
        track = at["track"]
        if not track:
            raise RuntimeError("no slider track to click on")
        target, span = at["min"] + fraction * (at["max"] - at["min"]), at["max"] - at["min"]
        if span <= 30 and float(at["min"]).is_integer() and float(at["now"]).is_integer():
            target = round(target)  # a selection slider: the handle snaps to one of its few positions
        if abs(target - at["now"]) < span / 40:
            continue  # on (or next to) the handle: the value would not change
        x, y = track["x"] + fraction * track["width"], track["y"] + track["height"] / 2
        # noUiSlider (ipywidgets' slider) ignores a press on its track while the handle still glides to the
        # last click (class noUi-state-tap, 300 ms): a student's second click that soon does nothing either
        page.wait_for_function("() => !document.querySelector('.noUi-state-tap')", timeout=5_000)
        loaded, _, missing, _ = one_press(lambda: page.mouse.click(x, y))
        jump_latency.append(loaded)
        jump_missing += missing
    page.evaluate(JS_FOCUS, [index, slider])
    _wait_quiet(page)
    paced = page.evaluate(JS_RECORD)
    # the player table re-drawn after a press (its HTML was sent again): how long after the key
    players_ms = []
    for i, t_key in enumerate(paced["keys"][:n_paced]):
        t_next = paced["keys"][i + 1] if i + 1 < len(paced["keys"]) else float("inf")
        changed = [t for t in paced["players"] if t_key <= t < t_next]
        if changed:
            players_ms.append(changed[0] - t_key)

    # rapid burst: presses burst_gap_ms apart, alternating direction
    phase_start["burst"] = time.time()
    before = page.evaluate(JS_COUNTS)
    start = page.evaluate("() => window.__bench.snapshot()")
    for i in range(burst):
        page.keyboard.press(key)
        key = other[key]
        if i < burst - 1:
            page.wait_for_timeout(burst_gap_ms)
    settled = _wait_quiet(page, quiet_ms=1500, timeout_s=max(30.0, timeout_s * 3))
    end = page.evaluate("() => performance.now()")
    rec = page.evaluate(JS_RECORD)
    page.evaluate("() => window.__bench.stop()")
    keys, loads = rec["keys"][before["keys"]:], rec["load"][before["load"]:]
    burst_row = {"presses": len(keys), "pictures": len(loads), "settled": settled,
                 "ahead": [t for t in rec["ahead"] if keys and t >= keys[0]], "keys": keys, "loads": loads}
    if keys and loads:
        burst_row["settle_ms"] = max(0.0, loads[-1] - keys[-1])
        # the longest time a student waited for a new picture while a press was still unanswered
        gaps, waiting_since = [], keys[0]
        for t in loads:
            if waiting_since is not None and t >= waiting_since:
                gaps.append(t - waiting_since)
                later = [k for k in keys if k > t]
                waiting_since = later[0] if later else None
        burst_row["max_gap_ms"] = max(gaps) if gaps else float("nan")
    burst_row.update(start=start, end=end, readouts=[r for r in rec["readout"] if r[0] >= start["t"]],
                     shown=[s for s in rec["shown"] if s[0] >= start["t"]], slider_name=rec.get("name"))
    burst_row["wrong_picture_ms"] = longest_wrong_picture(start, burst_row["readouts"], burst_row["shown"],
                                                          rec.get("name"), end)
    return {
        "latency": latency, "arrived": arrived, "no_picture": no_picture, "players_ms": players_ms, "ahead": sum(ahead),
        "ahead_flags": ahead,
        # the keys on the epoch clock (ms), to line up with the kernel's record of each update
        "key_epoch_ms": [state["origin"] + t for t in paced["keys"][:presses]],
        # pictures the <img> decoded per press: 1 when the frame and its text alternative come in one message
        "decodes_per_press": len(paced["src"]) / max(1, len(paced["keys"])), "burst": burst_row,
        "jump_latency": jump_latency, "jump_no_picture": jump_missing, "phase_start": phase_start,
    }


def _holds(classes, name, readout) -> bool:
    """Whether a picture with these classes shows slider ``name`` at the value its ``readout`` text says (the
    ``specmask-at-*`` tags of ``_controls.value_tag``, compared as the page script's ``holds`` does)."""
    prefix = f"specmask-at-{name}-"
    tag = next((c[len(prefix):] for c in classes if c.startswith(prefix)), None)
    if tag is None or readout is None or not tag:
        return False
    if tag[0] == "l":
        return urllib.parse.unquote(tag[1:]) == readout
    try:
        value, step = (float(part) for part in tag[1:].split("~"))
        shown = float(readout.replace("\u2212", "-"))
    except ValueError:
        return False
    return abs(shown - value) < step / 2


def longest_wrong_picture(start: dict, readouts: list, shown: list, name, end: float) -> float:
    """The longest time (ms) the visible picture showed another value than the slider's readout.

    ``start``: ``{"t", "readout", "shown"}`` when the burst began; ``readouts``: ``[t, text]`` after each key
    press; ``shown``: ``[t, classes]`` each time another picture became visible; ``end``: when the page was
    quiet again. A press back to the value the picture shows ends a wait: the student sees the right picture.
    """
    events = sorted([(t, 0, text) for t, text in readouts] + [(t, 1, classes) for t, classes in shown],
                    key=lambda event: (event[0], event[1]))
    readout, classes = start["readout"], start["shown"]
    wrong_since = None if _holds(classes, name, readout) else start["t"]
    longest = 0.0
    for t, kind, value in events:
        if kind == 0:
            readout = value
        else:
            classes = value
        right = _holds(classes, name, readout)
        if right and wrong_since is not None:
            longest, wrong_since = max(longest, t - wrong_since), None
        elif not right and wrong_since is None:
            wrong_since = t
    if wrong_since is not None:
        longest = max(longest, end - wrong_since)
    return longest


def summarise(row: dict) -> dict:
    lat = row["latency"]
    row["median"] = statistics.median(lat)
    row["p90"] = _percentile(lat, 90)
    row["max"] = max(lat)
    row["stalls"] = sum(1 for t in lat if t > STALL_MS)
    row["median_arrived"] = statistics.median(row["arrived"])
    row["players_changes"] = len(row["players_ms"])
    row["median_players_ms"] = statistics.median(row["players_ms"]) if row["players_ms"] else float("nan")
    # a student holding the key down waits as long as the longest gap of the burst
    row["burst_longest_ms"] = max(row["burst"].get("max_gap_ms", 0.0), row["burst"].get("wrong_picture_ms", 0.0))
    row["burst_stall"] = row["burst_longest_ms"] > STALL_MS
    row["met"] = (row["median"] <= TARGET_MEDIAN_MS and row["p90"] <= TARGET_P90_MS and row["stalls"] == 0
                  and not row["burst_stall"])
    jumps = row.get("jump_latency") or []
    if jumps:
        row["jump_median"], row["jump_p90"], row["jump_max"] = (statistics.median(jumps), _percentile(jumps, 90),
                                                                 max(jumps))
        row["jump_met"] = (row["jump_median"] <= TARGET_MEDIAN_MS and row["jump_p90"] <= TARGET_P90_MS
                           and row["jump_max"] <= STALL_MS)
        row["jump_kept"] = sum(1 for t in row.get("kernel_jumps", []) if t.get("kept"))
    kernel = [t for t in row.get("kernel", []) if "total" in t]
    if kernel:
        for key in ("compute", "draw", "encode", "players", "total", "cpu_compute_draw"):
            row[f"k_{key}"] = statistics.median(1000 * t.get(key, float("nan")) for t in kernel)
        # the frame leaves the kernel after compute, draw and encode; the players are done after it
        row["k_frame"] = statistics.median(1000 * (t["compute"] + t["draw"] + t["encode"]) for t in kernel)
        row["frame_kb"] = statistics.median(t["frame_bytes"] for t in kernel) / 1024
        # key -> the kernel starts the update (front end, server, kernel's message loop), by the shared clock
        inbound = [1000 * t["t_start"] - k for t, k in zip(kernel, row.get("key_epoch_ms", []))]
        row["inbound"] = statistics.median(inbound) if len(inbound) == len(kernel) else float("nan")
        row["players_sent"] = sum(1 for t in kernel if t["players_sent"])
        row["players_kb"] = max(t["players_bytes"] for t in kernel) / 1024
        row["k_updates"] = len(kernel)
        # answered from a kept state (shown before, or prepared while the kernel was idle: widgets/_states.py)
        row["kept"] = sum(1 for t in kernel if t.get("kept"))
        fresh = [t for t in kernel if not t.get("kept")]
        row["k_fresh_frame"] = (statistics.median(1000 * (t["compute"] + t["draw"] + t["encode"]) for t in fresh)
                                if fresh else float("nan"))
    return row


# --------------------------------------------------------------------------------------------------
# One lesson, all lessons.


def lesson_paths(stems):
    paths = sorted(NOTEBOOKS.glob("0[0-6]_*.ipynb"))
    if stems:
        paths = [p for p in paths if p.name[:2] in stems]
        missing = set(stems) - {p.name[:2] for p in paths}
        if missing:
            raise SystemExit(f"no lesson notebook for {sorted(missing)} in {NOTEBOOKS} (have 00-06)")
    if not paths:
        raise SystemExit(f"no lesson notebooks 0[0-6]_*.ipynb in {NOTEBOOKS}")
    return paths


def bench_lesson(browser, server, runtime_dir, path, args) -> list[dict]:
    from _jupyterlab import error_texts, open_notebook, run_all_cells, wait_for_widgets

    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(60_000)
    rows = []
    probe = None
    try:
        open_notebook(page, server, path.name)
        t0 = time.monotonic()
        state = run_all_cells(page, args.run_timeout_s * 1000)
        run_s = time.monotonic() - t0
        errors = error_texts(page)
        if state != "done" or errors:
            raise RuntimeError(f"{path.name}: Run All Cells ended with {state!r}: {(errors or [''])[0][-1500:]}")
        widgets = wait_for_widgets(page)
        if widgets["loading"] or widgets["failed"]:
            raise RuntimeError(f"{path.name}: widgets did not render: {widgets}")
        page.wait_for_timeout(1000)
        explorers = page.evaluate(JS_EXPLORERS)
        print(f"{path.name}: ran in {run_s:.0f} s; {len(explorers)} explorer(s): "
              f"{[_name_of(e) for e in explorers]}", flush=True)
        probe = KernelProbe(server, runtime_dir)
        probe.run(KERNEL_SETUP)
        if args.freeze_players:
            probe.run(KERNEL_FREEZE_PLAYERS)
        for info in explorers:
            name = _name_of(info)
            row = {"lesson": path.name[:2], "notebook": path.name, "explorer": name, "title": info["title"]}
            enabled = [i for i, s in enumerate(info["sliders"]) if not s["disabled"]]
            sliders = enabled if args.all_sliders else enabled[:1]
            if not sliders:
                rows.append({**row, "error": "no enabled slider"})
                continue
            for slider in sliders:
                load_before = os.getloadavg()[0]
                result = measure_explorer(page, info["index"], slider, args.presses, args.pause_ms, args.timeout_s,
                                          args.burst, args.burst_gap_ms, args.run, args.jumps)
                log = json.loads(probe.run(KERNEL_READ).strip().splitlines()[-1])
                # the kernel log holds paced and burst updates, in order: the paced ones come first
                kernel = log.get(name, [])
                if not kernel:
                    print(f"  (no kernel record for {name!r}; recorded: {sorted(log)})", file=sys.stderr, flush=True)
                starts = result["phase_start"]
                phase = {name: [t for t in kernel if lo <= t["t_start"] < hi] for name, lo, hi in
                         (("kernel", starts["paced"], starts["jumps"]),
                          ("kernel_jumps", starts["jumps"], starts["burst"]),
                          ("kernel_burst", starts["burst"], float("inf")))}
                r = summarise({**row, **result, **phase, "slider": info["sliders"][slider]["label"],
                               "load": (load_before, os.getloadavg()[0])})
                rows.append(r)
                print(f"  {name:>16} [{r['slider']}]: median {r['median']:.0f} ms, p90 {r['p90']:.0f}, "
                      f"max {r['max']:.0f}, stalls {r['stalls']}, kept {r.get('kept', '?')}, ahead {r.get('ahead', '?')}; jumps median "
                      f"{r.get('jump_median', float('nan')):.0f} ms, max {r.get('jump_max', float('nan')):.0f}; "
                      f"kernel total {r.get('k_total', float('nan')):.0f} "
                      f"ms; players sent {r.get('players_sent', '?')}/{r.get('k_updates', '?')}; "
                      f"burst settle {r['burst'].get('settle_ms', float('nan')):.0f} ms, "
                      f"max gap {r['burst'].get('max_gap_ms', float('nan')):.0f} ms; load {r['load'][1]:.1f}",
                      flush=True)
        errors = error_texts(page)
        if errors:
            raise RuntimeError(f"{path.name}: error output after the key presses: {errors[0][-1500:]}")
    finally:
        if probe is not None:
            probe.close()
        context.close()
        server.shutdown_kernels()  # the next lesson gets both cores
    return rows


class busy_cores:
    """``with busy_cores(n):`` keeps ``n`` processes spinning on the CPU (normal priority) meanwhile, standing in for
    the other work of a shared machine (``--busy-cores``): the measurement under a known load, not whatever load
    the machine happens to have. Each process stops when the block ends (or when this one dies: it reads its
    stdin, which is closed then)."""

    SPIN = ("import select, sys\n"
            "while not select.select([sys.stdin], [], [], 0)[0]:\n"
            "    for _ in range(100_000): pass\n")

    def __init__(self, n: int):
        self.n, self.processes = n, []

    def __enter__(self):
        import subprocess

        self.processes = [subprocess.Popen([sys.executable, "-c", self.SPIN], stdin=subprocess.PIPE)
                          for _ in range(self.n)]
        return self

    def __exit__(self, *exc):
        for proc in self.processes:
            proc.stdin.close()
        for proc in self.processes:
            try:
                proc.wait(timeout=10)
            except Exception:  # noqa: BLE001 - it must not outlive the benchmark
                proc.kill()
                proc.wait()
        return False


def run(args) -> tuple[list[dict], dict]:
    with busy_cores(args.busy_cores):
        return _run(args)


def _run(args) -> tuple[list[dict], dict]:
    from playwright.sync_api import sync_playwright

    from _jupyterlab import CHROMIUM, CHROMIUM_ARGS, APT_INSTALL, LabServer

    if not CHROMIUM.exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM}; install it with: {APT_INSTALL}")
    paths = lesson_paths(args.lessons)
    meta = {"load_before": os.getloadavg(), "started": time.strftime("%Y-%m-%d %H:%M"),
            "busy_cores": getattr(args, "busy_cores", 0)}
    rows = []
    with tempfile.TemporaryDirectory(prefix="specmask_latency_") as workdir:
        # LabServer serves a *copy* of the notebooks from the temporary folder (nothing is written back)
        server = LabServer(workdir=Path(workdir), notebooks=paths)
        try:
            server.start()
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
                try:
                    for path in paths:
                        try:
                            rows += bench_lesson(browser, server, Path(workdir) / "runtime", path, args)
                        except Exception as err:  # noqa: BLE001 - reported in the table, next lesson goes on
                            print(f"{path.name}: FAILED: {err}", file=sys.stderr, flush=True)
                            rows.append({"lesson": path.name[:2], "notebook": path.name, "explorer": "(lesson)",
                                         "error": f"{type(err).__name__}: {str(err)[-400:]}"})
                finally:
                    browser.close()
        finally:
            leftovers = server.stop()
            if leftovers:
                print("JupyterLab left processes behind (killed):\n" + "\n".join(leftovers), file=sys.stderr)
    meta["load_after"] = os.getloadavg()
    return rows, meta


# --------------------------------------------------------------------------------------------------
# The Markdown table.


def machine(meta) -> str:
    import jupyterlab
    import matplotlib
    import numpy

    b, a = meta["load_before"], meta["load_after"]
    return (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
            f"load average {b[0]:.1f} / {b[1]:.1f} / {b[2]:.1f} (1/5/15 min) before and "
            f"{a[0]:.1f} / {a[1]:.1f} / {a[2]:.1f} after; JupyterLab {jupyterlab.__version__}, "
            f"Chromium {_chromium_version()}, NumPy {numpy.__version__}, matplotlib {matplotlib.__version__}; "
            f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}"
            + (f"; **{meta['busy_cores']} process(es) kept spinning on the CPU throughout** (`--busy-cores "
               f"{meta['busy_cores']}`: a shared machine's other work)" if meta.get("busy_cores") else ""))


def _chromium_version() -> str:
    import subprocess

    try:
        out = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=20).stdout
        match = re.search(r"Chromium\s+([\d.]+)", out)
        return match.group(1) if match else (out.strip() or "?")
    except (OSError, subprocess.SubprocessError):
        return "?"


def _f(value, fmt="{:.0f}"):
    return "–" if value is None or value != value else fmt.format(value)


def write_markdown(rows, meta, args, path: Path = RESULTS):
    lines = ["# Explorer latency in the browser", "",
             "Written by `benchmarks/bench_latency.py` (see its docstring for the method). "
             f"Measured {meta['started']}; machine: {machine(meta)}.", "",
             f"What a student feels: key press on an explorer's slider (JupyterLab {VIEWPORT['width']} x "
             f"{VIEWPORT['height']}, headless Chromium) until its picture has loaded, {args.presses} arrow-key "
             f"presses per explorer, {args.run} one way and then back (turning early at an end), "
             f"{args.pause_ms} ms after each new picture. Target (issue 14): **median ≤ "
             f"{TARGET_MEDIAN_MS:.0f} ms, p90 ≤ {TARGET_P90_MS:.0f} ms, no stall over {STALL_MS:.0f} ms** (neither "
             "in the paced presses nor in the rapid burst, as the longest wait for a picture or the longest time a "
             "wrong picture showed: see below). "
             "*Before* is the issue's measurement (per lesson, key press -> picture, same machine under load). "
             "*Kept*: presses the kernel answered from a kept state (shown before, or prepared while it was idle: "
             "`specmask_edu/widgets/_states.py`) instead of computing it. *Shown ahead*: presses the page answered "
             "itself with a picture the kernel had sent ahead while idle (`_controls._SLIDER_NAMES_JS`), timed "
             "to the next animation frame. *Jumps*: "
             f"{args.jumps} clicks on the slider's track at new places (mouse press -> picture loaded), which "
             "nothing prepared: the cost of computing a new state, against the same target.", "",
             *(["**What-if run (`--freeze-players`)**: the players' audio was sent once and never again, as if "
                "players loaded their sound only when pressed. Not what a student gets today.", ""]
               if args.freeze_players else []),
             "| lesson | explorer | slider | before: median (p90) ms | **after: median** | p90 | max | stalls > "
             f"{STALL_MS:.0f} ms | burst: longest wait | target | kept | shown ahead | jumps: median | p90 | max | kept | "
             "jumps: target | kernel: frame ready (median) | kernel CPU compute+draw | "
             "transport + front end | players re-sent | load 1 min (before → after) |",
             "|---|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|"]
    for r in rows:
        if "error" in r:
            error = " ".join(r["error"].split()).replace("|", "\\|")
            lines.append(f"| {r['lesson']} | {r['explorer']} | – | {BEFORE.get(r['lesson'], '–')} | "
                         f"**error**: {error} |" + " |" * 17)
            continue
        verdict = "met" if r["met"] else "**NOT met**"
        jump_verdict = "–" if "jump_met" not in r else ("met" if r["jump_met"] else "**NOT met**")
        jumps_missing = f" ({r['jump_no_picture']} without a picture)" if r.get("jump_no_picture") else ""
        transport = r["median"] - r["k_frame"] if "k_frame" in r else float("nan")
        missing = f" ({r['no_picture']} without a picture)" if r["no_picture"] else ""
        lines.append(
            f"| {r['lesson']} | `{r['explorer']}` | {r['slider']} | {BEFORE.get(r['lesson'], '–')} | "
            f"**{r['median']:.0f}** | {r['p90']:.0f} | {r['max']:.0f} | {r['stalls']}{missing} | "
            f"{_f(r.get('burst_longest_ms'))}{' (stall)' if r['burst_stall'] else ''} | {verdict} | "
            f"{r.get('kept', '?')} of {r.get('k_updates', '?')} | {r.get('ahead', '?')} of {len(r['latency'])} | "
            f"{_f(r.get('jump_median'))}{jumps_missing} | "
            f"{_f(r.get('jump_p90'))} | {_f(r.get('jump_max'))} | {r.get('jump_kept', '–')} of "
            f"{len(r.get('kernel_jumps', []))} | {jump_verdict} | {_f(r.get('k_frame'))} | {_f(r.get('k_cpu_compute_draw'))} | "
            f"{_f(transport)} | {r.get('players_sent', '?')} of {r.get('k_updates', '?')} | "
            f"{r['load'][0]:.1f} → {r['load'][1]:.1f} |")
    busy = max([meta["load_before"][0], meta["load_after"][0]] + [x for r in rows for x in r.get("load", ())])
    if busy > 0.5 * (os.cpu_count() or 1):
        why = ("from the processes the benchmark kept spinning and other work" if meta.get("busy_cores")
               else "from other work")
        then = ("this is the run under load on purpose" if meta.get("busy_cores")
                else "re-run on an idle machine for the verdict")
        lines += ["", f"**The machine was busy** (1-minute load average up to {busy:.1f} on {os.cpu_count()} CPUs, "
                  f"{why}): the kernel, the JupyterLab server and Chromium waited for a core, so these numbers are "
                  "pessimistic; compare *kernel CPU* with *kernel: frame ready* (wall clock) to see how much; "
                  f"{then}."]
    timed = [r for r in rows if "error" not in r]
    missed = [f"{r['lesson']} `{r['explorer']}`" for r in timed if not r["met"]]
    jumps_missed = [f"{r['lesson']} `{r['explorer']}`" for r in timed if r.get("jump_met") is False]
    failed = [f"{r['lesson']} {r['explorer']}" for r in rows if "error" in r]
    lines += ["", (f"Target **met** by all {len(timed)} explorers measured." if timed and not missed and not failed
                   else f"Target **NOT met** by {len(missed)} of {len(timed)} explorers: {', '.join(missed) or 'none'}"
                   + (f"; not measured (error): {', '.join(failed)}" if failed else "") + "."), ""]
    if any("jump_met" in r for r in timed):
        lines += [(f"Jumps (clicks on the track, nothing prepared): target **NOT met** by {len(jumps_missed)} of "
                   f"{sum('jump_met' in r for r in timed)}: {', '.join(jumps_missed)}." if jumps_missed else
                   "Jumps (clicks on the track, nothing prepared): target **met** by every explorer measured."), ""]

    lines += ["## Where the time goes (kernel side, median ms per update of the paced presses)", "",
              "From `Explorer.last_timing` in the kernel (wall clock; *CPU* is the kernel's process time) and the "
              "page's timestamps. The frame is sent after compute + draw + encode; *players* (the fingerprint of "
              "the clips and, only when a clip changed, encoding the audio) comes after it. *key -> frame "
              "arrived*: the <img> got the new frame; *decode*: until its load event; *key -> kernel starts*: "
              "until `update()` began in the kernel (front end, server, kernel message loop; same clock). "
              "*players re-sent*: updates "
              "whose player HTML was sent again (kernel); *player tables redrawn*: presses after which the page "
              "re-built the player table.", "",
              "| lesson | explorer | compute | draw | encode | players | kernel total | CPU compute+draw | "
              "compute+draw+encode when not kept | frame (kB) | key -> kernel starts | key -> frame arrived | decode (load - arrived) | pictures decoded per press | "
              "player table (kB) | players re-sent | player tables redrawn (key -> redrawn, median) |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in timed:
        lines.append(f"| {r['lesson']} | `{r['explorer']}` | {_f(r.get('k_compute'), '{:.1f}')} | "
                     f"{_f(r.get('k_draw'), '{:.1f}')} | {_f(r.get('k_encode'), '{:.1f}')} | "
                     f"{_f(r.get('k_players'), '{:.1f}')} | {_f(r.get('k_total'), '{:.1f}')} | "
                     f"{_f(r.get('k_cpu_compute_draw'), '{:.1f}')} | {_f(r.get('k_fresh_frame'), '{:.1f}')} | "
                     f"{_f(r.get('frame_kb'), '{:.0f}')} | "
                     f"{_f(r.get('inbound'))} | {r['median_arrived']:.0f} | {r['median'] - r['median_arrived']:.0f} | "
                     f"{r['decodes_per_press']:.1f} | "
                     f"{_f(r.get('players_kb'), '{:.0f}')} | {r.get('players_sent', '?')} of "
                     f"{r.get('k_updates', '?')} | {r['players_changes']} "
                     f"({_f(r['median_players_ms'])} ms) |")
    lines += ["", f"## Rapid burst ({args.burst} presses {args.burst_gap_ms} ms apart, alternating direction)", "",
              "ipywidgets sends a slider's value only after the kernel finished the previous one, so presses are "
              "merged: *pictures* is how many arrived; *settle* is last press -> last picture (0: the last value "
              "was on screen already); *max gap* is the "
              "longest wait for a new picture while a press was unanswered (a stall if over "
              f"{STALL_MS:.0f} ms). *Longest wrong picture* is what the student sees: the longest time the visible "
              "picture showed another value than the slider's readout (from the pictures' `specmask-at-*` tags; a "
              "press back to the value on screen ends it). The verdict takes the longer of the two.", "",
              "| lesson | explorer | presses | pictures | settle (ms) | max gap (ms) | longest wrong picture (ms) "
              "| kernel updates |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in timed:
        b = r["burst"]
        flag = "" if b.get("settled", True) else " (did not settle)"
        lines.append(f"| {r['lesson']} | `{r['explorer']}` | {b['presses']} | {b['pictures']}{flag} | "
                     f"{_f(b.get('settle_ms'))} | {_f(b.get('max_gap_ms'))} | {_f(b.get('wrong_picture_ms'))} | "
                     f"{len(r.get('kernel_burst', []))} |")
    lines.append("")
    if getattr(args, "notes", None):
        lines += ["## Notes", "", *args.notes, ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    print("wrote", path)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", nargs="*", default=None, help="two-digit lesson numbers (default: 00-06)")
    parser.add_argument("--presses", type=int, default=30, help="paced key presses per explorer (default 30)")
    parser.add_argument("--pause-ms", type=int, default=250, help="pause after each new picture (default 250)")
    parser.add_argument("--run", type=int, default=10, help="paced presses one way before turning about (default "
                        "10; also turned about at an end of the slider)")
    parser.add_argument("--jumps", type=int, default=len(JUMP_POSITIONS), help="clicks on the slider's track at "
                        f"new places after the paced presses (default and at most {len(JUMP_POSITIONS)}; 0: none)")
    parser.add_argument("--burst", type=int, default=11, help="presses in the rapid burst (default 11, odd so the "
                        "value ends away from where it started; 0: none)")
    parser.add_argument("--burst-gap-ms", type=int, default=60, help="time between burst presses (default 60)")
    parser.add_argument("--timeout-s", type=float, default=10.0, help="longest wait for a picture (default 10)")
    parser.add_argument("--run-timeout-s", type=float, default=600.0, help="longest Run All Cells (default 600)")
    parser.add_argument("--all-sliders", action="store_true", help="measure every enabled slider, not the first")
    parser.add_argument("--freeze-players", action="store_true",
                        help="what-if: never re-send the players' audio after the first update (not what a student "
                             "gets; shows what re-sending costs)")
    parser.add_argument("--busy-cores", type=int, default=0, help="keep this many processes spinning on the CPU "
                        "while measuring, for a known load (default 0)")
    parser.add_argument("--raw", type=Path, default=None, help="also write every row's raw record as JSON here")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"the Markdown file (default {RESULTS})")
    args = parser.parse_args(argv)
    if args.presses < 1:
        parser.error("--presses must be at least 1")
    if args.run < 1:
        parser.error("--run must be at least 1")
    if not 0 <= args.busy_cores <= 2 * (os.cpu_count() or 1):
        parser.error(f"--busy-cores must be between 0 and {2 * (os.cpu_count() or 1)}")
    if not 0 <= args.jumps <= len(JUMP_POSITIONS):
        parser.error(f"--jumps must be between 0 and {len(JUMP_POSITIONS)}")
    return args


def main(argv=None):
    args = parse_args(argv)
    rows, meta = run(args)
    write_markdown(rows, meta, args, args.output)
    if args.raw is not None:  # every timestamp, for a closer look at one run
        args.raw.write_text(json.dumps(rows, indent=1, default=str))
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
