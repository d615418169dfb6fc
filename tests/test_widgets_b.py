"""Explorers of notebooks 04-06 driven through update(...) across their parameter ranges: the figure and
the audio really change, the numbers are right, and nothing piles up over 200 updates. Also the small
pure helpers behind them (hpss_masks, lowpass_mask, match_score, plot_sweep)."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import specmask_edu as sm  # noqa: E402
from specmask_edu import plots, widgets  # noqa: E402
from specmask_edu._validation import SpecmaskInputError  # noqa: E402
from test_widgets import assert_changed, drive, pair, state  # noqa: E402,F401  (shared helpers and the 1.2 s `pair`)

SR = 16000


@pytest.fixture(scope="module")
def stems():
    """A 2.5 s band from the synthesiser (the bundled band is the same generator, 5 s)."""
    return sm.synth.band(duration=2.5, sr=SR, seed=3)


def show_static_outputs(explorer):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    outputs = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: outputs.append(data)
    try:
        explorer.show_static()
    finally:
        InteractiveShell.clear_instance()
    return outputs


# --------------------------------------------------------------------------- 04: complex masks in polar form


def test_complex_mask_explorer_amplitude_and_phase(pair):
    target, noise = pair
    ex = widgets.ComplexMaskExplorer(target, noise, sr=SR)
    assert ex.params == {"amplitude": "cirm", "phase_scale": 1.0, "phase_levels": 0, "snr_db": 0.0}
    assert np.iscomplexobj(ex.mask)
    np.testing.assert_allclose(ex.estimate, target, atol=1e-9)           # the cIRM is exact
    assert ex.metrics["estimate"]["SI-SDR"] > 60

    scores = {}
    for scale in (0.75, 0.5, 0.25, 0.0):
        before = state(ex)
        ex.update(phase_scale=scale)
        assert_changed(before, state(ex))
        scores[scale] = ex.metrics["estimate"]["SI-SDR"]
    assert scores[0.0] < scores[0.25] < scores[0.5] < scores[0.75]       # more of the rotation, better
    iam = sm.separate(ex.mixture, sm.ideal_amplitude_mask(ex.S, ex.Y), ex.config)
    np.testing.assert_allclose(ex.estimate, iam, atol=1e-9)               # scale 0 = the real IAM

    ex.update(phase_scale=1.0)
    levels = {}
    for n in (2, 4, 8, 16, 32):
        before = state(ex)
        ex.update(phase_levels=n)
        assert_changed(before, state(ex))
        phases = np.angle(ex.mask[np.abs(ex.mask) > 1e-9])
        assert len(np.unique(np.round(np.mod(phases, 2 * np.pi) / (2 * np.pi / n)) % n)) <= n
        levels[n] = ex.metrics["estimate"]["SI-SDR"]
    assert levels[2] < levels[8] < levels[32]

    ex.update(phase_levels=0)
    for amplitude in ("bounded", "irm", "one", "cirm"):
        before = state(ex)
        ex.update(amplitude=amplitude)
        assert_changed(before, state(ex))
        if amplitude == "bounded":
            assert np.abs(ex.mask).max() < 1
            np.testing.assert_allclose(ex.mask, sm.bound_complex_mask(sm.cirm(ex.S, ex.Y)))
        if amplitude == "one":
            np.testing.assert_allclose(np.abs(ex.mask), 1.0)
    for snr_db in (-10.0, 20.0):
        before = state(ex)
        ex.update(snr_db=snr_db, amplitude="irm")
        assert_changed(before, state(ex))
    with pytest.raises(SpecmaskInputError):
        ex.update(phase_levels=3)
    with pytest.raises(SpecmaskInputError):
        ex.update(phase_scale=1.5)


def test_complex_mask_explorer_follows_the_snr(pair):
    """The cIRM's parts are kept between updates; a new input SNR must renew them (the cIRM stays exact)."""
    target, noise = pair
    ex = widgets.ComplexMaskExplorer(target, noise, sr=SR)
    for snr in (10.0, -10.0, 0.0):
        ex.update(snr_db=snr, amplitude="cirm", phase_scale=1.0)
        np.testing.assert_allclose(ex.estimate, target, atol=1e-9)
        ex.update(amplitude="one", phase_scale=0.0)                       # A = 1, no rotation: the mixture
        np.testing.assert_allclose(ex.estimate, ex.mixture, atol=1e-9)
    assert ex.h_wave.ax.get_ylim()[1] >= np.max(np.abs(ex.mixture))


