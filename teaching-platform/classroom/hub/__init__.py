"""A class on JupyterHub: distribute the course, collect and return work, run a seminar hub.

======================  ======================================================================
``gitrelease``          the student bundle as a git repository nbgitpuller can serve
``links``               the nbgitpuller link that opens lesson 00 in JupyterLab
``client``              a small client of the hub's REST API and the Jupyter contents API
``collect``             fetch each student's notebook from their single-user server
``give_back``           write each student's feedback into their own server
``launcher``            ``course hub``: a hub on the instructor's machine in one command
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
