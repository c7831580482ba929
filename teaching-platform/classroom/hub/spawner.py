"""JupyterHub's local process spawner, with every student's server in a sandbox of its own.

:class:`SandboxSpawner` is ``LocalProcessSpawner`` (JupyterHub) that needs no OS account per
student: each server runs under :func:`classroom.hub.sandbox.sandbox_command` with the
allowlisted environment of :func:`classroom.hub.sandbox.server_environment`, in a home of its
own below :attr:`SandboxSpawner.homes` (created on first start, warmed up with the grading
sandbox's caches, owned by the student's user id when the hub runs as root). The sandbox is
started with a parent-death signal: if the hub dies, every student's server dies with it.

Memory and processes are capped per student, all their processes together, by the grading
sandbox's containment (:mod:`classroom.grading.containment`): a cgroup of the student's own
where the machine allows it (v2 delegated, or v1 when the hub runs as root), in which Linux
refuses the fork past the cap and stops the largest process past the memory (a kernel, which
JupyterLab then restarts); elsewhere its watchdog, which stops the student's whole server when
their processes together pass a limit. The cgroup is removed when the server stops.

Examples
--------
>>> SandboxSpawner().env_keep  # nothing of the hub's own environment passes
[]
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import time
from pathlib import Path
from subprocess import Popen

from jupyterhub.spawner import LocalProcessSpawner, Spawner
from jupyterhub.utils import random_port
from traitlets import Integer, List, Unicode

from classroom.grading.containment import Containment
from classroom.grading.limits import Limits
from classroom.grading.sandbox import seed_home
from classroom.hub.sandbox import (
    StudentBox,
    StudentLimits,
    hub_runs_as_root,
    sandbox_command,
    server_environment,
)
from classroom.hub.uids import student_uid

__all__ = ["SandboxSpawner", "die_with_hub", "own_tree"]

_PR_SET_PDEATHSIG = 1


def die_with_hub() -> None:
    """In the forked child before exec: receive SIGTERM when the hub's thread ends."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


def own_tree(top: Path, uid: int) -> None:
    """Give ``top`` and everything below it to ``uid`` (links themselves, never followed).

    Examples
    --------
    >>> import tempfile
    >>> top = Path(tempfile.mkdtemp())
    >>> (top / "a").mkdir(); (top / "a" / "f").write_text("x")
    1
    >>> own_tree(top, os.getuid()); (top / "a" / "f").stat().st_uid == os.getuid()
    True
    """
    os.chown(top, uid, uid, follow_symlinks=False)
    for folder, dirs, files in os.walk(top):
        for name in (*dirs, *files):
            os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)


def _remove_folders(folders: list[Path], wait: float = 5.0) -> None:
    """Remove empty cgroup folders that are still there, retrying for ``wait`` seconds."""
    deadline = time.monotonic() + wait
    for folder in folders:
        while folder.exists() and time.monotonic() < deadline:
            try:
                folder.rmdir()
            except FileNotFoundError:
                break
            except OSError:  # its last processes are still exiting
                time.sleep(0.1)


class SandboxSpawner(LocalProcessSpawner):
    """Each student's server in a sandbox (see the module docstring)."""

    homes = Unicode(config=True, help="The folder holding every student's home, <homes>/<name>.")
    release = Unicode("", config=True,
                      help="The released course (a git repository), read-only in every sandbox.")
    read_only = List(Unicode(), config=True,
                     help="More folders every server reads (the lab extension, lab settings).")
    jupyter_path = Unicode("", config=True,
                           help="JUPYTER_PATH of every server (the hub's kernel spec).")
    uid_table = Unicode("", config=True,
                        help="When the hub runs as root: the file of the students' user ids.")
    tasks = Integer(256, config=True, help="Processes and threads per student.")
    memory_mb = Integer(2048, config=True, help="Memory of a student's processes together, MiB.")
    tmp_mb = Integer(256, config=True, help="Size of a student's /tmp and /dev/shm, MiB.")
    env_keep = List(Unicode(), [], config=True,
                    help="Nothing of the hub's own environment reaches a student's server.")

    def student_box(self) -> StudentBox:
        """Make the student's home if needed and describe their sandbox."""
        name = self.user.name
        homes = Path(self.homes)
        homes.mkdir(mode=0o700, parents=True, exist_ok=True)
        home = homes / name
        fresh = not home.exists()
        home.mkdir(mode=0o700, exist_ok=True)
        if fresh:
            seed_home(home)
        uid = None
        if hub_runs_as_root():
            uid = student_uid(Path(self.uid_table or homes.parent / "uids.json"), name)
            if home.stat().st_uid != uid or fresh:
                own_tree(home, uid)
        limits = StudentLimits(tasks=self.tasks, memory_mb=self.memory_mb, tmp_mb=self.tmp_mb)
        return StudentBox(name, home, uid=uid, read_only=tuple(self.read_only),
                          release=Path(self.release) if self.release else None, limits=limits)

    def containment(self) -> Containment:
        """The student's limits as the grading sandbox enforces them (cgroup or watchdog)."""
        limits = Limits(memory_mb=self.memory_mb, max_processes=self.tasks,
                        disk_mb=self.tmp_mb)
        return Containment.create(limits, sandboxed=True)

    async def _release(self) -> None:
        """Remove the student's cgroup, killing anything left in it (idempotent).

        The containment gives up after half a second when the last processes are still
        exiting; a busy machine can take longer, so the folders are tried for five more.
        """
        contained, self._contained = getattr(self, "_contained", None), None
        if contained is None:
            return
        folders = list(contained.cgroup.dirs) if contained.cgroup is not None else []
        await contained.close()
        await asyncio.to_thread(_remove_folders, folders)

    def make_preexec_fn(self, name: str):  # noqa: ANN201 - JupyterHub's signature
        """No user switch here (the sandbox does it); the server dies with the hub."""
        return die_with_hub

    def get_env(self) -> dict[str, str]:
        """The allowlisted environment (:func:`classroom.hub.sandbox.server_environment`)."""
        return server_environment(Spawner.get_env(self), self.user.name,
                                  jupyter_path=self.jupyter_path or None)

    async def start(self) -> tuple[str, int]:
        """Start the student's server in their sandbox; where the proxy finds it."""
        box = await asyncio.to_thread(self.student_box)
        await self._release()
        self._contained = await asyncio.to_thread(self.containment)
        if self.port == 0:
            self.port = random_port()
        command = [*self._contained.prefix, *sandbox_command(box, [*self.cmd, *self.get_args()])]
        self.log.info("Spawning the sandboxed server of %s (user id %s, limits: %s)", box.name,
                      box.uid if box.uid is not None else "of the hub, own user namespace",
                      self._contained.level)
        # Popen in the hub's own thread: the parent-death signal follows that thread
        self.proc = Popen(command, preexec_fn=self.make_preexec_fn(box.name),  # noqa: PLW1509
                          start_new_session=True, env=self.get_env(), **self.popen_kwargs)
        self.pid = self.proc.pid
        if self._contained.level == "rlimit":  # no cgroup: the watchdog adds up the tree
            self._contained.attach(self.pid)
        return (self.ip or "127.0.0.1", self.port)

    async def poll(self) -> int | None:
        """JupyterHub's poll; once the server has ended, its cgroup goes too."""
        status = await super().poll()
        if status is not None:
            await self._release()
        return status

    async def stop(self, now: bool = False) -> None:
        """JupyterHub's stop, then every process left in the student's cgroup is killed."""
        await super().stop(now=now)
        await self._release()
