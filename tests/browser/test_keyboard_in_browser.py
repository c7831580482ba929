"""Every control type answers the keys lesson 00 names, in a real JupyterLab, and keeps the focus.

JupyterLab's notebook shortcuts (command mode) would otherwise take ArrowDown/ArrowUp from a
focused drop-down or radio button and move to the next cell, and letters such as D D (delete
cell) from any focused control. The course's extension (``classroom.labextension``, loaded by
``course lab`` and by this test's server) keeps those keys with the control. One small notebook
holds one control of each type; each case focuses its control, presses keys, and requires the
control's new value in the readout line, the focus still inside the control's widget and the
active cell unchanged; letters typed in a drop-down (D D deletes a cell) stay there too.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from playwright.sync_api import expect

from tests.browser.lab_driver import FIXTURE_SUBDIR, run_all_cells, wait_for_kernel_idle
from tests.browser.page_checks import focus_report

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000
VALUE_TIMEOUT_MS = 5_000

CONTROLS_CELL = '''\
import ipywidgets as w
out = w.HTML("nothing yet"); out.add_class("kb-out")
def show(change):
    out.value = f"{change['owner'].description}={change['new']}"
controls = {
    "slider": w.FloatSlider(description="slider", value=0.5, min=0, max=1, step=0.1),
    "dropdown": w.Dropdown(description="dropdown", options=["a", "b", "c"]),
    "radio": w.RadioButtons(description="radio", options=["r1", "r2", "r3"]),
    "toggles": w.ToggleButtons(description="toggles", options=["t1", "t2", "t3"]),
    "toggle": w.ToggleButton(description="toggle", value=False),
    "checkbox": w.Checkbox(description="checkbox", value=False),
}
for name, control in controls.items():
    control.add_class(f"kb-{name}")
    control.observe(show, "value")
presses = []
button = w.Button(description="button"); button.add_class("kb-button")
def press(_):
    presses.append(1)
    out.value = f"button={len(presses)}"
button.on_click(press)
w.VBox([*controls.values(), button, out])'''

#: (case, element inside the control's widget to focus, keys pressed in order, readout after each)
CASES = [
    ("slider", ".kb-slider .noUi-handle", ["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"],
     ["slider=0.6", "slider=0.5", "slider=0.6", "slider=0.5"]),
    ("dropdown", ".kb-dropdown select", ["ArrowDown", "ArrowDown", "ArrowUp"],
     ["dropdown=b", "dropdown=c", "dropdown=b"]),
    ("radio", ".kb-radio input >> nth=0", ["ArrowDown", "ArrowDown", "ArrowUp"],
     ["radio=r2", "radio=r3", "radio=r2"]),
    ("toggle buttons", ".kb-toggles button >> nth=0", ["ArrowRight", "ArrowRight", "ArrowLeft"],
     ["toggles=t2", "toggles=t3", "toggles=t2"]),
    ("toggle", "button.kb-toggle", ["Space", "Enter"], ["toggle=True", "toggle=False"]),
    ("checkbox", ".kb-checkbox input", ["Space", "Space"], ["checkbox=True", "checkbox=False"]),
    ("button", "button.kb-button", ["Enter", "Space"], ["button=1", "button=2"]),
]


def _open_controls(page, server) -> None:
    path = server.root_dir / FIXTURE_SUBDIR / "zz_keyboard.ipynb"
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Keyboard"),
        nbformat.v4.new_code_cell(CONTROLS_CELL),
        nbformat.v4.new_code_cell("'a cell below the controls'"),
    ])
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nbformat.write(nb, path)
    page.goto(server.lesson_url(f"{FIXTURE_SUBDIR}/{path.name}"), wait_until="domcontentloaded")
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=TIMEOUT_MS)
    wait_for_kernel_idle(page, TIMEOUT_MS)
    run_all_cells(page, TIMEOUT_MS)
    page.locator(".kb-out").wait_for(timeout=TIMEOUT_MS)


def _press_and_check(page, case, target, keys, readouts) -> list[str]:
    problems = []
    widget_class = re.search(r"\.kb-[a-z]+", target).group(0)
    control = page.locator(target)
    control.focus()
    before = focus_report(page)
    cells = page.locator(".jp-Notebook .jp-Cell").count()
    for key, readout in zip(keys, readouts, strict=True):
        page.keyboard.press(key)
        try:
            expect(page.locator(".kb-out")).to_have_text(readout, timeout=VALUE_TIMEOUT_MS)
        except AssertionError:
            problems.append(f"{case}: after {key} the readout says "
                            f"{page.locator('.kb-out').inner_text()!r}, expected {readout!r}")
            break
        inside = page.evaluate("(sel) => !!document.activeElement.closest(sel)", widget_class)
        now = focus_report(page)
        if not inside or now["active_cell"] != before["active_cell"]:
            problems.append(f"{case}: after {key} the focus left the control: {now}")
            break
    if page.locator(".jp-Notebook .jp-Cell").count() != cells:
        problems.append(f"{case}: the keys changed the number of cells")
    return problems


def _letters_stay_in_the_dropdown(page) -> list[str]:
    """D D (delete cell), X (cut), A (insert above) typed in a focused drop-down stay there."""
    cells = page.locator(".jp-Notebook .jp-Cell").count()
    select = page.locator(".kb-dropdown select")
    select.focus()
    for key in ["d", "d", "x", "a"]:
        page.keyboard.press(key)
    # past the select's typeahead buffer and the notebook's chord timeout (both about 1 s)
    page.wait_for_timeout(1_100)
    problems = []
    if page.locator(".jp-Notebook .jp-Cell").count() != cells:
        problems.append("letters typed in the dropdown added or removed cells")
    if not page.evaluate("() => !!document.activeElement.closest('.kb-dropdown')"):
        problems.append(f"letters typed in the dropdown moved the focus: {focus_report(page)}")
    page.keyboard.press("c")  # typeahead still works: "c" chooses option c
    try:
        expect(page.locator(".kb-out")).to_have_text("dropdown=c", timeout=VALUE_TIMEOUT_MS)
    except AssertionError:
        problems.append("typeahead 'c' in the dropdown did not choose option c")
    return problems


def test_every_control_type_answers_its_keys_and_keeps_focus(lab_page, lab_server):
    _open_controls(lab_page, lab_server)
    # the extension names each slider handle after its widget's description
    handle = lab_page.locator(".kb-slider .noUi-handle")
    expect(handle).to_have_attribute("aria-label", "slider", timeout=VALUE_TIMEOUT_MS)
    problems = []
    for case in CASES:
        problems += _press_and_check(lab_page, *case)
    problems += _letters_stay_in_the_dropdown(lab_page)
    assert not problems, "\n".join(problems)
