"""The gradebook: one SQLite file (``gradebook.sqlite``) in the grading folder, the only truth.

- :mod:`classroom.gradebook.schema`   tables and their creation (``PRAGMA user_version``)
- :mod:`classroom.gradebook.store`    open, record a run and a result (one transaction each)
- :mod:`classroom.gradebook.marks`    manual marks with comment and marker (never erased)
- :mod:`classroom.gradebook.history`  latest results and a student's runs
- :mod:`classroom.gradebook.files`    export files written with the umask, never read back

Import the submodule you need: ``from classroom.gradebook.store import open_gradebook``.
"""
