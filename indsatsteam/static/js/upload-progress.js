/* Upload forms (data-upload-form): a progress bar while the file travels, and a Danish
   message by the field when a file is larger than the limit, before anything is sent.
   Without JavaScript the form posts as usual and the server says the same things. */
(function () {
  "use strict";

  function fieldGroup(input) {
    return input.closest(".form-group");
  }

  function showError(input, message) {
    var group = fieldGroup(input);
    var old = group.querySelector(".form-error-message");
    if (old) { old.remove(); }
    var error = document.createElement("span");
    error.className = "form-error-message";
    error.id = input.id + "-error";
    error.innerHTML = '<span class="sr-only">Fejl: </span>';
    error.appendChild(document.createTextNode(message));
    group.classList.add("form-error");
    input.insertAdjacentElement("beforebegin", error);
    input.setAttribute("aria-invalid", "true");
    var described = (input.getAttribute("aria-describedby") || "").split(" ");
    if (described.indexOf(error.id) < 0) { described.push(error.id); }
    input.setAttribute("aria-describedby", described.join(" ").trim());
    input.focus();
  }

  function replaceMain(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var fresh = page.getElementById("main-content");
    var main = document.getElementById("main-content");
    if (!fresh || !main) { document.open(); document.write(html); document.close(); return; }
    main.innerHTML = fresh.innerHTML;
    document.title = page.title;
    bind();
    var notice = main.querySelector(".alert-error, .alert-success");
    if (notice) { notice.setAttribute("tabindex", "-1"); notice.focus(); }
  }

  function send(form, input) {
    var box = form.querySelector("[data-upload-progress]");
    var bar = box.querySelector("progress");
    var status = box.querySelector("[data-upload-status]");
    var button = form.querySelector("button[type=submit]");
    var xhr = new XMLHttpRequest();
    box.hidden = false;
    button.disabled = true;
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) { return; }
      var percent = Math.round(event.loaded / event.total * 100);
      bar.value = percent;
      bar.textContent = percent + " %";
      status.textContent = percent < 100 ? "Sendt " + percent + " %" : "Filen kontrolleres …";
    });
    xhr.addEventListener("load", function () {
      // A saved file redirects to the page with the new list and its message; a refused
      // one answers 400 with the message by the field and the description kept.
      if (xhr.responseURL && xhr.responseURL !== window.location.href && xhr.status === 200) {
        window.history.replaceState(null, "", xhr.responseURL);
      }
      replaceMain(xhr.responseText);
    });
    xhr.addEventListener("error", function () {
      box.hidden = true;
      button.disabled = false;
      showError(input, "Filen kunne ikke sendes. Tjek forbindelsen, og prøv igen.");
    });
    xhr.open("POST", form.action);
    xhr.send(new FormData(form));
  }

  function bind() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-upload-form]"),
      function (form) {
        var input = form.querySelector("input[type=file]");
        var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
        form.addEventListener("submit", function (event) {
          var file = input.files && input.files[0];
          if (!file || !window.FormData || !window.XMLHttpRequest) { return; }
          event.preventDefault();
          if (file.size > limit) {
            showError(input, "Filen er for stor. Den må højst fylde " +
              form.getAttribute("data-max-size") + ".");
            return;
          }
          send(form, input);
        });
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
