"""The lessons in the Notebook 7 interface (``jupyter notebook``), as a student who prefers it meets them.

The same server setup and page actions as tests/test_browser.py (tests/_jupyterlab.py), with the server
started as Notebook 7 (``python -m notebook``) instead of JupyterLab: a lesson opens at
``/notebooks/<path>``, Run > Run All Cells runs it, and the page must show no error, rendered widgets,
decoded figures and playable players. (Moving a slider and watching the figure redraw is checked in
JupyterLab only: Notebook 7 scrolls its page differently and the keyboard-driven slider test does not reach
the handle there yet.)
Lesson 02 is run (every view: a player table, explorers, a static figure, the upload button); JupyterLab
runs every lesson in tests/test_browser.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import _jupyterlab
from _jupyterlab import JS_AUDIO, JS_IMAGES, LabServer, error_texts, run_all_cells, wait_for_widgets

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
LESSONS = [REPO / "notebooks" / "02_real_masks.ipynb"]
ARTIFACTS = REPO / "tests" / "_artifacts" / "notebook7"

# Ready: the kernel is connected (its name shows, not "No Kernel") and idle.
JS_NB7_READY = r"""() => {
  const ind = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
  const name = document.querySelector('.jp-KernelName');
  return !!ind && ind.getAttribute('data-status') === 'idle' && !!name && !/No Kernel/.test(name.textContent);
}"""


class Notebook7Server(LabServer):
    """tests/_jupyterlab.py's throwaway server, started as Notebook 7 instead of JupyterLab."""

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/notebooks/notebooks/{name}?token={self.token}"

    def start(self, timeout: float = 90.0) -> "Notebook7Server":
        real_popen = _jupyterlab.subprocess.Popen

        def popen(cmd, **kwargs):
            i = cmd.index("jupyterlab")
            cmd = cmd[:i] + ["notebook"] + [
                a.replace("--LabApp.", "--JupyterNotebookApp.") for a in cmd[i + 1:] if "check_for_updates" not in a]
            return real_popen(cmd, **kwargs)

        _jupyterlab.subprocess.Popen = popen
        try:
            return super().start(timeout)
        finally:
            _jupyterlab.subprocess.Popen = real_popen


def test_notebook7_is_installed():
    import notebook

    assert int(notebook.__version__.split(".")[0]) == 7, notebook.__version__


@pytest.fixture(scope="module")
def nb7(chromium, tmp_path_factory):
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    server = Notebook7Server(workdir=tmp_path_factory.mktemp("notebook7"), notebooks=LESSONS).start()
    yield server
    leftovers = server.stop()
    assert not leftovers, "Notebook 7 left processes behind (killed now):\n" + "\n".join(leftovers)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_in_notebook7(lesson, nb7, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(nb7.notebook_url(lesson.name), wait_until="domcontentloaded")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        assert "/notebooks/" in page.url and not page.locator("#jp-main-dock-panel .jp-FileBrowser").count()
        page.wait_for_function(JS_NB7_READY, timeout=90_000, polling=200)
        state = run_all_cells(page, timeout_ms=300_000)
        errors = error_texts(page)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{lesson.stem}.png"))
        assert state == "done" and not errors, f"Run All Cells ended with '{state}':\n" + "\n---\n".join(errors)

        widgets = wait_for_widgets(page)
        assert widgets["widgets"] > 0 and not widgets["failed"] and widgets["loading"] == 0 and not widgets["plain"], widgets
        images = page.evaluate(JS_IMAGES)
        assert images and all(im["complete"] and im["w"] > 0 for im in images), images[:3]
        audio = page.evaluate(JS_AUDIO)
        assert audio and all(a["error"] is None and a["canPlay"] for a in audio), audio[:3]
        assert page.locator(".jp-OutputArea-output .widget-upload").count() >= 1, "the upload button is missing"
    finally:
        context.close()
        nb7.shutdown_kernels()
