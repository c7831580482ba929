"""Interactive composites for the lessons (ipywidgets 8), one public factory per widget.

Each composite is an :class:`ipywidgets.VBox` whose controls are named attributes, so a
test (or a notebook cell) can set ``w.threat.value = 0.9`` and read the result at once: the
observers run in the kernel, with no browser needed. The composites follow four rules:

- **quiet**: nothing is printed at creation or on update (strict nbval has no widget front
  end, so a printed line would become an unexpected output);
- **deterministic repr**: ``repr(w)`` is a short string of the current state, e.g.
  ``ThreatExplorer(observer='ISR', method='additive')``, which is the ``text/plain`` that
  nbval compares;
- **one figure, mutated**: the figure (a :class:`course_lib.plots.LiveFigure`) is drawn
  once; an update changes the existing artists (bar widths, point positions, texts) and
  re-renders the PNG into an :class:`ipywidgets.HTML` ``<img>`` that carries alt text and
  ``role="img"``;
- **accessible, testable controls**: every control is a standard (keyboard-operable)
  ipywidget with a visible ``description`` and a ``tooltip``; the main control carries the
  CSS class ``course-poke`` and its visible result ``course-poke-output`` (the real-browser
  test pokes the first and expects the second to change).

Arguments are checked, never silently changed: a value the library or the control cannot
hold (``n_draws=0``, ``seed=-1``, ``partner_available="no"``, a string where a list of
codes is expected) raises ``ValueError`` naming the argument and its allowed range.

The package: :mod:`~course_lib.widgets._base` (the shared base and checks), then one
composite per module: :mod:`~course_lib.widgets.threats`, :mod:`~course_lib.widgets.tier_map`,
:mod:`~course_lib.widgets.timeline`, :mod:`~course_lib.widgets.strategy`,
:mod:`~course_lib.widgets.sensitivity`, :mod:`~course_lib.widgets.quizzes`.

Examples
--------
>>> q = quiz([{"prompt": "Who wrote The Origins of Alliances?",
...            "options": ["Walt", "Morrow"], "answer": 0,
...            "explanation": "Stephen Walt, 1987."}])
>>> q
Quiz(questions=1)
>>> q.choices[0].value = 0
>>> q.check(0)
True
"""

from course_lib.widgets._base import POKE_CLASS, POKE_OUTPUT_CLASS, img_html
from course_lib.widgets.quizzes import Quiz, quiz
from course_lib.widgets.sensitivity import SensitivityExplorer, sensitivity_explorer
from course_lib.widgets.strategy import StrategyChooser, strategy_chooser
from course_lib.widgets.threats import ThreatExplorer, threat_explorer
from course_lib.widgets.tier_map import TierDecisionMap, tier_decision_map
from course_lib.widgets.timeline import TimelineExplorer, timeline_explorer

__all__ = [
    "POKE_CLASS",
    "POKE_OUTPUT_CLASS",
    "ThreatExplorer",
    "TierDecisionMap",
    "TimelineExplorer",
    "StrategyChooser",
    "SensitivityExplorer",
    "Quiz",
    "threat_explorer",
    "tier_decision_map",
    "timeline_explorer",
    "strategy_chooser",
    "sensitivity_explorer",
    "quiz",
    "img_html",
]
