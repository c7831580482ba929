# JupyterHub for one class on one server: the roster's students, each logging in with their own
# login code or password, each server a systemd unit of its own under a Linux user that systemd
# allocates while it runs (DynamicUser: no accounts to create), with its own memory, process
# and CPU limits and nothing of the machine visible but the course's environment.
# Installed as /opt/course-hub/etc/jupyterhub_config.py by deploy/single-server/README.md.
# Secrets come from /opt/course-hub/etc/secrets.env (systemd EnvironmentFile), never this file.
import os

from classroom.hub.accounts import roster_accounts
from classroom.hub.database import write_ahead_log

c = get_config()  # noqa: F821
write_ahead_log()  # a class logging in at once does not queue behind the disk

# --- network: the proxy (its own unit, configurable-http-proxy.service) serves HTTPS on 443
# with the certificate given there and redirects port 80; everything else stays on loopback.
# The hub never starts the proxy, so its own bind_url and ssl_* options would have no effect:
# the public address is all it needs to know.
c.JupyterHub.public_url = os.environ.get("COURSE_HUB_PUBLIC_URL", "https://hub.example.org/")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = 8081
c.ConfigurableHTTPProxy.should_start = False          # started by its own systemd unit
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:8001"
c.ConfigurableHTTPProxy.auth_token = os.environ["CONFIGPROXY_AUTH_TOKEN"]
c.JupyterHub.db_url = "sqlite:////opt/course-hub/state/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "/opt/course-hub/state/jupyterhub_cookie_secret"

# --- students: the roster (`course hub --issue-codes --roster ... --dir /opt/course-hub`
# writes each student's login code to /opt/course-hub/state/class-sheet.txt)
students = roster_accounts("/opt/course-hub/etc/roster.csv")
c.JupyterHub.authenticator_class = "classroom.hub.authenticator.ClassAuthenticator"
c.ClassAuthenticator.state_dir = "/opt/course-hub/state"
c.Authenticator.allowed_users = set(students)
c.Authenticator.admin_users = {"instructor"}
c.JupyterHub.load_groups = {"students": {"users": students}}

# --- each student's server: a transient systemd unit (jupyterhub-systemdspawner)
c.JupyterHub.spawner_class = "systemd"
c.SystemdSpawner.dynamic_users = True                  # a Linux user per student, while running
c.SystemdSpawner.mem_limit = "1G"                      # MemoryMax: see README "Sizing"
c.SystemdSpawner.cpu_limit = 1.0
c.SystemdSpawner.isolate_tmp = True                    # PrivateTmp
c.SystemdSpawner.isolate_devices = True                # PrivateDevices
c.SystemdSpawner.disable_user_sudo = True              # NoNewPrivileges
c.SystemdSpawner.unit_extra_properties = {
    "TasksMax": "256",                                  # processes and threads per student
    "StateDirectoryMode": "0700",                       # the home: the student's only
    "ProtectHome": "yes",                               # /home, /root, /run/user: not there
    "TemporaryFileSystem": ["/opt:ro", "/srv:ro", "/mnt:ro", "/media:ro"],
    "BindReadOnlyPaths": ["/opt/course-hub/venv"],      # ...but the course's environment
    "ProtectProc": "invisible",                         # no other user's processes in /proc
    "ProcSubset": "pid",
    "RestrictNamespaces": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectControlGroups": "yes",
    "LockPersonality": "yes",
}
c.Spawner.cmd = ["/opt/course-hub/venv/bin/jupyterhub-singleuser"]
# kernels talk to their server over IPC sockets in the unit's private /tmp: no port on loopback
c.Spawner.args = ["--KernelManager.transport=ipc"]
c.Spawner.environment = {"JUPYTER_RUNTIME_DIR": "/tmp/jupyter-runtime"}
c.Spawner.default_url = os.environ.get("COURSE_PULL_URL", "/lab")
c.Spawner.disable_user_config = True

# --- the instructor's service: exactly the scopes course collect / course return need
c.JupyterHub.services = [
    {"name": "course-instructor", "api_token": os.environ["COURSE_HUB_TOKEN"]},
    {"name": "idle-culler", "command": [
        "/opt/course-hub/venv/bin/python", "-m", "jupyterhub_idle_culler", "--timeout=3600"]},
]
c.JupyterHub.load_roles = [
    {"name": "course-instructor", "services": ["course-instructor"], "scopes": [
        "list:users!group=students", "read:users!group=students",
        "read:servers!group=students", "servers!group=students",
        # no access to any server: for each student, course collect and course return mint a
        # token of that student that opens their own server only (a server is the student's
        # program, so the instructor's token is never sent to one)
        "tokens!group=students",
    ]},
    {"name": "idle-culler", "services": ["idle-culler"],
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
]
