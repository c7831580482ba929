"""``course hub``: start a JupyterHub for a seminar room on this machine (Ctrl-C stops it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from classroom.course import Course
from classroom.hub.hubconfig import PASSWORD_VARIABLE
from classroom.hub.launcher import parse_users, run_seminar_hub


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course hub``."""
    p = sub.add_parser("hub", help="start a JupyterHub for a seminar room (Ctrl-C stops it)",
                       description=f"Students log in with the passphrase in ${PASSWORD_VARIABLE}"
                                   " (generated and printed when unset).")
    p.add_argument("--users", required=True, help="accounts, comma-separated: ann,bob,cy")
    p.add_argument("--dir", type=Path, default=Path.home() / ".course-hub",
                   help="the hub's folder: release, database, homes (default ~/.course-hub)")
    p.add_argument("--listen", default="127.0.0.1",
                   help="address students connect to (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=None, help="public port (default: a free one)")
    p.set_defaults(run=run_hub, interrupted="the hub and its servers were stopped; the "
                   "students' work stays in --dir")


def run_hub(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C."""
    return run_seminar_hub(Course.find().root, args.dir, parse_users(args.users),
                           listen=args.listen, port=args.port)
