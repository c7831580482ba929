"""Finding submissions: regular ``*.ipynb`` files, exact student ids, no silent choices.

Layouts
-------
* a folder argument: each sub-folder is a student (its name, exactly, is the student id) and
  every ``*.ipynb`` below it is a submission; a folder holding ``submitted/`` is an nbgrader
  course folder (``submitted/<student>/<assignment>/<notebook>.ipynb``, with nbgrader's
  ``timestamp.txt`` as the submission time); notebooks lying directly in the folder are bare
  files;
* a bare file: a Canvas bulk-download name ``<lastfirst>_[LATE_]<id>_<subid>_<name>.ipynb``
  is keyed on the Canvas user id: the student is ``canvas-<id>`` (:func:`lms_student_id`), so
  two students with one name stay two; the name is a display field only; the late flag is
  kept; otherwise, when the stem is an exercise id the student is the parent folder's name,
  else the stem.

Only regular files are read, opened with ``O_NOFOLLOW`` and checked with ``fstat``: a symlink,
a FIFO or a device becomes an error row saying why.  Other files are listed as ignored.  Hidden
files and ``.ipynb_checkpoints`` are skipped.

Identities.  A student id is the folder (or file) name, kept exactly (:func:`student_id`):
Unicode NFC, case and spaces unchanged.  A name that is not UTF-8 (Latin-1 ZIP downloads make
these) keeps its bytes: each byte that is not UTF-8 is written ``/xHH`` (``Jos/xE9``).  A slash
never occurs in a file name, so no such id equals another folder's, and :func:`fs_name` gives
the name back.  Result paths come from :func:`encode_id`: a readable percent-encoding,
reversible (:func:`decode_id`), so two students never share a folder; an encoding longer than
:data:`MAX_ENCODED_BYTES` is cut and ends in ``~`` and a hash of the whole id (the exact id is
in the gradebook).

Examples
--------
>>> encode_id("ann lee"), encode_id("ann_lee"), encode_id("Ann"), encode_id("a.b")
('s-ann%20lee', 's-ann_lee', 's-%41nn', 's-a%2Eb')
>>> decode_id(encode_id("josé")) == "josé"
True
>>> student_id("Jos\\udce9"), encode_id("Jos/xE9")
('Jos/xE9', 's-%4Aos%2Fx%459')
>>> parse_canvas_name("leeann_LATE_1234_5678_01_x.ipynb")
CanvasName(student='leeann', lms_id='1234', submission_id='5678', late=True, name='01_x')
>>> _bare(Path("smithjohn_2222_9_01_x.ipynb"), set()).student
'canvas-2222'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from classroom.gradebook.roster import lms_student_id
from classroom.grading.text import SURROGATE, printable

__all__ = ["MAX_ENCODED_BYTES", "CanvasName", "Discovery", "Submission", "decode_id",
           "discover_submissions", "encode_id", "fs_name", "parse_canvas_name",
           "read_regular_file", "student_id", "student_id_for"]

_PREFIX = "s-"
#: lower-case letters, digits, ``_`` and ``-`` are kept; everything else is %-encoded (upper
#: case too, so ``Ann`` and ``ann`` stay apart on case-insensitive file systems)
_KEEP = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-")
#: Canvas's bulk-download name (content_zipper.rb, instructure/canvas-lms): the sortable name
#: reduced to word characters (underscores kept, digit runs between underscores removed), an
#: optional LATE (lower-cased by its file-name cleaning), the user id, the attachment id; a
#: name of digits only (an anonymous download has none) is not read as one
_CANVAS = re.compile(r"^(?P<student>(?!\d+_).+?)_(?:(?P<late>late)_)?(?P<lms>\d+)_(?P<sub>\d+)_"
                     r"(?P<name>.+)\.ipynb$", re.IGNORECASE)
_MAX_BYTES = 50 * 1024 * 1024


#: Longest encoded name (bytes): file systems allow 255 per name; the rest leaves room for the
#: suffixes of the files written in a student's folder and for temporary names.
MAX_ENCODED_BYTES = 200
_HASH_CHARS = 16
_ESCAPE = re.compile(r"/(?:x([0-9A-F]{2})|u([0-9A-F]{4}))")


def _surrogate_id(match: re.Match) -> str:
    code = ord(match.group())
    return f"/x{code - 0xDC00:02X}" if 0xDC80 <= code <= 0xDCFF else f"/u{code:04X}"


def student_id(name: str) -> str:
    """The student id of a file or folder name: NFC, and every byte that is not UTF-8 as
    ``/xHH`` (a lone surrogate from elsewhere as ``/uHHHH``), so the id is valid text.

    Examples
    --------
    >>> student_id("jose\\u0301"), student_id("Jos\\udce9"), student_id("ann lee")
    ('josé', 'Jos/xE9', 'ann lee')
    """
    return unicodedata.normalize("NFC", SURROGATE.sub(_surrogate_id, name))


def fs_name(student: str) -> str:
    """The file-system name (``os.fsencode`` gives its bytes) a :func:`student_id` came from.

    Examples
    --------
    >>> os.fsencode(fs_name("Jos/xE9"))
    b'Jos\\xe9'
    """
    def back(match: re.Match) -> str:
        return chr(0xDC00 + int(match[1], 16)) if match[1] else chr(int(match[2], 16))

    return _ESCAPE.sub(back, student)


def _encode_char(ch: str) -> str:
    if ch in _KEEP:
        return ch
    return "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))


def encode_id(name: str, prefix: str = _PREFIX) -> str:
    """A file-name-safe, collision-free form of ``name`` (NFC first), at most
    :data:`MAX_ENCODED_BYTES` bytes.

    Reversible by :func:`decode_id` when it fits; a longer one is cut at a whole character
    and ends in ``~`` and 16 hex digits of the SHA-256 of the whole id (``~`` never occurs in
    the plain encoding, so a cut name never equals a plain one).

    Examples
    --------
    >>> encode_id("日本") != encode_id("中国")
    True
    >>> encode_id("")
    's-'
    >>> long = encode_id("A" * 100)
    >>> len(long), long[:9], long[-17]
    (199, 's-%41%41%', '~')
    """
    text = unicodedata.normalize("NFC", name)
    parts = [prefix]
    size = len(prefix)
    room = MAX_ENCODED_BYTES - 1 - _HASH_CHARS
    cut_at = None
    for ch in text:
        piece = _encode_char(ch)
        if cut_at is None and size + len(piece) > room:
            cut_at = len(parts)
        parts.append(piece)
        size += len(piece)
    if size <= MAX_ENCODED_BYTES:
        return "".join(parts)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
    return "".join(parts[:cut_at]) + "~" + digest


def decode_id(encoded: str, prefix: str = _PREFIX) -> str:
    """Inverse of :func:`encode_id` (a cut name is looked up in the gradebook instead).

    Raises
    ------
    ValueError
        For a name without ``prefix``, a cut name (``~``), or a broken encoding.

    Examples
    --------
    >>> decode_id("s-ann%20lee")
    'ann lee'
    """
    if not encoded.startswith(prefix):
        raise ValueError(f"encoded must start with {prefix!r}, got {encoded!r}")
    if "~" in encoded:
        raise ValueError(f"{encoded!r} is a shortened name: its exact id is in the gradebook")
    return unquote(encoded[len(prefix):], errors="strict")


@dataclass(frozen=True)
class CanvasName:
    """The parts of a Canvas bulk-download file name (``student``: the display name only)."""

    student: str
    lms_id: str
    submission_id: str
    late: bool
    name: str


def parse_canvas_name(filename: str) -> CanvasName | None:
    """Split ``<lastfirst>_[LATE_]<id>_<subid>_<name>.ipynb`` (``None`` when it is not one)."""
    m = _CANVAS.match(filename)
    if m is None:
        return None
    return CanvasName(student_id(m["student"]), m["lms"], m["sub"], bool(m["late"]), m["name"])


@dataclass
class Submission:
    """One candidate submission: a file, whose student it is, and what is known about it."""

    path: Path
    student: str
    hint: str = ""
    lms_id: str | None = None
    lms_submission_id: str | None = None
    late: bool = False
    submitted_at: str | None = None
    time_source: str = "file modification time"
    error: str | None = None
    data: bytes | None = field(default=None, repr=False)

    @property
    def display_path(self) -> str:
        """The file's path as valid text (bytes that are not UTF-8 shown as ``\\xHH``)."""
        return printable(str(self.path))

    @property
    def sha256(self) -> str:
        """Hash of the submitted bytes (of the error text for a file that was not read)."""
        payload = self.data if self.data is not None else (self.error or "").encode()
        return hashlib.sha256(payload).hexdigest()


