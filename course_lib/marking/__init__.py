"""Marking reflections in JupyterLab: the ``course mark`` loop over the gradebook.

- :mod:`course_lib.marking.rubric`     manual questions with their rubric and word range
- :mod:`course_lib.marking.answers`    the answer text kept at grading time; word counts
- :mod:`course_lib.marking.anonymise`  a stable anonymous code per student and grading folder
- :mod:`course_lib.marking.queue`      what there is to mark, in order; progress
- :mod:`course_lib.marking.second`     the second-marking sample and the disagreements
- :mod:`course_lib.marking.session`    one marker's session: load, score, save at once
- :mod:`course_lib.marking.widget`     the ipywidgets composite the marking notebook shows
- :mod:`course_lib.marking.notebook`   the marking notebook ``course mark`` writes
- :mod:`course_lib.marking.feedback`   marks with rubric lines and comments, for feedback

Import the submodule you need: ``from course_lib.marking.widget import marking_widget``.
"""
