"""The HTML edition (specmask_edu/edition/, ``specmask-edu html``): executed static pages of every
lesson with embedded figures and audio players, and an index that links them all."""

from __future__ import annotations

import base64
import os
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from specmask_edu import SpecmaskInputError
from specmask_edu.edition import build_html_edition, lesson_info

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


class _Page(HTMLParser):
    """Collects <img>, <audio>/<source> and <a> elements (script contents are not parsed as tags,
    so the widget state JSON does not count)."""

    def __init__(self):
        super().__init__()
        self.images, self.audio, self.links, self.scripts = [], [], [], []
        self.shared = {}  # data-specmask-id -> src of a clip that later players refer to
        self._audio = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs.get("src") or "")
        elif tag == "audio":
            self._audio = [attrs["src"]] if attrs.get("src") else []
            self.audio.append(self._audio)
        elif tag == "source" and self._audio is not None:
            if attrs.get("data-specmask-id") is not None:
                self.shared[attrs["data-specmask-id"]] = attrs.get("src") or ""
            if attrs.get("data-specmask-ref") is not None:
                self._audio.append(("ref", attrs["data-specmask-ref"]))
            else:
                self._audio.append(attrs.get("src") or "")
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "script":
            self.scripts.append(attrs.get("type") or "")

    def handle_endtag(self, tag):
        if tag == "audio":
            self._audio = None


_WIDGET_STATE_RE = re.compile(r'<script type="application/vnd.jupyter.widget-state\+json">.*?</script>', re.S)


def _widget_state_text(page_html: str) -> str:
    """The saved widget state of a page as JSON text (nbconvert escapes "/" as "\\/")."""
    import json

    match = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', page_html, re.S)
    assert match, "no widget state in the page"
    return json.dumps(json.loads(match.group(1)))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _payload(src: str, prefix: str) -> bytes:
    assert src.startswith(prefix), src[:60]
    return base64.b64decode(src[len(prefix):], validate=True)


def test_lessons_exist():
    assert NOTEBOOKS, "no lesson notebooks in notebooks/"


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    pages = build_html_edition(out, notebooks=REPO / "notebooks", log=None)
    return out, pages


def test_one_page_per_lesson_and_an_index(edition):
    out, pages = edition
    assert [p.notebook.name for p in pages] == [nb.name for nb in NOTEBOOKS]
    assert sorted(f.name for f in out.glob("*.html")) == sorted([f"{nb.stem}.html" for nb in NOTEBOOKS] + ["index.html"])


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_page_has_figures_and_players(edition, notebook):
    out, _ = edition
    page = _parse(out / f"{notebook.stem}.html")
    figures = [src for src in page.images if src.startswith(("data:image/png;base64,", "data:image/webp;base64,"))]
    assert figures, f"{notebook.stem}: no embedded figure"
    for src in figures:
        data = _payload(src, src.split(",")[0] + ",")
        assert data.startswith(b"\x89PNG") or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"), \
            f"{notebook.stem}: a figure is neither PNG nor WebP"
    assert page.audio, f"{notebook.stem}: no <audio> player"
    for sources in page.audio:
        # a repeated clip refers to its first copy (edition.compact_media); resolve the reference
        sources = [page.shared.get(src[1], "") if isinstance(src, tuple) else src for src in sources]
        flacs = [s for s in sources if s.startswith("data:audio/flac;base64,")]
        assert flacs, f"{notebook.stem}: a player has no embedded audio: {[s[:40] for s in sources]}"
        data = _payload(flacs[0], "data:audio/flac;base64,")
        assert data[:4] == b"fLaC" and len(data) > 100, f"{notebook.stem}: empty or broken FLAC"
    text = text_of(out / f"{notebook.stem}.html")
    assert "data:audio/wav" not in text, "a WAV was left un-compacted"
    # the explorers' players in the saved widget state: FLAC too, and every shared clip resolves
    state = _widget_state_text(text)
    assert "audio/wav" not in state, "a WAV in the widget state was left un-compacted"
    ids = set(page.shared) | set(re.findall(r'data-specmask-id=\\"(\d+)\\"', state))
    refs = set(re.findall(r'data-specmask-ref=\\"(\d+)\\"', state))
    assert refs <= ids, f"{notebook.stem}: widget players refer to missing clips {sorted(refs - ids)}"
    assert "index.html" in page.links, f"{notebook.stem}: no link back to the index"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_page_keeps_widget_state_and_has_no_errors(edition, notebook):
    out, _ = edition
    text = (out / f"{notebook.stem}.html").read_text(encoding="utf-8")
    page = _parse(out / f"{notebook.stem}.html")
    assert "application/vnd.jupyter.widget-state+json" in page.scripts, f"{notebook.stem}: widget state not saved"
    assert "application/vnd.jupyter.widget-view+json" in page.scripts, f"{notebook.stem}: no widget in the page"
    # nbclient stops on an error, so a traceback in the page would mean an error was allowed through.
    assert "Traceback (most recent call last)" not in text


