"""The scale explorer of lesson 06 (specmask_edu/widgets/evaluation.py), and the helpers lesson 06 uses
beside it (lowpass_mask, match_score, plot_sweep)."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import specmask_edu as sm  # noqa: E402
from specmask_edu import plots, widgets  # noqa: E402
from specmask_edu._validation import SpecmaskInputError  # noqa: E402
from _explorers import SR, assert_changed, drive, state  # noqa: E402


def test_scale_explorer_snr_moves_si_sdr_does_not(pair):
    target, noise = pair
    estimate = target + 0.3 * noise
    ex = widgets.ScaleExplorer({"noisy": estimate, "quiet": 0.5 * target}, target, sr=SR, zoom=(0.2, 0.25))
    si = ex.metrics["scaled estimate"]["SI-SDR"]
    snrs = {}
    for gain_db in (-20.0, -6.0, 0.0, 6.0, 20.0):
        before = state(ex)
        ex.update(gain_db=gain_db)
        if gain_db != 0.0:
            assert_changed(before, state(ex))
        assert ex.metrics["scaled estimate"]["SI-SDR"] == pytest.approx(si, abs=1e-9)
        snrs[gain_db] = ex.metrics["scaled estimate"]["SNR"]
    assert snrs[0.0] > snrs[6.0] > snrs[20.0] and snrs[0.0] > snrs[-6.0] > snrs[-20.0]
    best = ex.curves["noisy"]["best_gain_db"]
    g = 10 ** (best / 20)
    assert sm.snr(g * estimate, target) >= max(snrs.values()) - 1e-9       # g* is the best gain
    before = state(ex)
    ex.update(estimate="quiet", gain_db=20 * np.log10(2.0))                # half level turned up 6 dB
    assert_changed(before, state(ex))
    assert ex.metrics["scaled estimate"]["SNR"] > 60
    assert ex.curves["quiet"]["best_gain_db"] == pytest.approx(20 * np.log10(2.0))
    ex.update(gain_db=20.0)                                                # 10 x a 0.3-peak signal: turned down
    table = ex.player_table()
    assert table.gain < 1 and max(np.abs(x).max() for x in table.signals.values()) * table.gain <= 0.99 + 1e-9
    assert table.levels["clean target"][0] < table.levels[next(iter(table.levels))][0] - 10
    with pytest.raises(SpecmaskInputError):
        widgets.ScaleExplorer({"short": target[:100]}, target, sr=SR)


def test_scale_explorer_200_updates_no_pile_up(pair):
    target, noise = pair
    ex = widgets.ScaleExplorer({"a": target + 0.2 * noise, "b": 0.7 * target}, target, sr=SR, zoom=(0.2, 0.25))
    drive(ex, [dict(gain_db=g, estimate=e) for g, e in zip([-12.0, 0.0, 9.5, -3.0, 18.0], "ababa")])


def test_lowpass_mask():
    cfg = sm.STFTConfig(n_fft=512, hop_length=128)
    M = sm.lowpass_mask((257, 10), SR, 1000.0, cfg)
    freqs = cfg.frequencies(SR)
    assert M.shape == (257, 10) and set(np.unique(M)) == {0.0, 1.0}
    assert np.all(M[freqs < 1000] == 1) and np.all(M[freqs >= 1000] == 0)
    t = np.arange(SR) / SR
    x = np.sin(2 * np.pi * 300 * t) + np.sin(2 * np.pi * 3000 * t)
    y = sm.separate(x, sm.lowpass_mask(sm.stft(x, cfg).shape, SR, 1000.0, cfg), cfg)
    np.testing.assert_allclose(y[2000:-2000], np.sin(2 * np.pi * 300 * t)[2000:-2000], atol=1e-3)
    with pytest.raises(SpecmaskInputError, match="n_fft"):
        sm.lowpass_mask((513, 10), SR, 1000.0, cfg)
    with pytest.raises(SpecmaskInputError, match="cutoff"):
        sm.lowpass_mask((257, 10), SR, 9000.0, cfg)


def test_match_score_finds_a_cutoff_with_the_same_si_sdr(pair):
    noise = pair[1]
    target = sm.load_example("speech_female_1")[: len(noise)]    # speech: the score grows smoothly with the cutoff
    cfg = sm.STFTConfig()
    shape = sm.stft(target, cfg).shape

    def muffled(cutoff):
        return sm.separate(target, sm.lowpass_mask(shape, SR, cutoff, cfg), cfg)

    for wanted in (5.0, 15.0):
        result = sm.match_score(muffled, target, wanted, 100, 8000)
        assert abs(result["score"] - wanted) < 0.5
        assert result["score"] == pytest.approx(sm.si_sdr(result["estimate"], target))
        assert 100 <= result["param"] <= 8000
    # a falling score works too (more noise, lower SI-SDR), and other metrics
    result = sm.match_score(lambda level: target + level * noise, target, 10.0, 0.0, 3.0, metric=sm.snr, tol_db=0.01)
    assert abs(result["score"] - 10.0) <= 0.01
    with pytest.raises(SpecmaskInputError, match="widen"):
        sm.match_score(muffled, target, 500.0, 100, 8000)


def test_plot_sweep_marks_values_above_the_scale():
    fignums = len(plt.get_fignums())
    fig, ax = plots.get_figure("test-sweep", figsize=(6, 3))
    table = {"IRM": {-5: 12.0, 0: 10.0, 5: 8.0}, "cIRM": {-5: 105.0, 0: 100.0, 5: 95.0},
             "mixed": {-5: 20.0, 0: 30.0, 5: 120.0}}
    plots.plot_sweep(table, ax=ax, ylim=(0, 40))
    assert ax.get_ylim() == (0, 40)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert "cIRM (above the scale)" in lines and "IRM" in lines and "mixed" in lines
    assert np.all(lines["cIRM (above the scale)"].get_ydata() < 40)
    texts = [t.get_text() for t in ax.texts]
    assert "↑ 95 to 105" in texts and "↑ 120" in texts
    with pytest.raises(SpecmaskInputError):
        plots.plot_sweep({}, ax=ax)
    plt.close(fig)
    assert len(plt.get_fignums()) == fignums
