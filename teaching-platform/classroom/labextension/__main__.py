"""``python -m classroom.labextension [--check | --install [PREFIX] | --develop [PREFIX]]``.

Rebuild (or, with ``--check``, check) the prebuilt extension and its settings file; with
``--install``, copy them into an environment (default: this one); with ``--develop``, link that
environment's two places to this checkout, as an editable install needs
(:mod:`classroom.labextension.install`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from classroom.errors import CourseError
from classroom.labextension import build
from classroom.labextension.install import develop, install


def main(argv: list[str]) -> int:
    """Write the extension's files (``--check``: only report stale ones); 1 if stale under check.

    Examples
    --------
    >>> main(["--check"])
    course-lib-widget-keys: up to date
    0
    """
    if argv[:1] in (["--install"], ["--develop"]):
        action = install if argv[0] == "--install" else develop
        try:
            written = action(Path(argv[1]) if len(argv) > 1 else Path(sys.prefix))
        except (CourseError, OSError) as exc:
            print(f"course-lib-widget-keys: error: {exc}", file=sys.stderr)
            return 1
        verb = "installed" if action is install else "linked"
        print("\n".join(f"{verb} {p}" for p in written))
        return 0
    check = "--check" in argv
    changed = build(check=check)
    print("\n".join(changed) if changed else "course-lib-widget-keys: up to date")
    return 1 if changed and check else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
