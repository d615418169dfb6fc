"""Checks shared by the explorer tests (tests/test_widgets_*.py): what a student sees and hears, and that
driving an explorer for many updates piles nothing up. A helper module, not a test module (like
_jupyterlab.py); the explorers' inputs are fixtures in conftest.py (``pair``, ``stems``)."""

import hashlib
import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

SR = 16000


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
