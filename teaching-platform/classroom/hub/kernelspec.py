"""The hub's Python kernel: ipykernel with the course's modules loaded before the first cell.

Every lesson's first cell imports ``course_lib`` (pandas, matplotlib, ipywidgets underneath):
about a second of CPU. The hub's kernel spec (named ``python3``, so notebooks open with it as
they are) loads those modules while the kernel starts, binding no name in the notebook's
namespace and counting no execution. With ``course hub --prestart`` lesson 00's kernel starts
before the class, so a student's first cell runs at once; a kernel started later costs the same
as before, only earlier (at start instead of at the first cell).

The spec lives in a folder of the hub's own, handed to every server as ``JUPYTER_PATH`` (the
first place Jupyter looks for kernel specs); nothing is installed into the environment.

Examples
--------
>>> import json, tempfile
>>> folder = write_kernelspec(Path(tempfile.mkdtemp()), python="/venv/bin/python")
>>> spec = json.loads((folder / "kernels" / "python3" / "kernel.json").read_text())
>>> spec["argv"][:3]
['/venv/bin/python', '-m', 'ipykernel_launcher']
>>> print(*spec["argv"][-1].split("; "), sep="\\n")
--IPKernelApp.exec_lines=__import__('course_lib.datasets')
__import__('course_lib.plots')
__import__('course_lib.widgets');
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from course_lib.files import atomic_write_text

__all__ = ["PRELOADED", "write_kernelspec"]

#: What the lessons' first cells import, loaded as the kernel starts.
PRELOADED = ("course_lib.datasets", "course_lib.plots", "course_lib.widgets")


def write_kernelspec(target: Path, python: str = sys.executable) -> Path:
    """Write the ``python3`` kernel spec below ``target``; returns ``target`` (a JUPYTER_PATH)."""
    # one line of statements ending in ";": nothing displayed, no name bound
    preload = " ".join(f"__import__({name!r});" for name in PRELOADED)
    spec = {
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 f"--IPKernelApp.exec_lines={preload}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "metadata": {"debugger": True},
        "kernel_protocol_version": "5.5",
    }
    atomic_write_text(Path(target) / "kernels" / "python3" / "kernel.json",
                      json.dumps(spec, indent=1) + "\n")
    return Path(target)
