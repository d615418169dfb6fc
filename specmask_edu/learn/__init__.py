"""Learning masks with a small neural network (optional; needs PyTorch). Taught in
``notebooks/07_learning_masks.ipynb``.

Install PyTorch first (on Linux without a GPU, the CPU build; see :func:`torch_install_advice`)::

    python -m pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

The lesson in five calls::

    from specmask_edu import learn
    model = learn.build_model(mask="psm")                       # or mask="cirm_bounded" for a complex mask
    result = learn.train(model, learn.TrainConfig())            # under 2 minutes on 2 CPU cores
    pretrained = learn.load_pretrained("crn_polar")             # trained longer, shipped with the package
    evaluation = learn.evaluate({"learned PSM": model}, snr_db=0.0)   # held-out speech and noise vs oracles
    print(evaluation.markdown())

Modules
-------
``data``      training mixtures made on the fly from the bundled speech and noises, and the held-out split
``models``    :class:`ModelConfig`, a frame-context MLP, a small GRU and a phase-aware convolutional-
              recurrent network (CRN) that output a real or complex mask (IRM, PSM, compressed cIRM or
              bounded cIRM) or the compressed clean spectrum (mapping)
``losses``    mask approximation (MSE to the oracle mask), signal approximation (error of the spectrum)
              and its decibel form, the SDR loss, and the compressed spectral + SI-SDR loss of GTCRN
``train``     :class:`TrainConfig`, :func:`train` (progress bar, live loss curves, Ctrl-C keeps the model),
              :func:`save_model` / :func:`load_model`
``evaluate``  learned masks against the oracle masks on held-out mixtures: SI-SDRi, SNR, STOI, plots;
              the best complex mask computable from magnitudes alone
``pretrain``  the pretrained models shipped with the package (:func:`list_pretrained`,
              :func:`load_pretrained`) and the script that trains them
``exercises`` self-checks of the lesson's exercises

Nothing else in :mod:`specmask_edu` imports PyTorch; importing this package without it raises
:class:`MissingPyTorchError` (an :class:`ImportError`) that says what to run on this computer
(:func:`torch_install_advice`).
"""

from __future__ import annotations

import os

#: The PyTorch version the course is tested with (the ``[learn]`` extra pins it).
TORCH_VERSION = "2.13.0"
#: PyTorch's own index of CPU-only builds (no CUDA libraries: about 200 MB instead of several GB on Linux).
CPU_INDEX_URL = "https://download.pytorch.org/whl/cpu"
INSTALL_HINT = f"python -m pip install torch=={TORCH_VERSION} --index-url {CPU_INDEX_URL}"


def _has_nvidia_gpu() -> bool:
    import shutil

    return os.path.exists("/proc/driver/nvidia/version") or shutil.which("nvidia-smi") is not None


def torch_install_advice(system: str | None = None, gpu: bool | None = None, colab: bool | None = None) -> dict:
    """How to get PyTorch for lesson 07 on this computer (works without PyTorch).

    Returns ``{"platform", "command", "notebook", "why"}``: the shell command, the notebook-cell form
    (``%pip ...``; restart the kernel afterwards) and the reason. On Linux without an NVIDIA GPU it is the
    CPU build from PyTorch's own index (PyPI's default Linux build brings several GB of GPU libraries);
    on Linux with a GPU, macOS and Windows it is the default build; on Google Colab PyTorch is already
    installed. ``system``/``gpu``/``colab`` override what is detected (for tests and documentation).
    """
    import platform
    import sys as _sys

    system = platform.system() if system is None else system
    colab = ("google.colab" in _sys.modules or "COLAB_RELEASE_TAG" in os.environ) if colab is None else colab
    if colab:
        return {"platform": "Google Colab", "command": "", "notebook": "",
                "why": "PyTorch is preinstalled on Colab; if it is missing, choose Runtime → Disconnect and delete "
                       "runtime, then run the lesson again."}
    if system == "Linux":
        gpu = _has_nvidia_gpu() if gpu is None else gpu
        if not gpu:
            command = INSTALL_HINT
            why = ("on Linux without an NVIDIA GPU, take the CPU build from PyTorch's own index: PyPI's default "
                   "Linux build adds several GB of CUDA libraries this course does not use")
            return {"platform": "Linux (CPU)", "command": command, "notebook": "%pip install " + command.split(
                "pip install ", 1)[1], "why": why}
        label, why = "Linux (NVIDIA GPU)", "on Linux with an NVIDIA GPU, the default build (with CUDA) is right"
    else:
        label = {"Darwin": "macOS", "Windows": "Windows"}.get(system, system or "this platform")
        why = f"on {label}, the default build from PyPI is right"
    command = f"python -m pip install torch=={TORCH_VERSION}"
    return {"platform": label, "command": command, "notebook": f"%pip install torch=={TORCH_VERSION}", "why": why}


def _missing_torch_message() -> str:
    advice = torch_install_advice()
    if not advice["command"]:
        how = advice["why"]
    else:
        how = (f"Run this in a terminal ({advice['why']}):\n\n    {advice['command']}\n\n"
               f"or in a notebook cell:\n\n    {advice['notebook']}\n\nthen restart the kernel "
               "(Kernel → Restart) and run the lesson again. `pip install -e \".[learn]\"` (or "
               "\"specmask_edu[learn]\") installs the same version, with PyPI's default build.")
    return ("The learning lesson (specmask_edu.learn, notebook 07) needs PyTorch, which is not installed in this "
            f"Python environment. {how}\nEvery other lesson (00-06) works without it.")


_MISSING_TORCH = _missing_torch_message()


class MissingPyTorchError(ImportError):
    """Raised on ``import specmask_edu.learn`` when PyTorch is not installed; the message says what to run
    on this computer (:func:`torch_install_advice`, also in ``.advice``)."""

    def __init__(self, message: str = "", advice: dict | None = None):
        super().__init__(message)
        self.advice = advice if advice is not None else torch_install_advice()


try:
    import torch  # noqa: F401
except ImportError:
    raise MissingPyTorchError(_missing_torch_message()) from None


def require_torch() -> str:
    """Return the PyTorch version when it is installed (it is, once this module imported); the check that
    matters happens on ``import specmask_edu.learn``, which raises :class:`MissingPyTorchError` with the
    command for this computer when PyTorch is missing."""
    return torch.__version__


def fast_mode() -> bool:
    """True when the environment variable ``SPECMASK_FAST`` is set to a true value (``1``, ``true``,
    ``yes``).

    The notebook test harness sets ``SPECMASK_FAST=1`` so notebook 07 trains for a few seconds
    instead of a full minute; in a lesson it is unset and everything runs at full length.
    """
    return os.environ.get("SPECMASK_FAST", "").strip().lower() in {"1", "true", "yes", "on"}


from . import data, losses, models  # noqa: E402
from .data import HeldoutExample, MixtureDataset, heldout_examples, noise_regions, noise_types, split_clips  # noqa: E402
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

_PRETRAIN_NAMES = ("list_pretrained", "load_pretrained", "pretrained_record")


def __getattr__(name):
    # The pretrained-model functions are imported on first use, so that the training script
    # ``python -m specmask_edu.learn.pretrain`` runs without runpy's "found in sys.modules" warning.
    if name in _PRETRAIN_NAMES:
        from . import pretrain

        return getattr(pretrain, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "INSTALL_HINT",
    "TORCH_VERSION",
    "torch_install_advice",
    "require_torch",
    "MissingPyTorchError",
    "fast_mode",
    "MixtureDataset",
    "HeldoutExample",
    "heldout_examples",
    "noise_regions",
    "noise_types",
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
