"""The STFT explorer of lesson 01 (specmask_edu/widgets/stft.py) driven through update(...)."""

import matplotlib
import pytest

matplotlib.use("Agg")

from specmask_edu import widgets  # noqa: E402
from _explorers import SR, assert_changed, drive, state  # noqa: E402


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


def test_stft_explorer_keeps_the_time_axis_when_frames_change(pair):
    """A new n_fft or hop changes the image's extent, but not the axes (whose ticks sit in the background)."""
    ex = widgets.STFTExplorer(pair[0], sr=SR)
    view = ex.h_full.ax.get_xlim(), ex.h_zoom.ax.get_xlim(), ex.h_zoom.ax.get_ylim()
    for setting in (dict(n_fft=2048, hop_length=1024), dict(n_fft=256, hop_length=16), dict(n_fft=512, hop_length=128)):
        ex.update(**setting)
        assert (ex.h_full.ax.get_xlim(), ex.h_zoom.ax.get_xlim(), ex.h_zoom.ax.get_ylim()) == view


def test_stft_explorer_random_phase_clip_follows_the_setting(pair):
    """The random-phase clip is made when the players ask for it, for the setting shown."""
    import numpy as np

    from specmask_edu.phase import rebuild_with_phase

    x = pair[0]
    ex = widgets.STFTExplorer(x, SR, seed=3)
    for setting in (dict(n_fft=1024), dict(hop_length=64, window="hamming"), dict(n_fft=512, hop_length=128)):
        ex.update(**setting)
        expected = rebuild_with_phase(np.abs(ex.X), "random", config=ex.config, length=len(x), rng=3)
        np.testing.assert_array_equal(ex.signals()["magnitude only (random phase)"], expected)


def test_stft_explorer_makes_the_random_phase_clip_once_per_setting(pair, monkeypatch):
    """Going back to a setting shown before (a kept state) reuses its random-phase clip."""
    from specmask_edu.widgets import stft as stft_widget

    made = []
    original = stft_widget.rebuild_with_phase
    monkeypatch.setattr(stft_widget, "rebuild_with_phase", lambda *a, **k: made.append(1) or original(*a, **k))
    ex = widgets.STFTExplorer(pair[0], SR)
    ex.signals()
    ex.update(n_fft=1024)
    ex.signals()
    ex.update(n_fft=512)                 # back: the kept state, with its clip
    ex.signals()
    assert len(made) == 2
