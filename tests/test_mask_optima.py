"""The real mask fitted through the inverse STFT (`separation.fit_real_mask`, lesson 03).

The per-bin optimum (the PSM) is not the waveform optimum: these tests check the adjoint and the gradient the
fit uses, that the fitted mask beats the PSM in the waveform, and that it respects its bounds.
"""

import numpy as np
import pytest

import specmask_edu as sm
from specmask_edu.separation import _istft_adjoint, fit_real_mask

CONFIGS = [sm.STFTConfig(), sm.STFTConfig(n_fft=256, hop_length=128), sm.STFTConfig(n_fft=128, hop_length=32, window="hamming"),
           sm.STFTConfig(n_fft=256, hop_length=64, center=False)]


@pytest.fixture
def short_pair(noisy_pair):
    target, interference = noisy_pair
    return target[:4000], target[:4000] + interference[:4000]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.n_fft}-{c.hop_length}-{c.window}-{c.center}")
def test_the_adjoint_of_the_inverse_stft_is_exact(config, rng):
    n = 3000
    X = sm.stft(rng.standard_normal(n), config)
    Z = rng.standard_normal(X.shape) + 1j * rng.standard_normal(X.shape)
    r = rng.standard_normal(n)
    lhs = np.sum(sm.istft(Z, config, length=n) * r)
    rhs = np.real(np.vdot(Z, _istft_adjoint(r, config, X.shape[1])))
    assert lhs == pytest.approx(rhs, rel=1e-9)


def test_the_gradient_matches_finite_differences(short_pair, rng):
    target, mixture = short_pair
    config = sm.STFTConfig(n_fft=256, hop_length=64)
    S, Y = sm.stft(target, config), sm.stft(mixture, config)
    M = rng.random(Y.shape)
    energy = np.sum(target**2)

    def loss(mask):
        return np.sum((target - sm.istft(mask * Y, config, length=target.size)) ** 2) / energy

    residual = target - sm.istft(M * Y, config, length=target.size)
    gradient = -2.0 * np.real(np.conj(Y) * _istft_adjoint(residual, config, Y.shape[1])) / energy
    for _ in range(3):
        direction = rng.standard_normal(M.shape)
        h = 1e-5
        numeric = (loss(M + h * direction) - loss(M - h * direction)) / (2 * h)
        assert np.sum(gradient * direction) == pytest.approx(numeric, rel=1e-5, abs=1e-10)


@pytest.mark.parametrize("bounds, psm_truncate", [(None, None), ((0, 1), (0.0, 1.0))])
def test_the_fitted_mask_beats_the_psm_in_the_waveform(short_pair, bounds, psm_truncate):
    target, mixture = short_pair
    config = sm.STFTConfig(n_fft=256, hop_length=64)
    S, Y = sm.stft(target, config), sm.stft(mixture, config)
    psm = sm.phase_sensitive_mask(S, Y, truncate=psm_truncate)
    fitted = fit_real_mask(target, mixture, config, n_iter=30, bounds=bounds, detail=True)
    M = fitted["mask"]
    assert M.shape == Y.shape and M.dtype == np.float64 and np.all(np.isfinite(M))
    assert not np.iscomplexobj(M)
    np.testing.assert_allclose(fitted["initial_mask"], psm)          # it starts at the per-bin optimum
    psm_snr = sm.snr(sm.separate(mixture, psm, config), target)
    fit_snr = sm.snr(sm.separate(mixture, M, config), target)
    assert fit_snr > psm_snr + 0.3, (fit_snr, psm_snr)
    np.testing.assert_allclose(fitted["estimate"], sm.separate(mixture, M, config), atol=1e-12)
    # per bin, in the STFT domain, the PSM is still the closer one: the two optima differ
    assert np.sum(np.abs(S - psm * Y) ** 2) < np.sum(np.abs(S - M * Y) ** 2)
    if bounds is not None:
        assert M.min() >= 0.0 and M.max() <= 1.0


def test_one_sided_bounds(short_pair):
    target, mixture = short_pair
    M = fit_real_mask(target, mixture, sm.STFTConfig(n_fft=256, hop_length=64), n_iter=5, bounds=(0, None))
    assert M.min() >= 0.0 and np.all(np.isfinite(M))


