"""Explorers of notebooks 00-03 driven through update(...): the figure and the audio really change,
artists are updated in place, nothing piles up, and controls and the static fallback work."""

import hashlib
import itertools

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import specmask_edu as sm  # noqa: E402
from specmask_edu import widgets  # noqa: E402
from specmask_edu._validation import SpecmaskInputError  # noqa: E402

SR = 16000


@pytest.fixture(scope="module")
def pair():
    """1.2 s of harmonic 'speech-like' target and noise (short, so 200 updates stay quick)."""
    rng = np.random.default_rng(7)
    n = int(1.2 * SR)
    t = np.arange(n) / SR
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 2.5 * t) ** 2
    target = 0.3 * envelope * sum(np.sin(2 * np.pi * 180 * k * t + k) / k for k in range(1, 8))
    noise = 0.2 * rng.standard_normal(n)
    return target, noise


def digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def state(explorer):
    """What a student sees and hears: the PNG, the player HTML and the clips."""
    return (digest(explorer.image.value), digest(explorer.players_html.value.encode()),
            {k: v.copy() for k, v in explorer.signals().items()})


def assert_changed(before, after, audio=True):
    assert before[0] != after[0], "the figure did not change"
    if audio:
        assert before[1] != after[1], "the players did not change"
        changed = any(k not in before[2] or before[2][k].shape != v.shape or not np.allclose(before[2][k], v)
                      for k, v in after[2].items())
        assert changed, "no clip changed"


def image_artists(explorer):
    return [im for ax in explorer.fig.axes for im in ax.images]


def drive(explorer, settings, n_updates=200):
    """Cycle through ``settings`` for ``n_updates`` updates; the figure count and artists stay put."""
    fignums = len(plt.get_fignums())
    images = image_artists(explorer)
    n_axes = len(explorer.fig.axes)
    n_children = sum(len(ax.get_children()) for ax in explorer.fig.axes)
    for params in itertools.islice(itertools.cycle(settings), n_updates):
        explorer.update(**params)
    assert len(plt.get_fignums()) == fignums
    assert image_artists(explorer) == images            # same artists, updated in place
    assert len(explorer.fig.axes) == n_axes
    assert sum(len(ax.get_children()) for ax in explorer.fig.axes) == n_children
    assert explorer.last_timing["total"] > 0


# --------------------------------------------------------------------------- STFT explorer


