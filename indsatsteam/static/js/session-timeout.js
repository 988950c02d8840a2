/* Warns before the idle session timeout (see indsatsteam/session_timeout.py).
   Configuration comes from data-session-* attributes on <body>, which are only there for a
   logged-in user. The warning is a DKFDS modal (templates/_session_timeout.html). When time
   runs out, the unsent fields of the page's forms (never passwords) are kept in
   sessionStorage and the page is reloaded; the server then ends the session and sends the
   user to the login page, which leads back here, where the fields are filled in again. */
(function () {
  "use strict";

  var body = document.body;
  var STORE_PREFIX = "indsatsteam:formular:";
  var SKIPPED_TYPES = ["password", "hidden", "file", "submit", "button", "reset", "image"];

  function storeKey() {
    return STORE_PREFIX + window.location.pathname + window.location.search;
  }

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field.name !== "csrf_token" && !field.disabled &&
        SKIPPED_TYPES.indexOf((field.type || "").toLowerCase()) === -1;
    });
  }

  function postForms() {
    return Array.prototype.filter.call(document.forms, function (form) {
      return (form.method || "").toLowerCase() === "post" && !form.classList.contains("logout-form");
    });
  }

  function saveForms() {
    var saved = postForms().map(function (form) {
      return keptFields(form).map(function (field) {
        return {name: field.name, value: field.value, checked: field.checked};
      });
    });
    try {
      window.sessionStorage.setItem(storeKey(), JSON.stringify(saved));
    } catch (err) { /* storage full or blocked: nothing to keep */ }
  }

  function restoreForms() {
    var raw;
    try {
      raw = window.sessionStorage.getItem(storeKey());
      window.sessionStorage.removeItem(storeKey());
    } catch (err) { return; }
    if (!raw) { return; }
    var saved = JSON.parse(raw);
    postForms().forEach(function (form, index) {
      var values = saved[index] || [];
      keptFields(form).forEach(function (field) {
        var match = values.filter(function (v) {
          return v.name === field.name && (field.type !== "checkbox" && field.type !== "radio" ||
            v.value === field.value);
        })[0];
        if (!match) { return; }
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = match.checked;
        } else {
          field.value = match.value;
        }
      });
    });
  }

  function start() {
    var idle = parseInt(body.getAttribute("data-session-idle-seconds"), 10);
    if (!idle) { return; }
    var warning = parseInt(body.getAttribute("data-session-warning-seconds"), 10) || 0;
    var modalElement = document.getElementById("session-timeout-modal");
    var countdown = modalElement.querySelector(".js-session-countdown");
    var modal = window.DKFDS && window.DKFDS.Modal ? new window.DKFDS.Modal(modalElement) : null;
    var deadline = 0;
    var ticker = null;
    var shown = false;

    restoreForms();

    function remainingText(seconds) {
      var minutes = Math.floor(seconds / 60);
      var rest = seconds % 60;
      var parts = [];
      if (minutes) { parts.push(minutes + (minutes === 1 ? " minut" : " minutter")); }
      if (rest || !minutes) { parts.push(rest + (rest === 1 ? " sekund" : " sekunder")); }
      return parts.join(" og ");
    }

    function show() {
      shown = true;
      if (modal) { modal.show(); } else { modalElement.setAttribute("aria-hidden", "false"); }
    }

    function hide() {
      shown = false;
      if (modal) { modal.hide(); } else { modalElement.setAttribute("aria-hidden", "true"); }
    }

    function expire() {
      window.clearInterval(ticker);
      saveForms();
      // The server decides: it ends the session and redirects to login with this page as next.
      window.location.reload();
    }

    function tick() {
      var left = Math.ceil((deadline - Date.now()) / 1000);
      if (left <= 0) { expire(); return; }
      if (left <= warning) {
        countdown.textContent = remainingText(left);
        if (!shown) { show(); }
      }
    }

    function restart() {
      // A second's margin so the server has surely passed its limit when the page reloads.
      deadline = Date.now() + (idle + 1) * 1000;
      window.clearInterval(ticker);
      ticker = window.setInterval(tick, 1000);
    }

    modalElement.querySelector(".js-session-keep-alive").addEventListener("click", function () {
      window.fetch(body.getAttribute("data-session-keep-alive-url"), {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: {"X-CSRFToken": body.getAttribute("data-session-csrf-token")}
      }).then(function (response) {
        if (response.status === 204) {
          hide();
          restart();
        } else {
          expire();
        }
      }, expire);
    });

    modalElement.querySelector(".js-session-logout").addEventListener("click", function () {
      var logout = document.querySelector("form.logout-form");
      if (logout) { logout.submit(); } else { window.location.assign(body.getAttribute("data-session-login-url")); }
    });

    restart();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
