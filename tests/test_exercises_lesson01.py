"""Exercises 01.1-01.3: the STFT's shape as a function (no sm.stft), frequency resolution judged by the Hann
main lobe (not the bin spacing), and rebuilding a waveform from magnitude and phase."""

import numpy as np
import pytest

import specmask_edu as sm
from specmask_edu import exercises as ex
from specmask_edu.exercises.lesson01 import count_peaks


def shape_function(bins, frames):
    """A student's my_stft_shape built from two formulas."""
    return lambda n, n_fft, hop: (bins(n, n_fft, hop), frames(n, n_fft, hop))


RIGHT_BINS = lambda n, n_fft, hop: n_fft // 2 + 1     # noqa: E731
RIGHT_FRAMES = lambda n, n_fft, hop: 1 + n // hop     # noqa: E731


def test_reference_solutions_pass(lesson, verdict):
    verdict.right(ex.check_stft_size(verdict.solution("01.1")["my_stft_shape"], len(lesson["x"]), lesson["config"]))
    verdict.right(ex.check_resolution(verdict.solution("01.2")["my_n_fft"], sr=16000))
    my_x = verdict.solution("01.3", **lesson)["my_x"]
    verdict.right(ex.check_rebuild(my_x, lesson["x"]))


def test_01_1_stft_size(lesson, verdict):
    n, cfg = len(lesson["x"]), lesson["config"]
    right = shape_function(RIGHT_BINS, RIGHT_FRAMES)
    assert right(n, cfg.n_fft, cfg.hop_length) == lesson["X"].shape
    verdict.right(ex.check_stft_size(right, n, cfg))
    verdict.wrong(ex.check_stft_size(lambda n, f, h: right(n, f, h)[::-1], n, cfg), "swapped")
    verdict.wrong(ex.check_stft_size(shape_function(lambda n, f, h: f, RIGHT_FRAMES), n, cfg), "n_fft // 2 + 1")
    verdict.wrong(ex.check_stft_size(shape_function(lambda n, f, h: f // 2, RIGHT_FRAMES), n, cfg), "almost")
    verdict.wrong(ex.check_stft_size(shape_function(RIGHT_BINS, lambda n, f, h: n // h), n, cfg), "one short")
    verdict.wrong(ex.check_stft_size(shape_function(RIGHT_BINS, lambda n, f, h: 1 + (n - f) // h), n, cfg),
                  "center=False")
    verdict.wrong(ex.check_stft_size(lambda n, f, h: 257, n, cfg), "a pair")


def test_01_1_only_right_for_the_lessons_numbers_is_not_enough(lesson, verdict):
    n, cfg = len(lesson["x"]), lesson["config"]
    shape = lesson["X"].shape
    verdict.wrong(ex.check_stft_size(lambda *args: shape, n, cfg), "n_fft 1024")
    verdict.wrong(ex.check_stft_size(shape, n, cfg), "should be a function")


def test_01_1_calling_the_stft_is_refused(lesson, verdict):
    n, cfg = len(lesson["x"]), lesson["config"]

    def my_stft_shape(n_samples, n_fft, hop_length):
        return sm.stft(np.zeros(n_samples), sm.STFTConfig(n_fft=n_fft, hop_length=hop_length)).shape

    verdict.wrong(ex.check_stft_size(my_stft_shape, n, cfg), "calls an STFT")


@pytest.mark.parametrize("n_fft, peaks", [(1024, 1), (2048, 1), (4096, 2), (8192, 2), (16384, 2)])
def test_count_peaks_two_tones_10_hz_apart(n_fft, peaks):
    """Measured: with a Hann window, 1000 and 1010 Hz are one peak at n_fft 2048 and two from 4096 on."""
    assert count_peaks(n_fft, 16000, (1000, 1010)) == peaks


def test_01_2_resolution_is_judged_by_the_main_lobe(verdict):
    result = verdict.right(ex.check_resolution(4096, sr=16000))
    text = str(result)
    assert "main lobe" in text and "15.6 Hz" in text and "measured: 2" in text and "smallest" in text
    assert "bin spacing is not the resolution" in text
    larger = verdict.right(ex.check_resolution(8192, sr=16000))          # also resolves; flagged, not failed
    assert "time-frequency trade-off" in str(larger)
    verdict.right(ex.check_resolution(16384, sr=16000))
    verdict.wrong(ex.check_resolution(2048, sr=16000), "31.2 Hz wide", "merge", "measured: 1 peak",
                  "bin spacing is how finely")
    verdict.wrong(ex.check_resolution(1024, sr=16000), "62.5 Hz wide", "merge")
    verdict.wrong(ex.check_resolution(1600, sr=16000), "not a power of two")
    verdict.wrong(ex.check_resolution("big", sr=16000), "whole number")
    verdict.right(ex.check_resolution(512, sr=16000, tones_hz=(1000, 1080)))
    verdict.wrong(ex.check_resolution(512, sr=16000, tones_hz=(1000, 1040)), "merge")


def test_01_2_hint_teaches_main_lobe_against_bin_spacing(verdict):
    result = verdict.wrong(ex.check_resolution(2048, sr=16000))
    assert "main lobe" in result.hint and "bin spacing" in result.hint and "4·sr/n_fft" in result.hint


def test_01_3_rebuild(lesson, verdict):
    x, X, cfg = lesson["x"], lesson["X"], lesson["config"]
    magnitude, phase = lesson["magnitude"], lesson["phase"]
    verdict.right(ex.check_rebuild(sm.istft(magnitude * np.exp(1j * phase), cfg, length=len(x)), x))
    verdict.wrong(ex.check_rebuild(X, x), "is 2-D")
    verdict.wrong(ex.check_rebuild(sm.istft(X, cfg, length=len(x) - 64), x), "length=len(x)")
    verdict.wrong(ex.check_rebuild(sm.istft(magnitude + 0j, cfg, length=len(x)), x), "use the phase")


def test_01_3_usual_slips_are_named(lesson, verdict):
    x, X, cfg = lesson["x"], lesson["X"], lesson["config"]
    magnitude, phase = lesson["magnitude"], lesson["phase"]
    no_j = sm.istft((magnitude * np.exp(phase)).astype(complex), cfg, length=len(x))
    verdict.wrong(ex.check_rebuild(no_j, x, config=cfg), "without 1j")
    frames = np.fft.irfft(X, n=cfg.n_fft, axis=0)                       # inverse FFT per frame, no overlap-add
    verdict.wrong(ex.check_rebuild(frames, x, config=cfg), "overlap-add")
    verdict.wrong(ex.check_rebuild(frames.T.ravel(), x, config=cfg), "overlap-added")
    odd = x[:-37]                                                        # not a whole number of hops
    verdict.wrong(ex.check_rebuild(sm.istft(sm.stft(odd, cfg), cfg), odd, config=cfg), "length=len(x)")


def test_feedback_on_answers_that_are_not_plain_waveforms(lesson, verdict):
    """A (waveform, sr) pair or a waveform inside a list get advice, not a traceback or a misleading message."""
    x = lesson["x"]
    verdict.wrong(ex.check_rebuild((x, 16000), x), "could not be turned into a NumPy array")
    verdict.wrong(ex.check_rebuild([x], x), "extra list or tuple")
