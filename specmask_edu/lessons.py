"""The lessons that ship with the package, and copying them to a working folder.

A wheel of ``specmask_edu`` carries the lesson notebooks as package data in ``specmask_edu/notebooks/``
(``setup.py`` copies them from the repository's ``notebooks/`` folder when the wheel is built; the
repository keeps one copy only). In a clone or an editable install, the repository's ``notebooks/`` is
used directly.

``specmask-edu lessons DIR`` (:func:`copy_lessons`) copies them to a folder of the student's, and never
overwrites what is there:

- a lesson that is not in the folder yet is copied;
- a lesson whose copy has the same cells (outputs and run counts are ignored: running a lesson is not
  editing it) is left as it is;
- a lesson whose copy differs (the student edited it, or a newer package version changed the lesson) is
  kept, and the packaged version is written alongside as ``NN_name.updated.ipynb`` (or
  ``NN_name.updated-2.ipynb`` ... when that name is taken by a different file), with a message.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ._validation import SpecmaskInputError

__all__ = ["DEFAULT_LESSONS_DIR", "CopyResult", "bundled_lessons_dir", "bundled_lessons", "copy_lessons",
           "format_copy_report", "lessons_folder_for_lab", "lab_server_args", "LAB_WEBSOCKET_MAX_MESSAGE_BYTES",
           "UPLOAD_LIMIT_ENV"]

#: The working folder ``specmask-edu lessons`` and ``specmask-edu lab`` use when none is given.
DEFAULT_LESSONS_DIR = "specmask_lessons"

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_lessons_dir() -> Path:
    """The folder holding the lessons that came with this installation.

    ``specmask_edu/notebooks/`` inside an installed wheel; the repository's ``notebooks/`` in a clone or an
    editable install. Raises :class:`SpecmaskInputError` when neither exists (a broken installation).
    """
    for candidate in (_PACKAGE_DIR / "notebooks", _PACKAGE_DIR.parent / "notebooks"):
        if candidate.is_dir() and any(candidate.glob("[0-9][0-9]_*.ipynb")):
            return candidate
    raise SpecmaskInputError(
        "This installation of specmask_edu has no lessons (no specmask_edu/notebooks/ folder). Reinstall it "
        "from a wheel or the repository: python -m pip install --force-reinstall specmask_edu"
    )


def bundled_lessons() -> list[Path]:
    """The lesson notebooks of this installation, in order (``00_welcome.ipynb`` ... )."""
    return sorted(bundled_lessons_dir().glob("[0-9][0-9]_*.ipynb"))


def _cells(path: Path):
    """The cells of a notebook without outputs, run counts and metadata: what a student can edit."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        return [(c.get("cell_type"), "".join(c.get("source", ""))) for c in nb.get("cells", [])]
    except (OSError, ValueError, AttributeError):
        return None  # not a readable notebook: treat as edited, never overwrite it


@dataclass(frozen=True)
class CopyResult:
    """What :func:`copy_lessons` did with one lesson: ``status`` is ``"copied"``, ``"unchanged"`` or
    ``"updated-alongside"``; ``path`` is the file written (or the copy that was kept)."""

    lesson: str
    status: str
    path: Path
    kept: Path | None = None


def _free_updated_name(folder: Path, stem: str, source_bytes: bytes) -> tuple[Path, bool]:
    """``(path, exists_already)``: ``stem.updated.ipynb``, or the first ``stem.updated-N.ipynb`` that is
    free or already holds exactly this version."""
    n = 1
    while True:
        name = f"{stem}.updated.ipynb" if n == 1 else f"{stem}.updated-{n}.ipynb"
        path = folder / name
        if not path.exists():
            return path, False
        if path.read_bytes() == source_bytes:
            return path, True
        n += 1


