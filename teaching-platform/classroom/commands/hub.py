"""``course hub``: start a JupyterHub for a seminar room on this machine (Ctrl-C stops it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from classroom.course import Course
from classroom.hub.accounts import parse_users, roster_accounts
from classroom.hub.launcher import issue_login_codes, reset_login, run_seminar_hub
from classroom.hub.sandbox import StudentLimits

DESCRIPTION = """\
Every student logs in with their own login code (written to the class sheet in
DIR/state/class-sheet.txt, readable by you only; a student may then choose a password at
/hub/change-password). Five failed logins for one name allow one more try a minute.
Every student's server and kernels run in a bubblewrap sandbox of their own: their own home
read-write, the course and the Python environment read-only, nothing of other students, of the
hub's state or of your files; their own process namespace and an environment without your
tokens; per-student process and memory limits. When the hub runs as root, each student also
gets a user id of their own. Without a working bwrap the hub refuses to start, unless
--insecure-shared-account is given: then every student runs as your own user with no isolation,
and any student can read and change every other student's work, the hub's database, your
files, solutions/ and grading folders."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course hub``."""
    p = sub.add_parser("hub", help="start a JupyterHub for a seminar room (Ctrl-C stops it)",
                       description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--users", help="accounts, comma-separated: ann,bob,cy")
    who.add_argument("--roster", type=Path,
                     help="roster CSV (id,name,email,lms_id[,folder]): one account per student, "
                          "named by their folder (else id), as course collect files their work")
    who.add_argument("--reset", metavar="NAME",
                     help="print a new login code for one student and exit (the hub, running "
                          "or not, takes it at their next login)")
    p.add_argument("--dir", type=Path, default=Path.home() / ".course-hub",
                   help="the hub's folder: release, state, homes (default ~/.course-hub)")
    p.add_argument("--issue-codes", action="store_true",
                   help="only write login codes for new students to the class sheet and exit "
                        "(for a hub run as a system service on DIR)")
    p.add_argument("--listen", default="127.0.0.1",
                   help="address students connect to (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=None, help="public port (default: a free one)")
    p.add_argument("--prestart", action="store_true",
                   help="start every student's server, pull the course and open lesson 00 "
                        "before the class logs in")
    p.add_argument("--memory-mb", type=int, default=StudentLimits.memory_mb,
                   help="memory of a student's processes together, MiB (default %(default)s)")
    p.add_argument("--tasks", type=int, default=StudentLimits.tasks,
                   help="processes and threads per student (default %(default)s)")
    p.add_argument("--insecure-shared-account", action="store_true",
                   help="run without a sandbox: every student as your user, NOT isolated "
                        "from each other or from you (see above)")
    p.set_defaults(run=run_hub, interrupted="the hub and its servers were stopped; the "
                   "students' work stays in --dir")


def run_hub(args: argparse.Namespace) -> int:
    """Reset one login, issue codes, or serve until Ctrl-C."""
    if args.reset:
        code = reset_login(args.dir, args.reset)
        print(f"new login code for {args.reset}: {code}")
        return 0
    users = parse_users(args.users) if args.users else roster_accounts(args.roster)
    if args.issue_codes:
        codes = issue_login_codes(args.dir, users)
        print(f"login codes issued for {len(codes)} new student(s); class sheet: "
              f"{args.dir.resolve() / 'state' / 'class-sheet.txt'}")
        return 0
    limits = StudentLimits(tasks=args.tasks, memory_mb=args.memory_mb)
    return run_seminar_hub(Course.find().root, args.dir, users, listen=args.listen,
                           port=args.port, insecure_shared_account=args.insecure_shared_account,
                           prestart=args.prestart, limits=limits)
