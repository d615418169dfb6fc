"""The ``specmask-edu`` command.

``specmask-edu demo``    the source article's pipeline (random real and complex masks) plus the oracle IBM,
                         IRM, PSM and cIRM on a bundled mixture or your own WAV; writes WAVs, a PNG figure
                         and prints a metrics table.
``specmask-edu lab``     opens JupyterLab on the lessons (runs the demo instead where there is no browser).
``specmask-edu warmup``  does librosa's one-time numba compilation now, so a student's first cell is fast.
``specmask-edu doctor``  reports versions and whether audio playback and widgets will work.
``specmask-edu html``    builds the static HTML edition of the lessons (executed; figures and players embedded).
``specmask-edu lessons`` copies the lessons that ship with the package to a folder (never overwrites).
``specmask-edu assign``  builds the Otter-Grader assignments: student notebooks and autograder.
``specmask-edu slides``  builds executed reveal.js slide decks of the lessons.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from . import masks, phase
from ._defaults import DEFAULT_SR
from ._validation import SpecmaskInputError, as_rng, check_number, check_output_files, check_sr
from .audio import MAX_SNR_DB, load_audio, mix_at_snr, resample, save_audio
from .edition import build_html_edition, find_notebooks_dir
from .examples import list_examples, load_example
from .metrics import format_table, metrics_table
from .players import group_gain
from .separation import resynthesize
from .stft import STFTConfig, istft, stft

__all__ = ["main", "run_demo", "warmup", "doctor", "find_notebooks_dir", "demo_files"]

#: Masks of the demo, in the order of the article's script followed by the oracles.
DEMO_MASKS = ("random_real", "random_complex", "ibm", "irm", "psm", "cirm")


def demo_files(make_figure: bool = True) -> list[str]:
    """The names of the files :func:`run_demo` writes into its output folder."""
    names = [f"{name}.wav" for name in ("target", "mixture", *DEMO_MASKS)] + ["metrics.md"]
    return names + (["demo.png"] if make_figure else [])


def run_demo(out_dir="demo_output", input_path=None, speech="speech_female_1", noise="babble",
             snr_db: float = 0.0, n_fft: int = 2048, hop_length: int = 512, seed: int = 0,
             sr: int = DEFAULT_SR, make_figure: bool = True, overwrite: bool = False) -> dict:
    """Rebuild the source article's pipeline and compare it with oracle masks.

    1. Load a target (a bundled speech clip, or ``input_path``) and mix it with a bundled noise at
       ``snr_db`` (the oracle masks need to know the clean target, so a user's WAV is taken as the
       target and the noise is added to it).
    2. STFT with the article's librosa defaults (``n_fft=2048``, ``hop_length=512``).
    3. A random real mask on the magnitude, kept mixture phase; a random complex mask ``A·e^{jφ}`` on the
       complex STFT — exactly as the article's script — plus the oracle IBM, IRM, PSM and cIRM.
    4. Inverse STFT, one WAV per result (all scaled by one common gain so levels compare), a PNG
       figure of waveforms and spectrograms, and a metrics table.

    Every argument, and the output folder, is checked before any work is done: the files of
    :func:`demo_files` must not exist in ``out_dir`` yet unless ``overwrite=True``, and ``input_path`` is
    never written over.

    Returns a dict with ``estimates``, ``table`` (metrics rows), ``gain``, ``files`` and ``figure``.
    """
    snr_db = check_number(snr_db, "snr_db", low=-MAX_SNR_DB, high=MAX_SNR_DB, unit="dB",
                          hint="-10 to 20 dB are usual.")
    rng = as_rng(seed, "seed")
    sr = check_sr(sr)
    config = STFTConfig(n_fft=n_fft, hop_length=hop_length)
    out = check_output_files(out_dir, demo_files(make_figure), overwrite=overwrite, protect=[input_path])
    target = load_audio(input_path, sr=sr) if input_path else load_example(speech, sr=sr)
    noise_signal = load_example(noise, sr=sr)
    mixture, interference = mix_at_snr(target, noise_signal, snr_db)

    S, Y = stft(target, config), stft(mixture, config)
    magnitude = np.abs(Y)
    mask_values = {
        # The article: real_mask = np.random.rand(*magnitude.shape); magnitude * real_mask * exp(j*phase)
        "random_real": masks.random_real_mask(magnitude.shape, rng=rng),
        # The article: A = rand, phi = rand * 2*pi, D * (A * exp(j*phi))
        "random_complex": masks.random_complex_mask(magnitude.shape, rng=rng),
        "ibm": masks.ideal_binary_mask(S, Y),
        "irm": masks.ideal_ratio_mask(S, Y),
        "psm": masks.phase_sensitive_mask(S, Y),
        "cirm": masks.complex_ideal_ratio_mask(S, Y),
    }
    # resynthesize applies a real mask as the article's magnitude * real_mask * exp(j*phase) does (the same
    # product M * Y, computed without the detour through magnitude and phase; tests/test_cli.py checks it).
    estimates = {name: resynthesize(Y, m, config, length=len(mixture)) for name, m in mask_values.items()}

    signals = {"target": target, "mixture": mixture, **estimates}
    gain = group_gain(signals)
    files = {name: save_audio(out / f"{name}.wav", gain * x, sr) for name, x in signals.items()}

    table = metrics_table({"mixture": mixture, **estimates}, target, mixture=mixture, sr=sr,
                          interference=interference)
    (out / "metrics.md").write_text(format_table(table) + "\n", encoding="utf-8")
    figure_path = None
    if make_figure:
        figure_path = _demo_figure(out / "demo.png", signals, config, sr)
    return {"estimates": estimates, "table": table, "gain": gain, "files": files, "figure": figure_path,
            "config": config, "sr": sr, "masks": mask_values}


DEMO_TITLES = {
    "target": "clean target",
    "mixture": "mixture (input)",
    "random_real": "random real mask (the article's np.random.rand on |Y|)",
    "random_complex": "random complex mask (the article's A·exp(jφ))",
    "ibm": f"oracle {masks.mask_label('ibm')}",
    "irm": f"oracle {masks.mask_label('irm')} (β = 0.5)",
    "psm": f"oracle {masks.mask_label('psm')} (truncated to [0, 1])",
    "cirm": f"oracle {masks.mask_label('cirm')} = S / Y",
}


def _demo_figure(path, signals, config, sr):
    """One row per signal: waveform (at true level, shared axis) and spectrogram (shared dB range)."""
    from . import plots  # matplotlib: loaded only when a figure is drawn

    fig, axes = plots.get_figure(None, len(signals), 2, figsize=(13, 1.75 * len(signals)), managed=False,
                                 gridspec_kw={"width_ratios": [1, 1.35]}, squeeze=False)
    peak = max(float(np.max(np.abs(x))) for x in signals.values())
    for row, (name, x) in enumerate(signals.items()):
        label = DEMO_TITLES.get(name, name)
        color = {"target": "#1f77b4", "mixture": "#7f7f7f"}.get(name, "#d62728")
        plots.plot_waveforms({label: x}, sr=sr, ax=axes[row, 0], ylim=(-1.05 * peak, 1.05 * peak), legend=False,
                             colors={label: color})
        axes[row, 0].set_title(label, fontsize=9, loc="left")
        plots.plot_spectrogram(stft(x, config), sr=sr, config=config, ax=axes[row, 1], title=label,
                               colorbar=True)
        axes[row, 1].title.set_fontsize(9)
        if row < len(signals) - 1:
            axes[row, 0].set_xlabel("")
            axes[row, 1].set_xlabel("")
    fig.savefig(path, dpi=80)
    return Path(path)


def warmup(verbose: bool = True) -> float:
    """Run every librosa code path the lessons use once, so numba compiles them now (10–20 s the
    first time in a fresh environment, cached on disk afterwards). Returns the seconds it took."""
    start = time.perf_counter()
    rng = np.random.default_rng(0)
    x = rng.standard_normal(16000) * 0.1
    for n_fft in (256, 512, 1024, 2048):
        config = STFTConfig(n_fft=n_fft, hop_length=n_fft // 4)
        istft(stft(x, config), config, length=len(x))
    resample(x, 16000, 22050)
    resample(x, 44100, 16000)
    phase.griffin_lim(np.abs(stft(x)), n_iter=2, length=len(x))
    import librosa

    X = stft(x)
    librosa.decompose.hpss(np.abs(X))
    librosa.amplitude_to_db(np.abs(X))
    seconds = time.perf_counter() - start
    if verbose:
        print(f"librosa is warmed up ({seconds:.1f} s).")
    return seconds


def _version(module_name):
    try:
        module = importlib.import_module(module_name)
    except Exception as err:  # noqa: BLE001 - report any import failure to the student
        return None, f"{type(err).__name__}: {err}"
    return getattr(module, "__version__", "installed"), None


def _lesson_07_status() -> str:
    """Whether lesson 07 is ready (PyTorch importable) and, if not, the command that makes it so on this
    computer (from specmask_edu.learn's MissingPyTorchError: the CPU build on Linux without a GPU)."""
    try:
        import specmask_edu.learn as learn
    except ImportError as err:  # MissingPyTorchError carries the advice for this platform
        advice = getattr(err, "advice", None)
        if not advice:
            return f"not ready ({type(err).__name__}: {err})"
        if not advice.get("command"):
            return f"not ready: {advice['why']}"
        return f"not ready, PyTorch is missing. To make it ready, run: {advice['command']}  ({advice['why']})"
    except Exception as err:  # noqa: BLE001 - a broken PyTorch install is reported, not raised
        return f"not ready ({type(err).__name__}: {err})"
    return f"ready (PyTorch {learn.require_torch()}, {len(learn.list_pretrained())} pretrained models)"


def doctor(stream=None) -> int:
    """Print what is installed and whether players and widgets will work; return the number of problems."""
    stream = stream or sys.stdout
    problems = 0

    def line(ok, what, detail=""):
        nonlocal problems
        mark = "OK  " if ok else "PROBLEM"
        if not ok:
            problems += 1
        print(f"[{mark}] {what}{': ' + detail if detail else ''}", file=stream)

    print(f"Python {sys.version.split()[0]} on {sys.platform}", file=stream)
    line(sys.version_info >= (3, 10), "Python 3.10 or newer")
    for name in ("numpy", "scipy", "librosa", "soundfile", "matplotlib", "ipywidgets", "IPython",
                 "ipykernel", "jupyterlab", "pystoi"):
        version, err = _version(name)
        line(err is None, name, version if err is None else f"{err} -> pip install -e .")
    version, err = _version("jupyterlab_widgets")
    line(err is None, "widget frontend for JupyterLab/Notebook 7 (jupyterlab_widgets)",
         version if err is None else "missing: pip install 'ipywidgets>=8.1' so sliders render")
    print(f"[info] lesson 07 (PyTorch): {_lesson_07_status()}", file=stream)
    try:
        from IPython.display import Audio

        tone = 0.5 * np.sin(2 * np.pi * 440 * np.arange(1600) / 16000)
        html = Audio(tone, rate=16000, normalize=False)._repr_html_()
        line("<audio" in html, "audio players (IPython.display.Audio at true level)")
    except Exception as err:  # noqa: BLE001
        line(False, "audio players", f"{type(err).__name__}: {err}")
    try:
        import soundfile as sf

        buf = io.BytesIO()
        sf.write(buf, np.zeros(160), 16000, format="FLAC")
        line(True, "reading and writing WAV/FLAC (libsndfile)", sf.__libsndfile_version__)
    except Exception as err:  # noqa: BLE001
        line(False, "reading and writing audio files", f"{err}")
    try:
        names = list_examples()
        line(len(names) > 0, "bundled example clips", f"{len(names)} clips")
    except Exception as err:  # noqa: BLE001
        line(False, "bundled example clips", f"{err}")
    nb = find_notebooks_dir(required=False)
    print(f"[info] lessons folder: {nb if nb else 'not found (clone the repository to get notebooks/)'}", file=stream)
    warnings = _backend_warning(stream)
    if problems:
        print(f"{problems} problem(s) found; see the advice above.", file=stream)
    else:
        print("All good." if not warnings else "No problems; read the warning above.", file=stream)
    return problems


#: matplotlib backends that draw into files only: under them ``plt.show()`` displays nothing.
_FILE_BACKENDS = {"agg", "pdf", "ps", "svg", "pgf", "cairo", "template"}


def _backend_warning(stream) -> int:
    """Warn (1) when MPLBACKEND names a non-interactive backend: Jupyter kernels inherit it, so a student's own
    ``plt.show()`` shows nothing there. The lessons are not affected: ``plots.show`` renders the PNG itself."""
    backend = os.environ.get("MPLBACKEND", "").strip()
    if backend.lower() not in _FILE_BACKENDS:
        print("[info] figures: the lessons show them with plots.show(fig, alt=...), which works under any "
              "matplotlib backend", file=stream)
        return 0
    print(f"[WARN] MPLBACKEND={backend} is set in this environment. Jupyter kernels inherit it, and under a "
          f"non-interactive backend plt.show() displays nothing. The lessons still show every figure (they use "
          f"plots.show, which works under any backend), but plt.show() in your own cells will not. Unless you "
          f"need it, remove it (`unset MPLBACKEND`, and from your shell profile) before starting Jupyter.",
          file=stream)
    return 1


def _browser_available() -> bool:
    import webbrowser

    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


def _print_demo(result, out_dir):
    print(format_table(result["table"]))
    print(f"\nAll WAVs share one gain ({result['gain']:.3f}) so their levels compare.")
    print(f"Wrote {len(result['files'])} WAV files" + (", demo.png" if result["figure"] else "")
          + f" and metrics.md to {Path(out_dir).resolve()}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="specmask-edu", description="Audio separation with real and complex masks.")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="run the source article's pipeline plus oracle masks, write WAVs and a figure")
    demo.add_argument("--out", default="demo_output", help="output folder (default: demo_output)")
    demo.add_argument("--input", default=None, help="your own WAV/FLAC: used as the clean target, noise is added")
    demo.add_argument("--speech", default="speech_female_1", help="bundled speech clip (see --list)")
    demo.add_argument("--noise", default="babble", help="bundled noise clip (default: babble)")
    demo.add_argument("--snr", type=float, default=0.0, help="input SNR in dB (default 0)")
    demo.add_argument("--n-fft", type=int, default=2048, help="STFT frame length (article: 2048)")
    demo.add_argument("--hop-length", type=int, default=512, help="STFT hop (article: 512)")
    demo.add_argument("--seed", type=int, default=0, help="seed of the random masks (a whole number >= 0)")
    demo.add_argument("--no-figure", action="store_true", help="skip the PNG figure")
    demo.add_argument("--overwrite", action="store_true",
                      help="replace result files (WAVs, metrics.md, demo.png) already in --out (never --input)")
    demo.add_argument("--list", action="store_true", help="list the bundled clips and exit")

    lab = sub.add_parser("lab", help="open JupyterLab on the lessons")
    lab.add_argument("--dir", default=None, help="lessons folder (default: ./notebooks)")
    lab.add_argument("--no-browser", action="store_true", help="start the server without opening a browser")

    sub.add_parser("warmup", help="compile librosa's numba code now so the first lesson cell is fast")
    sub.add_parser("doctor", help="check the installation")

    html_cmd = sub.add_parser("html", help="build the static HTML edition of the lessons (see specmask_edu/edition/)")
    html_cmd.add_argument("--out", default="html", help="output folder (default: html)")
    html_cmd.add_argument("--dir", default=None, help="lessons folder (default: ./notebooks)")
    html_cmd.add_argument("--timeout", type=float, default=600, help="seconds one cell may run (default 600)")
    html_cmd.add_argument("--overwrite", action="store_true", help="replace index.html and NN_*.html already in --out")

    # Course tools: lessons (specmask_edu/lessons.py), assign (assign.py), slides (slides.py).
    lessons_cmd = sub.add_parser("lessons", help="copy the lessons that came with the package to a folder of yours")
    lessons_cmd.add_argument("dir", nargs="?", default="specmask_lessons", help="folder (default: specmask_lessons)")
    assign_cmd = sub.add_parser("assign", help="build the Otter-Grader assignments (student notebooks + autograder)")
    assign_cmd.add_argument("out", help="output folder (a new or empty folder)")
    assign_cmd.add_argument("--only", nargs="*", default=None, help="assignment names (default: all)")
    slides_cmd = sub.add_parser("slides", help="build executed reveal.js slide decks of the lessons")
    slides_cmd.add_argument("--out", default="slides", help="output folder (default: slides)")
    slides_cmd.add_argument("--dir", default=None, help="lessons folder (default: ./notebooks)")
    slides_cmd.add_argument("--only", nargs="*", default=None, help="lesson numbers, e.g. 02 04 (default: all)")

    args, extra = parser.parse_known_args(argv)
    if args.command != "lab" and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return _run(args, extra)
    except SpecmaskInputError as err:
        print(f"specmask-edu: {err}", file=sys.stderr)
        return 2


def _course_command(args) -> int:
    """``lessons``, ``assign`` and ``slides``: the course tools (see INSTRUCTORS.md)."""
    if args.command == "lessons":
        from .lessons import copy_lessons, format_copy_report

        print(format_copy_report(copy_lessons(args.dir), args.dir))
        return 0
    if args.command == "assign":
        from .assign import build_assignments

        build_assignments(args.out, names=args.only)
        return 0
    from .slides import build_slides

    build_slides(args.out, notebooks=args.dir, only=args.only)
    return 0


def _free_folder(base: str) -> str:
    """``base``, or ``base_2``, ``base_3``... : the first that does not exist or holds none of the demo's files."""
    candidate, i = base, 1
    while any((Path(candidate) / name).exists() for name in demo_files()) or Path(candidate).is_file():
        i += 1
        candidate = f"{base}_{i}"
    return candidate


def _run(args, extra) -> int:
    """Run one parsed command; input errors propagate as SpecmaskInputError (``main`` prints them)."""
    if args.command == "demo":
        if args.list:
            print("\n".join(list_examples()))
            return 0
        result = run_demo(args.out, input_path=args.input, speech=args.speech, noise=args.noise,
                          snr_db=args.snr, n_fft=args.n_fft, hop_length=args.hop_length, seed=args.seed,
                          make_figure=not args.no_figure, overwrite=args.overwrite)
        _print_demo(result, args.out)
        return 0
    if args.command == "warmup":
        warmup()
        return 0
    if args.command == "html":
        build_html_edition(args.out, notebooks=args.dir, timeout=args.timeout, overwrite=args.overwrite)
        print(f"Open {(Path(args.out) / 'index.html').resolve()} in a browser.")
        return 0
    if args.command == "doctor":
        return 1 if doctor() else 0
    if args.command in ("lessons", "assign", "slides"):
        return _course_command(args)
    if args.command == "lab":
        from .lessons import lab_server_args, lessons_folder_for_lab

        # Outside a clone (no notebooks/ folder), open the student's copy of the packaged lessons.
        folder = Path(args.dir) if args.dir else (find_notebooks_dir(required=False) or lessons_folder_for_lab())
        if not args.no_browser and not _browser_available():
            print("No web browser found on this machine, so here is the demo instead:\n")
            out = _free_folder("demo_output")  # a new folder: never replaces an earlier demo's files
            result = run_demo(out)
            _print_demo(result, out)
            print("\nTo use the lessons from another computer: specmask-edu lab --no-browser")
            return 0
        start = folder / "00_welcome.ipynb"
        cmd = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={folder}"]
        if args.no_browser:
            cmd.append("--no-browser")
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        if start.exists():
            cmd.append(f"--LabApp.default_url=/lab/tree/{start.name}")
        cmd += lab_server_args()  # uploads of recordings up to two minutes (websocket message limit)
        cmd += extra
        return subprocess.call(cmd)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
