"""Each student's own login code: issued by the instructor, handed out on a class sheet.

``course hub`` gives every student on the roster a code of their own (12 letters and digits
from an alphabet without look-alikes, about 59 bits: ``abcd-efgh-jkmn``), written with the
student's name on the class sheet (``class-sheet.txt`` in the hub's folder, readable by the
instructor only) to print and hand out. The hub stores only a bcrypt hash (the same hash
JupyterHub's NativeAuthenticator keeps); a student may replace their code with a password of
their own at ``/hub/change-password``. ``course hub --reset NAME`` issues a new code for one
student (a forgotten password), while the hub runs or not.

The command and the hub never share a database handle: the command drops one file per issued
code into the hub's ``login-codes/`` folder (the hash, never the code), and the hub's
authenticator (:mod:`classroom.hub.authenticator`) applies it and removes it.

Examples
--------
>>> code = new_code()
>>> len(code), code.count("-"), set(code) <= set(ALPHABET + "-")
(14, 2, True)
>>> import bcrypt
>>> bcrypt.checkpw(code.encode(), hash_code(code))
True
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

import bcrypt

from classroom.gradebook.roster import read_roster
from course_lib.files import atomic_write_text

__all__ = ["ALPHABET", "CODES_FOLDER", "SHEET", "hash_code", "issue_codes", "new_code",
           "parse_users", "pending_codes", "read_sheet", "roster_accounts"]

#: Letters and digits that cannot be mistaken for one another on paper (no 0/o, 1/l/i).
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
#: The hub's folder of issued, not yet applied codes (one ``<name>.json`` each).
CODES_FOLDER = "login-codes"
#: The class sheet: one line per student, ``name<TAB>code``, mode 0600.
SHEET = "class-sheet.txt"
#: bcrypt cost of a code: the code is random (59 bits), so a fast hash keeps a login cheap
#: (about 50 ms) without making a stolen hash easier to reverse.
_CODE_ROUNDS = 10
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")


def _check_names(names: list[str], source: str) -> list[str]:
    bad = [n for n in names if not _NAME.match(n)]
    if bad or not names:
        shown = ", ".join(repr(n) for n in bad[:3]) or "none"
        raise ValueError(f"{source} must give account names of a-z, 0-9, . _ - (at most 32, "
                         f"starting with a letter or digit); bad: {shown}")
    return names


def parse_users(text: str) -> list[str]:
    """Account names from ``a,b,c`` (lower-case letters, digits, ``.``, ``_``, ``-``).

    Examples
    --------
    >>> parse_users("ann, bob,ann")
    ['ann', 'bob']
    >>> parse_users("Ann Lee")
    Traceback (most recent call last):
    ...
    ValueError: --users must give account names of a-z, 0-9, . _ - (at most 32, starting ...
    """
    names = list(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    return _check_names(names, "--users")


def roster_accounts(path: Path) -> list[str]:
    """The hub accounts of a roster CSV: each student's submission folder name (``folder``,
    else ``id``), which is also the name ``course collect`` files their work under.

    Raises
    ------
    CourseError
        When the roster cannot be read; ``ValueError`` when a folder name is no account name.

    Examples
    --------
    >>> import tempfile
    >>> roster = Path(tempfile.mkdtemp()) / "roster.csv"
    >>> _ = roster.write_text("id,name,email,lms_id,folder\\ns01,Ann Lee,a@x.org,501,ann\\n"
    ...                       "s02,Bo Li,b@x.org,502,\\n")
    >>> roster_accounts(roster)
    ['ann', 's02']
    """
    names = list(dict.fromkeys(student.folder for student in read_roster(Path(path))))
    return _check_names(names, f"the roster {path}")


def new_code() -> str:
    """A fresh login code, three groups of four (see the module docstring)."""
    letters = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return "-".join(letters[i:i + 4] for i in range(0, 12, 4))


def hash_code(code: str) -> bytes:
    """The bcrypt hash the hub stores for ``code``."""
    return bcrypt.hashpw(code.encode("utf-8"), bcrypt.gensalt(rounds=_CODE_ROUNDS))


def read_sheet(state: Path) -> dict[str, str]:
    """The class sheet as ``{name: code}`` (empty when none was issued yet).

    Examples
    --------
    >>> import tempfile
    >>> read_sheet(Path(tempfile.mkdtemp()))
    {}
    """
    path = Path(state) / SHEET
    if not path.exists():
        return {}
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if "\t" in line and not line.startswith("#"))
    return {name: code for name, code in rows}


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` atomically, readable by this user only."""
    old = os.umask(0o077)
    try:
        atomic_write_text(path, text)
    finally:
        os.umask(old)


def issue_codes(state: Path, names: Iterable[str]) -> dict[str, str]:
    """Give each of ``names`` a new code: on the class sheet and queued for the hub.

    Returns ``{name: code}`` for the names given. A student who already has a code gets a new
    one (that is the reset); every other line of the sheet is kept.

    Examples
    --------
    >>> import tempfile
    >>> state = Path(tempfile.mkdtemp())
    >>> first = issue_codes(state, ["ann", "bob"])
    >>> again = issue_codes(state, ["bob"])
    >>> read_sheet(state) == {"ann": first["ann"], "bob": again["bob"]}
    True
    >>> sorted(pending_codes(state))
    ['ann', 'bob']
    >>> oct((state / SHEET).stat().st_mode & 0o777)
    '0o600'
    """
    state = Path(state)
    codes = {name: new_code() for name in dict.fromkeys(names)}
    folder = state / CODES_FOLDER
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name, code in codes.items():
        record = {"name": name, "hash": hash_code(code).decode("ascii"), "issued": time.time()}
        _write_private(folder / f"{name}.json", json.dumps(record))
    sheet = {**read_sheet(state), **codes}
    lines = ["# course hub: each student's own login code (hand each student their line only)",
             *(f"{name}\t{code}" for name, code in sorted(sheet.items()))]
    _write_private(state / SHEET, "\n".join(lines) + "\n")
    return codes


def pending_codes(state: Path) -> dict[str, tuple[Path, bytes]]:
    """Issued codes the hub has not applied yet: ``{name: (file, bcrypt hash)}``.

    A file that is not a valid record (truncated, foreign) is skipped, never applied.
    """
    found: dict[str, tuple[Path, bytes]] = {}
    for path in sorted((Path(state) / CODES_FOLDER).glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            name, hashed = record["name"], record["hash"].encode("ascii")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        if isinstance(name, str) and path.stem == name and hashed.startswith(b"$2"):
            found[name] = (path, hashed)
    return found
