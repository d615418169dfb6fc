r"""Training loop, loss curves, saving and loading (taught in ``notebooks/07_learning_masks.ipynb``).

:func:`train` draws fresh training mixtures every epoch (:class:`~specmask_edu.learn.data.MixtureDataset`),
minimises the chosen loss (:mod:`specmask_edu.learn.losses`) with Adam and a cosine learning-rate decay,
shows a progress bar (``tqdm.auto``) and redraws the loss curves after each epoch. It is seeded
(``torch.manual_seed`` and a ``torch.Generator`` for the shuffling), so the same call gives the same
model on the same machine. Pressing *Stop* in Jupyter (or Ctrl-C) ends training early but keeps the
model trained so far and its history.

:func:`save_model` writes the weights (``state_dict``) and the JSON-able :class:`ModelConfig` to one
file; :func:`load_model` reads it back with ``torch.load(weights_only=True)``, which refuses to run any
code stored in the file.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch

from .._validation import SpecmaskInputError, check_int, check_number, check_seed
from .data import MixtureDataset, noise_types
from .losses import LOSSES, SIGNAL_KINDS, compute_loss
from .models import MaskEstimator, ModelConfig

__all__ = ["TrainConfig", "TrainResult", "train", "set_threads", "available_cpus", "cgroup_cpu_limit", "save_model",
           "load_model", "plot_history", "CHECKPOINT_FORMAT"]

CHECKPOINT_FORMAT = "specmask_edu.learn/1"


@dataclass
class TrainConfig:
    """Settings of :func:`train`. The defaults are the full lesson (under two minutes per model on two CPU cores).

    Parameters
    ----------
    loss : {"sdr", "signal", "mask", "compressed"}
        Signal approximation in dB (default), signal approximation, mask approximation, or the compressed
        spectral + SI-SDR loss of GTCRN (:mod:`specmask_edu.learn.losses`).
    signal_kind : str or None
        ``"magnitude"``, ``"phase_sensitive"`` or ``"complex"`` for ``loss="signal"`` (default: phase-sensitive
        for a real mask, complex for a complex mask).
    epochs : int
        Passes over ``n_items`` fresh mixtures each (default 30, i.e. 720 steps of 16 mixtures).
    n_items : int
        Training mixtures per epoch (default 384).
    batch_size : int
        Mixtures per optimisation step (default 16).
    lr : float
        Adam learning rate at the start; it decays along a cosine to ``lr / 10`` (default 3e-3).
    segment_seconds, snr_range, gain_range_db, noises, speed_factors
        How the training mixtures are made (see :class:`~specmask_edu.learn.data.MixtureDataset`);
        ``speed_factors`` applies to the training mixtures only.
    weight_decay : float
        Decoupled weight decay of AdamW (0: plain Adam).
    heldout_items : int
        Held-out mixtures on which the loss is measured after each epoch (0: none). They are only
        watched, never trained on.
    normalization_items : int
        Training mixtures used to fit the input normalisation (before the first step).
    grad_clip : float or None
        Largest gradient norm, > 0 (keeps a bad batch from wrecking the model); None: no clipping.
    seed : int
        Seeds the mixtures, the shuffling and dropout-free training.
    max_seconds : float or None
        Stop after this many seconds of training even if epochs remain (None: no limit).
    num_threads : int or None
        PyTorch CPU threads (None: :func:`set_threads` picks them).
    """

    loss: str = "sdr"
    signal_kind: str | None = None
    epochs: int = 30
    n_items: int = 384
    batch_size: int = 16
    lr: float = 3e-3
    segment_seconds: float = 1.0
    snr_range: tuple = (-5.0, 10.0)
    gain_range_db: tuple = (-6.0, 6.0)
    noises: tuple | None = None
    speed_factors: tuple = (1.0,)
    weight_decay: float = 0.0
    heldout_items: int = 32
    normalization_items: int = 64
    grad_clip: float | None = 5.0
    seed: int = 0
    max_seconds: float | None = None
    num_threads: int | None = None

    def __post_init__(self):
        if not isinstance(self.loss, str) or self.loss not in LOSSES:
            raise SpecmaskInputError(f"`loss` must be one of {list(LOSSES)} ({'; '.join(f'{k}: {v}' for k, v in LOSSES.items())}), got {self.loss!r}.")
        if self.signal_kind is not None and (not isinstance(self.signal_kind, str) or self.signal_kind not in SIGNAL_KINDS):
            raise SpecmaskInputError(f"`signal_kind` must be one of {list(SIGNAL_KINDS)} or None, got {self.signal_kind!r}.")
        limits = {"epochs": 100_000, "n_items": 1_000_000, "batch_size": 4096, "normalization_items": 100_000}
        for name, high in limits.items():
            check_int(getattr(self, name), name, low=1, high=high)
        check_int(self.heldout_items, "heldout_items", low=0, high=100_000, hint="0 switches the held-out loss off.")
        if self.batch_size > self.n_items:
            raise SpecmaskInputError(f"`batch_size` ({self.batch_size}) is larger than `n_items` ({self.n_items}).")
        check_number(self.lr, "lr", low=0.0, high=10.0, low_open=True,
                     hint="The learning rate is a small positive number such as 3e-3.")
        check_number(self.weight_decay, "weight_decay", low=0.0, high=10.0,
                     hint="Weight decay is 0 (off) or a small positive number such as 1e-4.")
        if self.grad_clip is not None:
            check_number(self.grad_clip, "grad_clip", low=0.0, low_open=True,
                         hint="It is the largest gradient norm, e.g. 5.0; use None to switch clipping off "
                              "(a negative value would turn the gradient around and train backwards).")
        self.seed = check_seed(self.seed)
        check_number(self.segment_seconds, "segment_seconds", low=0.0, high=60.0, low_open=True, unit="seconds")
        if self.max_seconds is not None:
            check_number(self.max_seconds, "max_seconds", low=0.0, unit="seconds",
                         hint="Use None for no time limit.")
        if self.num_threads is not None:
            check_int(self.num_threads, "num_threads", low=1, high=256, hint="Use None to let set_threads() pick.")
        for name in ("snr_range", "gain_range_db", "speed_factors"):
            value = getattr(self, name)
            if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
                raise SpecmaskInputError(f"`{name}` must be a tuple of numbers, got {value!r}.")
        if self.noises is not None and not isinstance(self.noises, (str, tuple, list)):
            raise SpecmaskInputError(f"`noises` must be None or a tuple of noise types, got {self.noises!r}.")

    @classmethod
    def fast(cls, **changes) -> TrainConfig:
        """A few-second version for automatic tests (``SPECMASK_FAST=1``): 2 epochs of 48 mixtures."""
        settings = dict(epochs=2, n_items=48, batch_size=8, heldout_items=8, normalization_items=16)
        settings.update(changes)
        return cls(**settings)

    @property
    def steps(self) -> int:
        """Optimisation steps of a full run."""
        return self.epochs * (self.n_items // self.batch_size)

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in d.items()}


@dataclass
class TrainResult:
    """What :func:`train` returns: the model (trained in place), the loss history and timing.

    ``history`` holds lists: ``"step"`` and ``"loss"`` (every step), ``"epoch"``, ``"train_loss"`` (mean
    over the epoch) and ``"heldout_loss"`` (after the epoch; NaN without held-out items).
    """

    model: MaskEstimator
    history: dict
    config: TrainConfig
    seconds: float = 0.0
    interrupted: bool = False
    stopped_early: bool = False
    steps_done: int = 0
    notes: list = field(default_factory=list)

    def plot(self, ax=None):
        """Loss curves (see :func:`plot_history`)."""
        return plot_history(self.history, ax=ax)


def cgroup_cpu_limit(path="/sys/fs/cgroup/cpu.max") -> float | None:
    """CPUs this container may use according to its cgroup v2 quota file (``cpu.max``: ``"<quota> <period>"``
    in microseconds, or ``"max <period>"`` for no limit); None when there is no file or no limit.

    JupyterHub / Binder set ``cpu_limit`` this way: the host may have 64 cores while the kernel may use 1.
    """
    try:
        text = Path(path).read_text().split()
    except OSError:
        return None
    if len(text) < 2 or text[0] == "max":
        return None
    try:
        quota, period = float(text[0]), float(text[1])
    except ValueError:
        return None
    if quota <= 0 or period <= 0:
        return None
    return quota / period


def available_cpus(cpu_max_path="/sys/fs/cgroup/cpu.max") -> int:
    """Whole CPUs this process may use: the cores it may run on (``os.sched_getaffinity``, else
    ``os.cpu_count``), lowered to the container's CPU quota (:func:`cgroup_cpu_limit`, rounded down, at
    least 1)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    limit = cgroup_cpu_limit(cpu_max_path)
    if limit is not None:
        cores = min(cores, max(1, int(limit)))
    return max(1, cores)