def test_complex_mask_explorer_200_updates_no_pile_up(pair):
    ex = widgets.ComplexMaskExplorer(*pair, sr=SR)
    settings = [dict(amplitude="cirm", phase_scale=0.3, phase_levels=4), dict(amplitude="bounded", phase_levels=0),
                dict(amplitude="one", snr_db=-5.0), dict(amplitude="irm", phase_scale=1.0, snr_db=10.0),
                dict(phase_levels=16, phase_scale=0.0)]
    drive(ex, settings)


# --------------------------------------------------------------------------- 04: compression


def test_compression_explorer_k_c_and_error(pair):
    ex = widgets.CompressionExplorer(*pair, sr=SR, error=0.0)
    assert ex.roundtrip_score > 60                                         # compression alone is lossless
    assert ex.scores["decompressed prediction"] > 60
    fixed = {k: ex.scores[k] for k in ("mixture", "PSM (real)", "bounded cIRM")}
    assert fixed["bounded cIRM"] > fixed["PSM (real)"] > fixed["mixture"]
    errors = {}
    for error in (0.05, 0.2, 0.5, 1.0):
        before = state(ex)
        ex.update(error=error)
        assert_changed(before, state(ex))
        errors[error] = ex.scores["decompressed prediction"]
    assert errors[0.05] > errors[0.2] > errors[0.5] > errors[1.0]          # a worse prediction costs more
    for K in (1.0, 5.0, 20.0):
        before = state(ex)
        ex.update(K=K)
        assert_changed(before, state(ex))
        assert np.max(np.abs(ex.compressed.real)) < K and np.max(np.abs(ex.compressed.imag)) < K
        np.testing.assert_allclose(ex.band_hi.get_ydata() - ex.curve.get_ydata(), ex.params["error"] / K)
    small_range = errors[1.0]
    assert ex.scores["decompressed prediction"] > small_range              # K = 20: the same error matters less
    for C in (0.02, 0.5, 2.0):
        before = state(ex)
        ex.update(C=C)
        assert_changed(before, state(ex))
        np.testing.assert_allclose(ex.curve.get_ydata()[-1], np.tanh(C * 20 / 2))   # drawn in units of K
    assert {k: ex.scores[k] for k in fixed} == fixed                       # the references do not move


def test_compression_explorer_200_updates_no_pile_up(pair):
    ex = widgets.CompressionExplorer(*pair, sr=SR)
    settings = [dict(K=5.0, C=1.0), dict(error=0.3), dict(K=15.0, C=0.1, error=0.0), dict(C=2.0), dict(K=1.0)]
    drive(ex, settings)


# --------------------------------------------------------------------------- 05: mixing console


