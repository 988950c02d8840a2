/* Starts Det Fælles Designsystem's components (menu, error summary focus, character
   limits, accordions …). Loaded with `defer` after dkfds.min.js, which exposes
   window.DKFDS. Every page works without this file. */
(function () {
  "use strict";

  document.documentElement.classList.remove("no-js");

  function start() {
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
