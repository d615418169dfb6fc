import warnings

import numpy as np
import pytest

import specmask_edu as sm
from specmask_edu import SpecmaskInputError
from specmask_edu.metrics import DB_LIMIT


def test_si_sdr_published_example():
    reference = np.array([3.0, -0.5, 2.0, 7.0])
    estimate = np.array([2.5, 0.0, 2.0, 8.0])
    assert sm.si_sdr(estimate, reference, zero_mean=False) == pytest.approx(18.4030, abs=5e-4)


def test_si_sdr_scale_invariance_and_snr_is_not(rng):
    s = rng.standard_normal(8000)
    e = s + 0.1 * rng.standard_normal(8000)
    assert sm.si_sdr(0.5 * e, s) == pytest.approx(sm.si_sdr(e, s))
    assert sm.snr(0.5 * s, s) == pytest.approx(20 * np.log10(2), abs=1e-9)
    assert sm.si_sdr(0.5 * s, s) == DB_LIMIT


def test_snr_definition(rng):
    s = rng.standard_normal(1000)
    n = rng.standard_normal(1000)
    expected = 10 * np.log10(np.sum(s**2) / np.sum(n**2))
    assert sm.snr(s + n, s) == pytest.approx(expected)


def test_zero_mean_switch():
    s = np.array([1.0, 2.0, 3.0, 4.0])
    e = s + 10.0
    assert sm.si_sdr(e, s, zero_mean=True) == DB_LIMIT
    assert sm.si_sdr(e, s, zero_mean=False) < 10


def test_improvement(rng):
    s = rng.standard_normal(8000)
    y = s + rng.standard_normal(8000)
    assert sm.si_sdr_improvement(y, y, s) == pytest.approx(0.0)
    assert sm.si_sdr_improvement(s + 0.1 * (y - s), y, s) == pytest.approx(20.0, abs=0.3)


def test_silent_estimate_is_finite(rng):
    s = rng.standard_normal(100)
    assert sm.snr(np.zeros(100), s) == pytest.approx(0.0)
    assert sm.si_sdr(np.zeros(100), s) == -DB_LIMIT


def test_metric_errors(rng):
    s = rng.standard_normal(100)
    with pytest.raises(SpecmaskInputError, match="silent"):
        sm.si_sdr(s, np.zeros(100))
    with pytest.raises(SpecmaskInputError, match="same length"):
        sm.snr(s[:-1], s)
    with pytest.raises(SpecmaskInputError, match="0.4 s"):
        sm.stoi(s, s, 16000)
    with pytest.raises(SpecmaskInputError, match="one estimate per reference"):
        sm.bss_eval([s], [s, s])


def test_bss_eval_matches_mir_eval(rng):
    mir_eval = pytest.importorskip("mir_eval")
    n = 8000
    refs = rng.standard_normal((2, n))
    ests = np.stack([refs[0] + 0.3 * refs[1] + 0.1 * rng.standard_normal(n), refs[1] + 0.2 * rng.standard_normal(n)])
    ests[1] = np.convolve(ests[1], [1.0, 0.5, -0.2], mode="same")  # a filtered estimate: SDR > SNR
    ours = sm.bss_eval(ests, refs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # mir_eval.separation is deprecated
        sdr, sir, sar, _ = mir_eval.separation.bss_eval_sources(refs, ests, compute_permutation=False)
    assert np.allclose(ours["sdr"], sdr, atol=0.01)
    assert np.allclose(ours["sir"], sir, atol=0.01)
    assert np.allclose(ours["sar"], sar, atol=0.01)


def test_bss_eval_references_reused_for_many_estimates(rng):
    n = 6000
    refs = rng.standard_normal((2, n))
    scorer = sm.BSSEvalReferences(refs, filter_length=64)
    for leak in (0.0, 0.1, 0.5):
        ests = [refs[0] + leak * refs[1] + 0.05 * rng.standard_normal(n), refs[1] + leak * refs[0]]
        reused, fresh = scorer.evaluate(ests), sm.bss_eval(ests, refs, filter_length=64)
        for name in ("sdr", "sir", "sar"):
            assert np.array_equal(reused[name], fresh[name])
    # more leakage between the sources means a lower SIR, and a filtered reference is not an artefact
    assert sm.bss_eval([refs[0] + 0.5 * refs[1], refs[1]], refs)["sir"][0] < sm.bss_eval([refs[0] + 0.1 * refs[1], refs[1]], refs)["sir"][0]
    filtered = np.convolve(refs[0], [0.8, 0.3], mode="same")
    assert sm.bss_eval([filtered, refs[1]], refs)["sdr"][0] > 60
    perfect = scorer.evaluate(refs)
    assert np.all(perfect["sdr"] == DB_LIMIT) and np.all(np.isfinite(perfect["sar"]))


def test_bss_eval_errors_teach(rng):
    refs = rng.standard_normal((2, 2000))
    scorer = sm.BSSEvalReferences(refs)
    with pytest.raises(SpecmaskInputError, match="one estimate per reference"):
        scorer.evaluate([refs[0]])
    with pytest.raises(SpecmaskInputError, match="same length"):
        scorer.evaluate([refs[0], refs[1][:-1]])
    with pytest.raises(SpecmaskInputError, match="silent"):
        sm.BSSEvalReferences([refs[0], np.zeros(2000)])
    with pytest.raises(SpecmaskInputError, match="too short"):
        sm.BSSEvalReferences(refs[:, :300])
    with pytest.raises(SpecmaskInputError, match="filter_length"):
        sm.BSSEvalReferences(refs, filter_length=0)


def test_stoi_orders_quality(noisy_pair):
    target, interference = noisy_pair
    clean = sm.stoi(target, target, 16000)
    noisy = sm.stoi(target + 3 * interference, target, 16000)
    assert clean == pytest.approx(1.0, abs=1e-6)
    assert 0 <= noisy < clean


def test_metrics_table_and_format(noisy_pair):
    target, interference = noisy_pair
    mix = target + interference
    table = sm.metrics_table(
        {"mixture": mix, "IRM": sm.oracle_separate(target, interference, "irm")}, target, mixture=mix, sr=16000
    )
    assert list(table) == ["mixture", "IRM"]
    assert set(table["IRM"]) == {"SNR", "SI-SDR", "SI-SDRi", "SDR", "SIR", "SAR", "STOI"}
    assert table["mixture"]["SI-SDRi"] == pytest.approx(0.0)
    assert table["IRM"]["SI-SDRi"] > 3
    assert table["IRM"]["SIR"] > table["mixture"]["SIR"]
    text = sm.format_table(table)
    assert text.splitlines()[0].startswith("| estimate | SNR")
    assert "| IRM |" in text
    with pytest.raises(SpecmaskInputError, match="dict"):
        sm.metrics_table([mix], target)
