"""``course slides``: offline reveal.js decks with speaker notes."""

from __future__ import annotations

import argparse
from pathlib import Path

from classroom.course import Course
from classroom.slides import build_decks


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course slides``."""
    s = sub.add_parser("slides", help="build offline reveal.js decks (speaker notes from "
                       "instructor/)")
    s.add_argument("lessons", nargs="*", metavar="LESSON",
                   help="lessons to build, e.g. 03 or 03_measuring_threat (default: all)")
    s.add_argument("--out", type=Path, default=None, help="default: <repo>/_build/slides")
    s.add_argument("--no-notes", action="store_true",
                   help="leave out the speaker notes (no instructor guide needed)")
    s.set_defaults(run=run_slides)


def run_slides(args: argparse.Namespace) -> int:
    """Build the decks; print where they are."""
    out = args.out or Course.find().root / "_build" / "slides"
    written = build_decks(args.lessons or None, out_dir=out, notes=not args.no_notes)
    for deck in written:
        print(f"wrote {deck}")
    print(f"{len(written)} deck(s) in {out}; open {out / 'index.html'} in a browser "
          "(works offline; press s for the speaker notes)")
    return 0
