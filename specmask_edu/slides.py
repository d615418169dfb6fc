"""Lecture slides: every lesson as an executed reveal.js deck (``specmask-edu slides``).

Each lesson is executed in a fresh kernel (the HTML edition's :func:`specmask_edu.edition.execute_notebook`,
so figures and audio players are real outputs) and exported with nbconvert's ``SlidesExporter``. Which cells
make the lecture is in each cell's ``metadata.slideshow.slide_type`` in the lesson itself (JupyterLab:
*Property Inspector > Slide Type*): titles and section headings start a ``slide``, sub-headings a
``subslide``, text and results follow on the same slide (``-``), and the Colab install cell, the explorers'
live widgets (their still picture in the next cell is shown instead), the exercises and the footer's
helpers are ``skip``. Code input is hidden: a lecture shows the sentence, the figure and the player.

reveal.js itself is not bundled: the deck loads it from :data:`REVEAL_URL_PREFIX`, reveal.js 4.0.2 (the
version nbconvert's reveal template is written for, and nbconvert's own default, served by unpkg) at a
pinned version, so a deck built today shows the same next year. For a lecture hall without internet, pass
``reveal_prefix`` a local copy (``npm pack reveal.js@4.0.2`` and unpack it next to the decks, then
``reveal_prefix="package"``).
"""

from __future__ import annotations

from pathlib import Path

from ._validation import SpecmaskInputError

__all__ = ["REVEAL_URL_PREFIX", "build_slides", "export_slides"]

#: reveal.js, version-pinned (nbconvert 7's default is the same version on the same CDN).
REVEAL_URL_PREFIX = "https://unpkg.com/reveal.js@4.0.2"


def export_slides(nb, reveal_prefix: str = REVEAL_URL_PREFIX) -> str:
    """The reveal.js HTML of an (executed) notebook: code input hidden, ``skip`` cells left out."""
    from nbconvert import SlidesExporter

    import copy

    exporter = SlidesExporter(reveal_url_prefix=reveal_prefix, reveal_theme="white", reveal_transition="none",
                              reveal_number="c/t", reveal_scroll=True, exclude_input=True,
                              exclude_input_prompt=True, exclude_output_prompt=True)
    nb = copy.deepcopy(nb)
    # The live explorers are 'skip' cells (their still picture is on the slide): their saved widget state
    # would only make the deck larger.
    nb.metadata.pop("widgets", None)
    body, _ = exporter.from_notebook_node(nb)
    return body


def build_slides(out="slides", notebooks=None, only=None, reveal_prefix: str = REVEAL_URL_PREFIX,
                 timeout: float = 600, log=print) -> list[Path]:
    """Execute the lessons and write one deck per lesson, ``OUT/NN_name.slides.html``; return the paths.

    ``notebooks`` is the lessons folder (default: the repository's ``notebooks/``, or the lessons of the
    installed package); ``only`` a list of lesson numbers such as ``["02", "04"]``. A deck that exists is
    replaced only if this function wrote it (its name ends in ``.slides.html``).
    """
    from .edition import _find_notebooks, execute_notebook
    from .lessons import bundled_lessons_dir

    paths = _find_notebooks(notebooks if notebooks is not None else bundled_lessons_dir())
    if only:
        wanted = {str(n).zfill(2) for n in only}
        paths = [p for p in paths if p.name[:2] in wanted]
        if not paths:
            raise SpecmaskInputError(f"No lesson numbered {sorted(wanted)}; the lessons are 00 to 07.")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SpecmaskInputError(f"{out} is a file: give a folder for the slides.")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        if not any(c.get("metadata", {}).get("slideshow") for c in _cells(path)):
            log(f"{path.name}: no slide metadata in this lesson, skipped")
            continue
        log(f"{path.name}: executing ...")
        nb = execute_notebook(path, timeout=timeout)
        target = out / f"{path.stem}.slides.html"
        target.write_text(export_slides(nb, reveal_prefix), encoding="utf-8")
        written.append(target)
        log(f"  wrote {target} ({target.stat().st_size / 1e6:.1f} MB)")
    return written


def _cells(path: Path) -> list:
    import json

    return json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
