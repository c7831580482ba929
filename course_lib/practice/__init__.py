"""Practice verdicts for self-paced learners: ``course check NOTEBOOK``.

- :mod:`~course_lib.practice.key`        canonical answers, salted digests, judging one check
- :mod:`~course_lib.practice.keyfile`    a whole exercise's key: build, write, find, judge
- :mod:`~course_lib.practice.run`        run a notebook in a local kernel, read its answers
- :mod:`~course_lib.practice.instructor` the grader against ``solutions/`` (full repository)
- :mod:`~course_lib.practice.verdict`    choose the judge, report per question, record

Practice keys are a practice aid, not a secret (see :mod:`~course_lib.practice.key`); graded
releases ship none. Import the submodule you need.

Examples
--------
>>> from course_lib.practice.key import canonical
>>> canonical("IRN") == canonical(" irn ")
True
"""