def test_compact_media_keeps_the_samples():
    """FLAC is lossless: the compacted player decodes to the very samples of the notebook's WAV."""
    import io

    import numpy as np
    import soundfile as sf
    from IPython.display import Audio

    from specmask_edu.edition import compact_media

    x = 0.3 * np.sin(2 * np.pi * 440 * np.arange(8000) / 16000)
    player = Audio(x, rate=16000, normalize=False)._repr_html_()
    page = "<html><body>" + player + player + "</body></html>"
    small = compact_media(page)
    assert small.count("<source data-specmask-ref") == 1 and small.count("<source data-specmask-id") == 1
    assert "<script>" in small and "audio/wav" not in small
    uri = small.split('src="data:audio/flac;base64,')[1].split('"')[0]
    flac, sr = sf.read(io.BytesIO(base64.b64decode(uri)), dtype="int16")
    wav_uri = player.split("data:audio/wav;base64,")[1].split('"')[0]
    wav, _ = sf.read(io.BytesIO(base64.b64decode(wav_uri)), dtype="int16")
    assert sr == 16000 and np.array_equal(flac, wav)


def test_compact_media_shares_widget_players_and_keeps_figure_pixels():
    """A clip an explorer plays (saved widget state) and its static cell plays is stored once; a PNG figure
    becomes a WebP with exactly the same pixels."""
    import io
    import json

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from IPython.display import Audio
    from PIL import Image

    from specmask_edu.edition import compact_media

    rng = np.random.default_rng(0)
    fig, ax = plt.subplots(figsize=(6, 3), dpi=80)
    ax.imshow(rng.random((64, 200)), aspect="auto", cmap="magma")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    png = buffer.getvalue()
    x = 0.3 * np.sin(2 * np.pi * 440 * np.arange(8000) / 16000)
    player = Audio(x, rate=16000, normalize=False)._repr_html_()
    only_in_widget = Audio(-x, rate=16000, normalize=False)._repr_html_()
    state = {"version_major": 2, "version_minor": 0, "state": {"abc": {
        "model_name": "HTMLModel", "state": {"value": "<div>" + player + only_in_widget + "</div>"}}}}
    page = ('<html><body><img src="data:image/png;base64,' + base64.b64encode(png).decode() + '">' + player
            + '<script type="application/vnd.jupyter.widget-state+json">\n'
            + json.dumps(state).replace("/", "\\/") + "\n</script></body></html>")
    small = compact_media(page)
    assert len(small) < len(page)
    # the figure: WebP, same pixels
    webp = base64.b64decode(small.split('src="data:image/webp;base64,')[1].split('"')[0])
    pixels = [np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")) for data in (webp, png)]
    assert np.array_equal(*pixels)  # (an all-opaque alpha channel is not stored, it reads back as opaque)
    # the widget state is still valid JSON; its copy of the page's clip is a reference, its own clip is FLAC
    state_text = re.search(r'widget-state\+json">(.*?)</script>', small, re.S).group(1)
    html_value = json.loads(state_text)["state"]["abc"]["state"]["value"]
    assert html_value.count('data-specmask-ref="0"') == 1 and "audio/wav" not in html_value
    assert html_value.count("data:audio/flac;base64,") == 1
    assert "</" not in state_text, "the JSON must not be able to close its <script> early"
    assert "MutationObserver" in small, "widget views are drawn later: their references must be filled then"
    # only the players change: text about "audio/wav" stays, and the script goes before the page's last </body>
    prose = "<p>a file of type audio/wav</p><pre>&lt;/body&gt; </body> in an output</pre>"
    page_with_prose = page.replace("<html><body>", "<html><body>" + prose)
    compacted = compact_media(page_with_prose)
    assert "a file of type audio/wav" in compacted
    assert compacted.rindex("MutationObserver") > compacted.index("in an output")


# A promise that settles when a player has loaded its audio's metadata (or failed, or after 15 s).
_JS_LOADED = """const loaded = (a) => new Promise((resolve) => {
    if (a.readyState >= 1 || a.error) return resolve();
    a.addEventListener('loadedmetadata', resolve, {once: true});
    a.addEventListener('error', resolve, {once: true});
    setTimeout(resolve, 15000);
  });"""
# Every figure and player of a page as the browser sees it, after the page's own scripts ran.
_JS_MEDIA = """async () => {
  const images = [...document.querySelectorAll('img')].map(i => ({src: i.src.slice(0, 30), width: i.naturalWidth}));
  const players = [...document.querySelectorAll('audio')];
  ${LOADED}
  await Promise.all(players.map(loaded));
  return {images, players: players.map(a => ({ready: a.readyState, seconds: a.duration,
                                               src: (a.currentSrc || '').slice(0, 30)}))};
}""".replace("${LOADED}", _JS_LOADED)
# A player added after loading, as a widget view is: its reference to a shared clip must be filled in.
_JS_LATE_PLAYER = """async () => {
  const box = document.createElement('div');
  box.innerHTML = '<audio controls><source data-specmask-ref="0" type="audio/flac"></audio>';
  document.body.appendChild(box);
  const a = box.querySelector('audio');
  await new Promise((resolve) => {
    const check = () => (a.readyState >= 1 || a.error) ? resolve() : setTimeout(check, 50);
    setTimeout(resolve, 10000); check();
  });
  return {ready: a.readyState, seconds: a.duration};
}"""


def _new_page(browser):
    """A fresh page that collects the page's script errors in ``page.errors``."""
    page = browser.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return page


@pytest.mark.browser
def test_pages_play_and_show_in_chromium(edition, browser):
    """Opened from disk in Chromium, every figure decodes and every player (shared clips included)
    loads audio of a real length; a player drawn later (like a widget view) gets its shared clip too."""
    out, pages = edition
    page = _new_page(browser)
    for built in pages:
        name = built.path.name
        page.goto(built.path.as_uri(), wait_until="load")
        media = page.evaluate(_JS_MEDIA)
        assert media["images"] and all(i["width"] > 0 for i in media["images"]), f"{name}: a figure does not decode"
        assert media["players"], f"{name}: no player"
        silent = [a for a in media["players"] if a["ready"] < 1 or not a["seconds"] or a["seconds"] < 0.5]
        assert not silent, f"{name}: players without playable audio: {silent[:3]}"
        if 'data-specmask-id="0"' in built.path.read_text(encoding="utf-8"):
            late = page.evaluate(_JS_LATE_PLAYER)
            assert late["ready"] >= 1 and late["seconds"] > 0.5, f"{name}: a late player got no audio: {late}"
    assert not page.errors, f"script errors in the pages: {page.errors[:3]}"


# The widgets the renderer drew from the saved state: explorer pictures, sliders, and their players.
_JS_WIDGETS = """async () => {
  const players = [...document.querySelectorAll('.widget-html audio')];
  ${LOADED}
  await Promise.all(players.map(loaded));
  return {pictures: [...document.querySelectorAll('.widget-image')].map(i => i.naturalWidth),
          sliders: document.querySelectorAll('.widget-slider, .widget-selection-slider').length,
          unnamed: [...document.querySelectorAll('[role=slider]:not([aria-label])')].map(h => h.outerHTML.slice(0, 80)),
          players: players.map(a => ({ready: a.readyState, seconds: a.duration,
                                      shared: !!a.querySelector('source[data-specmask-ref]')}))};
}""".replace("${LOADED}", _JS_LOADED)


# MathJax's version once it has typeset the page (null when it did not load).
_JS_MATHJAX = """async () => {
  for (let i = 0; i < 100 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++)
    await new Promise(r => setTimeout(r, 100));
  if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) return null;
  await MathJax.startup.promise;
  return MathJax.version;
}"""


@pytest.mark.browser
def test_saved_widgets_are_drawn_offline(edition, browser):
    """With the network blocked (every request that is not a file of the edition is aborted), the pages'
    saved widget state is drawn by the widget renderer included in ``_static/``: every explorer appears with
    its picture, its sliders (each with an accessible name) and its players (many of them references to a
    clip stored once in the page), MathJax typesets the formulas, and nothing is asked of the internet."""
    import json

    from specmask_edu.edition import SCRIPTS, STATIC_DIR

    out, pages = edition
    for name in SCRIPTS:
        assert (out / STATIC_DIR / name).is_file(), f"{name} was not included in the edition (is npm installed?)"
    requested = []

    def offline(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            return route.continue_()
        requested.append(url)
        return route.abort()

    shared_players = 0
    page = _new_page(browser)
    page.route("**/*", offline)
    for built in pages + [out / "index.html"]:
        path = built if isinstance(built, Path) else built.path
        page.goto(path.as_uri(), wait_until="load")
        assert page.evaluate(_JS_MATHJAX) == "3.2.2", f"{path.name}: MathJax did not load from _static/"
        if path.name == "index.html":
            continue
        state = json.loads(_widget_state_text(path.read_text(encoding="utf-8")))["state"]
        explorers = sum(1 for model in state.values() if model["model_name"] == "ImageModel")
        page.wait_for_function(f"document.querySelectorAll('.widget-image').length >= {explorers}", timeout=30_000)
        drawn = page.evaluate(_JS_WIDGETS)
        assert len(drawn["pictures"]) == explorers and all(w > 0 for w in drawn["pictures"]), \
            f"{path.name}: explorer pictures missing or not decoded: {drawn['pictures']}"
        if explorers:
            assert drawn["sliders"] > 0, f"{path.name}: the explorers were drawn without their sliders"
            assert drawn["players"], f"{path.name}: the explorers were drawn without their players"
        assert not drawn["unnamed"], f"{path.name}: slider handles without an accessible name: {drawn['unnamed'][:3]}"
        silent = [a for a in drawn["players"] if a["ready"] < 1 or not a["seconds"] or a["seconds"] < 0.5]
        assert not silent, f"{path.name}: widget players without playable audio: {silent[:3]}"
        shared_players += sum(a["shared"] for a in drawn["players"])
    assert not page.errors, f"script errors while drawing the widgets: {page.errors[:3]}"
    assert not requested, f"the offline edition asked the network for {requested[:5]}"
    assert shared_players > 0, "no explorer player uses a shared clip: compact_media stopped sharing them"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_has_its_alt_text(edition, notebook):
    """Every <img> of a page has a real text alternative: the one plots.show gave the figure, never
    nbconvert's "No description has been provided for this image"."""
    out, _ = edition
    text = (out / f"{notebook.stem}.html").read_text(encoding="utf-8")
    text = _WIDGET_STATE_RE.sub("", text)  # pictures inside the saved widget state are not <img> yet
    images = re.findall(r"<img\b[^>]*>", text)
    assert images, f"{notebook.stem}: no figure"
    alts = [re.search(r'\balt="([^"]*)"', tag) for tag in images]
    missing = [tag[:80] for tag, alt in zip(images, alts) if alt is None or len(alt.group(1).split()) < 5]
    assert not missing, f"{notebook.stem}: {len(missing)} of {len(images)} figures without a real alt text: {missing[:3]}"
    assert "No description has been provided" not in text


def test_pages_without_npm_load_pinned_scripts_with_integrity(tmp_path, monkeypatch):
    """A student without npm still gets a working edition online: every script comes from the CDN at an exact
    version with an integrity hash, the widget loader sets the hash too, and the index page says so."""
    import shutil as _shutil

    from specmask_edu import edition

    monkeypatch.setattr(_shutil, "which", lambda name: None)
    notes = []
    assert edition.fetch_scripts(cache=tmp_path / "empty", log=notes.append) is None
    assert notes and "npm not found" in notes[0]
    nb = _nb("# Tiny\n\n$x^2$")
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"version_major": 2, "version_minor": 0,
                                                                            "state": {}}}
    page = edition.export_page(nb)
    tags = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", page)
    assert len(tags) == 2, tags  # require.js and MathJax; the widget renderer is added by a script
    for tag in tags:
        src = re.search(r'src="([^"]+)"', tag).group(1)
        assert src.startswith("https://") and re.search(r"@\d+\.\d+\.\d+/", src), f"not an exact version: {src}"
        assert 'integrity="sha384-' in tag and 'crossorigin="anonymous"' in tag, tag
    widget = edition.SCRIPTS["embed-amd.js"]
    assert json_string(widget["cdn"]) in page and json_string(widget["integrity"]) in page
    assert "s.crossOrigin = 'anonymous'" in page
    assert not re.search(r"unpkg\.com|mathjax@3/|html-manager@\^|cdnjs", page), "a floating or unpinned CDN URL"
    index = edition._index_html([], "x", static_prefix=None)
    assert "built without npm" in index and 'integrity="sha384-' in index


