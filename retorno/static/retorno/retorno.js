/* Retorno's only script. Every page works without it; it adds a phone menu, the session
   time-out warning, focus management after htmx swaps and "Saving…" on submit buttons. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function setUpMenu() {
    var nav = document.querySelector(".primary-nav");
    var list = document.getElementById("primary-nav-list");
    if (!nav || !list) { return; }
    var button = nav.querySelector(".menu-toggle");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = list.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function focusMarked(root) {
    var target = (root || document).querySelector("[data-focus]");
    if (target) { target.focus(); }
  }

  function setUpSaving() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var button = event.submitter;
      // Read the attribute: a field named "method" hides the form's own method property.
      var method = (form.getAttribute("method") || "get").toLowerCase();
      if (!button || method !== "post" || !button.dataset.saving) { return; }
      if (button.getAttribute("aria-disabled") === "true") { event.preventDefault(); return; }
      // Keep the clicked button's name/value in the submission, then mark it busy.
      window.setTimeout(function () {
        button.setAttribute("aria-disabled", "true");
        button.textContent = button.dataset.saving;
      }, 0);
    });
  }

  function setUpSessionWarning() {
    var body = document.body;
    var seconds = parseInt(body.dataset.sessionSeconds || "0", 10);
    var dialog = document.getElementById("session-warning");
    if (!seconds || !dialog || typeof dialog.showModal !== "function") { return; }
    var key = "retorno.lastActivity";
    function touch() { try { localStorage.setItem(key, String(Date.now())); } catch (e) { /* private mode */ } }
    function last() {
      try { return parseInt(localStorage.getItem(key) || "0", 10) || Date.now(); } catch (e) { return Date.now(); }
    }
    touch();
    function check() {
      var left = seconds * 1000 - (Date.now() - last());
      if (left <= 0) {
        window.location.assign(body.dataset.sessionEndedUrl);
        return;
      }
      if (left <= 120000) {
        if (!dialog.open) { dialog.showModal(); }
      } else if (dialog.open) {
        dialog.close();
      }
    }
    window.setInterval(check, 5000);
    dialog.querySelector("[data-session-stay]").addEventListener("click", function () {
      fetch(body.dataset.keepaliveUrl, { credentials: "same-origin" }).then(function (response) {
        if (response.ok) { touch(); dialog.close(); } else { window.location.assign(body.dataset.sessionEndedUrl); }
      });
    });
  }

  function openFiltersOnWideScreens() {
    // Filters sit in a left column on wide screens and in a closed <details> above the results
    // otherwise; data-open-wide="1400" says from which width a page's filters sit beside them.
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) {
      var width = parseInt(d.getAttribute("data-open-wide"), 10) || 992;
      if (window.matchMedia("(min-width: " + width + "px)").matches) { d.open = true; }
    });
  }

  ready(function () {
    openFiltersOnWideScreens();
    setUpMenu();
    setUpSaving();
    setUpSessionWarning();
    focusMarked(document);
    document.body.addEventListener("htmx:afterSettle", function (event) { focusMarked(event.target); });
  });
})();