def test_stft_explorer_range_and_numbers(pair):
    x = pair[0]
    ex = widgets.STFTExplorer(x, SR, zoom=(0.2, 0.6, 2000))
    assert ex.widget.children and ex.image.value[:2] == b"\xff\xd8"          # a JPEG frame
    assert ex.png()[:4] == b"\x89PNG"
    for n_fft in widgets.STFTExplorer.N_FFTS:
        before = state(ex)
        ex.update(n_fft=n_fft)
        numbers = ex.numbers()
        cfg = ex.config
        assert numbers["n_bins"] == n_fft // 2 + 1
        assert numbers["n_frames"] == cfg.n_frames(len(x))
        assert numbers["bin_hz"] == pytest.approx(SR / n_fft)
        assert ex.h_full.image.get_array().shape == (n_fft // 2 + 1, numbers["n_frames"])
        if n_fft != 512:
            assert_changed(before, state(ex))
        assert f"{n_fft // 2 + 1} frequency bins" in ex.info()
    for hop in widgets.STFTExplorer.HOPS:
        ex.update(n_fft=1024, hop_length=hop)
        assert ex.config.hop_length == min(hop, 1024)
    assert "hop_length = n_fft is used" in ex.info()          # hop 4096 > n_fft 1024 explained
    for window in widgets.STFTExplorer.WINDOWS:
        before = state(ex)
        ex.update(hop_length=256, window=window)
        assert ex.config.window == window
        assert before[0] != state(ex)[0]
    # COLA settings reconstruct perfectly
    ex.update(n_fft=512, hop_length=128, window="hann")
    assert ex.numbers()["max_reconstruction_error"] < 1e-10


def test_stft_explorer_200_updates_no_pile_up(pair):
    ex = widgets.STFTExplorer(pair[0], SR, zoom=(0.2, 0.6, 2000))
    settings = [dict(n_fft=n, hop_length=h, window=w)
                for n, h, w in zip([128, 256, 512, 1024], [32, 64, 256, 512], ["hann", "hamming", "blackman", "boxcar"])]
    drive(ex, settings)


# --------------------------------------------------------------------------- mask explorer


def test_mask_explorer_every_mask_and_slider_changes_picture_and_sound(pair):
    ex = widgets.MaskExplorer(*pair, sr=SR)
    assert ex.params == {"mask": "IRM", "snr_db": 0.0, "lc_db": 0.0, "beta": 0.5}
    seen = set()
    for mask in ["random", "IBM", "IRM", "Wiener", "IAM"]:
        before = state(ex)
        ex.update(mask=mask)
        if mask != "IRM":
            assert_changed(before, state(ex))
        seen.add(digest(ex.estimate.tobytes()))
        assert ex.controls["lc_db"].disabled == (mask != "IBM")
        assert ex.controls["beta"].disabled == (mask != "IRM")
    assert len(seen) == 5
    ex.update(mask="IBM")
    for lc in (-20.0, -5.0, 5.0, 20.0):
        before = state(ex)
        ex.update(lc_db=lc)
        assert_changed(before, state(ex))
        assert set(np.unique(ex.mask)) <= {0.0, 1.0}
    ex.update(mask="IRM")
    for beta in (0.1, 1.0, 3.0):
        before = state(ex)
        ex.update(beta=beta)
        assert_changed(before, state(ex))
        np.testing.assert_allclose(ex.mask, sm.ideal_ratio_mask(ex.S, ex.Y, beta=beta))
    for snr_db in (-10.0, 5.0, 20.0):
        before = state(ex)
        ex.update(snr_db=snr_db)
        assert_changed(before, state(ex))
        scaled = ex.mixture - ex.target
        assert 10 * np.log10(np.sum(ex.target**2) / np.sum(scaled**2)) == pytest.approx(snr_db, abs=1e-6)
        # the cached linear STFT equals the STFT of the new mixture
        np.testing.assert_allclose(ex.Y, sm.stft(ex.mixture, ex.config), atol=1e-9)
    # the explorer's estimate is the package's oracle separation
    ex.update(mask="Wiener", snr_db=0.0)
    expected = sm.oracle_separate(ex.target, ex.mixture - ex.target, "wiener", ex.config)
    np.testing.assert_allclose(ex.estimate, expected, atol=1e-9)
    assert ex.metrics["estimate"]["SI-SDR"] > ex.metrics["mixture"]["SI-SDR"] + 3


def test_mask_explorer_colour_range_follows_the_mask(pair):
    """Masks bounded by 1 get a 0-1 colour bar; the IAM (above 1 where noise cancels target) gets 0-2. The
    colour bar is repainted into the background without a full redraw, and the picture shows it."""
    ex = widgets.MaskExplorer(*pair, sr=SR)
    colorbar = ex.h_mask.colorbar
    frames = {}
    for mask, top in [("IBM", 1.0), ("IAM", 2.0), ("Wiener", 1.0), ("random", 1.0), ("IAM", 2.0)]:
        ex.update(mask=mask)
        assert ex.h_mask.image.get_clim() == (0.0, top)
        assert colorbar.vmax == top and colorbar.ax.get_ylim()[1] == pytest.approx(top)
        frames.setdefault(top, set()).add(digest(ex.image.value))
    # the colour bar itself (0-1 viridis, or viridis to 1 and red above) differs in the picture
    from io import BytesIO

    from PIL import Image

    def colorbar_pixels():
        box = colorbar.ax.bbox
        height = ex.fig.bbox.height
        frame = np.asarray(Image.open(BytesIO(ex.image.value)).convert("L"), dtype=float)
        return frame[int(height - box.y1):int(height - box.y0), int(box.x0):int(box.x1)]

    ex.update(mask="IAM")
    wide = colorbar_pixels()
    ex.update(mask="IBM")
    narrow = colorbar_pixels()
    assert np.abs(wide - narrow).mean() > 2.0, "the colour bar in the picture did not change with the range"


def test_mask_explorer_players_at_true_level(pair):
    ex = widgets.MaskExplorer(*pair, sr=SR, snr_db=-10.0, mask="IBM", lc_db=5.0)
    table = ex.player_table()
    assert max(np.abs(x).max() for x in table.signals.values()) * table.gain <= 0.99 + 1e-9
    levels = {k: v[0] for k, v in table.levels.items()}
    assert levels["estimate (IBM)"] < levels["mixture"] - 3          # the estimate is really quieter
    assert ex.players_html.value.count("<audio") == 4


def test_mask_explorer_200_updates_no_pile_up(pair):
    ex = widgets.MaskExplorer(*pair, sr=SR)
    settings = [dict(mask="IBM", lc_db=-6.0), dict(mask="IRM", beta=1.5, snr_db=5.0), dict(mask="random"),
                dict(mask="IAM", snr_db=-5.0), dict(mask="Wiener", snr_db=-10.0)]
    drive(ex, settings)


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


def test_show_static_displays_png_players_and_numbers(pair, capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    outputs = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: outputs.append(data)
    try:
        ex = widgets.PhaseExplorer(*pair, sr=SR, phase="zero")
        ex.show_static()
    finally:
        InteractiveShell.clear_instance()
    kinds = [next(iter(d)) if "image/png" not in d else "image/png" for d in outputs]
    assert "image/png" in kinds
    html = " ".join(d.get("text/html", "") for d in outputs)
    assert html.count("<audio") == 3
    assert "SI-SDR" in html and "phase=&#x27;zero&#x27;" in html


# --------------------------------------------------------------------------- phase explorer


def test_phase_explorer_choices(pair):
    ex = widgets.PhaseExplorer(*pair, sr=SR)
    results = {}
    for phase in ["mixture", "clean", "zero", "random"]:
        before = state(ex)
        ex.update(phase=phase)
        if phase != "mixture":
            assert_changed(before, state(ex))
        results[phase] = ex.metrics["estimate"]["SI-SDR"]
    assert results["clean"] > 60                             # |S| with its own phase is the target
    np.testing.assert_allclose(ex.phase_error, sm.phase.phase_difference(ex.S, ex.magnitude * np.exp(1j * ex.phase)))
    assert results["mixture"] > results["random"] and results["mixture"] > results["zero"]
    ex.update(phase="clean")
    assert np.abs(ex.phase_error[ex.magnitude > 1e-8]).max() < 1e-6
    before = state(ex)
    ex.update(phase="mixture", snr_db=15.0)
    assert_changed(before, state(ex))
    drive(ex, [dict(phase=p, snr_db=s) for p, s in zip(["mixture", "clean", "zero", "random"], [0.0, 5.0, -5.0, 10.0])])


# --------------------------------------------------------------------------- Griffin-Lim explorer


def test_griffin_lim_explorer_iterations_and_initial_phase(pair):
    ex = widgets.GriffinLimExplorer(*pair, sr=SR, n_iter=0)
    conv = []
    for n_iter in widgets.GriffinLimExplorer.ITERATIONS:
        before = state(ex)
        ex.update(n_iter=n_iter)
        if n_iter:
            assert_changed(before, state(ex))
        conv.append(ex._convergence["zero"][n_iter])
    assert conv[-1] < conv[0] - 10                            # iterations make the magnitude consistent
    for initial in ["random", "mixture", "zero"]:
        before = state(ex)
        ex.update(initial=initial, n_iter=10)
        assert_changed(before, state(ex))
    # starting from the mixture phase is far better than from zero after few iterations
    assert ex._convergence["mixture"][10] < ex._convergence["zero"][10]
    drive(ex, [dict(n_iter=n, initial=i) for n, i in zip([0, 5, 20, 2], ["zero", "mixture", "random", "zero"])])


def test_griffin_lim_explorer_matches_one_call_without_momentum(pair):
    target, noise = pair
    ex = widgets.GriffinLimExplorer(target, noise, sr=SR, momentum=0.0, n_iter=0)
    for n_iter in (2, 10, 20):
        ex.update(n_iter=n_iter, initial="mixture")
        one_call = sm.griffin_lim(ex.magnitude, n_iter=n_iter, initial_phase=ex.initial_phases["mixture"],
                                  config=ex.config, length=len(target), momentum=0.0)
        np.testing.assert_allclose(ex.estimate, one_call, atol=1e-8)


def test_griffin_lim_explorer_without_interference(pair):
    ex = widgets.GriffinLimExplorer(pair[0], sr=SR)
    assert list(ex.controls["initial"].options) == ["zero", "random"]
    with pytest.raises(SpecmaskInputError):
        ex.update(initial="mixture")


def test_spectral_convergence_db():
    cfg = sm.STFTConfig()
    x = np.random.default_rng(0).standard_normal(SR)
    assert widgets.spectral_convergence_db(x, np.abs(sm.stft(x, cfg)), cfg) < -200
    assert widgets.spectral_convergence_db(0.5 * x, np.abs(sm.stft(x, cfg)), cfg) == pytest.approx(-6.02, abs=0.01)


def test_from_example_uses_bundled_clips():
    ex = widgets.MaskExplorer.from_example("speech_female_1", "white_noise", mask="IBM")
    assert ex.sr == SR and len(ex.target) == len(sm.load_example("speech_female_1"))
    assert ex.image.value[:2] == b"\xff\xd8"


def test_stft_explorer_keeps_the_time_axis_when_frames_change(pair):
    """A new n_fft or hop changes the image's extent, but not the axes (whose ticks sit in the background)."""
    ex = widgets.STFTExplorer(pair[0], sr=SR)
    view = ex.h_full.ax.get_xlim(), ex.h_zoom.ax.get_xlim(), ex.h_zoom.ax.get_ylim()
    for setting in (dict(n_fft=2048, hop_length=1024), dict(n_fft=256, hop_length=16), dict(n_fft=512, hop_length=128)):
        ex.update(**setting)
        assert (ex.h_full.ax.get_xlim(), ex.h_zoom.ax.get_xlim(), ex.h_zoom.ax.get_ylim()) == view


def test_phase_explorer_snr_moves_only_change_what_depends_on_the_snr(pair):
    ex = widgets.PhaseExplorer(*pair, sr=SR, phase="clean")
    estimate = ex.estimate
    ex.update(snr_db=10.0)
    assert ex.estimate is estimate                         # |S| with the clean phase does not depend on the SNR
    assert ex.metrics["mixture"]["SNR"] == pytest.approx(10.0, abs=0.01)
    ex.update(phase="mixture")
    mixture_phase_estimate = ex.estimate.copy()
    ex.update(snr_db=-5.0)
    assert not np.allclose(ex.estimate, mixture_phase_estimate)   # the mixture phase does


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