def test_pinned_integrity_hashes_match_the_npm_packages():
    """The SRI hashes in edition.SCRIPTS are those of the files in the npm packages (fetch_scripts checks every
    file it includes against them, so a wrong pin would stop every build that has npm)."""
    from _widget_renderer import renderer_files
    from conftest import require_or_skip

    from specmask_edu.edition.scripts import SCRIPTS, _sri

    try:
        files = renderer_files()
    except RuntimeError as err:
        require_or_skip(str(err))
    for name, spec in SCRIPTS.items():
        assert _sri(files[name]) == spec["integrity"], name
    assert any(key.startswith("LICENSES/") and b"Apache" in data for key, data in files.items()), "MathJax licence"


def json_string(value: str) -> str:
    import json

    return json.dumps(value)


@pytest.mark.browser
def test_axe_finds_no_serious_violation_in_the_pages(edition, browser):
    """axe-core on every page of the edition (index included), after the widgets and the formulas are drawn:
    no serious or critical violation anywhere (the whole page is the course's)."""
    from _jupyterlab import axe_violations

    out, pages = edition
    page = _new_page(browser)
    page.set_viewport_size({"width": 1280, "height": 800})
    report = {}
    for path in [p.path for p in pages] + [out / "index.html"]:
        page.goto(path.as_uri(), wait_until="load")
        page.evaluate(_JS_MATHJAX)
        page.wait_for_timeout(1000)  # widget views
        found = axe_violations(page, content_selector="body")
        report[path.name] = found["counts"]
        assert not found["content"], f"{path.name}: " + "; ".join(
            f"{rule} x{len(nodes)} e.g. {nodes[0]}" for rule, nodes in found["content"].items())
    print("axe (all impacts) per page:", report)


