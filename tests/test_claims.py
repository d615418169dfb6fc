"""Numbers in the text cannot drift: every claim of lessons 00-06 checked against the executed lesson.

The ledger is ``tests/claims_ledger.py``; each lesson is executed once per session (``tests/_executed.py``, shared
with ``tests/test_notebooks.py``). A claim fails when its quoted sentence is no longer in the lesson (the text
changed: update the entry) or when the lesson no longer computes what the sentence says (the clip, a default or a
formula changed: update the text). A coverage test makes sure that every number with a unit in the lessons' text
is in the ledger.
"""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

import nbformat
import pytest

from _executed import executed
from claims_ledger import CLAIMS, claims_for

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
LESSONS = {p.stem[:2]: p for p in sorted(NOTEBOOK_DIR.glob("0[0-6]_*.ipynb"))}

#: A number with a unit, a range of them ("10–12 dB"), or a decimal: what the coverage test looks for.
NUMBER = re.compile(r"[−+-]?\d+(?:\.\d+)?(?:\s*[–-]\s*[−+-]?\d+(?:\.\d+)?)?\s*(?:dB|%|Hz|kHz|ms)(?![A-Za-z])"
                    r"|(?<![\d.])\d+\.\d+(?![\d.])")


def _normal(text: str) -> str:
    return " ".join(text.split())


def _cells_text(nb, kind: str) -> str:
    return "\n".join(_normal(c.source) for c in nb.cells if c.cell_type == kind)


def _within(value, claim) -> bool:
    if "range" in claim:
        low, high = claim["range"]
        values = value if isinstance(value, list) else [value]
        return all(low <= v <= high for v in values)
    if "expect_list" in claim:
        return isinstance(value, list) and len(value) == len(claim["expect_list"]) and all(
            abs(v - e) <= claim["tol"] for v, e in zip(value, claim["expect_list"]))
    return abs(value - claim["expect"]) <= claim["tol"]


def check_claim(claim: dict, nb, values: dict, outputs: str) -> list[str]:
    """What is wrong with one ledger entry for an executed lesson (an empty list: the claim holds)."""
    problems = []
    where = claim.get("in", "markdown")
    if _normal(claim["text"]) not in _cells_text(nb, where):
        problems.append(f"the text {claim['text']!r} is not in a {where} cell of lesson {claim['nb']} any more")
    for key in ("value", "holds"):
        if key not in claim:
            continue
        result = values.get(claim[key])
        if result is None or "error" in result:
            problems.append(f"{key} {claim[key]!r} could not be evaluated: {result and result.get('error')}")
            continue
        value = result["value"]
        if key == "holds" and value is not True:
            problems.append(f"{claim['text']!r} is no longer true: {claim['holds']!r} is {value!r}")
        if key == "value" and not _within(value, claim):
            wanted = claim.get("range") or claim.get("expect_list") or f"{claim['expect']} ± {claim['tol']}"
            problems.append(f"{claim['text']!r}: {claim['value']!r} is now {value!r}, the text needs {wanted}")
    if "output" in claim:
        match = re.search(claim["output"], outputs)
        if match is None:
            problems.append(f"no output of lesson {claim['nb']} matches {claim['output']!r}")
        else:
            g = [float(x) for x in match.groups()]
            if "check" in claim:
                ok = eval(claim["check"], {"g": g, "abs": abs, "math": math})  # noqa: S307 (our own ledger)
            else:
                ok = _within(g[0], claim)
            if not ok:
                problems.append(f"{claim['text']!r}: the lesson now prints {match.group(0)!r}")
    if not any(k in claim for k in ("value", "holds", "output", "defined")):
        problems.append(f"{claim['text']!r} has no check (value, holds, output) and is not marked defined")
    return problems


def _check_lesson(nb_id: str) -> list[str]:
    run = executed(LESSONS[nb_id])
    outputs = run.outputs_text()
    return [p for claim in claims_for(nb_id) for p in check_claim(claim, run.nb, run.values, outputs)]


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("nb_id", sorted(LESSONS))
def test_every_claim_in_the_text_matches_the_executed_lesson(nb_id):
    problems = _check_lesson(nb_id)
    assert not problems, f"lesson {nb_id}: {len(problems)} claim(s) no longer true:\n" + "\n".join(problems)


@pytest.mark.notebook
@pytest.mark.slow
def test_the_ledger_fails_on_a_doctored_entry():
    """A claim whose number, condition or quoted text no longer matches the lesson is reported (lesson 02)."""
    run = executed(LESSONS["02"])
    outputs = run.outputs_text()
    entries = claims_for("02")
    value_claim = next(c for c in entries if "expect" in c)
    holds_claim = next(c for c in entries if "holds" in c)
    assert check_claim(value_claim, run.nb, run.values, outputs) == []
    assert check_claim(holds_claim, run.nb, run.values, outputs) == []

    wrong_number = copy.deepcopy(value_claim)
    wrong_number["expect"] = value_claim["expect"] + 10 * value_claim["tol"] + 5       # "about 12.7 dB"
    assert any("the text needs" in p for p in check_claim(wrong_number, run.nb, run.values, outputs))

    wrong_text = copy.deepcopy(value_claim)
    wrong_text["text"] = value_claim["text"] + " and then some"
    assert any("is not in a markdown cell" in p for p in check_claim(wrong_text, run.nb, run.values, outputs))

    false_condition = copy.deepcopy(holds_claim)
    false_condition["holds"] = "not (" + holds_claim["holds"] + ")"
    run.values[false_condition["holds"]] = {"value": False}                           # what the kernel would say
    assert any("no longer true" in p for p in check_claim(false_condition, run.nb, run.values, outputs))


def _exercise_cell(source: str) -> bool:
    """Exercise instructions state task parameters (an LC of −6 dB, 20 iterations), not results."""
    return bool(re.search(r"(^|\n)\s*(#+\s*)?\**Exercise \d\d\.\d", source))


@pytest.mark.parametrize("nb_id", sorted(LESSONS))
def test_every_number_in_the_text_is_in_the_ledger(nb_id):
    """Each number with a unit (dB, %, Hz, kHz, ms) or with decimals in a text cell, outside formulas, code and
    exercise instructions, is quoted by a ledger entry of its lesson."""
    nb = nbformat.read(str(LESSONS[nb_id]), as_version=4)
    quoted = sorted({_normal(c["text"]) for c in claims_for(nb_id)}, key=len, reverse=True)
    missing = []
    for cell in nb.cells:
        if cell.cell_type != "markdown" or _exercise_cell(cell.source) or cell.source.lstrip().startswith("<small>"):
            continue                              # (the licence footer: "CC BY 4.0" is a name, not a claim)
        text = _normal(cell.source)
        for quote in quoted:                      # what the ledger quotes is covered
            text = text.replace(quote, " ")
        text = re.sub(r"\$\$.*?\$\$", " ", text)
        text = re.sub(r"\$[^$]*\$|`[^`]*`|\]\([^)]*\)", " ", text)
        for match in NUMBER.finditer(text):
            missing.append(f"{match.group(0)!r} in “…{text[max(0, match.start() - 50):match.end() + 20]}…”")
    assert not missing, (f"lesson {nb_id} states numbers the claims ledger (tests/claims_ledger.py) does not "
                         "check; add an entry for each:\n" + "\n".join(missing))


def test_ledger_entries_name_existing_lessons_and_are_well_formed():
    for claim in CLAIMS:
        assert claim["nb"] in LESSONS, claim
        assert claim["text"].strip(), claim
        if "value" in claim:
            assert "range" in claim or "expect_list" in claim or ("expect" in claim and "tol" in claim), claim