def set_threads(num_threads: int | None = None, cpu_max_path="/sys/fs/cgroup/cpu.max") -> int:
    """Set PyTorch's CPU threads and return the number used.

    None picks :func:`available_cpus` — the cores this process may use, lowered to the container's cgroup
    CPU quota (``/sys/fs/cgroup/cpu.max``), not the host's core count — at most 4 (more threads than
    CPUs, or many threads for these small matrices, only add overhead; on a 2-core laptop or Binder
    instance that is 2, under a 1-CPU JupyterHub limit it is 1).
    """
    if num_threads is None:
        num_threads = min(4, available_cpus(cpu_max_path))
    if isinstance(num_threads, bool) or not isinstance(num_threads, int) or num_threads <= 0:
        raise SpecmaskInputError(f"`num_threads` must be a positive whole number or None, got {num_threads!r}.")
    torch.set_num_threads(num_threads)
    return num_threads


class _NoBar:
    """Stand-in for a tqdm bar when tqdm is not installed."""

    def __init__(self, *args, **kwargs):
        pass

    def update(self, n=1):
        pass

    def set_postfix(self, **kwargs):
        pass

    def refresh(self):
        pass

    def close(self):
        pass


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None or "ipykernel" not in sys.modules:
        return False
    ip = shell.get_ipython()
    return ip is not None and ip.__class__.__name__ == "ZMQInteractiveShell"


