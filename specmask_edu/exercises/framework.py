r"""The machinery every exercise check shares: one decorator, the feedback, the result, the solutions.

A check is a function registered once with :func:`exercise`, which takes the exercise id **once**::

    @exercise("02.2", "The ideal ratio mask from its formula", answer="my_irm",
              hint="IRM = (|S|² / (|S|² + |N|²)) ** beta with N = Y - S; guard the division.",
              solution='''
    N = Y - S
    my_irm = (np.abs(S)**2 / np.maximum(np.abs(S)**2 + np.abs(N)**2, 1e-24)) ** 0.5
    ''')
    def check_irm(fb, my_irm, target_stft, mixture_stft, beta=0.5):
        M = as_array(fb, my_irm, "my_irm", ndim=2)     # refuses non-arrays, NaN, wrong dimensions
        fb.expect(M.shape == target_stft.shape, "shape matches", "shape does not match")
        ...

The student calls it without ``fb``: ``check_irm(my_irm, S, Y)``. The decorator

* answers "not done yet" while the answer is still the stub ``...`` or ``None`` (so a lesson runs from top
  to bottom), and also when the answer is a function whose body still returns ``...``
  (:func:`call_student_function` raises :class:`NotDone` for that);
* runs the body with a fresh :class:`Feedback`; the body records what is right (``fb.ok``) and wrong
  (``fb.fail``), may stop early with :class:`Stop`, and may return a more specific hint;
* returns a :class:`CheckResult`, which a notebook shows as ✔ / ✘ lines and a hint.

Hints diagnose; they never paste the solution. The reference solutions are stored (``SOLUTIONS``) and shown
by :func:`show_solution` only in instructor mode: when the environment variable ``SPECMASK_INSTRUCTOR``
is ``1`` in the kernel's environment (``SPECMASK_INSTRUCTOR=1 jupyter lab``, or ``%env
SPECMASK_INSTRUCTOR=1`` in a cell). This keeps the answers out of a student's way; it does not make them
secret (they are in the installed package, as in any open course).

Prediction questions ("which one keeps more babble?") use the same result type: :func:`prediction`
registers a measurement, :func:`check_prediction` compares the student's guess with the measured truth and
explains it.

Shortcuts a task forbids (calling the package's own function, writing ``S / Y``) are found from the
answer's source: :func:`answer_source` reads a function's code with :func:`inspect.getsource`, or, for an
array answer, the last notebook cell that assigned it (IPython's input history); outside IPython there is
no history and the check judges the values only.
"""

from __future__ import annotations

import functools
import html as _html
import inspect
import os
import re
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "CheckResult", "Feedback", "Stop", "NotDone", "exercise", "instructor_mode", "show_solution",
    "list_exercises", "not_done", "pending", "as_array", "as_waveform_answer", "as_number",
    "call_student_function", "rel_error", "is_close", "answer_source", "forbid", "as_function", "prediction",
    "check_prediction", "list_predictions", "INSTRUCTOR_ENV", "SOLUTIONS", "EXERCISES", "PREDICTIONS",
]

#: Environment variable that reveals reference solutions when set to "1".
INSTRUCTOR_ENV = "SPECMASK_INSTRUCTOR"

