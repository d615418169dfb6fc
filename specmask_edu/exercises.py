r"""Self-check exercises for the lessons, with feedback a student can act on.

Each exercise in a notebook has an id ``"NN.k"`` (lesson number and exercise number, shown in its
heading), a code cell with a starting stub such as ``my_mask = ...`` and a cell that calls its
``check_...`` function::

    my_mask = ...                                    # your code here
    sm.exercises.check_lowpass_mask(my_mask, Y.shape, config, sr, cutoff_hz=1000)

A check returns a :class:`CheckResult`. In a notebook it shows what is right (✔), what is wrong (✘)
and a hint; in code ``result.passed`` is ``True`` or ``False``. A stub that is still ``...`` or ``None``
gives "not done yet" instead of an error, so a lesson always runs from top to bottom.

Reference solutions (for instructors)
-------------------------------------
The reference solution of every exercise is stored in this module (``SOLUTIONS``) and is **not shown
by default**. ``sm.exercises.show_solution("02.1")`` only says how to enable solutions, unless the
environment variable ``SPECMASK_INSTRUCTOR`` is set to ``1`` in the kernel's environment, e.g. when
Jupyter is started with::

    SPECMASK_INSTRUCTOR=1 jupyter lab

(or, for one session, run ``%env SPECMASK_INSTRUCTOR=1`` in a cell first). Then
``show_solution("02.1")`` displays the reference code. ``list_exercises()`` names every exercise
with its id and title. This keeps the answers out of a student's way while working through a lesson;
it does not make them secret (they are in the installed package, as in any open course).

Writing a check (for course authors): register it with :func:`exercise` (id, title, reference solution)
and let ``_checked`` handle the stub ("not done yet") and early stops; the body receives a
:class:`Feedback` to fill and may return an extra hint::

    @exercise("02.2", "The ideal ratio mask from its formula", solution="my_irm = ...")
    @_checked("02.2", "my_irm", "IRM = (|S|² / (|S|² + |N|²)) ** beta with N = Y - S.")
    def check_irm(fb, my_irm, target_stft, mixture_stft, beta=0.5):
        M = _array(fb, my_irm, "my_irm", ndim=2)        # refuses non-arrays, NaN, wrong dimensions
        fb.expect(M.shape == target_stft.shape, "shape matches", "shape does not match")
        ...

The student calls it without ``fb``: ``check_irm(my_irm, S, Y)``.
"""

from __future__ import annotations

import functools
import html as _html
import inspect
import os
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "CheckResult",
    "Feedback",
    "exercise",
    "show_solution",
    "list_exercises",
    "instructor_mode",
    "SOLUTIONS",
    "EXERCISES",
    "check_random_mask",
    "check_level_drop",
    "check_stft_size",
    "check_resolution",
    "check_rebuild",
    "check_lowpass_mask",
    "check_irm",
    "check_ibm_estimate",
    "check_mixture_phase_estimate",
    "check_psm",
    "check_griffin_lim",
    "check_cirm",
    "check_bounded_mask",
    "check_share_above_one",
    "check_soft_masks",
    "check_karaoke",
    "check_hpss_drums",
    "check_si_sdr_function",
    "check_best_gain",
    "check_equal_score",
]

#: Environment variable that reveals reference solutions when set to "1".
INSTRUCTOR_ENV = "SPECMASK_INSTRUCTOR"

#: exercise id -> reference solution (Python code as text)
SOLUTIONS: dict[str, str] = {}
#: exercise id -> {"title": ..., "check": name of the check function}
EXERCISES: dict[str, dict] = {}


# --------------------------------------------------------------------------- results


@dataclass
class CheckResult:
    """The outcome of a ``check_...`` call.

    Attributes
    ----------
    exercise : str
        Exercise id, e.g. ``"02.1"``.
    status : str
        ``"passed"``, ``"wrong"`` or ``"not done"``.
    right : list of str
        What is already correct.
    wrong : list of str
        What is not correct yet (empty when passed).
    hint : str
        What to try next (empty when passed).
    """

    exercise: str
    status: str
    right: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    hint: str = ""

    @property
    def passed(self) -> bool:
        """True only when everything checked is right."""
        return self.status == "passed"

    @property
    def title(self) -> str:
        return EXERCISES.get(self.exercise, {}).get("title", "")

    def __bool__(self):
        return self.passed

    def _headline(self):
        name = f"Exercise {self.exercise}" + (f" ({self.title})" if self.title else "")
        return {"passed": f"{name}: well done, all checks passed.",
                "wrong": f"{name}: not quite yet.",
                "not done": f"{name}: not done yet."}[self.status]

    def __str__(self):
        lines = [self._headline()]
        lines += [f"  ✔ {m}" for m in self.right]
        lines += [f"  ✘ {m}" for m in self.wrong]
        if self.hint:
            lines.append(f"  Hint: {self.hint}")
        return "\n".join(lines)

    def __repr__(self):
        return str(self)

    def _repr_html_(self):
        colour = {"passed": "#1a7f37", "wrong": "#b35900", "not done": "#555"}[self.status]
        items = [f"<li style='color:#1a7f37'>✔ {_html.escape(m)}</li>" for m in self.right]
        items += [f"<li style='color:#b00'>✘ {_html.escape(m)}</li>" for m in self.wrong]
        hint = f"<div><b>Hint:</b> {_html.escape(self.hint)}</div>" if self.hint else ""
        return (f"<div style='border-left:4px solid {colour};padding:4px 10px;margin:4px 0'>"
                f"<b style='color:{colour}'>{_html.escape(self._headline())}</b>"
                f"<ul style='list-style:none;padding-left:4px;margin:4px 0'>{''.join(items)}</ul>{hint}</div>")


class Feedback:
    """Collects what is right and wrong while a check runs; ``result(hint)`` makes the CheckResult."""

    def __init__(self, exercise_id: str):
        self.exercise = exercise_id
        self.right: list[str] = []
        self.wrong: list[str] = []

    def ok(self, message: str):
        self.right.append(message)

    def fail(self, message: str):
        self.wrong.append(message)

    def expect(self, condition: bool, right: str, wrong: str) -> bool:
        """Record ``right`` if ``condition`` holds, else ``wrong``; return the condition."""
        (self.right if condition else self.wrong).append(right if condition else wrong)
        return bool(condition)

    def result(self, hint: str = "") -> CheckResult:
        if self.wrong:
            return CheckResult(self.exercise, "wrong", self.right, self.wrong, hint)
        return CheckResult(self.exercise, "passed", self.right, [], "")


def _not_done(answer) -> bool:
    """True for a stub that has not been filled in (``...`` or ``None``)."""
    return answer is Ellipsis or answer is None


def _pending(exercise_id: str, name: str) -> CheckResult:
    return CheckResult(exercise_id, "not done", [], [],
                       f"Replace the `...` after `{name} =` with your code, run that cell, then run this check again.")


