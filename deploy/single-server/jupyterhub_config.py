# JupyterHub for one class on one server (The Littlest JupyterHub style): one Linux account per
# student created on first login, the course pulled with nbgitpuller, idle servers culled.
# Installed as /opt/course-hub/etc/jupyterhub_config.py by deploy/single-server/README.md.
# Secrets come from /opt/course-hub/etc/secrets.env (systemd EnvironmentFile), never this file.
import os

c = get_config()  # noqa: F821

# --- network: the proxy serves HTTPS behind a reverse proxy (README step 6) or on 443 itself
c.JupyterHub.bind_url = os.environ.get("COURSE_HUB_BIND_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.ConfigurableHTTPProxy.command = ["/opt/course-hub/node/node_modules/.bin/configurable-http-proxy"]
c.ConfigurableHTTPProxy.should_start = False          # started by its own systemd unit
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:8001"
c.ConfigurableHTTPProxy.auth_token = os.environ["CONFIGPROXY_AUTH_TOKEN"]
c.JupyterHub.db_url = "sqlite:////opt/course-hub/state/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "/opt/course-hub/state/jupyterhub_cookie_secret"

# --- students: real Linux accounts (PAM), created on first login, in the group "students"
c.JupyterHub.authenticator_class = "pam"              # or an OAuth/LTI authenticator
c.LocalAuthenticator.create_system_users = True
c.Authenticator.allowed_users = set()                  # filled by `course roster` or by hand
c.Authenticator.admin_users = {"instructor"}
c.JupyterHub.load_groups = {"students": {"users": []}}
c.JupyterHub.spawner_class = "systemd"                 # jupyterhub-systemdspawner
c.SystemdSpawner.mem_limit = "1G"                      # see README "Sizing" (benchmark figures)
c.SystemdSpawner.cpu_limit = 1.0
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.Spawner.cmd = ["/opt/course-hub/venv/bin/jupyterhub-singleuser"]
c.Spawner.default_url = os.environ.get("COURSE_PULL_URL", "/lab")

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
        # a single-user server cannot resolve !group= filters: plain access:servers, or one
        # "access:servers!user=NAME" per student (classroom.hub.hubconfig.access_scopes)
        "access:servers",
    ]},
    {"name": "idle-culler", "services": ["idle-culler"],
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
]
