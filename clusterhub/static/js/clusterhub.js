// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    // The language switch submits itself when a language is picked.
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () {
        select.form.requestSubmit();
      });
    });

    // On narrow screens the directory filters start folded, unless some are in use.
    var filters = document.querySelector("details[data-fold-narrow]");
    if (filters && window.matchMedia("(max-width: 900px)").matches && !filters.hasAttribute("data-active")) {
      filters.open = false;
    }
  });
})();
