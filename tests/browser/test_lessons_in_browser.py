"""Every lesson, opened in a real JupyterLab in Chromium: it runs cleanly and its widget responds.

For each lesson: open it, wait for its kernel (status bar idle, not "No Kernel"), clear outputs and
Run > Run All Cells from the menu, wait until every code cell has a count, check that no cell
rendered an error and that the page raised no uncaught JavaScript error, poke the first
``.course-poke`` control from the keyboard and require the first ``.course-poke-output`` to change.
A screenshot of each lesson goes to ``test-artifacts/browser/<lesson>.png``.

Then, in the same 1366x768 page (issue 12, item 7): every visible control and slider readout in
the outputs is drawn on top at its centre (and again at 1280x720 and 1920x1080, with no widget
box or output clipping its content sideways) (``document.elementFromPoint``, after scrolling only
the notebook), axe-core finds no serious or critical violation in the outputs (nor a nameless
slider, an empty table header or a skipped heading level), and every image is at least 600 px
wide. Lessons are served as ``course lab`` serves them (``notebooks/`` under the course root), and
lesson 00's links open the exercises from that server.

The harness fixture (``tests/fixtures/lessons/``) goes through the same steps in its own test, so
the machinery is proven even before any lesson exists.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest

from classroom.commands.lab import lab_command
from classroom.course import Course
from tests.browser.lab_driver import (
    FIXTURE_LESSONS,
    FIXTURE_SUBDIR,
    NOTEBOOKS,
    REPO_ROOT,
    TIMINGS,
    VIEWPORT,
    error_outputs,
    poke,
    run_all_cells,
    wait_for_kernel_idle,
)
from tests.browser.page_checks import (
    AXE_MISSING,
    AXE_SCRIPT,
    axe_problems,
    clipped_boxes,
    hidden_controls,
    layout_problems_at,
    narrow_images,
)

pytestmark = pytest.mark.browser

OPEN_TIMEOUT_MS = 60_000
RUN_TIMEOUT_MS = 180_000
POKE_TIMEOUT_MS = 15_000
DEAD_WIDGET_TIMEOUT_MS = 3_000


def exercise_lesson(
    page, server, relative_path: str, screenshot: Path, poke_timeout_ms: int = POKE_TIMEOUT_MS,
    inspect=None,
) -> dict[str, float]:
    """Open, run, check and poke one notebook; returns the seconds each phase took.

    ``inspect(page)``, if given, runs after Run All and before the poke (the page as a learner
    first sees it: focusing a control can scroll a clipping box).
    """
    timings = {}
    start = time.perf_counter()
    page.goto(server.lesson_url(relative_path), wait_until="domcontentloaded")
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=OPEN_TIMEOUT_MS)
    wait_for_kernel_idle(page, OPEN_TIMEOUT_MS)
    timings["open + kernel"] = time.perf_counter() - start

    start = time.perf_counter()
    prompts = run_all_cells(page, RUN_TIMEOUT_MS)
    timings["run all"] = time.perf_counter() - start
    errors = error_outputs(page)
    assert not errors, f"{relative_path}: cells rendered errors:\n" + "\n---\n".join(
        e[:800] for e in errors
    )
    assert prompts == [f"[{i}]:" for i in range(1, len(prompts) + 1)], (
        f"{relative_path}: after Run All Cells the prompts should read [1]..[n], got {prompts}"
    )
    assert not page.page_errors, f"{relative_path}: uncaught page errors: {page.page_errors}"
    if inspect is not None:
        start = time.perf_counter()
        inspect(page)
        timings["page checks"] = time.perf_counter() - start

    control = page.locator(".jp-Notebook .course-poke").first
    output = page.locator(".jp-Notebook .course-poke-output").first
    control.wait_for(state="visible", timeout=POKE_TIMEOUT_MS)
    output.wait_for(state="attached", timeout=POKE_TIMEOUT_MS)
    control.scroll_into_view_if_needed()
    before = output.inner_html()
    start = time.perf_counter()
    action = poke(page, control)
    try:
        page.wait_for_function(
            "([el, before]) => el.innerHTML !== before",
            arg=[output.element_handle(), before],
            timeout=poke_timeout_ms,
            polling=50,
        )
    except Exception as exc:  # playwright TimeoutError
        raise AssertionError(
            f"{relative_path}: the first .course-poke-output did not change within "
            f"{poke_timeout_ms} ms after {action} on the first .course-poke; it still reads "
            f"{before[:300]!r}"
        ) from exc
    timings["poke"] = time.perf_counter() - start
    wait_for_kernel_idle(page, POKE_TIMEOUT_MS)
    assert not page.page_errors, (
        f"{relative_path}: uncaught page errors after the poke: {page.page_errors}"
    )
    page.screenshot(path=str(screenshot))
    return timings


def _record(name: str, timings: dict[str, float]) -> None:
    for phase, seconds in timings.items():
        TIMINGS[f"{name}: {phase} (s)"] = seconds


def pytest_generate_tests(metafunc):
    """Parametrise ``lesson_name`` over ``notebooks/*.ipynb`` at collection time."""
    if "lesson_name" in metafunc.fixturenames:
        names = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
        metafunc.parametrize("lesson_name", names, ids=[n.removesuffix(".ipynb") for n in names])


#: The smallest and the largest screens the widgets must lay out on (issue 12, item 2).
OTHER_VIEWPORTS = ({"width": 1280, "height": 720}, {"width": 1920, "height": 1080})


def _page_problems(page) -> dict[str, list[str]]:
    """Issue 12's checks of a lesson that has run: hidden controls, narrow images, axe-core.

    At 1366x768 everything; at 1280x720 and 1920x1080 the layout (controls on top, nothing
    clipped sideways); then the page goes back to 1366x768.
    """
    checked, hidden = hidden_controls(page)
    problems = {"controls not drawn on top": hidden, "images under 600 px": narrow_images(page),
                "boxes clipped at 1366x768": clipped_boxes(page)}
    if checked == 0:
        problems["controls not drawn on top"].append("no visible control was found at all")
    if AXE_SCRIPT.is_file():
        problems["axe-core"] = axe_problems(page, AXE_SCRIPT)
    try:
        for viewport in OTHER_VIEWPORTS:
            size = f"{viewport['width']}x{viewport['height']}"
            problems[f"layout at {size}"] = layout_problems_at(page, viewport)
    finally:
        page.set_viewport_size(VIEWPORT)
    return problems


def test_lesson_runs_and_widget_responds(lesson_name, lab_page, lab_server, artifacts_dir,
                                          require_or_skip):
    stem = lesson_name.removesuffix(".ipynb")
    found = {}
    timings = exercise_lesson(lab_page, lab_server, f"notebooks/{lesson_name}",
                              artifacts_dir / f"{stem}.png",
                              inspect=lambda page: found.update(_page_problems(page)))
    _record(stem, timings)
    assert (artifacts_dir / f"{stem}.png").stat().st_size > 0
    problems = {name: items for name, items in found.items() if items}
    assert not problems, f"{lesson_name}:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(items) for name, items in problems.items())
    # axe-core missing: skip here (fail under CI=true), after the other checks
    require_or_skip(AXE_SCRIPT.is_file(), AXE_MISSING)


def test_exercises_open_from_lesson_00_on_the_course_server(lab_page, lab_server):
    """Served like ``course lab`` (course root), lesson 00's map link opens an exercise."""
    root = Course.find().root
    assert root == REPO_ROOT
    command = lab_command(root, euid=1000)
    assert f"--ServerApp.root_dir={REPO_ROOT}" in command  # course lab serves the course root
    assert "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb" in command
    assert {"notebooks", "exercises"} <= {p.name for p in lab_server.root_dir.iterdir()}
    page = lab_page
    page.goto(lab_server.lesson_url("notebooks/00_start_here.ipynb"),
              wait_until="domcontentloaded")
    link = page.locator(".jp-Notebook .jp-RenderedMarkdown a[href*='exercises/']").first
    link.wait_for(timeout=OPEN_TIMEOUT_MS)
    target = link.get_attribute("href").split("?")[0].rsplit("/", 1)[-1]
    link.scroll_into_view_if_needed()
    link.click()
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current", has_text=target)
    tab.wait_for(timeout=OPEN_TIMEOUT_MS)
    wait_for_kernel_idle(page, OPEN_TIMEOUT_MS)
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    panel.first.wait_for(timeout=OPEN_TIMEOUT_MS)
    assert page.locator("text=Could not find path").count() == 0
    assert not page.page_errors, page.page_errors


def test_harness_fixture_runs_and_widget_responds(lab_page, lab_server, artifacts_dir):
    fixtures = sorted(FIXTURE_LESSONS.glob("*.ipynb"))
    assert fixtures, f"no fixture lesson in {FIXTURE_LESSONS}"
    for path in fixtures:
        screenshot = artifacts_dir / f"{FIXTURE_SUBDIR}-{path.stem}.png"
        timings = exercise_lesson(lab_page, lab_server, f"{FIXTURE_SUBDIR}/{path.name}", screenshot)
        _record(f"{FIXTURE_SUBDIR}/{path.stem}", timings)
        assert screenshot.stat().st_size > 0


def test_settings_overrides_are_served(lab_server):
    """The news pop-up and update check are off in the settings the server hands to JupyterLab."""
    settings = lab_server.api("/lab/api/settings/@jupyterlab/apputils-extension:notification")
    # overrides.json replaces the schema defaults; the private user settings are empty
    properties = settings["schema"]["properties"]
    defaults = {key: value.get("default") for key, value in properties.items()}
    assert defaults["fetchNews"] == "false"
    assert defaults["checkForUpdates"] is False
    assert not {"fetchNews", "checkForUpdates"} & set(settings["settings"])
    # widget state is saved with the notebook (the course's default, as course lab sets it)
    widgets = lab_server.api("/lab/api/settings/@jupyter-widgets/jupyterlab-manager:plugin")
    assert widgets["schema"]["properties"]["saveState"]["default"] is True


def _write_notebook(path: Path, *sources: str) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in sources])
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"
    }
    nbformat.write(nb, path)


def test_harness_reports_a_failing_cell(lab_page, lab_server, tmp_path):
    """A cell that raises is reported (and the wait ends at once: Run All stops at the error)."""
    _write_notebook(
        lab_server.root_dir / FIXTURE_SUBDIR / "zz_raises.ipynb",
        "1 + 1",
        "raise ValueError('deliberate failure')",
        "2 + 2",
    )
    with pytest.raises(AssertionError, match="rendered errors(?s:.*)deliberate failure"):
        exercise_lesson(lab_page, lab_server, f"{FIXTURE_SUBDIR}/zz_raises.ipynb",
                        tmp_path / "raises.png")


def test_harness_reports_a_dead_widget(lab_page, lab_server, tmp_path):
    """A .course-poke control whose .course-poke-output never changes is reported."""
    _write_notebook(
        lab_server.root_dir / FIXTURE_SUBDIR / "zz_dead_widget.ipynb",
        "import ipywidgets as w\n"
        "s = w.IntSlider(value=1); s.add_class('course-poke')\n"
        "o = w.HTML('constant'); o.add_class('course-poke-output')\n"
        "w.VBox([s, o])",
    )
    with pytest.raises(AssertionError, match="did not change"):
        exercise_lesson(lab_page, lab_server, f"{FIXTURE_SUBDIR}/zz_dead_widget.ipynb",
                        tmp_path / "dead.png", poke_timeout_ms=DEAD_WIDGET_TIMEOUT_MS)


def test_page_checks_find_a_clipped_slider_an_empty_header_and_a_small_image(
        lab_page, lab_server, tmp_path, require_or_skip):
    """The checks can fail: a slider clipped by a narrow box, an empty <th>, a 100 px image."""
    _write_notebook(
        lab_server.root_dir / FIXTURE_SUBDIR / "zz_bad_page.ipynb",
        "import ipywidgets as w\n"
        "from matplotlib.figure import Figure\n"
        "from course_lib.widgets import img_html\n"
        "fig = Figure(figsize=(1, 1)); _ = fig.add_subplot()\n"
        "s = w.IntSlider(description='Clipped', value=7, min=0, max=10,\n"
        "                layout=w.Layout(width='420px', min_width='420px', flex='0 0 auto'))\n"
        "s.add_class('course-poke')\n"
        "o = w.HTML('<table><caption>t</caption><tr><th></th><th>b</th></tr>'\n"
        "           '<tr><td>1</td><td>2</td></tr></table>' + img_html(fig, 'a small image'))\n"
        "o.add_class('course-poke-output')\n"
        "s.observe(lambda c: setattr(o, 'value', o.value + '<p>moved</p>'), 'value')\n"
        "w.VBox([w.Box([s], layout=w.Layout(width='150px', overflow='hidden')), o])",
    )
    problems = {}
    exercise_lesson(lab_page, lab_server, f"{FIXTURE_SUBDIR}/zz_bad_page.ipynb",
                    tmp_path / "bad.png",
                    inspect=lambda page: problems.update(_page_problems(page)))
    assert any('"Clipped"' in p for p in problems["controls not drawn on top"]), problems
    assert any("a small image" in p for p in problems["images under 600 px"]), problems
    require_or_skip(AXE_SCRIPT.is_file(), AXE_MISSING)
    assert any(p.startswith("empty-table-header") for p in problems["axe-core"]), problems
