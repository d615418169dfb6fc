"""The lessons as a student meets them: real JupyterLab in (headless) Chromium.

Headless kernel tests cannot see a widget that fails to render, an audio player that is missing or
a figure that does not decode. Here one JupyterLab server (module-scoped) serves a copy of the
notebooks; for each lesson a fresh page opens it, waits for the kernel to read Idle, runs
Run > Run All Cells from the menu bar and checks what is on the page: no error output, rendered
widgets, playable <audio> players and decoded figures. In lessons 01-05 a slider of an explorer is
moved with the keyboard and the explorer's figure must change.

Screenshots for a person to look at go to tests/_artifacts/browser/ (gitignored).

Needs Debian's Chromium (``apt-get install -y --no-install-recommends chromium``); never
``playwright install``. Without it the tests skip locally and fail in CI (CI=true).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from _jupyterlab import (
    JUPYTERLAB_UI_RULES,
    JS_AUDIO,
    JS_IMAGE_FINGERPRINT,
    JS_IMAGES,
    LabServer,
    cell_of,
    error_texts,
    open_notebook,
    run_all_cells,
    axe_violations,
    wait_for_widgets,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
# SPECMASK_NOTEBOOK_DIR points the test at another folder of lessons (used while developing it).
NOTEBOOK_DIR = Path(os.environ.get("SPECMASK_NOTEBOOK_DIR", REPO / "notebooks"))
# 07 (training) is executed headlessly by the notebook tests and the HTML edition; here it is
# left out because even with SPECMASK_FAST=1 it adds training time without new browser behaviour.
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("0[0-6]_*.ipynb"))
SLIDER_LESSONS = {"01", "02", "03", "04", "05"}
ARTIFACTS = REPO / "tests" / "_artifacts" / "browser"
RUN_TIMEOUT_MS = 240_000
SLIDER_TIMEOUT_S = 30.0


def test_lessons_are_found():
    """Guard: an empty glob would otherwise parametrize the browser test away silently."""
    assert NOTEBOOKS, f"no lesson notebooks matching 0[0-6]_*.ipynb in {NOTEBOOK_DIR}"


@pytest.fixture(scope="module")
def lab(chromium, tmp_path_factory):
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # only this run's screenshots
    server = LabServer(workdir=tmp_path_factory.mktemp("jupyterlab"), notebooks=NOTEBOOKS).start()
    yield server
    leftovers = server.stop()
    assert not leftovers, "JupyterLab left processes behind (killed now):\n" + "\n".join(leftovers)


@pytest.fixture
def page(browser, lab):
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    pg.page_errors = []
    pg.on("pageerror", lambda exc: pg.page_errors.append(str(exc)))
    try:
        yield pg
    finally:
        context.close()
        lab.shutdown_kernels()


def _shot(target, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    target.screenshot(path=str(path))
    return path


def _slider_value(slider) -> str:
    readout = slider.locator(".widget-readout")
    return readout.first.inner_text().strip() if readout.count() else ""


def _move_slider_and_watch_figure(page, stem: str) -> str:
    """Move the first explorer slider whose cell shows a figure; return a description of the move."""
    sliders = page.locator(".jp-OutputArea-output .widget-slider")
    tried = []
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        cell = cell_of(slider)
        if cell.locator(".jp-OutputArea-output img").count() == 0:
            tried.append(f"slider {i}: no figure in its cell")
            continue
        handle = slider.locator(".noUi-handle").first
        handle.scroll_into_view_if_needed()
        _shot(cell, f"{stem}_explorer_before")
        before_value = _slider_value(slider)
        before = cell.evaluate(JS_IMAGE_FINGERPRINT)
        handle.focus()
        for key in ("ArrowRight", "ArrowLeft"):
            for _ in range(3):
                page.keyboard.press(key)
            page.wait_for_timeout(100)
            if _slider_value(slider) != before_value:
                break
        after_value = _slider_value(slider)
        if after_value == before_value:
            tried.append(f"slider {i}: keyboard did not change its value ({before_value!r})")
            continue
        deadline = time.monotonic() + SLIDER_TIMEOUT_S
        after = before
        while time.monotonic() < deadline:
            page.wait_for_timeout(250)
            after = cell.evaluate(JS_IMAGE_FINGERPRINT)
            if after != before and after.count(",") == before.count(",") and "unreadable" not in after:
                break
        page.wait_for_timeout(300)
        _shot(cell, f"{stem}_explorer_after")
        assert after != before, (
            f"{stem}: moved slider {i} from {before_value} to {after_value} but the figure in its cell "
            f"did not change within {SLIDER_TIMEOUT_S:.0f} s"
        )
        return f"slider {i}: {before_value} -> {after_value}"
    pytest.fail(f"{stem}: no explorer slider with a figure could be moved: {tried or 'no sliders at all'}")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_runs_in_jupyterlab(notebook, page, lab):
    stem = notebook.stem
    open_notebook(page, lab, notebook.name)
    _shot(page, f"{stem}_0_opened")
    t0 = time.monotonic()
    state = run_all_cells(page, timeout_ms=RUN_TIMEOUT_MS)
    run_seconds = time.monotonic() - t0

    errors = error_texts(page)
    if errors:
        failing = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]', has_text=re.compile(r"Traceback|Error: ")).first
        failing.scroll_into_view_if_needed()
        _shot(page, f"{stem}_error")
    assert state == "done" and not errors, f"{stem}: Run All Cells ended with '{state}':\n" + "\n---\n".join(e[-3000:] for e in errors)

    widgets = wait_for_widgets(page)
    images = page.evaluate(JS_IMAGES)
    audio = page.evaluate(JS_AUDIO)
    page.locator(".jp-Cell").first.scroll_into_view_if_needed()
    _shot(page, f"{stem}_1_top")
    first_widget = page.locator(".jp-OutputArea-output .jupyter-widgets").first
    if first_widget.count():
        first_widget.scroll_into_view_if_needed()
        _shot(page, f"{stem}_2_first_widget")

    # Widgets rendered by the widget manager, not shown as text or as an error box.
    assert not widgets["failed"], f"{stem}: widgets failed to render: {widgets['failed']} (page errors: {page.page_errors[:3]})"
    assert widgets["loading"] == 0, f"{stem}: {widgets['loading']} widget(s) still 'Loading widget...'"
    assert not widgets["plain"], f"{stem}: widgets shown as plain text (widget extension missing?): {widgets['plain'][:3]}"
    assert widgets["widgets"] > 0, f"{stem}: no rendered ipywidgets in the outputs (page errors: {page.page_errors[:3]})"

    # Figures present and decoded.
    assert images, f"{stem}: no figure (<img>) in any output"
    broken = [im for im in images if not (im["complete"] and im["w"] > 0 and im["h"] > 0)]
    assert not broken, f"{stem}: {len(broken)} figure(s) did not decode: {broken[:3]}"

    # Audio players with a real, playable source.
    assert audio, f"{stem}: no <audio> player in any output"
    unplayable = [
        a for a in audio
        if a["kind"] not in ("data", "blob")
        or (a["kind"] == "data" and not a["payload"])
        or a["error"] is not None
        or not a["canPlay"]
    ]
    assert not unplayable, f"{stem}: {len(unplayable)} of {len(audio)} player(s) cannot play: {unplayable[:3]}"
    assert any(a["duration"] and a["duration"] > 0 for a in audio), f"{stem}: no player reports a duration > 0: {audio[:3]}"

    if stem[:2] in SLIDER_LESSONS:
        moved = _move_slider_and_watch_figure(page, stem)
        errors = error_texts(page)
        assert not errors, f"{stem}: error output after moving a slider ({moved}):\n" + "\n---\n".join(e[-3000:] for e in errors)

    # Accessible: no news pop-up over the lesson (the shipped settings), every figure with a text alternative,
    # every player named, and axe-core finds no serious or critical violation in the course's own content.
    assert "official Jupyter news" not in page.inner_text("body"), f"{stem}: the Jupyter news pop-up is shown"
    no_alt = [im["src"] for im in images if not im.get("alt")]
    assert not no_alt, f"{stem}: {len(no_alt)} of {len(images)} figures without alt text: {no_alt[:3]}"
    page.locator(".jp-Cell").first.scroll_into_view_if_needed()
    found = axe_violations(page)
    unknown_ui = sorted(set(found["ui"]) - set(JUPYTERLAB_UI_RULES))
    print(f"{stem}: axe serious/critical: content {({k: len(v) for k, v in found['content'].items()})}, "
          f"JupyterLab UI (excluded) {found['ui']}; all impacts {found['counts']}")
    assert not found["content"], f"{stem}: axe violations in the course's content: " + "; ".join(
        f"{rule} x{len(nodes)} e.g. {nodes[0]}" for rule, nodes in found["content"].items())
    assert not unknown_ui, f"{stem}: axe rules firing on JupyterLab's interface that are not listed (with a reason) " \
                           f"in JUPYTERLAB_UI_RULES: {unknown_ui}"

    print(f"{stem}: ran in {run_seconds:.1f} s; {widgets['widgets']} widgets, {len(images)} figures, {len(audio)} players")