def test_no_page_is_bloated(edition):
    """Audio and figures are embedded, so pages are several MB (the 5 MB target per page is measured in
    benchmarks/bench_html_edition.py). Over 8 MB means something is stored many times over or a clip is
    far too long for a lesson."""
    _, pages = edition
    big = {p.path.name: round(p.bytes / 1e6, 1) for p in pages if p.bytes > 8_000_000}
    assert not big, f"pages over 8 MB: {big}"


def test_index_links_every_lesson_with_title_and_objectives(edition):
    out, pages = edition
    index = _parse(out / "index.html")
    text = (out / "index.html").read_text(encoding="utf-8")
    assert [link for link in index.links if link.endswith(".html")] == [p.path.name for p in pages]
    for p in pages:
        nb = nbformat.read(p.notebook, as_version=4)
        title, objectives = lesson_info(nb)
        assert title and title in text.replace("&amp;", "&"), f"{p.notebook.name}: title missing from the index"
        assert objectives, f"{p.notebook.name}: no learning objectives found (a list under 'Learning objectives')"
        assert p.objectives == objectives


def _nb(*markdown):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(m) for m in markdown] + [nbformat.v4.new_code_cell("1")]
    return nb


@pytest.mark.parametrize("markdown", [
    "# 02 · Real-valued masks\n\n## Learning objectives\n\n- build the **IBM**\n- compare $|S|/|Y|$\n  with the IRM\n\n## Setup",
    "# 02 · Real-valued masks\n\n**Learning objectives.** After this lesson you can\n\n1. build the **IBM**\n2. compare $|S|/|Y|$\n   with the IRM\n\nText.",
])
def test_lesson_info_reads_title_and_objectives(markdown):
    title, objectives = lesson_info(_nb(markdown))
    assert title == "02 · Real-valued masks"
    assert objectives == ["build the **IBM**", "compare $|S|/|Y|$ with the IRM"]


