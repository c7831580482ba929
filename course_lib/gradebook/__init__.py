"""The gradebook: one SQLite file (``gradebook.sqlite``) in the grading folder, the only truth.

- :mod:`course_lib.gradebook.schema`   tables and their creation (``PRAGMA user_version``)
- :mod:`course_lib.gradebook.store`    open, record a run and a result (one transaction each)
- :mod:`course_lib.gradebook.marks`    manual marks with comment and marker (never erased)
- :mod:`course_lib.gradebook.history`  latest results and a student's runs
- :mod:`course_lib.gradebook.files`    export files written with the umask, never read back

Import the submodule you need: ``from course_lib.gradebook.store import open_gradebook``.
"""
