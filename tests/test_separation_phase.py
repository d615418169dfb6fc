import librosa
import numpy as np
import pytest

import specmask_edu as sm
from specmask_edu import SpecmaskInputError, STFTConfig, phase


def test_apply_mask_real_keeps_mixture_phase(rng):
    Y = sm.stft(rng.standard_normal(4000))
    M = sm.random_real_mask(Y.shape, rng=0)
    out = sm.apply_mask(Y, M)
    assert np.allclose(np.abs(out), M * np.abs(Y))
    keep = np.abs(out) > 1e-9
    assert np.allclose(np.exp(1j * np.angle(out[keep])), np.exp(1j * np.angle(Y[keep])))


def test_apply_mask_complex_rotates(rng):
    Y = sm.stft(rng.standard_normal(4000))
    M = sm.polar_mask(np.ones(Y.shape), np.full(Y.shape, np.pi / 3))
    out = sm.apply_mask(Y, M)
    assert np.allclose(np.abs(out), np.abs(Y))
    assert np.allclose(np.exp(1j * (np.angle(out) - np.angle(Y))), np.exp(1j * np.pi / 3))


def test_apply_mask_shape_error(rng):
    Y = sm.stft(rng.standard_normal(4000))
    with pytest.raises(SpecmaskInputError, match="same STFTConfig"):
        sm.apply_mask(Y, np.ones((Y.shape[0] - 1, Y.shape[1])))
    with pytest.raises(SpecmaskInputError, match="NaN"):
        sm.apply_mask(Y, np.full(Y.shape, np.nan))


def test_separate_keeps_length_and_identity(rng):
    for n in (8000, 8001, 12345):
        y = rng.standard_normal(n)
        cfg = STFTConfig(n_fft=1024, hop_length=256)
        ones = np.ones(sm.stft(y, cfg).shape)
        out = sm.separate(y, ones, cfg)
        assert out.shape == y.shape and np.allclose(out, y)


def test_cirm_recovers_target_over_60_db(noisy_pair):
    target, interference = noisy_pair
    est = sm.oracle_separate(target, interference, "cirm")
    assert sm.si_sdr(est, target) > 60


def test_oracle_ordering(noisy_pair):
    target, interference = noisy_pair
    mix = target + interference
    gains = {m: sm.si_sdr_improvement(sm.oracle_separate(target, interference, m), mix, target)
             for m in ("ibm", "irm", "wiener", "iam", "psm", "psm_raw", "cirm")}
    assert all(g > 3 for g in gains.values()), gains
    assert gains["psm_raw"] > gains["irm"]
    assert gains["cirm"] > gains["psm_raw"]
    rnd = sm.separate(mix, sm.random_real_mask(sm.stft(mix).shape, rng=0))
    assert sm.si_sdr_improvement(rnd, mix, target) < 1.0


def test_oracle_separate_detail(noisy_pair):
    target, interference = noisy_pair
    d = sm.oracle_separate(target, interference, "ibm", detail=True, lc_db=-6)
    assert set(d) >= {"estimate", "mask", "mixture", "mixture_stft", "target_stft", "estimate_stft"}
    assert set(np.unique(d["mask"])) <= {0.0, 1.0}
    with pytest.raises(SpecmaskInputError, match="same length"):
        sm.oracle_separate(target, interference[:-5], "irm")


# ------------------------------------------------------------------ phase


def test_clean_phase_beats_mixture_beats_random(noisy_pair):
    target, interference = noisy_pair
    mix = target + interference
    S, Y = sm.stft(target), sm.stft(mix)
    scores = {
        p: sm.si_sdr(phase.rebuild_with_phase(np.abs(S), p, mixture_stft=Y, target_stft=S, length=len(mix), rng=0), target)
        for p in ("clean", "mixture", "zero", "random")
    }
    assert scores["clean"] > 90
    assert scores["clean"] > scores["mixture"] > scores["random"]
    assert scores["mixture"] > scores["zero"]


def test_swap_phases(rng, noisy_pair):
    a, _ = noisy_pair
    b = rng.standard_normal(len(a)) * 0.1
    ab, ba = phase.swap_phases(a, b)
    cfg = STFTConfig()
    # The magnitude of |A|e^{j∠B} after re-analysis is not |A| (a modified STFT is not consistent) ...
    assert ab.shape == a.shape and ba.shape == b.shape
    # ... but swapping twice with the original phases gives the signals back.
    back, _ = phase.swap_phases(a, a)
    assert np.allclose(back, a)
    assert not np.allclose(np.abs(sm.stft(ab, cfg)), np.abs(sm.stft(a, cfg)), rtol=0.05)


def test_phase_difference(rng):
    S = sm.stft(rng.standard_normal(4000))
    assert np.allclose(phase.phase_difference(S, S), 0)
    d = phase.phase_difference(S, S * np.exp(1j * 0.5))
    assert np.allclose(d, -0.5)


