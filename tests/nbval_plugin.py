"""A pytest plugin for the nbval re-run of the executed chapters (tests/test_book.py).

What differs between the build's saved notebook and a fresh run without meaning anything
is left out of the comparison; everything else is compared as nbval does:

- myst-nb's ``glue`` records a value as a display output whose MIME types all start with
  ``application/papermill.record/``; the build takes those outputs out of the saved
  notebook (they become the numbers in the prose), a fresh run still prints them.
- A cell's printed text reaches the notebook in parts that depend on timing. The build
  merges them (``nb_merge_streams``, joined exactly by tools/course_book.py) into the
  cell's first stream output, in place, and saves the notebook with the parts it merged
  still after it; ``reference_notebook`` keeps the merged output only (or joins the parts
  where they were not merged). Blank lines are not compared (the merge strips the
  trailing ones).
"""

from __future__ import annotations

import copy
import re

import nbformat
import nbval.plugin as nbval

GLUE = "application/papermill.record/"


def is_glue(output) -> bool:
    data = output.get("data") or {}
    return (
        output.get("output_type") == "display_data"
        and bool(data)
        and all(key.startswith(GLUE) for key in data)
    )


def _normalised(outputs):
    out = []
    for output in outputs:
        if is_glue(output):
            continue
        if output.get("output_type") == "stream":
            output = copy.deepcopy(output)
            output["text"] = re.sub(r"\n+", "\n", output["text"]).lstrip("\n")
        out.append(output)
    return out


def reference_notebook(executed, target) -> None:
    """Write ``executed`` (the build's saved notebook) to ``target`` as nbval's reference:
    glue outputs out, one stream output per stream name (the merged one)."""
    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        first, rest, kept = {}, {}, []
        for output in cell.outputs:
            if is_glue(output):
                continue
            if output.output_type == "stream":
                if output.name in first:
                    rest[output.name] = rest.get(output.name, "") + output.text
                    continue
                first[output.name] = output
            kept.append(output)
        for name, text in rest.items():
            # Merged in place by the build: the first part already ends with the others.
            if not first[name].text.rstrip().endswith(text.rstrip()):
                first[name].text += text
        cell.outputs = kept
    nbformat.write(nb, target)


_compare_outputs = nbval.IPyNbCell.compare_outputs
_coalesce_streams = nbval.coalesce_streams


def compare_outputs(self, test, ref, skip_compare=None):
    return _compare_outputs(self, _normalised(test), _normalised(ref), skip_compare)


def coalesce_streams(outputs):
    return _coalesce_streams(copy.deepcopy(outputs))


nbval.IPyNbCell.compare_outputs = compare_outputs
nbval.coalesce_streams = coalesce_streams
