"""Exercises of ``notebooks/00_welcome.ipynb``: a reproducible random mask (00.1) and its level drop (00.2)."""

from __future__ import annotations

import numpy as np

from .framework import Stop, as_array, as_function, call_student_function, exercise, prediction

__all__ = ["check_random_mask", "check_level_drop"]


@exercise("00.1", "A reproducible random real mask", answer="my_random_mask", solution="""
def my_random_mask(shape, seed):
    rng = np.random.default_rng(seed)      # a generator made from the seed: same seed, same numbers
    return rng.random(shape)               # uniform in [0, 1), one value per bin
""", hint="Make a random generator from the seed (NumPy's np.random.default_rng) and draw one uniform value "
          "in [0, 1) per bin from it; the same seed must give the same mask, another seed another mask.")
def check_random_mask(fb, my_random_mask, mixture_stft):
    """Exercise 00.1: ``my_random_mask(shape, seed)`` returns a uniform random mask in [0, 1) that the seed
    makes reproducible.

    The function is called with the STFT's shape and several seeds: the same seed must give the same
    mask (reproducible), different seeds different masks (random, not a fixed pattern), and the values
    must be spread evenly over [0, 1) with no pattern between neighbouring bins (uniform, like
    ``np.random.rand`` in the source article).
    """
    shape = np.shape(mixture_stft)
    as_function(fb, my_random_mask, "my_random_mask", "my_random_mask(shape, seed)",
                why="from one finished array the check cannot tell whether it is reproducible",
                forbidden={r"random_real_mask": "it calls sm.random_real_mask; this exercise is to write it yourself "
                                                "with NumPy's random generator"})
    first = as_array(fb, call_student_function(fb, my_random_mask, "my_random_mask", shape, 0), "the mask", ndim=2)
    if not fb.expect(first.shape == shape, f"shape {first.shape} matches the STFT",
                     f"shape {first.shape} does not match the STFT's {shape}: one mask value per bin is needed"):
        if first.shape == shape[::-1]:
            fb.fail("it is transposed: STFTs here are shaped (freq, frames)")
        raise Stop
    fb.expect(first.min() >= 0 and first.max() <= 1, "values are between 0 and 1",
              f"values go from {first.min():.3g} to {first.max():.3g}; a real mask here stays within [0, 1]")
    again = np.asarray(call_student_function(fb, my_random_mask, "my_random_mask", shape, 0))
    if not fb.expect(again.shape == first.shape and np.array_equal(again, first),
                     "the same seed gives the same mask (reproducible)",
                     "two calls with seed 0 give different masks: it is not reproducible. Draw the numbers from "
                     "a generator made from `seed` (np.random.default_rng(seed)), not from the unseeded global "
                     "one"):
        raise Stop
    other = np.asarray(call_student_function(fb, my_random_mask, "my_random_mask", shape, 1))
    varies = np.std(first) > 0.05 and np.unique(first).size > 100
    if not varies:
        fb.fail("the mask is (nearly) constant: it should be random, one value per bin")
        raise Stop
    if not fb.expect(other.shape != first.shape or not np.allclose(other, first),
                     "another seed gives another mask (random)",
                     "seeds 0 and 1 give the same mask: the seed changes nothing, so this is a fixed pattern, not a "
                     "random mask. Use the seed to make the generator"):
        raise Stop
    # uniform on [0, 1): each tenth of the range holds about a tenth of the values
    deciles = np.histogram(first, bins=10, range=(0.0, 1.0))[0] / first.size
    fb.expect(np.max(np.abs(deciles - 0.1)) < 0.02 and abs(first.mean() - 0.5) < 0.02,
              "values are spread evenly over [0, 1) (uniform)",
              f"values are not spread evenly over [0, 1) (mean {first.mean():.2f}, tenths of the range hold "
              f"{deciles.min():.0%} to {deciles.max():.0%}): the article draws them uniformly")
    flat = first.ravel()
    neighbours = float(np.corrcoef(flat[:-1], flat[1:])[0, 1]) if flat.size > 2 else 0.0
    fb.expect(abs(neighbours) < 0.1, "neighbouring bins are independent (no pattern)",
              f"neighbouring bins are correlated ({neighbours:.2f}): a ramp or pattern is not a random mask")
    return None


@exercise("00.2", "How much quieter is the random-mask result?", answer="my_drop_db", solution="""
my_drop_db = 20 * np.log10(sm.rms(x) / sm.rms(x_real))
""", hint="The level difference in dB compares the two RMS values with 20·log10 (RMS is an amplitude); "
          "sm.rms gives the RMS.")
def check_level_drop(fb, my_drop_db, original, masked):
    """Exercise 00.2: the level drop (dB, positive = quieter) of the masked signal against the original."""
    from ..audio import rms

    try:
        value = float(my_drop_db)
    except (TypeError, ValueError):
        fb.fail(f"`my_drop_db` should be one number in dB, got a {type(my_drop_db).__name__}.")
        raise Stop from None
    expected = 20.0 * np.log10(rms(original) / rms(masked))
    if abs(value - expected) <= 0.3:
        fb.ok(f"{value:.2f} dB: the masked signal is {expected:.2f} dB quieter")
        fb.ok("the quick estimate E[m²] = 1/3, i.e. 10·log10(3) ≈ 4.8 dB, is a little low: overlapping frames with "
              "different random gains no longer add up fully coherently in the inverse STFT")
        return None
    if abs(value + expected) <= 0.3:
        fb.fail(f"{value:.2f} dB has the wrong sign: the masked signal is quieter, so the drop is positive")
    elif abs(value - expected / 2) <= 0.3:
        fb.fail(f"{value:.2f} dB is half the answer: for amplitudes (RMS) use 20·log10, not 10·log10")
    elif abs(value - 10 ** (expected / 20)) <= 0.05:
        fb.fail(f"{value:.3f} is the amplitude ratio; express it in dB: 20·log10(ratio)")
    else:
        fb.fail(f"{value:.2f} dB is not the level difference of these two signals")
    return None


@prediction("00.2", "how many dB quieter is the random-mask result?")
def _predict_level_drop(original, masked):
    from ..audio import rms

    drop = float(20.0 * np.log10(rms(original) / rms(masked)))
    return drop, (f"measured {drop:.1f} dB. The estimate from E[m²] = 1/3 is 10·log10(3) = 4.8 dB: each bin keeps a "
                  "third of its power on average. The rest is lost in the inverse STFT, where overlapping frames "
                  "with different random gains no longer add up fully in phase"), 1.0
