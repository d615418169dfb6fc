r"""Pictures of masks: real masks (:func:`plot_mask`, :func:`gain_colormap`), complex masks as colour
(:func:`complex_to_rgb`, :func:`plot_complex_mask`, the legend :func:`plot_color_wheel`) and the hue-free
view of a complex mask (:func:`plot_magnitude_phase`).

Real masks are taught in ``notebooks/02_real_masks.ipynb``, complex ones in
``notebooks/04_complex_masks.ipynb``. Part of :mod:`specmask_edu.plots`.
"""

from __future__ import annotations

import numpy as np

from .._validation import SpecmaskInputError
from ..stft import STFTConfig, _as_config
from ._figure import AxesHandle, _new_axes, get_figure
from .spectrograms import SpectrogramHandle, _as_2d, _extent, _label_tf, plot_phase


# --------------------------------------------------------------------------- real masks


def gain_colormap(vmax: float = 2.0, name: str = "viridis"):
    """Colour map for gains in ``[0, vmax]``: ``name`` (viridis) from 0 to 1, then yellow to dark red above 1.

    With it, masks that only attenuate (IBM, IRM, Wiener, PSM in [0, 1]) look as usual, and the bins where
    a mask *amplifies* (an IAM above 1, where target and interference cancelled) stand out in red.
    """
    import matplotlib
    from matplotlib.colors import LinearSegmentedColormap, ListedColormap

    vmax = float(vmax)
    if vmax <= 1.0:
        return matplotlib.colormaps[name]
    n_low = 256
    n_high = max(2, int(round(256 * (vmax - 1.0))))
    low = matplotlib.colormaps[name](np.linspace(0.0, 1.0, n_low))
    ramp = LinearSegmentedColormap.from_list("amplify", [low[-1][:3], "#f46d43", "#a50026"])
    high = ramp(np.linspace(0.0, 1.0, n_high + 1)[1:])
    return ListedColormap(np.vstack([low, high]), name=f"gain_{name}_{vmax:g}")


def plot_mask(mask, sr: float = 16000, config: STFTConfig | None = None, ax=None, title: str | None = None,
              vmin: float = 0.0, vmax: float = 1.0, fmax: float | None = None, colorbar: bool = True,
              cmap=None) -> SpectrogramHandle:
    """A real-valued mask as an image with a fixed colour range (default [0, 1]) and a colour bar.

    Values outside ``[vmin, vmax]`` (an IAM above 1, a raw PSM below 0) are shown in the end colours and
    the colour bar gets a pointed end. With ``vmax > 1`` (e.g. 2 for an IAM) the default colour map is
    :func:`gain_colormap`: viridis up to 1, red above. For complex masks use :func:`plot_complex_mask`.
    """
    config = _as_config(config)
    M = _as_2d(mask, "mask")
    if np.iscomplexobj(M):
        raise SpecmaskInputError(
            "This mask is complex: plot_mask shows real-valued masks. Use plot_complex_mask(mask, sr, config) "
            "(colour = phase, brightness = magnitude), or plot np.abs(mask) here."
        )

    def transform(data, cfg):
        return np.asarray(data, dtype=np.float64)

    M = transform(M, config)
    if cmap is None:
        cmap = gain_colormap(vmax) if vmin >= 0 and vmax > 1 else "viridis"
    fig, ax = _new_axes(ax, None, (8, 3.2))
    image = ax.imshow(M, origin="lower", aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax,
                      extent=_extent(M.shape, sr, config), interpolation="nearest", interpolation_stage="data")
    cb = None
    if colorbar:
        extend = {(False, False): "neither", (True, False): "min", (False, True): "max", (True, True): "both"}
        cb = fig.colorbar(image, ax=ax, label="mask value", pad=0.01,
                          extend=extend[(bool(np.min(M) < vmin), bool(np.max(M) > vmax))])
    _label_tf(ax, fmax, sr, title)
    return SpectrogramHandle(ax, image, cb, transform, sr, config)


# --------------------------------------------------------------------------- complex masks as colour


def complex_to_rgb(M, max_magnitude: float = 1.0) -> np.ndarray:
    r"""Colour of each complex value: hue = phase, brightness = magnitude (HSV to RGB).

    .. math:: h = \frac{\angle M}{2\pi} \bmod 1, \quad s = 1, \quad v = \min\!\left(\frac{|M|}{M_{max}}, 1\right)

    So phase 0 (no rotation) is red, π/2 yellow-green, ±π cyan, -π/2 blue-violet (the hue circle
    closes, like the phase); a zero gain is black and a gain of ``max_magnitude`` or more is fully bright.

    Returns
    -------
    ndarray of float (..., 3) in [0, 1]
    """
    M = np.asarray(M)
    if max_magnitude <= 0:
        raise SpecmaskInputError(f"`max_magnitude` must be positive, got {max_magnitude}.")
    return np.moveaxis(_rgb_planes(M, max_magnitude), 0, -1).astype(np.float64)


