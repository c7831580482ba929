"""Load of a class on the loopback hub, sandbox on: N students log in at once, with and without
``course hub --prestart``.

The hub is ``course hub`` as it ships (:func:`classroom.hub.launcher.start_seminar_hub`: each
student's own login code, each server in its bubblewrap sandbox, configurable-http-proxy) on
127.0.0.1. Every simulated student, all at once: logs in through the form, reaches their
server, pulls the course (nbgitpuller, as the default URL does), opens lesson 00 and runs its
cells. Cold, the login starts the server and opening the lesson starts a kernel; with
``--prestart`` the instructor's service has already started every server, pulled the course and
opened lesson 00's kernel (a Jupyter session on its path, which JupyterLab attaches to when it
opens the notebook), so the student's path is login, pull (nothing new), first cell. Printed
per mode, one figure a line:

- ``memory per active student: M MB (PSS)``: proportional set size (``/proc/PID/smaps_rollup``,
  shared pages split between the processes sharing them) of every process of a student's
  sandbox (bwrap, server, kernel), measured while every kernel is alive after lesson 00 ran,
  mean over students;
- ``CPU per login: C s``: CPU time (user + system) of the hub, the proxy and every sandbox from
  the first login until every student's first cell has run, over N (with ``--prestart`` the
  preparation before the class is printed on its own line);
- ``login to first cell: median A s, p95 B s``: wall time per student, login form to the
  first cell's reply.

Run::

    .venv/bin/python benchmarks/hub_load.py              # 40 students, cold and prestarted
    .venv/bin/python benchmarks/hub_load.py --n 10 --mode prestart
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from classroom.errors import CourseError
from classroom.hub.client import HubClient
from classroom.hub.launcher import SeminarHub, start_seminar_hub
from classroom.hub.links import START_PATH
from classroom.hub.prestart import prestart_class, pull_course, start_session_body
from classroom.hub.process import stop_hub

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hub"))
from hub_student import browser_login, run_cells, session_kernel  # noqa: E402

LESSON = f"notebooks/{Path(START_PATH).name}"


def pss_mb(pid: int) -> float:
    """PSS of one process in MB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree(leader: int) -> list[psutil.Process]:
    """A process and every process below it (the hub: proxy, every sandbox)."""
    try:
        top = psutil.Process(leader)
        return [top, *top.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def cpu_seconds(processes: list[psutil.Process]) -> float:
    """User + system CPU of the processes and of the children they waited for (git)."""
    total = 0.0
    for p in processes:
        try:
            t = p.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def role_of(process: psutil.Process) -> str:
    """Which part of the hub a process is: hub, proxy, server, kernel, git or sandbox."""
    try:
        line = " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return "other"
    for role, marker in (("server", "jupyterhub-singleuser"), ("kernel", "ipykernel"),
                         ("proxy", "configurable-http-proxy"), ("git", "git"),
                         ("sandbox", "bwrap"), ("hub", "jupyterhub")):
        if marker in line:
            return role
    return "other"


def cpu_by_role(processes: list[psutil.Process]) -> dict[str, float]:
    """CPU seconds (user + system, and waited-for children) per role, see :func:`role_of`."""
    totals: dict[str, float] = {}
    for p in processes:
        role = role_of(p)
        totals[role] = totals.get(role, 0.0) + cpu_seconds([p])
    return totals


def sandbox_of(user: str, processes: list[psutil.Process]) -> list[psutil.Process]:
    """Every process of a student's sandbox: from its outer bwrap down."""
    for p in processes:
        try:
            if p.environ().get("JUPYTERHUB_USER") != user or "jupyterhub-singleuser" not in \
                    " ".join(p.cmdline()):
                continue
            top = p
            while top.parent() is not None and "bwrap" in top.parent().name():
                top = top.parent()
            return [top, *top.children(recursive=True)]
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return []


def settle(hub: SeminarHub, quiet: float = 0.05, limit: float = 600.0) -> None:
    """Wait until the hub and every sandbox use less than ``quiet`` s of CPU a second, 3 s on."""
    calm, last, deadline = 0, cpu_seconds(tree(hub.running.process.pid)), time.monotonic() + limit
    while calm < 3 and time.monotonic() < deadline:
        time.sleep(1.0)
        now = cpu_seconds(tree(hub.running.process.pid))
        calm, last = (calm + 1 if now - last < quiet else 0), now


def lesson_cells() -> list[str]:
    nb = json.loads((ROOT / LESSON).read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


class Class:
    """The shared state of one run: barriers, each student's wait, the first failure."""

    def __init__(self, n: int) -> None:
        self.first_done = threading.Barrier(n + 1, timeout=1800)  # a failed student: no hang
        self.all_ran = threading.Barrier(n + 1, timeout=1800)
        self.waits: dict[str, float] = {}
        self.errors: dict[str, str] = {}
        self.clients: list[HubClient] = []  # closed once the run is over

    def abort(self, name: str, exc: BaseException) -> None:
        self.errors[name] = f"{type(exc).__name__}: {exc}"
        self.first_done.abort()
        self.all_ran.abort()


def student(hub: SeminarHub, name: str, cells: list[str], room: Class) -> None:
    """One student's session; a failure is recorded and breaks the barriers (no waiting)."""
    try:
        start = time.monotonic()
        client = HubClient(hub.url, browser_login(hub.url, name, hub.new_codes[name]),
                           timeout=600)
        room.clients.append(client)
        client.start_server(name, wait=900)  # already running when prestarted
        pull_course(client, name, hub.release_repo)
        body = start_session_body("course")
        kernel = session_kernel(client, name, body["path"])
        if kernel is None:  # cold: JupyterLab opens the notebook and starts its kernel
            made = client.request("POST", client.url(f"user/{name}/api/sessions"), json=body)
            kernel = made.json()["kernel"]["id"]

        def on_cell(index: int) -> None:
            if index == 0:
                room.waits[name] = time.monotonic() - start
                room.first_done.wait()
            if index == len(cells) - 1:
                room.all_ran.wait()  # measured here
                room.all_ran.wait()  # released

        run_cells(client, name, cells, timeout=600, on_cell=on_cell, kernel=kernel)
    except threading.BrokenBarrierError:
        pass  # another student failed
    except Exception as exc:  # noqa: BLE001 - reported by the main thread, one line
        room.abort(name, exc)


def measure(hub: SeminarHub, users: list[str], prestart: bool) -> dict[str, float]:
    """Prepare (with prestart), then let every student log in at once; the figures."""
    figures: dict[str, float] = {}
    if prestart:
        before, t0 = cpu_seconds(tree(hub.running.process.pid)), time.monotonic()
        outcomes = prestart_class(hub.url, hub.token, users, hub.release_repo, workers=2,
                                  say=lambda line: None)
        failed = [o for o in outcomes if o.problem]
        if failed:
            raise RuntimeError(f"prestart failed for {failed[0].student}: {failed[0].problem}")
        settle(hub)  # the class arrives once the preparation is over (kernels warmed)
        figures["prestart_s"] = time.monotonic() - t0
        figures["prestart_cpu"] = (cpu_seconds(tree(hub.running.process.pid)) - before) / len(users)
    cells, room = lesson_cells(), Class(len(users))
    figures["load"] = os.getloadavg()[0]  # other work on the machine inflates the waits
    cpu0 = cpu_by_role(tree(hub.running.process.pid))
    client0 = time.process_time()
    threads = [threading.Thread(target=student, args=(hub, u, cells, room), daemon=True)
               for u in users]
    for t in threads:
        t.start()
    try:
        room.first_done.wait()
        roles = cpu_by_role(tree(hub.running.process.pid))
        figures["client_cpu"] = (time.process_time() - client0) / len(users)
        for role, seconds in roles.items():
            figures[f"cpu_{role}"] = (seconds - cpu0.get(role, 0.0)) / len(users)
        figures["cpu"] = sum(v for k, v in figures.items() if k.startswith("cpu_"))
        room.all_ran.wait()
        processes = tree(hub.running.process.pid)
        boxes = [sandbox_of(u, processes) for u in users]
        figures["memory"] = statistics.mean(sum(pss_mb(p.pid) for p in b) for b in boxes)
        figures["base"] = sum(pss_mb(p.pid) for p in processes) - sum(
            pss_mb(p.pid) for b in boxes for p in b)
        room.all_ran.wait()
    except threading.BrokenBarrierError:
        name, reason = next(iter(room.errors.items()), ("?", "a barrier timed out"))
        raise RuntimeError(f"student {name} failed ({reason})") from None
    for t in threads:
        t.join(timeout=120)
    for client in room.clients:
        client.close()
    waits = sorted(room.waits.values())
    figures["median"] = statistics.median(waits)
    figures["p95"] = waits[min(len(waits) - 1, round(0.95 * (len(waits) - 1)))]
    return figures


def report(mode: str, n: int, f: dict[str, float]) -> None:
    print(f"[{mode}] students: {n}; CPUs: {psutil.cpu_count()}; load average before the "
          f"logins: {f['load']:.1f}; hub and proxy: {f['base']:.0f} MB (PSS)")
    if "prestart_s" in f:
        print(f"[{mode}] prestart before the class: {f['prestart_s']:.0f} s "
              f"({f['prestart_cpu']:.1f} s CPU per student)")
    print(f"[{mode}] memory per active student: {f['memory']:.0f} MB (PSS)")
    print(f"[{mode}] CPU per login: {f['cpu']:.2f} s")
    parts = sorted((k[4:], v) for k, v in f.items() if k.startswith("cpu_") and v >= 0.005)
    print(f"[{mode}]   by part: " + ", ".join(f"{k} {v:.2f} s" for k, v in parts) +
          f"; this script's simulated browsers: {f['client_cpu']:.2f} s")
    print(f"[{mode}] login to first cell: median {f['median']:.1f} s, p95 {f['p95']:.1f} s")


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_mode(n: int, prestart: bool) -> int:
    """Start a hub for ``n`` students, measure one mode, stop it; the exit status."""
    users = [f"student{i:03d}" for i in range(n)]
    work = Path(tempfile.mkdtemp(prefix="hub-load-"))
    hub = None
    try:
        hub = start_seminar_hub(ROOT, work, users)  # stops what it started if interrupted
        figures = measure(hub, users, prestart)
    except (RuntimeError, CourseError) as exc:
        log = hub.running.log if hub else work / "state" / "jupyterhub.log"
        print(f"hub_load: error: {exc}; hub log: {log}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("hub_load: interrupted; the hub and its servers are stopped", file=sys.stderr)
        return 130
    finally:
        if hub is not None:
            stop_hub(hub.running)
    report("prestart" if prestart else "cold", n, figures)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="students (default 40)")
    parser.add_argument("--mode", choices=("cold", "prestart", "both"), default="both",
                        help="without --prestart, with it, or both one after the other")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_interrupt)  # a killed run still stops its hub
    modes = {"cold": [False], "prestart": [True], "both": [False, True]}[args.mode]
    for prestart in modes:
        status = run_mode(args.n, prestart)
        if status:
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
