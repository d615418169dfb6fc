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


# ---- Debian's Chromium driven by Playwright (tests/test_browser.py, tests/test_edition.py) ----------------


def require_or_skip(reason: str):
    """Skip locally; fail in CI (CI=true), where a missing tool means a broken setup, not an optional one."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    from _jupyterlab import APT_INSTALL, CHROMIUM

    if not CHROMIUM.exists():
        require_or_skip(f"Chromium not found at {CHROMIUM}; install it with: {APT_INSTALL}")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium):
    from _jupyterlab import CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()
