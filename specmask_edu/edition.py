"""The HTML edition: every lesson executed and exported as one static web page, plus an index.

``specmask-edu html --out DIR`` (or :func:`build_html_edition`) runs each notebook top to bottom
with nbclient (``SPECMASK_FAST=1``, so lesson 07 trains its small model quickly), stores the widget
state in the notebook metadata, and exports it with nbconvert's ``HTMLExporter`` (``lab`` template).
The pages need no server and no kernel:

- figures are embedded as ``<img src="data:image/webp;base64,...">`` (lossless WebP, the same pixels as
  the notebook's PNG at about half the size; a PNG stays a PNG where WebP would not be smaller);
- audio players are embedded as ``<audio>`` elements with ``data:audio/flac;base64,...`` sources
  (the notebooks' WAVs re-encoded losslessly as FLAC, about half the size; a clip that a page plays
  several times, e.g. in an explorer and in the static cell below it, is stored once and shared by a
  short script, see :func:`compact_media`);
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

from ._validation import SpecmaskInputError, check_number, check_output_files

__all__ = ["build_html_edition", "lesson_info", "execute_notebook", "export_page", "compact_media", "fetch_scripts",
           "SCRIPTS", "STATIC_DIR",
           "EditionPage", "DEFAULT_TIMEOUT",
           "find_notebooks_dir", "LessonsNotFoundError"]

#: Seconds one cell may run before the build stops with an error.
DEFAULT_TIMEOUT = 600

#: The scripts a page needs, at exact versions: name in ``_static/`` -> npm package, the file inside its
#: tarball, the licence files to ship with it, the same file on jsDelivr (used without npm) and its
#: Subresource Integrity hash (sha384 of the file in the npm tarball, which is what jsDelivr serves).
SCRIPTS = {
    "require.js": {
        "npm": "requirejs@2.1.10", "member": "package/require.js",
        "licences": (),  # "Available via the MIT or new BSD license" in the file's own header
        "cdn": "https://cdn.jsdelivr.net/npm/requirejs@2.1.10/require.js",
        "integrity": "sha384-Q73UieYRZUb9gbRzVTHwR1u6kkDm3uLUU33l7lC/56FG/mbLFfk6GJ9mD69RGX+T",
    },
    "embed-amd.js": {  # the widget renderer for ipywidgets 8 (widget state format 2)
        "npm": "@jupyter-widgets/html-manager@1.0.11", "member": "package/dist/embed-amd.js",
        "licences": ("package/LICENSE", "package/dist/embed.js.LICENSE.txt"),
        "cdn": "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@1.0.11/dist/embed-amd.js",
        "integrity": "sha384-t3Vzd96uustmzEkVbVZBH4gnhOPnRH2zIKcalyh7mFqKiZ+gsG9Vf8+KCrQGnJFJ",
    },
    "tex-svg-full.js": {  # MathJax 3, one file, SVG output (no web fonts to fetch)
        "npm": "mathjax@3.2.2", "member": "package/es5/tex-svg-full.js",
        "licences": ("package/LICENSE",),
        "cdn": "https://cdn.jsdelivr.net/npm/mathjax@3.2.2/es5/tex-svg-full.js",
        "integrity": "sha384-4kE/rQ11E8xT9QgrCBTyvenkuPfQo8rXYQvJZuMgxyPOoUfpatjQPlgdv6V5yhUK",
    },
}
STATIC_DIR = "_static"

_MATHJAX_CONFIG = (
    "<script>window.MathJax = {tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], "
    "displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']], processEscapes: true, processEnvironments: true}, "
    "svg: {fontCache: 'global'}};</script>"
)


# Pygments style of the code cells: every token colour of "xcode" reaches 4.5:1 on the cells' #f5f5f5 (the
# default style has comments at 4.2:1 and keywords at 4.4:1, below WCAG AA).
_CODE_STYLE = "xcode"

# WCAG AA fixes to the lab template's look: prompts "In [1]:" (grey at half opacity, 2.2:1) become 6.2:1, and links
# in the text are underlined (their colour alone differs from the text by 1.9:1).
_PAGE_CSS = """<style>
.jp-Notebook .jp-Cell:not(.jp-mod-active) .jp-InputPrompt,
.jp-Notebook .jp-Cell:not(.jp-mod-active) .jp-OutputPrompt { opacity: 1; color: #616161; }
.jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited { text-decoration: underline; }
</style>"""

# Accessible names for what the widget renderer draws (it gives none): a slider handle is named after its
# control's description, and an explorer picture gets the alt text of its title (the explorer's description).
_WIDGET_A11Y_SCRIPT = (
    "<script>/* specmask_edu: accessible names for drawn widgets */"
    "(function () { function name() {"
    "document.querySelectorAll('[role=slider]:not([aria-label])').forEach(function (h) {"
    "var box = h.closest('.widget-slider, .widget-hslider, .widget-vslider, .jupyter-widgets');"
    "var label = box && box.querySelector('.widget-label');"
    "var text = label ? label.textContent.trim() : '';"
    "if (text) h.setAttribute('aria-label', text); });"
    "document.querySelectorAll('img[title]:not([alt])').forEach(function (i) { i.alt = i.title; }); }"
    "name(); new MutationObserver(name).observe(document.body, {childList: true, subtree: true}); })();</script>"
)


def _sri(data: bytes) -> str:
    import base64
    import hashlib

    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def _npm_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "specmask_edu" / "npm"


def fetch_scripts(cache=None, log=None) -> dict | None:
    """The pinned scripts of :data:`SCRIPTS` as ``{name: bytes}`` plus their licences
    (``{"LICENSES/<package>-<file>": bytes}``), fetched once with ``npm pack`` into ``cache``
    (default ``~/.cache/specmask_edu/npm``) and checked against the pinned integrity hashes.

    Returns None (after a log line saying why) when npm is missing or the registry cannot be reached: the
    pages then load the scripts from the CDN with the same hashes.
    """
    import shutil
    import subprocess
    import tarfile

    cache = Path(cache) if cache is not None else _npm_cache()
    npm = shutil.which("npm")
    files = {}
    for name, spec in SCRIPTS.items():
        tarball = cache / (spec["npm"].lstrip("@").replace("/", "-").replace("@", "-") + ".tgz")
        if not tarball.is_file():
            if npm is None:
                if log:
                    log("npm not found: the pages will load require.js, the widget renderer and MathJax from "
                        "jsDelivr (pinned, with integrity hashes) and need the internet for explorers and math")
                return None
            cache.mkdir(parents=True, exist_ok=True)
            try:
                run = subprocess.run([npm, "pack", spec["npm"], "--pack-destination", str(cache), "--silent"],
                                     capture_output=True, text=True, timeout=300)
            except (OSError, subprocess.TimeoutExpired) as err:
                run = subprocess.CompletedProcess([], 1, "", str(err))
            made = cache / run.stdout.strip().splitlines()[-1] if run.returncode == 0 and run.stdout.strip() else None
            if made is None or not made.is_file():
                if log:
                    log(f"npm pack {spec['npm']} failed ({run.stderr.strip()[-300:]}); the pages will load the "
                        "scripts from jsDelivr instead (pinned, with integrity hashes)")
                return None
            made.replace(tarball)
        with tarfile.open(tarball) as tar:
            data = tar.extractfile(spec["member"]).read()
            if _sri(data) != spec["integrity"]:
                raise RuntimeError(f"{tarball} does not contain the pinned {spec['npm']} ({spec['member']} has "
                                   f"another hash); delete it and build again")
            files[name] = data
            for licence in spec["licences"]:
                package = spec["npm"].rsplit("@", 1)[0].lstrip("@").replace("/", "-")
                files[f"LICENSES/{package}-{Path(licence).name}"] = tar.extractfile(licence).read()
    return files


def _script_urls(prefix: str | None) -> dict:
    """``{name: (src, integrity or "")}``: files next to the page under ``prefix``, or the CDN with SRI."""
    if prefix is not None:
        return {name: (f"{prefix}/{name}", "") for name in SCRIPTS}
    return {name: (spec["cdn"], spec["integrity"]) for name, spec in SCRIPTS.items()}


def _script_tag(src: str, integrity: str, defer: bool = False) -> str:
    extra = f' integrity="{integrity}" crossorigin="anonymous"' if integrity else ""
    return f'<script{" defer" if defer else ""} src="{html.escape(src)}"{extra}></script>'


# The lab template with three changes: the pinned scripts (local or CDN with SRI) instead of floating CDN
# URLs, MathJax 3 instead of 2, and the ``alt`` of image outputs written from their metadata.
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
    for record_path in sorted((Path(__file__).resolve().parent / "learn" / "pretrained").glob("*.json")):
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


_WAV_URI = re.compile(r"data:audio/wav;base64,([A-Za-z0-9+/=]+)")
_PNG_URI = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
_SOURCE_TAG = re.compile(r'<source src="(data:audio/flac;base64,[A-Za-z0-9+/=]+)"')
_WIDGET_STATE = re.compile(r'(<script type="application/vnd\.jupyter\.widget-state\+json">)(.*?)(</script>)', re.S)
# Players that repeat a clip get a reference instead of a copy. Widget views are drawn after the page has
# loaded (by the widget script), so references that appear later are filled in as they are added.
_SHARE_SCRIPT = (
    "<script>/* specmask_edu: players that repeat a clip share its one embedded copy */"
    "(function () { function fill() {"
    "document.querySelectorAll('source[data-specmask-ref]:not([src])').forEach(function (s) {"
    "var o = document.querySelector('source[data-specmask-id=\"' + s.dataset.specmaskRef + '\"]');"
    "if (o) { s.src = o.src; s.parentElement.load(); } }); }"
    "fill(); new MutationObserver(fill).observe(document.body, {childList: true, subtree: true}); })();</script>"
)


def _wav_to_flac(match) -> str:
    import base64
    import io

    import soundfile as sf

    data, sr = sf.read(io.BytesIO(base64.b64decode(match.group(1))), dtype="int16")
    out = io.BytesIO()
    sf.write(out, data, sr, format="FLAC", subtype="PCM_16")
    return "data:audio/flac;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _png_to_webp(match) -> str:
    """The same pixels as lossless WebP (typically 2-3 times smaller for spectrograms); kept as PNG if
    Pillow has no WebP support or WebP is not smaller."""
    import base64
    import io

    from PIL import Image, features

    if not features.check("webp"):
        return match.group(0)
    png = base64.b64decode(match.group(1))
    with Image.open(io.BytesIO(png)) as image:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        out = io.BytesIO()
        # method 2: nearly the smallest files (method 6 saves 3 % more at 30 times the time)
        image.save(out, "WEBP", lossless=True, method=2, quality=50, exact=True)
    webp = out.getvalue()
    if len(webp) >= len(png):
        return match.group(0)
    return "data:image/webp;base64," + base64.b64encode(webp).decode("ascii")


def _map_strings(value, function):
    """``value`` (parsed JSON) with ``function`` applied to every string in it."""
    if isinstance(value, str):
        return function(value)
    if isinstance(value, list):
        return [_map_strings(v, function) for v in value]
    if isinstance(value, dict):
        return {k: _map_strings(v, function) for k, v in value.items()}
    return value


def compact_media(page_html: str) -> str:
    """Make a page smaller without changing what it shows or plays.

    1. Every embedded WAV (the players' in the page and those inside the saved widget state) becomes a
       lossless 16-bit FLAC with the same samples (``soundfile``), roughly halving its size.
    2. Every PNG figure of the page becomes a lossless WebP with the same pixels when that is smaller
       (Pillow; typically a third to a half of the size). Widget pictures are left as they are.
    3. A clip embedded as a player's ``<source>`` more than once is kept once: later players, in the page
       or in a widget's saved state (an explorer's players repeat its static cell's), get a
       ``data-specmask-ref`` and a short script at the end of the page points them at the first copy.
    """
    import json

    states = []

    def cut_state(match):  # handled after the page, so page players hold the shared copies
        states.append(match.group(2))
        return match.group(1) + f"\0specmask-state-{len(states) - 1}\0" + match.group(3)

    page_html = _WIDGET_STATE.sub(cut_state, page_html)
    page_html = _flac_players(page_html)
    page_html = _PNG_URI.sub(_png_to_webp, page_html)
    first_id: dict[str, int] = {}
    shared = False

    def share(match):
        nonlocal shared
        uri = match.group(1)
        if uri in first_id:
            shared = True
            return f'<source data-specmask-ref="{first_id[uri]}"'
        first_id[uri] = len(first_id)
        return f'<source data-specmask-id="{first_id[uri]}" src="{uri}"'

    def share_with_page(match):
        # In the widget state, only refer to a copy in the page itself: a widget that is never drawn would
        # leave its own copy out of the page, and the players referring to it would stay silent.
        nonlocal shared
        uri = match.group(1)
        if uri not in first_id:
            return match.group(0)
        shared = True
        return f'<source data-specmask-ref="{first_id[uri]}"'

    def compact_string(text):
        if "data:audio/wav" in text:
            text = _flac_players(text)
        return _SOURCE_TAG.sub(share_with_page, text) if "<source" in text else text

    page_html = _SOURCE_TAG.sub(share, page_html)
    for i, state in enumerate(states):
        compacted = _map_strings(json.loads(state), compact_string)
        # as nbconvert writes it: "/" escaped, so no "</script>" can end the script early
        text = "\n" + json.dumps(compacted).replace("/", "\\/") + "\n"
        page_html = page_html.replace(f"\0specmask-state-{i}\0", text, 1)
    if shared:  # before the page's own (last) </body>; an output may contain one of its own
        head, body_end, tail = page_html.rpartition("</body>")
        page_html = head + _SHARE_SCRIPT + "\n" + body_end + tail if body_end else page_html + _SHARE_SCRIPT
    return page_html


def _flac_players(text: str) -> str:
    """Every embedded WAV as FLAC, and the players' ``type`` attributes with it (nothing else is touched)."""
    return _WAV_URI.sub(_wav_to_flac, text).replace('type="audio/wav"', 'type="audio/flac"')


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
            '<code>specmask-edu lab</code>); the cell below each explorer shows its result.</span>')
    return f'<nav class="specmask-nav" style="{_NAV_STYLE}">{"".join(links)}{note}</nav>'


def _with_nav(page_html: str, nav: str, lessons=()) -> str:
    """The page with the navigation bar at the top of its body, the widget naming script at the end of it,
    and links to other lessons (``NN_name.ipynb`` in the text) pointing at their pages in the edition."""
    page_html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + nav, page_html, count=1)
    head, body_end, tail = page_html.rpartition("</body>")
    page_html = head + _WIDGET_A11Y_SCRIPT + "\n" + body_end + tail if body_end else page_html + _WIDGET_A11Y_SCRIPT
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
                        f"they appear as usual; offline the explorers stay blank and the formulas show as LaTeX, "
                        f"and the static cell below each explorer still shows its figure and players. Build with "
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
    candidates = [Path.cwd() / "notebooks", Path(__file__).resolve().parent.parent / "notebooks"]
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

    from . import __version__

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
