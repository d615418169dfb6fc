"""The page script that shows a picture the kernel sent ahead (``_controls._SLIDER_NAMES_JS``), in Chromium on a
page built like an explorer's box (no JupyterLab: a stand-in slider moves its readout on arrow keys as ipywidgets'
noUiSlider does, with d3's minus sign). What a student sees must always be the state the slider shows: a picture
sent ahead is shown only for the value it holds, only while no other control moved, and the kernel's picture
takes over when it arrives."""

import pytest

from specmask_edu.widgets import _controls

pytestmark = [pytest.mark.browser]

PAGE = """<!doctype html><html><body>
<div class="widget-vbox specmask-explorer" id="box">
  <div class="widget-slider specmask-control specmask-name-snr_db"><div class="widget-label">input SNR (dB)</div>
    <div role="slider" tabindex="0" id="snr" data-value="0" data-step="1"></div><div class="widget-readout">0.00</div></div>
  <div class="widget-slider specmask-control specmask-name-beta"><div class="widget-label">beta</div>
    <div role="slider" tabindex="0" id="beta" data-value="1" data-step="0.5"></div><div class="widget-readout">1.00</div></div>
  <img class="widget-image specmask-at-snr_db-n0.0~1.0 specmask-at-beta-n1.0~0.5" id="main" title="at 0 dB">
  <img class="widget-image specmask-ahead specmask-ahead-snr_db specmask-at-snr_db-n1.0~1.0" id="up" style="display: none" title="at 1 dB">
  <img class="widget-image specmask-ahead specmask-ahead-snr_db specmask-at-snr_db-n-1.0~1.0" id="down" style="display: none" title="at -1 dB">
  <div class="widget-hbox specmask-focus" style="display: none">
    <button class="specmask-focus-snr_db" id="focus-snr"></button><button class="specmask-focus-beta" id="focus-beta"></button></div>
  <div class="widget-html" id="players"><table><tr><td>mixture</td><td><audio controls aria-label="mixture"></audio></td></tr></table></div>
</div>
<script>
  const picture = (colour) => { const c = document.createElement('canvas'); c.width = 40; c.height = 20;
    const g = c.getContext('2d'); g.fillStyle = colour; g.fillRect(0, 0, 40, 20); return c.toDataURL(); };
  window.picture = picture;
  document.getElementById('main').src = picture('red');
  document.getElementById('up').src = picture('green');
  document.getElementById('down').src = picture('blue');
  // the stand-in slider: an arrow key moves the value by a step and the readout shows it like d3-format '.2f'
  document.querySelectorAll('[role=slider]').forEach((h) => h.addEventListener('keydown', (e) => {
    const step = parseFloat(h.dataset.step) * (e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0);
    h.dataset.value = String(parseFloat(h.dataset.value) + step);
    h.parentElement.querySelector('.widget-readout').textContent =
      parseFloat(h.dataset.value).toFixed(2).replace('-', '\\u2212');
  }));
  window.focusClicks = [];
  document.querySelectorAll('.specmask-focus button').forEach((b) => b.addEventListener('click', () => window.focusClicks.push(b.id)));
  window.shownAhead = [];
  document.getElementById('box').addEventListener('specmask-ahead-shown', (e) => window.shownAhead.push(e.detail.title));
</script></body></html>"""

VISIBLE = "() => [...document.querySelectorAll('#box > img')].filter(i => i.style.display !== 'none').map(i => i.id)"


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content(PAGE)
    page.add_script_tag(content=_controls.slider_names_js())
    page.wait_for_function("[...document.querySelectorAll('#box > img')].every(i => i.complete && i.naturalWidth > 0)")
    yield page
    context.close()


def press(page, slider, key):
    page.focus(f"#{slider}")
    page.keyboard.press(key)
    page.wait_for_timeout(50)
    return page.evaluate(VISIBLE)


def kernel_answers(page, value):
    """The kernel's own picture arrives, tagged with the state it shows."""
    page.evaluate("""(v) => { const m = document.getElementById('main');
      m.className = `widget-image specmask-at-snr_db-n${v}~1.0 specmask-at-beta-n1.0~0.5`;
      m.title = `at ${v} dB`; m.src = window.picture(`hsl(${40 * v + 100}, 80%, 50%)`); }""", value)
    page.wait_for_function("document.getElementById('main').complete")
    page.wait_for_timeout(50)
    return page.evaluate(VISIBLE)


def test_a_key_press_to_a_value_sent_ahead_shows_it_at_once(page):
    assert page.evaluate(VISIBLE) == ["main"]
    assert press(page, "snr", "ArrowRight") == ["up"]              # 1 dB: sent ahead
    assert page.evaluate("window.shownAhead") == ["at 1 dB"]
    assert press(page, "snr", "ArrowLeft") == ["main"]             # back to the kernel's own 0 dB
    assert press(page, "snr", "ArrowLeft") == ["down"]             # -1 dB, read from "−1.00"
    assert press(page, "snr", "ArrowLeft") == ["down"]             # -2 dB: nothing holds it, wait for the kernel
    assert kernel_answers(page, -2.0) == ["main"]                  # ... whose picture takes over


