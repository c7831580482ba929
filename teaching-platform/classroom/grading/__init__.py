"""Batch grading of exercise notebooks, judged outside the learner's kernel.

- :mod:`classroom.grading.discovery` submissions as regular files; exact, collision-free identities
- :mod:`classroom.grading.plan`      exercise sources, which exercise a submission is, ambiguity
- :mod:`classroom.grading.parent`    the pre-imported kernel parent that forks every kernel
- :mod:`classroom.grading.runner`    kernel runner with limits, isolation and probes
- :mod:`classroom.grading.exercise`  exercise spec from the instructor source; submission rebuild
- :mod:`classroom.grading.judge`     points and feedback from probed values
- :mod:`classroom.grading.report`    JSON and Markdown feedback exports (atomic, umask-honouring)
- :mod:`classroom.grading.batch`     parallel grading into the gradebook (``course grade``)

The gradebook itself (SQLite) is :mod:`classroom.gradebook`.
Import the submodule you need: ``from classroom.grading.batch import grade_batch``.
"""
