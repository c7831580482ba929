"""A submission whose reflection holds a pasted image, as JupyterLab saves it (not a test module).

JupyterLab stores an image pasted into a Markdown cell as a cell attachment and refers to it
in the text (``![image.png](attachment:image.png)``).  :func:`write_pasted_image_submission`
writes the model answers with such a reflection, plus an attachment that is not an image (it
must be dropped) and a free Markdown cell of the student's own with a second image.
"""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import nbformat

from classroom.notebooks.model import grade_id
from tests.grading.submissions_kit import EXERCISE, student_notebook

REFLECTION = "Russia's bases link the two directions, as my figure shows.\n\n" \
             "![image.png](attachment:image.png)\n"


def png(width: int, height: int, rgb: tuple[int, int, int] = (0, 114, 178)) -> bytes:
    """A valid PNG of one colour (width x height pixels)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PASTED = base64.b64encode(png(3, 2)).decode()
OWN_FIGURE = base64.b64encode(png(2, 2, (213, 94, 0))).decode()


def write_pasted_image_submission(folder: Path, student: str) -> Path:
    """``folder/<student>/<exercise>.ipynb`` with the pasted-image reflection."""
    nb = student_notebook()
    for cell in nb.cells:
        if grade_id(cell) == "q6":
            cell.source = REFLECTION
            # JupyterLab writes base64 in lines of 76 characters
            lines = [PASTED[i:i + 76] + "\n" for i in range(0, len(PASTED), 76)]
            cell.attachments = nbformat.from_dict({
                "image.png": {"image/png": "".join(lines)},
                "notes.html": {"text/html": "<img src=x onerror=alert(1)>"}})
    own = nbformat.v4.new_markdown_cell("My own sketch: ![sketch.png](attachment:sketch.png)")
    own.attachments = nbformat.from_dict({"sketch.png": {"image/png": OWN_FIGURE}})
    nb.cells.append(own)
    path = folder / student / f"{EXERCISE}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
