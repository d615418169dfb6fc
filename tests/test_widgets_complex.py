"""The complex-mask and compression explorers of lesson 04 (specmask_edu/widgets/complex.py)."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import specmask_edu as sm  # noqa: E402
from specmask_edu import widgets  # noqa: E402
from specmask_edu._validation import SpecmaskInputError  # noqa: E402
from specmask_edu.widgets.complex import PSM_LABEL  # noqa: E402
from _explorers import SR, assert_changed, drive, state  # noqa: E402


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


def test_compression_explorer_k_c_and_error(pair):
    ex = widgets.CompressionExplorer(*pair, sr=SR, error=0.0)
    assert ex.roundtrip_score > 60                                         # compression alone is lossless
    assert ex.scores["decompressed prediction"] > 60
    fixed = {k: ex.scores[k] for k in ("mixture", PSM_LABEL, "bounded cIRM")}
    assert fixed["bounded cIRM"] > fixed[PSM_LABEL] > fixed["mixture"]
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
