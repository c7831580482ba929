"""``course grade``: grade submissions in sandboxed kernels into a gradebook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from classroom.commands._deadlines import (
    add_config_argument,
    apply_after_grading,
    read_course_config,
)
from classroom.course import Course
from classroom.grading.batch import grade_batch
from classroom.grading.runner import Limits


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``course grade``."""
    g = sub.add_parser("grade", help="grade submissions (files or <student>/<exercise>.ipynb)")
    g.add_argument("paths", nargs="+", type=Path)
    g.add_argument("--out", type=Path, required=True, help="folder for reports and gradebook.csv")
    g.add_argument("--solutions", type=Path, default=None, help="default: <repo>/solutions")
    g.add_argument("--jobs", type=int, default=None, help="submissions at once (default: CPUs + 1)")
    g.add_argument("--timeout-cell", type=float, default=30.0, metavar="S")
    g.add_argument("--timeout-notebook", type=float, default=300.0, metavar="S")
    g.add_argument("--memory-mb", type=int, default=2048, metavar="M",
                   help="memory of one submission's processes together; 0 = no limit")
    g.add_argument("--max-output-bytes", type=int, default=200_000, metavar="B")
    g.add_argument("--max-processes", type=int, default=128, metavar="N",
                   help="processes and threads of one submission at once")
    g.add_argument("--disk-mb", type=int, default=256, metavar="M",
                   help="MiB per writable folder of one submission (and per file)")
    g.add_argument("--isolate", choices=("auto", "require", "off"), default="auto",
                   help="kernel isolation: best available / fail without the sandbox / none")
    g.add_argument("--regrade", action="store_true",
                   help="grade again what the gradebook already holds (manual marks are kept)")
    add_config_argument(g)
    g.set_defaults(run=run_grade, interrupted="0 results saved; run the same command again "
                   "to finish")


def run_grade(args: argparse.Namespace) -> int:
    """Grade every submission not already in the gradebook; print one summary line."""
    limits = Limits(timeout_cell=args.timeout_cell, timeout_notebook=args.timeout_notebook,
                    memory_mb=args.memory_mb, max_output_bytes=args.max_output_bytes,
                    max_processes=args.max_processes, disk_mb=args.disk_mb)
    config = read_course_config(args.config, args.out)
    batch = grade_batch(args.paths, args.out, solutions_dir=args.solutions or
                        Course.find().root / "solutions", limits=limits, jobs=args.jobs,
                        isolate=args.isolate, regrade=args.regrade)
    batch.warnings += apply_after_grading(args.out, config)
    for path in batch.ignored:
        print(f"ignored (not a notebook): {path}", file=sys.stderr)
    for warning in batch.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    errors = sum(not r.graded for r in batch.results)
    levels = ", ".join(batch.isolation) or "none (no kernel ran)"
    held = ", ".join(batch.limits) or "none (no kernel ran)"
    print(f"graded {batch.graded} submission(s) in {batch.seconds:.1f} s ({batch.skipped} "
          f"already done, {errors} could not be graded); isolation: {levels}; limits: {held}; "
          f"gradebook: {batch.gradebook}")
    return 0
