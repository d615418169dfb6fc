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
* ``"crn"`` — a small **convolutional-recurrent network** in the spirit of CRN (Tan & Wang 2018) and
  GTCRN (Rong et al. 2024), a few tens of thousands of weights: three 2-D convolutions over
  (frequency, time) that halve the frequency axis each (kernel 3 frames: context across neighbouring
  frames), a bidirectional GRU over time on the bottleneck, a mirrored decoder with skip
  connections, and a last convolution at full frequency resolution that also reads the input planes (so
  the output may change from one bin to the next, as a phase rotation does), which returns one (real mask)
  or two (complex) values per bin. A real-valued network
  that outputs the real and imaginary parts is all a complex mask needs (Wu et al. 2023).

Input features (``features``): ``"logmag"`` (the normalised log power above: magnitude only),
``"logmag+phase"`` (also the cosine and sine of each bin's demodulated phase advance), or
``"compressed"``: the power-law compressed STFT of GTCRN, three planes

.. math:: |Y|^{0.3}, \quad |Y|^{0.3}\cos\angle Y, \quad |Y|^{0.3}\sin\angle Y

divided by one scale per frequency fitted on training data. Only inputs that carry the phase of
:math:`Y` let a network output a complex mask whose phase is not a function of magnitudes alone.

Mask kinds (:data:`MASK_KINDS`), and how the output is kept in range:

=================  ==========  =========================================  ===========================
kind               complex?    output layer                               training target (oracle)
=================  ==========  =========================================  ===========================
``irm``            no          sigmoid, in (0, 1)                         IRM (:math:`\beta=0.5`)
``psm``            no          sigmoid, in (0, 1)                         PSM truncated to [0, 1]
``cirm``           yes         :math:`K\tanh(a)` on real and imag. parts  compressed cIRM
                                                                          :math:`K\tanh(C\,M/2)`
``cirm_bounded``   yes         :math:`\tanh(|a|)\,e^{j\angle a}`          bounded cIRM
``polar``          yes         :math:`\sigma(a_0)\,e^{j\pi\tanh(a_1)}`     cIRM, magnitude clipped to 1
``mag_mapping``    no          softplus: :math:`|\hat S|^{0.3}`            compressed clean magnitude
``complex_mapping`` yes        linear: compressed :math:`\hat S`            compressed clean spectrum
=================  ==========  =========================================  ===========================

The two ``*_mapping`` kinds predict the clean (compressed) spectrum itself instead of a mask
(**mapping**, not masking): :math:`|\hat S| = (\text{output})^{1/0.3}` with the mixture's phase, or the
complex :math:`\hat S` from its compressed real and imaginary parts. Their effective mask
:math:`\hat S / Y` (``|Ŝ|/|Y|`` for ``mag_mapping``) is what :meth:`MaskEstimator.output_to_mask`
returns, so every other function treats them like masks.

For ``cirm`` the network's output :math:`\tilde M = K\tanh(a)` lives in the compressed domain of
:func:`specmask_edu.masks.compress_mask`; the mask applied to the mixture is its exact inverse
:func:`specmask_edu.masks.decompress_mask`, :math:`M = \frac{2}{C}\operatorname{artanh}(\tilde M / K)`
(which here is simply :math:`2a/C`).

``polar`` is a real gain and a rotation, :math:`M = \sigma(a_0)\,e^{j\theta}`, :math:`\theta = \pi\tanh(a_1)`
(the magnitude-and-phase decoupling of e.g. Yin et al. 2020, PHASEN). Its rotation output starts at
exactly 0, so before training a ``polar`` CRN *is* the ``psm`` CRN built with the same seed (same weights,
same gain; for the MLP and GRU the body is the same and the gain layer's bias is drawn differently):
trained the same way, any difference between the two is what learning the rotation added.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .._validation import SpecmaskInputError, check_bool, check_number
from ..masks import bound_complex_mask, compress_mask, oracle_mask
from ..stft import STFTConfig

__all__ = ["MASK_KINDS", "ARCHITECTURES", "FEATURES", "COMPRESSION", "ModelConfig", "MaskEstimator", "build_model",
           "training_target", "compress_spectrum", "is_mapping"]

#: Mask kinds a model can learn: name -> (is it complex?, what it is).
MASK_KINDS = {
    "irm": (False, "ideal ratio mask (real, 0..1)"),
    "psm": (False, "phase-sensitive mask truncated to 0..1 (real)"),
    "cirm": (True, "complex ideal ratio mask, learned in the compressed domain K*tanh(C*M/2)"),
    "cirm_bounded": (True, "complex ideal ratio mask with its magnitude bounded by tanh (|M| < 1)"),
    "polar": (True, "polar mask: a gain in 0..1 (as the PSM's) times a learned phase rotation; starts as a real mask"),
    "mag_mapping": (False, "mapping: the compressed clean magnitude |S|^0.3 (used with the mixture phase)"),
    "complex_mapping": (True, "mapping: the compressed clean spectrum |S|^0.3 exp(j angle S)"),
}
#: Architectures of :class:`MaskEstimator`.
ARCHITECTURES = ("mlp", "gru", "crn")
#: Input features of :class:`MaskEstimator`.
FEATURES = ("logmag", "logmag+phase", "compressed")
#: Power-law compression exponent of the ``"compressed"`` features, the mapping targets and the compressed loss.
COMPRESSION = 0.3
_COMPRESS_EPS = 1e-12


def is_mapping(mask: str) -> bool:
    """True for the mapping kinds (the model predicts the compressed clean spectrum, not a mask)."""
    return mask.endswith("_mapping")


def compress_spectrum(re, im, power: float = COMPRESSION):
    r"""Power-law compressed complex spectrum :math:`|X|^{p} e^{j\angle X}` of real and imaginary parts
    (tensors or arrays); returns ``(compressed real, compressed imag, compressed magnitude)``.
    The magnitude is computed as :math:`(|X|^2 + 10^{-12})^{p/2}`, so a silent bin gives real and imaginary
    parts 0 and a magnitude of :math:`10^{-1.8} \approx 0.016` (for p = 0.3), never NaN."""
    energy = re * re + im * im + _COMPRESS_EPS
    magnitude = energy ** (power / 2)
    scale = energy ** ((power - 1) / 2)
    return re * scale, im * scale, magnitude

_LOG_EPS = 1e-10


def training_target(target_stft, mixture_stft, mask: str, K: float = 10.0, C: float = 0.1) -> torch.Tensor:
    """The oracle mask a model of kind ``mask`` is trained to output, as a float32 tensor.

    Computed with :func:`specmask_edu.masks.oracle_mask` from the target STFT :math:`S` and the mixture
    STFT :math:`Y`: ``(freq, frames)`` for a real mask; ``(2, freq, frames)`` (real, imaginary) for a
    complex one. For ``"cirm"`` it is the compressed cIRM ``compress_mask(S / Y, K, C)``; for ``"polar"``
    the cIRM with its magnitude clipped to 1 (``bound_complex_mask(S / Y, method="clip")``: the PSM's gain
    range with the true rotation); for the mapping kinds the compressed clean magnitude :math:`|S|^{0.3}` or
    spectrum (see :func:`compress_spectrum`).
    """
    if mask not in MASK_KINDS:
        raise SpecmaskInputError(f"Unknown mask kind {mask!r}; choose one of {list(MASK_KINDS)}.")
    if is_mapping(mask):
        S = np.asarray(target_stft)
        re, im, mag = compress_spectrum(S.real, S.imag)
        planes = mag if mask == "mag_mapping" else np.stack([re, im])
        return torch.from_numpy(np.asarray(planes, dtype=np.float32))
    if mask == "polar":
        M = bound_complex_mask(oracle_mask("cirm", target_stft, mixture_stft), method="clip")
    else:
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
    arch : {"mlp", "gru", "crn"}
        Frame-context MLP (default), recurrent network, or convolutional-recurrent network.
    mask : {"psm", "irm", "cirm", "cirm_bounded", "polar", "mag_mapping", "complex_mapping"}
        What the model outputs (see :data:`MASK_KINDS`); default ``"psm"``.
    hidden : int
        Units per hidden layer (default 256; for the GRU 128 is enough).
    layers : int
        Hidden layers of the MLP, or GRU layers (default 2; for the GRU use 1). For the CRN ``hidden`` is
        the width of its GRU and ``layers`` its number of GRU layers.
    channels : int
        CRN only: convolution channels (default 8).
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
        centre frequency (:math:`2\pi k H / N`), which gives the network a view of the mixture's phase;
        or ``"compressed"``: :math:`|Y|^{0.3}` and the compressed real and imaginary parts (see module).
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
    channels: int = 8

    def __post_init__(self):
        if self.features not in FEATURES:
            raise SpecmaskInputError(f"Unknown features {self.features!r}; choose one of {list(FEATURES)}.")
        if self.arch not in ARCHITECTURES:
            raise SpecmaskInputError(f"Unknown arch {self.arch!r}; choose one of {list(ARCHITECTURES)}.")
        if self.mask not in MASK_KINDS:
            raise SpecmaskInputError(f"Unknown mask kind {self.mask!r}; choose one of {list(MASK_KINDS)}.")
        for name in ("hidden", "layers", "n_fft", "hop_length", "sr", "channels"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
                raise SpecmaskInputError(f"`{name}` must be a positive whole number, got {value!r}.")
        if isinstance(self.context, bool) or not isinstance(self.context, (int, np.integer)) or self.context < 0:
            raise SpecmaskInputError(f"`context` must be a whole number >= 0, got {self.context!r}.")
        if self.hidden > 4096 or self.layers > 8 or self.channels > 256 or self.context > 64:
            raise SpecmaskInputError(
                f"This model would be too large for a laptop lesson (hidden={self.hidden}, layers={self.layers}, "
                f"channels={self.channels}, context={self.context}); keep hidden <= 4096, layers <= 8, "
                "channels <= 256 and context <= 64."
            )
        if self.arch == "crn" and self.n_fft < 16:
            raise SpecmaskInputError(f"The CRN needs n_fft >= 16 (three halvings of the frequency axis), got {self.n_fft}.")
        for name in ("K", "C"):
            check_number(getattr(self, name), name, low=0, low_open=True,
                         hint="K and C set the compression of the cIRM, e.g. K=10, C=0.1.")
        check_bool(self.bidirectional, "bidirectional")

    @property
    def is_complex(self) -> bool:
        """True for the complex kinds (``cirm``, ``cirm_bounded``, ``polar``, ``complex_mapping``)."""
        return MASK_KINDS[self.mask][0]

    @property
    def is_mapping(self) -> bool:
        """True for ``mag_mapping`` / ``complex_mapping`` (the model predicts the compressed clean spectrum)."""
        return is_mapping(self.mask)

    @property
    def n_freqs(self) -> int:
        return self.n_fft // 2 + 1

    @property
    def input_planes(self) -> int:
        """Feature planes per bin: 1 for ``"logmag"``, 3 otherwise."""
        return 1 if self.features == "logmag" else 3

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


class _CRN(nn.Module):
    """Encoder (3 strided 2-D convolutions over frequency), bidirectional GRU over time, decoder with skips,
    a full-resolution refinement that reads the input planes again."""

    def __init__(self, config: ModelConfig, in_planes: int, out_planes: int):
        super().__init__()
        F, ch = config.n_freqs, config.channels
        self.sizes = [F]
        for _ in range(3):
            self.sizes.append((self.sizes[-1] - 1) // 2 + 1)
        self.encoder = nn.ModuleList([
            nn.Sequential(nn.Conv2d(in_planes if i == 0 else ch, ch, (5, 3), stride=(2, 1), padding=(2, 1)), nn.PReLU(ch))
            for i in range(3)
        ])
        bottleneck = ch * self.sizes[-1]
        self.project = nn.Linear(bottleneck, config.hidden)
        self.rnn = nn.GRU(config.hidden, config.hidden, num_layers=config.layers, batch_first=True,
                          bidirectional=config.bidirectional)
        self.expand = nn.Linear(config.hidden * (2 if config.bidirectional else 1), bottleneck)
        self.decoder = nn.ModuleList([
            nn.Sequential(nn.Conv2d(ch, ch, (5, 3), padding=(2, 1)), nn.PReLU(ch)) for _ in range(2)
        ])
        # full frequency resolution again: the decoder's features beside the input planes, so that the output
        # can differ from one bin to the next (a phase rotation does; the encoder halved the frequency axis)
        self.refine = nn.Sequential(nn.Conv2d(ch + in_planes, ch, (3, 3), padding=(1, 1)), nn.PReLU(ch))
        self.out = nn.Conv2d(ch, out_planes, (5, 3), padding=(2, 1))

    def forward(self, x):  # x: (B, planes, F, T) -> (B, out_planes, F, T)
        planes = x
        skips = []
        for layer in self.encoder:
            x = layer(x)
            skips.append(x)
        B, C, Fb, T = x.shape
        h = self.project(x.permute(0, 3, 1, 2).reshape(B, T, C * Fb))
        h, _ = self.rnn(h)
        x = self.expand(h).reshape(B, T, C, Fb).permute(0, 2, 3, 1) + skips[-1]
        for i, layer in enumerate(self.decoder):
            x = nn.functional.interpolate(x, size=(self.sizes[-2 - i], T), mode="nearest")
            x = layer(x) + skips[-2 - i]
        x = nn.functional.interpolate(x, size=(self.sizes[0], T), mode="nearest")
        return self.out(self.refine(torch.cat([x, planes], dim=1)))


class MaskEstimator(nn.Module):
    """Mixture STFT in, mask (or compressed clean spectrum) out. Build it with :func:`build_model`.

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
        # Per-frequency normalisation of the input features, fitted on training data.
        self.register_buffer("feature_mean", torch.zeros(F))
        self.register_buffer("feature_std", torch.ones(F))
        self.register_buffer("normalization_fitted", torch.tensor(False))
        if config.features == "logmag+phase":
            k = torch.arange(F, dtype=torch.float32)
            self.register_buffer("bin_advance", 2 * torch.pi * k * config.hop_length / config.n_fft, persistent=False)
        if config.arch == "crn":
            self.body = _CRN(config, config.input_planes, self.out_channels)
            self.head = None
            with torch.no_grad():  # start near "pass the mixture through" (a small, smooth output layer)
                self.body.out.weight.mul_(0.1)
                self.body.out.bias.zero_()
                if config.mask == "cirm":  # the applied mask is 2a/C: keep its random start small, centred on 1
                    self.body.out.weight.mul_(config.C / 2)
                    self.body.out.bias[0] = config.C / 2
                if config.mask == "polar":  # rotation 0 at the start: the same network as the PSM model
                    self.body.out.weight[1].zero_()
            return
        n_in = F * config.input_planes
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
        if config.mask == "polar":  # rotation 0 at the start: the gain part is the PSM model's output layer
            with torch.no_grad():
                self.head.weight[F:].zero_()
                self.head.bias[F:].zero_()

    # ------------------------------------------------------------------ features

    def feature_planes(self, mixture: torch.Tensor) -> torch.Tensor:
        """Input features ``(batch, planes, freq, frames)`` of a ``(batch, 2, freq, frames)`` STFT (see the
        module docstring): 1 plane for ``"logmag"``, 3 for ``"logmag+phase"`` and ``"compressed"``."""
        mixture = self._check_input(mixture)
        if self.config.features == "compressed":
            re, im, mag = compress_spectrum(mixture[:, 0], mixture[:, 1])
            return torch.stack([mag, re, im], dim=1) / self.feature_std[:, None]
        log_power = torch.log(mixture[:, 0] ** 2 + mixture[:, 1] ** 2 + _LOG_EPS)
        x = (log_power - self.feature_mean[:, None]) / self.feature_std[:, None]
        if self.config.features == "logmag":
            return x[:, None]
        phase = torch.atan2(mixture[:, 1], mixture[:, 0])
        advance = phase[..., 1:] - phase[..., :-1] - self.bin_advance[:, None]
        advance = torch.nn.functional.pad(advance, (1, 0))
        return torch.stack([x, torch.cos(advance), torch.sin(advance)], dim=1)

    def features(self, mixture: torch.Tensor) -> torch.Tensor:
        """Input features flattened to ``(batch, planes * freq, frames)`` (what the MLP and GRU read)."""
        x = self.feature_planes(mixture)
        return x.reshape(x.shape[0], -1, x.shape[-1])

    @torch.no_grad()
    def fit_normalization(self, mixtures: torch.Tensor) -> None:
        r"""Set the per-frequency normalisation from a batch of training mixtures ``(batch, 2, freq, frames)``:
        mean :math:`\mu_k` and deviation :math:`\sigma_k` of the log power, or (``"compressed"``) the RMS of
        :math:`|Y|^{0.3}` at each frequency (one scale for all three planes, so the phase is untouched)."""
        mixtures = self._check_input(mixtures)
        if self.config.features == "compressed":
            _, _, mag = compress_spectrum(mixtures[:, 0], mixtures[:, 1])
            self.feature_mean.zero_()
            self.feature_std.copy_(torch.sqrt((mag ** 2).mean(dim=(0, 2))).clamp_min(1e-3))
        else:
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
        B, F = (mixture.shape[0] if mixture.ndim == 4 else 1), self.config.n_freqs
        if self.config.arch == "crn":
            a = self.body(self.feature_planes(mixture))  # (B, out_channels, F, T)
            a = a[:, 0] if self.out_channels == 1 else a
        else:
            x = self.features(mixture)  # (B, channels, T)
            T = x.shape[2]
            if self.config.arch == "mlp":
                h = self.body(x).transpose(1, 2)  # (B, T, hidden)
            else:
                h, _ = self.body(x.transpose(1, 2))  # (B, T, width)
            a = self.head(h)  # (B, T, F * out_channels)
            a = a.transpose(1, 2) if self.out_channels == 1 else a.reshape(B, T, 2, F).permute(0, 2, 3, 1)
            # one copy to contiguous memory: the mask arithmetic and its gradients on the permuted view made a
            # bounded-cIRM MLP training step 103 ms instead of 78 ms (2 threads)
            a = a.contiguous()
        mask = self.config.mask
        if mask == "mag_mapping":
            return nn.functional.softplus(a)
        if mask == "complex_mapping":
            return a
        if not self.config.is_complex:
            return torch.sigmoid(a)
        if mask == "cirm":
            return self.config.K * torch.tanh(a)
        if mask == "polar":  # gain sigmoid(a0) in 0..1 (the PSM's), rotation pi * tanh(a1) in (-pi, pi)
            gain, rotation = torch.sigmoid(a[:, 0]), torch.pi * torch.tanh(a[:, 1])
            return torch.stack([gain * torch.cos(rotation), gain * torch.sin(rotation)], dim=1)
        radius = torch.sqrt(a[:, 0] ** 2 + a[:, 1] ** 2 + 1e-12)[:, None]
        return a * (torch.tanh(radius) / radius)

    def output_to_mask(self, output: torch.Tensor, mixture: torch.Tensor | None = None) -> torch.Tensor:
        r"""The mask applied to the mixture: the output itself, except for ``"cirm"``, where the compressed
        output is decompressed (:func:`specmask_edu.masks.decompress_mask`, same formula and clipping), and
        for the mapping kinds, whose effective mask :math:`\hat S / Y` needs the ``mixture`` STFT
        ``(batch, 2, freq, frames)`` (real: :math:`|\hat S| / |Y|`; a silent mixture bin gives 0)."""
        mask = self.config.mask
        if self.config.is_mapping:
            if mixture is None:
                raise SpecmaskInputError("A mapping model's mask is Ŝ / Y: pass the mixture STFT too.")
            mixture = self._check_input(mixture)
            energy = mixture[:, 0] ** 2 + mixture[:, 1] ** 2
            inv_p = 1.0 / COMPRESSION
            if mask == "mag_mapping":
                return output.clamp_min(0) ** inv_p / torch.sqrt(energy + 1e-20) * (energy > 1e-20)
            # compressed (r, i) -> S = (r, i) * |c|^(1/p - 1); then S / Y = S * conj(Y) / |Y|^2
            c2 = output[:, 0] ** 2 + output[:, 1] ** 2 + _COMPRESS_EPS
            scale = c2 ** ((inv_p - 1) / 2)
            s_re, s_im = output[:, 0] * scale, output[:, 1] * scale
            denom = energy + 1e-20
            keep = energy > 1e-20
            m_re = (s_re * mixture[:, 0] + s_im * mixture[:, 1]) / denom * keep
            m_im = (s_im * mixture[:, 0] - s_re * mixture[:, 1]) / denom * keep
            return torch.stack([m_re, m_im], dim=1)
        if mask != "cirm":
            return output
        K, C = self.config.K, self.config.C
        limit = float(np.nextafter(np.float32(1.0), np.float32(0.0)))
        return (2.0 / C) * torch.atanh(torch.clamp(output / K, -limit, limit))

    def estimate_spectrum(self, output: torch.Tensor, mixture: torch.Tensor) -> torch.Tensor:
        r"""The estimated target STFT :math:`\hat S` ``(batch, 2, freq, frames)`` from the network output:
        mask times mixture (a real mask scales both parts), or the decompressed mapping output."""
        mixture = self._check_input(mixture)
        if self.config.mask == "complex_mapping":
            c2 = output[:, 0] ** 2 + output[:, 1] ** 2 + _COMPRESS_EPS
            return output * (c2 ** ((1.0 / COMPRESSION - 1) / 2))[:, None]
        if self.config.mask == "mag_mapping":
            energy = mixture[:, 0] ** 2 + mixture[:, 1] ** 2
            gain = output.clamp_min(0) ** (1.0 / COMPRESSION) / torch.sqrt(energy + 1e-20) * (energy > 1e-20)
            return mixture * gain[:, None]
        mask = self.output_to_mask(output)
        if mask.ndim == 4:
            return torch.stack([mask[:, 0] * mixture[:, 0] - mask[:, 1] * mixture[:, 1],
                                mask[:, 0] * mixture[:, 1] + mask[:, 1] * mixture[:, 0]], dim=1)
        return mixture * mask[:, None]

    @property
    def n_parameters(self) -> int:
        """Number of trainable weights."""
        return sum(p.numel() for p in self.parameters() if p.requires_grad)

    def extra_repr(self) -> str:
        c = self.config
        return f"arch={c.arch!r}, mask={c.mask!r}, features={c.features!r}, parameters={self.n_parameters}"


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