def copy_lessons(dest=DEFAULT_LESSONS_DIR) -> list[CopyResult]:
    """Copy the packaged lessons into ``dest`` (created if needed) without overwriting anything.

    Returns one :class:`CopyResult` per lesson. See the module docstring for the rules.
    """
    dest = Path(dest).expanduser()
    if dest.exists() and not dest.is_dir():
        raise SpecmaskInputError(f"{dest} is a file, not a folder: give a folder to copy the lessons into.")
    dest.mkdir(parents=True, exist_ok=True)
    results = []
    for source in bundled_lessons():
        target = dest / source.name
        if not target.exists():
            shutil.copyfile(source, target)
            results.append(CopyResult(source.name, "copied", target))
            continue
        if _cells(target) == _cells(source):
            results.append(CopyResult(source.name, "unchanged", target))
            continue
        data = source.read_bytes()
        alongside, existed = _free_updated_name(dest, source.stem, data)
        if not existed:
            alongside.write_bytes(data)
        results.append(CopyResult(source.name, "updated-alongside", alongside, kept=target))
    return results


def format_copy_report(results: list[CopyResult], dest) -> str:
    """The message ``specmask-edu lessons`` prints: one line per lesson that needs attention, and a summary."""
    dest = Path(dest).expanduser().resolve()
    lines = []
    copied = [r for r in results if r.status == "copied"]
    unchanged = [r for r in results if r.status == "unchanged"]
    for r in results:
        if r.status == "updated-alongside":
            lines.append(f"{r.lesson}: your copy differs from this version of the lesson, so it was kept as it "
                         f"is; the packaged version is in {r.path.name} next to it.")
    summary = f"{len(copied)} lesson(s) copied to {dest}"
    if unchanged:
        summary += f", {len(unchanged)} already there and unchanged"
    lines.append(summary + ".")
    lines.append(f"Open them with: specmask-edu lab --dir {dest}")
    return "\n".join(lines)


def lessons_folder_for_lab(dest=DEFAULT_LESSONS_DIR) -> Path:
    """The folder ``specmask-edu lab`` opens outside a clone: ``dest`` (``./specmask_lessons``) after
    :func:`copy_lessons` has brought it up to date (nothing of the student's is overwritten)."""
    results = copy_lessons(dest)
    if any(r.status != "unchanged" for r in results):
        print(format_copy_report(results, dest))
    return Path(dest).expanduser().resolve()


#: Largest websocket message ``specmask-edu lab`` lets its Jupyter server accept (bytes). A file chosen in an
#: ``ipywidgets.FileUpload`` reaches the kernel as ONE websocket message; the server's default limit (tornado's
#: ``websocket_max_message_size``, 10 MiB) closes the connection on anything larger, and the upload is lost
#: without a message. Two minutes of 48 kHz 24-bit stereo WAV is 34.6 MB; float32 stereo 46 MB.
LAB_WEBSOCKET_MAX_MESSAGE_BYTES = 100 * 1024 * 1024

#: Environment variable a server started by ``specmask-edu lab`` passes to its kernels: the upload limit in
#: bytes. Unset means the server's own limit is unknown (10 MiB unless an administrator raised it).
UPLOAD_LIMIT_ENV = "SPECMASK_UPLOAD_LIMIT_BYTES"


def lab_server_args() -> list[str]:
    """Extra command-line options for the Jupyter server that ``specmask-edu lab`` starts.

    Raises the websocket message limit to :data:`LAB_WEBSOCKET_MAX_MESSAGE_BYTES` (``ServerApp.tornado_settings``
    ``websocket_max_message_size``) and sets :data:`UPLOAD_LIMIT_ENV` in this process's environment, which the
    server and its kernels inherit, so a lesson can tell the student how large an upload may be.
    """
    os.environ[UPLOAD_LIMIT_ENV] = str(LAB_WEBSOCKET_MAX_MESSAGE_BYTES)
    settings = json.dumps({"websocket_max_message_size": LAB_WEBSOCKET_MAX_MESSAGE_BYTES})
    return [f"--ServerApp.tornado_settings={settings}"]
