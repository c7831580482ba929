"""Checks on a lesson page in the real browser: controls on top, axe-core, image widths, keys.

Every check looks only inside the notebook's outputs (``.jp-Notebook .jp-OutputArea-output``),
so it judges what the course renders, not JupyterLab's own chrome. Each returns a list of
human-readable problems (empty when all is well). Used by ``test_lessons_in_browser.py`` and
``test_keyboard_in_browser.py``; nothing runs at import time.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser.lab_driver import REPO_ROOT

#: axe-core, installed by ``tools/ensure_node_packages.sh`` (``make test`` runs it).
AXE_SCRIPT = REPO_ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
#: axe-core findings that fail a lesson whatever their impact (issue 12: names, headers, headings).
ALWAYS_REPORTED = ("aria-input-field-name", "empty-table-header", "heading-order")
FAILING_IMPACTS = ("serious", "critical")
MIN_IMAGE_WIDTH = 600

OUTPUTS = ".jp-Notebook .jp-OutputArea-output"
CONTROLS = ", ".join(
    f"{OUTPUTS} .jupyter-widgets {part}"
    for part in ("select", "input", "button", "textarea", ".noUi-handle", ".widget-readout")
)

# For each control: scroll only the notebook's own scroller so the control is in the middle,
# then ask the browser which element is drawn at the control's centre. A control inside an
# overflow box narrower than itself, or under another element, is found this way.
_HIT_TEST_JS = """
(selector) => {
  const problems = [];
  const controls = [...document.querySelectorAll(selector)]
    .filter(el => el.checkVisibility({visibilityProperty: true, opacityProperty: true}));
  const describe = el => {
    const widget = el.closest('.jupyter-widgets');
    const label = widget && widget.querySelector('.widget-label');
    const text = (label && label.textContent.trim()) || el.getAttribute('aria-label')
                 || el.textContent.trim().slice(0, 30) || el.value || '';
    return `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 2).join('.')} "${text}"`;
  };
  for (const el of controls) {
    const scroller = el.closest('.jp-WindowedPanel-outer') || el.closest('.jp-Notebook');
    const box = scroller.getBoundingClientRect();
    let rect = el.getBoundingClientRect();
    scroller.scrollTop += (rect.top + rect.height / 2) - (box.top + box.height / 2);
    rect = el.getBoundingClientRect();
    const x = rect.left + rect.width / 2, y = rect.top + rect.height / 2;
    if (rect.width < 1 || rect.height < 1) {
      problems.push(`${describe(el)} has no size (${rect.width}x${rect.height})`);
      continue;
    }
    if (x < 0 || x > window.innerWidth || y < 0 || y > window.innerHeight) {
      problems.push(`${describe(el)}: its centre (${x|0}, ${y|0}) is outside the window`);
      continue;
    }
    const hit = document.elementFromPoint(x, y);
    // The two handles of a range slider set to a narrow range overlap by design (noUiSlider
    // puts the one moved last on top); the keyboard reaches both.
    const sibling = hit && el.matches('.noUi-handle') && hit.closest('.noUi-handle')
      && hit.closest('.noUi-target') === el.closest('.noUi-target');
    if (!hit || !(hit === el || el.contains(hit) || sibling)) {
      const what = hit ? `${hit.tagName.toLowerCase()}.${[...hit.classList].join('.')}`
        + (hit.closest('.jupyter-widgets') ? ` of ${describe(hit)}` : '') : 'nothing';
      problems.push(`${describe(el)}: at its centre (${x|0}, ${y|0}) the browser draws ${what}`);
    } else if (el.matches('.widget-readout') && !el.textContent.trim()) {
      problems.push(`${describe(el)}: the slider's readout is empty`);
    }
  }
  return {checked: controls.length, problems};
}
"""

# Widget boxes and output areas that cut off their content sideways: a box that clips
# (overflow hidden, or scrolls) and whose content is wider than the box.
_OVERFLOW_JS = """
(selector) => {
  const problems = [];
  const boxes = [...document.querySelectorAll(selector + ', ' + selector + ' .jupyter-widgets')]
    .filter(el => el.checkVisibility());
  for (const el of boxes) {
    const style = getComputedStyle(el);
    if (style.overflowX === 'visible') continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      const label = el.querySelector('.widget-label, b, h2, h3, caption');
      problems.push(`${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 3).join('.')} `
        + `"${label ? label.textContent.trim().slice(0, 40) : ''}": content ${el.scrollWidth} px `
        + `wide in a box of ${el.clientWidth} px (overflow-x ${style.overflowX})`);
    }
  }
  return problems;
}
"""

_AXE_JS = """
async ([selector, impacts, always]) => {
  const result = await axe.run(selector, {resultTypes: ['violations']});
  return result.violations
    .filter(v => impacts.includes(v.impact) || always.includes(v.id))
    .map(v => `${v.id} (${v.impact}): ${v.help}; ` + v.nodes.slice(0, 4)
      .map(n => n.target.join(' ') + ' ' + n.html.slice(0, 160)).join(' | ')
      + (v.nodes.length > 4 ? ` | ... ${v.nodes.length} elements in all` : ''));
}
"""

_IMAGES_JS = """
async ([selector, minimum]) => {
  const images = [...document.querySelectorAll(selector + ' img')];
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.filter(img => img.naturalWidth < minimum)
    .map(img => `${img.naturalWidth}x${img.naturalHeight} px: ${(img.alt || '').slice(0, 70)}`);
}
"""


#: Why a run without axe-core cannot check accessibility (the reason a test skips with).
AXE_MISSING = (f"{AXE_SCRIPT} not found: run `bash tools/ensure_node_packages.sh` "
               "(npm installs axe-core into .cache/node)")


def hidden_controls(page) -> tuple[int, list[str]]:
    """How many visible controls and readouts were hit-tested, and those not drawn on top."""
    found = page.evaluate(_HIT_TEST_JS, CONTROLS)
    return found["checked"], found["problems"]


def clipped_boxes(page) -> list[str]:
    """Widget boxes and outputs whose content is cut off or scrolls sideways."""
    return page.evaluate(_OVERFLOW_JS, OUTPUTS)


def layout_problems_at(page, viewport: dict[str, int]) -> list[str]:
    """Hidden controls and clipped boxes after resizing the page to ``viewport``."""
    page.set_viewport_size(viewport)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_timeout(200)  # JupyterLab re-lays out its panels after a resize
    checked, hidden = hidden_controls(page)
    found = [*hidden, *clipped_boxes(page)]
    if checked == 0:
        found.append("no visible control was found at all")
    return found


def axe_problems(page, script: Path) -> list[str]:
    """axe-core violations inside the outputs: serious or critical, or one of ALWAYS_REPORTED."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(script))
    return page.evaluate(_AXE_JS, [OUTPUTS, list(FAILING_IMPACTS), list(ALWAYS_REPORTED)])


def narrow_images(page, minimum: int = MIN_IMAGE_WIDTH) -> list[str]:
    """Images in the outputs narrower than ``minimum`` pixels (their own, natural width)."""
    return page.evaluate(_IMAGES_JS, [OUTPUTS, minimum])


def focus_report(page) -> dict[str, str]:
    """What has the keyboard focus, and which cell is active (its index in the notebook)."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
          return {tag: el.tagName.toLowerCase(), text: (el.textContent || '').trim().slice(0, 40),
                  classes: el.className || '',
                  active_cell: String(cells.findIndex(c => c.classList.contains('jp-mod-active')))};
        }"""
    )
