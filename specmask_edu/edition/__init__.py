"""The HTML edition: every lesson executed and exported as one static web page, plus an index.

``specmask-edu html --out DIR`` (or :func:`build_html_edition`) runs each notebook top to bottom
with nbclient (``SPECMASK_FAST=1``, so lesson 07 trains its small model quickly), stores the widget
state in the notebook metadata, and exports it with nbconvert's ``HTMLExporter`` (``lab`` template).
The pages need no server and no kernel:

- figures are embedded as ``<img src="data:image/webp;base64,...">`` (lossless WebP, the same pixels as
  the notebook's PNG at about half the size; a PNG stays a PNG where WebP would not be smaller);
- audio players are embedded as ``<audio>`` elements with ``data:audio/flac;base64,...`` sources
  (the notebooks' WAVs re-encoded losslessly as FLAC, about half the size; a clip that a page plays
  several times, e.g. in an explorer and in its static view, is stored once and shared by a
  short script, see :func:`compact_media`);
- an explorer's output carries the live widget and a static view (figure, players, numbers; see
  :mod:`specmask_edu.widgets`): the page draws the widget from its saved state, and keeps the static view
  next to it, hidden once the widget is drawn, so a page whose widget renderer cannot load still shows it;
- widgets (sliders, explorers) are kept in their saved state and drawn by the Jupyter widget renderer
  (``@jupyter-widgets/html-manager``, with ``require.js``); math is typeset by MathJax 3 (SVG output, with
  hidden MathML for screen readers). These three scripts are pinned to exact versions (:data:`SCRIPTS`).
  When ``npm`` is available, the build fetches them once from the npm registry (``npm pack``, cached in
  ``~/.cache/specmask_edu/npm``), checks them against the pinned integrity hashes and writes them into
  ``DIR/_static/`` with their licences, so the edition works offline, explorers included. Without npm
  (a pip-only install) the pages load the same files from jsDelivr with ``integrity`` hashes (so a changed
  file is refused), and the index page says so;
- every figure keeps its text alternative: ``plots.show`` writes an ``<img alt>`` and ``alt`` in the
  image metadata, and the template here writes that metadata out (nbconvert's own template would stamp
  "No description has been provided for this image" on every image).

``index.html`` links every lesson with its title and learning objectives, taken from the notebook's
first Markdown cells.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .._validation import SpecmaskInputError, check_number, check_output_files

__all__ = ["build_html_edition", "lesson_info", "execute_notebook", "export_page", "compact_media", "fetch_scripts",
           "SCRIPTS", "STATIC_DIR",
           "EditionPage", "DEFAULT_TIMEOUT",
           "find_notebooks_dir", "LessonsNotFoundError"]

#: Seconds one cell may run before the build stops with an error.
DEFAULT_TIMEOUT = 600


from .media import compact_media  # noqa: E402
from .scripts import (  # noqa: E402
    SCRIPTS, STATIC_DIR, _CODE_STYLE, _MATHJAX_CONFIG, _PAGE_CSS, _script_tag, _script_urls, widget_a11y_script,
    fetch_scripts,
)


_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}
{{ resources.specmask_scripts['require'] }}
{%- endblock html_head_js_requirejs -%}
{% block jupyter_widgets %}
{%- if "widgets" in nb.metadata -%}
<script>
document.addEventListener('DOMContentLoaded', function () {
  var s = document.createElement('script');
  s.src = {{ resources.specmask_scripts['widgets_src'] | tojson }};
  {%- if resources.specmask_scripts['widgets_integrity'] %}
  s.integrity = {{ resources.specmask_scripts['widgets_integrity'] | tojson }};
  s.crossOrigin = 'anonymous';
  {%- endif %}
  document.body.appendChild(s);
});
</script>
{%- endif -%}
{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}
{{ resources.specmask_scripts['mathjax'] }}
{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}
{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
{{ resources.specmask_scripts['css'] }}
{%- endblock html_head_css -%}
{%- block data_widget_view scoped %}
{% set div_id = uuid4() %}
{% set datatype_list = output.data | filter_data_type %}
{% set datatype = datatype_list[0]%}
<div id="{{ div_id }}" class="jupyter-widgets jp-OutputArea-output {{ extra_class }}">
<script type="text/javascript">
var element = document.getElementById('{{ div_id }}');
</script>
<script type="{{ datatype }}">
{{ output.data[datatype] | json_dumps | escape_html_script }}
</script>
{%- if 'text/html' in output.data %}
<div class="specmask-static-fallback">{{ output.data['text/html'] }}</div>
{%- endif %}
</div>
{%- endblock data_widget_view -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- set alt = output | get_metadata('alt', 'image/png') %}{% if alt %} alt="{{ alt | escape_html }}"{% endif %}
{%- set width = output | get_metadata('width', 'image/png') %}{% if width is not none %} width={{ width | escape_html }}{% endif %}>
</div>
{%- endblock data_png %}
{% block data_jpg scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/jpeg;base64,{{ output.data['image/jpeg'] | escape_html }}"
{%- set alt = output | get_metadata('alt', 'image/jpeg') %}{% if alt %} alt="{{ alt | escape_html }}"{% endif %}
{%- set width = output | get_metadata('width', 'image/jpeg') %}{% if width is not none %} width={{ width | escape_html }}{% endif %}>
</div>
{%- endblock data_jpg %}
"""

