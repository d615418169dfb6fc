"""The package's layers: lower layers never import higher ones, and there is no import cycle.

Layers (see ../shared/design.md): base (``_validation``, ``_defaults``) -> data (``audio``, ``examples``,
``synth``) and math (``stft``, ``masks``, ``separation``, ``phase``, ``metrics``) -> view (``plots``,
``players``, ``widgets``) -> teach (``exercises``) and app (``edition``, ``cli``). Checked twice: statically
(every ``import`` statement of a module's source, function-local ones included) and at run time (what a
fresh interpreter has loaded after importing the module).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = "specmask_edu"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

#: The math and data modules and the base they stand on.
LOWER = ("_validation", "_defaults", "stft", "masks", "separation", "phase", "metrics", "audio", "examples", "synth")
#: What none of them may import: the view and teaching layers of the package, and the GUI libraries.
FORBIDDEN_INTERNAL = ("plots", "players", "widgets", "exercises", "edition", "cli", "learn")
FORBIDDEN_EXTERNAL = ("ipywidgets", "matplotlib", "IPython")
#: What `import specmask_edu` must not load (it stays fast; they load on first use).
HEAVY = ("librosa", "scipy", "matplotlib", "ipywidgets", "torch", "numba", "soundfile")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


MODULES = _modules()


def _resolve(module: str, path: Path, node) -> list[str]:
    """Absolute names imported by one ``import`` / ``from ... import`` node (sub-modules where they exist)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    if node.level:
        base_parts = package.split(".")
        base_parts = base_parts[: len(base_parts) - (node.level - 1)]
        base = ".".join(base_parts + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    names = []
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        names.append(candidate if candidate in MODULES else base)
    return names


def _imports(module: str) -> set[str]:
    """Every name a module imports anywhere in its source (top level, functions, methods, try blocks)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update(_resolve(module, path, node))
    return found


def _forbidden(name: str) -> bool:
    top = name.split(".")[0]
    if top in FORBIDDEN_EXTERNAL:
        return True
    if top == PACKAGE:
        parts = name.split(".")
        return len(parts) > 1 and parts[1] in FORBIDDEN_INTERNAL
    return False


def test_every_lower_module_exists():
    missing = [m for m in LOWER if f"{PACKAGE}.{m}" not in MODULES]
    assert not missing, f"modules named in the layering rule are missing: {missing}"


@pytest.mark.parametrize("module", LOWER)
def test_lower_layers_import_no_higher_layer_in_their_source(module):
    name = f"{PACKAGE}.{module}"
    parts = [m for m in MODULES if m == name or m.startswith(name + ".")]  # a package and its sub-modules
    bad = sorted({(m, imported) for m in parts for imported in _imports(m) if _forbidden(imported)})
    assert not bad, f"{name} imports {bad}: the math and data layers must not depend on views, " \
                    "widgets, exercises or GUI libraries (move the code up a layer, or pass data down)"


def test_lower_layers_load_no_higher_layer_at_run_time():
    code = (
        "import json, sys\n"
        f"for name in {list(LOWER)!r}:\n"
        f"    __import__('{PACKAGE}.' + name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out)
    bad = sorted(name for name in loaded if _forbidden(name))
    assert not bad, f"importing the math and data modules loaded {bad}"


def test_import_specmask_edu_loads_no_heavy_library():
    code = f"import json, sys; import {PACKAGE}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = {name.split(".")[0] for name in json.loads(out)}
    heavy = sorted(set(HEAVY) & loaded)
    assert not heavy, f"`import {PACKAGE}` loads {heavy}; import them inside the functions that need them"


def test_import_of_plots_loads_no_matplotlib():
    """The plots package draws with matplotlib but imports it inside the functions (first figure, not import)."""
    code = f"import json, sys; import {PACKAGE}.plots; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = {name.split(".")[0] for name in json.loads(out)}
    assert "matplotlib" not in loaded, f"`import {PACKAGE}.plots` loads matplotlib; import it inside the function"


def _graph() -> dict[str, set[str]]:
    graph = {}
    for module in MODULES:
        targets = set()
        for name in _imports(module):
            # the deepest module of the package the name refers to (a.b.c -> a.b.c, or a.b if c is a name)
            parts = name.split(".")
            while parts and ".".join(parts) not in MODULES:
                parts.pop()
            if parts and ".".join(parts) != module:
                targets.add(".".join(parts))
        graph[module] = targets
    return graph


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    stack: list[str] = []

    def visit(node):
        colour[node] = GREY
        stack.append(node)
        for nxt in sorted(graph[node]):
            if colour[nxt] == GREY:
                return stack[stack.index(nxt):] + [nxt]
            if colour[nxt] == WHITE:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        colour[node] = BLACK
        return None

    for node in sorted(graph):
        if colour[node] == WHITE:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_package_has_no_import_cycle():
    cycle = _find_cycle(_graph())
    assert cycle is None, "import cycle (function-local imports included): " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    """The check above can fail: a made-up graph with a cycle is caught, one without is not."""
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_sub_packages_are_read_module_by_module():
    """The checks above see inside the packages split into one module per idea (``masks/``, ``plots/``):
    every file is a module of its own, and an import between two of them is an edge of the graph."""
    for package in ("masks", "plots"):
        files = sorted((ROOT / package).glob("*.py"))
        assert len(files) > 1, f"{PACKAGE}.{package} is expected to be a package of several modules"
        assert all(_module_name(f) in MODULES for f in files)
    graph = _graph()
    assert {f"{PACKAGE}.masks._common", f"{PACKAGE}.masks.complex"} <= graph[f"{PACKAGE}.masks.real"]
    assert f"{PACKAGE}.plots.spectrograms" in graph[f"{PACKAGE}.plots.mask_views"]


def test_cli_imports_edition_and_not_the_reverse():
    graph = _graph()
    assert f"{PACKAGE}.edition" in graph[f"{PACKAGE}.cli"]
    assert f"{PACKAGE}.cli" not in graph[f"{PACKAGE}.edition"]
