"""The pinned scripts of the HTML edition (widget renderer, require.js, MathJax), for tests that need them.

The edition includes them in ``DIR/_static/`` when npm is available (``specmask_edu.edition.fetch_scripts``:
``npm pack`` from the npm registry, checked against the pinned integrity hashes). The tests fetch them the
same way, once, into ``tests/_artifacts/npm/`` (gitignored), with the same function and pins: there is one
list of versions, ``edition.SCRIPTS``.
"""

from __future__ import annotations

from pathlib import Path

CACHE = Path(__file__).resolve().parent / "_artifacts" / "npm"


def renderer_files() -> dict[str, bytes]:
    """``{"embed-amd.js": ..., "require.js": ..., "tex-svg-full.js": ..., "LICENSES/...": ...}``.

    Raises RuntimeError with what to do if npm is missing or the registry cannot be reached.
    """
    from specmask_edu.edition import SCRIPTS, fetch_scripts

    reasons = []
    files = fetch_scripts(cache=CACHE, log=reasons.append)
    if files is None:
        raise RuntimeError("could not fetch " + ", ".join(s["npm"] for s in SCRIPTS.values()) + " with npm "
                           "(install Node.js/npm: apt-get install -y npm; is the npm registry reachable?): "
                           + " ".join(reasons))
    return files