_OBJECTIVES_HEADING = re.compile(
    r"^\s*(#{1,6}\s*|\*\*|__)?\s*((learning\s+)?(objectives|goals)|(what\s+)?you('ll|\s+will)\s+learn)\b",
    re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*\S)\s*$")
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*?)\s*#*\s*$")


@dataclass
class EditionPage:
    """One built page: the lesson, where it was written, its size and how long it took."""

    notebook: Path
    path: Path
    title: str
    objectives: list[str] = field(default_factory=list)
    bytes: int = 0
    seconds: float = 0.0


def lesson_info(nb) -> tuple[str, list[str]]:
    """Title (the first ``#`` heading) and learning objectives (the list under a heading or bold line
    naming the objectives) from the first Markdown cells of a notebook; objectives stay Markdown."""
    title, objectives = None, []
    for cell in nb.cells[:6]:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            heading = _HEADING.match(line)
            if title is None and heading and line.lstrip().startswith("# "):
                title = heading.group(1)
            if not objectives and _OBJECTIVES_HEADING.match(line):
                for item_line in lines[i + 1:]:
                    item = _LIST_ITEM.match(item_line)
                    if item:
                        objectives.append(item.group(1))
                    elif objectives and (not item_line.strip() or _HEADING.match(item_line)):
                        break
                    elif objectives and item_line.startswith((" ", "\t")):
                        objectives[-1] += " " + item_line.strip()  # continuation of a list item
    return title or "", objectives


def _kernel_env() -> dict:
    env = dict(os.environ)
    env["SPECMASK_FAST"] = "1"
    # A test run may have forced the Agg backend; the kernel must use the inline backend so figures
    # become image outputs.
    env.pop("MPLBACKEND", None)
    return env


def _needs_missing_torch(nb) -> bool:
    """True for a lesson that imports specmask_edu.learn (lesson 07) when PyTorch is not installed here."""
    import importlib.util

    uses_learn = any(c.cell_type == "code" and ("specmask_edu import learn" in c.source
                                                 or "import specmask_edu.learn" in c.source) for c in nb.cells)
    if not uses_learn:
        return False
    try:
        return importlib.util.find_spec("torch") is None
    except (ImportError, ValueError):  # a finder that refuses torch counts as "not installed"
        return True


def _without_torch_page(nb):
    """Lesson 07 built without PyTorch: the lesson's text and code (not run), after a note that says what to
    install, with the held-out scores of the pretrained models read from their training records (JSON)."""
    import json

    import nbformat

    try:
        import specmask_edu.learn  # noqa: F401  (raises MissingPyTorchError with the advice for this platform)
        advice = {}
    except ImportError as err:
        advice = getattr(err, "advice", {}) or {}
    command = advice.get("command") or "python -m pip install torch==2.13.0"
    rows = []
    for record_path in sorted((Path(__file__).resolve().parent.parent / "learn" / "pretrained").glob("*.json")):
        try:
            record = json.loads(record_path.read_text())
            scores = record["heldout"]
            rows.append(f"| {record['name']} | {record['description']} | "
                        + " | ".join(f"{scores[snr]['SI-SDRi']:.2f}" for snr in ("-5", "0", "5"))
                        + f" | {scores['0']['SNR']:.2f} | {scores['0']['STOI']:.2f} |")
        except (OSError, ValueError, KeyError, TypeError):
            continue
    table = ""
    if rows:
        table = ("\n\nHeld-out scores of the pretrained models that ship with the package (from their training "
                 "records; all held-out voices × all held-out noises):\n\n"
                 "| model | what it is | SI-SDRi at −5 dB | at 0 dB | at +5 dB | SNR at 0 dB | STOI at 0 dB |\n"
                 "|---|---|---|---|---|---|---|\n" + "\n".join(rows))
    note = nbformat.v4.new_markdown_cell(
        "**This lesson needs PyTorch, which was not installed where this page was built**, so its cells were "
        f"not run (lessons 00–06 do not need it). To run it, install PyTorch and open the notebook:\n\n"
        f"```\n{command}\n```{table}")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.cells.insert(1, note)
    return nb


