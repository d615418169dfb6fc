"""The scripts an HTML-edition page needs, pinned: the Jupyter widget renderer, require.js and MathJax.

Each is named with its exact npm version and Subresource Integrity hash (:data:`SCRIPTS`); :func:`fetch_scripts`
fetches them once from the npm registry so the edition works offline. Also the page style shared by every page.
Part of :mod:`specmask_edu.edition`.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

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
# in the text are underlined (their colour alone differs from the text by 1.9:1). An explorer's static view
# (its output's text/html, written next to the widget by the edition's template) is hidden once the widget
# renderer has drawn the live widget in its place (a .widget-subarea), so the page shows the explorer once.
_PAGE_CSS = """<style>
.jp-Notebook .jp-Cell:not(.jp-mod-active) .jp-InputPrompt,
.jp-Notebook .jp-Cell:not(.jp-mod-active) .jp-OutputPrompt { opacity: 1; color: #616161; }
.jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited { text-decoration: underline; }
.jupyter-widgets:has(> .widget-subarea) > .specmask-static-fallback { display: none; }
</style>"""

def widget_a11y_script() -> str:
    """The page's ``<script>`` naming what the widget renderer draws (it gives none): every slider handle gets
    its control's label, every explorer picture its title (the explorer's alt text) as ``alt``. The very script
    a live notebook runs when it shows an explorer (:func:`specmask_edu.widgets._controls.slider_names_js`), so
    there is one of it to keep right."""
    from ..widgets._controls import slider_names_js

    return "<script>/* specmask_edu: accessible names for drawn widgets */\n" + slider_names_js() + "\n</script>"


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
