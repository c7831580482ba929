"""Load of a class on the loopback hub: N students log in at once and run lesson 03.

A real JupyterHub (SharedPasswordAuthenticator, SimpleLocalProcessSpawner, configurable-http-
proxy) on 127.0.0.1.  Every simulated student, all at once: logs in through the form, starts
their server, pulls the course with nbgitpuller from a local ``course release --git``
repository and runs every code cell of ``notebooks/03_measuring_threat.ipynb`` in a kernel of
their own server.  Printed, one figure a line:

- ``memory per active student: M MB (PSS)``: proportional set size (``/proc/PID/smaps_rollup``,
  shared pages split between the processes sharing them) of each student's single-user server
  plus kernel, measured while every kernel is alive after the lesson ran, mean over students;
- ``CPU per student: C s``: CPU time (user + system) of the hub, the proxy, the servers and the
  kernels from the first login to the moment every student's first cell has run, over N;
- ``login to first cell: median A s, p95 B s``: wall time per student; when all log in at
  once the machine is CPU-bound, so the slowest wait is close to N x C / cores (printed);
- ``students per 24 GiB machine: K``: (24 GiB - hub and proxy PSS) / M.

Run::

    .venv/bin/python benchmarks/hub_load.py            # 20 students
    .venv/bin/python benchmarks/hub_load.py --n 5
"""

from __future__ import annotations

import argparse
import json
import secrets
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from classroom.hub.client import TOKEN_VARIABLE, HubClient, browser_login
from classroom.hub.gitrelease import release_to_git
from classroom.hub.hubconfig import PASSWORD_VARIABLE, HubPorts, config_text, free_ports
from classroom.hub.process import find_proxy, find_singleuser, start_hub, stop_hub
from classroom.hub.remote_kernel import run_cells
from classroom.labextension.settings import write_app_settings

ROOT = Path(__file__).resolve().parents[1]
LESSON = "notebooks/03_measuring_threat.ipynb"


def pss_mb(pid: int) -> float:
    """PSS of one process in MB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def group_processes(leader: int) -> list[psutil.Process]:
    """The hub and every process below it."""
    try:
        hub = psutil.Process(leader)
        return [hub, *hub.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for p in processes:
        try:
            t = p.cpu_times()  # children_*: finished helpers it waited for (git, nbgitpuller)
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def role_of(process: psutil.Process) -> str:
    """Which part of the hub a process is: hub, proxy, server, kernel or other."""
    try:
        line = " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return "other"
    for role, marker in (("proxy", "configurable-http-proxy"), ("server", "jupyterhub-singleuser"),
                         ("kernel", "ipykernel"), ("hub", "jupyterhub")):
        if marker in line:
            return role
    return "other"


def cpu_by_role(processes: list[psutil.Process]) -> dict[str, float]:
    """CPU seconds (user + system) per role, see :func:`role_of`."""
    totals: dict[str, float] = {}
    for p in processes:
        role = role_of(p)
        totals[role] = totals.get(role, 0.0) + cpu_seconds([p])
    return totals


def server_of(user: str, processes: list[psutil.Process]) -> list[psutil.Process]:
    """A student's single-user server and its kernels."""
    for p in processes:
        try:
            if "jupyterhub-singleuser" in " ".join(p.cmdline()) and \
                    p.environ().get("JUPYTERHUB_USER") == user:
                return [p, *p.children(recursive=True)]
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return []


