"""The Jupyter widget renderer that HTML-edition pages load from a CDN, for drawing saved widgets offline.

A page exported by nbconvert loads ``require.js`` (cdnjs) and ``@jupyter-widgets/html-manager``'s
``embed-amd.js`` (unpkg), which draws the saved widget state. The test machines have no internet apart
from the package registries, so the two files are fetched once from the npm registry (``npm pack``, the
same versions the pages ask for) into ``tests/_artifacts/npm/`` (gitignored), and a browser test serves them
in place of the CDN.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

CACHE = Path(__file__).resolve().parent / "_artifacts" / "npm"
# npm package -> (file inside its tarball, name used when serving it)
PACKAGES = {
    "@jupyter-widgets/html-manager@1.0.11": ("package/dist/embed-amd.js", "embed-amd.js"),  # pages ask ^1.0.0
    "requirejs@2.1.10": ("package/require.js", "require.js"),                                 # pages ask 2.1.10
}


def renderer_files() -> dict[str, bytes]:
    """``{"embed-amd.js": ..., "require.js": ...}``, fetched with npm on first use.

    Raises RuntimeError with what to do if npm is missing or the registry cannot be reached.
    """
    files = {}
    for spec, (member, name) in PACKAGES.items():
        cached = CACHE / name
        if not cached.is_file():
            npm = shutil.which("npm")
            if npm is None:
                raise RuntimeError("npm is not installed: install Node.js/npm (apt-get install -y npm) so the "
                                   f"test can fetch {spec} from the npm registry")
            CACHE.mkdir(parents=True, exist_ok=True)
            run = subprocess.run([npm, "pack", spec, "--pack-destination", str(CACHE), "--silent"],
                                 capture_output=True, text=True, timeout=300)
            if run.returncode:
                raise RuntimeError(f"npm pack {spec} failed (is the npm registry reachable?):\n{run.stderr[-2000:]}")
            tarball = CACHE / run.stdout.strip().splitlines()[-1]
            with tarfile.open(tarball) as tar:
                data = tar.extractfile(member).read()
            tmp = cached.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(cached)
            tarball.unlink()
        files[name] = cached.read_bytes()
    return files
