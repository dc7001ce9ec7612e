// The page editor's "as an applicant" preview: one step at a time. forms.js
// hides the steps and fields whose conditions fail (the `hidden` attribute);
// this script only moves between the steps left, and never submits.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-form-preview]");
    if (!form) return;
    var steps = Array.prototype.slice.call(form.querySelectorAll("[data-preview-step], [data-preview-end]"));
    var next = form.querySelector("[data-preview-next]");
    var back = form.querySelector("[data-preview-back]");
    var position = document.querySelector("[data-preview-position]");
    var current = 0;

    function shown(index) { return !steps[index].hidden; }

    function show(index) {
      current = index;
      steps.forEach(function (step, i) { step.style.display = i === index ? "" : "none"; });
      var open = steps.filter(function (step) { return !step.hidden && step.hasAttribute("data-preview-step"); });
      var atEnd = steps[index].hasAttribute("data-preview-end");
      next.style.display = atEnd ? "none" : "";
      back.disabled = index === 0;
      if (position) {
        position.textContent = atEnd ? "" : (open.indexOf(steps[index]) + 1) + " / " + open.length;
      }
      var heading = steps[index].querySelector("h1");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }

    function move(step) {
      for (var i = current + step; i >= 0 && i < steps.length; i += step) {
        if (shown(i)) { show(i); return; }
      }
    }

    next.addEventListener("click", function () { move(1); });
    back.addEventListener("click", function () { move(-1); });
    // Enter in a field, or a group's row button, must never leave the preview.
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    show(0);
  });
})();