#: exercise id -> reference solution (Python code as text)
SOLUTIONS: dict[str, str] = {}
#: exercise id -> {"title": ..., "check": name of the check function, "answer": the student's variable}
EXERCISES: dict[str, dict] = {}
#: prediction id -> {"question": ..., "choices": {...}, "measure": function}
PREDICTIONS: dict[str, dict] = {}


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
    label : str
        What the headline calls it; default ``"Exercise <id> (<title>)"``.
    """

    exercise: str
    status: str
    right: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    hint: str = ""
    label: str = ""

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
        name = self.label or (f"Exercise {self.exercise}" + (f" ({self.title})" if self.title else ""))
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

    def __init__(self, exercise_id: str, label: str = ""):
        self.exercise = exercise_id
        self.label = label
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
            return CheckResult(self.exercise, "wrong", self.right, self.wrong, hint, self.label)
        return CheckResult(self.exercise, "passed", self.right, [], "", self.label)


class Stop(Exception):
    """Raised inside a check when the answer cannot be examined further (the feedback so far is returned)."""


class NotDone(Exception):
    """Raised inside a check when the answer is still a stub (e.g. a function whose body returns ``...``)."""

    def __init__(self, hint: str):
        super().__init__(hint)
        self.hint = hint


def not_done(answer) -> bool:
    """True for a stub that has not been filled in (``...`` or ``None``)."""
    return answer is Ellipsis or answer is None


def pending(exercise_id: str, name: str, label: str = "") -> CheckResult:
    """The "not done yet" result for the stub ``name = ...``."""
    return CheckResult(exercise_id, "not done", [], [],
                       f"Replace the `...` after `{name} =` with your code, run that cell, then run this check again.",
                       label)


# --------------------------------------------------------------------------- the one decorator


def exercise(exercise_id: str, title: str, solution: str, *, answer: str | None = None, hint: str = ""):
    """Register a check under ``exercise_id`` (written once) and wrap it in the shared machinery.

    Parameters
    ----------
    exercise_id : str
        ``"NN.k"``: lesson number and exercise number, as in the notebook's heading.
    title : str
        The heading's title.
    solution : str
        Reference solution (Python code), shown only in instructor mode.
    answer : str or None
        Name of the student's variable (for the "not done yet" message); default: the body's second
        parameter.
    hint : str
        Shown with a wrong answer when the body found no more specific diagnosis. It states the idea and
        the steps, never the solution's code.

    The body's first parameter is the :class:`Feedback`; the student's call leaves it out, and the
    signature shown by Shift-Tab and ``help()`` is the student's one.
    """

    def register(body):
        if exercise_id in EXERCISES:
            raise ValueError(f"Exercise id {exercise_id!r} is registered twice.")
        parameters = list(inspect.signature(body).parameters.values())[1:]
        name = answer or (parameters[0].name if parameters else "answer")
        EXERCISES[exercise_id] = {"title": title, "check": body.__name__, "answer": name}
        SOLUTIONS[exercise_id] = solution.strip("\n")

        def run(*args, **kwargs):
            value = args[0] if args else kwargs.get(name)
            if not_done(value):
                return pending(exercise_id, name)
            fb = Feedback(exercise_id)
            try:
                extra_hint = body(fb, *args, **kwargs)
            except Stop:
                extra_hint = None
            except NotDone as stub:
                return CheckResult(exercise_id, "not done", [], [], stub.hint)
            return fb.result(extra_hint or hint)

        functools.update_wrapper(run, body)
        run.__signature__ = inspect.Signature(parameters)
        del run.__wrapped__
        run.exercise_id = exercise_id
        return run

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


# --------------------------------------------------------------------------- reading an answer


def as_array(fb: Feedback, value, name: str, ndim: int | None = None, complex_ok: bool = False) -> np.ndarray:
    """The answer as a finite NumPy array, or a clear 'wrong' message (raises :class:`Stop`)."""
    if isinstance(value, (int, float, complex)) and ndim:
        fb.fail(f"`{name}` is a single number, but an array with {ndim} dimension(s) is expected.")
        raise Stop
    if callable(value) and not isinstance(value, np.ndarray):
        fb.fail(f"`{name}` is a function; this exercise wants the array it computes (call it).")
        raise Stop
    try:
        arr = np.asarray(value)
    except Exception:  # noqa: BLE001
        fb.fail(f"`{name}` could not be turned into a NumPy array (it is a {type(value).__name__}).")
        raise Stop from None
    if arr.dtype == object or arr.dtype.kind not in "biufc":
        fb.fail(f"`{name}` should hold numbers, but it is a {type(value).__name__} of {arr.dtype}.")
        raise Stop
    if ndim is not None and arr.ndim != ndim:
        what = {1: "a 1-D waveform", 2: "a 2-D array shaped (freq, frames)"}.get(ndim, f"{ndim}-D")
        fb.fail(f"`{name}` has shape {arr.shape}; expected {what}.")
        raise Stop
    if np.iscomplexobj(arr) and not complex_ok:
        if ndim == 1:
            fb.fail(f"`{name}` is complex: that looks like a spectrum, not a waveform.")
        else:
            fb.fail(f"`{name}` is complex, but a real-valued array is expected here.")
        raise Stop
    if not np.all(np.isfinite(arr)):
        fb.fail(f"`{name}` contains NaN or infinite values (often a division by zero: guard it, e.g. with "
                "np.maximum(denominator, 1e-12)).")
        raise Stop
    return arr


def as_waveform_answer(fb: Feedback, value, name: str, n_samples: int, of: str, length_hint: str,
                       config=None) -> np.ndarray:
    """A student's waveform answer: 1-D, real, finite and ``n_samples`` long (else 'wrong' and Stop).

    With ``config`` (the lesson's STFTConfig) two usual slips are named: frames from an inverse FFT that
    were never overlap-added (a 2-D real array with ``n_fft`` rows, or their concatenation), and a
    waveform whose length was not passed to the inverse STFT.
    """
    arr = as_array(fb, value, name, complex_ok=True)  # first: it turns (waveform, sr) etc. into a message
    n_fft = getattr(config, "n_fft", None)
    if arr.ndim == 2 and min(arr.shape) > 1:
        if n_fft is not None and not np.iscomplexobj(arr) and n_fft in arr.shape:
            fb.fail(f"`{name}` is 2-D with {n_fft} samples per frame: these are the frames of an inverse FFT, "
                    "not yet a waveform. The inverse STFT also overlap-adds them (each frame shifted by "
                    "hop_length, windowed, summed): sm.istft does all of it.")
        else:
            fb.fail(f"`{name}` is 2-D: that is an STFT. Go back to a waveform with sm.istft(..., {length_hint})")
        raise Stop
    if arr.ndim == 2:
        fb.fail(f"`{name}` has shape {arr.shape}: one waveform inside an extra list or tuple. Give the 1-D "
                "array itself (e.g. without the surrounding brackets, or with np.ravel).")
        raise Stop
    y = as_array(fb, arr, name, ndim=1)
    if y.size != n_samples and n_fft is not None and y.size % n_fft == 0 and y.size >= 2 * n_samples // 3:
        frames = y.size // n_fft
        if frames == config.n_frames(n_samples):
            fb.fail(f"`{name}` has {y.size} = {frames} frames × {n_fft} samples: inverse-FFT frames laid end "
                    "to end. Frames overlap (they are hop_length apart, not n_fft), so they must be "
                    "overlap-added: that is what sm.istft does.")
            raise Stop
    if not fb.expect(y.size == n_samples, f"same length as {of}",
                     f"{y.size} samples but {of} has {n_samples}: pass {length_hint}"):
        raise Stop
    return y


def as_number(fb: Feedback, value, name: str, unit: str = "in dB") -> float:
    """One number from a student's answer or function (else 'wrong' and Stop)."""
    try:
        return float(np.asarray(value).item()) if np.size(value) == 1 else float(value)
    except (TypeError, ValueError):
        fb.fail(f"{name} should be one number {unit}, it is a {type(value).__name__}")
        raise Stop from None


def call_student_function(fb: Feedback, func, name: str, *args):
    """Call a student's function and return its value.

    Not a function: 'wrong' and Stop. Its body still returns ``...``: :class:`NotDone`. It raises: the error
    in words ('wrong' and Stop), never a traceback.
    """
    if not callable(func):
        fb.fail(f"`{name}` should be a function (def {name}(...): ...), got a {type(func).__name__}.")
        raise Stop
    try:
        value = func(*args)
    except Exception as err:  # noqa: BLE001 - report the student's error in words
        fb.fail(f"calling {name} raised {type(err).__name__}: {err}")
        raise Stop from None
    if value is Ellipsis:
        raise NotDone(f"{name} still returns `...`: write its body, run that cell, then this check again.")
    return value


def rel_error(a, b) -> float:
    """``‖a − b‖ / ‖b‖`` (``‖a − b‖`` when b is zero)."""
    den = float(np.linalg.norm(b))
    return float(np.linalg.norm(a - b)) / (den if den > 0 else 1.0)


def is_close(a, b, tol=1e-6) -> bool:
    """Same shape and relative error at most ``tol``."""
    return np.shape(a) == np.shape(b) and rel_error(a, b) <= tol


# --------------------------------------------------------------------------- forbidden shortcuts


def _input_history() -> list[str]:
    """The code cells run so far in this IPython kernel (empty outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return []
    shell = get_ipython()
    if shell is None:
        return []
    history = shell.user_ns.get("In", [])
    return [cell for cell in history if isinstance(cell, str)]


def answer_source(answer, name: str) -> str | None:
    """The code that made ``answer``: a function's source, or the last notebook cell assigning ``name``.

    None when it cannot be found (plain Python, a function defined in C, a variable set elsewhere).
    """
    if callable(answer) and not isinstance(answer, np.ndarray):
        try:
            return inspect.getsource(answer)
        except (OSError, TypeError):
            return None
    assignment = re.compile(rf"(^|[\s;,(]){re.escape(name)}\s*(=(?!=)|\+=|\*=|/=|-=)", re.MULTILINE)
    for cell in reversed(_input_history()):
        if assignment.search(cell):
            return cell
    return None


def _strip_comments(code: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in code.splitlines())


def forbid(fb: Feedback, answer, name: str, patterns: dict[str, str]) -> bool:
    """Fail with the matching message when the answer's code uses a shortcut the task forbids.

    ``patterns`` maps a regular expression (searched in the code without comments) to the message.
    Returns True when a forbidden shortcut was found.
    """
    code = answer_source(answer, name)
    if not code:
        return False
    code = _strip_comments(code)
    for pattern, message in patterns.items():
        if re.search(pattern, code):
            fb.fail(message)
            return True
    return False


def as_function(fb: Feedback, answer, name: str, usage: str, why: str = "", forbidden: dict | None = None):
    """A function answer: callable (else 'wrong' and Stop) and free of the shortcuts in ``forbidden``
    (see :func:`forbid`; one found: 'wrong' and Stop). ``usage`` shows how it is called."""
    if not callable(answer):
        fb.fail(f"`{name}` should be a function {usage}" + (f": {why}" if why else ""))
        raise Stop
    if forbidden and forbid(fb, answer, name, forbidden):
        raise Stop
    return answer


# --------------------------------------------------------------------------- prediction questions


def prediction(question_id: str, question: str, choices: dict[str, tuple] | None = None):
    """Register the measurement behind a prediction question of a lesson.

    ``choices`` maps each accepted answer to the spellings that mean it (compared in lower case, without
    spaces); None means the answer is a number. The decorated ``measure(*data, **options)`` returns
    ``(truth, explanation, tolerance)`` for a number, ``(truth, explanation)`` for a choice.
    """

    def register(measure):
        if question_id in PREDICTIONS:
            raise ValueError(f"Prediction {question_id!r} is registered twice.")
        PREDICTIONS[question_id] = {"question": question, "choices": choices, "measure": measure}
        return measure

    return register


def _normalise(text) -> str:
    return re.sub(r"[\s_·]+", "", str(text).strip().lower()).replace("−", "-").replace("db", "")


def check_prediction(question_id: str, answer, *data, **options) -> CheckResult:
    """Compare a prediction with what the lesson's data really do, and explain the measured truth.

    Parameters
    ----------
    question_id : str
        The id printed beside the question in the notebook (e.g. ``"02.3"``); ``list_predictions()``
        names them all.
    answer : str or float
        Your prediction: one of the choices the question lists, or a number where it asks for one.
    *data, **options
        The lesson's variables the measurement needs (the notebook cell passes them).
    """
    key = str(question_id)
    if key not in PREDICTIONS:
        raise KeyError(f"No prediction question {key!r}; the questions are {sorted(PREDICTIONS)}.")
    entry = PREDICTIONS[key]
    label = f"Prediction {key} ({entry['question']})"
    if not_done(answer):
        choices = entry["choices"]
        options_text = (" or ".join(f'"{c}"' for c in choices) if choices else "a number")
        return CheckResult(key, "not done", [], [], f"Replace the `...` with your prediction ({options_text}), "
                           "then run this cell again.", label)
    fb = Feedback(key, label)
    choices = entry["choices"]
    try:
        inspect.signature(entry["measure"]).bind(*data, **options)
    except TypeError:
        from .._validation import SpecmaskInputError

        wanted = str(inspect.signature(entry["measure"]))
        raise SpecmaskInputError(f"check_prediction({key!r}, answer, ...) needs the lesson's variables {wanted} after "
                                 "the answer, as in the notebook's cell.") from None
    if choices is None:
        try:
            guess = float(answer)
        except (TypeError, ValueError):
            fb.fail(f"this question asks for a number, got {answer!r}")
            return fb.result("Write your guess as a number, e.g. 3.0.")
        truth, explanation, tolerance = entry["measure"](*data, **options)
        if fb.expect(abs(guess - truth) <= tolerance, f"you predicted {guess:g}; measured {truth:.2f} (within "
                     f"±{tolerance:g})", f"you predicted {guess:g}; measured {truth:.2f}"):
            fb.ok(explanation)
        return fb.result(explanation)
    spelled = _normalise(answer)
    picked = next((c for c, aliases in choices.items() if spelled in {_normalise(a) for a in (c, *aliases)}), None)
    if picked is None:
        fb.fail(f"{answer!r} is not one of the choices: {', '.join(repr(c) for c in choices)}")
        return fb.result("Pick one of the choices exactly as written.")
    truth, explanation = entry["measure"](*data, **options)
    if fb.expect(picked == truth, f"you predicted {picked!r}, and that is what the measurement shows",
                 f"you predicted {picked!r}; the measurement shows {truth!r}"):
        fb.ok(explanation)
        return fb.result()
    return fb.result(explanation)


def list_predictions() -> dict[str, str]:
    """``{id: question}`` of every prediction question, in lesson order."""
    return {k: PREDICTIONS[k]["question"] for k in sorted(PREDICTIONS)}

