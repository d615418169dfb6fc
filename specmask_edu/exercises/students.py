"""Per-student exercise data: the same lesson, different numbers for every student.

:func:`student_data` turns a student id (a name, a matriculation number, an e-mail address) into the data
of one lesson's exercises: a speech clip, an interfering noise, an input SNR and a random seed. The choice
is a SHA-256 hash of ``"<student id>/<lesson>"``, so it is

* the same every time for one student and lesson (a re-run, another computer, the instructor's grader);
* different between students (two students get different clips or SNRs, so their answers differ and cannot
  be copied) and between lessons;
* drawn from the clips bundled with the package (:func:`specmask_edu.examples.list_examples`): speech
  targets and noise interferers, leaving out the clips held out for lesson 07's evaluation. A package
  version with other clips gives other (still deterministic) choices.

The checks take the lesson's arrays as arguments (``check_irm(my_irm, S, Y)``), so they judge each student
on their own data. In a notebook::

    data = sm.exercises.student_data("ada.lovelace", lesson=2)
    mix = sm.exercises.load_student_mixture("ada.lovelace", lesson=2)
    target, mixture = mix["target"], mix["mixture"]
"""

from __future__ import annotations

import hashlib

from .._validation import SpecmaskInputError

__all__ = ["student_data", "load_student_mixture", "SNR_CHOICES_DB"]

#: Input SNRs a student can get (dB): hard enough that masks matter, easy enough to hear the target.
SNR_CHOICES_DB = (-5.0, -2.5, 0.0, 2.5, 5.0, 7.5, 10.0)


def _lesson_key(lesson) -> str:
    if isinstance(lesson, bool):
        raise SpecmaskInputError(f"`lesson` must be a lesson number such as 2 or '02', got {lesson!r}.")
    try:
        number = int(str(lesson).strip()[:2])
    except ValueError:
        raise SpecmaskInputError(f"`lesson` must be a lesson number such as 2 or '02', got {lesson!r}.") from None
    if not 0 <= number <= 99:
        raise SpecmaskInputError(f"`lesson` must be between 0 and 99, got {lesson!r}.")
    return f"{number:02d}"


def _pool(kind: str) -> list[str]:
    from ..examples import example_info, list_examples

    names = [n for n in list_examples(kind) if example_info(n).get("split") != "heldout"]
    if not names:
        raise SpecmaskInputError(f"No bundled {kind} clips to choose from; check the installation "
                                 "(specmask-edu doctor).")
    return names


def student_data(student_id, lesson) -> dict:
    """The exercise data of one lesson for one student, chosen deterministically from the student id.

    Parameters
    ----------
    student_id : str or int
        Any identifier that is unique per student (leading/trailing spaces and letter case are ignored).
    lesson : int or str
        Lesson number, e.g. ``2`` or ``"02"``.

    Returns
    -------
    dict
        ``{"student_id", "lesson", "clip", "noise", "snr_db", "seed"}``: ``clip`` a bundled speech clip,
        ``noise`` a bundled noise clip, ``snr_db`` one of :data:`SNR_CHOICES_DB`, ``seed`` an int in
        [0, 2**31) for anything random in the exercises.

    >>> student_data("ada", 2) == student_data(" ADA ", "02")
    True
    """
    if not isinstance(student_id, (str, int)) or isinstance(student_id, bool) or not str(student_id).strip():
        raise SpecmaskInputError(f"`student_id` must be a non-empty name or number, got {student_id!r}.")
    ident = str(student_id).strip().lower()
    key = _lesson_key(lesson)
    digest = hashlib.sha256(f"{ident}/{key}".encode()).digest()
    clips, noises = _pool("speech"), _pool("noise")
    return {
        "student_id": ident,
        "lesson": key,
        "clip": clips[int.from_bytes(digest[0:4], "big") % len(clips)],
        "noise": noises[int.from_bytes(digest[4:8], "big") % len(noises)],
        "snr_db": SNR_CHOICES_DB[int.from_bytes(digest[8:12], "big") % len(SNR_CHOICES_DB)],
        "seed": int.from_bytes(digest[12:16], "big") % 2**31,
    }


def load_student_mixture(student_id, lesson, sr: int = 16000, duration: float | None = None) -> dict:
    """:func:`specmask_edu.examples.load_mixture` with the student's clip, noise and SNR.

    Returns the mixture dict (``"mixture"``, ``"target"``, ``"interference"``, ``"sr"``, ...) plus the
    student's ``"seed"``.
    """
    from ..examples import load_mixture

    data = student_data(student_id, lesson)
    mix = load_mixture(data["clip"], data["noise"], snr_db=data["snr_db"], sr=sr, duration=duration)
    mix["seed"] = data["seed"]
    return mix