@dataclass
class Discovery:
    """What :func:`discover_submissions` found: submissions and the files it ignored."""

    submissions: list[Submission] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)


def read_regular_file(path: Path) -> tuple[bytes, float]:
    """The bytes and modification time of a regular file, never following a link.

    Raises
    ------
    ValueError
        For a symlink or any other non-regular file (the message says which).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if os.path.islink(path):
            raise ValueError(f"{printable(path.name)} is a symbolic link, not a file: only "
                             "notebooks saved as regular files are graded") from exc
        raise ValueError(f"{printable(path.name)} cannot be opened: {exc.strerror}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{printable(path.name)} is not a regular file "
                             f"({_kind(info.st_mode)}): only notebooks saved as regular files "
                             "are graded")
        if info.st_size > _MAX_BYTES:
            raise ValueError(f"{printable(path.name)} is larger than {_MAX_BYTES // 2**20} MB")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks), info.st_mtime
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "a special file"


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(timespec="seconds")


def student_id_for(path: Path, exercise_ids: Iterable[str]) -> str:
    """Student id of a bare, non-Canvas file (see the module docstring), kept exactly.

    Examples
    --------
    >>> student_id_for(Path("subs/Ann Lee/01_x.ipynb"), {"01_x"})
    'Ann Lee'
    >>> student_id_for(Path("subs/bob.ipynb"), {"01_x"})
    'bob'
    """
    if path.stem in set(exercise_ids) and path.parent.name:
        return student_id(path.parent.name)
    return student_id(path.stem)


def _skip(name: str) -> bool:
    return name.startswith(".") or name == "__pycache__"


def _load(sub: Submission) -> Submission:
    if sub.error is not None:
        return sub
    try:
        sub.data, mtime = read_regular_file(sub.path)
    except ValueError as exc:
        sub.error = str(exc)
        return sub
    if sub.submitted_at is None:
        sub.submitted_at = _iso(mtime)
    return sub


def _bare(path: Path, ids: set[str]) -> Submission:
    canvas = parse_canvas_name(path.name)
    if canvas is not None:
        hint = student_id(re.sub(r"-\d+$", "", canvas.name))
        return Submission(path, lms_student_id(canvas.lms_id), hint=hint,
                          lms_id=canvas.lms_id, lms_submission_id=canvas.submission_id,
                          late=canvas.late)
    return Submission(path, student_id_for(path, ids), hint=student_id(path.stem))


def _nbgrader_time(folder: Path) -> str | None:
    stamp = folder / "timestamp.txt"
    try:
        text = read_regular_file(stamp)[0].decode("utf-8").strip()
        text = re.sub(r"\s*(UTC|GMT|Z)$", "+00:00", text)  # nbgrader writes "... UTC"
        when = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except (ValueError, OSError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def _walk_student(folder: Path, student: str, found: Discovery) -> None:
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        path = Path(entry.path)
        if _skip(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            _walk_student(path, student, found)
        elif entry.name.endswith(".ipynb"):
            sub = Submission(path, student, hint=student_id(path.stem))
            # nbgrader: <student>/<assignment>/{<notebook>.ipynb, timestamp.txt}
            sub.submitted_at = _nbgrader_time(path.parent)
            if sub.submitted_at:
                sub.time_source = "nbgrader timestamp.txt"
            found.submissions.append(sub)
        elif entry.is_symlink():
            found.submissions.append(Submission(
                path, student, hint=student_id(path.stem),
                error=f"{printable(entry.name)} is a symbolic link, not a file: only notebooks "
                      "saved as regular files are graded"))
        elif entry.name != "timestamp.txt":
            found.ignored.append(path)


def _walk_root(folder: Path, ids: set[str], found: Discovery) -> None:
    if (folder / "submitted").is_dir() and not (folder / "submitted").is_symlink():
        folder = folder / "submitted"
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        path = Path(entry.path)
        if _skip(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            _walk_student(path, student_id(entry.name), found)
        elif entry.is_symlink():
            found.submissions.append(Submission(
                path, student_id(path.stem), hint=student_id(path.stem),
                error=f"{printable(entry.name)} is a symbolic link: a student folder or notebook "
                      "must be a real folder or file, not a link"))
        elif entry.name.endswith(".ipynb"):
            found.submissions.append(_bare(path, ids))
        else:
            found.ignored.append(path)


def discover_submissions(paths: Sequence[str | Path], exercise_ids: Iterable[str]) -> Discovery:
    """Expand files and folders into submissions (read, sorted, duplicates removed).

    Raises
    ------
    ValueError
        When a path does not exist (a usage error, not a bad submission).
    """
    ids = set(exercise_ids)
    found = Discovery()
    for raw in paths:
        path = Path(raw)
        if not os.path.lexists(path):
            raise ValueError(f"paths must exist, got {str(path)!r}")
        if path.is_dir() and not path.is_symlink():
            _walk_root(path, ids, found)
        elif path.name.endswith(".ipynb") or path.is_symlink():
            found.submissions.append(_bare(path, ids))
        else:
            found.ignored.append(path)
    unique: dict[str, Submission] = {}
    for sub in found.submissions:
        unique.setdefault(os.path.abspath(sub.path), sub)
    found.submissions = sorted((_load(s) for s in unique.values()),
                               key=lambda s: (s.student, str(s.path)))
    found.ignored = sorted(set(found.ignored))
    return found
