"""Kept and prepared states (specmask_edu/widgets/_states.py): a state shown from what was kept is exactly the
state a fresh computation gives, preparing the next step changes nothing the student sees, and only the
explorer in use keeps states."""

import asyncio
import re

import ipywidgets as w
import numpy as np
import pytest

from specmask_edu import widgets
from specmask_edu.widgets import _controls, _states
from _explorers import BUILD, SR, STUCK, state


def _table(explorer):
    """The player table's HTML without its element ids (numbered per table made)."""
    return re.sub(r"clip-\d+", "clip-#", explorer.players_html.value)


def test_next_step_repeats_the_move_on_a_slider():
    slider = w.FloatSlider(value=0.0, min=-10.0, max=10.0, step=0.5)
    assert _states.next_step(slider, 0.0, 0.5) == 1.0
    assert _states.next_step(slider, 0.5, 0.0) == -0.5
    fine = w.FloatSlider(value=0.2, min=0.0, max=1.0, step=0.1)
    assert _states.next_step(fine, 0.2, 0.30000000000000004) == 0.4     # on the slider's grid, rounded
    assert _states.next_step(slider, 9.5, 10.0) is None                 # at the end
    assert _states.next_step(slider, 1.0, 1.0) is None                  # did not move
    assert _states.next_step(slider, 0.0, 2.5) == 5.0                   # a page key: five steps again
    steps = w.SelectionSlider(options=[256, 512, 1024, 2048], value=512)
    assert _states.next_step(steps, 256, 512) == 1024
    assert _states.next_step(steps, 1024, 512) == 256
    assert _states.next_step(steps, 1024, 2048) is None
    assert _states.next_step(w.Dropdown(options=["IRM", "IBM", "PSM"], value="IRM"), "IRM", "IBM") is None
    assert _states.next_step(w.Checkbox(value=False), False, True) is None


def test_the_cache_keeps_the_last_states_of_the_current_layout():
    cache = _states.StateCache(size=2)
    kept = [_states.KeptState({}, bytes([i]), "", "", layout_version=1) for i in range(3)]
    for i, k in enumerate(kept):
        cache.put({"snr_db": float(i)}, k)
    assert len(cache) == 2 and {"snr_db": 0.0} not in cache              # the oldest went
    assert cache.get({"snr_db": 1.0 + 1e-12}, 1) is kept[1]             # equal up to rounding
    assert cache.get({"snr_db": 2.0}, 2) is None and len(cache) == 1      # drawn on another layout: dropped


@pytest.mark.parametrize("name", sorted(BUILD))
def test_a_prepared_state_is_the_state_a_fresh_update_gives(pair, stems, name):
    """prepare() leaves what the student sees as it was; the update to the prepared values is answered from
    it (no computing) and shows exactly what an explorer that computed it shows."""
    good = STUCK[name][1]
    ex, fresh = BUILD[name](pair, stems), BUILD[name](pair, stems)
    before, png_before = state(ex), ex.png()
    assert ex.prepare(**good)
    after = state(ex)
    assert before[:2] == after[:2] and ex.png() == png_before           # nothing shown changed
    assert not ex.prepare(**good)                                       # kept already
    ex.update(**good)
    fresh.update(**good)
    assert ex.last_timing["kept"] and not fresh.last_timing["kept"]
    assert ex.last_timing["compute"] == 0.0
    assert ex.image.value == fresh.image.value                          # the same picture,
    assert ex.image.tooltip == fresh.image.tooltip                      # text alternative,
    assert _table(ex) == _table(fresh)                                  # players
    assert ex.info_html.value == fresh.info_html.value                  # and numbers
    assert ex.png() == fresh.png()                                      # the figure follows
    for attribute in ex._result_names:                                  # and so do the results
        mine, theirs = getattr(ex, attribute), getattr(fresh, attribute)
        if isinstance(mine, np.ndarray):
            np.testing.assert_array_equal(mine, theirs, err_msg=attribute)
    # later changes start from the right results
    ex.update(**dict(zip(good, [ex.params[k] for k in good])))


def test_going_back_shows_the_kept_state(pair):
    ex = widgets.MaskExplorer(*pair, sr=SR)
    shown, table = state(ex), _table(ex)
    ex.update(snr_db=3.0)
    assert not ex.last_timing["kept"]
    ex.update(snr_db=0.0)
    assert ex.last_timing["kept"]
    assert state(ex)[0] == shown[0] and _table(ex) == table
    for label, clip in ex.signals().items():
        np.testing.assert_array_equal(clip, shown[2][label])


