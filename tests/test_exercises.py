"""Every check_ of lessons 00-03 with a right answer, wrong answers (with the specific feedback a student
needs) and the untouched stub; the reference solutions pass their own checks; solutions stay hidden unless
SPECMASK_INSTRUCTOR=1."""

import numpy as np
import pytest

import specmask_edu as sm
from specmask_edu import exercises as ex

SR = 16000


@pytest.fixture(scope="module")
def lesson():
    """The variables the exercises of lessons 00-03 refer to, as the notebooks define them."""
    mix = sm.load_mixture("speech_female_1", "babble", snr_db=0.0, sr=SR)
    config = sm.STFTConfig()
    x = sm.load_example("speech_female_1", sr=SR)
    X = sm.stft(x, config)
    target, mixture = mix["target"], mix["mixture"]
    S, Y = sm.stft(target, config), sm.stft(mixture, config)
    magnitude, phase = sm.magnitude_phase(X)
    x_real = sm.istft(sm.apply_mask(X, sm.random_real_mask(X.shape, rng=0)), config, length=len(x))
    return dict(sm=sm, np=np, sr=SR, config=config, x=x, X=X, x_real=x_real, magnitude=magnitude, phase=phase,
                target=target, mixture=mixture, S=S, Y=Y)


def assert_wrong(result, *fragments):
    assert result.status == "wrong" and not result.passed and not result
    text = str(result)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in feedback:\n{text}"
    assert result.hint, "a wrong answer always gets a hint"
    html = result._repr_html_()
    assert "✘" in html and "Hint" in html


def assert_right(result):
    assert result.passed and result.status == "passed", str(result)
    assert not result.wrong and result.right
    assert "well done" in str(result)


# (check function, extra arguments builder) for the "not done yet" test
STUB_CALLS = {
    "check_random_mask": lambda v: (v["X"],),
    "check_level_drop": lambda v: (v["x"], v["x_real"]),
    "check_stft_size": lambda v: (len(v["x"]), v["config"]),
    "check_resolution": lambda v: (),
    "check_rebuild": lambda v: (v["x"],),
    "check_lowpass_mask": lambda v: (v["Y"].shape, v["config"], SR),
    "check_irm": lambda v: (v["S"], v["Y"]),
    "check_ibm_estimate": lambda v: (v["target"], v["mixture"]),
    "check_mixture_phase_estimate": lambda v: (v["target"], v["mixture"]),
    "check_psm": lambda v: (v["S"], v["Y"]),
    "check_griffin_lim": lambda v: (v["target"], v["mixture"]),
}


@pytest.mark.parametrize("name", sorted(STUB_CALLS))
@pytest.mark.parametrize("stub", [..., None])
def test_stub_is_not_done_yet_and_does_not_crash(lesson, name, stub):
    result = getattr(ex, name)(stub, *STUB_CALLS[name](lesson))
    assert result.status == "not done" and not result.passed
    assert "Replace the `...`" in result.hint
    assert "not done yet" in result._repr_html_()


def test_every_exercise_of_lessons_00_to_03_has_a_check_and_a_solution():
    ids = [k for k in ex.EXERCISES if k[:2] in ("00", "01", "02", "03")]
    assert sorted(ids) == ["00.1", "00.2", "01.1", "01.2", "01.3", "02.1", "02.2", "02.3", "03.1", "03.2", "03.3"]
    for k in ids:
        assert ex.SOLUTIONS[k].strip()
        assert callable(getattr(ex, ex.EXERCISES[k]["check"]))
    assert ex.list_exercises()["02.2"] == "The ideal ratio mask from its formula"


# The reference solutions, run in the notebook's variables, pass their own check.
SOLUTION_CHECKS = {
    "00.1": ("my_mask", lambda v, a: ex.check_random_mask(a, v["X"])),
    "00.2": ("my_drop_db", lambda v, a: ex.check_level_drop(a, v["x"], v["x_real"])),
    "01.1": ("my_size", lambda v, a: ex.check_stft_size(a, len(v["x"]), v["config"])),
    "01.2": ("my_n_fft", lambda v, a: ex.check_resolution(a, sr=16000, max_bin_hz=10)),
    "01.3": ("my_x", lambda v, a: ex.check_rebuild(a, v["x"])),
    "02.1": ("my_mask", lambda v, a: ex.check_lowpass_mask(a, v["Y"].shape, v["config"], SR, cutoff_hz=1000)),
    "02.2": ("my_irm", lambda v, a: ex.check_irm(a, v["S"], v["Y"], beta=0.5)),
    "02.3": ("my_estimate", lambda v, a: ex.check_ibm_estimate(a, v["target"], v["mixture"], lc_db=-6,
                                                               config=v["config"])),
    "03.1": ("my_estimate", lambda v, a: ex.check_mixture_phase_estimate(a, v["target"], v["mixture"],
                                                                         config=v["config"])),
    "03.2": ("my_psm", lambda v, a: ex.check_psm(a, v["S"], v["Y"])),
    "03.3": ("my_estimate_gl", lambda v, a: ex.check_griffin_lim(a, v["target"], v["mixture"], n_iter=20,
                                                                 config=v["config"])),
}