def exercise(exercise_id: str, title: str, solution: str):
    """Decorator that registers a check function with its id, title and reference solution."""

    def register(func):
        if exercise_id in EXERCISES:
            raise ValueError(f"Exercise id {exercise_id!r} is registered twice.")
        EXERCISES[exercise_id] = {"title": title, "check": func.__name__}
        SOLUTIONS[exercise_id] = solution.strip("\n")
        func.exercise_id = exercise_id
        return func

    return register


def instructor_mode() -> bool:
    """True when the environment variable ``SPECMASK_INSTRUCTOR`` is ``1`` (solutions are shown)."""
    return os.environ.get(INSTRUCTOR_ENV, "").strip() == "1"


class _Text:
    def __init__(self, text, markdown=None):
        self.text = text
        self.markdown = markdown or text

    def __str__(self):
        return self.text

    __repr__ = __str__

    def _repr_markdown_(self):
        return self.markdown


def show_solution(exercise_id: str):
    """The reference solution of an exercise, if instructor mode is on (see the module docstring).

    Returns an object that displays as a code block (or, without instructor mode, as a note that says
    how instructors turn solutions on).
    """
    key = str(exercise_id)
    if key not in SOLUTIONS:
        raise KeyError(f"No exercise {key!r}; the exercises are {sorted(SOLUTIONS)}.")
    if not instructor_mode():
        text = (f"The reference solution of exercise {key} is hidden. Instructors: start Jupyter with "
                f"{INSTRUCTOR_ENV}=1 (e.g. `{INSTRUCTOR_ENV}=1 jupyter lab`), or run `%env {INSTRUCTOR_ENV}=1` "
                "in a cell, then call show_solution again.")
        return _Text(text)
    code = SOLUTIONS[key]
    title = EXERCISES[key]["title"]
    return _Text(f"# Exercise {key}: {title}\n{code}", f"**Exercise {key}: {title}**\n\n```python\n{code}\n```")


def list_exercises() -> dict[str, str]:
    """``{id: title}`` of every exercise, in lesson order."""
    return {k: EXERCISES[k]["title"] for k in sorted(EXERCISES)}


# --------------------------------------------------------------------------- helpers for checks


class _Stop(Exception):
    """Raised inside a check when the answer cannot be examined further."""


def _array(fb: Feedback, value, name: str, ndim: int | None = None, complex_ok: bool = False) -> np.ndarray:
    """The answer as a finite NumPy array, or a clear 'wrong' message (raises _Stop)."""
    if isinstance(value, (int, float, complex)) and ndim:
        fb.fail(f"`{name}` is a single number, but an array with {ndim} dimension(s) is expected.")
        raise _Stop
    try:
        arr = np.asarray(value)
    except Exception:  # noqa: BLE001
        fb.fail(f"`{name}` could not be turned into a NumPy array (it is a {type(value).__name__}).")
        raise _Stop from None
    if arr.dtype == object or arr.dtype.kind not in "biufc":
        fb.fail(f"`{name}` should hold numbers, but it is a {type(value).__name__} of {arr.dtype}.")
        raise _Stop
    if ndim is not None and arr.ndim != ndim:
        what = {1: "a 1-D waveform", 2: "a 2-D array shaped (freq, frames)"}.get(ndim, f"{ndim}-D")
        fb.fail(f"`{name}` has shape {arr.shape}; expected {what}.")
        raise _Stop
    if np.iscomplexobj(arr) and not complex_ok:
        if ndim == 1:
            fb.fail(f"`{name}` is complex: that looks like a spectrum, not a waveform.")
        else:
            fb.fail(f"`{name}` is complex, but a real-valued array is expected here.")
        raise _Stop
    if not np.all(np.isfinite(arr)):
        fb.fail(f"`{name}` contains NaN or infinite values (often a division by zero: guard it, e.g. with "
                "np.maximum(denominator, 1e-12)).")
        raise _Stop
    return arr


def _checked(exercise_id, name, hint):
    """Run a check body; an early _Stop still returns the feedback collected so far."""

    def decorate(body):
        def run(answer, *args, **kwargs):
            if _not_done(answer):
                return _pending(exercise_id, name)
            fb = Feedback(exercise_id)
            try:
                extra_hint = body(fb, answer, *args, **kwargs)
            except _Stop:
                extra_hint = None
            return fb.result(extra_hint or hint)

        functools.update_wrapper(run, body)
        # what Shift-Tab and help() show: the student's arguments, without the internal ``fb``
        parameters = list(inspect.signature(body).parameters.values())[1:]
        run.__signature__ = inspect.Signature(parameters)
        del run.__wrapped__
        return run

    return decorate


def _waveform(fb: Feedback, value, name: str, n_samples: int, of: str, length_hint: str) -> np.ndarray:
    """A student's waveform answer: 1-D, real, finite and ``n_samples`` long (else 'wrong' and _Stop)."""
    arr = _array(fb, value, name, complex_ok=True)  # first: it turns (waveform, sr) etc. into a message
    if arr.ndim == 2 and min(arr.shape) > 1:
        fb.fail(f"`{name}` is 2-D: that is an STFT. Go back to a waveform with sm.istft(..., {length_hint})")
        raise _Stop
    if arr.ndim == 2:
        fb.fail(f"`{name}` has shape {arr.shape}: one waveform inside an extra list or tuple. Give the 1-D "
                "array itself (e.g. without the surrounding brackets, or with np.ravel).")
        raise _Stop
    y = _array(fb, arr, name, ndim=1)
    if not fb.expect(y.size == n_samples, f"same length as {of}",
                     f"{y.size} samples but {of} has {n_samples}: pass {length_hint}"):
        raise _Stop
    return y


def _number(fb: Feedback, value, name: str) -> float:
    """A student's function returned one number (else 'wrong' and _Stop)."""
    try:
        return float(np.asarray(value).item()) if np.size(value) == 1 else float(value)
    except (TypeError, ValueError):
        fb.fail(f"{name} should return one number in dB, it returned a {type(value).__name__}")
        raise _Stop from None


def _rel_error(a, b) -> float:
    den = float(np.linalg.norm(b))
    return float(np.linalg.norm(a - b)) / (den if den > 0 else 1.0)


def _close(a, b, tol=1e-6) -> bool:
    return a.shape == b.shape and _rel_error(a, b) <= tol


# --------------------------------------------------------------------------- 00 welcome


@exercise("00.1", "A reproducible random real mask", solution="""
my_mask = sm.random_real_mask(Y.shape, rng=0)
""")
@_checked("00.1", "my_mask", "Use sm.random_real_mask(Y.shape, rng=0): one value in [0, 1) per STFT bin.")
def check_random_mask(fb, my_mask, mixture_stft):
    """Exercise 00.1: a random real mask for the mixture STFT (shape, real, in [0, 1], really random)."""
    Y = np.asarray(mixture_stft)
    M = _array(fb, my_mask, "my_mask", ndim=2)
    if not fb.expect(M.shape == Y.shape, f"shape {M.shape} matches the STFT",
                     f"shape {M.shape} does not match the STFT's {Y.shape}: one mask value per bin is needed"):
        if M.shape == Y.shape[::-1]:
            fb.fail("it is transposed: STFTs here are shaped (freq, frames)")
        raise _Stop
    fb.expect(M.min() >= 0 and M.max() <= 1, "values are between 0 and 1",
              f"values go from {M.min():.3g} to {M.max():.3g}; a real mask here stays within [0, 1]")
    fb.expect(np.std(M) > 0.05 and np.unique(M).size > 100, "the values vary from bin to bin (random)",
              "the mask is (nearly) constant: it should be random, like np.random.rand in the article")


