// The eligibility rule editor: the rule's JSON Logic (the textarea beside it)
// shown as nested groups of conditions. A condition picks a fact by its label
// and a value from that fact's list (yes/no, a number), as form conditions do.
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function RuleEditor(root, textarea) {
    this.root = root;
    this.textarea = textarea;
    this.facts = JSON.parse(root.dataset.facts);
    this.byKey = {};
    for (var i = 0; i < this.facts.length; i++) this.byKey[this.facts[i].key] = this.facts[i];
    this.t = root.dataset;
    var value;
    try {
      value = JSON.parse(textarea.value || "{}");
    } catch (e) {
      return; // unreadable JSON stays in the textarea for the validator to explain
    }
    if (!value || !Object.keys(value).length) value = { and: [] };
    this.tree = this.fromLogic(value);
    if (this.tree.kind !== "group") this.tree = { kind: "group", op: "and", not: false, children: [this.tree] };
    textarea.hidden = true;
    this.render();
  }

  RuleEditor.prototype.fromLogic = function (node) {
    var op = Object.keys(node)[0];
    var args = node[op];
    if (op === "!") {
      var inner = this.fromLogic(Array.isArray(args) ? args[0] : args);
      if (inner.kind === "group") { inner.not = !inner.not; return inner; }
      return { kind: "group", op: "and", not: true, children: [inner] };
    }
    if (op === "and" || op === "or") {
      var self = this;
      return { kind: "group", op: op, not: false, children: args.map(function (c) { return self.fromLogic(c); }) };
    }
    return { kind: "condition", op: op, fact: args[0].var, value: args[1] };
  };

  RuleEditor.prototype.toLogic = function (node) {
    var self = this;
    if (node.kind === "group") {
      var out = {};
      out[node.op] = node.children.map(function (c) { return self.toLogic(c); });
      return node.not ? { "!": out } : out;
    }
    return JSON.parse(JSON.stringify(Object.fromEntries([[node.op, [{ var: node.fact }, node.value]]])));
  };

  RuleEditor.prototype.sync = function () {
    this.textarea.value = JSON.stringify(this.toLogic(this.tree));
  };

  RuleEditor.prototype.operators = function (fact) {
    var t = this.t;
    if (!fact) return [];
    if (fact.kind === "number") return [[">=", t.textGe], ["<=", t.textLe], [">", t.textGt], ["<", t.textLt], ["==", t.textIs]];
    if (fact.kind === "boolean") return [["==", t.textIs]];
    return [["==", t.textIs], ["!=", t.textIsnot], ["in", t.textIn]];
  };

  RuleEditor.prototype.defaultValue = function (fact, op) {
    if (fact.kind === "number") return 0;
    if (fact.kind === "boolean") return true;
    var first = fact.values.length ? fact.values[0].value : "";
    return op === "in" ? [first] : first;
  };

  RuleEditor.prototype.labelled = function (control, text) {
    control.setAttribute("aria-label", text);
    return control;
  };

  RuleEditor.prototype.renderCondition = function (node, parent) {
    var self = this;
    var row = el("div", "th-rule-condition");
    var factSelect = this.labelled(el("select"), this.t.textFact);
    this.facts.forEach(function (fact) {
      var option = el("option", "", fact.label);
      option.value = fact.key;
      option.selected = fact.key === node.fact;
      factSelect.appendChild(option);
    });
    var fact = this.byKey[node.fact] || this.facts[0];
    var opSelect = this.labelled(el("select"), this.t.textOperator);
    this.operators(fact).forEach(function (pair) {
      var option = el("option", "", pair[1]);
      option.value = pair[0];
      option.selected = pair[0] === node.op;
      opSelect.appendChild(option);
    });
    factSelect.addEventListener("change", function () {
      node.fact = factSelect.value;
      var f = self.byKey[node.fact];
      node.op = self.operators(f)[0][0];
      node.value = self.defaultValue(f, node.op);
      self.render();
    });
    opSelect.addEventListener("change", function () {
      node.op = opSelect.value;
      node.value = self.defaultValue(fact, node.op);
      self.render();
    });
    row.appendChild(factSelect);
    row.appendChild(opSelect);
    row.appendChild(this.valueControl(node, fact));
    var remove = el("button", "button button-small button-secondary", this.t.textRemove);
    remove.type = "button";
    remove.addEventListener("click", function () {
      parent.children.splice(parent.children.indexOf(node), 1);
      self.render();
    });
    row.appendChild(remove);
    return row;
  };

  RuleEditor.prototype.valueControl = function (node, fact) {
    var self = this;
    if (fact.kind === "number") {
      var input = this.labelled(el("input"), this.t.textValue);
      input.type = "number";
      input.value = node.value;
      input.addEventListener("input", function () { node.value = Number(input.value); self.sync(); });
      return input;
    }
    if (fact.kind === "boolean") {
      var yesNo = this.labelled(el("select"), this.t.textValue);
      [[true, this.t.textYes], [false, this.t.textNo]].forEach(function (pair) {
        var option = el("option", "", pair[1]);
        option.value = String(pair[0]);
        option.selected = pair[0] === node.value;
        yesNo.appendChild(option);
      });
      yesNo.addEventListener("change", function () { node.value = yesNo.value === "true"; self.sync(); });
      return yesNo;
    }
    if (node.op === "in") {
      var box = el("span", "th-rule-values");
      fact.values.forEach(function (choice) {
        var label = el("label", "th-condition-choice");
        var check = el("input");
        check.type = "checkbox";
        check.checked = (node.value || []).indexOf(choice.value) !== -1;
        check.addEventListener("change", function () {
          var chosen = (node.value || []).filter(function (v) { return v !== choice.value; });
          if (check.checked) chosen.push(choice.value);
          node.value = chosen;
          self.sync();
        });
        label.appendChild(check);
        label.appendChild(document.createTextNode(" " + choice.label));
        box.appendChild(label);
      });
      return box;
    }
    var select = this.labelled(el("select"), this.t.textValue);
    fact.values.forEach(function (choice) {
      var option = el("option", "", choice.label);
      option.value = choice.value;
      option.selected = choice.value === node.value;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { node.value = select.value; self.sync(); });
    return select;
  };

  RuleEditor.prototype.renderGroup = function (node, parent) {
    var self = this;
    var box = el("fieldset", "th-rule-group");
    var head = el("div", "th-rule-group__head");
    var mode = el("select");
    [["and", false, this.t.textAnd], ["or", false, this.t.textOr], ["and", true, this.t.textNot]].forEach(function (choice) {
      var option = el("option", "", choice[2]);
      option.value = choice[0] + (choice[1] ? "-not" : "");
      option.selected = node.op === choice[0] && node.not === choice[1];
      mode.appendChild(option);
    });
    mode.addEventListener("change", function () {
      node.op = mode.value.split("-")[0];
      node.not = mode.value.indexOf("-not") !== -1;
      self.sync();
    });
    head.appendChild(mode);
    box.appendChild(head);
    node.children.forEach(function (child) {
      box.appendChild(child.kind === "group" ? self.renderGroup(child, node) : self.renderCondition(child, node));
    });
    var actions = el("div", "th-rule-group__actions");
    var add = el("button", "button button-small", this.t.textAdd);
    add.type = "button";
    add.addEventListener("click", function () {
      var fact = self.facts[0];
      var op = self.operators(fact)[0][0];
      node.children.push({ kind: "condition", fact: fact.key, op: op, value: self.defaultValue(fact, op) });
      self.render();
    });
    var addGroup = el("button", "button button-small button-secondary", this.t.textGroup);
    addGroup.type = "button";
    addGroup.addEventListener("click", function () {
      node.children.push({ kind: "group", op: "or", not: false, children: [] });
      self.render();
    });
    actions.appendChild(add);
    actions.appendChild(addGroup);
    if (parent) {
      var remove = el("button", "button button-small button-secondary", this.t.textRemove);
      remove.type = "button";
      remove.addEventListener("click", function () {
        parent.children.splice(parent.children.indexOf(node), 1);
        self.render();
      });
      actions.appendChild(remove);
    }
    box.appendChild(actions);
    return box;
  };

  RuleEditor.prototype.render = function () {
    this.root.replaceChildren(this.renderGroup(this.tree, null));
    this.sync();
  };

  function start() {
    document.querySelectorAll("[data-rule-editor]").forEach(function (root) {
      if (root.dataset.started) return;
      root.dataset.started = "1";
      var textarea = root.parentNode.querySelector("textarea");
      if (textarea) new RuleEditor(root, textarea);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
