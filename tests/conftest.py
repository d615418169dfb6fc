import os

# One BLAS thread: on a loaded 2-core machine multithreaded OpenBLAS makes small dot products ~100x
# slower. Set before NumPy is imported here; notebook kernels started by the tests inherit it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import hypothesis  # noqa: F401  (imported up front: its plugin imports it at session end otherwise,
#                   which trips a CPython 3.11 AST bug after the edition tests' event loops)
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture
def noisy_pair(rng):
    """A harmonic 'target' and a white-noise interference, 1 s at 16 kHz."""
    sr = 16000
    t = np.arange(sr) / sr
    target = 0.3 * sum(np.sin(2 * np.pi * 220 * k * t) / k for k in range(1, 6)) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))
    interference = 0.1 * rng.standard_normal(sr)
    return target, interference
