"""The sub-commands of ``course``: one module per command (or family of commands).

Each module has ``register(sub)``, which adds its parser to the ``course`` sub-parsers and
sets ``run=`` to the function that carries the command out (``args -> exit status``).
:mod:`classroom.cli` lists the modules in :data:`classroom.cli.COMMAND_MODULES` and owns the
error handling, so a command raises ``CourseError``/``ValueError``/``OSError`` and never prints
a traceback itself.

To add a command: write ``classroom/commands/<name>.py`` with ``register`` and add it to
``COMMAND_MODULES``.
"""
