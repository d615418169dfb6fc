import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import specmask_edu as sm
from specmask_edu import SpecmaskInputError
from specmask_edu.masks import EPS, ORACLE_MASKS


def _complex_arrays(shape=(6, 5)):
    # Values include exact zeros, tiny and large magnitudes, so silent bins are exercised.
    floats = st.one_of(
        st.just(0.0),
        st.floats(-1e-14, 1e-14),
        st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
    )
    return st.tuples(arrays(np.float64, shape, elements=floats), arrays(np.float64, shape, elements=floats)).map(
        lambda ri: ri[0] + 1j * ri[1]
    )


def _stfts(rng, shape=(257, 40)):
    S = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    N = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    return S, S + N, N


# ------------------------------------------------------------------ finiteness and ranges (property based)


@settings(max_examples=60, deadline=None)
@given(S=_complex_arrays(), N=_complex_arrays())
def test_every_oracle_mask_is_finite_and_in_range(S, N):
    Y = S + N
    for name, fn in ORACLE_MASKS.items():
        M = fn(S, Y)
        assert M.shape == S.shape
        assert np.all(np.isfinite(M)), name
    assert set(np.unique(sm.ideal_binary_mask(S, Y))) <= {0.0, 1.0}
    for beta in (0.5, 1.0, 2.0):
        M = sm.ideal_ratio_mask(S, Y, beta=beta)
        assert np.all((M >= 0) & (M <= 1))
    assert np.all(sm.ideal_amplitude_mask(S, Y) >= 0)
    psm = sm.phase_sensitive_mask(S, Y)
    assert np.all((psm >= 0) & (psm <= 1))
    assert np.all(np.abs(sm.bound_complex_mask(sm.complex_ideal_ratio_mask(S, Y))) <= 1)


def test_silent_bins_have_documented_values():
    Z = np.zeros((3, 4), dtype=complex)
    assert np.all(sm.ideal_binary_mask(Z, Z) == 0)
    assert np.all(sm.ideal_ratio_mask(Z, Z, beta=1) == 0.5)
    assert np.allclose(sm.ideal_ratio_mask(Z, Z, beta=0.5), np.sqrt(0.5))
    assert np.all(sm.wiener_mask(Z, Z) == 0.5)
    assert np.all(sm.ideal_amplitude_mask(Z, Z) == 0)
    assert np.all(sm.phase_sensitive_mask(Z, Z, truncate=None) == 0)
    assert np.all(sm.complex_ideal_ratio_mask(Z, Z) == 0)
    assert np.all(sm.bound_complex_mask(Z) == 0)
    masks = sm.soft_masks([Z, Z, Z])
    assert all(np.allclose(m, 1 / 3) for m in masks)


def test_target_cancelled_by_interference_stays_finite():
    S = np.array([[1.0 + 0j, 5.0]])
    Y = np.array([[0.0 + 0j, 1e-13]])  # target exactly cancelled in the first bin, nearly in the second
    for fn in ORACLE_MASKS.values():
        assert np.all(np.isfinite(fn(S, Y)))


# ------------------------------------------------------------------ definitions


def test_ibm_local_criterion(rng):
    S, Y, N = _stfts(rng)
    local_snr = 10 * np.log10(np.abs(S) ** 2 / np.abs(N) ** 2)
    for lc in (-5.0, 0.0, 5.0):
        M = sm.ideal_binary_mask(S, Y, lc_db=lc)
        assert np.array_equal(M == 1, local_snr > lc)
    assert sm.ideal_binary_mask(S, Y, 10).sum() < sm.ideal_binary_mask(S, Y, -10).sum()


def test_irm_and_wiener(rng):
    S, Y, N = _stfts(rng)
    ratio = np.abs(S) ** 2 / (np.abs(S) ** 2 + np.abs(N) ** 2)
    assert np.allclose(sm.ideal_ratio_mask(S, Y), np.sqrt(ratio))
    assert np.allclose(sm.ideal_ratio_mask(S, Y, beta=1.0), sm.wiener_mask(S, Y))
    assert np.allclose(sm.wiener_mask(S, Y) + sm.wiener_mask(N, Y), 1.0)


def test_iam_gives_target_magnitude(rng):
    S, Y, _ = _stfts(rng)
    est = sm.apply_mask(Y, sm.ideal_amplitude_mask(S, Y))
    assert np.allclose(np.abs(est), np.abs(S))
    assert np.allclose(np.angle(est), np.angle(Y))
    assert sm.ideal_amplitude_mask(S, Y).max() > 1  # unbounded: cancellation happens in random data


