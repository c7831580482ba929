"""Grading throughput: the course grader vs nbgrader on the same submissions.

Generates N submissions of one exercise (a mix of correct, partial and wrong answers), grades
them with :func:`classroom.grading.batch.grade_batch` (in the sandbox, then with isolation off;
both with every limit on, held by the best limit level here) and prints submissions per second
and total seconds; the two modes take turns over ``--rounds`` parts of the class, so a change
in what else the machine runs weighs on both alike.  When nbgrader is importable, it grades
the same submissions with nbgrader's own preprocessors used as a library (restore the
instructor's test cells, ``ClearOutput``, ``Execute``, then ``nbgrader.utils.determine_grade``),
sequentially as nbgrader does, and the speed ratio and score agreement are printed ("scores
agree on N/N": nbgrader scores each test cell all-or-nothing, and every test cell holds one
graded check with its own points, so the totals must be equal).  Widget cells are blanked for
nbgrader too, so both run the same code.

Run (nbgrader is never one of the project's dependencies: install it for the benchmark only)::

    .venv/bin/pip install nbgrader==0.9.6      # or a separate venv with ``-e .``
    .venv/bin/python benchmarks/grading.py --n 100
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat

from classroom.grading.batch import grade_batch
from classroom.grading.containment import limit_level, process_tree
from classroom.grading.profile import BatchProfile
from classroom.grading.runner import Limits, isolation_level
from classroom.notebooks.model import WIDGET_TAG, CellRole, cell_role, grade_id, read_notebook
from classroom.notebooks.transform import to_student_version

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EXERCISE = ROOT / "solutions" / "01_southern_direction_exercises.ipynb"

#: Wrong answers per answer cell, the mistakes students make: a wrong option, a wrong count, a
#: number given as text, the right items in the wrong order, a missing part, a helper defined
#: only in a later cell, an error that stops the cell, an answer rounded too far.
WRONG = {
    "q1": ['q1_core_tasks = "a"\nq1_south_tasks = "d"',
           'q1_core_tasks = "b"\nq1_south_tasks = "a"'],
    "q2": ["q2_post_cold_war_members = 14\nq2_last_cold_war_accession = 1982\n"
           "q2_membership = 'c'",
           'q2_post_cold_war_members = "16"\nq2_last_cold_war_accession = 1982\n'
           'q2_membership = "b"'],
    "q3": ['q3_frameworks = ["Mediterranean Dialogue", "Partnership for Peace", '
           '"Istanbul Cooperation Initiative"]\nq3_concept_partners = "b"',
           'q3_frameworks = first_join.sort_values().index.tolist()'],
    "q4": ["q4_war_years = [2008, 2014, 2022]\nq4_south_count = 7\nq4_link = 'a'\n"
           "q4_missile = 'a'",
           "q4_war_years = war_years()\nq4_south_count = 3\nq4_link = 'a'\nq4_missile = 'd'"],
    "q5": ["q5_share = 0.5\nq5_judgement = 'c'", "q5_share = 0.3\nq5_judgement = 'b'",
           "q5_share = timeline['share'].mean()\nq5_judgement = 'c'"],
}
#: Appended to the q5 answer of the submission that defines q4's helper too late.
LATE_HELPER = "\n\ndef war_years():\n    return [2008, 2014, 2022]"


def make_submissions(source: Path, folder: Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` submissions ``folder/sNNN/<exercise>.ipynb``: correct, partial and wrong."""
    src = read_notebook(source)
    answers = {grade_id(c): c.source for c in src.cells if cell_role(c) is CellRole.SOLUTION}
    student = to_student_version(src)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        kind = ("correct", "partial", "wrong")[i % 3]
        nb = nbformat.from_dict(student)
        for cell in nb.cells:
            gid = grade_id(cell)
            if gid in answers:
                wrong = kind == "wrong" or (kind == "partial" and rng.random() < 0.5)
                cell.source = rng.choice(WRONG[gid]) if wrong and gid in WRONG else answers[gid]
        _define_helper_late(nb)
        path = folder / f"s{i:03d}" / source.name
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
        paths.append(path)
    return paths


def _define_helper_late(nb: nbformat.NotebookNode) -> None:
    """When q4 calls ``war_years()``, define it in the q5 answer cell (too late)."""
    cells = {grade_id(c): c for c in nb.cells}
    if "war_years()" in cells["q4"].source:
        cells["q5"].source += LATE_HELPER


def grade_with_nbgrader(source: Path, paths: list[Path]) -> tuple[float, list[float]]:
    """Grade ``paths`` one by one with nbgrader's preprocessors; returns seconds and scores."""
    from nbgrader.preprocessors import ClearOutput, Execute
    from nbgrader.utils import determine_grade, is_grade

    src = read_notebook(source)
    tests = {grade_id(c): c.source for c in src.cells if cell_role(c) is CellRole.TEST}
    scores = []
    start = time.perf_counter()
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if grade_id(cell) in tests:  # nbgrader's OverwriteCells, without its database
                cell.source = tests[grade_id(cell)]
            if WIDGET_TAG in cell.metadata.get("tags", []):
                cell.source = ""
        resources = {"metadata": {"path": str(path.parent)}}
        nb, resources = ClearOutput().preprocess(nb, resources)
        nb, resources = Execute(timeout=30, allow_errors=True).preprocess(nb, resources)
        total = 0.0
        for cell in nb.cells:
            if is_grade(cell) and cell.cell_type == "code":
                got, _ = determine_grade(cell, None)
                total += got or 0.0
        scores.append(total)
    return time.perf_counter() - start, scores


