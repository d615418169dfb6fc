"""Execute each lesson notebook once per test session, and keep what the tests need from the run.

``tests/test_notebooks.py`` (runs top to bottom) and ``tests/test_claims.py`` (every number in the text) both
read the same run, so CI executes each lesson once. While the kernel is still alive after the last cell, the
expressions of the claims ledger (``tests/claims_ledger.py``) for that lesson are evaluated in the lesson's own
namespace and kept as JSON values.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

#: Seconds one cell may take before the run fails (a lesson cell should take a few seconds at most;
#: lesson 07 trains a small network).
CELL_TIMEOUT = 600

_PROBE_MARK = "__SPECMASK_CLAIMS__"
_CACHE: dict = {}   # resolved path -> ExecutedNotebook, or the exception its run raised


@dataclass
class ExecutedNotebook:
    """A lesson after Restart & Run All: the notebook with its outputs, and the ledger's values."""

    path: Path
    nb: nbformat.NotebookNode
    values: dict = field(default_factory=dict)   # expression -> {"value": ...} or {"error": "..."}

    def outputs_text(self) -> str:
        """All text a reader sees below the code cells: printed text, results' text/plain and text/markdown."""
        parts = []
        for cell in self.nb.cells:
            if cell.cell_type != "code":
                continue
            for out in cell.outputs:
                if out.output_type == "stream":
                    parts.append(out.text)
                elif out.output_type in ("execute_result", "display_data"):
                    data = out.get("data", {})
                    parts.append(data.get("text/markdown", "") or data.get("text/plain", ""))
        return "\n".join(parts)


def _probe_source(expressions, setup: str) -> str:
    """Code run in the lesson's kernel after its last cell: evaluate every expression, print them as JSON."""
    return "\n".join([
        setup,
        "def __specmask_claim_value(expression):",
        "    import json as _json",
        "    try:",
        "        value = eval(expression, globals())",
        "    except Exception as error:  # reported by the claim that uses it",
        "        return {'error': f'{type(error).__name__}: {error}'}",
        "    if hasattr(value, 'tolist'):",
        "        value = value.tolist()",
        "    try:",
        "        _json.dumps(value)",
        "    except TypeError:",
        "        value = repr(value)",
        "    return {'value': value}",
        "import json as __specmask_json",
        f"print({_PROBE_MARK!r} + __specmask_json.dumps("
        f"{{e: __specmask_claim_value(e) for e in {list(expressions)!r}}}))",
    ])


def execute(path, expressions=(), setup: str = "") -> ExecutedNotebook:
    """Run a notebook top to bottom in a fresh kernel, as a student would (inline backend, no instructor mode,
    lesson 07 in fast mode), then evaluate ``expressions`` in its namespace (``setup`` runs first)."""
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(str(path), as_version=4)
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)            # the notebook's own (inline) backend, as for a student
    env.pop("SPECMASK_INSTRUCTOR", None)   # students do not see solutions
    env["SPECMASK_FAST"] = "1"              # lesson 07 trains for seconds, not minutes (the lesson's default is full)
    workdir = tempfile.mkdtemp(prefix=f"specmask_{path.stem}_")
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": workdir}})
    client.reset_execution_trackers()
    values = {}
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        client.set_widgets_metadata()
        if expressions:
            probe = nbformat.v4.new_code_cell(_probe_source(expressions, setup))
            nb.cells.append(probe)
            try:
                client.execute_cell(probe, len(nb.cells) - 1)
            finally:
                nb.cells.pop()
            text = "".join(o.get("text", "") for o in probe.outputs if o.output_type == "stream")
            line = [x for x in text.splitlines() if x.startswith(_PROBE_MARK)][-1]
            values = json.loads(line[len(_PROBE_MARK):])
    return ExecutedNotebook(path, nb, values)


def executed(path) -> ExecutedNotebook:
    """The session's run of ``path`` (executed on first use, with the ledger's expressions for that lesson)."""
    path = Path(path).resolve()
    if path not in _CACHE:
        from claims_ledger import expressions_for, setup_for

        try:
            _CACHE[path] = execute(path, expressions_for(path.stem[:2]), setup_for(path.stem[:2]))
        except Exception as error:  # a failing lesson fails every test that reads it, without running it again
            _CACHE[path] = error
    if isinstance(_CACHE[path], Exception):
        raise _CACHE[path]
    return _CACHE[path]