def test_psm_definition_and_sum_to_one(rng):
    S, Y, N = _stfts(rng)
    raw = sm.phase_sensitive_mask(S, Y, truncate=None)
    assert np.allclose(raw, np.abs(S) / np.abs(Y) * np.cos(np.angle(S) - np.angle(Y)))
    assert np.allclose(raw + sm.phase_sensitive_mask(N, Y, truncate=None), 1.0)
    assert raw.min() < 0 and raw.max() > 1
    assert np.allclose(sm.phase_sensitive_mask(S, Y), np.clip(raw, 0, 1))
    assert np.allclose(sm.phase_sensitive_mask(S, Y, truncate=(-1, 2)), np.clip(raw, -1, 2))


def test_psm_is_best_real_mask(rng):
    S, Y, _ = _stfts(rng)
    raw = sm.phase_sensitive_mask(S, Y, truncate=None)
    best = np.abs(raw * Y - S) ** 2
    for other in (sm.ideal_amplitude_mask(S, Y), sm.ideal_ratio_mask(S, Y), raw + 0.05):
        assert np.all(best <= np.abs(other * Y - S) ** 2 + 1e-12)


def test_cirm_definition_and_sums(rng):
    S, Y, N = _stfts(rng)
    M = sm.complex_ideal_ratio_mask(S, Y)
    assert np.allclose(M * Y, S)
    assert np.allclose(M + sm.complex_ideal_ratio_mask(N, Y), 1.0)
    assert np.allclose(M.real, sm.phase_sensitive_mask(S, Y, truncate=None))


def test_soft_masks_sum_to_one(rng):
    sources = [rng.standard_normal((30, 20)) + 1j * rng.standard_normal((30, 20)) for _ in range(4)]
    for power in (1.0, 2.0):
        masks = sm.soft_masks(sources, power=power)
        assert len(masks) == 4
        assert np.allclose(np.sum(masks, axis=0), 1.0)
        assert all(np.all((m >= 0) & (m <= 1)) for m in masks)
    two = sm.soft_masks(sources[:2], power=2.0)
    assert np.allclose(two[0], sm.wiener_mask(sources[0], sources[0] + sources[1]))


def test_random_masks_reproducible_and_ranged():
    a = sm.random_real_mask((10, 7), rng=3)
    assert np.array_equal(a, sm.random_real_mask((10, 7), rng=np.random.default_rng(3)))
    assert a.min() >= 0 and a.max() < 1 and not np.iscomplexobj(a)
    c = sm.random_complex_mask((200, 50), rng=3)
    assert np.iscomplexobj(c) and np.all(np.abs(c) < 1)
    phases = np.mod(np.angle(c), 2 * np.pi)
    assert phases.std() > 1.5  # spread over the whole circle (uniform std is ~1.81)
    assert not np.array_equal(sm.random_real_mask((10, 7), rng=4), a)


def test_polar_mask():
    M = sm.polar_mask(np.array([[1.0, 0.5]]), np.array([[0.0, np.pi / 2]]))
    assert np.allclose(M, [[1.0, 0.5j]])
    with pytest.raises(SpecmaskInputError, match="negative"):
        sm.polar_mask(-np.ones((2, 2)), np.zeros((2, 2)))


@pytest.mark.parametrize("K, C", [(10.0, 0.1), (1.0, 1.0), (5.0, 0.5), (2.0, 3.0), (100.0, 0.01)])
def test_compress_decompress_roundtrip(rng, K, C):
    # |C*M/2| up to 5: well inside the range where tanh has not saturated in float64.
    M = (10.0 / C) * (rng.uniform(-1, 1, (40, 30)) + 1j * rng.uniform(-1, 1, (40, 30)))
    Mc = sm.compress_mask(M, K=K, C=C)
    assert np.all(np.abs(Mc.real) < K) and np.all(np.abs(Mc.imag) < K)
    assert np.allclose(sm.decompress_mask(Mc, K=K, C=C), M, rtol=1e-8, atol=1e-8)
    real = np.abs(M)
    assert np.allclose(sm.decompress_mask(sm.compress_mask(real, K, C), K, C), real, rtol=1e-8, atol=1e-8)


def test_compress_formula_and_saturation():
    M = np.array([[0.0, 1.0, -2.0 + 3.0j]])
    Mc = sm.compress_mask(M, K=10, C=0.1)
    expected = 10 * (1 - np.exp(-0.1 * M.real)) / (1 + np.exp(-0.1 * M.real))
    assert np.allclose(Mc.real, expected)
    out = sm.decompress_mask(np.array([[10.0, -10.0, 12.0]]), K=10, C=0.1)
    assert np.all(np.isfinite(out)) and out[0, 0] > 0 > out[0, 1]


def test_bound_complex_mask_keeps_phase(rng):
    M = rng.standard_normal((5, 5)) * 4 + 1j * rng.standard_normal((5, 5))
    B = sm.bound_complex_mask(M)
    assert np.allclose(np.angle(B), np.angle(M))
    assert np.allclose(np.abs(B), np.tanh(np.abs(M)))


