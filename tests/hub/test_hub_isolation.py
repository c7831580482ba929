"""Attacks from one student on the loopback hub: credentials, files, processes, tokens, limits.

The hub of ``conftest.py`` is ``course hub`` as it ships (sandbox on). Ann is the attacker: she
tries other students' codes and hers on their names, then, from a kernel of her own server,
every path a curious student could know or guess (bob's home on the host and in the sandbox,
the hub's database, cookie secret, class sheet and login codes, the instructor's repository,
``solutions/``, a grading folder with its gradebook), every process and environment she can
see, her own token against bob's server (through the proxy and straight to its port), the
proxy's API, and the machine's limits. Every attack must fail, and bob's work must be intact.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
import requests

from classroom.cli import main
from classroom.grading.containment import limit_level
from classroom.hub.client import TOKEN_VARIABLE, HubClient, HubError
from classroom.hub.launcher import SeminarHub
from tests.hub.hub_kit import LIMITS, LOCK_SECONDS, ROOT, Connect
from tests.hub.hub_student import browser_login, login_form, run_cells

pytestmark = pytest.mark.hub

#: Run in ann's kernel: every read, write, listing and environment it can reach, as JSON.
PROBE = r'''
import json, os, sys, urllib.request, urllib.error
targets = json.loads(TARGETS)
found = {"read": {}, "wrote": {}, "exists": {}}
for path in targets["read"]:
    found["exists"][path] = os.path.lexists(path)
    try:
        with open(path, "rb") as f:
            found["read"][path] = f.read(64).hex()
    except OSError as e:
        found["read"][path] = None
for path in targets["write"]:
    try:
        with open(path, "w") as f:
            f.write("ann was here")
        found["wrote"][path] = True
    except OSError:
        found["wrote"][path] = False
found["uid"] = os.getuid()
found["env"] = dict(os.environ)
found["procs"] = {}
for pid in sorted(p for p in os.listdir("/proc") if p.isdigit()):
    entry = {}
    for what in ("cmdline", "environ"):
        try:
            entry[what] = open(f"/proc/{pid}/{what}", "rb").read().decode("utf-8", "replace")
        except OSError:
            entry[what] = None
    found["procs"][pid] = entry
try:
    os.kill(1, 9)
    found["killed_pid1"] = True
except OSError:
    found["killed_pid1"] = False
token = os.environ["JUPYTERHUB_API_TOKEN"]
found["http"] = {}
for name, url in targets["urls"].items():
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        found["http"][name] = urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as e:
        found["http"][name] = e.code
    except OSError as e:
        found["http"][name] = str(e)
print(json.dumps(found))
'''


def _probe(client: HubClient, name: str, targets: dict) -> dict:
    cells = [f"TARGETS = {json.dumps(json.dumps(targets))}", PROBE]
    (_, _), (_, outputs) = run_cells(client, name, cells, timeout=120)
    text = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert outputs and outputs[-1]["output_type"] == "stream", outputs
    return json.loads(text.strip().splitlines()[-1])


def _processes_of(hub: SeminarHub, name: str) -> list[psutil.Process]:
    """The processes of ``name``'s sandbox under this hub (not another hub's on the machine)."""
    found = []
    for process in psutil.Process(hub.running.process.pid).children(recursive=True):
        try:
            if process.environ().get("JUPYTERHUB_USER") == name:
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def _server_port(hub: SeminarHub, name: str) -> int:
    """The loopback port of ``name``'s server, read as root from its process."""
    for process in _processes_of(hub, name):
        with contextlib.suppress(psutil.NoSuchProcess):
            url = process.environ().get("JUPYTERHUB_SERVICE_URL")
            if url:
                return urlsplit(url).port
    raise AssertionError(f"no server process for {name}")


def _secrets_of_hub(hub: SeminarHub) -> list[str]:
    """The instructor's token and the proxy's token, read as root from the hub's processes."""
    found = [hub.token]
    for process in psutil.Process(hub.running.process.pid).children(recursive=True):
        token = (process.environ() or {}).get("CONFIGPROXY_AUTH_TOKEN")
        if token:
            found.append(token)
    assert len(found) == 2, "the proxy's token was not found"
    return found


def test_only_her_own_code_lets_ann_in(class_hub: SeminarHub) -> None:
    url, codes = class_hub.url, class_hub.new_codes
    assert login_form(url, "ann", codes["ann"]) == 302
    for name, code in (("ann", codes["bob"]), ("bob", codes["ann"]), ("ann", ""),
                       ("ann", codes["ann"].upper()), ("ann", "x" * 100), ("zed", codes["ann"])):
        assert login_form(url, name, code) == 200, (name, code)  # the form again, no entry


