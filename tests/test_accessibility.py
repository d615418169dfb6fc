"""What a student sees, checked for access: figures under any backend and with a text alternative, a
complex-mask view that does not depend on hue, and (in the browser) axe-core on the HTML edition and on
lessons open in JupyterLab.

* ``plots.show`` keeps every figure when ``MPLBACKEND=Agg`` (where ``plt.show()`` shows nothing) and gives
  each one its alt text (``<img alt>`` in the HTML output, ``alt`` in the image metadata, the text itself as
  plain text);
* the phase colour map of ``plots.plot_magnitude_phase`` (twilight) stays readable under simulated colour
  vision deficiencies, where the hue wheel of ``plot_complex_mask`` collapses;
* axe-core (``axe-playwright-python``, which bundles it) finds no serious or critical violation in the
  course's own content. Rules that fire on JupyterLab's own interface are excluded *by name* with the
  reason (``JUPYTERLAB_UI_RULES``), and the test checks that they really fire only outside the lesson.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from specmask_edu import plots  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "tests" / "_artifacts" / "accessibility"


# --------------------------------------------------------------------------- figures: any backend, alt text


def _image_outputs(nb):
    """(cell source, output) for every output that carries a picture."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if any(k.startswith("image/") for k in data) or "<img" in str(data.get("text/html", "")):
                out.append((cell.source, output))
    return out


def _alt_of(output) -> str:
    """The text alternative of one picture output: the ``alt`` of its ``<img>`` or of its image metadata."""
    data, meta = output.get("data", {}), output.get("metadata", {})
    match = re.search(r'<img\b[^>]*\balt="([^"]*)"', str(data.get("text/html", "")))
    if match:
        return html.unescape(match.group(1))
    for mime in data:
        if mime.startswith("image/") and isinstance(meta.get(mime), dict) and meta[mime].get("alt"):
            return meta[mime]["alt"]
    return ""


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("stem", ["00_welcome", "01_stft_magnitude_phase"])
def test_every_figure_shows_under_agg_with_its_alt_text(stem, tmp_path):
    """Lesson 00 kept 1 of its 7 figures and lesson 01 1 of 5 when the Agg backend was forced: now every
    ``plots.show`` call gives exactly one picture output, and every picture output has a real alt text."""
    import nbformat
    from nbclient import NotebookClient

    path = NOTEBOOKS / f"{stem}.ipynb"
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ, MPLBACKEND="Agg", SPECMASK_FAST="1")
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute(env=env)
    # every plots.show call of the lesson runs once (no figure sits in a branch or a loop); an explorer shown
    # as the last line of its cell (`x.widget`) carries its picture in its own output through the same helper
    # (plots.image_bundle, text/plain "[explorer] <alt text>"), so it counts as one
    explorers = sum(bool(re.search(r"^\w+\.widget\s*\Z", cell.source.strip(), re.M))
                    for cell in nb.cells if cell.cell_type == "code")
    calls = sum(cell.source.count("plots.show(") for cell in nb.cells if cell.cell_type == "code") + explorers
    shown = [o for _, o in _image_outputs(nb)
             if "".join(o.get("data", {}).get("text/plain", "")).startswith(("[figure]", "[explorer]"))]
    assert calls >= 4, f"{stem}: expected the lesson to show its figures with plots.show (found {calls} calls)"
    assert len(shown) == calls, f"{stem}: {calls} plots.show calls but {len(shown)} figures were kept under Agg"
    for src, output in _image_outputs(nb):
        alt = _alt_of(output)
        assert len(alt.split()) >= 5, f"{stem}: a picture without a real alt text ({alt!r}) from the cell:\n{src[:300]}"
        assert output["data"].get("image/png"), f"{stem}: a figure output has no image/png for image-only viewers"


