"""What every explorer shares (specmask_edu/widgets/_base.py, _controls.py, _canvas.py): checked
parameters, controls that drive update(), the static view, from_example, the players' gain."""

import gc
import subprocess
import sys
import weakref

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import ipywidgets as w  # noqa: E402
import specmask_edu as sm  # noqa: E402
from specmask_edu import widgets  # noqa: E402
from specmask_edu._validation import SpecmaskInputError  # noqa: E402
from _explorers import BUILD, SR, STUCK, assert_changed, assert_same, show_static_outputs, state  # noqa: E402


def test_bad_parameters_are_explained(pair):
    ex = widgets.MaskExplorer(*pair, sr=SR)
    with pytest.raises(SpecmaskInputError, match="mask"):
        ex.update(mask="CIRM")
    with pytest.raises(SpecmaskInputError, match="between"):
        ex.update(snr_db=99)
    with pytest.raises(SpecmaskInputError, match="Unknown parameter"):
        ex.update(n_fft=1024)
    with pytest.raises(SpecmaskInputError, match="Unknown parameter"):
        widgets.MaskExplorer(*pair, sr=SR, colour="red")


def test_controls_drive_update_and_errors_show_in_widget(pair):
    ex = widgets.MaskExplorer(*pair, sr=SR)
    before = state(ex)
    ex.controls["mask"].value = "IBM"                         # what a student's click does
    assert ex.params["mask"] == "IBM"
    assert_changed(before, state(ex))
    ex.controls["lc_db"].value = 10.0
    assert ex.params["lc_db"] == 10.0
    # update() from code moves the controls too
    ex.update(snr_db=7.0)
    assert ex.controls["snr_db"].value == 7.0
    # sliders that trigger an inverse STFT update on release
    assert ex.controls["snr_db"].continuous_update is False


def test_from_example_uses_bundled_clips():
    ex = widgets.MaskExplorer.from_example("speech_female_1", "white_noise", mask="IBM")
    assert ex.sr == SR and len(ex.target) == len(sm.load_example("speech_female_1"))
    assert ex.image.value[:2] == b"\xff\xd8"


def test_player_gain_only_turns_down(pair):
    """A clip that a slider move did not change keeps its playback level; a louder setting turns the whole
    group down once (and it stays down, like the waveform scale)."""
    ex = widgets.MaskExplorer(3.0 * pair[0], 3.0 * pair[1], sr=SR)   # loud enough to need turning down
    ex.update(snr_db=20.0)
    gain_quiet = ex.player_table().gain
    ex.update(snr_db=-10.0)
    gain_loud = ex.player_table().gain
    ex.update(snr_db=20.0)
    assert gain_loud <= gain_quiet and ex.player_table().gain == gain_loud


@pytest.mark.parametrize("make", [
    lambda p, s: widgets.ComplexMaskExplorer(*p, sr=SR, phase_levels=4),
    lambda p, s: widgets.CompressionExplorer(*p, sr=SR, C=1.0),
    lambda p, s: widgets.MixingConsoleExplorer(s, sr=SR, mute_drums=True),
    lambda p, s: widgets.HPSSExplorer(s["bass"] + s["chords"], s["drums"], sr=SR, margin=2.0),
    lambda p, s: widgets.ScaleExplorer({"x": p[0]}, p[0], sr=SR, gain_db=-6.0),
], ids=["polar", "compression", "console", "hpss", "scale"])
def test_show_static_shows_figure_players_and_numbers(pair, stems, make):
    fignums = len(plt.get_fignums())
    ex = make(pair, stems)
    outputs = show_static_outputs(ex)
    assert any("image/png" in d or "image/jpeg" in d for d in outputs)
    html = " ".join(d.get("text/html", "") for d in outputs)
    assert html.count("<audio") == len(ex.signals()) and "dB" in html
    assert len(plt.get_fignums()) == fignums                              # explorers never make pyplot figures


# --------------------------------------------------------------------------- every explorer: freed, never stuck


def explorer_classes():
    return {name for name in widgets.__all__
            if isinstance(getattr(widgets, name), type) and issubclass(getattr(widgets, name), widgets.Explorer)
            and name != "Explorer"}


def test_every_explorer_is_covered():
    assert set(BUILD) == set(STUCK) == explorer_classes()