async def _execute(path, timeout: float):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    if _needs_missing_torch(nb):
        return _without_torch_page(nb)
    with tempfile.TemporaryDirectory(prefix="specmask_html_") as workdir:
        client = NotebookClient(nb, timeout=timeout, kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
                                resources={"metadata": {"path": workdir}}, store_widget_state=True)
        await client.async_execute(env=_kernel_env())
    return nb


def execute_notebook(path, timeout: float = DEFAULT_TIMEOUT):
    """Run a notebook top to bottom in a fresh kernel (in a temporary working folder, so nothing is
    written next to the lessons) and return it with outputs and widget state.

    Raises nbclient's ``CellExecutionError`` (with the failing cell's traceback) if a cell fails.
    """
    from jupyter_core.utils import run_sync

    return run_sync(_execute)(path, timeout)


async def _execute_all(paths, timeout: float, jobs: int, log) -> list:
    """Execute notebooks, ``jobs`` kernels at a time; on the first failure stop the others and raise."""
    slots = asyncio.Semaphore(jobs)

    async def one(path):
        async with slots:
            start = time.perf_counter()
            nb = await _execute(path, timeout)
            seconds = time.perf_counter() - start
            if log:
                log(f"executed {path.name} in {seconds:.1f} s")
            return nb, seconds

    tasks = [asyncio.ensure_future(one(path)) for path in paths]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    failures = [task.exception() for task in tasks if task in done and task.exception() is not None]
    for task in pending:
        task.cancel()  # nbclient shuts the kernel down when cancelled
    await asyncio.gather(*pending, return_exceptions=True)
    if failures:
        raise failures[0]
    return [task.result() for task in tasks]