def test_a_new_layout_retires_the_kept_pictures(pair, stems):
    """A kept picture is drawn on the axes of its time; once a full redraw changes them (here the scale
    explorer's curves for another estimate), it is not shown again."""
    ex = BUILD["ScaleExplorer"](pair, stems)
    ex.update(gain_db=6.0)
    version = ex.canvas.layout_version
    ex.update(estimate="b")                      # other curves: the whole figure is redrawn
    assert ex.canvas.layout_version > version
    ex.update(estimate="a")
    assert not ex.last_timing["kept"]
    fresh = BUILD["ScaleExplorer"](pair, stems)
    fresh.update(gain_db=6.0)
    assert ex.png() == fresh.png()


def test_only_the_explorer_in_use_keeps_states(pair):
    a, b = widgets.MaskExplorer(*pair, sr=SR), widgets.MaskExplorer(*pair, sr=SR)
    a.controls["snr_db"].value = 1.0
    assert len(a._states) >= 2
    b.controls["snr_db"].value = 1.0
    assert len(a._states) == 0 and len(b._states) >= 2


def test_moving_a_slider_prepares_the_next_step_while_the_kernel_is_idle(pair):
    """In a kernel (an event loop runs), a slider move schedules the next step in the same direction; the
    following key press is answered from it."""
    ex = widgets.MaskExplorer(*pair, sr=SR)

    async def student():
        players = ex.players_html.value
        ex.controls["snr_db"].value = 1.0         # a key press: 0 -> 1 dB
        assert not ex.last_timing["kept"]
        assert ex.players_html.value is players   # the picture goes first, the players once the kernel idles
        await asyncio.sleep(_states.PREPARE_DELAY_S + 1.0)
        assert ex.players_html.value is not players
        assert {**ex.params, "snr_db": 2.0} in ex._states
        ex.controls["snr_db"].value = 2.0         # the next press
        assert ex.last_timing["kept"]
        ex.controls["snr_db"].value = 7.0         # a jump: nothing prepared there
        assert not ex.last_timing["kept"]
        ex.controls["snr_db"].value = 7.5
        ex.controls["mask"].value = "IBM"         # moving on before the idle time: the preparation is dropped
        await asyncio.sleep(_states.PREPARE_DELAY_S + 0.5)
        assert {**ex.params, "snr_db": 8.0} not in ex._states

    asyncio.run(student())
    fresh = widgets.MaskExplorer(*pair, sr=SR, mask="IBM", snr_db=7.5)
    assert ex.png() == fresh.png()


def test_an_update_from_another_thread_waits_for_a_preparation(pair):
    """JupyterLab 4 with ipykernel 7 may run a widget message in a kernel subshell (another thread) while the
    main thread prepares the next step: the update must wait, not interleave (it once left the explorer showing
    the previous value's picture for the new one)."""
    import threading
    import time

    ex = widgets.MaskExplorer(*pair, sr=SR)
    original = ex._compute
    started = threading.Event()

    def slow_compute(changed):
        started.set()
        time.sleep(0.3)  # a long preparation
        original(changed)

    ex._compute = slow_compute
    preparing = threading.Thread(target=ex.prepare, kwargs={"snr_db": 2.0})
    preparing.start()
    started.wait(5)
    ex.update(snr_db=1.0)                         # arrives in the middle of the preparation
    preparing.join(5)
    assert ex.params["snr_db"] == 1.0
    fresh = widgets.MaskExplorer(*pair, sr=SR, snr_db=1.0)
    assert ex.image.value == fresh.image.value and ex.png() == fresh.png()
    ex.update(snr_db=2.0)                         # the prepared state is right too
    assert ex.last_timing["kept"]
    fresh.update(snr_db=2.0)
    assert ex.image.value == fresh.image.value


# ---------------------------------------------------------------- pictures sent ahead to the browser