@pytest.mark.parametrize("name", sorted(BUILD))
def test_explorer_is_freed_when_nobody_refers_to_it(pair, stems, name):
    """Re-running an explorer cell must free the old explorer (its STFTs, its figure): the controls hold it
    only weakly, and its widgets are closed once it is gone."""
    ex = BUILD[name](pair, stems)
    control_name, control = next(iter(ex.controls.items()))
    ex.update(**STUCK[name][1])                                    # used from code...
    values = [o[1] if isinstance(o, tuple) else o for o in getattr(control, "options", ())]
    if values:
        control.value = values[-1]                                 # ...and through a control
    box, image, slider = ex.widget, ex.image, control
    ref = weakref.ref(ex)
    del ex
    gc.collect()
    assert ref() is None, f"{name} is still alive: {[type(r).__name__ for r in gc.get_referrers(ref())]}"
    assert box.comm is None and image.comm is None and slider.comm is None   # its widgets are closed
    assert image.value == b""                                      # and the picture is dropped


@pytest.mark.parametrize("name", sorted(BUILD))
def test_explorer_keeps_its_last_good_state_after_a_bad_value(pair, stems, name):
    bad, good = STUCK[name]
    ex = BUILD[name](pair, stems)
    params, before = dict(ex.params), state(ex)
    with pytest.raises(SpecmaskInputError) as info:
        ex.update(**bad)
    assert list(bad)[0] in str(info.value)                         # the message names the parameter
    with pytest.raises(SpecmaskInputError):
        ex.update(**{**good, **bad})                               # one bad value: nothing is stored
    assert ex.params == params
    assert_same(before, state(ex))
    assert all(ex.controls[k].value == v for k, v in params.items())
    ex.update(**good)                                              # later valid updates work
    assert all(ex.params[k] == v for k, v in good.items())
    assert_changed(before, state(ex))


def test_a_failure_while_computing_restores_the_previous_state(pair):
    """If computing a new state fails, the old values are put back and recomputed, and the error is a
    SpecmaskInputError (never a library traceback)."""
    ex = widgets.MaskExplorer(*pair, sr=SR)
    original = ex.mask_array

    def failing():
        if ex.params["beta"] == 2.0:
            raise RuntimeError("boom")
        return original()

    ex.mask_array = failing
    before, estimate = state(ex), ex.estimate.copy()
    with pytest.raises(SpecmaskInputError, match="kept its previous settings"):
        ex.update(beta=2.0)
    assert ex.params["beta"] == 0.5 and ex.controls["beta"].value == 0.5
    np.testing.assert_allclose(ex.estimate, estimate)
    assert_same(before, state(ex))
    ex.update(beta=1.0)
    np.testing.assert_allclose(ex.mask, sm.ideal_ratio_mask(ex.S, ex.Y, beta=1.0))


def test_numbers_equal_to_a_menu_value_are_that_value(pair):
    """``n_fft=1024.0`` is the menu's 1024 (an int: STFTConfig needs one); a label of a menu is its value."""
    ex = widgets.STFTExplorer(pair[0], SR)
    ex.update(n_fft=1024.0)
    assert ex.params["n_fft"] == 1024 and type(ex.params["n_fft"]) is int
    ex.update(n_fft=np.int64(256), hop_length=64)
    assert type(ex.params["n_fft"]) is int and ex.config.n_fft == 256
    for bad in (True, "512", 1024.5, None, [512]):
        with pytest.raises(SpecmaskInputError, match="n_fft"):
            ex.update(n_fft=bad)
    assert ex.params["n_fft"] == 256
    polar = widgets.ComplexMaskExplorer(*pair, sr=SR, amplitude="1 (phase only)")   # the label shown in the menu
    assert polar.params["amplitude"] == "one"
    with pytest.raises(SpecmaskInputError, match="phase_levels"):
        polar.update(phase_levels=False)                            # a bool is not the number 0


# --------------------------------------------------------------------------- bad inputs get a clear message


@pytest.mark.parametrize("sr", [0, -16000, 1.5, True, "16000", float("nan")])
def test_explorer_refuses_a_bad_sample_rate(pair, sr):
    with pytest.raises(SpecmaskInputError, match="sr"):
        widgets.MaskExplorer(*pair, sr=sr)


def test_explorer_accepts_a_whole_float_sample_rate(pair):
    assert widgets.MaskExplorer(*pair, sr=16000.0).sr == 16000


