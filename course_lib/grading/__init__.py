"""Batch grading of exercise notebooks, judged outside the learner's kernel.

- :mod:`course_lib.grading.discovery` submissions as regular files; exact, collision-free identities
- :mod:`course_lib.grading.plan`      exercise sources, which exercise a submission is, ambiguity
- :mod:`course_lib.grading.runner`    kernel runner with limits, isolation and probes
- :mod:`course_lib.grading.exercise`  exercise spec from the instructor source; submission rebuild
- :mod:`course_lib.grading.judge`     points and feedback from probed values
- :mod:`course_lib.grading.report`    JSON and Markdown feedback exports (atomic, umask-honouring)
- :mod:`course_lib.grading.batch`     parallel grading into the gradebook (``course grade``)

The gradebook itself (SQLite) is :mod:`course_lib.gradebook`.
Import the submodule you need: ``from course_lib.grading.batch import grade_batch``.
"""