def test_steps_to_prepare_are_the_next_key_presses():
    slider = w.FloatSlider(value=0.0, min=-10.0, max=10.0, step=0.5)
    assert _states.steps_to_prepare(slider, 0.0, 0.5) == [1.0]            # arrow key: on (back is kept)
    assert _states.steps_to_prepare(slider, 0.0, 2.5) == [5.0, 2.0]       # page key: again, then one back
    assert _states.steps_to_prepare(slider, 0.0, 7.0) == [6.5, 7.5]       # a click on the track: either way
    assert _states.steps_to_prepare(slider, 9.5, 10.0) == []              # at the end, back is kept
    assert len(_states.steps_to_prepare(slider, -10.0, -7.5)) <= _states.MAX_STATES - 1
    assert _states.one_step(slider, 10.0, 1) is None and _states.one_step(slider, 0.0, -1) == -0.5
    steps = w.SelectionSlider(options=[256, 512, 1024, 2048], value=512)
    assert _states.steps_to_prepare(steps, 256, 512) == [1024]
    assert _states.steps_to_prepare(steps, 2048, 512) == [1024, 256]
    assert _states.steps_to_prepare(w.Dropdown(options=["IRM", "IBM"], value="IRM"), "IRM", "IBM") == []


def test_the_tags_say_what_a_picture_shows_as_the_readout_shows_it():
    from specmask_edu.widgets import _controls

    snr = w.FloatSlider(value=0.0, min=-10.0, max=10.0, step=0.5)
    assert _controls.value_tag(snr, "snr_db", -2.5) == "specmask-at-snr_db-n-2.5~0.5"
    frames = w.SelectionSlider(options=[("256 samples", 256), ("1 024 samples", 1024)], value=256)
    assert _controls.value_tag(frames, "n_fft", 1024) == "specmask-at-n_fft-l1%20024%20samples"
    assert _controls.value_tag(w.Dropdown(options=["IRM"], value="IRM"), "mask", "IRM") is None
    assert _controls.ahead_tag(snr, "snr_db", 1.0) == ("specmask-ahead", "specmask-ahead-snr_db",
                                                       "specmask-at-snr_db-n1.0~0.5")


def test_the_kept_states_one_step_away_are_sent_to_the_browser(pair):
    """After a student's move (and once the kernel idles) the explorer's box holds hidden pictures of the kept
    states one slider step away, tagged with the slider and value; its own picture is tagged with what it
    shows. A picture already in the browser is not sent again; a state no longer one step away is untagged."""
    ex = widgets.MaskExplorer(*pair, sr=SR)
    assert "specmask-explorer" in ex.widget._dom_classes
    assert "specmask-at-snr_db-n0.0~1.0" in ex.image._dom_classes
    ex._offer_ahead()
    assert ex._ahead == []                              # nothing kept one step away: no hidden pictures yet
    ex.update(snr_db=1.0)
    assert ex.prepare(snr_db=2.0)
    ex._offer_ahead()
    children = list(ex.widget.children)
    assert children[-3:] == ex._ahead and ex._ahead[0].layout.display == "none"
    # at the end of the box, drawn right after the picture: flex order 0 (picture), 1 (these), 2 (players, numbers)
    assert [a.layout.order for a in ex._ahead] == ["1", "1", "1"]
    assert ex.players_html.layout.order == ex.info_html.layout.order == "2" and ex.image.layout.order is None
    held = {next(c for c in a._dom_classes if c.startswith("specmask-at-")): a for a in ex._ahead}
    # the step prepared next, the step back, and the state shown (for the kernel's late answers)
    assert set(held) == {"specmask-at-snr_db-n2.0~1.0", "specmask-at-snr_db-n0.0~1.0", "specmask-at-snr_db-n1.0~1.0"}
    for value in (0.0, 2.0, 1.0):
        kept = ex._states.get({**ex.params, "snr_db": value}, ex.canvas.layout_version)
        picture = held[f"specmask-at-snr_db-n{value}~1.0"]
        assert picture.value == kept.frame and picture.tooltip == kept.alt
    sent = []
    for picture in ex._ahead:
        picture.observe(lambda change: sent.append(change), names="value")
    ex._offer_ahead()
    assert sent == []                                   # in the browser already
    ex.update(snr_db=2.0)                               # a step along: the step back and the state shown are there
    ex._offer_ahead()
    assert sent == []
    ex.update(snr_db=1.0)
    ex._offer_ahead()
    assert sent == []
    ex._states.clear()                                  # the student's focus goes to another slider, lc_db
    ex._states.put(ex.params, shown := _states.KeptState(ex._results(), ex.image.value, ex.image.tooltip, "",
                                                          ex.canvas.layout_version))
    assert ex.prepare(lc_db=1.0)
    ex._offer_ahead()                                   # the state shown is the same picture, tagged for lc_db now
    tags = sorted(c for a in ex._ahead for c in a._dom_classes if c.startswith("specmask-at-"))
    assert tags == ["specmask-at-lc_db-n0.0~1.0", "specmask-at-lc_db-n1.0~1.0"], tags
    held = {next(c for c in a._dom_classes if c.startswith("specmask-at-")): a for a in ex._ahead if len(a._dom_classes) == 3}
    assert held["specmask-at-lc_db-n0.0~1.0"].value == shown.frame
    assert [change["owner"] for change in sent] == [held["specmask-at-lc_db-n1.0~1.0"]]  # the state shown: not re-sent
    sent.clear()
    ex.update(mask="IBM")                               # another control: nothing kept is one step away
    ex._offer_ahead()
    assert all(a._dom_classes == ("specmask-ahead",) for a in ex._ahead) and sent == []
    ex.update(mask="IRM")
    ex._offer_ahead()
    assert any(len(a._dom_classes) == 3 for a in ex._ahead)
    ex._offer_ahead(withdraw=True)
    assert all(a._dom_classes == ("specmask-ahead",) for a in ex._ahead)


