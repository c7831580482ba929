"""``course link``: print the nbgitpuller link that opens lesson 00 for every student."""

from __future__ import annotations

import argparse

from classroom.hub.links import nbgitpuller_link


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course link``."""
    p = sub.add_parser("link", help="print the nbgitpuller link that opens lesson 00 on a hub")
    p.add_argument("--hub", required=True, help="the hub's address, https://host[/prefix]")
    p.add_argument("--repo", required=True, help="git URL of the `course release --git` repo")
    p.add_argument("--branch", default="main")
    p.add_argument("--target", default=None,
                   help="folder in each home (default: the repository's name)")
    p.set_defaults(run=run_link)


def run_link(args: argparse.Namespace) -> int:
    """Print the link (one line, nothing else: it can be piped or pasted)."""
    print(nbgitpuller_link(args.hub, args.repo, branch=args.branch, target=args.target))
    return 0
