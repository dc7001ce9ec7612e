// The form builder in Wagtail's page editor (forms/builder/field_types/editor.py):
// a new field's key follows its label (pinyin from the server, unique among its
// siblings) and stays read-only until "Edit key"; a condition picks its field
// from the fields above it by their labels, and a choice field's answer from its
// choices. The hidden inputs keep what the server stores and checks again.
(function () {
  "use strict";

  var blocks = window.wagtailStreamField.blocks;
  var StructBlockDefinition = blocks.StructBlockDefinition;
  var CHILD = /^(.*)-(\d+)-value$/;
  var conditions = new Set();
  var refreshTimer = null;

  function byId(container, id) {
    return container.querySelector("#" + CSS.escape(id));
  }

  function fire(input) {
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // "form_fields-3-value" → {stream: "form_fields", index: "3"}.
  function placeOf(structPrefix) {
    var match = CHILD.exec(structPrefix);
    return match ? { stream: match[1], index: match[2] } : null;
  }

  function isDeleted(stream, index) {
    var deleted = document.getElementById(stream + "-" + index + "-deleted");
    return !!deleted && deleted.value === "1";
  }

  // The keys of the other fields of a stream, as they stand in the editor.
  function siblingKeys(stream, except) {
    var pattern = new RegExp("^" + stream.replace(/[-]/g, "\\-") + "-(\\d+)-value-key$");
    var keys = [];
    document.querySelectorAll("input[id$='-value-key']").forEach(function (input) {
      var match = pattern.exec(input.id);
      if (match && input !== except && input.value && !isDeleted(stream, match[1])) {
        keys.push(input.value);
      }
    });
    return keys;
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () {
      var focused = document.activeElement;
      conditions.forEach(function (editor) {
        if (!editor.container.isConnected) {
          conditions.delete(editor);
        } else if (focused !== editor.picker && focused !== editor.answers) {
          // An open list is left as it is while the builder picks from it.
          editor.refresh();
        }
      });
    }, 200);
  }
  document.addEventListener("input", scheduleRefresh);
  document.addEventListener("change", scheduleRefresh);
  document.addEventListener("click", scheduleRefresh);

  // --- keys ---

  function KeyEditor(block, options) {
    var container = block.container[0];
    var prefix = block.prefix;
    var key = byId(container, prefix + "-key");
    var label = byId(container, prefix + "-label");
    if (!key || !label) return;
    var place = placeOf(prefix);
    var automatic = !key.value;
    var timer = null;
    var asked = 0;

    key.readOnly = true;
    key.classList.add("th-key");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small button-secondary th-edit-key";
    button.textContent = options.editKey;
    button.title = options.editKeyHelp;
    key.insertAdjacentElement("afterend", button);
    button.addEventListener("click", function () {
      automatic = false;
      key.readOnly = false;
      button.hidden = true;
      key.focus();
    });

    function ask() {
      if (!automatic || !options.keyUrl || !label.value.trim()) return;
      var query = new URLSearchParams({ label: label.value });
      if (place) {
        siblingKeys(place.stream, key).forEach(function (taken) {
          query.append("taken", taken);
        });
      }
      var mine = ++asked;
      fetch(options.keyUrl + "?" + query.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          // Only the answer to the latest label counts.
          if (data && data.key && mine === asked && automatic) {
            key.value = data.key;
            fire(key);
          }
        })
        .catch(function () {
          // The server fills a missing key on saving.
        });
    }

    label.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 300);
    });
    if (automatic && label.value.trim()) ask();
  }

  class FieldBlockDefinition extends StructBlockDefinition {
    render(placeholder, prefix, initialState, initialError) {
      var block = super.render(placeholder, prefix, initialState, initialError);
      new KeyEditor(block, this.meta.builder);
      return block;
    }
  }

  // --- conditions ---

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function ConditionEditor(block, options) {
    this.block = block;
    this.options = options;
    this.container = block.container[0];
    var prefix = block.prefix;
    this.fieldInput = byId(this.container, prefix + "-field");
    this.operator = byId(this.container, prefix + "-operator");
    this.valueInput = byId(this.container, prefix + "-value");
    if (!this.fieldInput || !this.operator || !this.valueInput) return;
    this.structPrefix = prefix.replace(/-condition$/, "");
    this.place = placeOf(this.structPrefix);
    this.inGroup = !!this.place && /-\d+-value-fields$/.test(this.place.stream);

    var fieldWrapper = this.fieldInput.closest("[data-contentpath]");
    this.valueWrapper = this.valueInput.closest("[data-contentpath]");
    this.operatorWrapper = this.operator.closest("[data-contentpath]");
    fieldWrapper.hidden = true;

    this.note = element("p", "help th-condition-note");
    this.note.hidden = true;
    this.picker = element("select", "th-condition-field");
    this.picker.id = prefix + "-field-picker";
    this.picker.setAttribute("aria-label", fieldWrapper.querySelector("label").textContent);
    var pickerWrapper = element("div", "th-condition-picker");
    var pickerLabel = element("label", "w-field__label", fieldWrapper.querySelector("label").textContent);
    pickerLabel.htmlFor = this.picker.id;
    pickerWrapper.append(pickerLabel, this.picker, this.note);
    fieldWrapper.insertAdjacentElement("beforebegin", pickerWrapper);

    this.answers = element("select", "th-condition-answer");
    this.answers.setAttribute("aria-label", this.valueWrapper.querySelector("label").textContent);
    this.answerBoxes = element("div", "th-condition-answers");
    this.valueInput.insertAdjacentElement("afterend", this.answers);
    this.answers.insertAdjacentElement("afterend", this.answerBoxes);

    var editor = this;
    this.picker.addEventListener("focus", function () { editor.refresh(); });
    this.picker.addEventListener("mousedown", function () { editor.refresh(); });
    // Until the builder changes something, what was stored is only shown,
    // never rewritten (the server explains anything wrong with it).
    this.touched = false;
    this.picker.addEventListener("change", function () {
      editor.touched = true;
      editor.fieldInput.value = editor.picker.value;
      fire(editor.fieldInput);
      editor.refresh();
    });
    this.operator.addEventListener("change", function (event) {
      if (event.isTrusted) editor.touched = true;
      editor.refresh();
    });
    this.answers.addEventListener("change", function () {
      editor.touched = true;
      editor.valueInput.value = editor.answers.value;
      fire(editor.valueInput);
      editor.refresh();
    });
    this.answerBoxes.addEventListener("change", function () {
      editor.touched = true;
      var picked = [];
      editor.answerBoxes.querySelectorAll("input:checked").forEach(function (box) {
        picked.push(box.value);
      });
      editor.valueInput.value = picked.join(",");
      fire(editor.valueInput);
      editor.refresh();
    });

    // What the collapsed panel says: "always shown" or "学历 等于 博士".
    block.layout.getTextLabel = function () { return editor.summary(); };
    conditions.add(this);
    requestAnimationFrame(function () { editor.refresh(); });
  }

  // The fields above this block, as [{key, label, type, choices}].
  ConditionEditor.prototype.earlierFields = function () {
    var rootElement = this.place && document.getElementById(this.place.stream + "-root");
    var root = rootElement && rootElement.rootBlock;
    if (!root) return [];
    var fields = [];
    for (var i = 0; i < root.children.length; i += 1) {
      var child = root.children[i];
      var struct = child.block;
      if (!struct || struct.prefix === this.structPrefix) break;
      var source = this.options.sources[child.type];
      if (!source || !struct.childBlocks || !struct.childBlocks.label) continue;
      var choices = null;
      if (source.answers === "yes_no") {
        choices = this.options.yesNo;
      } else if (source.answers === "choices" && struct.childBlocks.choices) {
        choices = String(struct.childBlocks.choices.getValue() || "")
          .split("\n")
          .map(function (line) { return line.trim(); })
          .filter(Boolean)
          .map(function (line) { return [line, line]; });
      }
      fields.push({
        key: struct.childBlocks.key ? struct.childBlocks.key.getValue() : "",
        label: String(struct.childBlocks.label.getValue() || "").trim(),
        type: child.type,
        choices: choices,
      });
    }
    return fields;
  };

  ConditionEditor.prototype.source = function () {
    var key = this.fieldInput.value;
    return this.fields.find(function (field) { return field.key && field.key === key; });
  };

  ConditionEditor.prototype.summary = function () {
    if (!this.fieldInput.value) return this.options.alwaysShown;
    var source = this.source();
    var name = source ? source.label || source.key : this.fieldInput.value;
    var operator = this.options.operators[this.operator.value || "equals"] || "";
    var value = this.operator.value === "not_empty" ? "" : this.valueInput.value;
    if (source && source.choices && value) {
      var shown = source.choices.find(function (choice) { return choice[0] === value; });
      if (shown) value = shown[1];
    }
    return [name, operator, value].filter(Boolean).join(" ");
  };

  ConditionEditor.prototype.refresh = function () {
    var options = this.options;
    var chosen = this.fieldInput.value;
    this.fields = this.earlierFields();
    var picker = this.picker;
    picker.replaceChildren(new Option(options.alwaysShown, ""));
    this.fields.forEach(function (field) {
      var option = new Option(field.label || options.untitled, field.key);
      option.disabled = !field.key;
      picker.append(option);
    });
    if (chosen && !this.source()) {
      // A key that is not a field above (removed, moved down, typed by hand):
      // kept and shown, so that nothing changes unseen; the server says why.
      picker.append(new Option(options.notAbove.replace("%(field)s", chosen), chosen));
    }
    picker.value = chosen;
    this.note.hidden = !(this.inGroup || this.fields.length === 0);
    this.note.textContent = this.inGroup ? options.inGroup : options.noneAbove;
    picker.disabled = this.inGroup && !chosen;

    var source = this.source();
    this.operatorWrapper.hidden = !chosen;
    if (!chosen) {
      this.valueWrapper.hidden = true;
    } else {
      this.limitOperators(source);
      this.showAnswers(source);
    }
    if (this.block.layout.setCollapsedLabelText) this.block.layout.setCollapsedLabelText();
  };

  ConditionEditor.prototype.setIfChanged = function (input, value) {
    if (input.value !== value) {
      input.value = value;
      fire(input);
    }
  };

  ConditionEditor.prototype.limitOperators = function (source) {
    var allowed = source ? this.options.sources[source.type].operators : null;
    Array.prototype.forEach.call(this.operator.options, function (option) {
      option.hidden = !option.value || (allowed !== null && allowed.indexOf(option.value) < 0);
    });
    var current = this.operator.value;
    if (!current || (this.touched && allowed && allowed.indexOf(current) < 0)) {
      this.setIfChanged(this.operator, allowed ? allowed[0] : "equals");
    }
  };

  ConditionEditor.prototype.showAnswers = function (source) {
    var operator = this.operator.value;
    var value = this.valueInput.value;
    this.valueWrapper.hidden = operator === "not_empty";
    var choices = source && source.choices;
    var listed = !!choices && ["equals", "not_equals", "one_of"].indexOf(operator) >= 0;
    this.valueInput.hidden = listed;
    this.answers.hidden = !listed || operator === "one_of";
    this.answerBoxes.hidden = !listed || operator !== "one_of";
    if (!listed) return;
    if (operator === "one_of") {
      var picked = value.split(/[,，、]/).map(function (part) { return part.trim(); });
      var boxes = this.answerBoxes;
      boxes.replaceChildren();
      choices.forEach(function (choice) {
        var label = element("label", "th-condition-choice");
        var box = element("input");
        box.type = "checkbox";
        box.value = choice[0];
        box.checked = picked.indexOf(choice[0]) >= 0;
        label.append(box, document.createTextNode(" " + choice[1]));
        boxes.append(label);
      });
      return;
    }
    var answers = this.answers;
    answers.replaceChildren();
    choices.forEach(function (choice) {
      answers.append(new Option(choice[1], choice[0]));
    });
    var known = choices.some(function (choice) { return choice[0] === value; });
    if (!known && this.touched) {
      value = choices.length ? choices[0][0] : "";
      this.setIfChanged(this.valueInput, value);
    } else if (!known) {
      answers.append(new Option(value, value));
    }
    answers.value = value;
  };

  class ConditionBlockDefinition extends StructBlockDefinition {
    render(placeholder, prefix, initialState, initialError) {
      var block = super.render(placeholder, prefix, initialState, initialError);
      new ConditionEditor(block, this.meta.builder);
      return block;
    }
  }

  window.telepath.register("forms.builder.FieldBlock", FieldBlockDefinition);
  window.telepath.register("forms.builder.ConditionBlock", ConditionBlockDefinition);
})();
