"""Time what a learner feels: a key press on a widget control -> the new output painted in Chromium.

Every control of every composite of :mod:`course_lib.widgets` is operated from the keyboard in a
real JupyterLab (Debian's Chromium driven by Playwright, the set-up of the browser tests): a
slider handle takes one ArrowRight or ArrowLeft (with ``continuous_update=False`` a key step is
a release), a drop-down ArrowDown or ArrowUp, a toggle button, check box or radio button Space or
an arrow, a text box ArrowUp and Enter, a button Enter. The clock starts at the ``timeStamp`` of
the last key press (``performance.now()`` time) and stops when the composite's output has
changed (a MutationObserver on its figure ``<img>``, or on its text output where a composite has
no figure), the new image is decoded (``img.decode()``) and two animation frames have passed, so
the frame that shows it has been painted. That span holds the comm message to the kernel, the
model call, the figure update and PNG render, the reply, and the browser's decoding and painting.

For each control the script makes ``--repeats`` changes (alternating directions), after one
warm-up change, and prints the median and the largest time in milliseconds; then the median over
all changes. A reset button is timed after another control has moved (so it has something to
restore); a quiz's "Check answer" after its radio choice has changed. Target: a median of at most
100 ms for every control.

Run from the repository root (it uses the browser tests' JupyterLab driver)::

    .venv/bin/python -m benchmarks.widget_latency_browser [--repeats 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from playwright.sync_api import sync_playwright

from tests.browser.lab_driver import (
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    LabServer,
    run_all_cells,
    wait_for_kernel_idle,
)

#: One cell per composite: (name, the code that builds it).
COMPOSITES = (
    ("threat_explorer", 'widgets.threat_explorer("ISR")'),
    ("tier_decision_map", "widgets.tier_decision_map()"),
    ("timeline_explorer", "widgets.timeline_explorer()"),
    ("strategy_chooser", "widgets.strategy_chooser()"),
    ("sensitivity_explorer", 'widgets.sensitivity_explorer("ISR")'),
    ("quiz", 'widgets.quiz([{"prompt": "Which aggregation is compensatory?", '
             '"options": ["Additive", "Geometric"], "answer": 0, "explanation": "A mean."}])'),
)
TIMEOUT_MS = 15_000

_CELL = """\
from course_lib import widgets
w = {build}
for _i, _c in enumerate(w.controls):
    _c.add_class(f"bench-c{{_i}}")
w.add_class("bench-w{index}")
_out = getattr(w, "figure_html", None) if getattr(w, "figure", None) is not None else None
(_out or getattr(w, "feedback", [w.poke_output])[0]).add_class("bench-out")
w"""

#: Arms the clock: resolves with the milliseconds from the last key press to the painted change.
_ARM_JS = """
([root, timeout]) => {
  const out = document.querySelector(root + ' .bench-out');
  const shown = () => { const img = out.querySelector('img');
                        return img ? img.getAttribute('src') : out.innerText; };
  let before = shown();
  window.__benchKey = null;
  if (!window.__benchListening) {
    document.addEventListener('keydown', e => { window.__benchKey = e.timeStamp; }, true);
    window.__benchListening = true;
  }
  window.__benchResult = new Promise(resolve => {
    const done = async () => {
      observer.disconnect();
      const img = out.querySelector('img');
      if (img) { try { await img.decode(); } catch (e) { /* a broken image still counts */ } }
      requestAnimationFrame(() => requestAnimationFrame(
        () => resolve(performance.now() - window.__benchKey)));
    };
    // a late update of the previous change, before this key press, moves the baseline
    const observer = new MutationObserver(() => {
      if (window.__benchKey === null) { before = shown(); return; }
      if (shown() !== before) done();
    });
    observer.observe(out, {subtree: true, childList: true, attributes: true,
                           characterData: true});
    setTimeout(() => { observer.disconnect(); resolve(null); }, timeout);
  });
}
"""


@dataclass
class Control:
    """One control of one composite and the times measured on it."""

    widget: str
    root: str
    index: int
    kind: str
    label: str
    times: list[float] = field(default_factory=list)


def _notebook(path: Path) -> None:
    cells = [nbformat.v4.new_code_cell(_CELL.format(build=build, index=k))
             for k, (_, build) in enumerate(COMPOSITES)]
    kernel = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": kernel}), path)


def _kind(page, selector: str) -> str:
    return page.eval_on_selector(selector, """el => {
      if (el.querySelector('.noUi-handle')) return 'slider';
      if (el.matches('select') || el.querySelector('select')) return 'dropdown';
      if (el.querySelector('input[type=radio]')) return 'radio';
      if (el.querySelector('input[type=checkbox]')) return 'checkbox';
      if (el.matches('.widget-toggle-buttons') || el.querySelectorAll('button').length > 1)
        return 'toggle';
      if (el.matches('button')) return 'button';
      if (el.querySelector('input')) return 'text';
      return 'unknown';
    }""")


def _label(page, selector: str) -> str:
    """The control's visible name (a check box carries it in its own label, not .widget-label)."""
    return page.eval_on_selector(selector, """el => {
      const named = el.querySelector('.widget-label');
      const text = (named && named.innerText.replace(/\\u200b/g, '').trim()) || el.innerText;
      return text.trim().split('\\n')[0].slice(0, 40);
    }""")