def test_show_displays_once_with_alt_text_and_closes_the_figure(monkeypatch):
    import matplotlib.pyplot as plt

    shown = []
    monkeypatch.setattr(plots.display, "_in_ipython", lambda: True)  # as in a kernel (show lives in plots.display)
    monkeypatch.setattr("IPython.display.display", lambda data, **kw: shown.append((data, kw)))
    fig, ax = plots.get_figure("show-test")
    handle = plots.plot_sweep({"IRM": {0: 1.0, 5: 2.0}}, ax=ax)
    assert plots.show(handle, alt='A line "IRM" rising from 1 to 2 dB <as expected>') is None
    assert "show-test" not in plt.get_figlabels(), "the figure must be closed so the inline backend does not repeat it"
    (data, kw), = shown
    assert kw["raw"] is True
    assert data["image/png"] and data["text/html"].startswith('<img src="data:image/png;base64,' + data["image/png"][:20])
    assert 'alt="A line &quot;IRM&quot; rising from 1 to 2 dB &lt;as expected&gt;"' in data["text/html"]
    assert kw["metadata"]["image/png"]["alt"] == 'A line "IRM" rising from 1 to 2 dB <as expected>'
    assert data["text/plain"].endswith("rising from 1 to 2 dB <as expected>")


def test_show_accepts_figures_axes_and_handles_and_refuses_empty_alt():
    from specmask_edu import SpecmaskInputError

    fig, axes = plots.get_figure(None, 1, 2)
    for obj in (fig, axes, axes[0], plots.plot_color_wheel(axes[1])):
        assert plots._figure_of(obj) is fig
    for bad in ("", "   ", "Figure", "plot.", None):
        with pytest.raises(SpecmaskInputError, match="alt"):
            plots.show(fig, alt=bad)
    with pytest.raises(SpecmaskInputError, match="figure, a plot handle"):
        plots.show("not a figure", alt="a sentence that describes a picture")


def test_show_outside_a_kernel_prints_the_alt_text(capsys):
    fig, ax = plots.get_figure(None)
    ax.plot([0, 1])
    plots.show(fig, alt="A rising straight line from 0 to 1")
    assert capsys.readouterr().out.strip() == "[figure] A rising straight line from 0 to 1"


def test_every_plot_function_returns_a_handle_with_its_figure():
    import specmask_edu as sm

    cfg = sm.STFTConfig()
    M = sm.random_complex_mask((cfg.n_freqs, 20), rng=0)
    handles = {
        "plot_spectrogram": plots.plot_spectrogram(M, 16000, cfg), "plot_mask": plots.plot_mask(np.abs(M), 16000, cfg),
        "plot_complex_mask": plots.plot_complex_mask(M, 16000, cfg), "plot_phase": plots.plot_phase(M, 16000, cfg),
        "plot_magnitude_phase": plots.plot_magnitude_phase(M, 16000, cfg), "plot_color_wheel": plots.plot_color_wheel(),
        "plot_waveforms": plots.plot_waveforms({"target": np.zeros(100)}, 16000),
        "plot_metrics": plots.plot_metrics({"IRM": {"SI-SDR": 3.0}}), "plot_sweep": plots.plot_sweep({"IRM": {0: 1.0, 5: 2.0}}),
    }
    for name, handle in handles.items():
        assert handle.fig is handle.ax.figure, name
    assert {f for f in plots.__all__ if f.startswith("plot_")} == set(handles) == {
        "plot_spectrogram", "plot_mask", "plot_complex_mask", "plot_phase", "plot_magnitude_phase",
        "plot_color_wheel", "plot_waveforms", "plot_metrics", "plot_sweep"}, "a new plot_* needs a check here"


# --------------------------------------------------------------------------- colour: readable without hue

# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
_CVD = {
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def _lab(rgb, matrix=None):
    """CIELAB (D65) of sRGB colours in [0, 1], optionally as seen with a simulated colour-vision deficiency."""
    rgb = np.asarray(rgb, dtype=float)[..., :3]
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    if matrix is not None:
        linear = np.clip(linear @ np.asarray(matrix).T, 0.0, 1.0)
    xyz = linear @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


@pytest.mark.parametrize("cvd", [None, *_CVD])
def test_hue_free_phase_map_reads_by_lightness_under_colour_vision_deficiency(cvd):
    """twilight (the phase map of plot_magnitude_phase): lightness grows with |phase| from 0 to π under
    every simulated deficiency, so the size of a rotation is readable without hue; and +φ / -φ stay
    distinguishable (ΔE ≥ 8) where the hue wheel of complex_to_rgb folds phases a quarter turn apart onto
    nearly the same colour."""
    matrix = _CVD.get(cvd)
    twilight = matplotlib.colormaps["twilight"]
    phase = np.linspace(0.0, np.pi, 17)
    lightness = _lab(twilight((phase + np.pi) / (2 * np.pi)), matrix)[:, 0]
    assert np.all(np.diff(lightness) > 0), f"{cvd}: twilight's lightness is not monotonic in |phase|: {lightness.round()}"
    positive = _lab(twilight((np.linspace(np.pi / 8, 7 * np.pi / 8, 13) + np.pi) / (2 * np.pi)), matrix)
    negative = _lab(twilight((-np.linspace(np.pi / 8, 7 * np.pi / 8, 13) + np.pi) / (2 * np.pi)), matrix)
    assert np.linalg.norm(positive - negative, axis=-1).min() >= 8.0


def test_hue_wheel_collapses_under_deuteranopia_which_is_why_the_hue_free_view_exists():
    p = np.linspace(-np.pi, np.pi, 73)
    a, b = plots.complex_to_rgb(np.exp(1j * p)), plots.complex_to_rgb(np.exp(1j * (p + np.pi / 2)))
    normal = np.linalg.norm(_lab(a) - _lab(b), axis=-1).min()
    deutan = np.linalg.norm(_lab(a, _CVD["deuteranopia"]) - _lab(b, _CVD["deuteranopia"]), axis=-1).min()
    assert deutan < 0.2 * normal, (normal, deutan)


def test_plot_magnitude_phase_shows_both_parts_and_updates():
    import specmask_edu as sm

    cfg = sm.STFTConfig()
    M = 2.0 * np.exp(1j * np.linspace(-3, 3, cfg.n_freqs))[:, None] * np.ones((1, 12))
    handle = plots.plot_magnitude_phase(M, 16000, cfg, max_magnitude=1.0, title="test")
    np.testing.assert_allclose(handle.magnitude.image.get_array(), np.abs(M))
    np.testing.assert_allclose(handle.phase.image.get_array(), np.angle(M))
    assert handle.phase.image.get_cmap().name == "twilight"
    assert handle.magnitude.colorbar.extend == "max", "magnitudes above the range must show a pointed colour bar"
    handle.update(M.conj())
    np.testing.assert_allclose(handle.phase.image.get_array(), -np.angle(M))
    assert "test" in handle.magnitude.ax.get_title() and "∠M" in handle.phase.ax.get_title()


# --------------------------------------------------------------------------------------------------- doctor


def test_doctor_warns_when_the_backend_hides_plt_show(monkeypatch):
    """``MPLBACKEND=Agg`` makes plt.show() silent in every Jupyter kernel: doctor says so instead of
    "All good.", explains what still works (plots.show) and what to do, and does not count it as a problem."""
    import io

    from specmask_edu import cli

    monkeypatch.setenv("MPLBACKEND", "Agg")
    out = io.StringIO()
    problems = cli.doctor(stream=out)
    text = out.getvalue()
    assert "[WARN] MPLBACKEND=Agg" in text and "plt.show() displays nothing" in text and "plots.show" in text
    assert "unset MPLBACKEND" in text and "All good." not in text
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    out = io.StringIO()
    assert cli.doctor(stream=out) == problems
    assert "[WARN] MPLBACKEND" not in out.getvalue()


def test_the_package_ships_the_jupyterlab_setting_that_silences_the_news_pop_up():
    """pyproject installs specmask_edu/_lab/specmask_edu.json into JupyterLab's overrides.d/ (where packages put
    settings defaults), and the file sets what JupyterLab's schema expects."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = project["tool"]["setuptools"]["data-files"]
    assert data_files["share/jupyter/lab/settings/overrides.d"] == ["specmask_edu/_lab/specmask_edu.json"]
    settings = json.loads((REPO / "specmask_edu" / "_lab" / "specmask_edu.json").read_text(encoding="utf-8"))
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}
    schema_file = Path(sys.prefix, "share", "jupyter", "lab", "schemas", "@jupyterlab", "apputils-extension",
                       "notification.json")
    if schema_file.is_file():  # JupyterLab's own schema, where it is installed as usual
        schema = json.loads(schema_file.read_text(encoding="utf-8"))["properties"]
        assert notification["fetchNews"] in [choice["const"] for choice in schema["fetchNews"]["oneOf"]]
        assert notification["fetchNews"] != schema["fetchNews"]["default"], "the default asks (the pop-up)"
        assert schema["checkForUpdates"]["type"] == "boolean"
