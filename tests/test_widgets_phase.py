"""The phase and Griffin-Lim explorers of lesson 03 (specmask_edu/widgets/phase.py)."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import specmask_edu as sm  # noqa: E402
from specmask_edu import widgets  # noqa: E402
from specmask_edu._validation import SpecmaskInputError  # noqa: E402
from _explorers import SR, assert_changed, drive, state  # noqa: E402


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
    assert "SI-SDR" in html and "Settings: phase: zero;" in html


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