@exercise("00.2", "How much quieter is the random-mask result?", solution="""
my_drop_db = 20 * np.log10(sm.rms(x) / sm.rms(x_real))
""")
@_checked("00.2", "my_drop_db", "Level difference in dB: 20 * log10(rms(original) / rms(masked)). sm.rms(x) gives the RMS.")
def check_level_drop(fb, my_drop_db, original, masked):
    """Exercise 00.2: the level drop (dB, positive = quieter) of the masked signal against the original."""
    from .audio import rms

    try:
        value = float(my_drop_db)
    except (TypeError, ValueError):
        fb.fail(f"`my_drop_db` should be one number in dB, got a {type(my_drop_db).__name__}.")
        raise _Stop from None
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


# --------------------------------------------------------------------------- 01 STFT


@exercise("01.1", "How many bins and frames?", solution="""
my_size = (config.n_fft // 2 + 1, 1 + len(x) // config.hop_length)
""")
@_checked("01.1", "my_size", "Bins: n_fft // 2 + 1 (0 Hz to sr/2). Frames with center=True: 1 + n_samples // hop_length.")
def check_stft_size(fb, my_size, n_samples, config):
    """Exercise 01.1: ``(n_bins, n_frames)`` of the STFT of ``n_samples`` samples with ``config``."""
    try:
        bins, frames = (int(v) for v in my_size)
    except (TypeError, ValueError):
        fb.fail("`my_size` should be a pair (n_bins, n_frames), e.g. (257, 531).")
        raise _Stop from None
    want_bins, want_frames = config.n_freqs, config.n_frames(int(n_samples))
    if (bins, frames) == (want_frames, want_bins):
        fb.fail("the two numbers are swapped: STFTs here are shaped (freq, frames), so bins come first")
        raise _Stop
    if bins == want_bins:
        fb.ok(f"{bins} frequency bins (n_fft // 2 + 1: from 0 Hz up to sr/2)")
    elif bins == config.n_fft:
        fb.fail(f"{bins} is n_fft; for a real signal only n_fft // 2 + 1 bins are kept (the rest mirror them)")
    elif bins == config.n_fft // 2:
        fb.fail(f"{bins} bins: almost, the bin at exactly sr/2 counts too (n_fft // 2 + 1)")
    else:
        fb.fail(f"{bins} is not the number of frequency bins for n_fft = {config.n_fft}")
    if frames == want_frames:
        fb.ok(f"{frames} frames (1 + n_samples // hop_length, since the signal is padded at both ends)")
    elif frames == int(n_samples) // config.hop_length:
        fb.fail(f"{frames} frames: one short. With center=True the first frame is centred on sample 0, "
                "so there is one more frame: 1 + n_samples // hop_length")
    elif frames == 1 + (int(n_samples) - config.n_fft) // config.hop_length:
        fb.fail(f"{frames} frames is the count without padding (center=False); this course pads (center=True)")
    else:
        fb.fail(f"{frames} is not the number of frames for {n_samples} samples and hop {config.hop_length}")
    return None


@exercise("01.2", "Pick n_fft for a frequency resolution", solution="""
my_n_fft = 2048   # 16000 / 2048 = 7.8 Hz per bin; 1024 would give 15.6 Hz
""")
@_checked("01.2", "my_n_fft", "Bin spacing is sr / n_fft Hz: find the smallest power of two that makes it small enough.")
def check_resolution(fb, my_n_fft, sr=16000, max_bin_hz=10.0):
    """Exercise 01.2: the smallest power-of-two ``n_fft`` whose bins are at most ``max_bin_hz`` apart."""
    try:
        n = int(my_n_fft)
    except (TypeError, ValueError):
        fb.fail("`my_n_fft` should be a whole number of samples, e.g. 512.")
        raise _Stop from None
    if n <= 0 or n & (n - 1):
        fb.fail(f"{n} is not a power of two (256, 512, 1024, ...): the FFT is fastest for those, the course uses them")
        raise _Stop
    spacing = sr / n
    best = 1 << int(np.ceil(np.log2(sr / max_bin_hz)))
    if not fb.expect(spacing <= max_bin_hz, f"bins are {spacing:.1f} Hz apart (at most {max_bin_hz:g} Hz)",
                     f"bins are {spacing:.1f} Hz apart, wider than {max_bin_hz:g} Hz: n_fft must be larger"):
        return None
    frame_ms = 1000 * n / sr
    fb.expect(n == best, f"and {n} is the smallest such power of two: frames of {frame_ms:.0f} ms",
              f"{n} works, but {best} is enough; a longer frame ({frame_ms:.0f} ms instead of "
              f"{1000 * best / sr:.0f} ms) blurs the time axis for nothing: that is the time-frequency trade-off")
    return None


@exercise("01.3", "Back from magnitude and phase", solution="""
magnitude, phase = sm.magnitude_phase(X)
my_x = sm.istft(magnitude * np.exp(1j * phase), config, length=len(x))
""")
@_checked("01.3", "my_x", "X = magnitude * np.exp(1j * phase); then sm.istft(X, config, length=len(x)).")
def check_rebuild(fb, my_x, x):
    """Exercise 01.3: the waveform rebuilt from magnitude and phase equals the original ``x``."""
    x = np.asarray(x, dtype=float)
    y = _waveform(fb, my_x, "my_x", x.size, "the original", "length=len(x) to sm.istft")
    err = _rel_error(y, x)
    if fb.expect(err < 1e-6, f"equal to the original (relative error {err:.1e}): the STFT lost nothing",
                 f"differs from the original (relative error {err:.2f})"):
        return None
    if abs(np.corrcoef(y, x)[0, 1]) < 0.5:
        return "Did you use the phase? magnitude alone (or a made-up phase) does not give the signal back."
    return None


# --------------------------------------------------------------------------- 02 real masks


