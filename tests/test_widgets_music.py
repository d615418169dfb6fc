"""The mixing console and the HPSS explorer of lesson 05 (specmask_edu/widgets/music.py), and the HPSS
masks behind it."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import specmask_edu as sm  # noqa: E402
from specmask_edu import widgets  # noqa: E402
from specmask_edu._validation import SpecmaskInputError  # noqa: E402
from _explorers import SR, assert_changed, drive, state  # noqa: E402


def test_mixing_console_solo_mute_faders(stems):
    ex = widgets.MixingConsoleExplorer(stems, sr=SR)
    names = list(stems)
    assert ex.config == widgets.MUSIC_CONFIG
    mixture = sum(stems.values())
    np.testing.assert_allclose(ex.output, mixture, atol=1e-9)              # all faders at 0 dB: the mixture
    np.testing.assert_allclose(sum(ex.estimates.values()), mixture, atol=1e-9)
    assert len(ex.widget.children) == 2 + len(names) + 4                   # title, power row, one row per stem...

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


def test_hpss_explorer_plays_the_residual_only_when_there_is_one(stems):
    short = {k: v[: 2 * SR] for k, v in stems.items()}
    ex = widgets.HPSSExplorer(short["bass"] + short["chords"] + short["melody"], short["drums"], sr=SR)
    assert "residual (neither)" not in ex.signals()          # margin 1: the masks sum to one
    ex.update(margin=3.0)
    assert "residual (neither)" in ex.signals() and np.any(ex.signals()["residual (neither)"])


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


def test_hpss_in_two_public_steps(stems):
    """The HPSS explorer computes the medians once per kernel and re-weights them: the two public steps
    give exactly hpss_masks, and check their inputs."""
    cfg = widgets.MUSIC_CONFIG
    Y = sm.stft(sum(v[:SR] for v in stems.values()), cfg)
    for margin, kernel, power in ((1.0, 17, 2.0), (3.0, (31, 9), 1.0)):
        medians = sm.masks.hpss_medians(np.abs(Y), kernel)
        for ours, expected in zip(sm.masks.hpss_soft_masks(*medians, margin, power),
                                  sm.hpss_masks(Y, margin=margin, kernel_size=kernel, power=power)):
            np.testing.assert_array_equal(ours, expected)
    with pytest.raises(SpecmaskInputError, match="margin"):
        sm.masks.hpss_soft_masks(*medians, 0.5, 2.0)
    with pytest.raises(SpecmaskInputError, match="magnitude"):
        sm.masks.hpss_medians(Y, 17)                      # complex: pass np.abs(Y)


def test_mixing_console_computes_exactly_what_the_public_functions_give(stems):
    """The console's shortcuts (masks from kept magnitudes, the four inverse STFTs in one pass, the output
    recomputed only when it changes) give the very numbers of soft_masks, resynthesize and stft."""
    short = {k: v[:SR] for k, v in stems.items()}
    ex = widgets.MixingConsoleExplorer(short, sr=SR)
    mixture, cfg = sum(short.values()), ex.config
    for setting in (dict(power=2.5), dict(gain_bass=-6.0), dict(source="true"), dict(power=0.5),
                    dict(source="separated", mute_drums=True), dict(power=8.0)):
        ex.update(**setting)
        masks = sm.soft_masks([sm.stft(x, cfg) for x in short.values()], power=ex.params["power"])
        np.testing.assert_array_equal(np.asarray(ex.masks), np.asarray(masks))
        for (name, estimate), M in zip(ex.estimates.items(), masks):
            np.testing.assert_array_equal(estimate, sm.resynthesize(sm.stft(mixture, cfg), M, cfg, len(mixture)))
            assert ex.scores[name]["SI-SDR"] == sm.si_sdr(estimate, short[name])
        g = ex.gains()
        feed = ex.estimates if ex.params["source"] == "separated" else short
        np.testing.assert_array_equal(ex.output, sum(g[n] * feed[n] for n in ex.names))
        np.testing.assert_array_equal(ex.output_stft, sm.stft(ex.output, cfg))
        np.testing.assert_array_equal(ex.reference_output, sum(g[n] * short[n] for n in ex.names))