def _pss_mib(pids: list[int]) -> float:
    """Proportional set size of ``pids`` together, MiB (pages a fork shares count once)."""
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total += sum(int(line.split()[1]) for line in text.splitlines()
                     if line.startswith("Pss:"))
    return total / 1024


@contextmanager
def peak_memory(every: float = 0.25):
    """Sample the PSS of this process and all its descendants (the kernel parent, every
    kernel and sandbox) while the block runs; yields a dict whose ``"mib"`` is the peak."""
    peak = {"mib": 0.0}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(every):  # (a process may end while it is read: it counts 0)
            peak["mib"] = max(peak["mib"], _pss_mib(process_tree(os.getpid())))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        done.set()
        thread.join()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="number of submissions (default 100)")
    parser.add_argument("--jobs", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--exercise", type=Path, default=DEFAULT_EXERCISE)
    parser.add_argument("--no-nbgrader", action="store_true", help="skip the nbgrader run")
    parser.add_argument("--rounds", type=int, default=1,
                        help="split the class into R batches that alternate sandbox and "
                             "isolation off (default 1: one batch each, as an instructor "
                             "runs it)")
    parser.add_argument("--profile", action="store_true",
                        help="print where the sandboxed batch's CPU went, by phase")
    args = parser.parse_args(argv)
    if args.n < 1 or args.rounds < 1:
        parser.error(f"--n and --rounds must be >= 1, got {args.n} and {args.rounds}")
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        subs = Path(tmp) / "subs"
        paths = make_submissions(args.exercise, subs, args.n)
        timings = {"auto": 0.0, "off": 0.0}
        peaks = {"auto": 0.0, "off": 0.0}
        print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        results: dict[str, dict] = {"auto": {}, "off": {}}
        limits = Limits()  # the defaults of `course grade`: every limit on
        rounds = min(args.rounds, args.n)
        profile = BatchProfile()
        for k in range(rounds):
            # rounds alternate which mode goes first, so a change in the machine's load (other
            # programs) or a warm cache favours neither
            chunk = paths[k * args.n // rounds:(k + 1) * args.n // rounds]
            for isolate in ("auto", "off") if k % 2 == 0 else ("off", "auto"):
                t0 = time.perf_counter()
                with peak_memory() as peak:
                    batch = grade_batch(chunk, Path(tmp) / f"out-{isolate}",
                                        solutions_dir=args.exercise.parent, jobs=args.jobs,
                                        isolate=isolate, progress=False, limits=limits,
                                        profile=profile if isolate == "auto" else None)
                timings[isolate] += time.perf_counter() - t0
                peaks[isolate] = max(peaks[isolate], peak["mib"])
                results[isolate].update({r.student: r for r in batch.results})
        for isolate in ("auto", "off"):
            found = results[isolate].values()
            level = "/".join(sorted({r.isolation or "none" for r in found}))
            held = "/".join(sorted({r.limits or "none" for r in found}))
            print(f"course grader (isolate={isolate}, level={level}, limits={held}): {args.n} "
                  f"submissions in {timings[isolate]:.1f} s ({args.n / timings[isolate]:.2f} "
                  f"submissions/s, jobs={args.jobs}, cpus={os.cpu_count()}, {rounds} rounds; "
                  f"peak memory {peaks[isolate]:.0f} MiB PSS, grader and every kernel)")
        if args.profile:
            print(f"where the CPU went (isolate=auto, {args.n} submissions):")
            print(profile.table(args.n))
        ours = timings["auto"]
        cost = 100 * (timings["auto"] / timings["off"] - 1)
        print(f"sandbox cost: {cost:+.1f}% vs isolation off "
              f"(target <= +15%; best level here: {isolation_level()}; limits held by "
              f"{limit_level()}: {limits.memory_mb} MiB and {limits.max_processes} processes "
              f"per submission, {limits.disk_mb} MiB per folder)")
        scores = {student: r.score for student, r in results["auto"].items()}
        try:
            import nbgrader  # noqa: F401
        except ImportError:
            print("nbgrader not importable: install it in a separate venv to compare")
            return 0
        if args.no_nbgrader:
            return 0
        theirs, nbg_scores = grade_with_nbgrader(args.exercise, paths)
        agree = sum(abs(scores[p.parent.name] - s) < 1e-9 for p, s in zip(paths, nbg_scores,
                                                                         strict=True))
        print(f"nbgrader (library, sequential): {args.n} submissions in {theirs:.1f} s "
              f"({args.n / theirs:.2f} submissions/s)")
        print(f"speed-up: {theirs / ours:.2f}x")
        print(f"scores agree on {agree}/{args.n}")
        print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        for p, s in zip(paths, nbg_scores, strict=True):
            if abs(scores[p.parent.name] - s) >= 1e-9:
                print(f"  differs: {p.parent.name}: course grade {scores[p.parent.name]:g}, "
                      f"nbgrader {s:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
