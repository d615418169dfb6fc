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


# ---- the exercises' data and verdicts (tests/test_exercises_*.py) ------------------------------------------


@pytest.fixture(scope="session")
def lesson():
    """The variables the exercises of lessons 00-03 refer to, as the notebooks define them."""
    import specmask_edu as sm

    sr = 16000
    mix = sm.load_mixture("speech_female_1", "babble", snr_db=0.0, sr=sr)
    config = sm.STFTConfig()
    x = sm.load_example("speech_female_1", sr=sr)
    X = sm.stft(x, config)
    target, mixture = mix["target"], mix["mixture"]
    S, Y = sm.stft(target, config), sm.stft(mixture, config)
    magnitude, phase = sm.magnitude_phase(X)
    x_real = sm.istft(sm.apply_mask(X, sm.random_real_mask(X.shape, rng=0)), config, length=len(x))
    return dict(sm=sm, np=np, sr=sr, config=config, x=x, X=X, x_real=x_real, magnitude=magnitude, phase=phase,
                target=target, mixture=mixture, S=S, Y=Y)


@pytest.fixture(scope="session")
def speech():
    """1.5 s of speech + babble at 0 dB and their STFTs (lessons 04 and 06)."""
    import specmask_edu as sm

    mix = sm.load_mixture("speech_female_1", "babble", snr_db=0, duration=1.5)
    config = sm.STFTConfig()
    S, Y = sm.stft(mix["target"], config), sm.stft(mix["mixture"], config)
    return mix["target"], mix["mixture"], S, Y, config


@pytest.fixture(scope="session")
def band():
    """The synthetic band (2 s), its STFTs and soft-mask estimates (lesson 05)."""
    import specmask_edu as sm

    stems = sm.synth.band(duration=2.0, sr=16000, seed=1)
    config = sm.STFTConfig(n_fft=2048, hop_length=512)
    mixture = sum(stems.values())
    sources = [sm.stft(x, config) for x in stems.values()]
    estimates = {name: sm.separate(mixture, M, config) for name, M in zip(stems, sm.soft_masks(sources))}
    return stems, mixture, sources, estimates, config


# ---- the explorers' inputs (tests/test_widgets_*.py; their check helpers are in tests/_explorers.py) -------


@pytest.fixture(scope="session")
def pair():
    """1.2 s of harmonic 'speech-like' target and noise (short, so 200 explorer updates stay quick)."""
    sr = 16000
    generator = np.random.default_rng(7)
    n = int(1.2 * sr)
    t = np.arange(n) / sr
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 2.5 * t) ** 2
    target = 0.3 * envelope * sum(np.sin(2 * np.pi * 180 * k * t + k) / k for k in range(1, 8))
    noise = 0.2 * generator.standard_normal(n)
    return target, noise


@pytest.fixture(scope="session")
def stems():
    """A 2.5 s band from the synthesiser (the bundled band is the same generator, 5 s)."""
    import specmask_edu as sm

    return sm.synth.band(duration=2.5, sr=16000, seed=3)


class _Verdict:
    """Assertions on a CheckResult: ``right(result)``, ``wrong(result, *phrases)``, ``solution(id, **names)``."""

    @staticmethod
    def right(result):
        assert result.passed and result.status == "passed", str(result)
        assert not result.wrong and result.right
        assert "well done" in str(result)
        return result

    @staticmethod
    def wrong(result, *fragments):
        assert result.status == "wrong" and not result.passed and not result, str(result)
        text = str(result)
        for fragment in fragments:
            assert fragment.lower() in text.lower(), f"{fragment!r} not in feedback:\n{text}"
        assert result.hint, "a wrong answer always gets a hint"
        html = result._repr_html_()
        assert "✘" in html and "Hint" in html
        return result

    @staticmethod
    def solution(exercise_id, **namespace):
        """Run the registered reference solution in a namespace and return that namespace."""
        import specmask_edu as sm
        from specmask_edu import exercises

        namespace = {"np": np, "sm": sm, **namespace}
        exec(exercises.SOLUTIONS[exercise_id], namespace)  # noqa: S102 - our own reference code
        return namespace


@pytest.fixture(scope="session")
def verdict():
    return _Verdict()


@pytest.fixture
def cell_history(monkeypatch):
    """Pretend to be a notebook: ``cell_history(["my_irm = sm.irm(S, Y)"])`` sets IPython's input history
    that the exercises read to find a forbidden shortcut."""
    from specmask_edu.exercises import framework

    def set_history(cells):
        monkeypatch.setattr(framework, "_input_history", lambda: list(cells))

    set_history([])
    return set_history


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