def test_mixing_console_solo_mute_faders(stems):
    ex = widgets.MixingConsoleExplorer(stems, sr=SR)
    names = list(stems)
    assert ex.config == widgets.MUSIC_CONFIG
    mixture = sum(stems.values())
    np.testing.assert_allclose(ex.output, mixture, atol=1e-9)              # all faders at 0 dB: the mixture
    np.testing.assert_allclose(sum(ex.estimates.values()), mixture, atol=1e-9)
    assert len(ex.widget.children) == 2 + len(names) + 3                   # title, power row, one row per stem...

    before = state(ex)
    ex.update(mute_drums=True)
    assert_changed(before, state(ex))
    np.testing.assert_allclose(ex.output, sum(ex.estimates[n] for n in names if n != "drums"), atol=1e-12)

    before = state(ex)
    ex.update(solo_melody=True)                                            # solo wins over everything else
    assert_changed(before, state(ex))
    np.testing.assert_allclose(ex.output, ex.estimates["melody"], atol=1e-12)
    assert "melody +0 dB" in ex.info() and "bass" not in ex.info().split("SI-SDR")[0]

    for gain in (-30.0, -6.0, 6.0):
        before = state(ex)
        ex.update(gain_melody=gain)
        assert_changed(before, state(ex))
        np.testing.assert_allclose(ex.output, 10 ** (gain / 20) * ex.estimates["melody"], atol=1e-12)

    before = state(ex)
    ex.update(source="true")
    assert_changed(before, state(ex))
    np.testing.assert_allclose(ex.output, 10 ** (6 / 20) * stems["melody"], atol=1e-12)

    ex.update(source="separated", solo_melody=False, gain_melody=0.0, mute_drums=False)
    scores = {}
    for power in (0.5, 1.0, 4.0, 8.0):                    # every stem on: whatever the masks, the mixture
        before = state(ex)
        ex.update(power=power)
        assert_changed(before, state(ex), audio=False)
        np.testing.assert_allclose(ex.output, mixture, atol=1e-9)        # masks sum to one
        scores[power] = ex.scores["melody"]["SI-SDR"]
    assert len(set(np.round(list(scores.values()), 3))) == 4
    ex.update(solo_chords=True)
    for power in (2.0, 0.5, 8.0):                         # a soloed stem does change with the masks
        before = state(ex)
        ex.update(power=power)
        assert_changed(before, state(ex))
    ex.update(solo_chords=False)
    for name in names:                                                      # every stem muted: silence, no crash
        ex.update(**{f"mute_{name}": True})
    assert not np.any(ex.output) and "nothing" in ex.info()
    assert ex.players_html.value.count("<audio") == 3


def test_mixing_console_players_keep_levels(stems):
    ex = widgets.MixingConsoleExplorer(stems, sr=SR, gain_bass=6.0, gain_drums=6.0)
    table = ex.player_table()
    assert max(np.abs(x).max() for x in table.signals.values()) * table.gain <= 0.99 + 1e-9
    ex.update(gain_bass=-30.0, gain_drums=-30.0, gain_chords=-30.0, gain_melody=-30.0)
    levels = ex.player_table().levels
    assert levels["console output"][0] < levels["original mixture"][0] - 25   # 30 dB quieter really is quieter


def test_mixing_console_200_updates_no_pile_up(stems):
    ex = widgets.MixingConsoleExplorer({k: v[: SR] for k, v in stems.items()}, sr=SR)
    settings = [dict(power=1.0, mute_bass=True), dict(solo_drums=True), dict(solo_drums=False, gain_chords=-12.0),
                dict(source="true", mute_bass=False), dict(source="separated", power=4.0, gain_chords=0.0)]
    drive(ex, settings)


def test_mixing_console_needs_stems():
    with pytest.raises(SpecmaskInputError, match="at least two"):
        widgets.MixingConsoleExplorer({"bass": np.ones(4096)}, sr=SR)
    with pytest.raises(SpecmaskInputError, match="same length"):
        widgets.MixingConsoleExplorer({"a": np.ones(4096), "b": np.ones(5000)}, sr=SR)


# --------------------------------------------------------------------------- 05: HPSS


