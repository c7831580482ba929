"""Batch grading of exercise notebooks, judged outside the learner's kernel.

- :mod:`course_lib.grading.runner`    kernel runner with limits, isolation and probes
- :mod:`course_lib.grading.exercise`  exercise spec from the instructor source; submission rebuild
- :mod:`course_lib.grading.judge`     points and feedback from probed values
- :mod:`course_lib.grading.report`    JSON, Markdown feedback, gradebook CSV (atomic writes)
- :mod:`course_lib.grading.batch`     discovery and parallel grading (``course grade``)

Import the submodule you need: ``from course_lib.grading.batch import grade_batch``.
"""