def _rgb_planes(M, max_magnitude):
    """:func:`complex_to_rgb` as three contiguous float32 planes (3, ...): the fast path for redraws."""
    # single precision is plenty for a colour (8 bits per channel on screen) and halves the work
    shape = M.shape
    Z = (M.astype(np.complex64) if np.iscomplexobj(M) else M.astype(np.float32)).reshape(-1)
    hue6 = np.angle(Z).astype(np.float32)
    hue6 *= np.float32(3.0 / np.pi)  # phase in sixths of a turn, -3..3
    np.add(hue6, np.float32(6.0), out=hue6, where=hue6 < 0)  # 0..6 (a masked add: np.mod is 10x slower)
    value = np.abs(Z).astype(np.float32)
    value *= np.float32(1.0 / float(max_magnitude))
    np.clip(value, 0.0, 1.0, out=value)
    # HSV -> RGB with full saturation, in closed form (matplotlib's hsv_to_rgb, ~5x faster):
    # red = clip(|h - 3| - 1), green = clip(2 - |h - 2|), blue = clip(2 - |h - 4|), times the brightness
    planes = np.empty((3, Z.size), dtype=np.float32)
    for out, (sign, centre, offset) in zip(planes, ((1.0, 3.0, -1.0), (-1.0, 2.0, 2.0), (-1.0, 4.0, 2.0))):
        np.subtract(hue6, np.float32(centre), out=out)
        np.abs(out, out=out)
        if sign < 0:
            np.negative(out, out=out)
        out += np.float32(offset)
        np.clip(out, 0.0, 1.0, out=out)
        out *= value
    return planes.reshape((3,) + shape)


def plot_color_wheel(ax=None, max_magnitude: float = 1.0, resolution: int = 101) -> AxesHandle:
    """Draw the legend of :func:`complex_to_rgb` into ``ax``: angle = phase, distance from centre = magnitude.

    The wheel is read by hue; :func:`plot_magnitude_phase` shows the same information without hue.
    Returns an :class:`AxesHandle` (``.ax``, ``.fig``, ``.artists`` = the wheel image).
    """
    if ax is None:
        _, ax = get_figure(None, figsize=(2.4, 2.4))
    r = np.linspace(-1.0, 1.0, resolution)
    re, im = np.meshgrid(r, r)
    z = (re + 1j * im) * max_magnitude
    rgb = complex_to_rgb(z, max_magnitude)
    alpha = (np.abs(re + 1j * im) <= 1.0).astype(float)
    wheel = ax.imshow(np.dstack([rgb, alpha]), origin="lower", extent=(-1, 1, -1, 1), interpolation="bilinear")
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.45, 1.45)
    ax.set_aspect("equal")
    ax.set_axis_off()
    for angle, label in ((0, "0"), (np.pi / 2, "π/2"), (np.pi, "±π"), (-np.pi / 2, "-π/2")):
        ax.text(1.25 * np.cos(angle), 1.25 * np.sin(angle), label, ha="center", va="center", fontsize=7)
    ax.set_title(f"phase (hue)\n|M| 0→{max_magnitude:g} (centre→rim)", fontsize=7)
    return AxesHandle(ax, [wheel])


class ComplexMaskHandle(SpectrogramHandle):
    """Handle of :func:`plot_complex_mask` (``.wheel`` is the colour-wheel legend's axes)."""

    wheel = None


def plot_complex_mask(mask, sr: float = 16000, config: STFTConfig | None = None, ax=None, title: str | None = None,
                      max_magnitude: float = 1.0, fmax: float | None = None, legend: bool = True) -> ComplexMaskHandle:
    r"""A complex mask (or any complex array) as colour: hue = phase, brightness = magnitude.

    Each bin's colour comes from :func:`complex_to_rgb`: the phase :math:`\angle M` picks the hue
    (red = 0, cyan = ±π), :math:`|M|/M_{max}` the brightness (black = 0).
    ``legend=True`` adds a colour wheel next to the image. Taught in ``notebooks/04_complex_masks.ipynb``.

    Parameters
    ----------
    mask : complex ndarray (freq, frames)
    max_magnitude : float
        Magnitude shown at full brightness (larger values saturate), default 1.
    """
    config = _as_config(config)
    M = _as_2d(mask, "mask")

    def transform(data, cfg):  # 8-bit RGB: what Agg draws anyway, and much cheaper to resample
        planes = _rgb_planes(np.asarray(data), max_magnitude)
        planes *= np.float32(255.0)
        planes += np.float32(0.5)
        return np.ascontiguousarray(np.moveaxis(planes.astype(np.uint8), 0, -1))

    fig, ax = _new_axes(ax, None, (8, 3.2))
    image = ax.imshow(transform(M, config), origin="lower", aspect="auto",
                      extent=_extent(M.shape, sr, config), interpolation="nearest", interpolation_stage="data")
    _label_tf(ax, fmax, sr, title)
    handle = ComplexMaskHandle(ax, image, None, transform, sr, config)
    if legend:
        wheel = ax.inset_axes([1.01, 0.05, 0.16, 0.9])
        plot_color_wheel(wheel, max_magnitude)
        handle.wheel = wheel
    return handle