def test_the_kernels_picture_of_a_value_gone_past_does_not_replace_the_right_one(page):
    """Keys held down: the kernel answers presses the slider has gone past (here a press back to 0 dB made
    before the one to 1 dB, which the page answered itself)."""
    assert press(page, "snr", "ArrowRight") == ["up"]
    assert kernel_answers(page, 0.0) == ["up"]                      # the slider shows 1 dB: not shown
    assert kernel_answers(page, 1.0) == ["main"]                    # the kernel's 1 dB takes over
    assert press(page, "snr", "ArrowRight") == ["main"]            # 2 dB: not sent; the kernel is asked
    assert kernel_answers(page, 2.0) == ["main"]


def test_a_late_answer_gives_way_to_a_picture_sent_ahead_for_the_readouts_value(page):
    """Keys pressed back and forth: the kernel's answer to a press the student has already undone replaces the
    right picture on screen. When a picture sent ahead holds the value the readout shows, that one is shown in
    its place (the benchmark's alternating burst showed such late answers for 300-400 ms)."""
    assert press(page, "snr", "ArrowRight") == ["up"]              # 1 dB, sent ahead
    assert press(page, "snr", "ArrowLeft") == ["main"]             # back to the kernel's 0 dB
    page.evaluate("""() => { document.getElementById('down').className =
      'widget-image specmask-ahead specmask-ahead-snr_db specmask-at-snr_db-n0.0~1.0'; }""")  # 0 dB sent ahead
    page.wait_for_timeout(50)
    assert kernel_answers(page, 1.0) == ["down"]                   # the late 1 dB: the readout says 0
    assert kernel_answers(page, 0.0) == ["main"]                   # the kernel's 0 dB takes over
    assert press(page, "beta", "ArrowRight") == ["main"]
    assert kernel_answers(page, 1.0) == ["main"]                   # another control moved: nothing else holds it


def test_no_picture_sent_ahead_after_another_control_moved(page):
    """A picture sent ahead holds the other controls as they were when it was sent."""
    assert press(page, "beta", "ArrowRight") == ["main"]
    assert press(page, "snr", "ArrowRight") == ["main"]            # would be the old beta's picture
    # the kernel sends pictures for its present state (new tags): they may be shown again
    page.evaluate("""() => { const up = document.getElementById('up');
      up.className = 'widget-image specmask-ahead specmask-ahead-snr_db specmask-at-snr_db-n2.0~1.0'; }""")
    page.wait_for_timeout(50)
    assert press(page, "snr", "ArrowRight") == ["up"]


def test_a_picture_changed_while_shown_gives_way_to_the_kernels(page):
    assert press(page, "snr", "ArrowRight") == ["up"]
    page.evaluate("() => { document.getElementById('up').className = 'widget-image specmask-ahead'; }")
    page.wait_for_timeout(50)
    assert page.evaluate(VISIBLE) == ["main"]
    assert press(page, "snr", "ArrowLeft") == ["main"]             # untagged: never shown


def test_a_player_table_about_to_change_is_dimmed_and_busy(page):
    """After a move the kernel marks the players as updating until it sends the new ones (the student pauses)."""
    state = "() => { const p = document.getElementById('players'); " \
            "return [p.getAttribute('aria-busy'), getComputedStyle(p).opacity]; }"
    assert page.evaluate(state) == [None, "1"]
    page.evaluate("document.getElementById('players').classList.add('specmask-players-pending')")
    page.wait_for_timeout(50)
    assert page.evaluate(state) == ["true", "0.6"]
    page.evaluate("document.getElementById('players').classList.remove('specmask-players-pending')")
    page.wait_for_timeout(50)
    assert page.evaluate(state) == [None, "1"]


def test_focus_on_a_slider_tells_the_kernel_through_its_hidden_button(page):
    """The focus entering a slider (Tab, a click on the handle) clicks that slider's hidden focus button: the kernel
    then prepares one step either way before the first key press (``_states.prepare_around``)."""
    page.focus("#snr")
    assert page.evaluate("window.focusClicks") == ["focus-snr"]
    page.focus("#beta")
    page.focus("#snr")
    assert page.evaluate("window.focusClicks") == ["focus-snr", "focus-beta", "focus-snr"]
    page.keyboard.press("ArrowRight")                               # a key press is not a focus
    page.focus("#players audio")                                    # nor is the focus on anything but a slider
    assert page.evaluate("window.focusClicks") == ["focus-snr", "focus-beta", "focus-snr"]
