"""Marking reflections in JupyterLab: the ``course mark`` loop over the gradebook.

- :mod:`classroom.marking.rubric`     manual questions with their rubric and word range
- :mod:`classroom.marking.answers`    the answer text kept at grading time; word counts
- :mod:`classroom.marking.anonymise`  a stable anonymous code per student and grading folder
- :mod:`classroom.marking.queue`      what there is to mark, in order; progress
- :mod:`classroom.marking.second`     the second-marking sample and the disagreements
- :mod:`classroom.marking.session`    one marker's session: load, score, save at once
- :mod:`classroom.marking.widget`     the ipywidgets composite the marking notebook shows
- :mod:`classroom.marking.notebook`   the marking notebook ``course mark`` writes
- :mod:`classroom.marking.feedback`   marks with rubric lines and comments, for feedback

Import the submodule you need: ``from classroom.marking.widget import marking_widget``.
"""