def test_pictures_sent_ahead_are_closed_with_their_explorer(pair):
    import gc

    ex = widgets.MaskExplorer(*pair, sr=SR)
    ex.update(snr_db=1.0)
    ex._offer_ahead()
    ahead = list(ex._ahead)
    assert ahead and all(a.comm is not None for a in ahead)
    del ex
    gc.collect()
    assert all(a.comm is None for a in ahead)


def test_moving_a_slider_sends_the_next_steps_ahead_while_the_kernel_is_idle(pair):
    ex = widgets.MaskExplorer(*pair, sr=SR)
    other = widgets.MaskExplorer(*pair, sr=SR)

    async def student():
        ex.controls["snr_db"].value = 1.0          # a key press: 0 -> 1 dB
        assert ex._ahead == []                     # nothing is sent before the kernel idles
        await asyncio.sleep(_states.PREPARE_DELAY_S + 1.5)
        tags = sorted(c for a in ex._ahead for c in a._dom_classes if c.startswith("specmask-at-"))
        assert tags == ["specmask-at-snr_db-n0.0~1.0", "specmask-at-snr_db-n1.0~1.0", "specmask-at-snr_db-n2.0~1.0"]
        ex.controls["snr_db"].value = 7.0          # a click on the track: one step either way is prepared
        await asyncio.sleep(_states.PREPARE_DELAY_S + 2.5)
        tags = sorted(c for a in ex._ahead for c in a._dom_classes if c.startswith("specmask-at-"))
        assert tags == ["specmask-at-snr_db-n6.0~1.0", "specmask-at-snr_db-n7.0~1.0", "specmask-at-snr_db-n8.0~1.0"]
        assert {**ex.params} in ex._states         # the state shown is still kept
        other.controls["snr_db"].value = 1.0       # the student moves on to another explorer
        assert all(a._dom_classes == ("specmask-ahead",) for a in ex._ahead)

    asyncio.run(student())


