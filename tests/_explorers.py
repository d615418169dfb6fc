"""Checks shared by the explorer tests (tests/test_widgets_*.py): what a student sees and hears, and that
driving an explorer for many updates piles nothing up. A helper module, not a test module (like
_jupyterlab.py); the explorers' inputs are fixtures in conftest.py (``pair``, ``stems``), and ``BUILD`` / ``STUCK``
build every explorer on them and give each a bad and a good value."""

import hashlib
import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from specmask_edu import widgets  # noqa: E402

SR = 16000


# Small inputs for every explorer (a GL target of 0.5 s keeps its 100-iteration checkpoints quick).
BUILD = {
    "STFTExplorer": lambda p, s: widgets.STFTExplorer(p[0], SR),
    "MaskExplorer": lambda p, s: widgets.MaskExplorer(*p, sr=SR),
    "PhaseExplorer": lambda p, s: widgets.PhaseExplorer(*p, sr=SR),
    "GriffinLimExplorer": lambda p, s: widgets.GriffinLimExplorer(p[0][: SR // 2], p[1][: SR // 2], sr=SR),
    "ComplexMaskExplorer": lambda p, s: widgets.ComplexMaskExplorer(*p, sr=SR),
    "CompressionExplorer": lambda p, s: widgets.CompressionExplorer(*p, sr=SR),
    "MixingConsoleExplorer": lambda p, s: widgets.MixingConsoleExplorer({k: v[:SR] for k, v in s.items()}, sr=SR),
    "HPSSExplorer": lambda p, s: widgets.HPSSExplorer((s["bass"] + s["chords"])[:SR], s["drums"][:SR], sr=SR),
    "ScaleExplorer": lambda p, s: widgets.ScaleExplorer({"a": p[0] + 0.2 * p[1], "b": 0.5 * p[0]}, p[0], sr=SR,
                                                        zoom=(0.2, 0.25)),
}

# A bad value for every explorer, and a good one that changes what a student sees and hears.
STUCK = {
    "STFTExplorer": ({"n_fft": 1000}, {"n_fft": 256}),
    "MaskExplorer": ({"mask": np.array(["IRM"])}, {"mask": "IBM"}),
    "PhaseExplorer": ({"phase": "imaginary"}, {"phase": "zero"}),
    "GriffinLimExplorer": ({"n_iter": 3}, {"n_iter": 20}),
    "ComplexMaskExplorer": ({"phase_levels": 3}, {"phase_levels": 4}),
    "CompressionExplorer": ({"K": float("nan")}, {"K": 5.0}),
    "MixingConsoleExplorer": ({"mute_bass": "yes"}, {"mute_bass": True}),
    "HPSSExplorer": ({"kernel_size": 17.5}, {"margin": 2.0}),
    "ScaleExplorer": ({"gain_db": np.array([1.0, 2.0])}, {"gain_db": 6.0}),
}


def digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def state(explorer):
    """What a student sees and hears: the picture, the player HTML and the clips."""
    return (digest(explorer.image.value), digest(explorer.players_html.value.encode()),
            {k: v.copy() for k, v in explorer.signals().items()})


def assert_changed(before, after, audio=True):
    assert before[0] != after[0], "the figure did not change"
    if audio:
        assert before[1] != after[1], "the players did not change"
        changed = any(k not in before[2] or before[2][k].shape != v.shape or not np.allclose(before[2][k], v)
                      for k, v in after[2].items())
        assert changed, "no clip changed"


def assert_same(before, after):
    """Nothing a student sees or hears changed."""
    assert before[0] == after[0] and before[1] == after[1]
    assert before[2].keys() == after[2].keys()
    for k, v in after[2].items():
        np.testing.assert_array_equal(before[2][k], v)


def image_artists(explorer):
    return [im for ax in explorer.fig.axes for im in ax.images]


def drive(explorer, settings, n_updates=200):
    """Cycle through ``settings`` for ``n_updates`` updates; the figure count and artists stay put."""
    fignums = len(plt.get_fignums())
    images = image_artists(explorer)
    n_axes = len(explorer.fig.axes)
    n_children = sum(len(ax.get_children()) for ax in explorer.fig.axes)
    for params in itertools.islice(itertools.cycle(settings), n_updates):
        explorer.update(**params)
    assert len(plt.get_fignums()) == fignums
    assert image_artists(explorer) == images            # same artists, updated in place
    assert len(explorer.fig.axes) == n_axes
    assert sum(len(ax.get_children()) for ax in explorer.fig.axes) == n_children
    assert explorer.last_timing["total"] > 0


def show_static_outputs(explorer):
    """What ``explorer.show_static()`` displays, as the list of published MIME bundles."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    outputs = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: outputs.append(data)
    try:
        explorer.show_static()
    finally:
        InteractiveShell.clear_instance()
    return outputs