def test_scale_explorer_refuses_a_silent_estimate(pair):
    target = pair[0]
    with pytest.raises(SpecmaskInputError, match="silent"):
        widgets.ScaleExplorer({"s": np.zeros_like(target)}, target, sr=SR)
    ex = widgets.ScaleExplorer({"s": target + 0.1 * pair[1]}, target, sr=SR, zoom=(0.2, 0.25))
    for gain_db in (-20.0, 0.0, 20.0):
        assert "nan" not in ex.update(gain_db=gain_db).info().lower()


def test_mixing_console_escapes_stem_names(stems):
    names = {"bass": "<b>bass</b>", "chords": "chords & pads", "melody": "<script>x</script>", "drums": "drums"}
    ex = widgets.MixingConsoleExplorer({names[k]: v[:SR] for k, v in stems.items()}, sr=SR)
    text = ex.info()
    assert "&lt;b&gt;bass&lt;/b&gt;" in text and "chords &amp; pads" in text and "<script>" not in text
    assert "<b>bass</b>" not in text


def test_from_example_names_its_clips():
    with pytest.raises(SpecmaskInputError, match="at most 2"):
        widgets.MaskExplorer.from_example("speech_female_1", "babble", "white_noise")
    with pytest.raises(SpecmaskInputError, match="none"):
        widgets.MixingConsoleExplorer.from_example("bass")
    ex = widgets.ScaleExplorer.from_example(noise="white_noise", snr_db=5.0, gain_db=-6.0)
    assert list(ex.estimates) == ["IRM", "IBM", "PSM"] and ex.params["gain_db"] == -6.0