@exercise("02.1", "A low-pass mask by hand", solution="""
freqs = config.frequencies(sr)                    # Hz of each bin
my_mask = np.zeros(Y.shape)
my_mask[freqs < 1000, :] = 1.0                    # keep everything below 1 kHz, in every frame
""")
@_checked("02.1", "my_mask", "config.frequencies(sr) gives each bin's frequency in Hz; the mask is 1 where that is below the cutoff and 0 above, in every frame.")
def check_lowpass_mask(fb, my_mask, shape, config, sr, cutoff_hz=1000.0):
    """Exercise 02.1: a {0, 1} mask that keeps the bins below ``cutoff_hz`` in every frame."""
    M = _array(fb, my_mask, "my_mask", ndim=2)
    shape = tuple(shape)
    if M.shape != shape:
        fb.fail(f"shape {M.shape} but the STFT is {shape}" + (" (transposed?)" if M.shape == shape[::-1] else ""))
        raise _Stop
    fb.ok(f"shape {shape} matches the STFT")
    freqs = config.frequencies(sr)
    below, above = freqs < cutoff_hz, freqs > cutoff_hz
    low_ok = np.allclose(M[below], 1.0)
    high_ok = np.allclose(M[above], 0.0)
    if np.allclose(M[below], 0.0) and np.allclose(M[above], 1.0):
        fb.fail("it keeps the highs and removes the lows: that is a high-pass mask (swap 0 and 1)")
        raise _Stop
    fb.expect(low_ok, f"1 for every bin below {cutoff_hz:g} Hz", f"not 1 everywhere below {cutoff_hz:g} Hz")
    fb.expect(high_ok, f"0 for every bin above {cutoff_hz:g} Hz", f"not 0 everywhere above {cutoff_hz:g} Hz")
    if not (low_ok and high_ok):
        kept = np.flatnonzero(M.mean(axis=1) > 0.5)
        # M[:1000] = 1 keeps every bin when there are fewer than 1000 of them
        used_as_index = kept.size and (abs(kept.max() + 1 - cutoff_hz) < 2
                                       or (cutoff_hz >= M.shape[0] and kept.size == M.shape[0]))
        if used_as_index:
            return (f"It looks like you used the cutoff as a bin index ({cutoff_hz:g} is a frequency in Hz, not a "
                    "bin number); convert Hz to bins with config.frequencies(sr) (bin k is at k * sr / n_fft Hz).")
    return None


@exercise("02.2", "The ideal ratio mask from its formula", solution="""
N = Y - S
my_irm = (np.abs(S)**2 / np.maximum(np.abs(S)**2 + np.abs(N)**2, 1e-24)) ** 0.5
""")
@_checked("02.2", "my_irm", "IRM = (|S|² / (|S|² + |N|²)) ** beta with N = Y - S; guard the division for silent bins.")
def check_irm(fb, my_irm, target_stft, mixture_stft, beta=0.5):
    """Exercise 02.2: the IRM with exponent ``beta`` computed from the target and mixture STFTs."""
    from .masks import ideal_amplitude_mask, ideal_ratio_mask

    S, Y = np.asarray(target_stft), np.asarray(mixture_stft)
    M = _array(fb, my_irm, "my_irm", ndim=2)
    if not fb.expect(M.shape == S.shape, f"shape {M.shape} matches the STFTs",
                     f"shape {M.shape} but the STFTs are {S.shape}"):
        raise _Stop
    fb.expect(M.min() >= -1e-9 and M.max() <= 1 + 1e-9, "values are within [0, 1]",
              f"values go from {M.min():.3g} to {M.max():.3g}, but an IRM is within [0, 1]")
    expected = ideal_ratio_mask(S, Y, beta=beta)
    active = np.abs(S) ** 2 + np.abs(Y - S) ** 2 > 1e-20  # silent bins may take any guarded value
    if fb.expect(np.allclose(M[active], expected[active], atol=1e-4), f"matches the IRM with beta = {beta:g}",
                 f"does not match the IRM with beta = {beta:g}"):
        return None
    candidates = {
        "the Wiener mask (beta = 1): raise the ratio to the power beta": ideal_ratio_mask(S, Y, beta=1.0),
        "a ratio of magnitudes |S|/(|S|+|N|): the IRM uses powers (squared magnitudes)":
            np.abs(S) / np.maximum(np.abs(S) + np.abs(Y - S), 1e-12),
        "the IAM |S|/|Y|: the denominator is |S|² + |N|² with N = Y - S, not |Y|²": ideal_amplitude_mask(S, Y),
        "the IAM |S|/|Y| clipped to [0, 1]: the IRM's denominator is |S|² + |N|² with N = Y - S, not |Y|²":
            np.clip(ideal_amplitude_mask(S, Y), 0, 1),
        "(|S|²/|Y|²)^beta: the denominator is |S|² + |N|² with N = Y - S, not |Y|²":
            np.clip(ideal_amplitude_mask(S, Y) ** 2, 0, None) ** beta,
    }
    for message, candidate in candidates.items():
        if candidate.shape == M.shape and np.allclose(M[active], candidate[active], atol=1e-4):
            fb.fail(f"it is {message}")
            break
    return None


@exercise("02.3", "Separate with the IBM", solution="""
S, Y = sm.stft(target, config), sm.stft(mixture, config)
my_estimate = sm.separate(mixture, sm.ideal_binary_mask(S, Y, lc_db=-6), config)
""")
@_checked("02.3", "my_estimate", "S = sm.stft(target, config), Y = sm.stft(mixture, config); mask = sm.ideal_binary_mask(S, Y, lc_db=...); sm.separate(mixture, mask, config).")
def check_ibm_estimate(fb, my_estimate, target, mixture, lc_db=-6.0, config=None):
    """Exercise 02.3: the waveform separated from ``mixture`` with the IBM at ``lc_db``."""
    from .masks import ideal_binary_mask
    from .metrics import si_sdr
    from .separation import separate
    from .stft import stft

    target, mixture = np.asarray(target, float), np.asarray(mixture, float)
    y = _waveform(fb, my_estimate, "my_estimate", mixture.size, "the mixture",
                  "length=len(mixture) (or use sm.separate, which does the whole way)")
    S, Y = stft(target, config), stft(mixture, config)
    expected = separate(mixture, ideal_binary_mask(S, Y, lc_db=lc_db), config)
    if fb.expect(_close(y, expected, 1e-4), f"it is the IBM estimate with LC = {lc_db:g} dB "
                 f"(SI-SDR {si_sdr(expected, target):.1f} dB against the mixture's {si_sdr(mixture, target):.1f} dB)",
                 f"it is not the IBM estimate with LC = {lc_db:g} dB"):
        return None
    if _close(y, mixture, 1e-6):
        fb.fail("it is the unchanged mixture: the mask was not applied")
    elif _close(y, target, 1e-6):
        fb.fail("it is the clean target itself: the point is what the mask gets out of the mixture")
    else:
        for other in (0.0, -lc_db):
            if _close(y, separate(mixture, ideal_binary_mask(S, Y, lc_db=other), config), 1e-4):
                fb.fail(f"it is the IBM with LC = {other:g} dB; use lc_db={lc_db:g}")
                break
    return None


# --------------------------------------------------------------------------- 03 phase