def lesson_cells() -> list[str]:
    nb = json.loads((ROOT / LESSON).read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def student(url: str, name: str, password: str, repo: Path, cells: list[str],
            first_done: threading.Barrier, all_ran: threading.Barrier,
            times: dict[str, float], errors: dict[str, str]) -> None:
    """One student's session; a failure is recorded and breaks the barriers (no waiting)."""
    try:
        _student_session(url, name, password, repo, cells, first_done, all_ran, times)
    except threading.BrokenBarrierError:
        pass  # another student failed
    except Exception as exc:  # noqa: BLE001 - reported by the main thread, one line
        errors[name] = f"{type(exc).__name__}: {exc}"
        first_done.abort()
        all_ran.abort()


def _student_session(url: str, name: str, password: str, repo: Path, cells: list[str],
                     first_done: threading.Barrier, all_ran: threading.Barrier,
                     times: dict[str, float]) -> None:
    """Log in, start the server, pull the course, run the lesson; wait on the barriers."""
    start = time.monotonic()
    client = HubClient(url, browser_login(url, name, password), timeout=300)
    client.start_server(name, wait=600)
    reply = client.request("GET", client.url(f"user/{name}/git-pull/api"), stream=True,
                           params={"repo": f"file://{repo}", "branch": "main",
                                   "targetpath": "course"})
    for _line in reply.iter_lines():
        pass

    def on_cell(index: int) -> None:
        if index == 0:
            times[name] = time.monotonic() - start
            first_done.wait()
        if index == len(cells) - 1:
            all_ran.wait()  # measured here
            all_ran.wait()  # released

    run_cells(client, name, cells, path="course/notebooks", timeout=300, on_cell=on_cell)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="students (default 20)")
    args = parser.parse_args(argv)
    users = [f"student{i:03d}" for i in range(args.n)]
    work = Path(tempfile.mkdtemp(prefix="hub-load-"))
    release_to_git(ROOT, work / "release")
    ports = HubPorts(*free_ports(3))
    url = f"http://127.0.0.1:{ports.public}/"
    secret = {TOKEN_VARIABLE: secrets.token_hex(16), PASSWORD_VARIABLE: secrets.token_hex(8)}
    config = config_text(ports, work / "state", users, proxy=find_proxy(ROOT),
                         singleuser=find_singleuser(),
                         lab_settings=write_app_settings(work / "lab-settings"))
    hub = start_hub(work / "state", config, url, env=secret)
    cells = lesson_cells()
    first_done = threading.Barrier(args.n + 1, timeout=1800)  # a failed student: no hang
    all_ran = threading.Barrier(args.n + 1, timeout=1800)
    times: dict[str, float] = {}
    errors: dict[str, str] = {}
    signal.signal(signal.SIGTERM, _raise_interrupt)  # a killed run still stops its hub
    try:
        cpu0 = cpu_by_role(group_processes(hub.process.pid))
        threads = [threading.Thread(target=student, daemon=True, args=(
            url, u, secret[PASSWORD_VARIABLE], work / "release", cells, first_done, all_ran,
            times, errors)) for u in users]
        for t in threads:
            t.start()
        first_done.wait()
        roles = cpu_by_role(group_processes(hub.process.pid))
        roles = {r: t - cpu0.get(r, 0.0) for r, t in roles.items()}
        cpu = sum(roles.values())
        all_ran.wait()
        procs = group_processes(hub.process.pid)
        members = [server_of(u, procs) for u in users]  # each student's server and kernels
        per_student = [sum(pss_mb(p.pid) for p in m) for m in members]
        per_kernel = [sum(pss_mb(p.pid) for p in m if role_of(p) == "kernel") for m in members]
        base = sum(pss_mb(p.pid) for p in procs) - sum(per_student)
        all_ran.wait()
        for t in threads:
            t.join(timeout=120)
    except threading.BrokenBarrierError:
        name, reason = next(iter(errors.items()), ("?", "a barrier timed out"))
        print(f"hub_load: error: student {name} failed ({reason}); "
              f"hub log: {work / 'state' / 'jupyterhub.log'}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("hub_load: interrupted; the hub and its servers are stopped", file=sys.stderr)
        return 130
    finally:
        stop_hub(hub)
    memory = statistics.mean(per_student)
    waits = sorted(times.values())
    p95 = waits[min(len(waits) - 1, round(0.95 * (len(waits) - 1)))]
    print(f"students: {args.n}; CPUs: {psutil.cpu_count()}; hub and proxy: {base:.0f} MB (PSS)")
    print(f"memory per active student: {memory:.0f} MB (PSS)")
    print(f"  of which kernel: {statistics.mean(per_kernel):.0f} MB, server: "
          f"{memory - statistics.mean(per_kernel):.0f} MB")
    print(f"CPU per student: {cpu / args.n:.1f} s")
    print("  by part: " + ", ".join(f"{r} {t / args.n:.2f} s" for r, t in sorted(roles.items())))
    print(f"login to first cell: median {statistics.median(waits):.1f} s, p95 {p95:.1f} s")
    cores = psutil.cpu_count() or 1
    print(f"  p95 follows from C and the cores: {args.n} students x {cpu / args.n:.1f} s / "
          f"{cores} cores = {cpu / cores:.1f} s of CPU-bound wall time for a simultaneous login")
    print(f"students per 24 GiB machine: {int((24 * 1024 - base) // memory)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
