"""``python -m course_lib.labextension [--check]``: rebuild (or check) the prebuilt extension."""

from __future__ import annotations

import sys

from course_lib.labextension import build


def main(argv: list[str]) -> int:
    """Write the extension's files (``--check``: only report stale ones); 1 if stale under check.

    Examples
    --------
    >>> main(["--check"])
    course-lib-widget-keys: up to date
    0
    """
    check = "--check" in argv
    changed = build(check=check)
    print("\n".join(changed) if changed else "course-lib-widget-keys: up to date")
    return 1 if changed and check else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
