/* Starts Det Fælles Designsystem's components (menu, error summary focus, character
   limits, accordions …). Loaded with `defer` after dkfds.min.js, which exposes
   window.DKFDS. Every page works without this file. */
(function () {
  "use strict";

  document.documentElement.classList.remove("no-js");

  // A table that is wider than a phone scrolls inside its DKFDS scroll box; the box must be
  // reachable by keyboard to scroll it (WCAG 2.1.1). DKFDS's table component gives it
  // tabindex="0"; this covers the templates that do not say so themselves.
  function focusableScrollBoxes() {
    Array.prototype.forEach.call(
      document.querySelectorAll(".table--responsive-scroll:not([tabindex])"),
      function (box) { box.setAttribute("tabindex", "0"); });
  }

  function start() {
    focusableScrollBoxes();
    if (window.DKFDS && typeof window.DKFDS.init === "function") {
      window.DKFDS.init();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
