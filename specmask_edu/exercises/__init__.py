r"""Self-check exercises for the lessons, with feedback a student can act on.

Each exercise in a notebook has an id ``"NN.k"`` (lesson number and exercise number, shown in its
heading), a code cell with a starting stub such as ``my_mask = ...`` and a cell that calls its
``check_...`` function::

    my_mask = ...                                    # your code here
    sm.exercises.check_lowpass_mask(my_mask, Y.shape, config, sr, cutoff_hz=1000)

A check returns a :class:`CheckResult`. In a notebook it shows what is right (✔), what is wrong (✘)
and a hint that names the usual slip (never the solution); in code ``result.passed`` is ``True`` or
``False``. A stub that is still ``...`` or ``None`` (or a function whose body still returns ``...``)
gives "not done yet" instead of an error, so a lesson always runs from top to bottom.

Where a task forbids a shortcut (calling the package's own function, writing ``S / Y``) the check looks
at the answer's code and says so.

Prediction questions: ``check_prediction("02.3", "LC -6 dB", target, mixture, config=config)``
compares a guess made *before* listening or computing with the measured truth, and explains it
(``list_predictions()`` names every question).

Per-student data: ``student_data("ada", lesson=2)`` picks a bundled speech clip, a noise, an input SNR and
a seed from a hash of the student id, so two students work on different numbers; see
:mod:`specmask_edu.exercises.students`.

Reference solutions (for instructors)
-------------------------------------
The reference solution of every exercise is stored (``SOLUTIONS``) and **not shown by default**.
``sm.exercises.show_solution("02.1")`` only says how to enable solutions, unless the environment variable
``SPECMASK_INSTRUCTOR`` is ``1`` in the kernel's environment, e.g. when Jupyter is started with::

    SPECMASK_INSTRUCTOR=1 jupyter lab

(or, for one session, run ``%env SPECMASK_INSTRUCTOR=1`` in a cell first). ``list_exercises()`` names every
exercise with its id and title.

Layout: :mod:`~specmask_edu.exercises.framework` (the one ``exercise`` decorator, feedback, results,
solutions, forbidden shortcuts, predictions), :mod:`~specmask_edu.exercises.students` (per-student data) and
one module per lesson, ``lesson00`` … ``lesson06`` (lesson 07's checks are in
:mod:`specmask_edu.learn.exercises`, because they need PyTorch).
"""

from __future__ import annotations

from .framework import (
    EXERCISES,
    INSTRUCTOR_ENV,
    PREDICTIONS,
    SOLUTIONS,
    CheckResult,
    Feedback,
    check_prediction,
    exercise,
    instructor_mode,
    list_exercises,
    list_predictions,
    prediction,
    show_solution,
)
from .lesson00 import check_level_drop, check_random_mask
from .lesson01 import check_rebuild, check_resolution, check_stft_size
from .lesson02 import check_ibm_estimate, check_irm, check_lowpass_mask
from .lesson03 import check_griffin_lim, check_mixture_phase_estimate, check_psm
from .lesson04 import check_bounded_mask, check_cirm, check_share_above_one
from .lesson05 import check_hpss_drums, check_karaoke, check_soft_masks
from .lesson06 import check_best_gain, check_equal_score, check_si_sdr_function
from .students import load_student_mixture, student_data

__all__ = [
    "CheckResult",
    "Feedback",
    "exercise",
    "prediction",
    "show_solution",
    "list_exercises",
    "list_predictions",
    "check_prediction",
    "instructor_mode",
    "student_data",
    "load_student_mixture",
    "INSTRUCTOR_ENV",
    "SOLUTIONS",
    "EXERCISES",
    "PREDICTIONS",
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