def test_the_focus_on_a_slider_sends_one_step_either_way_ahead(pair):
    """Every slider has a hidden focus button (a menu or a checkbox has none); when the page clicks it (the
    student's focus entered the slider), the kernel, once idle, prepares the steps up and down and sends their
    pictures ahead, before any key press. The explorer focused is the one in use: the other one drops its states."""
    from specmask_edu.widgets import _controls

    ex = widgets.MaskExplorer(*pair, sr=SR)
    other = widgets.MaskExplorer(*pair, sr=SR)
    (row,) = [c for c in ex.widget.children if _controls.FOCUS_CLASS in c._dom_classes]
    assert row.layout.display == "none" and ex.widget.children[-1] is row
    buttons = {b._dom_classes[0]: b for b in row.children}
    sliders = [n for n, c in ex.controls.items() if isinstance(c, (w.FloatSlider, w.IntSlider, w.SelectionSlider))]
    assert sorted(buttons) == sorted(f"specmask-focus-{n}" for n in sliders) and "mask" not in sliders
    assert _states.steps_around(ex.controls["snr_db"], 0.0) == [1.0, -1.0]
    assert _states.steps_around(ex.controls["snr_db"], ex.controls["snr_db"].max) == [ex.controls["snr_db"].max - 1]

    async def student():
        other.controls["snr_db"].value = 1.0       # the student used the other explorer last
        await asyncio.sleep(_states.PREPARE_DELAY_S + 1.5)
        assert len(other._states) > 1
        buttons["specmask-focus-snr_db"].click()   # ... and now focuses this one's SNR slider
        assert ex._ahead == [] and len(other._states) == 0
        await asyncio.sleep(_states.PREPARE_DELAY_S + 2.5)
        tags = sorted(c for a in ex._ahead for c in a._dom_classes if c.startswith("specmask-at-"))
        assert tags == ["specmask-at-snr_db-n-1.0~1.0", "specmask-at-snr_db-n0.0~1.0", "specmask-at-snr_db-n1.0~1.0"]
        assert ex.params["snr_db"] == 0.0 and ex.image.value == ex._states.get(ex.params, ex.canvas.layout_version).frame

    asyncio.run(student())
    kept = ex._states.get({**ex.params, "snr_db": 1.0}, ex.canvas.layout_version)
    ex.update(snr_db=1.0)                           # the first key press: answered from the state prepared
    assert ex.last_timing["kept"] and ex.image.value == kept.frame


def test_preparations_give_way_to_a_move_that_waits(pair):
    """A widget message handled in a kernel subshell thread waits for the explorer's lock; the preparations still
    scheduled then do nothing, so the move waits for one preparation at most."""
    ex = widgets.MaskExplorer(*pair, sr=SR)

    async def student():
        ex.controls["snr_db"].value = 7.0          # a click: one step either way would be prepared
        ex._moves_waiting += 1                     # ... but a move is waiting for the kernel
        await asyncio.sleep(_states.PREPARE_DELAY_S + 1.0)
        assert {**ex.params, "snr_db": 6.0} not in ex._states and {**ex.params, "snr_db": 8.0} not in ex._states
        assert ex._ahead == []
        ex._moves_waiting -= 1

    asyncio.run(student())


def test_keys_pressed_in_quick_succession_send_the_players_once_they_stop(pair, monkeypatch):
    """The picture answers every move. After a pause the player table is sent as soon as the kernel idles; for
    moves in quick succession it is marked as updating and sent once no move came for PLAYERS_DELAY_S (the audio
    of the states passed over is never sent)."""
    monkeypatch.setattr(_states, "PLAYERS_DELAY_S", 1.0)  # "in quick succession" whatever the machine's speed
    ex = widgets.MaskExplorer(*pair, sr=SR)
    sent = []
    ex.players_html.observe(lambda change: sent.append(change["new"]), names="value")

    async def student():
        for value in (1.0, 2.0, 3.0, 4.0):          # four presses 0.1 s apart
            ex.controls["snr_db"].value = value
            assert (_controls.PLAYERS_PENDING_CLASS in ex.players_html._dom_classes) == (value > 1.0)
            await asyncio.sleep(0.1)
        assert len(sent) == 1                       # the first press's (after a pause), no more while keys come
        sent.clear()
        await asyncio.sleep(_states.PLAYERS_DELAY_S + 1.5)
        assert len(sent) == 1 and _controls.PLAYERS_PENDING_CLASS not in ex.players_html._dom_classes
        ex.controls["mask"].value = "IBM"
        ex.controls["mask"].value = "IRM"          # back at once: the clips are those sent already
        await asyncio.sleep(_states.PLAYERS_DELAY_S + 1.5)
        assert len(sent) == 1 and _controls.PLAYERS_PENDING_CLASS not in ex.players_html._dom_classes
        ex.controls["snr_db"].value = 5.0          # one press after a pause: its players follow as the kernel idles
        await asyncio.sleep(_states.IDLE_DELAY_S + 0.1)
        assert len(sent) == 2

    asyncio.run(student())
    fresh = widgets.MaskExplorer(*pair, sr=SR).update(snr_db=5.0)  # the same gain: it only ever turns down
    assert _table(ex) == _table(fresh)              # the table sent is the one of the state shown
