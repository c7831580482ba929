"""``python -m classroom.labextension [--check | --install [PREFIX]]``.

Rebuild (or, with ``--check``, check) the prebuilt extension; with ``--install``, put it and
the course's setting defaults into an environment (default: this one), as a hub image needs
(:mod:`classroom.labextension.install`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from classroom.errors import CourseError
from classroom.labextension import build
from classroom.labextension.install import install


def main(argv: list[str]) -> int:
    """Write the extension's files (``--check``: only report stale ones); 1 if stale under check.

    Examples
    --------
    >>> main(["--check"])
    course-lib-widget-keys: up to date
    0
    """
    if argv[:1] == ["--install"]:
        try:
            written = install(Path(argv[1]) if len(argv) > 1 else Path(sys.prefix))
        except (CourseError, OSError) as exc:
            print(f"course-lib-widget-keys: error: {exc}", file=sys.stderr)
            return 1
        print("\n".join(f"installed {p}" for p in written))
        return 0
    check = "--check" in argv
    changed = build(check=check)
    print("\n".join(changed) if changed else "course-lib-widget-keys: up to date")
    return 1 if changed and check else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
