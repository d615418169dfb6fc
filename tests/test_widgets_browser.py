"""Every explorer as a student on a laptop sees it (specmask_edu/widgets/_controls.py, _base.py): in JupyterLab in
headless Chromium at 1280 x 800, with the file browser open, every slider track and menu keeps a usable width,
every slider handle has an accessible name, and every explorer picture carries its text alternative.

One purpose-built notebook builds all the explorers from the bundled clips (cheaper than running lessons 01-06;
tests/test_browser.py runs the lessons themselves)."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from _jupyterlab import LabServer, open_notebook, run_all_cells, wait_for_widgets

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MIN_TRACK_PX = 150
VIEWPORT = {"width": 1280, "height": 800}
EXPLORERS = ["STFTExplorer", "MaskExplorer", "PhaseExplorer", "GriffinLimExplorer", "ComplexMaskExplorer",
             "CompressionExplorer", "MixingConsoleExplorer", "HPSSExplorer", "ScaleExplorer"]

# Per explorer (its widget box, in page order): each control's label and the width of its slider track or menu,
# the accessible names of the slider handles, and the picture's title (its text alternative).
_JS_CONTROLS = """() => [...document.querySelectorAll('.jp-OutputArea-output > .widget-vbox, .jp-OutputArea-output .jupyter-widgets.widget-vbox')]
  .filter(box => box.querySelector(':scope > .widget-image'))
  .map(box => ({
    title: box.querySelector(':scope > .widget-html b') ? box.querySelector(':scope > .widget-html b').textContent : '',
    controls: [...box.querySelectorAll('.widget-slider, .widget-dropdown')].map(c => {
      const track = c.querySelector('.slider-container, select');
      const label = c.querySelector('.widget-label');
      return {label: label ? label.textContent : '', labelWidth: label ? label.getBoundingClientRect().width : 0,
              scrollWidth: label ? label.scrollWidth : 0, width: track ? track.getBoundingClientRect().width : 0};
    }),
    handles: [...box.querySelectorAll('[role=slider]')].map(h => h.getAttribute('aria-label')),
    picture: box.querySelector(':scope > .widget-image').title,
  }))"""


@pytest.fixture(scope="module")
def explorers_page(browser, tmp_path_factory):
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    folder = tmp_path_factory.mktemp("explorers")
    nb = nbformat.v4.new_notebook()
    nb.metadata = dict(nbformat.read(repo / "notebooks" / "04_complex_masks.ipynb", 4).metadata)
    nb.cells = [nbformat.v4.new_code_cell("from specmask_edu import widgets")]
    nb.cells += [nbformat.v4.new_code_cell(f"widgets.{name}.from_example()") for name in EXPLORERS]
    nbformat.write(nb, folder / "explorers.ipynb")
    server = LabServer(workdir=tmp_path_factory.mktemp("jupyterlab"), notebooks=[folder / "explorers.ipynb"]).start()
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_notebook(page, server, "explorers.ipynb")
        assert run_all_cells(page, 300_000) == "done"
        wait_for_widgets(page)
        page.wait_for_timeout(1000)  # the handles are named after a frame
        yield page
    finally:
        context.close()
        leftovers = server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        assert not leftovers, "JupyterLab left processes behind (killed now):\n" + "\n".join(leftovers)


def test_every_explorer_control_keeps_a_usable_width_on_a_laptop(explorers_page):
    boxes = explorers_page.evaluate(_JS_CONTROLS)
    assert len(boxes) == len(EXPLORERS), [b["title"] for b in boxes]
    narrow, cut = [], []
    for box in boxes:
        assert box["controls"], f"{box['title']}: no controls drawn"
        for control in box["controls"]:
            if control["width"] < MIN_TRACK_PX:
                narrow.append(f"{box['title']!r}: {control['label']!r} {control['width']:.0f} px")
            if control["scrollWidth"] > control["labelWidth"] + 1:
                cut.append(f"{box['title']!r}: {control['label']!r}")
    assert not narrow, f"slider tracks or menus under {MIN_TRACK_PX} px at 1280 x 800: {narrow}"
    assert not cut, f"labels cut off: {cut}"


def test_every_slider_handle_has_an_accessible_name(explorers_page):
    for box in explorers_page.evaluate(_JS_CONTROLS):
        assert box["handles"] and all(box["handles"]), f"{box['title']}: handles without aria-label: {box['handles']}"
        sliders = [c["label"] for c in box["controls"] if c["label"] in box["handles"]]
        assert len(sliders) == len(box["handles"]), f"{box['title']}: a handle is not named by its slider's label"


def test_every_explorer_picture_has_its_text_alternative(explorers_page):
    for box in explorers_page.evaluate(_JS_CONTROLS):
        assert len(box["picture"].split()) >= 15 and "Settings:" in box["picture"], \
            f"{box['title']}: picture title {box['picture']!r}"


def test_every_explorer_shows_once(explorers_page):
    """A live notebook shows each explorer once: its output also carries a static view (text/html, for frontends
    without widgets), which JupyterLab does not draw since it ranks the widget view first; each live picture
    gets its text alternative as ``alt`` too (the slider-names script copies its title)."""
    seen = explorers_page.evaluate("""() => ({
      widgets: document.querySelectorAll('.jp-OutputArea-output .widget-image:not(.specmask-ahead)').length,
      static: document.querySelectorAll('.specmask-explorer-static').length,
      pictures: [...document.querySelectorAll('.jp-OutputArea-output img')]
        .filter(i => i.getBoundingClientRect().width > 0).length,
      alts: [...document.querySelectorAll('.jp-OutputArea-output img.widget-image:not(.specmask-ahead)')]
        .map(i => i.alt === i.title && i.alt.includes('Settings:'))})""")
    assert seen["widgets"] == seen["pictures"] == len(EXPLORERS) and seen["static"] == 0, seen
    assert all(seen["alts"]), f"live pictures without their alt text: {seen['alts']}"


_JS_AHEAD_STATE = """async () => {
  const box = document.querySelectorAll('.specmask-explorer')[1];
  const digest = async (img) => {
    const bytes = await (await fetch(img.src)).arrayBuffer();
    return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map(b => b.toString(16)).join('');
  };
  const pictures = [...box.querySelectorAll(':scope > img.widget-image')];
  return Promise.all(pictures.map(async (img) => ({
    ahead: img.classList.contains('specmask-ahead'), visible: img.style.display !== 'none',
    tags: [...img.classList].filter(c => c.startsWith('specmask-at-snr_db-')), title: img.title,
    digest: await digest(img)})));
}"""


def test_a_key_press_is_answered_by_a_picture_sent_ahead(explorers_page):
    """After a key press, once the kernel idles, the explorer's box holds the next step, the step back and the
    state shown as hidden pictures; the next key press shows the one it reaches at once, and the kernel's own answer, which
    then takes over, is the same picture."""
    page = explorers_page
    box = page.locator(".specmask-explorer").nth(1)
    handle = box.locator("[role=slider]").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("""() => [...document.querySelectorAll('.specmask-explorer')[1]
      .querySelectorAll(':scope > img.specmask-ahead')]
      .filter(i => [...i.classList].some(c => c.startsWith('specmask-at-')) && i.complete && i.naturalWidth > 0)
      .length === 3""", timeout=30_000)
    before = page.evaluate(_JS_AHEAD_STATE)
    assert [p["visible"] for p in before] == [True, False, False, False], before
    # what is visible when the page says it showed a picture sent ahead (taken at once: the kernel's answer
    # follows within ~50 ms), with the digest of its bytes
    page.evaluate("""() => { window.__shown = [];
      const box = document.querySelectorAll('.specmask-explorer')[1];
      box.addEventListener('specmask-ahead-shown', () => {
        const visible = [...box.querySelectorAll(':scope > img.widget-image')].filter(i => i.style.display !== 'none');
        const seen = visible.map(i => ({ahead: i.classList.contains('specmask-ahead'), title: i.title, digest: null}));
        window.__shown.push(seen);
        visible.forEach((img, k) => fetch(img.src).then(r => r.arrayBuffer()).then(b => crypto.subtle.digest('SHA-256', b))
          .then(d => { seen[k].digest = [...new Uint8Array(d)].map(b => b.toString(16)).join(''); }));
      }); }""")
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.__shown.length === 1 && window.__shown[0].every(p => p.digest)",
                           timeout=5_000)
    shown = page.evaluate("() => window.__shown[0]")
    assert len(shown) == 1 and shown[0]["ahead"], shown
    readout = box.locator(".specmask-name-snr_db .widget-readout").inner_text().strip()
    assert f"input SNR (dB): {float(readout):g}" in shown[0]["title"], (readout, shown[0]["title"])
    # the kernel's answer arrives: its own picture is shown again, and it is the same picture
    page.wait_for_function("""() => { const box = document.querySelectorAll('.specmask-explorer')[1];
      return box.querySelector(':scope > img.widget-image:not(.specmask-ahead)').style.display !== 'none'; }""",
                           timeout=30_000)
    after = page.evaluate(_JS_AHEAD_STATE)
    assert [p["visible"] for p in after] == [True, False, False, False], after
    assert after[0]["title"] == shown[0]["title"] and after[0]["digest"] == shown[0]["digest"]


def test_the_focus_on_a_slider_brings_one_step_either_way_before_any_key(explorers_page):
    """Focusing a slider (no key pressed) makes the kernel prepare the steps up and down and send them ahead
    (the page script clicks the slider's hidden focus button: ``_states.prepare_around``); so the student's first
    key press on it is answered in the page, at once."""
    page = explorers_page
    index = EXPLORERS.index("PhaseExplorer")
    box = page.locator(".specmask-explorer").nth(index)
    assert box.locator(".specmask-focus").count() == 1 and not box.locator(".specmask-focus").is_visible()
    assert page.evaluate("(i) => document.querySelectorAll('.specmask-explorer')[i]"
                         ".querySelectorAll(':scope > img.specmask-ahead').length", index) == 0
    handle = box.locator(".specmask-name-snr_db [role=slider]")
    handle.focus()
    page.wait_for_function("""(i) => [...document.querySelectorAll('.specmask-explorer')[i]
      .querySelectorAll(':scope > img.specmask-ahead')]
      .filter(img => [...img.classList].some(c => c.startsWith('specmask-at-snr_db-')) && img.complete
              && img.naturalWidth > 0).length === 3""", arg=index, timeout=30_000)
    tags = page.evaluate("""(i) => [...document.querySelectorAll('.specmask-explorer')[i]
      .querySelectorAll(':scope > img.specmask-ahead')].map(img => [...img.classList].find(c => c.startsWith('specmask-at-')))
      .sort()""", index)
    assert tags == ["specmask-at-snr_db-n-1.0~1.0", "specmask-at-snr_db-n0.0~1.0", "specmask-at-snr_db-n1.0~1.0"]
    page.evaluate("""(i) => { window.__firstKey = null; document.querySelectorAll('.specmask-explorer')[i]
      .addEventListener('specmask-ahead-shown', (e) => { window.__firstKey = e.detail.title; }, {once: true}); }""",
                  index)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => window.__firstKey !== null", timeout=2_000)  # shown by the page, not the kernel
    assert "input SNR (dB): -1" in page.evaluate("() => window.__firstKey")