@pytest.mark.parametrize("exercise_id", sorted(SOLUTION_CHECKS))
def test_reference_solution_passes(lesson, exercise_id):
    name, check = SOLUTION_CHECKS[exercise_id]
    namespace = dict(lesson)
    exec(ex.SOLUTIONS[exercise_id], namespace)  # noqa: S102 - our own reference code
    assert_right(check(lesson, namespace[name]))


# --------------------------------------------------------------------------- right and wrong, one by one


def test_00_1_random_mask(lesson):
    X = lesson["X"]
    assert_right(ex.check_random_mask(sm.random_real_mask(X.shape, rng=0), X))
    assert_wrong(ex.check_random_mask(np.full(X.shape, 0.5), X), "constant")
    assert_wrong(ex.check_random_mask(np.random.default_rng(0).random(X.shape[::-1]), X), "transposed")
    assert_wrong(ex.check_random_mask(2 * np.random.default_rng(0).random(X.shape), X), "within [0, 1]")
    assert_wrong(ex.check_random_mask(sm.random_complex_mask(X.shape, rng=0), X), "complex")
    assert_wrong(ex.check_random_mask("mask", X), "should hold numbers")


def test_00_2_level_drop(lesson):
    x, x_real = lesson["x"], lesson["x_real"]
    drop = 20 * np.log10(sm.rms(x) / sm.rms(x_real))
    assert 4.5 < drop < 7
    assert_right(ex.check_level_drop(drop, x, x_real))
    assert_wrong(ex.check_level_drop(-drop, x, x_real), "wrong sign")
    assert_wrong(ex.check_level_drop(drop / 2, x, x_real), "20·log10")
    assert_wrong(ex.check_level_drop(sm.rms(x) / sm.rms(x_real), x, x_real), "amplitude ratio")
    assert_wrong(ex.check_level_drop(0.0, x, x_real), "not the level difference")
    assert_wrong(ex.check_level_drop("5 dB", x, x_real), "one number")


