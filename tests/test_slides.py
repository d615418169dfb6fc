"""Lecture slides: slide metadata in every lesson, and ``specmask-edu slides`` builds executed reveal.js decks
with figures and players, code input hidden, skipped cells left out, reveal.js at a pinned version."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from specmask_edu import slides

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("0[0-7]_*.ipynb"))
TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_every_cell_has_slide_metadata_and_the_lecture_is_sensible(lesson):
    nb = nbformat.read(str(lesson), as_version=4)
    # A cell without slide metadata continues the current slide ("-"), as nbconvert treats it.
    kinds = [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in nb.cells]
    assert set(kinds) <= TYPES, set(kinds) - TYPES
    assert kinds[0] == "slide", "the title starts the deck"
    for cell, kind in zip(nb.cells, kinds):
        if "google.colab" in cell.source or cell.source.strip().endswith(".widget"):
            assert kind == "skip", cell.source[:60]
        if cell.cell_type == "markdown" and re.match(r"#{1,2} ", cell.source) and "Exercise" not in cell.source[:20]:
            assert kind == "slide", cell.source[:60]
    shown = [c for c, k in zip(nb.cells, kinds) if k != "skip"]
    assert sum(k == "slide" for k in kinds) >= 4 and len(shown) >= 10


def test_export_hides_code_drops_skipped_cells_and_pins_reveal():
    nb = new_notebook(cells=[
        new_markdown_cell("# Title", metadata={"slideshow": {"slide_type": "slide"}}),
        new_code_cell("secret_install_cell()", metadata={"slideshow": {"slide_type": "skip"}}),
        new_code_cell("visible_code_line()", metadata={"slideshow": {"slide_type": "-"}},
                      outputs=[new_output("display_data", data={"text/html": "<audio controls></audio>",
                                                                "text/plain": "player"})]),
        new_markdown_cell("## Next", metadata={"slideshow": {"slide_type": "slide"}}),
    ])
    html = slides.export_slides(nb)
    assert "reveal.js@4.0.2" in slides.REVEAL_URL_PREFIX and slides.REVEAL_URL_PREFIX in html
    assert "secret_install_cell" not in html and "visible_code_line" not in html
    assert "<audio" in html and html.count("<section") >= 2
    local = slides.export_slides(nb, reveal_prefix="reveal.js-4.0.2")
    assert "reveal.js-4.0.2/dist/reveal.css" in local


@pytest.mark.slow
def test_cli_builds_an_executed_deck_with_figures_and_players(tmp_path):
    from specmask_edu.cli import main

    out = tmp_path / "slides"
    assert main(["slides", "--out", str(out), "--only", "00"]) == 0
    deck = out / "00_welcome.slides.html"
    html = deck.read_text(encoding="utf-8")
    assert html.count("<section") >= 8
    assert len(re.findall(r"<img[^>]+src=\"data:image/png;base64,", html)) >= 3, "executed figures are missing"
    assert len(re.findall(r"<audio", html)) >= 3, "players are missing"
    assert "google.colab" not in html and "Traceback" not in html
    assert "application/vnd.jupyter.widget-state+json" not in html
    assert [p.name for p in out.iterdir()] == ["00_welcome.slides.html"]
