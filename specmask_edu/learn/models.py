r"""Small mask estimators that train on a laptop CPU (taught in ``notebooks/07_learning_masks.ipynb``).

A model sees only the mixture. Its input features are the log power spectrum of the mixture STFT,
normalised per frequency with statistics of the training data:

.. math:: x[k, m] = \frac{\ln(|Y[k, m]|^2 + \epsilon) - \mu_k}{\sigma_k}, \qquad \epsilon = 10^{-10}

and it outputs one value per time-frequency bin (a real mask) or two (the real and imaginary parts of a
complex mask). Two architectures:

* ``"mlp"`` — a **frame-context MLP** (the lesson's model): each output frame sees ``2 * context + 1``
  input frames (written as a 1-D convolution over time, which is the same computation, only faster),
  through ``layers`` hidden layers of ``hidden`` units with ReLU (default 7 frames, 2 × 256 units).
* ``"gru"`` — a small **recurrent** network: ``layers`` GRU layers of ``hidden`` units
  (bidirectional by default: it sees the whole clip), then a linear layer.

Mask kinds (:data:`MASK_KINDS`), and how the output is kept in range:

=================  ==========  =========================================  ===========================
kind               complex?    output layer                               training target (oracle)
=================  ==========  =========================================  ===========================
``irm``            no          sigmoid, in (0, 1)                         IRM (:math:`\beta=0.5`)
``psm``            no          sigmoid, in (0, 1)                         PSM truncated to [0, 1]
``cirm``           yes         :math:`K\tanh(a)` on real and imag. parts  compressed cIRM
                                                                          :math:`K\tanh(C\,M/2)`
``cirm_bounded``   yes         :math:`\tanh(|a|)\,e^{j\angle a}`          bounded cIRM
=================  ==========  =========================================  ===========================

For ``cirm`` the network's output :math:`\tilde M = K\tanh(a)` lives in the compressed domain of
:func:`specmask_edu.masks.compress_mask`; the mask applied to the mixture is its exact inverse
:func:`specmask_edu.masks.decompress_mask`, :math:`M = \frac{2}{C}\operatorname{artanh}(\tilde M / K)`
(which here is simply :math:`2a/C`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .._validation import SpecmaskInputError
from ..masks import compress_mask, oracle_mask
from ..stft import STFTConfig

__all__ = ["MASK_KINDS", "ARCHITECTURES", "FEATURES", "ModelConfig", "MaskEstimator", "build_model", "training_target"]

#: Mask kinds a model can learn: name -> (is it complex?, what it is).
MASK_KINDS = {
    "irm": (False, "ideal ratio mask (real, 0..1)"),
    "psm": (False, "phase-sensitive mask truncated to 0..1 (real)"),
    "cirm": (True, "complex ideal ratio mask, learned in the compressed domain K*tanh(C*M/2)"),
    "cirm_bounded": (True, "complex ideal ratio mask with its magnitude bounded by tanh (|M| < 1)"),
}
#: Architectures of :class:`MaskEstimator`.
ARCHITECTURES = ("mlp", "gru")
#: Input features of :class:`MaskEstimator`.
FEATURES = ("logmag", "logmag+phase")

_LOG_EPS = 1e-10


def training_target(target_stft, mixture_stft, mask: str, K: float = 10.0, C: float = 0.1) -> torch.Tensor:
    """The oracle mask a model of kind ``mask`` is trained to output, as a float32 tensor.

    Computed with :func:`specmask_edu.masks.oracle_mask` from the target STFT :math:`S` and the mixture
    STFT :math:`Y`: ``(freq, frames)`` for a real mask; ``(2, freq, frames)`` (real, imaginary) for a
    complex one. For ``"cirm"`` it is the compressed cIRM ``compress_mask(S / Y, K, C)``.
    """
    if mask not in MASK_KINDS:
        raise SpecmaskInputError(f"Unknown mask kind {mask!r}; choose one of {list(MASK_KINDS)}.")
    M = oracle_mask(mask, target_stft, mixture_stft)
    if mask == "cirm":
        M = compress_mask(M, K=K, C=C)
    if np.iscomplexobj(M):
        return torch.from_numpy(np.stack([M.real, M.imag]).astype(np.float32))
    return torch.from_numpy(np.asarray(M, dtype=np.float32))


@dataclass
class ModelConfig:
    r"""Everything needed to rebuild a model (saved next to its weights by :func:`~.train.save_model`).

    Parameters
    ----------
    arch : {"mlp", "gru"}
        Frame-context MLP (default) or recurrent network.
    mask : {"psm", "irm", "cirm", "cirm_bounded"}
        What the model outputs (see :data:`MASK_KINDS`); default ``"psm"``.
    hidden : int
        Units per hidden layer (default 256; for the GRU 128 is enough).
    layers : int
        Hidden layers of the MLP, or GRU layers (default 2; for the GRU use 1).
    context : int
        MLP only: frames seen on each side of the output frame (default 3: 7 frames, which span 80 ms of
        sound with the default STFT).
    bidirectional : bool
        GRU only: also read the clip backwards (default True; False makes it causal).
    n_fft, hop_length, sr : int
        The STFT the model works on (default 512, 128 and 16000 Hz, i.e. ``STFTConfig()``).
    K, C : float
        Compression of the cIRM (``mask="cirm"`` only), as in :func:`specmask_edu.masks.compress_mask`.
    features : {"logmag", "logmag+phase"}
        Input features: the normalised log power spectrum only (default), or also the cosine and sine of
        each bin's phase advance from the previous frame, minus the advance of a sinusoid at the bin's
        centre frequency (:math:`2\pi k H / N`), which gives the network a view of the mixture's phase.
    """

    arch: str = "mlp"
    mask: str = "psm"
    hidden: int = 256
    layers: int = 2
    context: int = 3
    bidirectional: bool = True
    n_fft: int = 512
    hop_length: int = 128
    sr: int = 16000
    K: float = 10.0
    C: float = 0.1
    features: str = "logmag"

    def __post_init__(self):
        if self.features not in FEATURES:
            raise SpecmaskInputError(f"Unknown features {self.features!r}; choose one of {list(FEATURES)}.")
        if self.arch not in ARCHITECTURES:
            raise SpecmaskInputError(f"Unknown arch {self.arch!r}; choose one of {list(ARCHITECTURES)}.")
        if self.mask not in MASK_KINDS:
            raise SpecmaskInputError(f"Unknown mask kind {self.mask!r}; choose one of {list(MASK_KINDS)}.")
        for name in ("hidden", "layers", "n_fft", "hop_length", "sr"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
                raise SpecmaskInputError(f"`{name}` must be a positive whole number, got {value!r}.")
        if isinstance(self.context, bool) or not isinstance(self.context, (int, np.integer)) or self.context < 0:
            raise SpecmaskInputError(f"`context` must be a whole number >= 0, got {self.context!r}.")
        if not (self.K > 0 and self.C > 0):
            raise SpecmaskInputError(f"`K` and `C` must be positive, got K={self.K}, C={self.C}.")

    @property
    def is_complex(self) -> bool:
        """True for the complex mask kinds (``cirm``, ``cirm_bounded``)."""
        return MASK_KINDS[self.mask][0]

    @property
    def n_freqs(self) -> int:
        return self.n_fft // 2 + 1

    def stft_config(self) -> STFTConfig:
        """The :class:`~specmask_edu.stft.STFTConfig` of the model's input."""
        return STFTConfig(n_fft=self.n_fft, hop_length=self.hop_length)

    def to_dict(self) -> dict:
        """Plain JSON-able dict (str, int, float, bool only)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> ModelConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise SpecmaskInputError(f"Unknown model settings {unknown}; known ones are {sorted(known)}.")
        return cls(**d)


class MaskEstimator(nn.Module):
    """Mixture STFT in, mask out. Build it with :func:`build_model`.

    ``forward(mixture)`` takes the mixture STFT as a float tensor ``(batch, 2, freq, frames)`` (real and
    imaginary parts, see :func:`specmask_edu.learn.data.stft_to_tensor`) and returns the network output
    in the training-target domain: ``(batch, freq, frames)`` for a real mask, ``(batch, 2, freq, frames)``
    for a complex one. :meth:`output_to_mask` turns that output into the mask that multiplies the mixture.
    """

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        F = config.n_freqs
        self.out_channels = 2 if config.is_complex else 1
        # Per-frequency normalisation of the log power spectrum, fitted on training data.
        self.register_buffer("feature_mean", torch.zeros(F))
        self.register_buffer("feature_std", torch.ones(F))
        self.register_buffer("normalization_fitted", torch.tensor(False))
        n_in = F * (3 if config.features == "logmag+phase" else 1)
        if config.features == "logmag+phase":
            k = torch.arange(F, dtype=torch.float32)
            self.register_buffer("bin_advance", 2 * torch.pi * k * config.hop_length / config.n_fft, persistent=False)
        if config.arch == "mlp":
            layers = [nn.Conv1d(n_in, config.hidden, 2 * config.context + 1, padding=config.context), nn.ReLU()]
            for _ in range(config.layers - 1):
                layers += [nn.Conv1d(config.hidden, config.hidden, 1), nn.ReLU()]
            self.body = nn.Sequential(*layers)
            width = config.hidden
        else:
            self.body = nn.GRU(n_in, config.hidden, num_layers=config.layers, batch_first=True,
                               bidirectional=config.bidirectional)
            width = config.hidden * (2 if config.bidirectional else 1)
        self.head = nn.Linear(width, F * self.out_channels)

    # ------------------------------------------------------------------ features

    def features(self, mixture: torch.Tensor) -> torch.Tensor:
        """Input features ``(batch, channels, frames)`` of a ``(batch, 2, freq, frames)`` STFT: the normalised
        log power spectrum (``freq`` channels), followed for ``features="logmag+phase"`` by the cosine and
        sine of the demodulated phase advance (``3 * freq`` channels in all)."""
        mixture = self._check_input(mixture)
        log_power = torch.log(mixture[:, 0] ** 2 + mixture[:, 1] ** 2 + _LOG_EPS)
        x = (log_power - self.feature_mean[:, None]) / self.feature_std[:, None]
        if self.config.features == "logmag":
            return x
        phase = torch.atan2(mixture[:, 1], mixture[:, 0])
        advance = phase[..., 1:] - phase[..., :-1] - self.bin_advance[:, None]
        advance = torch.nn.functional.pad(advance, (1, 0))
        return torch.cat([x, torch.cos(advance), torch.sin(advance)], dim=1)

    @torch.no_grad()
    def fit_normalization(self, mixtures: torch.Tensor) -> None:
        r"""Set :math:`\mu_k, \sigma_k` from a batch of training mixtures ``(batch, 2, freq, frames)``."""
        mixtures = self._check_input(mixtures)
        log_power = torch.log(mixtures[:, 0] ** 2 + mixtures[:, 1] ** 2 + _LOG_EPS)
        self.feature_mean.copy_(log_power.mean(dim=(0, 2)))
        self.feature_std.copy_(log_power.std(dim=(0, 2)).clamp_min(1e-3))
        self.normalization_fitted.fill_(True)

    def _check_input(self, mixture):
        if not isinstance(mixture, torch.Tensor):
            raise SpecmaskInputError(
                "The model takes a torch tensor (batch, 2, freq, frames); for a waveform use "
                "specmask_edu.learn.estimate_mask(model, mixture)."
            )
        if mixture.ndim == 3:
            mixture = mixture[None]
        F = self.config.n_freqs
        if mixture.ndim != 4 or mixture.shape[1] != 2 or mixture.shape[2] != F:
            raise SpecmaskInputError(
                f"Expected a mixture STFT tensor shaped (batch, 2, {F}, frames) (real and imaginary parts, "
                f"n_fft={self.config.n_fft}), got {tuple(mixture.shape)}."
            )
        return mixture

    # ------------------------------------------------------------------ network

    def forward(self, mixture: torch.Tensor) -> torch.Tensor:
        x = self.features(mixture)  # (B, channels, T)
        B, T, F = x.shape[0], x.shape[2], self.config.n_freqs
        if self.config.arch == "mlp":
            h = self.body(x).transpose(1, 2)  # (B, T, hidden)
        else:
            h, _ = self.body(x.transpose(1, 2))  # (B, T, width)
        a = self.head(h)  # (B, T, F * out_channels)
        if not self.config.is_complex:
            return torch.sigmoid(a.transpose(1, 2))
        a = a.reshape(B, T, 2, F).permute(0, 2, 3, 1)  # (B, 2, F, T)
        if self.config.mask == "cirm":
            return self.config.K * torch.tanh(a)
        radius = torch.sqrt(a[:, 0] ** 2 + a[:, 1] ** 2 + 1e-12)[:, None]
        return a * (torch.tanh(radius) / radius)

    def output_to_mask(self, output: torch.Tensor) -> torch.Tensor:
        """The mask applied to the mixture: the output itself, except for ``"cirm"``, where the compressed
        output is decompressed (:func:`specmask_edu.masks.decompress_mask`, same formula and clipping)."""
        if self.config.mask != "cirm":
            return output
        K, C = self.config.K, self.config.C
        limit = float(np.nextafter(np.float32(1.0), np.float32(0.0)))
        return (2.0 / C) * torch.atanh(torch.clamp(output / K, -limit, limit))

    @property
    def n_parameters(self) -> int:
        """Number of trainable weights."""
        return sum(p.numel() for p in self.parameters() if p.requires_grad)

    def extra_repr(self) -> str:
        c = self.config
        return f"arch={c.arch!r}, mask={c.mask!r}, parameters={self.n_parameters}"


def build_model(config: ModelConfig | None = None, seed: int | None = 0, **settings) -> MaskEstimator:
    """Build a :class:`MaskEstimator` with initial weights drawn from ``torch.manual_seed(seed)``.

    >>> model = build_model(arch="mlp", mask="cirm", hidden=256, layers=2)    # doctest: +SKIP

    Parameters
    ----------
    config : ModelConfig, optional
        The settings; or give them as keywords (``arch="mlp", mask="psm"``...).
    seed : int or None
        Seed of the initial weights (None: leave PyTorch's random state alone).
    """
    if config is None:
        config = ModelConfig(**settings)
    elif settings:
        config = dataclasses.replace(config, **settings)
    if not isinstance(config, ModelConfig):
        raise SpecmaskInputError(f"`config` must be a ModelConfig, got {type(config).__name__}.")
    if seed is not None:
        torch.manual_seed(int(seed))
    return MaskEstimator(config)