def test_01_1_stft_size(lesson):
    n, cfg = len(lesson["x"]), lesson["config"]
    right = lesson["X"].shape
    assert_right(ex.check_stft_size(right, n, cfg))
    assert_wrong(ex.check_stft_size(right[::-1], n, cfg), "swapped")
    assert_wrong(ex.check_stft_size((512, right[1]), n, cfg), "n_fft // 2 + 1")
    assert_wrong(ex.check_stft_size((256, right[1]), n, cfg), "almost")
    assert_wrong(ex.check_stft_size((257, n // 128), n, cfg), "one short")
    assert_wrong(ex.check_stft_size((257, 1 + (n - 512) // 128), n, cfg), "center=False")
    assert_wrong(ex.check_stft_size(257, n, cfg), "a pair")


def test_01_2_resolution():
    assert_right(ex.check_resolution(2048, sr=16000, max_bin_hz=10))
    assert_wrong(ex.check_resolution(1024, sr=16000, max_bin_hz=10), "wider than 10 Hz")
    assert_wrong(ex.check_resolution(8192, sr=16000, max_bin_hz=10), "time-frequency trade-off")
    assert_wrong(ex.check_resolution(1600, sr=16000, max_bin_hz=10), "not a power of two")
    assert_right(ex.check_resolution(512, sr=16000, max_bin_hz=40))


def test_01_3_rebuild(lesson):
    x, X, cfg = lesson["x"], lesson["X"], lesson["config"]
    assert_right(ex.check_rebuild(sm.istft(lesson["magnitude"] * np.exp(1j * lesson["phase"]), cfg, length=len(x)), x))
    assert_wrong(ex.check_rebuild(X, x), "is 2-D")
    assert_wrong(ex.check_rebuild(sm.istft(X, cfg, length=len(x) - 64), x), "length=len(x)")
    assert_wrong(ex.check_rebuild(sm.istft(lesson["magnitude"] + 0j, cfg, length=len(x)), x), "use the phase")


def test_02_1_lowpass_mask(lesson):
    Y, cfg = lesson["Y"], lesson["config"]
    freqs = cfg.frequencies(SR)
    right = np.zeros(Y.shape)
    right[freqs < 1000] = 1
    assert_right(ex.check_lowpass_mask(right, Y.shape, cfg, SR, cutoff_hz=1000))
    assert_wrong(ex.check_lowpass_mask(1 - right, Y.shape, cfg, SR, cutoff_hz=1000), "high-pass")
    assert_wrong(ex.check_lowpass_mask(right.T, Y.shape, cfg, SR, cutoff_hz=1000), "transposed")
    by_index = np.zeros(Y.shape)
    by_index[:1000] = 1                       # the cutoff used as a bin index: keeps everything
    assert_wrong(ex.check_lowpass_mask(by_index, Y.shape, cfg, SR, cutoff_hz=1000), "not 0 everywhere above")
    too_low = np.zeros(Y.shape)
    too_low[freqs < 500] = 1
    assert_wrong(ex.check_lowpass_mask(too_low, Y.shape, cfg, SR, cutoff_hz=1000), "not 1 everywhere below")


def test_02_2_irm(lesson):
    S, Y = lesson["S"], lesson["Y"]
    N = Y - S
    assert_right(ex.check_irm(sm.ideal_ratio_mask(S, Y, beta=0.5), S, Y))
    assert_wrong(ex.check_irm(sm.wiener_mask(S, Y), S, Y), "Wiener")
    assert_wrong(ex.check_irm(np.abs(S) / (np.abs(S) + np.abs(N) + 1e-12), S, Y), "powers")
    assert_wrong(ex.check_irm(np.clip(sm.ideal_amplitude_mask(S, Y), 0, 1), S, Y), "IAM")
    with np.errstate(divide="ignore", invalid="ignore"):
        unguarded = (np.abs(S) ** 2 / (np.abs(S) ** 2 + np.abs(N) ** 2)) ** 0.5
    unguarded[0, 0] = np.nan
    assert_wrong(ex.check_irm(unguarded, S, Y), "NaN")
    assert_wrong(ex.check_irm(sm.ideal_ratio_mask(S, Y)[:, :10], S, Y), "shape")


def test_02_3_ibm_estimate(lesson):
    target, mixture, cfg = lesson["target"], lesson["mixture"], lesson["config"]
    S, Y = lesson["S"], lesson["Y"]
    right = sm.separate(mixture, sm.ideal_binary_mask(S, Y, lc_db=-6), cfg)
    assert_right(ex.check_ibm_estimate(right, target, mixture, lc_db=-6, config=cfg))
    assert_wrong(ex.check_ibm_estimate(sm.separate(mixture, sm.ideal_binary_mask(S, Y, lc_db=6), cfg), target, mixture,
                                       lc_db=-6, config=cfg), "LC = 6 dB")
    assert_wrong(ex.check_ibm_estimate(mixture, target, mixture, lc_db=-6, config=cfg), "mask was not applied")
    assert_wrong(ex.check_ibm_estimate(target, target, mixture, lc_db=-6, config=cfg), "clean target itself")
    assert_wrong(ex.check_ibm_estimate(sm.apply_mask(Y, sm.ideal_binary_mask(S, Y, lc_db=-6)), target, mixture,
                                       lc_db=-6, config=cfg), "an STFT")
    assert_wrong(ex.check_ibm_estimate(right[:-100], target, mixture, lc_db=-6, config=cfg), "length=len(mixture)")


def test_03_1_mixture_phase_estimate(lesson):
    target, mixture, cfg, S, Y = (lesson[k] for k in ("target", "mixture", "config", "S", "Y"))
    right = sm.istft(np.abs(S) * np.exp(1j * np.angle(Y)), cfg, length=len(target))
    assert_right(ex.check_mixture_phase_estimate(right, target, mixture, config=cfg))
    np.testing.assert_allclose(right, sm.oracle_separate(target, mixture - target, "iam", cfg), atol=1e-9)
    assert_wrong(ex.check_mixture_phase_estimate(target, target, mixture, config=cfg), "clean phase")
    assert_wrong(ex.check_mixture_phase_estimate(sm.istft(np.abs(S) + 0j, cfg, length=len(target)), target, mixture,
                                                 config=cfg), "zero phase")
    assert_wrong(ex.check_mixture_phase_estimate(mixture, target, mixture, config=cfg), "np.abs(S)")
    assert_wrong(ex.check_mixture_phase_estimate(sm.istft(np.abs(S) * np.exp(1j * np.angle(Y)), cfg)[:-64], target, mixture,
                                                 config=cfg), "length=len(target)")


def test_03_2_psm(lesson):
    S, Y = lesson["S"], lesson["Y"]
    assert_right(ex.check_psm(sm.phase_sensitive_mask(S, Y), S, Y))
    assert_wrong(ex.check_psm(sm.phase_sensitive_mask(S, Y, truncate=None), S, Y), "raw PSM")
    assert_wrong(ex.check_psm(sm.ideal_amplitude_mask(S, Y), S, Y), "cos(∠S − ∠Y)")
    assert_wrong(ex.check_psm(np.clip(sm.ideal_amplitude_mask(S, Y), 0, 1), S, Y), "IAM")
    assert_wrong(ex.check_psm(sm.phase_sensitive_mask(S, Y) + 1j, S, Y), "complex")


def test_03_3_griffin_lim(lesson):
    target, mixture, cfg, S, Y = (lesson[k] for k in ("target", "mixture", "config", "S", "Y"))
    right = sm.griffin_lim(np.abs(S), n_iter=20, initial_phase=np.angle(Y), config=cfg, length=len(target))
    assert_right(ex.check_griffin_lim(right, target, mixture, n_iter=20, config=cfg))
    from_zero = sm.griffin_lim(np.abs(S), n_iter=20, initial_phase="zero", config=cfg, length=len(target))
    assert_wrong(ex.check_griffin_lim(from_zero, target, mixture, n_iter=20, config=cfg), "zero or random phase")
    assert_wrong(ex.check_griffin_lim(right[:1000], target, mixture, n_iter=20, config=cfg), "length=len(target)")


# --------------------------------------------------------------------------- solutions mechanism


def test_solutions_hidden_by_default(monkeypatch):
    monkeypatch.delenv("SPECMASK_INSTRUCTOR", raising=False)
    assert not ex.instructor_mode()
    shown = ex.show_solution("02.1")
    text = str(shown) + shown._repr_markdown_()
    assert "hidden" in text and "SPECMASK_INSTRUCTOR=1" in text
    assert "frequencies" not in text                       # no part of the solution leaks
    monkeypatch.setenv("SPECMASK_INSTRUCTOR", "0")
    assert "hidden" in str(ex.show_solution("02.1"))


def test_solutions_shown_in_instructor_mode(monkeypatch):
    monkeypatch.setenv("SPECMASK_INSTRUCTOR", "1")
    shown = ex.show_solution("02.1")
    assert "config.frequencies(sr)" in str(shown)
    assert "```python" in shown._repr_markdown_()
    with pytest.raises(KeyError, match="02.1"):
        ex.show_solution("99.9")


def test_duplicate_exercise_ids_are_refused():
    with pytest.raises(ValueError, match="twice"):
        ex.exercise("02.1", "again", solution="pass")(lambda: None)


def test_feedback_on_answers_that_are_not_plain_waveforms(lesson):
    """A (waveform, sr) pair, a waveform inside a list, or a mask with the cutoff as a bin index get advice,
    not a traceback or a misleading message."""
    x = lesson["x"]
    assert_wrong(ex.check_rebuild((x, SR), x), "could not be turned into a NumPy array")
    assert_wrong(ex.check_rebuild([x], x), "extra list or tuple")
    Y, cfg = lesson["Y"], lesson["config"]
    by_index = np.zeros(Y.shape)
    by_index[:1000] = 1                       # fewer than 1000 bins: every bin kept
    assert_wrong(ex.check_lowpass_mask(by_index, Y.shape, cfg, SR, cutoff_hz=1000), "bin index")


def test_checks_show_the_students_arguments():
    import inspect

    assert list(inspect.signature(ex.check_lowpass_mask).parameters)[:2] == ["my_mask", "shape"]
    assert "fb" not in inspect.signature(ex.check_rebuild).parameters