def _act(page, control: Control, step: int) -> None:
    """Operate ``control`` once from the keyboard; ``step`` alternates the direction."""
    selector = f"{control.root} .bench-c{control.index}"
    forward = step % 2 == 0
    if control.kind == "slider":
        page.locator(f"{selector} .noUi-handle").first.press(
            "ArrowRight" if forward else "ArrowLeft")
    elif control.kind == "dropdown":
        page.locator(f"{selector} select, select{selector}").first.press(
            "ArrowDown" if forward else "ArrowUp")
    elif control.kind == "radio":
        checked = page.locator(f"{selector} input[type=radio]:checked")
        target = checked if checked.count() else page.locator(f"{selector} input[type=radio]")
        target.first.press("ArrowDown" if forward else "ArrowUp")
    elif control.kind == "checkbox":
        page.locator(f"{selector} input[type=checkbox]").first.press("Space")
    elif control.kind == "toggle":
        page.locator(f"{selector} button:not(.mod-active)").first.press("Space")
    elif control.kind == "text":
        box = page.locator(f"{selector} input").first
        box.press("ArrowUp" if forward else "ArrowDown")
        box.press("Enter")
    else:  # a button
        page.locator(selector).press("Enter")


def _timed(page, control: Control, step: int) -> float | None:
    page.evaluate(_ARM_JS, [control.root, TIMEOUT_MS])
    _act(page, control, step)
    return page.evaluate("window.__benchResult")


def _prepare(page, control: Control, controls: list[Control], step: int) -> None:
    """Give a reset button something to restore, a quiz check a new choice (not timed)."""
    siblings = [c for c in controls if c.root == control.root and c is not control]
    if control.kind == "button" and "Reset" in control.label:
        mover = next(c for c in siblings if c.kind == "slider")
        if _timed(page, mover, 0) is None:
            raise RuntimeError(f"{mover.widget}: {mover.label} changed nothing")
    elif control.kind == "button":  # the quiz's "Check answer": choose another option first
        chooser = next(c for c in siblings if c.kind == "radio")
        _act(page, chooser, step)
        wait_for_kernel_idle(page, TIMEOUT_MS)


def measure(page, controls: list[Control], repeats: int) -> None:
    """Time ``repeats`` changes of every control (after one warm-up change each).

    A control whose warm-up change shows nothing new (it only sets up another control, as
    "Intent of" chooses which state the intent slider edits) is left with no times, and so is
    a quiz's radio choice: its answer shows when "Check answer" is pressed, which is timed.
    """
    for control in controls:
        if control.kind == "radio":
            continue
        for step in range(repeats + 1):
            _prepare(page, control, controls, step)
            elapsed = _timed(page, control, step)
            wait_for_kernel_idle(page, TIMEOUT_MS)
            if elapsed is None and step == 0:
                break
            if elapsed is None:
                raise RuntimeError(f"{control.widget}: {control.label} ({control.kind}) changed "
                                   f"no output within {TIMEOUT_MS} ms")
            if step:  # the first change warms caches (fonts, a first figure of a new kind)
                control.times.append(elapsed)


def _controls(page) -> list[Control]:
    found = []
    for k, (name, _) in enumerate(COMPOSITES):
        root = f".bench-w{k}"
        page.locator(f"{root} .bench-out").first.wait_for(state="attached", timeout=TIMEOUT_MS)
        count = page.locator(f"{root} [class*='bench-c']").count()
        for i in range(count):
            selector = f"{root} .bench-c{i}"
            found.append(Control(name, root, i, _kind(page, selector), _label(page, selector)))
    return found


def report(controls: list[Control]) -> bool:
    """Print the table; return whether every control's median is at most 100 ms."""
    print(f"{'widget: control (kind)':60s} {'median ms':>10s} {'max ms':>8s} {'n':>3s}")
    ok = True
    for c in controls:
        if not c.times:
            print(f"{c.widget + ': ' + c.label + ' (' + c.kind + ')':60s} "
                  "  (changes no output by itself)")
            continue
        median = statistics.median(c.times)
        ok &= median <= 100.0
        print(f"{c.widget + ': ' + c.label + ' (' + c.kind + ')':60s} {median:10.1f} "
              f"{max(c.times):8.1f} {len(c.times):3d}")
    every = [t for c in controls for t in c.times]
    print(f"{'all changes':60s} {statistics.median(every):10.1f} {max(every):8.1f} "
          f"{len(every):3d}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("every control's median <= 100 ms" if ok else "some control's median is over 100 ms")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed changes per control")
    args = parser.parse_args(argv)
    if not CHROMIUM.is_file():
        print(f"widget_latency_browser: {CHROMIUM} not found (Debian package chromium)",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="widget-latency-") as tmp:
        root = Path(tmp) / "root"
        root.mkdir()
        _notebook(root / "bench.ipynb")
        server = LabServer(root_dir=root, base=Path(tmp) / "home")
        server.base.mkdir()
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                     args=CHROMIUM_ARGS, headless=True)
                page = browser.new_context(viewport=VIEWPORT).new_page()
                page.goto(server.lesson_url("bench.ipynb"), wait_until="domcontentloaded")
                wait_for_kernel_idle(page, 60_000)
                started = time.perf_counter()
                run_all_cells(page, 180_000)
                print(f"notebook ran in {time.perf_counter() - started:.1f} s; "
                      f"{args.repeats} timed changes per control")
                controls = _controls(page)
                measure(page, controls, args.repeats)
                browser.close()
        finally:
            server.stop()
    return 0 if report(controls) else 1


if __name__ == "__main__":
    sys.exit(main())
