"""Practice keys for self-paced learners' verdicts (``course check NOTEBOOK``).

- :mod:`~course_lib.practice.key`        canonical answers, salted digests, judging one check
- :mod:`~course_lib.practice.keyfile`    a whole exercise's key: build, write, find, judge

Running a saved notebook and choosing the judge is the platform's job
(:mod:`classroom.practice`); this package only knows how answers are hashed and compared.

Practice keys are a practice aid, not a secret (see :mod:`~course_lib.practice.key`); graded
releases ship none. Import the submodule you need.

Examples
--------
>>> from course_lib.practice.key import canonical
>>> canonical("IRN") == canonical(" irn ")
True
"""
