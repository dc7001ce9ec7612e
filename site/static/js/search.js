/* Search suggestions while typing. Without script the search form works as is;
   with it, titles from /api/search/suggest/ are offered in an ARIA listbox. */
(function () {
  "use strict";

  function setup(form) {
    var input = form.querySelector("input[data-suggest-url]");
    var list = form.querySelector("#search-suggestions");
    var status = form.querySelector("[data-suggest-status]");
    if (!input || !list || !window.fetch) {
      return;
    }
    var url = input.getAttribute("data-suggest-url");
    var timer = null;
    var active = -1;
    var lastQuery = "";
    var controller = null;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    function options() {
      return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = options();
      if (!items.length) {
        return;
      }
      active = (index + items.length) % items.length;
      items.forEach(function (item, position) {
        item.setAttribute("aria-selected", position === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    function show(suggestions) {
      close();
      suggestions.forEach(function (suggestion, index) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        item.id = "search-suggestion-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        link.href = suggestion.url;
        link.tabIndex = -1;
        link.textContent = suggestion.title; /* text, never HTML */
        item.appendChild(link);
        list.appendChild(item);
      });
      if (suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      if (status) {
        status.textContent = suggestions.length
          ? suggestions.length + " " + (status.getAttribute("data-text") || "")
          : "";
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) {
        return;
      }
      lastQuery = query;
      if (!query) {
        close();
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      window
        .fetch(url + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          signal: controller ? controller.signal : undefined,
        })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() === query) {
            show(data.suggestions || []);
          }
        })
        .catch(function () {
          /* Offline or aborted: the plain form still works. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 150);
    });

    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = options()[active].querySelector("a").href;
      }
    });

    input.addEventListener("blur", function () {
      /* Let a click on a suggestion land before the list goes away. */
      window.setTimeout(close, 200);
    });
  }

  document.querySelectorAll("[data-search-form]").forEach(setup);
})();