def test_hpss_explorer_margin_kernel_power(stems):
    harmonic = stems["bass"] + stems["chords"] + stems["melody"]
    ex = widgets.HPSSExplorer(harmonic, stems["drums"], sr=SR)
    np.testing.assert_allclose(ex.masks[0] + ex.masks[1], 1.0, atol=1e-9)   # margin 1: the masks sum to one
    assert ex.residual_share < 1e-6
    oracle = ex.oracle_scores
    assert oracle["drums"]["SDR"] > ex.blind_scores["drums"]["SDR"]        # the oracle knows more
    shares, sirs = [], []
    for margin in (2.0, 4.0, 8.0):
        before = state(ex)
        ex.update(margin=margin)
        assert_changed(before, state(ex))
        shares.append(ex.residual_share)
        sirs.append(ex.blind_scores["drums"]["SIR"])
    assert shares[0] < shares[1] < shares[2]                               # a larger margin keeps less
    assert ex.blind_scores["drums"]["SAR"] < oracle["drums"]["SAR"]
    for kernel in (5, 9, 31, 63):
        before = state(ex)
        ex.update(kernel_size=kernel)
        assert_changed(before, state(ex))
    for power in (0.5, 8.0):
        before = state(ex)
        ex.update(power=power)
        assert_changed(before, state(ex))
    assert ex.oracle_scores == oracle
    # the scores come from BSS Eval of the current estimates (its reference half is reused, not stale)
    fresh = sm.bss_eval(ex.estimates, [ex.harmonic, ex.percussive])
    for i, source in enumerate(("harmonic", "drums")):
        assert ex.blind_scores[source]["SIR"] == pytest.approx(fresh["sir"][i], abs=1e-9)
        assert ex.blind_scores[source]["SAR"] == pytest.approx(fresh["sar"][i], abs=1e-9)
    assert ex.players_html.value.count("<audio") == 6
    ex.update(margin=1.0, kernel_size=17, power=2.0)                        # back to the start: same result
    np.testing.assert_allclose(ex.masks[0], sm.hpss_masks(ex.Y)[0])
    np.testing.assert_allclose(ex.masks[0] + ex.masks[1], 1.0, atol=1e-9)


def test_hpss_explorer_200_updates_no_pile_up(stems):
    short = {k: v[: SR] for k, v in stems.items()}                 # 1 s keeps 200 updates quick
    harmonic = short["bass"] + short["chords"] + short["melody"]
    ex = widgets.HPSSExplorer(harmonic, short["drums"], sr=SR)
    settings = [dict(margin=2.0), dict(kernel_size=31, power=1.0), dict(margin=6.0, kernel_size=5),
                dict(margin=1.0, power=4.0, kernel_size=17)]
    drive(ex, settings)


# --------------------------------------------------------------------------- 06: scale


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


# --------------------------------------------------------------------------- every explorer: static view


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


# --------------------------------------------------------------------------- the pure helpers behind them


def test_hpss_masks(stems):
    cfg = widgets.MUSIC_CONFIG
    Y = sm.stft(sum(stems.values()), cfg)
    harmonic, percussive = sm.hpss_masks(Y)
    assert harmonic.shape == Y.shape and harmonic.dtype == np.float64
    np.testing.assert_allclose(harmonic + percussive, 1.0, atol=1e-9)
    h2, p2 = sm.hpss_masks(Y, margin=3.0, kernel_size=(31, 9))
    assert np.all(h2 + p2 <= 1.0 + 1e-9) and np.mean(h2 + p2) < 0.9
    # drums (vertical lines) go to the percussive mask, held notes to the harmonic one
    drums = np.abs(sm.stft(stems["drums"], cfg)) ** 2
    others = np.abs(sm.stft(stems["chords"] + stems["melody"], cfg)) ** 2
    assert np.sum(percussive * drums) / np.sum(drums) > np.sum(percussive * others) / np.sum(others) + 0.3
    import librosa

    for kwargs in (dict(kernel_size=31), dict(margin=3.0, kernel_size=(31, 9), power=1.0)):   # = librosa's HPSS
        for ours, theirs in zip(sm.hpss_masks(Y, **kwargs), librosa.decompose.hpss(np.abs(Y), mask=True, **kwargs)):
            np.testing.assert_allclose(ours, theirs, atol=1e-12)
    for bad in (dict(margin=0.5), dict(power=0), dict(kernel_size=0), dict(kernel_size=(3, 3, 3))):
        with pytest.raises(SpecmaskInputError):
            sm.hpss_masks(Y, **bad)
    with pytest.raises(SpecmaskInputError):
        sm.hpss_masks(np.abs(Y)[:, :, None])


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


def test_hpss_explorer_plays_the_residual_only_when_there_is_one(stems):
    short = {k: v[: 2 * SR] for k, v in stems.items()}
    ex = widgets.HPSSExplorer(short["bass"] + short["chords"] + short["melody"], short["drums"], sr=SR)
    assert "residual (neither)" not in ex.signals()          # margin 1: the masks sum to one
    ex.update(margin=3.0)
    assert "residual (neither)" in ex.signals() and np.any(ex.signals()["residual (neither)"])
