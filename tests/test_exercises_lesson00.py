"""Exercises 00.1 and 00.2 and the prediction 00.2: right answers pass, each usual mistake gets its diagnosis."""

import numpy as np

import specmask_edu as sm
from specmask_edu import exercises as ex


def test_reference_solutions_pass(lesson, verdict):
    verdict.right(ex.check_random_mask(verdict.solution("00.1")["my_random_mask"], lesson["X"]))
    drop = verdict.solution("00.2", **lesson)["my_drop_db"]
    verdict.right(ex.check_level_drop(drop, lesson["x"], lesson["x_real"]))


def test_00_1_a_seeded_uniform_random_mask_passes(lesson, verdict):
    X = lesson["X"]
    verdict.right(ex.check_random_mask(lambda shape, seed: np.random.default_rng(seed).random(shape), X))
    verdict.right(ex.check_random_mask(lambda shape, seed: np.random.default_rng(seed).uniform(0, 1, shape), X))

    def legacy(shape, seed):                  # the global generator, seeded: reproducible too
        np.random.seed(seed)
        return np.random.rand(*shape)

    verdict.right(ex.check_random_mask(legacy, X))


def test_00_1_wrong_masks_get_their_diagnosis(lesson, verdict):
    X = lesson["X"]
    verdict.wrong(ex.check_random_mask(lambda shape, seed: np.full(shape, 0.5), X), "constant")
    verdict.wrong(ex.check_random_mask(lambda shape, seed: np.random.default_rng(seed).random(shape[::-1]), X),
                  "transposed")
    verdict.wrong(ex.check_random_mask(lambda shape, seed: 2 * np.random.default_rng(seed).random(shape), X),
                  "within [0, 1]")
    verdict.wrong(ex.check_random_mask(lambda shape, seed: sm.random_complex_mask(shape, rng=seed), X), "complex")
    verdict.wrong(ex.check_random_mask(lambda shape, seed: "mask", X), "should hold numbers")


def test_00_1_an_unseeded_mask_is_not_reproducible(lesson, verdict):
    X = lesson["X"]
    verdict.wrong(ex.check_random_mask(lambda shape, seed: np.random.rand(*shape), X), "not reproducible",
                  "default_rng(seed)")
    verdict.wrong(ex.check_random_mask(lambda shape, seed: np.random.default_rng().random(shape), X),
                  "not reproducible")


def test_00_1_a_deterministic_ramp_is_not_random(lesson, verdict):
    X = lesson["X"]

    def ramp(shape, seed):
        return np.linspace(0, 1, np.prod(shape), endpoint=False).reshape(shape)

    verdict.wrong(ex.check_random_mask(ramp, X), "seed changes nothing")

    def seeded_ramp(shape, seed):            # changes with the seed, but a pattern, not random
        return (np.linspace(0, 1, np.prod(shape), endpoint=False).reshape(shape) + 0.1 * seed) % 1.0

    verdict.wrong(ex.check_random_mask(seeded_ramp, X), "correlated")

    def gaussian(shape, seed):
        return np.clip(np.random.default_rng(seed).normal(0.5, 0.15, shape), 0, 1)

    verdict.wrong(ex.check_random_mask(gaussian, X), "not spread evenly")


def test_00_1_an_array_or_the_package_function_is_refused(lesson, verdict):
    X = lesson["X"]
    verdict.wrong(ex.check_random_mask(sm.random_real_mask(X.shape, rng=0), X), "should be a function")

    def shortcut(shape, seed):
        return sm.random_real_mask(shape, rng=seed)

    verdict.wrong(ex.check_random_mask(shortcut, X), "random_real_mask")

    def crashes(shape, seed):
        raise TypeError("no")

    verdict.wrong(ex.check_random_mask(crashes, X), "raised TypeError")


def test_00_2_level_drop(lesson, verdict):
    x, x_real = lesson["x"], lesson["x_real"]
    drop = 20 * np.log10(sm.rms(x) / sm.rms(x_real))
    assert 4.5 < drop < 7
    verdict.right(ex.check_level_drop(drop, x, x_real))
    verdict.wrong(ex.check_level_drop(-drop, x, x_real), "wrong sign")
    verdict.wrong(ex.check_level_drop(drop / 2, x, x_real), "20·log10")
    verdict.wrong(ex.check_level_drop(sm.rms(x) / sm.rms(x_real), x, x_real), "amplitude ratio")
    verdict.wrong(ex.check_level_drop(0.0, x, x_real), "not the level difference")
    verdict.wrong(ex.check_level_drop("5 dB", x, x_real), "one number")


def test_00_2_prediction_explains_the_measured_drop(lesson, verdict):
    x, x_real = lesson["x"], lesson["x_real"]
    drop = 20 * np.log10(sm.rms(x) / sm.rms(x_real))
    result = verdict.right(ex.check_prediction("00.2", 4.8, x, x_real))
    assert any("E[m²] = 1/3" in m and f"{drop:.1f} dB" in m for m in result.right), str(result)
    result = verdict.wrong(ex.check_prediction("00.2", 12, x, x_real), f"measured {drop:.2f}")
    assert "E[m²] = 1/3" in result.hint
    verdict.wrong(ex.check_prediction("00.2", "quieter", x, x_real), "asks for a number")
