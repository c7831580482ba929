/*
 * course-lib-widget-keys: a JupyterLab 4 front-end plugin, shipped prebuilt (no build step).
 *
 * 1. Keys stay with a focused widget control. JupyterLab's notebook shortcuts in command mode
 *    (ArrowDown = next cell, D D = delete cell, ...) match any focused element inside a notebook,
 *    so a focused drop-down, radio button or toggle lost its arrow keys and the focus left it.
 *    Lumino's CommandRegistry ignores a key press whose path from the target up to the matching
 *    element crosses an element with the attribute `data-lm-suppress-shortcuts`. This plugin sets
 *    that attribute on the focused element inside `.jupyter-widgets` for the duration of one key
 *    press, unless Ctrl, Alt or Meta is held (Ctrl+S still saves) or the key is Shift+Enter (still
 *    runs the cell), Escape or Tab. In a row of toggle buttons (ipywidgets ToggleButtons) the
 *    arrow keys choose the previous or next button, as they do in a group of radio buttons.
 * 2. Slider handles get an accessible name. ipywidgets 8 renders noUiSlider handles
 *    (role="slider") that no <label> can name; the plugin copies the widget's description (its
 *    `.widget-label` text, or else its tooltip) into `aria-label`, with "from"/"to" for the two
 *    handles of a range slider.
 *
 * The file that JupyterLab loads is static/remoteEntry.<hash>.js, a copy of this file made by
 * `python -m classroom.labextension` (the hash keeps the browser's immutable cache honest).
 */
(function () {
  'use strict';

  var NAME = 'course-lib-widget-keys';
  var SUPPRESS = 'data-lm-suppress-shortcuts';
  var WIDGET = '.jupyter-widgets';
  var HANDLE = '.noUi-handle';
  var NAMED = 'data-course-named';

  function keepsKeyForWidget(event) {
    if (event.ctrlKey || event.altKey || event.metaKey) {
      return false;
    }
    if (event.key === 'Escape' || event.key === 'Tab') {
      return false;
    }
    return !(event.key === 'Enter' && event.shiftKey);
  }

  var STEPS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

  function moveInToggleGroup(event) {
    var step = STEPS[event.key];
    var group = event.target.closest('.widget-toggle-buttons');
    if (!step || event.shiftKey || group === null || event.target.tagName !== 'BUTTON') {
      return;
    }
    var buttons = Array.prototype.slice.call(
      group.querySelectorAll('button.widget-toggle-button:not([disabled])'));
    var index = buttons.indexOf(event.target);
    if (index < 0 || buttons.length < 2) {
      return;
    }
    var next = buttons[(index + step + buttons.length) % buttons.length];
    event.preventDefault();
    next.focus();
    next.click();
  }

  function onKeydown(event) {
    var target = event.target;
    if (!(target instanceof Element) || target.closest(WIDGET) === null) {
      return;
    }
    if (!keepsKeyForWidget(event)) {
      return;
    }
    if (!target.hasAttribute(SUPPRESS)) {
      target.setAttribute(SUPPRESS, 'true');
      // After the whole dispatch (Lumino's keydown listener included), even if a handler
      // stopped propagation on the way.
      window.setTimeout(function () {
        target.removeAttribute(SUPPRESS);
      }, 0);
    }
    moveInToggleGroup(event);
  }

  function sliderName(handle) {
    var widget = handle.closest('.widget-slider, .jupyter-widgets');
    if (widget === null) {
      return '';
    }
    var label = widget.querySelector('.widget-label');
    var text = label ? label.textContent.replace(/\s+/g, ' ').trim() : '';
    if (!text) {
      text = (widget.getAttribute('title') || '').trim();
    }
    var handles = widget.querySelectorAll(HANDLE);
    if (text && handles.length === 2) {
      text += handle === handles[0] ? ' (from)' : ' (to)';
    }
    return text;
  }

  function nameHandles(root) {
    var handles = root.querySelectorAll ? root.querySelectorAll(HANDLE) : [];
    for (var i = 0; i < handles.length; i++) {
      var handle = handles[i];
      var owned = handle.hasAttribute(NAMED);
      if (handle.hasAttribute('aria-label') && !owned) {
        continue;
      }
      var name = sliderName(handle);
      if (name && handle.getAttribute('aria-label') !== name) {
        handle.setAttribute('aria-label', name);
        handle.setAttribute(NAMED, 'true');
      }
    }
  }

  function watchSliders() {
    var pending = false;
    var observer = new MutationObserver(function () {
      if (pending) {
        return;
      }
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        nameHandles(document.body);
      });
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    nameHandles(document.body);
  }

  var plugin = {
    id: NAME + ':plugin',
    description: 'Keeps keys with a focused widget control; arrows in toggle buttons; slider names.',
    autoStart: true,
    activate: function () {
      window.addEventListener('keydown', onKeydown, true);
      watchSliders();
    }
  };

  var container = {
    init: function () {
      return Promise.resolve();
    },
    get: function (module) {
      if (module !== './extension') {
        return Promise.reject(new Error(NAME + ' has no module ' + module));
      }
      return Promise.resolve(function () {
        return { __esModule: true, default: [plugin] };
      });
    }
  };

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[NAME] = container;
})();