@exercise("03.1", "The exact magnitude with the mixture phase", solution="""
my_estimate = sm.istft(np.abs(S) * np.exp(1j * np.angle(Y)), config, length=len(target))
""")
@_checked("03.1", "my_estimate", "Combine the target magnitude with the mixture phase: np.abs(S) * np.exp(1j * np.angle(Y)), then sm.istft(..., length=len(target)).")
def check_mixture_phase_estimate(fb, my_estimate, target, mixture, config=None):
    """Exercise 03.1: ``istft(|S| e^{j∠Y})`` — the best any real-valued magnitude mask can do (as the IAM)."""
    from .metrics import si_sdr
    from .stft import istft, stft

    target, mixture = np.asarray(target, float), np.asarray(mixture, float)
    y = _waveform(fb, my_estimate, "my_estimate", target.size, "the target", "length=len(target) to sm.istft")
    S, Y = stft(target, config), stft(mixture, config)
    expected = istft(np.abs(S) * np.exp(1j * np.angle(Y)), config, length=target.size)
    if fb.expect(_close(y, expected, 1e-4),
                 f"it is |S| with the mixture phase: SI-SDR {si_sdr(expected, target):.1f} dB, the ceiling of "
                 "real-valued masks", "it is not |S| combined with the mixture phase"):
        return None
    if _close(y, target, 1e-4):
        fb.fail("it equals the clean target: you used the clean phase, which a real mask never has")
    elif _close(y, istft(np.abs(S) + 0j, config, length=target.size), 1e-4):
        fb.fail("it has zero phase: take the phase of the mixture, np.angle(Y)")
    elif _close(y, mixture, 1e-4):
        fb.fail("it is the mixture: use the target's magnitude np.abs(S)")
    return None


@exercise("03.2", "The phase-sensitive mask", solution="""
my_psm = np.clip(np.abs(S) / np.maximum(np.abs(Y), 1e-12) * np.cos(np.angle(S) - np.angle(Y)), 0, 1)
""")
@_checked("03.2", "my_psm", "PSM = |S|/|Y| · cos(∠S − ∠Y), then np.clip(..., 0, 1).")
def check_psm(fb, my_psm, target_stft, mixture_stft):
    """Exercise 03.2: the phase-sensitive mask truncated to [0, 1]."""
    from .masks import ideal_amplitude_mask, phase_sensitive_mask

    S, Y = np.asarray(target_stft), np.asarray(mixture_stft)
    M = _array(fb, my_psm, "my_psm", ndim=2)
    if not fb.expect(M.shape == S.shape, f"shape {M.shape} matches the STFTs", f"shape {M.shape}, expected {S.shape}"):
        raise _Stop
    active = np.abs(Y) > 1e-10
    expected = phase_sensitive_mask(S, Y)
    if fb.expect(np.allclose(M[active], expected[active], atol=1e-4), "it is the PSM, truncated to [0, 1]",
                 "it is not the truncated PSM"):
        return None
    raw = phase_sensitive_mask(S, Y, truncate=None)
    if np.allclose(M[active], raw[active], atol=1e-4):
        fb.fail(f"this is the raw PSM (from {raw.min():.2g} to {raw.max():.2g}); truncate it with np.clip(..., 0, 1)")
    elif np.allclose(M[active], ideal_amplitude_mask(S, Y)[active], atol=1e-4) or np.allclose(
            M[active], np.clip(ideal_amplitude_mask(S, Y), 0, 1)[active], atol=1e-4):
        fb.fail("this is the IAM |S|/|Y|: the PSM also multiplies by cos(∠S − ∠Y)")
    return None


@exercise("03.3", "Griffin-Lim from the mixture phase", solution="""
my_estimate_gl = sm.griffin_lim(np.abs(S), n_iter=20, initial_phase=np.angle(Y), config=config, length=len(target))
""")
@_checked("03.3", "my_estimate_gl", "sm.griffin_lim(np.abs(S), n_iter=20, initial_phase=np.angle(Y), config=config, length=len(target)).")
def check_griffin_lim(fb, my_estimate_gl, target, mixture, n_iter=20, config=None):
    """Exercise 03.3: ``n_iter`` Griffin-Lim iterations on ``|S|`` starting from the mixture phase."""
    from .phase import griffin_lim
    from .stft import stft
    from .phase import spectral_convergence_db

    target, mixture = np.asarray(target, float), np.asarray(mixture, float)
    y = _waveform(fb, my_estimate_gl, "my_estimate_gl", target.size, "the target", "length=len(target)")
    S, Y = stft(target, config), stft(mixture, config)
    expected = griffin_lim(np.abs(S), n_iter=n_iter, initial_phase=np.angle(Y), config=config, length=target.size)
    if fb.expect(_close(y, expected, 1e-3), f"it is {n_iter} Griffin-Lim iterations from the mixture phase",
                 f"it is not {n_iter} Griffin-Lim iterations from the mixture phase"):
        sc = spectral_convergence_db(y, np.abs(S), config)
        fb.ok(f"spectral convergence {sc:.1f} dB: its magnitude is close to |S|")
        return None
    sc_you = spectral_convergence_db(y, np.abs(S), config)
    sc_ref = spectral_convergence_db(expected, np.abs(S), config)
    if sc_you > sc_ref + 3:
        fb.fail(f"its magnitude is further from |S| ({sc_you:.1f} dB) than the reference's ({sc_ref:.1f} dB): "
                "did you start from zero or random phase instead of np.angle(Y)?")
    return None


# =========================================================================== checks for notebooks 04-06


def _call_student_function(fb, func, name, *args):
    """Call a student's function; a stub that returns ``...`` counts as not done (raises _Stop with no message)."""
    if not callable(func):
        fb.fail(f"`{name}` should be a function (def {name}(...): ...), got a {type(func).__name__}.")
        raise _Stop
    try:
        return func(*args)
    except Exception as err:  # noqa: BLE001 - report the student's error in words
        fb.fail(f"calling {name} raised {type(err).__name__}: {err}")
        raise _Stop from None


# --------------------------------------------------------------------------- 04 complex masks


@exercise("04.1", "The cIRM from its real and imaginary parts", solution="""
den = np.maximum(Y.real**2 + Y.imag**2, 1e-24)
my_cirm = (Y.real * S.real + Y.imag * S.imag) / den + 1j * (Y.real * S.imag - Y.imag * S.real) / den
""")
@_checked("04.1", "my_cirm", "M = S / Y written out: real part (Yr·Sr + Yi·Si) / (Yr² + Yi²), imaginary part "
          "(Yr·Si − Yi·Sr) / (Yr² + Yi²); guard the denominator with np.maximum(..., 1e-24).")
