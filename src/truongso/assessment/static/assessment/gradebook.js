// Gradebook grid (sổ điểm). The page is a normal form that works without this file;
// here we add: arrow keys, Enter and Tab between cells; pasting a block copied from
// Excel (tab-separated lines) from the focused cell; checking each cell as it is
// typed; saving each changed cell by itself (POST to the cell endpoint, with the
// row's version), showing both values when someone else saved first; and the row's
// averages from the server's answer. No inline script: the CSP forbids it.
(function () {
  "use strict";

  var form, grid, text, statusBox, conflictBox, reasonInput;
  var kind = "scored";
  // One save at a time: each carries its row's version as the last answer left it,
  // and a school's small database is never asked for two writes at once.
  var queue = Promise.resolve();
  var pending = 0;

  function enqueue(job) {
    pending += 1;
    queue = queue.then(job).then(function () { pending -= 1; }, function () { pending -= 1; });
  }

  function t(name) { return (text && text.dataset[name]) || ""; }

  function status(message, isError) {
    if (!statusBox) { return; }
    statusBox.textContent = message || "";
    statusBox.classList.toggle("error", !!isError);
  }

  // --- checking a cell -------------------------------------------------------------

  function fold(value) {
    return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  var SCORE = /^(10([.,]0)?|\d([.,]\d)?)$/;
  var RATINGS = ["d", "dat", "cd", "chua dat", "chua_dat"];

  function problem(input) {
    var value = input.value.trim();
    if (input.classList.contains("comment")) {
      return input.value.length > 500 ? t("tooLong") : "";
    }
    if (value === "") { return ""; }
    if (kind === "comment") {
      return RATINGS.indexOf(fold(value)) === -1 ? t("invalidRating") : "";
    }
    return SCORE.test(value) ? "" : t("invalidScore");
  }

  function mark(input, message) {
    input.classList.toggle("invalid", !!message);
    if (message) {
      input.setAttribute("aria-invalid", "true");
      input.title = message;
    } else {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("title");
    }
  }

  function check(input) {
    var message = problem(input);
    mark(input, message);
    return !message;
  }

  // --- moving around ---------------------------------------------------------------

  function rows() { return Array.prototype.slice.call(grid.tBodies[0].rows); }

  function cellsOf(row) { return Array.prototype.slice.call(row.querySelectorAll("input.cell")); }

  function position(input) {
    var row = input.closest("tr");
    return { rowIndex: rows().indexOf(row), colIndex: cellsOf(row).indexOf(input) };
  }

  function cellAt(rowIndex, colIndex) {
    var all = rows();
    if (rowIndex < 0 || rowIndex >= all.length) { return null; }
    var cells = cellsOf(all[rowIndex]);
    if (colIndex < 0 || colIndex >= cells.length) { return null; }
    return cells[colIndex];
  }

  function focusCell(input) {
    if (!input) { return; }
    input.focus();
    input.select();
  }

  function atStart(input) {
    return input.selectionStart === 0 && input.selectionEnd === 0 ||
      input.selectionStart === 0 && input.selectionEnd === input.value.length;
  }

  function atEnd(input) {
    return input.selectionEnd === input.value.length;
  }

  function onKeydown(event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("cell")) { return; }
    var here = position(input);
    var next = null;
    if (event.key === "Enter") {
      event.preventDefault(); // never submit the form from a cell
      next = cellAt(here.rowIndex + (event.shiftKey ? -1 : 1), here.colIndex);
      commit(input);
      if (next) { focusCell(next); }
      return;
    }
    if (event.key === "ArrowDown") { next = cellAt(here.rowIndex + 1, here.colIndex); }
    else if (event.key === "ArrowUp") { next = cellAt(here.rowIndex - 1, here.colIndex); }
    else if (event.key === "ArrowLeft" && atStart(input)) {
      next = cellAt(here.rowIndex, here.colIndex - 1);
    } else if (event.key === "ArrowRight" && atEnd(input)) {
      next = cellAt(here.rowIndex, here.colIndex + 1);
    } else if (event.key === "Escape") {
      input.value = input.dataset.saved || "";
      check(input);
      return;
    }
    if (next) {
      event.preventDefault();
      focusCell(next);
    }
  }

  // --- pasting a block from Excel --------------------------------------------------

  function onPaste(event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("cell")) { return; }
    var data = (event.clipboardData || window.clipboardData).getData("text");
    if (!data || (data.indexOf("\t") === -1 && data.indexOf("\n") === -1)) { return; }
    event.preventDefault();
    var lines = data.replace(/\r\n?/g, "\n").split("\n");
    if (lines.length > 1 && lines[lines.length - 1] === "") { lines.pop(); }
    var here = position(input);
    var filled = 0;
    lines.forEach(function (line, dr) {
      line.split("\t").forEach(function (value, dc) {
        var target = cellAt(here.rowIndex + dr, here.colIndex + dc);
        if (!target) { return; }
        target.value = value.trim();
        filled += 1;
        if (check(target)) { commit(target); }
      });
    });
    status(t("pasted").replace("%(n)s", String(filled)));
  }

  // --- saving ----------------------------------------------------------------------

  function csrf() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function commit(input) {
    if (input.value === input.dataset.saved) { return; }
    // Already refused as a conflict with this value: the teacher chooses in the box.
    if (input.classList.contains("conflict") && input.dataset.attempted === input.value) {
      return;
    }
    if (!check(input)) { return; }
    var row = input.closest("tr");
    input.classList.add("saving");
    input.classList.remove("saved");
    enqueue(function () { return send(input, row); });
  }

  function send(input, row, version) {
    var value = input.value;
    if (value === input.dataset.saved && version === undefined) {
      input.classList.remove("saving");
      return Promise.resolve();
    }
    // A save queued before an earlier one came back as a conflict for this same value
    // (Enter, then leaving the cell): the teacher decides in the conflict box instead.
    if (version === undefined && input.classList.contains("conflict") &&
        input.dataset.attempted === value) {
      input.classList.remove("saving");
      return Promise.resolve();
    }
    var body = new URLSearchParams();
    body.set("term", form.dataset.term);
    body.set("learner", row.dataset.learner);
    body.set("field", input.dataset.field);
    body.set("value", value);
    body.set("version", version === undefined ? row.dataset.version : String(version));
    if (reasonInput) { body.set("reason", reasonInput.value); }
    status(t("saving"));
    return fetch(form.dataset.cellUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return { ok: false }; }).then(function (data) {
        input.classList.remove("saving");
        if (response.ok && data.ok) { saved(input, row, value, data); }
        else if (response.status === 409 && data.conflict) { conflict(input, row, data); }
        else { failed(input, data); }
      });
    }).catch(function () {
      input.classList.remove("saving");
      failed(input, {});
    });
  }

  function saved(input, row, sentValue, data) {
    row.dataset.version = String(data.version);
    var hidden = row.querySelector("input[type=hidden]");
    if (hidden) { hidden.value = String(data.version); }
    input.dataset.saved = data.value;
    if (pending > 1) { status(t("saving") + " (" + (pending - 1) + ")"); }
    if (input.value === sentValue && document.activeElement !== input) { input.value = data.value; }
    else if (input.value === sentValue) { input.value = data.value; input.select(); }
    input.classList.remove("conflict");
    input.classList.add("saved");
    mark(input, "");
    showResult(row, "term", data.term_result);
    showResult(row, "year", data.year_result);
    if (pending <= 1) { status(t("saved")); }
  }

  function showResult(row, which, result) {
    var cell = row.querySelector("td.avg[data-result=" + which + "]");
    if (!cell || !result) { return; }
    if (cell.textContent !== result.text) {
      cell.textContent = result.text;
      cell.classList.add("updated");
      window.setTimeout(function () { cell.classList.remove("updated"); }, 1500);
    }
    cell.title = result.missing || "";
  }

  function failed(input, data) {
    var message = data.error || t("failed");
    mark(input, message);
    status(message, true);
    if (data.field === "reason" && reasonInput) { reasonInput.focus(); }
  }

  // --- conflicts: tell the teacher and show both values ----------------------------

  function conflict(input, row, data) {
    input.classList.add("conflict");
    input.dataset.attempted = input.value;
    conflictBox.hidden = false;
    var previous = conflictBox.querySelector('[data-cell="' + input.name + '"]');
    if (previous) { previous.remove(); }
    var item = document.createElement("div");
    item.className = "conflict-item";
    item.dataset.cell = input.name;
    var what = document.createElement("p");
    what.textContent = row.dataset.name + " – " + columnName(input) + ": " + data.error;
    var values = document.createElement("p");
    values.className = "values";
    values.textContent = t("theirs") + ": " + (data.stored || "∅") + " · " + t("yours") + ": " +
      (data.attempted || "∅");
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "button small";
    keep.textContent = t("keep") + " (" + (data.attempted || "∅") + ")";
    var take = document.createElement("button");
    take.type = "button";
    take.className = "button small secondary";
    take.textContent = t("take") + " (" + (data.stored || "∅") + ")";
    keep.addEventListener("click", function () {
      resolve(item);
      input.value = data.attempted;
      enqueue(function () { return send(input, row, data.version); });
    });
    take.addEventListener("click", function () {
      resolve(item);
      row.dataset.version = String(data.version);
      var hidden = row.querySelector("input[type=hidden]");
      if (hidden) { hidden.value = String(data.version); }
      input.value = data.stored;
      input.dataset.saved = data.stored;
      input.classList.remove("conflict");
      mark(input, "");
    });
    item.appendChild(what);
    item.appendChild(values);
    item.appendChild(keep);
    item.appendChild(take);
    conflictBox.appendChild(item);
    status(data.error, true);
  }

  function resolve(item) {
    item.remove();
    if (!conflictBox.querySelector(".conflict-item")) { conflictBox.hidden = true; }
  }

  function columnName(input) {
    var cell = input.closest("td");
    var index = Array.prototype.indexOf.call(cell.parentNode.children, cell);
    var head = grid.tHead.rows[0].children[index];
    return head ? head.textContent.trim() : input.dataset.field;
  }

  // --- start -----------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", function () {
    form = document.getElementById("gradebook");
    if (!form || form.dataset.editable !== "1" || !window.fetch) { return; }
    grid = form.querySelector("table.gradebook-grid");
    text = document.getElementById("gradebook-text");
    statusBox = document.getElementById("gradebook-status");
    conflictBox = document.getElementById("gradebook-conflicts");
    reasonInput = document.getElementById("gradebook-reason");
    kind = form.dataset.kind || "scored";
    form.classList.add("enhanced");
    grid.addEventListener("keydown", onKeydown);
    grid.addEventListener("paste", onPaste);
    grid.addEventListener("input", function (event) {
      if (event.target.classList.contains("cell")) { check(event.target); }
    });
    grid.addEventListener("change", function (event) {
      if (event.target.classList.contains("cell")) { commit(event.target); }
    });
    grid.addEventListener("focusin", function (event) {
      if (event.target.classList.contains("cell")) { event.target.select(); }
    });
    // Enter anywhere else in the form must not submit it either.
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  });
})();