#: How the live loss plot names the mask kinds.
_MASK_NAMES = {"irm": "IRM", "psm": "PSM", "cirm": "cIRM", "cirm_bounded": "bounded cIRM", "polar": "polar mask",
               "mag_mapping": "magnitude mapping", "complex_mapping": "complex mapping"}


class _LivePlot:
    """One figure, redrawn in place after each epoch (no stack of figures)."""

    def __init__(self, title):
        import matplotlib.pyplot as plt
        from IPython.display import display

        self.fig, self.ax = plt.subplots(figsize=(7, 3.2))
        self.title = title
        plt.close(self.fig)  # shown through the display handle only, as a picture with its alt text
        data, metadata = self._bundle(None)
        self.handle = display(data, metadata=metadata, raw=True, display_id=True)

    def _bundle(self, history):
        from ..plots import figure_to_png, image_bundle

        if history and history.get("loss"):
            losses = history["loss"]
            alt = (f"{self.title}: training loss against epochs, {len(losses)} steps so far, "
                   f"from {losses[0]:.3g} to {losses[-1]:.3g}.")
        else:
            alt = f"{self.title}: training curves, drawn as training goes on."
        return image_bundle(figure_to_png(self.fig), alt)

    def update(self, history):
        self.ax.clear()
        self.ax.set_title(self.title)  # before plot_history, whose tight layout must make room for it
        plot_history(history, ax=self.ax)
        data, metadata = self._bundle(history)
        self.handle.update(data, metadata=metadata, raw=True)


