"""``course return``: write each student's feedback into their own server on a JupyterHub."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from classroom.hub.client import TOKEN_VARIABLE, HubClient, token_from_env
from classroom.hub.give_back import return_feedback


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course return``."""
    p = sub.add_parser("return", help="write feedback/<exercise>.md and .html to each student",
                       description=f"The API token is read from ${TOKEN_VARIABLE}.")
    p.add_argument("dir", type=Path, help="the --out folder of course grade")
    p.add_argument("--hub", required=True, help="the hub's address, https://host[/prefix]")
    p.add_argument("--exercise", default=None, help="only this exercise")
    p.add_argument("--folder", default="feedback", help="folder in each home (feedback)")
    p.set_defaults(run=run_return)


def run_return(args: argparse.Namespace) -> int:
    """Return; one line per file pair that could not be written, then a summary."""
    if not args.dir.is_dir():
        raise ValueError(f"dir must be the --out folder of course grade, got {str(args.dir)!r}")
    with HubClient(args.hub, token_from_env(), per_student_tokens=True) as client:
        results = return_feedback(client, args.dir, folder=args.folder, exercise=args.exercise)
    failed = [r for r in results if r.problem]
    for r in failed:
        print(f"not returned: {r.student} {r.exercise}: {r.problem}", file=sys.stderr)
    students = len({r.student for r in results if not r.problem})
    print(f"returned {len(results) - len(failed)} of {len(results)} feedback file(s) to "
          f"{students} student(s) (into {args.folder}/ in each server)")
    return 0
