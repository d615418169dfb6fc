"""A throwaway JupyterLab server and the page actions a student performs, for tests/test_browser.py.

Nothing here touches the developer's own Jupyter setup: the server gets temporary config, data,
runtime, settings and workspace directories, serves a *copy* of the notebooks (running cells in the
browser must never write outputs into the repository), listens on 127.0.0.1 only, needs a token,
and is shut down through its REST API; any kernel process still alive afterwards is reported.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
APT_INSTALL = "apt-get install -y --no-install-recommends chromium"

# JupyterLab settings for the test server (written as overrides.json in a temporary app settings dir).
# (No "Would you like to get notified about official Jupyter news?" prompt and no update check: that comes
# from the settings file the package ships, SHIPPED_LAB_SETTINGS, put where pip installs it, overrides.d/.)
SHIPPED_LAB_SETTINGS = Path(__file__).resolve().parents[1] / "specmask_edu" / "_lab" / "specmask_edu.json"
LAB_OVERRIDES = {
    # Keep every cell in the DOM (the default windowing drops or hides cells that are off screen).
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    # Never write back into the served copy while the test runs.
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}

ERROR_RE = re.compile(r"Traceback|^\w*(Error|Exception)\b|\w+Error: ", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    """All descendants of ``pid`` (Linux /proc), so teardown can prove nothing was left behind."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class LabServer:
    """A JupyterLab server serving a copy of ``notebooks`` under ``<root>/notebooks``."""

    workdir: Path
    notebooks: list[Path]
    env_extra: dict = field(default_factory=dict)
    port: int = 0
    token: str = ""
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def notebook_url(self, name: str) -> str:
        # A fresh workspace per page (``reset``) so no earlier notebook is reopened with its kernel.
        return f"{self.url}/lab/tree/notebooks/{name}?reset&token={self.token}"

    def start(self, timeout: float = 90.0) -> "LabServer":
        root = self.workdir / "root"
        (root / "notebooks").mkdir(parents=True)
        for nb in self.notebooks:
            shutil.copy2(nb, root / "notebooks" / nb.name)
        dirs = {name: self.workdir / name for name in ("config", "data", "runtime", "app_settings", "user_settings", "workspaces")}
        for d in dirs.values():
            d.mkdir()
        (dirs["app_settings"] / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2))
        (dirs["app_settings"] / "overrides.d").mkdir()
        shutil.copy2(SHIPPED_LAB_SETTINGS, dirs["app_settings"] / "overrides.d" / SHIPPED_LAB_SETTINGS.name)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        env = dict(os.environ)
        # Tests force the Agg backend; the kernel must use the inline backend a student gets.
        env.pop("MPLBACKEND", None)
        env.update(
            JUPYTER_CONFIG_DIR=str(dirs["config"]),
            JUPYTER_DATA_DIR=str(dirs["data"]),
            JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
            SPECMASK_FAST="1",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.env_extra)
        cmd = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.app_settings_dir={dirs['app_settings']}",
            f"--LabApp.user_settings_dir={dirs['user_settings']}",
            f"--LabApp.workspaces_dir={dirs['workspaces']}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        self.log_path = self.workdir / "jupyterlab.log"
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.proc.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, n: int = 40) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def api(self, method: str, path: str, body: dict | None = None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Authorization", f"token {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def shutdown_kernels(self) -> None:
        """Stop every kernel (after each notebook, so the next one has both cores)."""
        for session in self.api("GET", "/api/sessions") or []:
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels") or []:
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def stop(self, timeout: float = 30.0) -> list[str]:
        """Shut the server down cleanly; return a description of processes that had to be killed."""
        if self.proc is None:
            return []
        proc, self.proc = self.proc, None
        if proc.poll() is not None:
            return []
        descendants = _children(proc.pid)
        try:
            self.api("POST", "/api/shutdown")
        except (urllib.error.URLError, ConnectionError, OSError):
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        leftovers = []
        for pid in descendants:
            if _alive(pid):
                try:
                    cmdline = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ").strip()
                except OSError:
                    continue
                leftovers.append(f"{pid}: {cmdline}")
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        return leftovers


# --------------------------------------------------------------------------------------------------
# Page actions (Playwright sync API). JS snippets read the DOM JupyterLab 4 renders.

JS_KERNEL_STATUS = """() => {
  const el = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
  return el ? el.getAttribute('data-status') : null;
}"""

# The indicator reads 'idle' before any kernel exists; the status bar names the kernel once it is
# connected ("Python 3 (ipykernel) | Idle" rather than "No Kernel | Initializing").
JS_KERNEL_READY = r"""() => {
  const el = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
  const bar = document.querySelector('.jp-StatusBar-Widget');
  return !!el && el.getAttribute('data-status') === 'idle' && !!bar
      && /^(?!No Kernel).+ \| Idle$/m.test(bar.innerText);
}"""

# 'done' when every non-empty code cell shows an execution count and the kernel is idle,
# 'error' when a cell raised (JupyterLab then stops running the cells below it), else null.
JS_RUN_STATE = r"""() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const idle = ind && ind.getAttribute('data-status') === 'idle';
  const cells = [...panel.querySelectorAll('.jp-CodeCell')];
  let pending = 0;
  for (const c of cells) {
    const src = c.querySelector('.jp-InputArea-editor .cm-content');
    if (src && src.textContent.trim() === '') continue;
    const p = c.querySelector('.jp-InputPrompt');
    if (!p || !/\[\d+\]/.test(p.textContent)) pending += 1;
  }
  const err = [...panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .some(o => /Traceback|\w+Error: /.test(o.textContent));
  if (idle && err) return 'error';
  if (idle && pending === 0 && cells.length > 0) return 'done';
  return null;
}"""

JS_STDERR = """() => [...document.querySelectorAll(
  '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
  .map(o => o.textContent)"""

JS_WIDGETS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const text = panel.innerText;
  return {
    widgets: panel.querySelectorAll('.jp-OutputArea-output .jupyter-widgets').length,
    sliders: panel.querySelectorAll('.jp-OutputArea-output .widget-slider').length,
    loading: (text.match(/Loading widget\\.\\.\\./g) || []).length,
    failed: (text.match(/Error displaying widget[^\\n]*/g) || []),
    plain: [...panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="text/plain"]')]
        .map(o => o.textContent).filter(t => /^(interactive|\\w+Slider|VBox|HBox)\\(/.test(t.trim())),
  };
}"""

JS_IMAGES = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img')]
  .map(i => ({src: i.src.slice(0, 40), complete: i.complete, w: i.naturalWidth, h: i.naturalHeight,
              alt: i.getAttribute('alt') || i.getAttribute('title') || ''}))"""

# Every <audio> in the outputs: where its sound comes from and whether the browser can play it.
JS_AUDIO = """async () => {
  const els = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output audio')];
  const wait = (a) => new Promise((resolve) => {
    if (a.readyState >= 1 || a.error) return resolve();
    const done = () => resolve();
    a.addEventListener('loadedmetadata', done, {once: true});
    a.addEventListener('error', done, {once: true});
    setTimeout(done, 15000);
    if (a.networkState === HTMLMediaElement.NETWORK_EMPTY) a.load();
  });
  await Promise.all(els.map(wait));
  return els.map(a => {
    const src = a.currentSrc || a.getAttribute('src') || (a.querySelector('source') || {}).src || '';
    const type = (a.querySelector('source') || {}).type || 'audio/wav';
    const m = /^data:([^;,]+)(;base64)?,(.*)$/s.exec(src);
    return {
      kind: src.startsWith('blob:') ? 'blob' : (m ? 'data' : (src ? 'url' : 'none')),
      mime: m ? m[1] : type,
      payload: m ? m[3].length : null,
      duration: a.duration,
      error: a.error ? a.error.code : null,
      canPlay: a.canPlayType(m ? m[1] : type),
    };
  });
}"""

# A fingerprint of every image in one element: SHA-256 of the bytes behind data: and blob: URLs.
JS_IMAGE_FINGERPRINT = """async (root) => {
  const out = [];
  // the pictures an explorer's box holds hidden (sent ahead by the kernel, shown by a key press) are left out
  for (const img of root.querySelectorAll('img:not(.specmask-ahead)')) {
    let bytes;
    try { bytes = await (await fetch(img.src)).arrayBuffer(); } catch (e) { out.push('unreadable:' + img.src.slice(0, 30)); continue; }
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    out.push([...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join(''));
  }
  return out.join(',');
}"""


def open_notebook(page, server: LabServer, name: str, timeout_ms: float = 90_000) -> None:
    page.goto(server.notebook_url(name), wait_until="domcontentloaded")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=timeout_ms)
    page.wait_for_function(JS_KERNEL_READY, timeout=timeout_ms, polling=200)


def run_all_cells(page, timeout_ms: float) -> str:
    """Run > Run All Cells from the menu bar, then wait until the run is over ('done' or 'error')."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    handle = page.wait_for_function(f"({JS_RUN_STATE})", timeout=timeout_ms, polling=250)
    return handle.json_value()


def wait_for_widgets(page, timeout_ms: float = 30_000) -> dict:
    """Wait until no widget says 'Loading widget...' (or the timeout), then report what rendered."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        info = page.evaluate(JS_WIDGETS)
        if info["loading"] == 0 or time.monotonic() > deadline:
            return info
        page.wait_for_timeout(250)


def cell_of(locator):
    return locator.locator("xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' jp-Cell ')][1]")


def image_fingerprint(page, element) -> str:
    return page.evaluate(JS_IMAGE_FINGERPRINT, element.element_handle())


def error_texts(page) -> list[str]:
    return [t for t in page.evaluate(JS_STDERR) if ERROR_RE.search(t)]


# --------------------------------------------------------------------------------------------------
# axe-core (bundled by axe-playwright-python): accessibility violations, split into the course's own
# content and JupyterLab's interface.

SERIOUS = ("serious", "critical")

# Where the course's content is on a page: outputs of cells and rendered Markdown (JupyterLab and the HTML
# edition use the same classes). Everything else on a JupyterLab page is JupyterLab's own interface.
CONTENT_SELECTOR = ".jp-OutputArea-output, .jp-RenderedMarkdown, .jp-MarkdownOutput"

# Serious or critical rules that fire on JupyterLab's own interface (menus, tabs, toolbars, the code editor),
# which the course cannot change: listed by rule id with the reason, excluded from the verdict, and reported.
# A rule that fires on JupyterLab's interface but is not listed here fails the test, so nothing is hidden.
JUPYTERLAB_UI_RULES = {
    # seen with JupyterLab 4.6 on lessons 00 and 04 (axe-core 4.12):
    "aria-input-field-name": "CodeMirror's code editor of every code cell (div.cm-content role=textbox) has no "
                             "accessible name",
    "aria-allowed-attr": "aria-pressed on JupyterLab's toolbar buttons (jp-button), e.g. the file browser's "
                         "'Upload Files'",
    "aria-required-children": "the notebook's cell list (role=feed) holds cells that are not role=article",
    "scrollable-region-focusable": "CodeMirror's scroller (div.cm-scroller, tabindex=-1) of code cells whose lines "
                                   "are wider than the cell",
    "button-name": "the empty 'collapse heading' button JupyterLab puts before every Markdown heading",
    # further JupyterLab interface rules that axe may report depending on what is open:
    "color-contrast": "JupyterLab's light theme (status bar, prompts, line numbers, syntax colours)",
    "nested-interactive": "JupyterLab's tabs and toolbar items nest focusable elements",
    "aria-required-parent": "Lumino tabs and menu items outside the role structure axe expects",
}

_JS_IN_CONTENT = """(targets) => targets.map(t => {
  let el = null;
  try { el = document.querySelector(t); } catch (e) { return null; }
  return el ? !!el.closest(arguments_selector) : null;
})"""


def axe_violations(page, content_selector: str = CONTENT_SELECTOR) -> dict:
    """Run axe-core on the page; return ``{"content": {rule: [node html...]}, "ui": {rule: count},
    "ui_examples": {rule: node html}, "counts": {impact: nodes}}`` for the serious and critical violations,
    nodes split by whether they lie in the course's content (``content_selector``) or elsewhere (JupyterLab's
    interface); ``counts`` has every impact."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    content, ui, counts, examples = {}, {}, {}, {}
    js = _JS_IN_CONTENT.replace("arguments_selector", repr(content_selector))
    for violation in results["violations"]:
        counts[violation["impact"]] = counts.get(violation["impact"], 0) + len(violation["nodes"])
        if violation["impact"] not in SERIOUS:
            continue
        targets = [node["target"][0] if isinstance(node["target"][0], str) else "" for node in violation["nodes"]]
        inside = page.evaluate(js, targets)
        for node, is_content in zip(violation["nodes"], inside):
            if is_content is False:
                ui[violation["id"]] = ui.get(violation["id"], 0) + 1
                examples.setdefault(violation["id"], node["html"][:160])
            else:  # in the content, or not locatable: counted against the course
                content.setdefault(violation["id"], []).append(node["html"][:160])
    return {"content": content, "ui": ui, "counts": counts, "ui_examples": examples}