def export_page(nb, static_prefix: str | None = None) -> str:
    """The executed notebook as a standalone HTML page (nbconvert ``lab`` template, see ``_TEMPLATE``).

    ``static_prefix``: where the pinned scripts of :data:`SCRIPTS` are, relative to the page (e.g.
    ``"_static"``); None loads them from jsDelivr with their integrity hashes.
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    urls = _script_urls(static_prefix)
    scripts = {
        "require": _script_tag(*urls["require.js"]),
        "widgets_src": urls["embed-amd.js"][0],
        "widgets_integrity": urls["embed-amd.js"][1],
        "mathjax": _MATHJAX_CONFIG + "\n" + _script_tag(*urls["tex-svg-full.js"], defer=True),
        "css": _PAGE_CSS,
    }
    from traitlets.config import Config

    config = Config()
    config.CSSHTMLHeaderPreprocessor.style = _CODE_STYLE
    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"specmask.html.j2": _TEMPLATE})],
                            template_file="specmask.html.j2", config=config)
    body, _ = exporter.from_notebook_node(nb, resources={"specmask_scripts": scripts})
    return body




def _markdown_inline(text: str) -> str:
    from nbconvert.filters import markdown2html

    rendered = markdown2html(text).strip()
    # A single paragraph: drop the <p> wrapper so it sits inside an <li>.
    match = re.fullmatch(r"<p>(.*)</p>", rendered, re.DOTALL)
    return match.group(1) if match else rendered


_NAV_STYLE = ("font-family:system-ui,sans-serif;font-size:14px;padding:8px 16px;background:#f3f6fa;"
              "border-bottom:1px solid #d0d7de;display:flex;gap:16px;flex-wrap:wrap")


def _nav(pages: list[EditionPage], i: int) -> str:
    links = ['<a href="index.html">&larr; All lessons</a>']
    if i > 0:
        links.append(f'<a href="{pages[i - 1].path.name}">Previous: {html.escape(pages[i - 1].title)}</a>')
    if i + 1 < len(pages):
        links.append(f'<a href="{pages[i + 1].path.name}">Next: {html.escape(pages[i + 1].title)}</a>')
    note = ('<span style="color:#57606a">Static edition: sliders need a running kernel (Binder, Colab or '
            '<code>specmask-edu lab</code>); where no sliders can be drawn, each explorer shows its saved figure, '
            'players and numbers.</span>')
    return f'<nav class="specmask-nav" style="{_NAV_STYLE}">{"".join(links)}{note}</nav>'


def _with_nav(page_html: str, nav: str, lessons=()) -> str:
    """The page with the navigation bar at the top of its body, the widget naming script at the end of it,
    and links to other lessons (``NN_name.ipynb`` in the text) pointing at their pages in the edition."""
    page_html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + nav, page_html, count=1)
    head, body_end, tail = page_html.rpartition("</body>")
    script = widget_a11y_script()
    page_html = head + script + "\n" + body_end + tail if body_end else page_html + script
    for stem in lessons:
        page_html = page_html.replace(f'href="{stem}.ipynb', f'href="{stem}.html')
    return page_html


def _index_html(pages: list[EditionPage], version: str, static_prefix: str | None = None) -> str:
    items = []
    for page in pages:
        objectives = "".join(f"<li>{_markdown_inline(o)}</li>" for o in page.objectives)
        items.append(
            f'<li class="lesson"><h2><a href="{page.path.name}">{html.escape(page.title)}</a></h2>'
            + (f'<p class="objectives-label">Learning objectives</p><ul class="objectives">{objectives}</ul>'
               if objectives else "")
            + "</li>"
        )
    built = time.strftime("%Y-%m-%d %H:%M")
    mathjax = _MATHJAX_CONFIG + "\n" + _script_tag(*_script_urls(static_prefix)["tex-svg-full.js"], defer=True)
    versions = ", ".join(html.escape(spec["npm"]) for spec in SCRIPTS.values())
    if static_prefix is not None:
        scripts_note = (f"The explorers and the mathematics are drawn by scripts included in this folder "
                        f"(<code>{html.escape(static_prefix)}/</code>: {versions}, with their licences), so every "
                        f"page works offline.")
    else:
        scripts_note = (f"This edition was built without npm, so the explorers and the mathematics are drawn by "
                        f"scripts loaded from jsDelivr ({versions}, exact versions with integrity hashes): online "
                        f"they appear as usual; offline the formulas show as LaTeX and each explorer shows its saved "
                        f"figure, players and numbers in place of its sliders. Build with "
                        f"npm installed to include the scripts.")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>specmask_edu lessons: audio separation with real and complex masks</title>
{mathjax}
<style>
body {{ font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1f2328; }}
ol.lessons {{ list-style: none; padding: 0; }}
li.lesson {{ border: 1px solid #d0d7de; border-radius: 8px; padding: 0.5rem 1rem; margin: 1rem 0; }}
li.lesson h2 {{ font-size: 1.2rem; margin: 0.4rem 0; }}
.objectives-label {{ margin: 0.2rem 0; color: #57606a; font-size: 0.9rem; }}
.note {{ color: #57606a; font-size: 0.9rem; }}
</style>
</head>
<body>
<main>
<h1>Audio separation with real-valued and complex masks</h1>
<p>The lessons of <code>specmask_edu</code>, executed and saved as static pages: every figure and audio
player is inside the page. To move the sliders, open the lessons in JupyterLab (Binder, Colab, or
<code>specmask-edu lab</code> on your computer).</p>
<ol class="lessons">
{"".join(items)}
</ol>
<p class="note">Built {built} with specmask_edu {html.escape(version)}. The explorers are stored in their
saved state: their sliders move only with a running kernel. {scripts_note}</p>
</main>
</body>
</html>
"""


class LessonsNotFoundError(SpecmaskInputError):
    """No lessons folder (``notebooks/`` with ``*.ipynb`` files) was found; the message says where to look."""


def find_notebooks_dir(required: bool = True):
    """The lessons folder: ./notebooks, or the repository's notebooks/ next to an editable install.

    Returns the folder, or ``None`` when there is none and ``required`` is False; raises
    :class:`LessonsNotFoundError` (a :class:`SpecmaskInputError`) when ``required``.
    """
    candidates = [Path.cwd() / "notebooks", Path(__file__).resolve().parents[2] / "notebooks"]
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob("*.ipynb")):
            return candidate
    if required:
        raise LessonsNotFoundError(
            "Could not find the lessons (a notebooks/ folder). Run this command inside the cloned repository, "
            "or pass --dir PATH."
        )
    return None


