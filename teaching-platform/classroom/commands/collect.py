"""``course collect``: fetch one exercise from every student's server on a JupyterHub."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from classroom.hub.client import TOKEN_VARIABLE, HubClient, token_from_env
from classroom.hub.collect import SIDECAR, collect_exercise


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course collect``."""
    p = sub.add_parser("collect", help="fetch an exercise from each student's hub server",
                       description=f"The API token is read from ${TOKEN_VARIABLE}.")
    p.add_argument("--hub", required=True, help="the hub's address, https://host[/prefix]")
    p.add_argument("--exercise", required=True, help="e.g. 03_measuring_threat_exercises")
    p.add_argument("--out", type=Path, required=True, help="submissions folder (course grade)")
    p.add_argument("--course-dir", default="course",
                   help="where the course was pulled in each home (the link's targetpath)")
    p.add_argument("--student", action="append", default=None,
                   help="only this user (repeatable); default every non-admin user")
    p.set_defaults(run=run_collect, interrupted="what was collected is saved; run the same "
                   "command again to finish")


def run_collect(args: argparse.Namespace) -> int:
    """Collect; one line per student that could not be collected, then a summary."""
    with HubClient(args.hub, token_from_env(), per_student_tokens=True) as client:
        results = collect_exercise(client, args.exercise, args.out,
                                   course_dir=args.course_dir, students=args.student)
    missing = [r for r in results if r.problem]
    for r in missing:
        print(f"not collected: {r.student}: {r.problem}", file=sys.stderr)
    print(f"collected {len(results) - len(missing)} of {len(results)} student(s) into "
          f"{args.out} (submission times in {args.out / SIDECAR})")
    return 0
