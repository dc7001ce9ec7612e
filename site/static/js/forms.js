// Progressive enhancement of application forms. Everything works without this
// file: the server applies conditions, row buttons and region checks itself.
(function () {
  "use strict";

  function valuesOf(form, key) {
    var values = [];
    form.querySelectorAll("[name='" + key + "']").forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.value !== "") values.push(input.value);
    });
    return values;
  }

  function holds(condition, values) {
    var expected = String(condition.value || "").trim();
    var op = condition.operator || "equals";
    if (op === "not_empty") return values.length > 0;
    if (op === "equals" || op === "not_equals" || op === "one_of") {
      var options = op === "one_of" ? expected.split(/[,，、]/).map(function (s) { return s.trim(); }) : [expected];
      var found = options.some(function (o) { return o && values.indexOf(o) !== -1; });
      return op === "not_equals" ? !found : found;
    }
    var number = parseFloat(values[0]), limit = parseFloat(expected);
    if (isNaN(number) || isNaN(limit)) return false;
    return { gt: number > limit, gte: number >= limit, lt: number < limit, lte: number <= limit }[op] || false;
  }

  function applyConditions(form) {
    form.querySelectorAll("[data-conditions]").forEach(function (entry) {
      var conditions = JSON.parse(entry.getAttribute("data-conditions"));
      var shown = conditions.every(function (condition) {
        // Conditions on earlier steps were decided by the server already.
        if (!form.querySelector("[name='" + condition.field + "']")) return true;
        return holds(condition, valuesOf(form, condition.field));
      });
      entry.hidden = !shown;
    });
  }

  function regionCascade(container) {
    var selects = container.querySelectorAll("select");
    if (selects.length < 2) return;
    var originals = Array.prototype.map.call(selects, function (select) { return select.cloneNode(true); });
    function refill(level) {
      var parent = selects[level - 1], child = selects[level], keep = child.value;
      var prefix = parent.value ? parent.value.slice(0, level === 1 ? 2 : 4) : null;
      child.innerHTML = "";
      originals[level].querySelectorAll("option").forEach(function (option) {
        if (!option.value || (prefix && option.value.indexOf(prefix) === 0 && option.value !== parent.value)) {
          child.appendChild(option.cloneNode(true));
        }
      });
      child.value = keep;
      if (child.value !== keep) child.value = "";
      if (level + 1 < selects.length) refill(level + 1);
    }
    selects.forEach(function (select, index) {
      if (index + 1 < selects.length) select.addEventListener("change", function () { refill(index + 1); });
    });
    refill(1);
  }

  // Enter in a field means "save and continue". The browser would press the
  // form's first submit button instead, which in a step with a repeatable group
  // is "Add a row". Enter that confirms an input method's candidate is left alone.
  function enterContinues(form) {
    var next = form.querySelector("button[name=action][value=next]");
    if (!next) return;
    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key !== "Enter" || event.isComposing || target.tagName !== "INPUT") return;
      if (/^(submit|button|reset|image|file)$/.test(target.type)) return;
      event.preventDefault();
      form.requestSubmit(next);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-application-form]").forEach(function (form) {
      enterContinues(form);
      applyConditions(form);
      form.addEventListener("change", function () { applyConditions(form); });
      form.addEventListener("input", function () { applyConditions(form); });
    });
    document.querySelectorAll(".region-input").forEach(regionCascade);
    // A double click sends one request; the server is idempotent anyway (R2).
    document.querySelectorAll("[data-submit-once]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.sent) { event.preventDefault(); return; }
        form.dataset.sent = "1";
      });
    });
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  });
})();
