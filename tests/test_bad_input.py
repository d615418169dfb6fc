"""Bad input, table by table: every row is one wrong value a student, an instructor or an attacker could give,
the error class it must raise and a phrase its message must contain. Nothing may answer with a third-party
exception (a librosa / soundfile / NumPy traceback), and nothing may pass silently.

Tables (add rows to the one that fits; each row is ``(id, call, error class, phrase)``, where ``call`` takes
the shared context ``ctx`` of the ``ctx`` fixture):

- ``API``: the package's functions called with wrong arguments;
- ``FILES``: audio files and uploads (``load_audio``), built by the ``bad_files`` fixture;
- ``CLI``: ``specmask-edu`` command lines (``(id, argv, phrase)``; exit code 2 and the phrase on stderr);
- ``EXPLORERS`` and ``LEARN``: the explorers (``widgets``) and the optional PyTorch part (``learn``), kept
  in their own tables so that each part's owner adds rows there.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import specmask_edu as sm
from specmask_edu import cli, examples, phase, players, synth
from specmask_edu._validation import SpecmaskInputError
from specmask_edu.audio import fit_length, load_audio, mix_at_snr, resample, save_audio
from specmask_edu.edition import build_html_edition
from specmask_edu.masks import oracle_mask
from specmask_edu.separation import resynthesize, sweep

E = SpecmaskInputError
SR = 16000
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    """Shared inputs: a 1 s waveform ``x``, its STFT ``Y``, a target STFT ``S``, a scratch folder ``tmp``."""
    rng = np.random.default_rng(0)
    x = 0.1 * rng.standard_normal(SR)
    s = 0.5 * x + 0.05 * rng.standard_normal(SR)
    tmp = tmp_path_factory.mktemp("bad_input")
    (tmp / "a_file.txt").write_text("not a folder")
    (tmp / "a_folder").mkdir()
    return {"x": x, "s": s, "S": sm.stft(s), "Y": sm.stft(x), "tmp": tmp}


def _x(ctx):
    return ctx["x"]


# ------------------------------------------------------------------------------------------------ API

API = [
    # sample rates: one check everywhere (positive whole number; 16000.0 is fine, True/1.5/NaN/strings are not)
    ("player_table sr=True", lambda c: players.player_table({"a": _x(c)}, sr=True), E, "whole number"),
    ("player_table sr=0", lambda c: players.player_table({"a": _x(c)}, sr=0), E, "positive whole number"),
    ("player_table sr=1.5", lambda c: players.player_table({"a": _x(c)}, sr=1.5), E, "sample rate"),
    ("player_table sr='16000'", lambda c: players.player_table({"a": _x(c)}, sr="16000"), E, "whole number"),
    ("audio sr=-1", lambda c: players.audio(_x(c), sr=-1), E, "positive whole number"),
    ("audio gain=nan", lambda c: players.audio(_x(c), SR, gain=float("nan")), E, "gain"),
    ("group_gain peak=0", lambda c: players.group_gain([_x(c)], peak=0), E, "peak"),
    ("load_example sr=True", lambda c: examples.load_example("hum", sr=True), E, "sr"),
    ("load_example sr=nan", lambda c: examples.load_example("hum", sr=float("nan")), E, "sr"),
    ("load_band sr=0", lambda c: examples.load_band(sr=0), E, "sr"),
    ("white_noise sr=True", lambda c: synth.white_noise(1.0, sr=True), E, "sample rate"),
    ("pink_noise sr=16000.5", lambda c: synth.pink_noise(1.0, sr=16000.5), E, "whole number"),
    ("harmonic_tone n_harmonics=1.5", lambda c: synth.harmonic_tone(200.0, 1.0, n_harmonics=1.5), E, "n_harmonics"),
    ("stoi sr=0", lambda c: sm.stoi(_x(c), _x(c), 0), E, "sr"),
    ("lowpass_mask sr=0", lambda c: sm.lowpass_mask(c["Y"].shape, 0, 1000.0), E, "sample rate"),
    ("lowpass_mask cutoff beyond Nyquist", lambda c: sm.lowpass_mask(c["Y"].shape, SR, 9000.0), E, "sr/2"),
    # waveforms
    ("rms of strings", lambda c: sm.rms(np.array(["a", "b"])), E, "numbers"),
    ("rms of NaN", lambda c: sm.rms(np.array([np.nan, 1.0])), E, "NaN"),
    ("rms of nothing", lambda c: sm.rms(np.array([])), E, "empty"),
    ("rms of booleans", lambda c: sm.rms(np.array([True, False])), E, "boolean"),
    ("rms of a dict", lambda c: sm.rms({"a": 1}), E, "NumPy array"),
    ("rms of stereo", lambda c: sm.rms(np.ones((2, 100))), E, "stereo"),
    ("rms of complex", lambda c: sm.rms(np.ones(100, dtype=complex)), E, "complex"),
    ("peak_normalize peak=0", lambda c: sm.peak_normalize(_x(c), 0), E, "peak"),
    ("peak_normalize peak=2", lambda c: sm.peak_normalize(_x(c), 2), E, "<= 1"),
    ("fit_length 0", lambda c: fit_length(_x(c), 0), E, "n_samples"),
    # STFT
    ("stft of 1e308", lambda c: sm.stft(np.full(4000, 1e308)), E, "overflows"),
    ("stft shorter than a frame", lambda c: sm.stft(np.ones(300)), E, "smaller n_fft"),
    ("stft hop 1 on a long clip", lambda c: sm.stft(np.zeros(100_000), sm.STFTConfig(512, 1)), E, "limit"),
    ("stft config=512", lambda c: sm.stft(_x(c), config=512), E, "STFTConfig"),
    ("STFTConfig n_fft=1024.0", lambda c: sm.STFTConfig(n_fft=1024.0), E, "whole number"),
    ("STFTConfig hop_length=0", lambda c: sm.STFTConfig(hop_length=0), E, "hop_length"),
    ("STFTConfig hop > n_fft", lambda c: sm.STFTConfig(n_fft=256, hop_length=512), E, "hop_length"),
    ("STFTConfig window='nope'", lambda c: sm.STFTConfig(window="nope"), E, "Unknown window"),
    ("istft of a real array", lambda c: sm.istft(np.abs(c["Y"])), E, "complex STFT"),
    ("istft length=0", lambda c: sm.istft(c["Y"], length=0), E, "length"),
    ("istft wrong n_fft", lambda c: sm.istft(c["Y"], sm.STFTConfig(n_fft=1024)), E, "frequency bins"),
    # mixing
    ("mix_at_snr 4000 dB", lambda c: mix_at_snr(c["s"], _x(c), 4000), E, "snr_db"),
    ("mix_at_snr 1e308 dB", lambda c: mix_at_snr(c["s"], _x(c), 1e308), E, "<= 120"),
    ("mix_at_snr -4000 dB", lambda c: mix_at_snr(c["s"], _x(c), -4000), E, ">= -120"),
    ("mix_at_snr NaN", lambda c: mix_at_snr(c["s"], _x(c), float("nan")), E, "finite"),
    ("mix_at_snr '5'", lambda c: mix_at_snr(c["s"], _x(c), "5"), E, "number"),
    ("mix_at_snr silent target", lambda c: mix_at_snr(np.zeros(100), np.ones(100), 0), E, "silent"),
    ("load_mixture snr 4000", lambda c: examples.load_mixture(snr_db=4000), E, "snr_db"),
    ("load_mixture peak=2", lambda c: examples.load_mixture(peak=2.0), E, "peak"),
    ("load_example unknown", lambda c: examples.load_example("nope"), E, "no bundled example"),
    # randomness
    ("random_real_mask rng=-1", lambda c: sm.random_real_mask((4, 4), rng=-1), E, ">= 0"),
    ("random_complex_mask rng=-1", lambda c: sm.random_complex_mask((4, 4), rng=-1), E, ">= 0"),
    ("random_real_mask rng='abc'", lambda c: sm.random_real_mask((4, 4), rng="abc"), E, "rng"),
    ("random_real_mask rng=True", lambda c: sm.random_real_mask((4, 4), rng=True), E, "rng"),
    ("random_real_mask rng=1.5", lambda c: sm.random_real_mask((4, 4), rng=1.5), E, "rng"),
    ("random_real_mask shape (0, 5)", lambda c: sm.random_real_mask((0, 5)), E, "positive sizes"),
    ("white_noise seed=-3", lambda c: synth.white_noise(1.0, seed=-3), E, ">= 0"),
    # masks
    ("oracle_mask ibm beta", lambda c: oracle_mask("ibm", c["S"], c["Y"], beta=0.5), E, "takes only lc_db"),
    ("oracle_mask wiener beta", lambda c: oracle_mask("wiener", c["S"], c["Y"], beta=2), E, "no parameters"),
    ("oracle_mask unknown name", lambda c: oracle_mask("irn", c["S"], c["Y"]), E, "Did you mean 'irm'"),
    ("oracle_mask name=None", lambda c: oracle_mask(None, c["S"], c["Y"]), E, "Unknown mask"),
    ("oracle_mask random_real", lambda c: oracle_mask("random_real", c["S"], c["Y"]), E, "not an oracle"),
    ("ideal_ratio_mask beta=0", lambda c: sm.ideal_ratio_mask(c["S"], c["Y"], beta=0), E, "beta"),
    ("ideal_ratio_mask beta=nan", lambda c: sm.ideal_ratio_mask(c["S"], c["Y"], beta=float("nan")), E, "finite"),
    ("ideal_binary_mask shapes differ", lambda c: sm.ideal_binary_mask(c["S"], c["Y"][:, :3]), E, "shape"),
    ("ideal_binary_mask of a waveform", lambda c: sm.ideal_binary_mask(_x(c), c["Y"]), E, "waveform"),
    ("phase_sensitive_mask truncate=(1, 0)", lambda c: sm.phase_sensitive_mask(c["S"], c["Y"], truncate=(1, 0)),
     E, "low < high"),
    ("hpss_masks kernel 10**6", lambda c: sm.hpss_masks(c["Y"], kernel_size=10**6), E, "the limit is"),
    ("hpss_masks kernel 0", lambda c: sm.hpss_masks(c["Y"], kernel_size=0), E, "kernel_size"),
    ("hpss_masks margin 0.5", lambda c: sm.hpss_masks(c["Y"], margin=0.5), E, "margin"),
    ("compress_mask K=0", lambda c: sm.compress_mask(np.ones((3, 3)), K=0), E, "positive"),
    ("polar_mask negative amplitude", lambda c: sm.polar_mask(-np.ones((2, 2)), np.zeros((2, 2))), E, "negative"),
    ("soft_masks of one STFT", lambda c: sm.soft_masks(c["Y"]), E, "list of STFTs"),
    ("apply_mask NaN mask", lambda c: sm.apply_mask(c["Y"], np.full(c["Y"].shape, np.nan)), E, "NaN"),
    ("apply_mask wrong shape", lambda c: sm.apply_mask(c["Y"], np.ones((3, 3))), E, "shape"),
    ("separate stereo", lambda c: sm.separate(np.ones((2, SR)), np.ones(c["Y"].shape)), E, "stereo"),
    ("resynthesize length=0", lambda c: resynthesize(c["Y"], np.ones(c["Y"].shape), length=0), E, "length"),
    ("sweep make_mask not callable", lambda c: sweep(c["Y"], 3, [1], c["s"]), E, "make_mask"),
    ("oracle_separate lengths differ", lambda c: sm.oracle_separate(c["s"], _x(c)[:100]), E, "same length"),
    # phase
    ("griffin_lim n_iter=-1", lambda c: phase.griffin_lim(np.abs(c["Y"]), n_iter=-1), E, "n_iter"),
    ("griffin_lim momentum=1", lambda c: phase.griffin_lim(np.abs(c["Y"]), momentum=1.0), E, "momentum"),
    ("griffin_lim initial_phase='nope'", lambda c: phase.griffin_lim(np.abs(c["Y"]), initial_phase="nope"),
     E, "initial_phase"),
    ("swap_phases lengths differ", lambda c: phase.swap_phases(_x(c), _x(c)[:9000]), E, "same length"),
    ("quantize_phase levels=-1", lambda c: phase.quantize_phase(np.zeros(3), -1), E, "levels"),
    # metrics
    ("snr lengths differ", lambda c: sm.snr(_x(c)[:100], _x(c)), E, "length"),
    ("si_sdr with NaN", lambda c: sm.si_sdr(np.full(100, np.nan), np.ones(100)), E, "NaN"),
    ("metrics_table of nothing", lambda c: sm.metrics_table({}, _x(c)), E, "non-empty dict"),
    # resampling and saving
    ("resample NaN", lambda c: resample(np.array([np.nan, 1.0]), SR, 8000), E, "NaN"),
    ("resample strings", lambda c: resample(np.array(["a", "b"]), SR, 8000), E, "numbers"),
    ("resample to 0 Hz", lambda c: resample(_x(c), SR, 0), E, "positive whole number"),
    ("resample from 1.5 Hz", lambda c: resample(_x(c), 1.5, SR), E, "orig_sr"),
    ("resample to 1 GHz", lambda c: resample(_x(c), SR, 10**9), E, "above the limit"),
    ("save_audio sr=0", lambda c: save_audio(c["tmp"] / "x.wav", _x(c), 0), E, "positive whole number"),
    ("save_audio .mp3", lambda c: save_audio(c["tmp"] / "x.mp3", _x(c), SR), E, "MP3"),
    ("save_audio unknown ending", lambda c: save_audio(c["tmp"] / "x.xyz", _x(c), SR), E, ".xyz"),
    ("save_audio no ending", lambda c: save_audio(c["tmp"] / "x", _x(c), SR), E, "ending"),
    ("save_audio clipping", lambda c: save_audio(c["tmp"] / "y.wav", 30 * _x(c), SR), E, "peak_normalize"),
    ("save_audio into a folder name", lambda c: save_audio(c["tmp"] / "a_folder.wav", _x(c), SR)
     if (c["tmp"] / "a_folder.wav").mkdir() is None else None, E, "is a folder"),
    ("save_audio subtype PCM_99", lambda c: save_audio(c["tmp"] / "z.wav", _x(c), SR, subtype="PCM_99"), E, "subtype"),
    # the demo and the HTML edition as functions (checked before any work)
    ("run_demo out is a file", lambda c: cli.run_demo(c["tmp"] / "a_file.txt", make_figure=False), E, "existing file"),
    ("run_demo seed=-1", lambda c: cli.run_demo(c["tmp"] / "d1", seed=-1, make_figure=False), E, "seed"),
    ("run_demo snr 4000", lambda c: cli.run_demo(c["tmp"] / "d2", snr_db=4000, make_figure=False), E, "snr_db"),
    ("run_demo hop_length=1", lambda c: cli.run_demo(c["tmp"] / "d3", hop_length=1, make_figure=False), E, "limit"),
    ("build_html_edition out is a file",
     lambda c: build_html_edition(c["tmp"] / "a_file.txt", notebooks=NOTEBOOKS, log=None), E, "existing file"),
    ("build_html_edition timeout=nan",
     lambda c: build_html_edition(c["tmp"] / "h", notebooks=NOTEBOOKS, timeout=float("nan"), log=None), E, "timeout"),
]


# ------------------------------------------------------------------------------------------------ FILES


def _flac(channels, sr, seconds):
    """Silence as FLAC bytes, written in blocks (a small file that decodes to frames x channels samples)."""
    buf = io.BytesIO()
    block = np.zeros((sr, channels), dtype=np.int16)
    with sf.SoundFile(buf, "w", samplerate=sr, channels=channels, format="FLAC", subtype="PCM_16") as f:
        for _ in range(int(seconds)):
            f.write(block)
    return buf.getvalue()


def _wav(x, sr, subtype="PCM_16"):
    buf = io.BytesIO()
    sf.write(buf, x, sr, format="WAV", subtype=subtype)
    return buf.getvalue()


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad_files")
    files = {
        "text.wav": b"this is not audio",
        "garbage.flac": bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8)),
        "empty.wav": b"",
        "bomb_8ch_384k.flac": _flac(8, 384000, 4),  # 12.3 M decoded samples from a few kB
        "long_8k.flac": _flac(1, 8000, 130),  # 130 s: over the 120 s cap
        "nan_16k.wav": _wav(np.array([0.1, np.nan, 0.2] * 1000), 16000, "FLOAT"),
        "nan_44k.wav": _wav(np.array([0.1, np.nan, 0.2] * 1000), 44100, "FLOAT"),
        "header_only.wav": _wav(np.zeros(100), 16000)[:44],
    }
    paths = {}
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths[name] = folder / name
    paths["folder"] = folder
    return paths


FILES = [
    ("text file named .wav", lambda f: load_audio(f["text.wav"]), E, "Could not read"),
    ("random bytes", lambda f: load_audio(f["garbage.flac"].read_bytes()), E, "Could not read"),
    ("empty file", lambda f: load_audio(f["empty.wav"]), E, "Could not read"),
    ("empty bytes", lambda f: load_audio(b""), E, "0 bytes"),
    ("no such file", lambda f: load_audio(f["folder"] / "nope.wav"), E, "No file"),
    ("a folder", lambda f: load_audio(f["folder"]), E, "is a folder"),
    ("8 channels at 384 kHz (path)", lambda f: load_audio(f["bomb_8ch_384k.flac"]), E, "decoded samples"),
    ("8 channels at 384 kHz (bytes)", lambda f: load_audio(f["bomb_8ch_384k.flac"].read_bytes()), E, "decoded samples"),
    ("8 channels at 384 kHz (upload)",
     lambda f: load_audio({"name": "b.flac", "content": f["bomb_8ch_384k.flac"].read_bytes()}), E, "the upload 'b.flac'"),
    ("8 channels at 384 kHz (ipywidgets 7 upload)",
     lambda f: load_audio({"b.flac": {"content": f["bomb_8ch_384k.flac"].read_bytes(), "metadata": {}}}),
     E, "decoded samples"),
    ("130 s clip", lambda f: load_audio(f["long_8k.flac"]), E, "the limit is 120 s"),
    ("NaN in a float WAV at 16 kHz", lambda f: load_audio(f["nan_16k.wav"]), E, "NaN"),
    ("NaN in a float WAV at 44.1 kHz", lambda f: load_audio(f["nan_44k.wav"]), E, "NaN"),
    ("WAV header without samples", lambda f: load_audio(f["header_only.wav"]), E, "no samples"),
    ("sr=1.5", lambda f: load_audio(f["nan_16k.wav"], sr=1.5), E, "whole number"),
    ("sr=0", lambda f: load_audio(f["nan_16k.wav"], sr=0), E, "positive whole number"),
    ("max_duration=nan", lambda f: load_audio(f["long_8k.flac"], max_duration=float("nan")), E, "max_duration"),
    ("max_duration=-1", lambda f: load_audio(f["long_8k.flac"], max_duration=-1), E, "max_duration"),
    ("two files in an ipywidgets 7 upload", lambda f: load_audio({"a.wav": {"content": b"1"}, "b.wav": {"content": b"2"}}),
     E, "one at a time"),
    ("two files in an upload tuple", lambda f: load_audio(({"content": b"1"}, {"content": b"2"})), E, "one at a time"),
    ("empty upload", lambda f: load_audio(()), E, "empty"),
    ("a dict that is not an upload", lambda f: load_audio({"a": 1}), E, "not an upload"),
    ("upload content is text", lambda f: load_audio({"name": "a.wav", "content": "abc"}), E, "content must be bytes"),
    ("source is a number", lambda f: load_audio(42), E, "file path or the bytes"),
]


# ------------------------------------------------------------------------------------------------ CLI

CLI = [
    ("demo --snr 4000", ["demo", "--snr", "4000"], "snr_db"),
    ("demo --snr 1e308", ["demo", "--snr", "1e308"], "snr_db"),
    ("demo --snr -4000", ["demo", "--snr", "-4000"], "snr_db"),
    ("demo --snr nan", ["demo", "--snr", "nan"], "finite"),
    ("demo --seed -1", ["demo", "--seed", "-1"], "seed"),
    ("demo --hop-length 1", ["demo", "--hop-length", "1", "--no-figure"], "limit"),
    ("demo --hop-length 0", ["demo", "--hop-length", "0"], "hop_length"),
    ("demo --n-fft 0", ["demo", "--n-fft", "0"], "n_fft"),
    ("demo --out <existing file>", ["demo", "--out", "{tmp}/a_file.txt"], "existing file"),
    ("demo --input missing", ["demo", "--input", "{tmp}/nope.wav", "--no-figure"], "No file"),
    ("demo --input a folder", ["demo", "--input", "{tmp}/a_folder", "--no-figure"], "is a folder"),
    ("demo --input not audio", ["demo", "--input", "{tmp}/a_file.txt", "--no-figure"], "Could not read"),
    ("demo --speech unknown", ["demo", "--speech", "nobody", "--no-figure"], "no bundled example"),
    ("demo --noise unknown", ["demo", "--noise", "rain", "--no-figure"], "no bundled example"),
    ("html --out <existing file>", ["html", "--out", "{tmp}/a_file.txt"], "existing file"),
    ("html --timeout nan", ["html", "--timeout", "nan"], "timeout"),
    ("html --timeout -1", ["html", "--timeout", "-1"], "timeout"),
    ("html --dir missing", ["html", "--dir", "{tmp}/nope"], "not a folder"),
]

# ------------------------------------------------------------------------------------------------ EXPLORERS, LEARN
# Rows as in API: (id, call taking ctx, error class, phrase). The owners of widgets/ and learn/ fill these in.

def _w(ctx):
    """The explorers (loaded on first use) and a 1 s target + interference pair."""
    return sm.widgets, ctx["s"], ctx["x"]


EXPLORERS: list = [
    ("MaskExplorer sr=0", lambda c: _w(c)[0].MaskExplorer(*_w(c)[1:], sr=0), E, "positive whole number"),
    ("MaskExplorer sr=True", lambda c: _w(c)[0].MaskExplorer(*_w(c)[1:], sr=True), E, "whole number"),
    ("MaskExplorer sr=1.5", lambda c: _w(c)[0].MaskExplorer(*_w(c)[1:], sr=1.5), E, "sample rate"),
    ("MaskExplorer unknown parameter", lambda c: _w(c)[0].MaskExplorer(*_w(c)[1:], colour="red"), E,
     "Unknown parameter"),
    ("MaskExplorer mask=array(['IRM'])", lambda c: _w(c)[0].MaskExplorer(*_w(c)[1:], mask=np.array(["IRM"])), E,
     "must be one of"),
    ("MaskExplorer snr_db=99", lambda c: _w(c)[0].MaskExplorer(*_w(c)[1:], snr_db=99), E, "between"),
    ("MaskExplorer seed=-1", lambda c: _w(c)[0].MaskExplorer(*_w(c)[1:], seed=-1), E, "seed"),
    ("MaskExplorer stereo interference", lambda c: _w(c)[0].MaskExplorer(c["s"], np.stack([c["x"], c["x"]])), E,
     "to_mono"),
    ("MaskExplorer.from_example 3 clips", lambda c: _w(c)[0].MaskExplorer.from_example("a", "b", "c"), E, "at most 2"),
    ("PhaseExplorer phase='imaginary'", lambda c: _w(c)[0].PhaseExplorer(*_w(c)[1:], phase="imaginary"), E,
     "must be one of"),
    ("GriffinLimExplorer momentum=nan", lambda c: _w(c)[0].GriffinLimExplorer(c["s"], momentum=math.nan), E,
     "momentum"),
    ("ComplexMaskExplorer phase_levels=3", lambda c: _w(c)[0].ComplexMaskExplorer(*_w(c)[1:], phase_levels=3), E,
     "must be one of"),
    ("CompressionExplorer K=nan", lambda c: _w(c)[0].CompressionExplorer(*_w(c)[1:], K=math.nan), E, "finite"),
    ("STFTExplorer n_fft=1000", lambda c: _w(c)[0].STFTExplorer(c["x"], n_fft=1000), E, "must be one of"),
    ("STFTExplorer clip shorter than a frame", lambda c: _w(c)[0].STFTExplorer(c["x"][:100]), E, "at least 4096"),
    ("MixingConsoleExplorer one stem", lambda c: _w(c)[0].MixingConsoleExplorer({"a": c["x"]}), E, "at least two"),
    ("MixingConsoleExplorer mute='yes'", lambda c: _w(c)[0].MixingConsoleExplorer({"a": c["x"], "b": c["s"]},
                                                                                  mute_a="yes"), E, "True or False"),
    ("HPSSExplorer kernel_size=17.5", lambda c: _w(c)[0].HPSSExplorer(*_w(c)[1:], kernel_size=17.5), E,
     "must be one of"),
    ("ScaleExplorer silent estimate", lambda c: _w(c)[0].ScaleExplorer({"s": np.zeros(SR)}, c["s"]), E, "silent"),
    ("ScaleExplorer estimate too short", lambda c: _w(c)[0].ScaleExplorer({"s": c["x"][:100]}, c["s"]), E,
     "same length"),
    ("ScaleExplorer estimates not a dict", lambda c: _w(c)[0].ScaleExplorer([c["x"]], c["s"]), E, "dict"),
]
def _l():
    """specmask_edu.learn, or skip the row where PyTorch is not installed (lessons 00-06 do not need it)."""
    pytest.importorskip("torch", reason="needs PyTorch (the [learn] extra)")
    from specmask_edu import learn

    return learn


def _ckpt(ctx, name, change):
    """A checkpoint of a tiny model, edited by ``change(checkpoint)``, saved as ``ctx["tmp"] / name``."""
    import torch

    learn = _l()
    path = learn.save_model(learn.build_model(arch="gru", mask="psm", hidden=8), ctx["tmp"] / name)
    checkpoint = torch.load(path, weights_only=True)
    torch.save(change(checkpoint), path)
    return path


LEARN: list = [
    ("TrainConfig grad_clip=-1", lambda c: _l().TrainConfig(grad_clip=-1.0), E, "backwards"),
    ("TrainConfig lr=0", lambda c: _l().TrainConfig(lr=0.0), E, "`lr`"),
    ("TrainConfig lr=nan", lambda c: _l().TrainConfig(lr=math.nan), E, "`lr`"),
    ("TrainConfig weight_decay=-1", lambda c: _l().TrainConfig(weight_decay=-1.0), E, "weight_decay"),
    ("TrainConfig epochs=2.5", lambda c: _l().TrainConfig(epochs=2.5), E, "epochs"),
    ("TrainConfig epochs='3'", lambda c: _l().TrainConfig(epochs="3"), E, "epochs"),
    ("TrainConfig.fast seed=-1", lambda c: _l().TrainConfig.fast(seed=-1), E, "seed"),
    ("TrainConfig loss=3", lambda c: _l().TrainConfig(loss=3), E, "loss"),
    ("ModelConfig channels=0", lambda c: _l().ModelConfig(arch="crn", channels=0), E, "channels"),
    ("ModelConfig K='x'", lambda c: _l().ModelConfig(K="x"), E, "`K`"),
    ("save_model to a folder", lambda c: _l().save_model(_l().build_model(hidden=8), c["tmp"]), E, "folder"),
    ("load_model config does not fit the weights",
     lambda c: _l().load_model(_ckpt(c, "wrong.pt", lambda k: dict(k, config=dict(k["config"], hidden=12)))), E,
     "do not fit"),
    ("load_model without state_dict",
     lambda c: _l().load_model(_ckpt(c, "nostate.pt", lambda k: {x: v for x, v in k.items() if x != "state_dict"})),
     E, "state_dict"),
    ("load_pretrained unknown name", lambda c: _l().load_pretrained("gpt5"), E, "No pretrained model"),
]


def _check(call, arg, error, phrase):
    try:
        result = call(arg)
    except Exception as err:  # noqa: BLE001 - the point is to see which type escapes
        assert type(err).__module__.split(".")[0] in ("specmask_edu", "builtins"), (
            f"a third-party exception escaped: {type(err).__module__}.{type(err).__name__}: {err}"
        )
        assert isinstance(err, error), f"expected {error.__name__}, got {type(err).__name__}: {err}"
        assert phrase in str(err), f"{phrase!r} not in the message: {err}"
        return
    pytest.fail(f"no error; returned {type(result).__name__} (a silent wrong result)")


@pytest.mark.parametrize("row", API, ids=[r[0] for r in API])
def test_api(row, ctx):
    _, call, error, phrase = row
    _check(call, ctx, error, phrase)


@pytest.mark.parametrize("row", FILES, ids=[r[0] for r in FILES])
def test_files(row, bad_files):
    _, call, error, phrase = row
    _check(call, bad_files, error, phrase)


@pytest.mark.parametrize("row", CLI, ids=[r[0] for r in CLI])
def test_cli(row, ctx, capsys, monkeypatch):
    _, argv, phrase = row
    out = ctx["tmp"] / "cli_out"

    async def no_execution(*args, **kwargs):  # edition runs it with run_sync: a coroutine function
        raise AssertionError("a lesson was executed although the arguments were bad")

    monkeypatch.setattr("specmask_edu.edition._execute_all", no_execution)
    argv = [a.format(tmp=ctx["tmp"]) for a in argv]
    if "--out" not in argv and argv[0] == "demo":
        argv += ["--out", str(out / argv[-1].strip("-").replace("/", "_"))]
    if "--out" not in argv and argv[0] == "html":
        argv += ["--out", str(out / "html")]
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 2, f"exit code {code}; stderr: {err}"
    assert phrase in err and "Traceback" not in err, err


@pytest.mark.parametrize("row", EXPLORERS + LEARN, ids=[r[0] for r in EXPLORERS + LEARN])
def test_explorers_and_learn(row, ctx):
    _, call, error, phrase = row
    _check(call, ctx, error, phrase)


def test_the_tables_are_large_enough():
    counts = {"api": len(API), "files": len(FILES), "cli": len(CLI), "explorers": len(EXPLORERS), "learn": len(LEARN)}
    assert sum(counts.values()) >= 80, counts
    ids = [r[0] for r in API + FILES + CLI + EXPLORERS + LEARN]
    assert len(ids) == len(set(ids)), "row ids must be unique"


# ------------------------------------------------------------------------------------------------ one sr rule


SR_TAKERS = {
    "player_table": lambda sr: players.player_table({"a": np.zeros(100)}, sr=sr).sr,
    "audio": lambda sr: sf.info(io.BytesIO(players.audio(np.zeros(100), sr).data)).samplerate,
    "load_example": lambda sr: examples.load_example("hum", sr=sr).size,
    "white_noise": lambda sr: synth.white_noise(0.01, sr=sr).size,
    "save_audio": lambda sr: sf.info(str(save_audio(Path(_SCRATCH[0]) / "sr.wav", np.zeros(100), sr))).samplerate,
    "resample": lambda sr: resample(np.zeros(160), SR, sr).size,
    "lowpass_mask": lambda sr: sm.lowpass_mask((257, 3), sr, 1000.0).sum(),
}
_SCRATCH: list = []


@pytest.mark.parametrize("name", sorted(SR_TAKERS))
def test_sr_is_checked_one_way_everywhere(name, tmp_path):
    """16000.0 is the same as 16000 in every function; True, 0, -1, 1.5, NaN and "16000" are refused by all."""
    _SCRATCH[:] = [tmp_path]
    take = SR_TAKERS[name]
    assert take(16000.0) == take(16000) == take(np.int64(16000))
    for bad in (True, 0, -16000, 1.5, math.nan, math.inf, "16000", None):
        with pytest.raises(SpecmaskInputError, match="sr"):
            take(bad)


def test_int64_arrays_are_numbers_and_pcm_is_scaled():
    assert sm.rms([1, -1, 1, -1]) == 1.0
    assert sm.rms(np.array([3, -3], dtype=np.int64)) == 3.0
    assert sm.rms(np.array([16384, -16384], dtype=np.int16)) == 0.5  # int16 PCM from a decoder: full scale 32768