def test_a_silent_mixture_bin_gives_a_finite_mask():
    config = sm.STFTConfig(n_fft=256, hop_length=64)
    target = np.zeros(4000)
    target[1000:2000] = np.sin(np.arange(1000) * 0.3)
    M = fit_real_mask(target, target.copy(), config, n_iter=5, bounds=(0, 1))
    assert np.all(np.isfinite(M))


@pytest.mark.parametrize("kwargs, words", [
    ({"bounds": (1, 0)}, "low < high"),
    ({"bounds": "0-1"}, "pair (low, high)"),
    ({"n_iter": 0}, "n_iter"),
])
def test_bad_arguments_are_explained(short_pair, kwargs, words):
    target, mixture = short_pair
    with pytest.raises(sm.SpecmaskInputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        fit_real_mask(target, mixture, **kwargs)


def test_lengths_and_silence_are_explained(short_pair):
    target, mixture = short_pair
    with pytest.raises(sm.SpecmaskInputError, match="same length"):
        fit_real_mask(target, mixture[:-10])
    with pytest.raises(sm.SpecmaskInputError, match="silent"):
        fit_real_mask(np.zeros_like(target), mixture)


# ---- bounding a complex mask: tanh squashes every bin, clip caps only |M| > 1 ---------------------------


def test_clip_bound_keeps_every_bin_below_one_and_caps_the_rest(rng):
    M = (rng.standard_normal((40, 30)) + 1j * rng.standard_normal((40, 30))) * 2
    clipped = sm.bound_complex_mask(M, method="clip")
    small = np.abs(M) <= 1
    np.testing.assert_allclose(clipped[small], M[small])
    np.testing.assert_allclose(np.abs(clipped[~small]), 1.0)
    np.testing.assert_allclose(np.angle(clipped[~small]), np.angle(M[~small]))
    assert sm.bound_complex_mask(np.zeros((2, 2), complex), method="clip").tolist() == [[0, 0], [0, 0]]


def test_tanh_bound_shrinks_bins_below_one_too(rng):
    M = np.full((3, 3), 1.0 + 0j)
    np.testing.assert_allclose(np.abs(sm.bound_complex_mask(M)), np.tanh(1.0))      # 0.76, not 1
    np.testing.assert_allclose(sm.bound_complex_mask(M), sm.bound_complex_mask(M, method="tanh"))


def test_clipping_the_oracle_cirm_beats_tanh_in_snr(short_pair):
    target, mixture = short_pair
    config = sm.STFTConfig(n_fft=256, hop_length=64)
    M = sm.complex_ideal_ratio_mask(sm.stft(target, config), sm.stft(mixture, config))
    snr = {method: sm.snr(sm.separate(mixture, sm.bound_complex_mask(M, method=method), config), target)
           for method in ("tanh", "clip")}
    assert snr["clip"] > snr["tanh"] + 3, snr


def test_an_unknown_bound_method_is_explained():
    with pytest.raises(sm.SpecmaskInputError, match="'tanh'.*'clip'"):
        sm.bound_complex_mask(np.ones((2, 2), complex), method="sigmoid")


# ---- tables print capped and undefined values as such ---------------------------------------------------


def test_capped_and_undefined_values_are_printed_as_such():
    from specmask_edu.metrics import DB_LIMIT, format_value

    assert format_value(DB_LIMIT) == "≥ 100"
    assert format_value(-DB_LIMIT) == "≤ −100"
    assert format_value(float("nan")) == "—" and format_value(None) == "—"
    assert format_value(-1e-9, digits=1) == "0.0"
    assert format_value(12.345, digits=1) == "12.3"
    text = sm.format_table({"mixture": {"SNR": 0.0, "SAR": DB_LIMIT}, "x": {"SNR": 3.0}}, digits=1)
    assert "| mixture | 0.0 | ≥ 100 |" in text
    assert "| x | 3.0 | — |" in text


def test_the_mixture_sar_prints_as_capped(noisy_pair):
    target, interference = noisy_pair
    mixture = target + interference
    text = sm.format_table(sm.metrics_table({"mixture": mixture}, target, mixture), digits=1)
    assert text.splitlines()[-1].endswith("| ≥ 100 |"), text