def test_griffin_lim_matches_librosa_and_improves(noisy_pair):
    target, _ = noisy_pair
    cfg = STFTConfig()
    mag = np.abs(sm.stft(target, cfg))
    ours = phase.griffin_lim(mag, n_iter=8, initial_phase="zero", config=cfg, length=len(target))
    ref = librosa.griffinlim(mag, n_iter=8, hop_length=128, n_fft=512, init=None, length=len(target))
    assert np.allclose(ours, ref, atol=1e-6)

    def consistency(x):
        return np.linalg.norm(np.abs(sm.stft(x, cfg)) - mag) / np.linalg.norm(mag)

    few = phase.griffin_lim(mag, n_iter=2, config=cfg, length=len(target))
    many = phase.griffin_lim(mag, n_iter=50, config=cfg, length=len(target))
    assert consistency(many) < consistency(few)


def test_griffin_lim_from_chosen_phase(noisy_pair):
    target, interference = noisy_pair
    S, Y = sm.stft(target), sm.stft(target + interference)
    from_mix = phase.griffin_lim(np.abs(S), n_iter=10, initial_phase=np.angle(Y), length=len(target))
    from_zero = phase.griffin_lim(np.abs(S), n_iter=10, initial_phase="zero", length=len(target))
    assert sm.si_sdr(from_mix, target) > sm.si_sdr(from_zero, target)
    zero_iter = phase.griffin_lim(np.abs(S), n_iter=0, initial_phase=np.angle(S), length=len(target))
    assert sm.si_sdr(zero_iter, target) > 90
    with pytest.raises(SpecmaskInputError, match="initial_phase"):
        phase.griffin_lim(np.abs(S), initial_phase="mixture")
    with pytest.raises(SpecmaskInputError, match="complex"):
        phase.griffin_lim(S)


def test_oracle_table_on_bundled_speech_and_noise():
    """The facts the benchmark table (benchmarks/bench_core.py) reports, on one voice in babble."""
    from specmask_edu.separation import oracle_improvements

    table = oracle_improvements(sm.load_example("speech_male_1"), sm.load_example("babble"), [-5.0, 0.0, 5.0])
    for snr_db in (-5.0, 0.0, 5.0):
        assert table["random_real"][snr_db] < 0.5
        assert table["random_complex"][snr_db] < 0.5
        for name in ("ibm", "irm", "wiener", "iam", "psm", "psm_raw"):
            assert table[name][snr_db] > 5, (name, snr_db)
        assert table["psm_raw"][snr_db] > table["irm"][snr_db]
        assert table["cirm"][snr_db] > 60


def test_quantize_phase(rng):
    phi = rng.uniform(-np.pi, np.pi, 1000)
    for levels in (2, 4, 8):
        q = sm.phase.quantize_phase(phi, levels)
        steps = q / (2 * np.pi / levels)
        np.testing.assert_allclose(steps, np.round(steps), atol=1e-9)          # on the grid
        assert np.max(np.abs(np.angle(np.exp(1j * (q - phi))))) <= np.pi / levels + 1e-9   # the nearest point
    assert sm.phase.quantize_phase(phi, 0) is phi


# ---- one "mask, then inverse STFT"; one sweep ------------------------------------------------------------

def test_resynthesize_is_apply_mask_then_istft(noisy_pair):
    from specmask_edu.separation import resynthesize

    target, interference = noisy_pair
    y = target + interference
    config = STFTConfig(n_fft=256, hop_length=64)
    S, Y = sm.stft(target, config), sm.stft(y, config)
    M = sm.ideal_ratio_mask(S, Y)
    out = resynthesize(Y, M, config, length=len(y))
    assert out.shape == y.shape
    np.testing.assert_array_equal(out, sm.istft(sm.apply_mask(Y, M), config, length=len(y)))
    np.testing.assert_array_equal(out, sm.separate(y, M, config))


def test_sweep_scores_a_family_of_masks(noisy_pair):
    from specmask_edu.separation import resynthesize, sweep

    target, interference = noisy_pair
    y = target + interference
    S, Y = sm.stft(target), sm.stft(y)
    lcs = [-10.0, 0.0, 10.0]
    scores = sweep(Y, lambda lc: sm.ideal_binary_mask(S, Y, lc), lcs, target)
    assert list(scores) == lcs
    for lc in lcs:
        expected = sm.si_sdr(resynthesize(Y, sm.ideal_binary_mask(S, Y, lc), length=len(y)), target)
        assert scores[lc] == pytest.approx(expected)
    detail = sweep(Y, lambda b: sm.ideal_ratio_mask(S, Y, b), [0.5], target, metric=sm.snr, detail=True)
    assert detail[0.5]["score"] == pytest.approx(sm.snr(detail[0.5]["estimate"], target))


def test_polar_mask_and_combine_magnitude_phase_agree(rng):
    A = rng.uniform(0, 2, (5, 4))
    phi = rng.uniform(-np.pi, np.pi, (5, 4))
    np.testing.assert_array_equal(phase.combine_magnitude_phase(A, phi), sm.polar_mask(A, phi))
