"""A class on JupyterHub: distribute the course, collect and return work, run a seminar hub.

======================  ======================================================================
``gitrelease``          the student bundle as a git repository nbgitpuller can serve
``links``               the nbgitpuller link that opens lesson 00 in JupyterLab
``client``              a small client of the hub's REST API and the Jupyter contents API
``collect``             fetch each student's notebook from their single-user server
``give_back``           write each student's feedback into their own server
``launcher``            ``course hub``: a hub on the instructor's machine in one command
``accounts``            the roster's accounts and each student's own login code
``authenticator``       the hub's login (NativeAuthenticator fed from the roster)
``sandbox``             what a student's server sees: the bubblewrap command and environment
``spawner``             JupyterHub's local spawner, every server in its sandbox and cgroup
``uids``                a user id per student when the hub runs as root
``prestart``            ``course hub --prestart``: servers, course and lesson 00 ready early
``kernelspec``          the hub's Python kernel, the course's modules loaded at start
``database``            the hub's SQLite in write-ahead mode
``hubconfig``           the ``jupyterhub_config.py`` of ``course hub``
``process``             start and stop a hub process by its process group
======================  ======================================================================

The hub sits on top of the house: it may import notebooks, grading and gradebook, and nothing
below imports it.  The token always comes from the environment (``COURSE_HUB_TOKEN``), never
from the command line.

Examples
--------
>>> import classroom.hub
>>> "nbgitpuller" in classroom.hub.__doc__
True
"""