def _find_notebooks(notebooks) -> list[Path]:
    if notebooks is None:
        notebooks = find_notebooks_dir()
    if isinstance(notebooks, (str, os.PathLike)):
        folder = Path(notebooks)
        if not folder.is_dir():
            raise SpecmaskInputError(f"{folder} is not a folder of lessons; pass the notebooks/ folder "
                                     f"of the repository (or a list of .ipynb files).")
        paths = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    else:
        paths = [Path(p) for p in notebooks]
    if not paths:
        raise SpecmaskInputError("No lesson notebooks (NN_name.ipynb) found to build; pass the notebooks/ "
                                 "folder of the repository.")
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise SpecmaskInputError(f"These notebooks do not exist: {', '.join(missing)}")
    return paths


def build_html_edition(out_dir, notebooks=None, timeout: float = DEFAULT_TIMEOUT, *, jobs: int | None = None,
                       log=print, overwrite: bool = False, vendor_scripts: bool = True) -> list[EditionPage]:
    """Execute every lesson and write ``out_dir/NN_name.html`` for each plus ``out_dir/index.html``.

    Parameters
    ----------
    out_dir : path
        Output folder (created). Keep it out of git (``/html/`` and ``/site/`` are ignored).
    notebooks : folder or list of paths, optional
        The lessons to build: a folder (its ``NN_*.ipynb`` files) or a list of notebooks. Default:
        the repository's ``notebooks/`` (found as by ``specmask-edu lab``).
    timeout : float
        Seconds one cell may run (default 600).
    jobs : int, optional
        How many notebooks run at the same time, each in its own kernel (default: 2, or 1 on a
        single core).
    log : callable or None
        Receives progress lines (default ``print``; ``None`` for quiet).
    overwrite : bool
        Replace an existing ``index.html`` or ``NN_*.html`` in ``out_dir`` (default False: refused, before any
        lesson runs, as is an ``out_dir`` that is a file or not writable).
    vendor_scripts : bool
        Include the pinned widget renderer, require.js and MathJax in ``out_dir/_static/`` (fetched with npm,
        see :func:`fetch_scripts`) so the pages work offline (default). False, or no npm: the pages load
        them from jsDelivr (exact versions, integrity hashes) and the index says so.

    Returns
    -------
    list of EditionPage
        One per lesson, in order, with output path, title, objectives, size in bytes and the seconds
        its execution and export took.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        If a cell of any lesson fails (nothing is written then).
    """
    from jupyter_core.utils import run_sync

    from .. import __version__

    paths = _find_notebooks(notebooks)
    timeout = check_number(timeout, "timeout", low=0.0, low_open=True, unit="seconds",
                           hint="It is how long one cell may run, e.g. 600.")
    static = [f"{STATIC_DIR}/{name}" for name in SCRIPTS]
    check_output_files(out_dir, ["index.html", *(f"{p.stem}.html" for p in paths), *static], overwrite=overwrite)
    scripts = fetch_scripts(log=log) if vendor_scripts else None
    jobs = max(1, int(jobs if jobs is not None else min(2, os.cpu_count() or 1)))
    executed = run_sync(_execute_all)(paths, timeout, jobs, log)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    prefix = None
    if scripts is not None:
        prefix = STATIC_DIR
        for name, data in scripts.items():
            (out / STATIC_DIR / name).parent.mkdir(parents=True, exist_ok=True)
            (out / STATIC_DIR / name).write_bytes(data)
    pages, bodies = [], []
    for path, (nb, seconds) in zip(paths, executed):
        start = time.perf_counter()
        title, objectives = lesson_info(nb)
        bodies.append(compact_media(export_page(nb, static_prefix=prefix)))
        pages.append(EditionPage(notebook=path, path=out / f"{path.stem}.html", title=title or path.stem,
                                 objectives=objectives, seconds=seconds + time.perf_counter() - start))
    for i, (page, body) in enumerate(zip(pages, bodies)):
        page.path.write_text(_with_nav(body, _nav(pages, i), [pg.path.stem for pg in pages]), encoding="utf-8")
        page.bytes = page.path.stat().st_size
    index = out / "index.html"
    index.write_text(_index_html(pages, __version__, static_prefix=prefix), encoding="utf-8")
    if log:
        total = sum(p.bytes for p in pages)
        log(f"wrote {len(pages)} lessons ({total / 1e6:.1f} MB) and {index}")
    return pages