def test_failed_logins_lock_a_name_and_a_reset_lifts_it(class_hub: SeminarHub,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    url, code = class_hub.url, class_hub.new_codes["dee"]
    for _ in range(5):
        assert login_form(url, "dee", "wrong-guess-1") == 200
    assert login_form(url, "dee", code) == 200  # locked: even the right code waits
    time.sleep(LOCK_SECONDS + 1)
    assert login_form(url, "dee", code) == 302  # one try after the wait
    for _ in range(6):
        login_form(url, "dee", "wrong-guess-2")
    workdir = class_hub.running.workdir.parent
    assert main(["hub", "--reset", "dee", "--dir", str(workdir)]) == 0
    new = capsys.readouterr().out.strip().rsplit(": ", 1)[1]
    assert new != code and len(new) == 14
    assert login_form(url, "dee", code) == 200  # the old code is dead
    assert login_form(url, "dee", new) == 302  # the reset applies at once and unlocks
    assert main(["hub", "--reset", "zed", "--dir", str(workdir)]) == 2


def _targets(hub: SeminarHub, grading: Path, mark: str) -> dict:
    """Where ann reads and writes; files written carry ``mark`` in their name."""
    state = hub.running.workdir
    bob_home = state / "homes" / "bob"
    return {
        "read": [str(bob_home / "secret.txt"), "/home/bob/secret.txt",
                 str(state / "jupyterhub.sqlite"), str(state / "jupyterhub_cookie_secret"),
                 str(state / "class-sheet.txt"), str(state / "uids.json"),
                 str(state / "login-codes"), str(ROOT / "solutions" / "README.md"),
                 str(ROOT / "instructor"), str(grading / "gradebook.sqlite"),
                 str(ROOT / "course.toml"), "/etc/shadow"],
        "write": [str(bob_home / f"planted-{mark}.txt"), f"/home/bob/planted-{mark}.txt",
                  str(grading / "gradebook.sqlite"),
                  str(Path(json.__file__).parent / f"planted_{mark}.py"),
                  str(ROOT / "course_lib" / f"planted_{mark}.py"),
                  f"/srv/course/release/planted-{mark}", f"/home/planted-{mark}"],
        "urls": {
            "bob via proxy": hub.url + "user/bob/api/contents/secret.txt",
            "bob direct": f"http://127.0.0.1:{_server_port(hub, 'bob')}/user/bob/api/contents",
            "bob on the hub": hub.url + "hub/api/users/bob",
            "all users": hub.url + "hub/api/users",
        },
    }


def test_from_her_kernel_ann_reaches_nothing_of_bob_the_hub_or_the_instructor(
        class_hub: SeminarHub, connect: Connect, tmp_path: Path) -> None:
    url = class_hub.url
    ann = connect(url, browser_login(url, "ann", class_hub.new_codes["ann"]))
    bob = connect(url, browser_login(url, "bob", class_hub.new_codes["bob"]))
    ann.start_server("ann", wait=180)
    bob.start_server("bob", wait=180)
    bob.write_file("bob", "secret.txt", "bob's answer")
    grading = tmp_path / "graded"
    grading.mkdir()
    (grading / "gradebook.sqlite").write_bytes(b"SQLite format 3\x00")
    targets = _targets(class_hub, grading, secrets.token_hex(4))
    try:
        found = _probe(ann, "ann", targets)
    finally:  # were the sandbox broken, the probe's files must not stay on this machine
        for path in targets["write"]:
            planted = Path(path)
            if "planted" in planted.name and planted.is_file():
                planted.unlink()

    assert {p: v for p, v in found["read"].items() if v is not None} == {}
    # everything but the machine's own /etc (there, read-only, unreadable) is simply absent
    assert {p: v for p, v in found["exists"].items() if v} == {"/etc/shadow": True}
    assert {p: v for p, v in found["wrote"].items() if v} == {}
    assert bob.read_file("bob", "secret.txt")[0] == "bob's answer"
    assert (grading / "gradebook.sqlite").read_bytes() == b"SQLite format 3\x00"
    assert found["killed_pid1"] is False
    assert found["http"]["bob via proxy"] == 403 and found["http"]["bob direct"] == 403
    assert found["http"]["bob on the hub"] == 404  # a user she may not see does not exist
    assert found["http"]["all users"] in (200, 403)
    # no secret of the hub in her environment or in anything she can see of any process
    visible = json.dumps(found["env"]) + json.dumps(found["procs"])
    assert all(secret not in visible for secret in _secrets_of_hub(class_hub))
    assert "COURSE_HUB_TOKEN" not in visible and "CONFIGPROXY_AUTH_TOKEN" not in visible
    # her own sandbox's processes only: bwrap's init, her server, her kernel (and its helpers)
    assert len(found["procs"]) <= 6, found["procs"].keys()
    assert all("bob" not in (p["cmdline"] or "") for p in found["procs"].values())
    if os.geteuid() == 0:  # a user id of her own, not root and not bob's
        uids = json.loads((class_hub.running.workdir / "uids.json").read_text())
        assert found["uid"] == uids["ann"] != uids["bob"] and found["uid"] != 0


def test_her_token_is_refused_by_bob_s_server(class_hub: SeminarHub, connect: Connect) -> None:
    url = class_hub.url
    ann = connect(url, browser_login(url, "ann", class_hub.new_codes["ann"]))
    connect(url, class_hub.token).start_server("bob", wait=180)
    for method, path in (("GET", "user/bob/api/contents"), ("GET", "user/bob/api/kernels"),
                         ("PUT", "user/bob/api/contents/planted.txt")):
        with pytest.raises(HubError) as refused:
            ann.request(method, ann.url(path), json={"type": "file", "format": "text",
                                                     "content": "x"})
        assert refused.value.status == 403, (method, path)
    direct = f"http://127.0.0.1:{_server_port(class_hub, 'bob')}/user/bob/api/contents"
    token = ann.session.headers["Authorization"]
    assert requests.get(direct, headers={"Authorization": token}, timeout=10).status_code == 403


#: Run in ann's kernel: two helpers that each fill 60 % of her memory cap, at the same time.
MEMORY_HOGS = """
import subprocess, sys
hog = "import time; x = b'x' * ({part} * 2**20); time.sleep(8)"
helpers = [subprocess.Popen([sys.executable, "-c", hog]) for _ in range(2)]
print([h.wait(timeout=120) for h in helpers])
"""


def test_limits_hold_for_one_student_and_the_others_go_on(class_hub: SeminarHub,
                                                         connect: Connect) -> None:
    url, level = class_hub.url, limit_level()
    ann = connect(url, browser_login(url, "ann", class_hub.new_codes["ann"]))
    bob = connect(url, class_hub.token, per_student_tokens=True)  # the instructor
    ann.start_server("ann", wait=180)
    bob.start_server("bob", wait=180)
    fork_loop = (
        "import os, signal, time\n"
        "children = []\n"
        "try:\n"
        f"    for _ in range({LIMITS.tasks + 50}):\n"
        "        pid = os.fork()\n"
        "        if pid == 0:\n"
        "            time.sleep(60); os._exit(0)\n"
        "        children.append(pid)\n"
        "    stopped = None\n"
        "except OSError as e:\n"
        "    stopped = e.errno\n"
        "for pid in children:\n"
        "    os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)\n"
        "print(len(children), stopped)\n")
    tmp_fill = ("n = 0\ntry:\n    with open('/tmp/fill', 'wb') as f:\n"
                "        for _ in range(4096):\n            f.write(b'x' * 2**20); n += 1\n"
                "except OSError as e:\n    print(n, e.errno)\nimport os; os.remove('/tmp/fill')\n")
    done = run_cells(ann, "ann", [fork_loop, tmp_fill, "print('alive')"], timeout=180)
    texts = ["".join(o.get("text", "") for o in outputs) for _, outputs in done]
    forked, errno = texts[0].split()
    assert errno == "11" and int(forked) < LIMITS.tasks  # EAGAIN: the process cap
    written, errno = texts[1].split()
    assert errno == "28" and int(written) <= LIMITS.tmp_mb  # ENOSPC: /tmp is bounded
    assert texts[2].strip() == "alive"
    # two helpers, each within every per-process limit, together past her memory cap
    hogs = MEMORY_HOGS.format(part=int(LIMITS.memory_mb * 0.6))
    if level == "rlimit":  # the watchdog stops her whole server
        with pytest.raises(HubError):
            run_cells(ann, "ann", [hogs], timeout=120)
        assert not connect(url, class_hub.token).user("ann")["servers"]
    else:  # her cgroup: Linux stops the largest process, her kernel goes on
        (_, outputs), (_, alive) = run_cells(ann, "ann", [hogs, "print('alive')"], timeout=180)
        codes = json.loads("".join(o.get("text", "") for o in outputs))
        assert -9 in codes, codes
        assert "".join(o.get("text", "") for o in alive).strip() == "alive"
    assert bob.user("bob")["servers"][""]["ready"]
    bob.write_file("bob", "still-here.txt", "yes")


def test_stopping_a_server_ends_every_process_of_its_sandbox(class_hub: SeminarHub,
                                                            connect: Connect) -> None:
    instructor = connect(class_hub.url, class_hub.token)
    instructor.start_server("cy", wait=180)
    uids = json.loads((class_hub.running.workdir / "uids.json").read_text())
    cy = _processes_of(class_hub, "cy")
    assert cy, "cy's server is not running"
    instructor.request("DELETE", instructor.url("hub/api/users/cy/server"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(p.is_running() and p.status() != "zombie"
                                              for p in cy):
        time.sleep(0.5)
    assert not [p for p in cy if p.is_running() and p.status() != "zombie"]
    if os.geteuid() == 0:
        left = [p.pid for p in psutil.process_iter(["uids"]) if p.info["uids"].real == uids["cy"]]
        assert left == []


#: Run in ann's kernel: every token her server's memory holds after the instructor's requests
#: (her kernel may read the memory of her server, which runs as she does), and whether any of
#: them opens bob's server.
MEMORY_SCAN = r'''
import json, os, re, urllib.request, urllib.error
server = next(p for p in os.listdir("/proc") if p.isdigit() and
              os.stat(f"/proc/{p}").st_uid == os.getuid() and
              b"jupyterhub-singleuser" in open(f"/proc/{p}/cmdline", "rb").read())
found = set()
with open(f"/proc/{server}/maps") as maps, open(f"/proc/{server}/mem", "rb") as mem:
    for line in maps:
        span, perms = line.split()[:2]
        if not perms.startswith("rw"):
            continue
        start, end = (int(x, 16) for x in span.split("-"))
        try:
            mem.seek(start)
            chunk = mem.read(end - start)
        except (OSError, ValueError, OverflowError):
            continue
        found.update(m.decode() for m in re.findall(rb"[Tt]oken ([0-9a-f]{32,64})\b", chunk))
opened = []
for token in sorted(found):
    request = urllib.request.Request(BOB, headers={"Authorization": f"token {token}"})
    try:
        urllib.request.urlopen(request, timeout=10)
        opened.append(token)
    except (urllib.error.HTTPError, OSError):
        pass
print(json.dumps({"found": sorted(found), "opened_bob": opened}))
'''


def test_the_instructor_s_requests_leave_ann_no_token_that_opens_bob_s_server(
        class_hub: SeminarHub, connect: Connect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Collect and return talk to ann's server, which ann controls: what they send must open
    her server only, never the instructor's token (which opens every student's)."""
    url = class_hub.url
    ann = connect(url, browser_login(url, "ann", class_hub.new_codes["ann"]))
    ann.start_server("ann", wait=180)
    connect(url, class_hub.token).start_server("bob", wait=180)
    ann.write_file("ann", "probe/exercises/99_probe.ipynb", json.dumps(
        {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    monkeypatch.setenv(TOKEN_VARIABLE, class_hub.token)
    assert main(["collect", "--hub", url, "--exercise", "99_probe", "--course-dir", "probe",
                 "--out", str(tmp_path / "subs")]) == 0
    assert "collected 1 of 4" in capsys.readouterr().out  # ann's, through her server
    bob_url = url + "user/bob/api/contents"
    (_, outputs), = run_cells(ann, "ann", [f"BOB = {bob_url!r}\n" + MEMORY_SCAN], timeout=300)
    text = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert text, outputs
    scan = json.loads(text.strip().splitlines()[-1])
    assert scan["found"], "the scan saw no token at all: it proves nothing"
    assert class_hub.token not in scan["found"]
    assert scan["opened_bob"] == []
    # nor would the instructor's own token open a server: it only mints students' tokens
    with pytest.raises(HubError) as refused:
        connect(url, class_hub.token).read_file("bob", "secret.txt")
    assert refused.value.status == 403
    tokens = connect(url, class_hub.token).request("GET", connect(url, "").url(
        "hub/api/users/ann/tokens")).json()["api_tokens"]
    assert not [t for t in tokens if t["note"].startswith("course:")]  # deleted after use