def check_cirm(fb, my_cirm, target_stft, mixture_stft):
    """Exercise 04.1: the complex ideal ratio mask :math:`S/Y` (complex, same shape, gives back the target)."""
    from .masks import complex_ideal_ratio_mask, ideal_amplitude_mask, phase_sensitive_mask

    S, Y = np.asarray(target_stft), np.asarray(mixture_stft)
    M = _array(fb, my_cirm, "my_cirm", ndim=2, complex_ok=True)
    if not fb.expect(M.shape == S.shape, f"shape {M.shape} matches the STFTs", f"shape {M.shape}, expected {S.shape}"):
        raise _Stop
    active = np.abs(Y) > 1e-10
    if not np.iscomplexobj(M):
        if np.allclose(M[active], phase_sensitive_mask(S, Y, truncate=None)[active], atol=1e-4):
            fb.fail("this is only the real part of S/Y (the raw PSM); add the imaginary part: 1j * (...)")
        elif np.allclose(M[active], ideal_amplitude_mask(S, Y)[active], atol=1e-4):
            fb.fail("this is |S|/|Y| (the IAM): the cIRM is complex, it also carries the phase rotation")
        else:
            fb.fail("the mask is real-valued; the cIRM is complex (it rotates the phase as well as scaling)")
        raise _Stop
    fb.ok("it is complex")
    expected = complex_ideal_ratio_mask(S, Y)
    if fb.expect(np.allclose(M[active], expected[active], rtol=1e-6, atol=1e-6),
                 "it equals S / Y, so M·Y gives back the target exactly", "it is not S / Y"):
        return None
    if np.allclose(M[active], np.conj(expected[active]), rtol=1e-6, atol=1e-6):
        fb.fail("it is the complex conjugate of S/Y: the sign of the imaginary part is flipped "
                "(it is Yr·Si − Yi·Sr)")
    elif np.allclose(M[active] * S[active], Y[active], rtol=1e-4, atol=1e-9):
        fb.fail("it is Y / S, upside down: the mask turns the mixture into the target, so M = S / Y")
    elif np.allclose(M[active], expected[active] * np.abs(Y[active]) ** 2, rtol=1e-4, atol=1e-12):
        fb.fail("the division by Yr² + Yi² = |Y|² is missing")
    return None


@exercise("04.2", "Bound a complex mask", solution="""
my_bounded = np.tanh(np.abs(M)) * np.exp(1j * np.angle(M))
""")
@_checked("04.2", "my_bounded", "Keep the phase and squash the magnitude: np.tanh(np.abs(M)) * np.exp(1j * np.angle(M)).")
def check_bounded_mask(fb, my_bounded, mask):
    """Exercise 04.2: :math:`\\tanh(|M|)\\,e^{j\\angle M}` (magnitude below 1, phase unchanged)."""
    from .masks import bound_complex_mask

    M = np.asarray(mask)
    B = _array(fb, my_bounded, "my_bounded", ndim=2, complex_ok=True)
    if not fb.expect(B.shape == M.shape, f"shape {B.shape} matches the mask", f"shape {B.shape}, expected {M.shape}"):
        raise _Stop
    fb.expect(np.max(np.abs(B)) < 1.0 + 1e-9, "every magnitude is below 1",
              f"magnitudes reach {np.max(np.abs(B)):.3g}; a bounded mask stays below 1")
    expected = bound_complex_mask(M)
    if fb.expect(np.allclose(B, expected, atol=1e-8), "it is tanh(|M|)·exp(j∠M): bounded, with the cIRM's phase",
                 "it is not tanh(|M|)·exp(j∠M)"):
        return None
    big = np.abs(M) > 1e-6
    if not np.iscomplexobj(B):
        fb.fail("it is real-valued: the phase of M was lost; multiply by np.exp(1j * np.angle(M))")
    elif np.allclose(B, np.tanh(M.real) + 1j * np.tanh(M.imag), atol=1e-8):
        fb.fail("tanh was applied to the real and imaginary parts separately (that is compression, "
                "compress_mask); bounding squashes the magnitude |M| and keeps the phase")
    elif np.allclose(B, np.tanh(M), atol=1e-8):
        fb.fail("np.tanh(M) of the complex number changes the phase too; apply tanh to np.abs(M) only")
    elif np.allclose(np.abs(B[big]), np.tanh(np.abs(M[big])), atol=1e-8):
        fb.fail("the magnitude is right but the phase is not that of M: use np.angle(M)")
    return None


@exercise("04.3", "Where does bounding lose?", solution="""
my_share = np.mean(np.abs(M) > 1)
""")
@_checked("04.3", "my_share", "Count the bins whose cIRM magnitude |M| = |S|/|Y| exceeds 1: np.mean(np.abs(M) > 1) "
          "gives their share (a number between 0 and 1).")
def check_share_above_one(fb, my_share, mask):
    """Exercise 04.3: the share (0 to 1) of bins where :math:`|M| > 1`, which a bounded mask cannot reach."""
    M = np.asarray(mask)
    try:
        value = float(my_share)
    except (TypeError, ValueError):
        fb.fail(f"`my_share` should be one number between 0 and 1, got a {type(my_share).__name__}.")
        raise _Stop from None
    expected = float(np.mean(np.abs(M) > 1))
    if abs(value - expected) <= 0.005:
        fb.ok(f"{100 * expected:.1f} % of the bins have |S| > |Y|: there target and interference partly "
              "cancel, and only a mask that can amplify gets the target back")
        return None
    if abs(value - 100 * expected) <= 0.5:
        fb.fail(f"{value:.1f} looks like a percentage; give the share as a fraction between 0 and 1")
    elif abs(value - float(np.sum(np.abs(M) > 1))) < 0.5:
        fb.fail(f"{value:.0f} is the number of bins; divide by the total number of bins (np.mean does both)")
    elif abs(value - float(np.mean(np.abs(M.real) > 1))) <= 0.005:
        fb.fail("you counted the real part only; the bound is on the magnitude np.abs(M)")
    elif abs(value - (1 - expected)) <= 0.005:
        fb.fail("that is the share of bins with |M| <= 1, the opposite")
    else:
        fb.fail(f"{value:.3f} is not the share of bins with |M| > 1")
    return None


# --------------------------------------------------------------------------- 05 instruments


@exercise("05.1", "Soft masks for several sources", solution="""
weights = [np.abs(X) ** 1 for X in sources]
total = np.maximum(sum(weights), 1e-12)
my_masks = [w / total for w in weights]
""")
@_checked("05.1", "my_masks", "One mask per source: M_i = |S_i|^p / sum_j |S_j|^p, here with p = 1; guard the "
          "division with np.maximum(total, 1e-12).")
