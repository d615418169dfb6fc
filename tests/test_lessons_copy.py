"""The lessons ship with the package: copying them never overwrites a student's work, ``specmask-edu lab``
outside a clone opens the copy with the raised upload limit, and a wheel built from the repository carries
the lessons (installed into a fresh virtual environment, lesson 00 runs from the copied folder)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from specmask_edu import cli, lessons

ROOT = Path(__file__).resolve().parents[1]
REPO_LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_bundled_lessons_are_the_repository_lessons_in_a_clone():
    assert [p.name for p in lessons.bundled_lessons()] == [p.name for p in REPO_LESSONS]


def test_copy_then_rerun_keeps_everything(tmp_path):
    dest = tmp_path / "mine"
    first = lessons.copy_lessons(dest)
    assert [r.status for r in first] == ["copied"] * len(REPO_LESSONS)
    for src in REPO_LESSONS:
        assert (dest / src.name).read_bytes() == src.read_bytes()
    again = lessons.copy_lessons(dest)
    assert {r.status for r in again} == {"unchanged"}
    assert sorted(p.name for p in dest.iterdir()) == sorted(p.name for p in REPO_LESSONS)


def test_running_a_lesson_is_not_editing_it(tmp_path):
    lessons.copy_lessons(tmp_path)
    path = tmp_path / REPO_LESSONS[0].name
    nb = nbformat.read(str(path), as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.execution_count = 3
    code.outputs = [nbformat.v4.new_output("stream", text="ran\n")]
    nbformat.write(nb, str(path))
    result = {r.lesson: r.status for r in lessons.copy_lessons(tmp_path)}
    assert result[path.name] == "unchanged"
    assert "ran" in path.read_text(encoding="utf-8"), "the student's outputs must stay"


def test_an_edited_copy_is_kept_and_the_update_written_alongside(tmp_path, capsys):
    lessons.copy_lessons(tmp_path)
    path = tmp_path / REPO_LESSONS[2].name
    nb = nbformat.read(str(path), as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("my notes"))
    nbformat.write(nb, str(path))
    mine = path.read_bytes()

    assert cli.main(["lessons", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    updated = tmp_path / f"{path.stem}.updated.ipynb"
    assert path.read_bytes() == mine, "the student's edited lesson was overwritten"
    assert updated.read_bytes() == REPO_LESSONS[2].read_bytes()
    assert path.name in out and updated.name in out and "kept" in out

    # Again: the same update is already there, nothing new is written.
    again = {r.lesson: r for r in lessons.copy_lessons(tmp_path)}
    assert again[path.name].status == "updated-alongside" and again[path.name].path == updated
    # A student who edited the .updated file too keeps it; the next update goes to .updated-2.
    updated.write_text(updated.read_text(encoding="utf-8").replace("my notes", "x"), encoding="utf-8")
    updated.write_bytes(updated.read_bytes() + b"\n")
    third = {r.lesson: r for r in lessons.copy_lessons(tmp_path)}
    assert third[path.name].path.name == f"{path.stem}.updated-2.ipynb"


def test_a_file_in_the_way_is_an_error(tmp_path):
    target = tmp_path / "lessons"
    target.write_text("not a folder")
    with pytest.raises(lessons.SpecmaskInputError, match="is a file"):
        lessons.copy_lessons(target)


def test_lab_outside_a_clone_opens_the_copy_with_the_upload_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "find_notebooks_dir", lambda required=True: None)   # no notebooks/: not a clone
    monkeypatch.setattr(cli, "_browser_available", lambda: True)
    monkeypatch.delenv(lessons.UPLOAD_LIMIT_ENV, raising=False)
    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda cmd, **kw: calls.append(cmd) or 0)
    assert cli.main(["lab", "--no-browser"]) == 0
    cmd = calls[0]
    folder = tmp_path / lessons.DEFAULT_LESSONS_DIR
    assert f"--notebook-dir={folder.resolve()}" in cmd
    assert (folder / "00_welcome.ipynb").is_file()
    setting = next(a for a in cmd if a.startswith("--ServerApp.tornado_settings="))
    assert json.loads(setting.split("=", 1)[1]) == {"websocket_max_message_size": lessons.LAB_WEBSOCKET_MAX_MESSAGE_BYTES}
    assert os.environ[lessons.UPLOAD_LIMIT_ENV] == str(lessons.LAB_WEBSOCKET_MAX_MESSAGE_BYTES)


def test_the_server_takes_the_setting_as_an_integer():
    """The option string is parsed by the Jupyter server into an int (tornado compares it with a length)."""
    from jupyter_server.serverapp import ServerApp

    app = ServerApp()
    app.parse_command_line(lessons.lab_server_args())
    assert app.tornado_settings["websocket_max_message_size"] == lessons.LAB_WEBSOCKET_MAX_MESSAGE_BYTES
    assert lessons.LAB_WEBSOCKET_MAX_MESSAGE_BYTES >= 50 * 1024 * 1024   # 2 min of 48 kHz 24-bit stereo: 34.6 MB


@pytest.mark.slow
def test_wheel_ships_the_lessons_and_lesson_00_runs_from_the_copy(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels),
                            str(ROOT)], capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    wheel = next(wheels.glob("specmask_edu-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for src in REPO_LESSONS:
        assert f"specmask_edu/notebooks/{src.name}" in names
        assert zipfile.ZipFile(wheel).read(f"specmask_edu/notebooks/{src.name}") == src.read_bytes()
    assert not any(n.startswith("notebooks/") for n in names), "notebooks/ must live inside the package"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--ignore-installed", "--no-index",
                              str(wheel)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]

    work = tmp_path / "outside_any_clone"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "PYTHONPATH")}
    copy = subprocess.run([str(venv / "bin" / "specmask-edu"), "lessons", "course"], cwd=work, capture_output=True,
                          text=True, env=env, timeout=300)
    assert copy.returncode == 0, copy.stderr
    assert (work / "course" / "00_welcome.ipynb").is_file()
    script = (
        "import nbformat, specmask_edu, sys\n"
        "from nbclient import NotebookClient\n"
        "assert specmask_edu.__file__.startswith(sys.prefix), specmask_edu.__file__\n"
        "nb = nbformat.read('course/00_welcome.ipynb', as_version=4)\n"
        "NotebookClient(nb, timeout=600, kernel_name='python3', resources={'metadata': {'path': 'course'}}).execute()\n"
        "errors = [o for c in nb.cells if c.cell_type == 'code' for o in c.outputs if o.output_type == 'error']\n"
        "assert not errors, errors\n"
        "print('lesson 00 ran with', specmask_edu.__file__)\n"
    )
    run = subprocess.run([str(python), "-c", script], cwd=work, capture_output=True, text=True, env=env, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert str(venv) in run.stdout
