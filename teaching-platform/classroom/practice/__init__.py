"""``course check``: a learner's practice verdict on one saved exercise notebook.

- :mod:`~classroom.practice.run`         run a notebook with the grader's runner; its answers
- :mod:`~classroom.practice.instructor`  the grader against ``solutions/`` (full repository)
- :mod:`~classroom.practice.verdict`     choose the judge, report per question, record it

The practice keys themselves (salted answer digests) are :mod:`course_lib.practice`.
"""