def check_soft_masks(fb, my_masks, sources, power=1.0):
    """Exercise 05.1: soft masks :math:`|S_i|^p / \\sum_j |S_j|^p` for every source (a list, one per source)."""
    from .masks import soft_masks

    sources = [np.asarray(s) for s in sources]
    if isinstance(my_masks, np.ndarray) and my_masks.ndim == 2:
        fb.fail("`my_masks` is a single 2-D mask; make a list with one mask per source")
        raise _Stop
    try:
        masks = list(my_masks)
    except TypeError:
        fb.fail(f"`my_masks` should be a list of masks, got a {type(my_masks).__name__}")
        raise _Stop from None
    if not fb.expect(len(masks) == len(sources), f"{len(masks)} masks, one per source",
                     f"{len(masks)} masks for {len(sources)} sources"):
        raise _Stop
    masks = [_array(fb, m, f"my_masks[{i}]", ndim=2) for i, m in enumerate(masks)]
    if not all(m.shape == sources[0].shape for m in masks):
        fb.fail(f"every mask must have the STFT's shape {sources[0].shape}")
        raise _Stop
    total = np.sum(masks, axis=0)
    active = np.sum([np.abs(s) for s in sources], axis=0) > 1e-9
    fb.expect(np.allclose(total[active], 1.0, atol=1e-6), "the masks sum to one in every bin",
              f"the masks do not sum to one (the sum goes from {total.min():.3g} to {total.max():.3g})")
    expected = soft_masks(sources, power=power)
    if fb.expect(all(np.allclose(m[active], e[active], atol=1e-6) for m, e in zip(masks, expected)),
                 f"each is |S_i|^{power:g} / sum_j |S_j|^{power:g}", f"they are not the soft masks with power {power:g}"):
        return None
    for p in (1.0, 2.0, 0.5):
        if p != power and all(np.allclose(m[active], e[active], atol=1e-6)
                              for m, e in zip(masks, soft_masks(sources, power=p))):
            fb.fail(f"these are the soft masks with power {p:g}; use power {power:g}")
            break
    return None


@exercise("05.2", "A karaoke mix from the separated stems", solution="""
my_karaoke = sum(x for name, x in estimates.items() if name != "melody")
""")
@_checked("05.2", "my_karaoke", "Add up the separated stems (the estimates, not the true stems) except the melody: "
          "sum(x for name, x in estimates.items() if name != 'melody').")
def check_karaoke(fb, my_karaoke, estimates, stems=None, muted="melody"):
    """Exercise 05.2: the sum of every separated stem except ``muted`` (a "minus one" mix)."""
    from .metrics import si_sdr

    y = _array(fb, my_karaoke, "my_karaoke", ndim=1)
    estimates = {k: np.asarray(v, float) for k, v in estimates.items()}
    n = next(iter(estimates.values())).size
    if not fb.expect(y.size == n, f"{n} samples, as the stems", f"{y.size} samples but the stems have {n}"):
        raise _Stop
    expected = sum(v for k, v in estimates.items() if k != muted)
    if fb.expect(_close(y, expected, 1e-6), f"it is every separated stem except the {muted}",
                 f"it is not the sum of the separated stems without the {muted}"):
        if stems is not None:
            truth = sum(np.asarray(v, float) for k, v in stems.items() if k != muted)
            fb.ok(f"SI-SDR against the same mix of true stems: {si_sdr(y, truth):.1f} dB (what is left of the "
                  f"{muted} leaks in through the other masks)")
        return None
    if _close(y, sum(estimates.values()), 1e-6):
        fb.fail(f"it still contains the {muted} (it is the sum of all estimates, i.e. the mixture)")
    elif _close(y, estimates[muted], 1e-6):
        fb.fail(f"it is the {muted} alone (solo); karaoke is everything except it")
    elif stems is not None and _close(y, sum(np.asarray(v, float) for k, v in stems.items() if k != muted), 1e-6):
        fb.fail("it is made of the true stems; in real life only the mixture exists: use the separated estimates")
    return None


@exercise("05.3", "Drums by HPSS with a larger margin", solution="""
harmonic_mask, percussive_mask = sm.hpss_masks(Y, margin=3.0)
my_drums = sm.separate(mixture, percussive_mask, config)
""")
@_checked("05.3", "my_drums", "sm.hpss_masks(Y, margin=3.0) returns (harmonic_mask, percussive_mask); apply the "
          "percussive one with sm.separate(mixture, percussive_mask, config).")
def check_hpss_drums(fb, my_drums, mixture, drums, config=None, margin=3.0):
    """Exercise 05.3: the drums estimate of HPSS with ``margin``; the feedback compares SIR and SAR with margin 1."""
    from .masks import hpss_masks
    from .metrics import bss_eval
    from .separation import separate
    from .stft import stft

    mixture, drums = np.asarray(mixture, float), np.asarray(drums, float)
    y = _array(fb, my_drums, "my_drums", ndim=1)
    if not fb.expect(y.size == mixture.size, "same length as the mixture",
                     f"{y.size} samples but the mixture has {mixture.size}"):
        raise _Stop
    Y = stft(mixture, config)

    def drums_with(m):
        return separate(mixture, hpss_masks(Y, margin=m)[1], config)

    expected = drums_with(margin)
    if fb.expect(_close(y, expected, 1e-5), f"it is the percussive HPSS estimate with margin {margin:g}",
                 f"it is not the percussive HPSS estimate with margin {margin:g}"):
        rest = mixture - drums
        ours = bss_eval([y, mixture - y], [drums, rest])
        base_est = drums_with(1.0)
        base = bss_eval([base_est, mixture - base_est], [drums, rest])
        fb.ok(f"margin {margin:g}: SIR {ours['sir'][0]:.1f} dB, SAR {ours['sar'][0]:.1f} dB; margin 1: SIR "
              f"{base['sir'][0]:.1f} dB, SAR {base['sar'][0]:.1f} dB. A larger margin lets less of the other "
              "instruments in (SIR) but throws away more of the drums (SAR)")
        return None
    masks = hpss_masks(Y, margin=margin)
    if _close(y, separate(mixture, masks[0], config), 1e-5):
        fb.fail("this is the harmonic estimate; the drums come from the second mask (percussive)")
    elif _close(y, drums_with(1.0), 1e-5):
        fb.fail(f"this is the percussive estimate with margin 1; pass margin={margin:g}")
    return None


# --------------------------------------------------------------------------- 06 evaluation