def plot_history(history: dict, ax=None):
    """Loss curves of a training run: every step (thin), the mean per epoch, and the held-out loss.

    Returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 3.2))
    else:
        fig = ax.figure
    steps_per_epoch = max(1, int(history.get("steps_per_epoch", 1)))
    if history.get("loss"):
        ax.plot(np.asarray(history["step"]) / steps_per_epoch, history["loss"], lw=0.6, alpha=0.45,
                color="tab:blue", label="training loss (each step)")
    if history.get("epoch"):
        epochs = np.asarray(history["epoch"], dtype=float) + 1
        ax.plot(epochs, history["train_loss"], "o-", color="tab:blue", label="training loss (epoch mean)")
        held = np.asarray(history["heldout_loss"], dtype=float)
        if np.any(np.isfinite(held)):
            ax.plot(epochs, held, "s-", color="tab:orange", label="held-out loss (never trained on)")
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"{history.get('loss_name', 'loss')}")
    losses = history.get("loss", [])
    if losses and min(losses) > 0 and max(losses) / min(losses) > 20:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    if history.get("loss"):
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _heldout_batch(model, config):
    if config.heldout_items <= 0:
        return None
    # the held-out loss uses the chosen noise types that have held-out material (all of them by default)
    noises = None
    if config.noises is not None:
        chosen = (config.noises,) if isinstance(config.noises, str) else tuple(config.noises)
        noises = [n for n in chosen if n in noise_types("heldout")] or None
    data = MixtureDataset("heldout", mask=model.config.mask, n_items=config.heldout_items,
                          segment_seconds=config.segment_seconds, snr_range=config.snr_range,
                          gain_range_db=config.gain_range_db, noises=noises, seed=config.seed + 1,
                          config=model.config.stft_config(), K=model.config.K, C=model.config.C,
                          with_target_mask=config.loss == "mask")
    return torch.utils.data.default_collate([data[i] for i in range(len(data))])


def _loss_name(config, model):
    if config.loss == "mask":
        return "mapping (MSE of compressed spectra)" if model.config.is_mapping else "mask approximation (MSE)"
    if config.loss == "sdr":
        return "signal approximation: -SDR (dB)"
    if config.loss == "compressed":
        return "compressed spectra + SI-SDR (GTCRN)"
    kind = config.signal_kind or ("complex" if model.config.is_complex else "phase_sensitive")
    return f"signal approximation ({kind.replace('_', '-')})"


def train(model: MaskEstimator, config: TrainConfig | None = None, *, progress: bool = True,
          plot="auto", dataset: MixtureDataset | None = None, callback=None) -> TrainResult:
    """Train ``model`` (in place) on fresh speech + noise mixtures.

    Parameters
    ----------
    model : MaskEstimator
        From :func:`~specmask_edu.learn.models.build_model`.
    config : TrainConfig, optional
        Default ``TrainConfig()``: the full lesson (under two minutes on two CPU cores).
    progress : bool
        Show a ``tqdm`` progress bar.
    plot : bool or "auto"
        Redraw the loss curves after each epoch ("auto": only inside Jupyter).
    dataset : MixtureDataset, optional
        Training data; by default made from ``config`` for the model's mask kind.
    callback : callable, optional
        Called as ``callback(epoch, history)`` after each epoch.

    Returns
    -------
    TrainResult
        ``.model``, ``.history``, ``.seconds``, ``.interrupted`` (True if you stopped it).
    """
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm comes with the [learn] extra; without it, train without a progress bar
        tqdm = _NoBar

    config = TrainConfig() if config is None else config
    if not isinstance(model, MaskEstimator):
        raise SpecmaskInputError(f"`model` must be a MaskEstimator from build_model(...), got {type(model).__name__}.")
    if not isinstance(config, TrainConfig):
        raise SpecmaskInputError(f"`config` must be a TrainConfig, got {type(config).__name__}.")
    if config.loss == "signal" and config.signal_kind is not None:
        if SIGNAL_KINDS[config.signal_kind] != model.config.is_complex:
            raise SpecmaskInputError(
                f"signal_kind={config.signal_kind!r} does not fit a {'complex' if model.config.is_complex else 'real'} "
                "mask: use 'complex' for cirm/cirm_bounded and 'magnitude' or 'phase_sensitive' for irm/psm."
            )
    threads = set_threads(config.num_threads)
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    if dataset is None:
        dataset = MixtureDataset("train", mask=model.config.mask, n_items=config.n_items,
                                 segment_seconds=config.segment_seconds, snr_range=config.snr_range,
                                 gain_range_db=config.gain_range_db, noises=config.noises, seed=config.seed,
                                 config=model.config.stft_config(), K=model.config.K, C=model.config.C,
                                 speed_factors=config.speed_factors, with_target_mask=config.loss == "mask")
    elif dataset.mask != model.config.mask:
        raise SpecmaskInputError(
            f"The dataset makes {dataset.mask!r} targets but the model learns {model.config.mask!r} masks."
        )
    if dataset.split != "train":
        raise SpecmaskInputError("Train on the 'train' split only; the held-out split is for evaluation.")
    loader = torch.utils.data.DataLoader(dataset, batch_size=config.batch_size, shuffle=True,
                                         generator=generator, drop_last=True, num_workers=0)
    steps_per_epoch = len(loader)
    total_steps = config.epochs * steps_per_epoch

    if not bool(model.normalization_fitted):
        n = min(config.normalization_items, len(dataset))
        model.fit_normalization(torch.stack([dataset[i]["mixture"] for i in range(n)]))
    heldout = _heldout_batch(model, config)

    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: 0.1 + 0.9 * 0.5 * (1.0 + math.cos(math.pi * min(step, total_steps) / total_steps))
    )
    history = {"step": [], "loss": [], "epoch": [], "train_loss": [], "heldout_loss": [], "seconds": [],
               "steps_per_epoch": steps_per_epoch, "loss_name": _loss_name(config, model), "threads": threads}
    live = None
    if plot == "auto":
        plot = _in_notebook()
    if plot:
        live = _LivePlot(f"{model.config.arch.upper()} learning {_MASK_NAMES.get(model.config.mask, model.config.mask)}"
                         f" — {history['loss_name']}")
    result = TrainResult(model=model, history=history, config=config)
    bar = tqdm(total=total_steps, desc=f"{model.config.arch}/{model.config.mask}", disable=not progress,
               unit="step", leave=True)
    start = time.perf_counter()
    step, epoch, epoch_losses = 0, 0, []
    try:
        for epoch in range(config.epochs):
            dataset.set_epoch(epoch)
            model.train()
            epoch_losses = []
            for batch in loader:
                loss = compute_loss(model, batch, config.loss, config.signal_kind)
                if not torch.isfinite(loss):
                    raise FloatingPointError(
                        f"The loss became {loss.item()} at step {step}: lower the learning rate (lr) and train again."
                    )
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                if config.grad_clip:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
                optimizer.step()
                scheduler.step()
                step += 1
                value = float(loss.detach())
                history["step"].append(step)
                history["loss"].append(value)
                epoch_losses.append(value)
                bar.update(1)
                bar.set_postfix(loss=f"{value:.4f}")
                if config.max_seconds is not None and time.perf_counter() - start > config.max_seconds:
                    result.stopped_early = True
                    break
            history["epoch"].append(epoch)
            history["train_loss"].append(sum(epoch_losses) / max(1, len(epoch_losses)))
            history["heldout_loss"].append(_evaluate_loss(model, heldout, config))
            history["seconds"].append(time.perf_counter() - start)
            if live is not None:
                live.update(history)
            if callback is not None:
                callback(epoch, history)
            if result.stopped_early:
                result.notes.append(f"stopped after max_seconds={config.max_seconds} s")
                break
    except KeyboardInterrupt:
        result.interrupted = True
        result.notes.append(f"interrupted by the user after {step} steps; the model trained so far is kept")
        if epoch_losses and (not history["epoch"] or history["epoch"][-1] != epoch):  # close the partial epoch
            history["epoch"].append(epoch)
            history["train_loss"].append(sum(epoch_losses) / len(epoch_losses))
            history["heldout_loss"].append(float("nan"))
            history["seconds"].append(time.perf_counter() - start)
    finally:
        if result.stopped_early:  # stopping at max_seconds is the plan, not a failure: a full (green) bar
            bar.total = step
            bar.refresh()
        bar.close()
        model.eval()
    result.seconds = time.perf_counter() - start
    result.steps_done = step
    if result.interrupted:
        print(result.notes[-1])
    return result


@torch.no_grad()
def _evaluate_loss(model, batch, config) -> float:
    if batch is None:
        return float("nan")
    model.eval()
    # in chunks of one training batch, so the held-out loss needs no more memory than a training step (the
    # losses are means over the mixtures: the chunk means weighted by their sizes give the same value)
    n = len(next(iter(batch.values())))
    total = 0.0
    for start in range(0, n, config.batch_size):
        chunk = {key: value[start: start + config.batch_size] for key, value in batch.items()}
        total += float(compute_loss(model, chunk, config.loss, config.signal_kind)) * len(chunk["mixture"])
    model.train()
    return total / n


def save_model(model: MaskEstimator, path, history: dict | None = None) -> Path:
    """Save the weights and the settings of ``model`` (and optionally a training history) to ``path``.

    The file holds only tensors and plain Python values (``{"format", "config", "state_dict",
    "history"}``), so :func:`load_model` can read it with ``torch.load(weights_only=True)``.
    """
    if not isinstance(model, MaskEstimator):
        raise SpecmaskInputError(f"`model` must be a MaskEstimator, got {type(model).__name__}.")
    try:
        path = Path(path)
    except TypeError:
        raise SpecmaskInputError(f"`path` must be a file name such as 'my_model.pt', got {path!r}.") from None
    if path.is_dir() or str(path).endswith(("/", os.sep)):
        raise SpecmaskInputError(
            f"{str(path)!r} is a folder; give a file name inside it, e.g. {str(path / 'my_model.pt')!r}."
        )
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    checkpoint = {
        "format": CHECKPOINT_FORMAT,
        "config": model.config.to_dict(),
        "state_dict": model.state_dict(),
        "history": _plain(history) if history is not None else None,
    }
    torch.save(checkpoint, path)
    return path


def _plain(value):
    """Keep only JSON-like values (what weights_only loading accepts)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def load_model(path, return_history: bool = False):
    """Load a model saved by :func:`save_model` (safely: ``torch.load(weights_only=True)``).

    Returns the :class:`MaskEstimator` in evaluation mode, or ``(model, history)`` with
    ``return_history=True``.
    """
    path = Path(path)
    if not path.is_file():
        raise SpecmaskInputError(f"No saved model at {str(path)!r}; save one with save_model(model, path).")
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # pickle errors, truncated files, unsafe content
        raise SpecmaskInputError(
            f"{str(path)!r} is not a model file saved by specmask_edu.learn.save_model ({type(err).__name__}: {err})."
        ) from err
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != CHECKPOINT_FORMAT:
        raise SpecmaskInputError(f"{str(path)!r} was not written by specmask_edu.learn.save_model.")
    model = model_from_checkpoint(checkpoint, str(path))
    if return_history:
        return model, checkpoint.get("history")
    return model


