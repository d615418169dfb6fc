import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from specmask_edu import cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, cli.run_demo(out, make_figure=True)


def test_demo_writes_every_result(demo):
    out, result = demo
    names = {"target", "mixture", *cli.DEMO_MASKS}
    assert {p.stem for p in out.glob("*.wav")} == names
    assert (out / "metrics.md").read_text().startswith("| estimate |")
    assert result["figure"] == out / "demo.png" and result["figure"].stat().st_size > 10_000
    peaks = {}
    for name in names:
        x, sr = sf.read(out / f"{name}.wav")
        assert sr == 16000 and np.all(np.abs(x) <= 1.0)
        peaks[name] = np.max(np.abs(x))
    # one common gain: the masked results are quieter than the mixture, as they really are
    assert peaks["random_real"] < peaks["mixture"]


def test_demo_metrics_tell_the_story(demo):
    _, result = demo
    table = result["table"]
    assert abs(table["mixture"]["SI-SDRi"]) < 1e-9
    assert table["random_real"]["SI-SDRi"] < 0.5
    assert table["random_complex"]["SI-SDRi"] < 0.5
    for oracle in ("ibm", "irm", "psm"):
        assert table[oracle]["SI-SDRi"] > 5
    assert table["cirm"]["SI-SDR"] > 60


def test_demo_uses_the_articles_stft(demo):
    _, result = demo
    assert (result["config"].n_fft, result["config"].hop_length) == (2048, 512)


def test_demo_with_own_wav(tmp_path, capsys):
    rng = np.random.default_rng(0)
    t = np.arange(32000) / 16000
    mine = 0.3 * np.sin(2 * np.pi * 300 * t) * (1 + np.sin(2 * np.pi * 2 * t)) / 2 + 0.01 * rng.standard_normal(32000)
    wav = tmp_path / "mine.wav"
    sf.write(wav, mine, 16000)
    code = cli.main(["demo", "--input", str(wav), "--noise", "pink_noise", "--snr", "5", "--out", str(tmp_path / "o"),
                     "--no-figure"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "| cirm |" in printed and "one gain" in printed
    assert not (tmp_path / "o" / "demo.png").exists()


def test_demo_bad_input_is_explained(tmp_path, capsys):
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    assert cli.main(["demo", "--input", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "Could not read" in capsys.readouterr().err


def test_demo_list(capsys):
    assert cli.main(["demo", "--list"]) == 0
    assert "babble" in capsys.readouterr().out.split()


def test_doctor_reports(capsys):
    problems = cli.doctor()
    text = capsys.readouterr().out
    assert problems == 0, text
    assert "librosa" in text and "audio players" in text and "widget frontend" in text


def test_warmup_runs():
    assert cli.warmup(verbose=False) > 0


def test_lab_without_browser_runs_demo(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "_browser_available", lambda: False)
    monkeypatch.setattr(cli, "find_notebooks_dir", lambda required=True: tmp_path)
    monkeypatch.setattr(cli, "_demo_figure", lambda path, *a, **k: None)
    assert cli.main(["lab"]) == 0
    assert (tmp_path / "demo_output" / "cirm.wav").exists()
    assert "No web browser" in capsys.readouterr().out


def test_console_script_installed():
    out = subprocess.run([sys.executable, "-m", "specmask_edu.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "demo" in out.stdout and "doctor" in out.stdout