@exercise("06.1", "SI-SDR from its formula", solution="""
def my_si_sdr(estimate, reference):
    estimate = estimate - estimate.mean()
    reference = reference - reference.mean()
    alpha = np.dot(estimate, reference) / np.dot(reference, reference)
    target = alpha * reference
    return 10 * np.log10(np.sum(target**2) / np.sum((target - estimate)**2))
""")
def check_si_sdr_function(my_si_sdr):
    """Exercise 06.1: a function ``my_si_sdr(estimate, reference)`` that returns SI-SDR in dB.

    It is tried on Le Roux et al.'s example and on speech-like signals, scaled and unscaled.
    """
    from .metrics import si_sdr, snr

    if _not_done(my_si_sdr):
        return _pending("06.1", "my_si_sdr")
    fb = Feedback("06.1")
    hint = ("alpha = estimate·reference / reference·reference; target = alpha * reference; "
            "SI-SDR = 10·log10(|target|² / |target − estimate|²), after removing the means.")
    rng = np.random.default_rng(6)
    reference = np.sin(2 * np.pi * np.arange(4000) / 37.0) * (1 + 0.5 * np.sin(np.arange(4000) / 300.0))
    estimate = reference + 0.3 * rng.standard_normal(reference.size)
    try:
        value = _call_student_function(fb, my_si_sdr, "my_si_sdr", estimate.copy(), reference.copy())
        if _not_done(value):
            return CheckResult("06.1", "not done", [], [], "my_si_sdr still returns `...`: write its body (remove the "
                               "means, compute alpha, return the ratio in dB), run that cell, then this check again.")
        value = _number(fb, value, "my_si_sdr")
        expected = si_sdr(estimate, reference)
        if not fb.expect(abs(value - expected) < 0.05, f"{value:.2f} dB on a noisy sine (expected {expected:.2f} dB)",
                         f"{value:.2f} dB on a noisy sine, expected {expected:.2f} dB"):
            # the projection the wrong way round: alpha = estimate·reference / estimate·estimate
            e0, r0 = estimate - estimate.mean(), reference - reference.mean()
            wrong_target = np.dot(e0, r0) / np.dot(e0, e0) * r0
            wrong_way = 10 * np.log10(np.sum(wrong_target**2) / np.sum((wrong_target - e0) ** 2))
            if abs(value - snr(estimate, reference)) < 0.05:
                fb.fail("that is the plain SNR: scale the reference by alpha first")
            elif abs(value - wrong_way) < 0.05:
                fb.fail("alpha is the wrong way round: divide estimate·reference by reference·reference (the "
                        "reference is what gets scaled)")
            elif abs(value - 10 ** (expected / 10)) < 0.05 * 10 ** (expected / 10):
                fb.fail("that is the power ratio; convert it to dB with 10·log10")
            elif abs(value - expected / 2) < 0.05 or abs(value - 2 * expected) < 0.1:
                fb.fail("off by a factor of two: energies are sums of squares, so the ratio goes into 10·log10")
            elif abs(value + expected) < 0.05:
                fb.fail("the sign is flipped: signal (alpha·reference) goes on top, the error below")
            raise _Stop
        scaled = _number(fb, _call_student_function(fb, my_si_sdr, "my_si_sdr", 0.25 * estimate, reference.copy()),
                         "my_si_sdr")
        fb.expect(abs(scaled - value) < 0.05, "the same value when the estimate is 4 times quieter (scale-invariant)",
                  f"{scaled:.2f} dB when the estimate is 4 times quieter: it must not depend on the estimate's gain")
        paper = _number(fb, _call_student_function(fb, my_si_sdr, "my_si_sdr", np.array([2.5, 0.0, 2.0, 8.0]),
                                                   np.array([3.0, -0.5, 2.0, 7.0])), "my_si_sdr")
        expected_paper = si_sdr(np.array([2.5, 0.0, 2.0, 8.0]), np.array([3.0, -0.5, 2.0, 7.0]))
        fb.expect(abs(paper - expected_paper) < 0.05,
                  f"{paper:.2f} dB on Le Roux et al.'s 4-sample example (with the means removed)",
                  f"{paper:.2f} dB on Le Roux et al.'s 4-sample example, expected {expected_paper:.2f} dB "
                  "(remove the means of both signals first)")
    except _Stop:
        pass
    return fb.result(hint)


@exercise("06.2", "The gain that maximises SNR", solution="""
my_gain = np.dot(irm, target) / np.dot(irm, irm)     # estimate·target / estimate·estimate
""")
@_checked("06.2", "my_gain", "SNR is best when g·estimate is as close as possible to the target: "
          "g* = estimate·target / estimate·estimate (a least-squares fit).")
def check_best_gain(fb, my_gain, estimate, target):
    """Exercise 06.2: the linear gain :math:`g^\\star = \\hat s^\\top s / \\hat s^\\top \\hat s` that maximises SNR."""
    from .metrics import si_sdr, snr

    estimate, target = np.asarray(estimate, float), np.asarray(target, float)
    try:
        g = float(my_gain)
    except (TypeError, ValueError):
        fb.fail(f"`my_gain` should be one number (a linear gain such as 0.8), got a {type(my_gain).__name__}")
        raise _Stop from None
    best = float(np.dot(estimate, target) / np.dot(estimate, estimate))
    if fb.expect(abs(g - best) <= 1e-3 * abs(best), f"g* = {best:.4f}: SNR {snr(best * estimate, target):.2f} dB "
                 f"(at g = 1: {snr(estimate, target):.2f} dB)", f"{g:.4f} is not the best gain"):
        fb.ok(f"and SI-SDR is {si_sdr(best * estimate, target):.2f} dB at any gain: it already assumes the best one")
        return None
    alpha = float(np.dot(estimate, target) / np.dot(target, target))
    if abs(g - alpha) <= 1e-3 * abs(alpha):
        fb.fail("that is alpha of SI-SDR, which scales the reference to fit the estimate; here the estimate is "
                "scaled to fit the target, so divide by estimate·estimate")
    elif g > 0 and abs(20 * np.log10(g) - 20 * np.log10(best)) < 0.01:
        fb.fail("right value but close is not enough here; compute it exactly with np.dot")
    elif abs(g - 20 * np.log10(abs(best))) < 0.01:
        fb.fail("that is the gain in dB; give the linear factor g*")
    return None


@exercise("06.3", "A different estimate with the same SI-SDR", solution="""
my_noisy, _ = sm.mix_at_snr(target, sm.load_example("white_noise"), snr_db=ibm_score)
""")
@_checked("06.3", "my_noisy", "The clean target plus independent noise at an SNR of x dB has an SI-SDR of about x dB: "
          "try sm.mix_at_snr(target, noise, snr_db=ibm_score).")
def check_equal_score(fb, my_noisy, target, score_db, other=None, tolerance_db=0.5):
    """Exercise 06.3: an estimate of ``target`` whose SI-SDR is within ``tolerance_db`` of ``score_db``."""
    from .metrics import si_sdr

    target = np.asarray(target, float)
    if isinstance(my_noisy, tuple):
        fb.fail("`my_noisy` is a tuple: sm.mix_at_snr returns (mixture, scaled_noise); keep the first, "
                "e.g. my_noisy, _ = sm.mix_at_snr(...)")
        raise _Stop
    y = _array(fb, my_noisy, "my_noisy", ndim=1)
    if not fb.expect(y.size == target.size, "same length as the target",
                     f"{y.size} samples but the target has {target.size}"):
        raise _Stop
    if other is not None and _close(y, np.asarray(other, float), 1e-6):
        fb.fail("that is the IBM estimate itself; make a different kind of estimate")
        raise _Stop
    if _close(y, target, 1e-9):
        fb.fail("that is the clean target (SI-SDR at its maximum); add something that costs the right amount")
        raise _Stop
    value = si_sdr(y, target)
    if fb.expect(abs(value - score_db) <= tolerance_db,
                 f"SI-SDR {value:.2f} dB, within {tolerance_db:g} dB of {score_db:.2f} dB",
                 f"SI-SDR {value:.2f} dB, but {score_db:.2f} dB ± {tolerance_db:g} was asked for"):
        fb.ok("now listen: the same number, a different sound")
        return None
    return ("More noise lowers SI-SDR, less noise raises it; the SNR you mix at is close to the SI-SDR you get"
            if value < score_db + 20 else None)