# --------------------------------------------------------------------------- complex masks without hue


class MagnitudePhaseHandle:
    """What :func:`plot_magnitude_phase` returns: ``.magnitude`` and ``.phase`` (two
    :class:`SpectrogramHandle`), ``.axes``, ``.fig`` and ``update(mask)``."""

    def __init__(self, magnitude, phase):
        self.magnitude = magnitude
        self.phase = phase
        self.axes = [magnitude.ax, phase.ax]
        self.ax = magnitude.ax
        self.fig = magnitude.fig

    @property
    def artists(self) -> list:
        return self.magnitude.artists + self.phase.artists

    def update(self, mask, config: STFTConfig | None = None):
        """Show a new complex mask (same shape rules as :meth:`SpectrogramHandle.update`)."""
        M = _as_2d(mask, "mask")
        self.magnitude.update(np.abs(M), config)
        self.phase.update(np.angle(M), config)
        return self


def plot_magnitude_phase(mask, sr: float = 16000, config: STFTConfig | None = None, axes=None,
                         title: str | None = None, max_magnitude: float = 1.0, fmax: float | None = None,
                         cmap_magnitude: str = "viridis", cmap_phase: str = "twilight") -> MagnitudePhaseHandle:
    r"""A complex mask without hue: its magnitude :math:`|M|` and its phase :math:`\angle M` side by side.

    The hue-free companion of :func:`plot_complex_mask`, for readers who cannot tell hues apart
    (simulated deuteranopia folds the colour wheel into yellow and blue) and for grey-scale print:

    * left, :math:`|M|` on ``viridis`` from 0 to ``max_magnitude`` (dark = removed, bright = kept);
      larger values show in the end colour and the colour bar gets a pointed end;
    * right, :math:`\angle M` in radians on ``twilight``, a perceptually uniform cyclic map whose
      *lightness* alone tells how far the mask rotates: dark = no rotation (0), light = half a turn (±π);
      the sign is blue (negative) against red-brown (positive), a contrast that red-green colour vision
      deficiencies keep.

    Taught in ``notebooks/04_complex_masks.ipynb`` next to the colour-wheel picture.

    Parameters
    ----------
    mask : complex ndarray (freq, frames)
    axes : two Axes, optional
        Where to draw magnitude and phase; default a new figure with two panels.
    max_magnitude : float
        Top of the magnitude colour range (default 1).

    Returns
    -------
    MagnitudePhaseHandle
    """
    config = _as_config(config)
    M = _as_2d(mask, "mask")
    if max_magnitude <= 0:
        raise SpecmaskInputError(f"`max_magnitude` must be positive, got {max_magnitude}.")
    if axes is None:
        _, axes = get_figure(None, 1, 2, figsize=(12, 3.4))
    axes = list(np.ravel(axes))
    if len(axes) != 2:
        raise SpecmaskInputError(f"`axes` must be two axes (magnitude, phase), got {len(axes)}.")
    prefix = f"{title}: " if title else ""
    magnitude = plot_mask(np.abs(M), sr, config, ax=axes[0], vmin=0.0, vmax=float(max_magnitude), fmax=fmax,
                          title=f"{prefix}magnitude |M|", cmap=cmap_magnitude)
    if magnitude.colorbar is not None:
        magnitude.colorbar.set_label("|M| (gain)")
    phase = plot_phase(np.angle(M), sr, config, ax=axes[1], fmax=fmax, cmap=cmap_phase,
                       title=f"{prefix}phase ∠M (dark = 0, light = ±π)")
    if phase.colorbar is not None:
        phase.colorbar.set_ticks([-np.pi, -np.pi / 2, 0, np.pi / 2, np.pi], labels=["-π", "-π/2", "0", "π/2", "π"])
    return MagnitudePhaseHandle(magnitude, phase)