def test_lesson_info_objectives_in_a_second_cell():
    title, objectives = lesson_info(_nb("# Title", "### What you will learn\n* one\n* two"))
    assert (title, objectives) == ("Title", ["one", "two"])


def test_build_refuses_a_folder_without_lessons(tmp_path):
    with pytest.raises(SpecmaskInputError, match="No lesson notebooks"):
        build_html_edition(tmp_path / "out", notebooks=tmp_path, log=None)
    with pytest.raises(SpecmaskInputError, match="not a folder"):
        build_html_edition(tmp_path / "out", notebooks=tmp_path / "nope", log=None)


def test_build_stops_on_a_failing_cell(tmp_path):
    nb = _nb("# Broken\n\n## Learning objectives\n\n- fail")
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('boom')"))
    nbformat.write(nb, tmp_path / "00_broken.ipynb")
    from nbclient.exceptions import CellExecutionError

    with pytest.raises(CellExecutionError, match="boom"):
        build_html_edition(tmp_path / "out", notebooks=tmp_path, log=None)
    assert not (tmp_path / "out" / "index.html").exists()


def test_a_failure_stops_the_other_running_lessons(tmp_path):
    """With two kernels at work, the first failing cell ends the build at once and no kernel is left."""
    from _jupyterlab import _children
    from nbclient.exceptions import CellExecutionError

    slow = _nb("# Slow")
    slow.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(600)"))
    nbformat.write(slow, tmp_path / "00_slow.ipynb")
    broken = _nb("# Broken")
    broken.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(2)\nraise ValueError('boom')"))
    nbformat.write(broken, tmp_path / "01_broken.ipynb")
    start = time.monotonic()
    with pytest.raises(CellExecutionError, match="boom"):
        build_html_edition(tmp_path / "out", notebooks=tmp_path, jobs=2, log=None)
    assert time.monotonic() - start < 120, "the build waited for the slow lesson instead of stopping it"
    time.sleep(1)
    kernels = [pid for pid in _children(os.getpid()) if "ipykernel" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
    assert not kernels, f"kernels left running: {kernels}"


def test_cli_html_subcommand(tmp_path, monkeypatch):
    """``specmask-edu html --out DIR --dir FOLDER`` builds the edition (a one-cell lesson here)."""
    from specmask_edu import cli

    nb = _nb("# Tiny\n\n## Learning objectives\n\n- see a figure")
    nb.cells.append(nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([0, 1]); plt.show()"))
    (tmp_path / "lessons").mkdir()
    nbformat.write(nb, tmp_path / "lessons" / "00_tiny.ipynb")
    assert cli.main(["html", "--out", str(tmp_path / "site"), "--dir", str(tmp_path / "lessons")]) == 0
    page = _parse(tmp_path / "site" / "00_tiny.html")
    assert any(src.startswith(("data:image/png;base64,", "data:image/webp;base64,")) for src in page.images)
    assert re.search(r'href="00_tiny.html"', (tmp_path / "site" / "index.html").read_text())


# --------------------------------------------------------------------------- an explorer appears once

_ONE_EXPLORER = """import numpy as np
from specmask_edu import widgets
rng = np.random.default_rng(0)
target = 0.3 * np.sin(2 * np.pi * 220 * np.arange(8000) / 16000)
scale = widgets.ScaleExplorer({"IRM": target + 0.05 * rng.standard_normal(8000)}, target, sr=16000, zoom=(0.1, 0.15))
scale.widget"""


@pytest.fixture(scope="module")
def one_explorer(tmp_path_factory):
    """A notebook that shows one explorer, executed as the edition executes lessons (widget state stored)."""
    from specmask_edu.edition import execute_notebook

    folder = tmp_path_factory.mktemp("one_explorer")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# One explorer"), nbformat.v4.new_code_cell(_ONE_EXPLORER)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "one.ipynb")
    return execute_notebook(folder / "one.ipynb", timeout=300)


def test_an_explorer_is_one_output_the_edition_draws_once(one_explorer):
    """The explorer's cell has one output with the widget view and its static view. With the widget state (the
    edition) the page holds the widget view and the static view in one output, the static one hidden by the
    page's style once the widget is drawn; without widget state (nbconvert on a saved notebook, GitHub,
    nbviewer) nbconvert picks the static view alone, with its picture's alt text and players."""
    import copy

    from specmask_edu.edition import export_page
    from specmask_edu.edition.scripts import _PAGE_CSS

    outputs = one_explorer.cells[1].outputs
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 1 and "text/html" in views[0]["data"]
    page = export_page(one_explorer)
    assert page.count('type="application/vnd.jupyter.widget-view+json"') == 1
    # (nbconvert writes the HTML out again: attributes in double quotes, in its own order)
    assert page.count('"specmask-explorer-static"') == 1 and page.count('class="specmask-static-fallback"') == 1
    fallback = page.split('class="specmask-static-fallback"')[1]
    picture = re.search(r"<img\b[^>]*>", fallback).group(0)
    assert 'src="data:image/png;base64,' in picture and re.search(r'alt="[^"]{40,}"', picture)
    assert "<audio" in fallback and "aria-describedby" in fallback
    assert ".jupyter-widgets:has(> .widget-subarea) > .specmask-static-fallback { display: none; }" in _PAGE_CSS
    bare = copy.deepcopy(one_explorer)
    bare.metadata.pop("widgets", None)
    static_page = export_page(bare)
    assert 'type="application/vnd.jupyter.widget-view+json"' not in static_page
    assert static_page.count('"specmask-explorer-static"') == 1 and 'class="specmask-static-fallback"' not in static_page


def test_the_pages_name_slider_handles_with_the_widgets_own_script():
    """One slider-naming script: the edition writes the very script a live notebook runs next to an explorer."""
    from specmask_edu.edition import _with_nav
    from specmask_edu.widgets._controls import slider_names_js

    page = _with_nav("<html><body><p>x</p></body></html>", "<nav></nav>")
    assert page.count(slider_names_js()) == 1 and page.index(slider_names_js()) < page.index("</body>")


@pytest.mark.browser
def test_an_explorer_appears_once_in_the_page(one_explorer, browser, tmp_path):
    """In Chromium with the pinned widget renderer: the live explorer is drawn and its static view is hidden (one
    picture on screen, with its alt text); without widget state the static view is what shows."""
    import copy

    from specmask_edu.edition import STATIC_DIR, _with_nav, export_page, fetch_scripts

    scripts = fetch_scripts(log=None)
    if scripts is None:
        pytest.skip("npm cannot fetch the pinned widget renderer here")
    for name, data in scripts.items():
        (tmp_path / STATIC_DIR / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / STATIC_DIR / name).write_bytes(data)
    bare = copy.deepcopy(one_explorer)
    bare.metadata.pop("widgets", None)
    (tmp_path / "live.html").write_text(_with_nav(export_page(one_explorer, STATIC_DIR), ""), encoding="utf-8")
    (tmp_path / "static.html").write_text(_with_nav(export_page(bare, STATIC_DIR), ""), encoding="utf-8")
    shown = """() => [...document.querySelectorAll('img')].filter(i => i.getBoundingClientRect().width > 0)
                     .map(i => ({widget: i.classList.contains('widget-image'), alt: i.alt}))"""
    page = _new_page(browser)
    try:
        page.goto((tmp_path / "live.html").as_uri(), wait_until="load")
        page.wait_for_function("document.querySelectorAll('.widget-image').length >= 1", timeout=30_000)
        page.wait_for_timeout(500)
        pictures = page.evaluate(shown)
        assert len(pictures) == 1 and pictures[0]["widget"], f"the explorer is not shown once: {pictures}"
        assert "Settings:" in pictures[0]["alt"], "the live picture has no alt text"
        page.goto((tmp_path / "static.html").as_uri(), wait_until="load")
        pictures = page.evaluate(shown)
        assert len(pictures) == 1 and not pictures[0]["widget"] and "Settings:" in pictures[0]["alt"], pictures
        assert not page.errors, page.errors[:3]
    finally:
        page.close()
