"""Pasted images are part of the answer: which of a cell's attachments a graded notebook keeps.

JupyterLab saves an image pasted into a Markdown cell as a cell attachment
(``cell.attachments = {"image.png": {"image/png": "<base64>"}}``, shown by
``![image.png](attachment:image.png)`` in the text).  A reflection's attachments travel with
its text: into the notebook that runs (so the instructor's graded page shows them), into the
result (``manual[grade_id]["attachments"]``) and so into the marking widget.  Only images are
kept, by the rules the pages use (:func:`classroom.pages.sanitize.image_data_uri`), each up to
:data:`MAX_ATTACHMENT_BYTES`; anything else is dropped with a note.

Examples
--------
>>> cell = {"attachments": {"a.png": {"image/png": "iVBORw0KGgo=\\n"},
...                         "b.html": {"text/html": "<script>"}}}
>>> kept_attachments(cell)
({'a.png': {'image/png': 'iVBORw0KGgo='}}, ['b.html was not kept: text/html is not an image'])
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from classroom.pages.sanitize import image_data_uri

__all__ = ["MAX_ATTACHMENT_BYTES", "kept_attachments"]

#: Largest pasted image kept (bytes, decoded): a screenshot is well below it.
MAX_ATTACHMENT_BYTES = 5 * 2**20


def kept_attachments(cell: Mapping) -> tuple[dict[str, dict[str, str]], list[str]]:
    """The image attachments of ``cell`` and a note per dropped one (raster images as base64
    without line breaks, SVG as its text).

    Examples
    --------
    >>> kept_attachments({"cell_type": "markdown", "source": "no image"})
    ({}, [])
    """
    kept: dict[str, dict[str, str]] = {}
    notes: list[str] = []
    attachments = cell.get("attachments")
    if not isinstance(attachments, Mapping):
        return kept, notes
    for name, bundle in attachments.items():
        label = " ".join(str(name).split())[:80] or "an attachment"
        for mime, data in (bundle.items() if isinstance(bundle, Mapping) else ()):
            uri = image_data_uri(str(mime), data)
            if uri is None:
                notes.append(f"{label} was not kept: {str(mime)[:40]} is not an image")
                continue
            payload = uri.split(",", 1)[1]
            if math.ceil(len(payload) * 3 / 4) > MAX_ATTACHMENT_BYTES:
                notes.append(f"{label} was not kept: larger than "
                             f"{MAX_ATTACHMENT_BYTES // 2**20} MB")
                continue
            # as Jupyter stores it: base64 for raster images, the text of an SVG
            kept.setdefault(str(name), {})[str(mime)] = payload if mime != "image/svg+xml" \
                else "".join(data) if isinstance(data, list) else str(data)
    return kept, notes