def test_aliases_and_registry(rng):
    S, Y, _ = _stfts(rng)
    assert sm.ibm is sm.ideal_binary_mask and sm.cirm is sm.complex_ideal_ratio_mask
    assert np.allclose(sm.oracle_mask("IRM", S, Y, beta=1.0), sm.wiener_mask(S, Y))
    with pytest.raises(SpecmaskInputError, match="Did you mean 'irm'"):
        sm.oracle_mask("imr", S, Y)


def test_errors_that_teach(rng):
    S, Y, _ = _stfts(rng)
    with pytest.raises(SpecmaskInputError, match="same STFTConfig"):
        sm.ideal_ratio_mask(S, Y[:, :-1])
    with pytest.raises(SpecmaskInputError, match="phase"):
        sm.ideal_ratio_mask(np.abs(S), Y)
    with pytest.raises(SpecmaskInputError, match="waveform"):
        sm.wiener_mask(np.ones(100), Y)
    with pytest.raises(SpecmaskInputError, match="beta"):
        sm.ideal_ratio_mask(S, Y, beta=0)
    with pytest.raises(SpecmaskInputError, match="K"):
        sm.compress_mask(S, K=-1)
    with pytest.raises(SpecmaskInputError, match="NaN"):
        sm.compress_mask(np.full((2, 2), np.nan))
    with pytest.raises(SpecmaskInputError, match="at least two"):
        sm.soft_masks([S])
    with pytest.raises(SpecmaskInputError, match="truncate"):
        sm.phase_sensitive_mask(S, Y, truncate=1)


def test_eps_is_documented_small():
    assert 0 < EPS < 1e-9


def test_local_snr_db_is_what_the_ibm_thresholds(rng):
    S = rng.standard_normal((20, 30)) + 1j * rng.standard_normal((20, 30))
    Y = S + 0.5 * (rng.standard_normal((20, 30)) + 1j * rng.standard_normal((20, 30)))
    local = sm.local_snr_db(S, Y)
    for lc in (-5.0, 0.0, 5.0):
        np.testing.assert_array_equal(sm.ideal_binary_mask(S, Y, lc_db=lc), (local > lc).astype(float))
    silent = sm.local_snr_db(np.zeros((2, 2), complex), np.zeros((2, 2), complex))
    assert np.all(np.isfinite(silent))


def test_psm_is_the_real_part_of_the_cirm(rng):
    S = rng.standard_normal((10, 12)) + 1j * rng.standard_normal((10, 12))
    Y = S + rng.standard_normal((10, 12))
    Y[0, 0] = 0
    np.testing.assert_array_equal(sm.phase_sensitive_mask(S, Y, truncate=None), sm.complex_ideal_ratio_mask(S, Y).real)


# ---- the mask registry ------------------------------------------------------------------------------------

def test_registry_describes_every_mask(rng):
    from specmask_edu.masks import MASKS, mask_info, oracle_mask

    S = sm.stft(rng.standard_normal(4000))
    Y = S + sm.stft(0.5 * rng.standard_normal(4000))
    assert set(ORACLE_MASKS) == {name for name, info in MASKS.items() if info.oracle}
    assert {"random_real", "random_complex"} <= set(MASKS)
    for name, info in MASKS.items():
        assert info.name == name and info.label and info.kind in ("real", "complex")
        M = info.function(Y.shape, rng=0) if not info.oracle else oracle_mask(name, S, Y)
        assert M.shape == Y.shape and np.all(np.isfinite(M))
        assert np.iscomplexobj(M) == (info.kind == "complex"), name
    assert mask_info("CIRM").label == sm.mask_label("cirm") == "cIRM"
    np.testing.assert_array_equal(oracle_mask("irm", S, Y, beta=1.0), sm.wiener_mask(S, Y))


def test_oracle_mask_refuses_a_parameter_the_mask_does_not_take(rng):
    """Before, oracle_mask("ibm", S, Y, beta=.5) raised a TypeError from inside the mask function."""
    S = sm.stft(rng.standard_normal(4000))
    with pytest.raises(SpecmaskInputError, match="takes only lc_db, not beta"):
        sm.oracle_mask("ibm", S, 2 * S, beta=0.5)


def test_hpss_kernel_is_bounded_by_the_clip(rng):
    Y = sm.stft(rng.standard_normal(8000))  # 257 bins x 63 frames
    with pytest.raises(SpecmaskInputError, match=r"the limit is 127 frames"):
        sm.hpss_masks(Y, kernel_size=10**6)
    h, p = sm.hpss_masks(Y, kernel_size=(127, 515))  # at the limit: fine
    assert np.allclose(h + p, 1.0)


def test_random_masks_refuse_negative_seeds():
    for make in (sm.random_real_mask, sm.random_complex_mask):
        with pytest.raises(SpecmaskInputError, match=">= 0"):
            make((3, 3), rng=-1)  # before: NumPy's ValueError