def model_from_checkpoint(checkpoint: dict, source: str = "the checkpoint") -> MaskEstimator:
    """Rebuild a :class:`MaskEstimator` from a loaded checkpoint dict (``{"config", "state_dict", ...}``),
    checking that the settings are valid and that the weights fit them; returns it in evaluation mode."""
    if not isinstance(checkpoint.get("config"), dict) or not isinstance(checkpoint.get("state_dict"), dict):
        raise SpecmaskInputError(
            f"{source!r} has no model settings ('config') or no weights ('state_dict'); save models with "
            "specmask_edu.learn.save_model(model, path)."
        )
    try:
        model = MaskEstimator(ModelConfig.from_dict(checkpoint["config"]))
    except SpecmaskInputError as err:
        raise SpecmaskInputError(f"{source!r} holds settings this version cannot build: {err}") from None
    except TypeError as err:
        raise SpecmaskInputError(f"{source!r} holds unreadable model settings ({err}).") from None
    state = checkpoint["state_dict"]
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    wrong = sorted(k for k in set(expected) & set(state)
                   if not isinstance(state[k], torch.Tensor) or tuple(state[k].shape) != tuple(expected[k].shape))
    if missing or unexpected or wrong:
        details = "; ".join(part for part in (
            f"missing weights {missing[:4]}" if missing else "",
            f"unexpected weights {unexpected[:4]}" if unexpected else "",
            f"weights of the wrong shape {wrong[:4]}" if wrong else "",
        ) if part)
        raise SpecmaskInputError(
            f"The weights in {source!r} do not fit its model settings ({details}): the file was edited or "
            "mixes two models. Save the model again with specmask_edu.learn.save_model."
        )
    model.load_state_dict(state)
    model.eval()
    return model
