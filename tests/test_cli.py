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


# ---- nothing a user made is overwritten ------------------------------------------------------------------

def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _never_load(*args, **kwargs):
    raise AssertionError("the demo started computing although its output could not be written")


def test_demo_never_replaces_its_input_or_files_it_did_not_make(tmp_path, capsys, monkeypatch):
    rec = tmp_path / "rec"
    rec.mkdir()
    rng = np.random.default_rng(1)
    sf.write(rec / "target.wav", 0.3 * rng.uniform(-1, 1, 48000), 48000, subtype="PCM_24")  # the user's recording
    (rec / "metrics.md").write_text("my notes")
    (rec / "demo.png").write_bytes(b"my picture")
    before = _snapshot(rec)
    monkeypatch.setattr(cli, "load_example", _never_load)
    for extra in ([], ["--overwrite"]):  # the input is never written over, not even with --overwrite
        assert cli.main(["demo", "--input", str(rec / "target.wav"), "--out", str(rec), *extra]) == 2
        assert "your input file" in capsys.readouterr().err
    other = tmp_path / "other.wav"
    sf.write(other, 0.3 * rng.uniform(-1, 1, 16000), 16000)
    assert cli.main(["demo", "--input", str(other), "--out", str(rec)]) == 2
    err = capsys.readouterr().err
    assert "would be replaced" in err and "--overwrite" in err
    assert _snapshot(rec) == before


def test_demo_overwrite_replaces_only_its_own_files(demo, capsys):
    out, _ = demo
    (out / "mine.txt").write_text("keep me")
    before = _snapshot(out)
    assert cli.main(["demo", "--out", str(out), "--no-figure"]) == 2  # a second run needs --overwrite
    assert "would be replaced" in capsys.readouterr().err
    assert _snapshot(out) == before
    assert cli.main(["demo", "--out", str(out), "--no-figure", "--overwrite"]) == 0
    assert (out / "mine.txt").read_text() == "keep me"
    assert (out / "demo.png").read_bytes() == before["demo.png"]  # not made in this run: left alone


def test_demo_checks_the_folder_before_computing(tmp_path, capsys, monkeypatch):
    (tmp_path / "a_file").write_text("x")
    monkeypatch.setattr(cli, "load_example", _never_load)
    assert cli.main(["demo", "--out", str(tmp_path / "a_file")]) == 2
    assert "existing file" in capsys.readouterr().err
    monkeypatch.setattr("specmask_edu._validation.os.access", lambda *a: False)  # as for a read-only folder
    assert cli.main(["demo", "--out", str(tmp_path / "ro")]) == 2
    assert "not writable" in capsys.readouterr().err


def test_html_never_replaces_pages_it_did_not_make(tmp_path, capsys, monkeypatch):
    from pathlib import Path

    notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("my index")
    (out / "00_welcome.html").write_text("my page")
    before = _snapshot(out)

    class Reached(Exception):
        pass

    async def execute_all(*args, **kwargs):  # edition runs it with run_sync: a coroutine function
        raise Reached

    monkeypatch.setattr("specmask_edu.edition._execute_all", execute_all)
    assert cli.main(["html", "--out", str(out), "--dir", str(notebooks)]) == 2
    assert "would be replaced" in capsys.readouterr().err
    assert _snapshot(out) == before
    with pytest.raises(Reached):  # with --overwrite the build goes on to run the lessons
        cli.main(["html", "--out", str(out), "--dir", str(notebooks), "--overwrite"])
    for argv, phrase in ((["--out", str(out / "index.html")], "existing file"), (["--timeout", "nan"], "timeout")):
        assert cli.main(["html", "--dir", str(notebooks), *argv]) == 2  # refused before any lesson runs
        assert phrase in capsys.readouterr().err


def test_lab_fallback_demo_goes_to_a_new_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli._free_folder("demo_output") == "demo_output"
    (tmp_path / "demo_output").mkdir()
    (tmp_path / "demo_output" / "target.wav").write_bytes(b"earlier")
    assert cli._free_folder("demo_output") == "demo_output_2"


def test_demo_applies_masks_as_the_article_does(demo):
    """The article's literal real-mask line, magnitude * mask * exp(j phase), gives what resynthesize gives."""
    from specmask_edu import istft, stft

    _, result = demo
    config = result["config"]
    from specmask_edu.examples import load_example

    target = load_example("speech_female_1")
    mixture, _ = cli.mix_at_snr(target, load_example("babble"), 0.0)
    Y = stft(mixture, config)
    literal = istft(np.abs(Y) * result["masks"]["random_real"] * np.exp(1j * np.angle(Y)), config, length=len(mixture))
    np.testing.assert_allclose(literal, result["estimates"]["random_real"], atol=1e-10)


def test_no_assert_for_input_in_cli():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(cli))
    assert not [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Assert)]