def test_importing_the_package_does_not_load_the_explorers():
    """The explorers (ipywidgets, matplotlib) load only when a lesson asks for them."""
    code = ("import sys, specmask_edu; loaded = [m for m in ('specmask_edu.widgets', 'ipywidgets', 'matplotlib') "
            "if m in sys.modules]; print(loaded)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- what a student sees: alt text, widths


@pytest.mark.parametrize("name", sorted(BUILD))
def test_explorer_picture_carries_a_text_alternative_of_its_current_state(pair, stems, name):
    """The live picture's ``tooltip`` (its HTML title, written out as alt by the HTML edition) says what the
    figure shows, the current settings as the controls show them, and the numbers; it follows every update.
    ``show_static`` gives the PNG the same text as its alt."""
    ex = BUILD[name](pair, stems)
    alt = ex.image.tooltip
    assert alt == ex.alt_text() and ex.picture and alt.startswith(ex.picture.rstrip(". "))
    for control_name, control in ex.controls.items():
        assert f"{control.description}: " in alt, f"{name}: the alt text does not give {control_name}"
    assert "<" not in alt and len(alt.split()) >= 15
    ex.update(**STUCK[name][1])
    assert ex.image.tooltip == ex.alt_text() != alt, f"{name}: the alt text did not follow the update"
    html = " ".join(d.get("text/html", "") for d in show_static_outputs(ex))
    import html as html_module
    assert f'alt="{html_module.escape(ex.alt_text(), quote=True)}"' in html


def test_alt_text_shows_menu_labels_numbers_and_switches(pair):
    ex = widgets.ComplexMaskExplorer(*pair, sr=SR, amplitude="one", phase_levels=4, phase_scale=0.25)
    assert "amplitude A: 1 (phase only); phase scale: 0.25; phase rounded to: 4 values; input SNR (dB): 0." \
        in ex.alt_text()
    assert "SI-SDR" in ex.alt_text()
    console = widgets.MixingConsoleExplorer({"a": pair[0], "b": pair[1]}, sr=SR, mute_a=True)
    assert "mute a: on" in console.alt_text() and "mute b: off" in console.alt_text()


@pytest.mark.parametrize("name", sorted(BUILD))
def test_every_control_keeps_a_usable_width(pair, stems, name):
    """A slider never gets narrower than its label, a 150 px track and its value, a menu than its label and
    150 px; rows of controls wrap instead of squeezing them (a laptop at 1280 x 800: tests/test_browser.py
    measures the tracks)."""
    from specmask_edu.widgets import _controls

    ex = BUILD[name](pair, stems)
    for control_name, control in ex.controls.items():
        if isinstance(control, (w.FloatSlider, w.SelectionSlider, w.Dropdown)):
            minimum = int(control.layout.min_width.removesuffix("px"))
            assert minimum >= _controls._label_px(control.description) + _controls.MIN_TRACK_PX, control_name
            assert control.style.description_width == "initial"     # the whole label, never cut off
    rows = [child for child in ex.widget.children if isinstance(child, w.HBox)]
    assert rows and all(row.layout.flex_flow == "row wrap" for row in rows)


def test_long_labels_are_gone(pair, stems):
    """The labels stay short enough that a control fits a third of a laptop-width row (the complex-mask
    explorer's "phase φ = scale × ∠(S/Y), scale" did not: its track shrank to 6 px)."""
    for name, make in BUILD.items():
        for control_name, control in make(pair, stems).controls.items():
            assert len(control.description) <= 26, f"{name}.{control_name}: {control.description!r}"


def test_players_are_rebuilt_only_when_their_sound_changed(pair):
    """Encoding the audio is the expensive part of the player table: an update that leaves every clip as it
    was does not build it again (and sends nothing); one that changes a clip does."""
    ex = widgets.MaskExplorer(*pair, sr=SR)
    calls = []
    original = ex.player_table
    ex.player_table = lambda *a, **k: calls.append(1) or original(*a, **k)
    html = ex.players_html.value
    ex.update()
    ex.update(lc_db=5.0)            # the IBM's criterion: the IRM shown does not depend on it
    assert calls == [] and ex.players_html.value == html
    ex.update(mask="IBM")
    assert calls == [1] and ex.players_html.value != html


def test_players_are_resent_only_when_the_played_samples_change(stems):
    """"Changed" means what the student would hear: the 16-bit samples of the WAV (and the descriptions).
    The mixing console with every fader at 0 dB plays the mixture for any soft-mask power (the masks sum to
    one; the output differs by ~1e-16), so moving p sends no audio; moving a fader does."""
    from specmask_edu.widgets._base import _fingerprint

    ex = widgets.MixingConsoleExplorer(stems, sr=SR)
    sent = []
    ex.players_html.observe(lambda change: sent.append(change["new"]), names="value")
    output = ex.output.copy()
    for power in (0.5, 4.0, 8.0):
        ex.update(power=power)
    assert not np.array_equal(ex.output, output) and np.allclose(ex.output, output, atol=1e-12)
    assert sent == []
    ex.update(gain_bass=-6.0)
    assert len(sent) == 1                                                    # the output is quieter

    x = np.linspace(-0.5, 0.5, 1000)
    same = _fingerprint({"a": x}, 1.0, {"a": "a clip"})
    assert _fingerprint({"a": x + 1e-9}, 1.0, {"a": "a clip"}) == same          # below 16-bit resolution
    assert _fingerprint({"a": x + 2 / 32767}, 1.0, {"a": "a clip"}) != same     # two steps of 16 bits
    assert _fingerprint({"a": x}, 0.5, {"a": "a clip"}) != same                 # the table's gain
    assert _fingerprint({"a": x}, 1.0, {"a": "another clip"}) != same           # what the table says
    assert _fingerprint({"b": x}, 1.0, {"a": "a clip"}) != same


def _displayed(shown):
    """The MIME bundles (data, metadata) that ``display(shown)`` publishes, in order."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import display

    shell = InteractiveShell.instance()
    outputs = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: outputs.append((data, metadata or {}))
    try:
        display(shown)
    finally:
        InteractiveShell.clear_instance()
    return outputs


def test_showing_an_explorer_names_its_slider_handles(pair):
    """ipywidgets 8 leaves a slider's handle (role=slider) without an accessible name; showing an explorer
    (``explorer.widget`` as the lessons do, or the explorer itself) also displays the script that copies each
    slider's label to its handle (tests/test_widgets_browser.py checks it runs in JupyterLab)."""
    ex = widgets.MaskExplorer(*pair, sr=SR)
    for shown in (ex.widget, ex):
        outputs = _displayed(shown)
        assert [sorted(d) for d, _ in outputs] == [
            ["application/vnd.jupyter.widget-view+json", "image/png", "text/html", "text/plain"],
            ["application/javascript", "text/plain"]]
        assert outputs[0][0]["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
        script = outputs[1][0]["application/javascript"]
        assert "aria-label" in script and "MutationObserver" in script and "[role=slider]" in script


@pytest.mark.parametrize("name", sorted(BUILD))
def test_an_explorer_displays_once_with_its_static_view(pair, stems, name):
    """A live notebook shows each explorer ONCE: displaying it publishes exactly one bundle holding both the live
    widget view and the static view (text/html: the figure as PNG with its alt text, the players, the numbers;
    image/png with the alt in its metadata), which frontends without widgets show instead, plus the script naming
    the slider handles. (The lessons used to add a ``show_static()`` cell below, a second, stale copy.)"""
    import html as html_module

    ex = BUILD[name](pair, stems)
    outputs = _displayed(ex.widget)
    views = [(d, m) for d, m in outputs if "application/vnd.jupyter.widget-view+json" in d]
    assert len(views) == 1, f"{name}: {len(views)} widget views"
    pictures = [d for d, _ in outputs if "image/png" in d or "<img" in d.get("text/html", "")]
    assert len(pictures) == 1 and pictures[0] is views[0][0], f"{name}: the figure is displayed more than once"
    assert [sorted(d) for d, _ in outputs if d is not views[0][0]] == [["application/javascript", "text/plain"]]
    data, metadata = views[0]
    static = data["text/html"]
    alt = ex.alt_text()
    assert f'alt="{html_module.escape(alt, quote=True)}"' in static and static.count("<img") == 1
    assert metadata["image/png"]["alt"] == alt and data["text/plain"] == f"[explorer] {alt}"
    assert static.count("<audio") == len(ex.signals()) == static.count("aria-describedby=")
    assert plots_png_matches(data["image/png"], ex.png())
    for control in ex.controls.values():
        assert html_module.escape(f"{control.description}: ") in static, f"{name}: settings missing"
    # a freed explorer's box falls back to the plain widget view (the box does not keep the explorer alive)
    box = ex.widget
    del ex
    import gc

    gc.collect()
    assert box.static_view() is None


def plots_png_matches(b64: str, png: bytes) -> bool:
    import base64

    return base64.b64decode(b64) == png


@pytest.mark.parametrize("name", sorted(BUILD))
def test_every_explorer_player_has_a_label_and_a_description(pair, stems, name):
    """Every clip an explorer plays is named (aria-label) and described in a short visible sentence tied to the
    player (aria-describedby), before and after an update that changes the clips."""
    import re

    ex = BUILD[name](pair, stems)
    for _ in range(2):
        described = ex.descriptions()
        assert set(ex.signals()) <= set(described), f"{name}: clips without a description"
        assert all(8 <= len(described[k]) <= 200 for k in ex.signals()), f"{name}: {described}"
        table = ex.players_html.value
        labels = re.findall(r'<audio aria-label="([^"]*)" aria-describedby="([^"]*)"', table)
        assert len(labels) == len(ex.signals()) == table.count("<audio"), f"{name}: a player without name/description"
        for _, element_id in labels:
            assert f"id='{element_id}'" in table
        ex.update(**STUCK[name][1])


def test_explorers_from_the_bundled_clips_give_the_words_of_the_speech():
    """``from_example`` knows which recording it loaded: the clean speech's description gives its transcript
    from the catalogue; an explorer built from arrays can be given one (``transcript=``)."""
    words = sm.example_info("speech_allison_1")["text"]
    ex = widgets.MaskExplorer.from_example()
    assert ex.transcript == words and words in ex.descriptions()["clean target"]
    assert words.split(".")[0] in ex.players_html.value
    band = widgets.MixingConsoleExplorer.from_example()
    assert band.transcript is None and all("Words:" not in d for d in band.descriptions().values())
    with pytest.raises(SpecmaskInputError, match="transcript"):
        widgets.STFTExplorer(np.zeros(SR), SR, transcript=3)


def test_mask_explorer_labels_come_from_the_registry(pair):
    ex = widgets.MaskExplorer(*pair, sr=SR, mask="IBM", lc_db=-6.0)
    assert ex._mask_label() == f"{sm.masks.MASKS['ibm'].label} {{0, 1}}, LC = -6 dB"
    ex.update(mask="IAM")
    assert ex._mask_label() == "IAM [0, inf), shown 0-2"
    assert "mask: IAM" in ex.alt_text()
