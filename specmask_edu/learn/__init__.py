"""Learning masks with a small neural network (optional; needs PyTorch). Taught in
``notebooks/07_learning_masks.ipynb``.

Install the extra first::

    pip install "specmask_edu[learn]"

The lesson in five calls::

    from specmask_edu import learn
    model = learn.build_model(mask="psm")                       # or mask="cirm_bounded" for a complex mask
    result = learn.train(model, learn.TrainConfig())            # ~1 minute on a 2-core laptop CPU
    evaluation = learn.evaluate({"learned PSM": model}, snr_db=0.0)   # held-out speech and noise vs oracles
    print(evaluation.markdown())

Modules
-------
``data``      training mixtures made on the fly from the bundled speech and noises, and the held-out split
``models``    :class:`ModelConfig`, a frame-context MLP and a small GRU that output a real or complex mask
              (IRM, PSM, compressed cIRM or bounded cIRM)
``losses``    mask approximation (MSE to the oracle mask), signal approximation (error of the spectrum)
              and its decibel form, the SDR loss
``train``     :class:`TrainConfig`, :func:`train` (progress bar, live loss curves, Ctrl-C keeps the model),
              :func:`save_model` / :func:`load_model`
``evaluate``  learned masks against the oracle masks on held-out mixtures: SI-SDRi, STOI, plots
``exercises`` self-checks of the lesson's exercises

Nothing else in :mod:`specmask_edu` imports PyTorch; importing this package without it raises an
:class:`ImportError` that says how to install it.
"""

from __future__ import annotations

import os

INSTALL_HINT = 'pip install "specmask_edu[learn]"'

_MISSING_TORCH = (
    "The learning lesson (specmask_edu.learn, notebook 07) needs PyTorch, which is not installed in this "
    f"Python environment. Install the optional extra with\n\n    {INSTALL_HINT}\n\n"
    "(in a notebook cell: %pip install \"specmask_edu[learn]\", then restart the kernel). On Google Colab "
    "PyTorch is already there. Every other lesson works without it."
)


class MissingPyTorchError(ImportError):
    """Raised on ``import specmask_edu.learn`` when PyTorch is not installed; the message says how to
    install the ``[learn]`` extra."""


try:
    import torch  # noqa: F401
except ImportError:
    raise MissingPyTorchError(_MISSING_TORCH) from None


def fast_mode() -> bool:
    """True when the environment variable ``SPECMASK_FAST`` is set to a true value (``1``, ``true``,
    ``yes``).

    The notebook test harness sets ``SPECMASK_FAST=1`` so notebook 07 trains for a few seconds
    instead of a full minute; in a lesson it is unset and everything runs at full length.
    """
    return os.environ.get("SPECMASK_FAST", "").strip().lower() in {"1", "true", "yes", "on"}


from . import data, losses, models  # noqa: E402
from .data import HeldoutExample, MixtureDataset, heldout_examples, noise_regions, split_clips  # noqa: E402
from .evaluate import (  # noqa: E402
    EvaluationResult,
    compare_on_example,
    estimate_mask,
    evaluate,
    plot_comparison,
    separate_with_model,
)
from .losses import (  # noqa: E402
    compressed_loss,
    compute_loss,
    mask_approximation_loss,
    sdr_loss,
    signal_approximation_loss,
)
from .models import MASK_KINDS, MaskEstimator, ModelConfig, build_model  # noqa: E402
from .train import (  # noqa: E402
    TrainConfig,
    TrainResult,
    load_model,
    plot_history,
    save_model,
    available_cpus,
    set_threads,
    train,
)
from .pretrain import list_pretrained, load_pretrained, pretrained_record  # noqa: E402

__all__ = [
    "INSTALL_HINT",
    "MissingPyTorchError",
    "fast_mode",
    "MixtureDataset",
    "HeldoutExample",
    "heldout_examples",
    "noise_regions",
    "split_clips",
    "MASK_KINDS",
    "ModelConfig",
    "MaskEstimator",
    "build_model",
    "compute_loss",
    "mask_approximation_loss",
    "signal_approximation_loss",
    "sdr_loss",
    "compressed_loss",
    "TrainConfig",
    "TrainResult",
    "train",
    "set_threads",
    "available_cpus",
    "list_pretrained",
    "load_pretrained",
    "pretrained_record",
    "save_model",
    "load_model",
    "plot_history",
    "EvaluationResult",
    "estimate_mask",
    "separate_with_model",
    "evaluate",
    "plot_comparison",
    "compare_on_example",
]
