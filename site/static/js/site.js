/* Talent Harbor: small progressive enhancements. Every page works without them. */
(function () {
  "use strict";

  /* Print buttons stay hidden until a script can print. */
  function setupPrintButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  /* The home page's themes become tabs: without script every theme's items are
     listed one after another and the theme links jump to them. */
  function setupTabs(root) {
    var list = root.querySelector("[data-tabs-list]");
    var tabs = Array.prototype.slice.call(root.querySelectorAll("[data-tab]"));
    var panels = tabs.map(function (tab) {
      return document.getElementById(tab.getAttribute("href").slice(1));
    });
    if (!list || !tabs.length || panels.indexOf(null) !== -1) {
      return;
    }

    function select(index, moveFocus) {
      tabs.forEach(function (tab, position) {
        var selected = position === index;
        tab.setAttribute("aria-selected", selected ? "true" : "false");
        tab.tabIndex = selected ? 0 : -1;
        panels[position].hidden = !selected;
      });
      if (moveFocus) {
        tabs[index].focus();
      }
    }

    list.setAttribute("role", "tablist");
    root.classList.add("is-tabbed");
    tabs.forEach(function (tab, index) {
      var panel = panels[index];
      tab.id = tab.id || panel.id + "-tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.parentElement.setAttribute("role", "presentation");
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      tab.addEventListener("click", function (event) {
        event.preventDefault();
        select(index, false);
      });
      tab.addEventListener("keydown", function (event) {
        var last = tabs.length - 1;
        var target = null;
        if (event.key === "ArrowRight" || event.key === "ArrowDown") {
          target = index === last ? 0 : index + 1;
        } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
          target = index === 0 ? last : index - 1;
        } else if (event.key === "Home") {
          target = 0;
        } else if (event.key === "End") {
          target = last;
        }
        if (target !== null) {
          event.preventDefault();
          select(target, true);
        }
      });
    });

    var fromHash = tabs.findIndex(function (tab) {
      return tab.getAttribute("href") === window.location.hash;
    });
    var firstWithItems = tabs.findIndex(function (tab) {
      return tab.hasAttribute("data-has-items");
    });
    select(fromHash !== -1 ? fromHash : Math.max(firstWithItems, 0), false);
  }

  function start() {
    setupPrintButtons();
    document.querySelectorAll("[data-tabs]").forEach(setupTabs);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
