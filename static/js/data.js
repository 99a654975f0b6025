// The Data pages (templates/datasets/): the query console (table and chart of one read-only
// SELECT), the upload flow (a real progress bar, the preview with a type per column, saving)
// and a dataset's replace/append. Everything goes through the public API with the session's
// CSRF token; errors are the API envelope's message, shown in the page.
(function (root) {
  "use strict";

  // --- Pure helpers (tested in frontend/tests/dataPage.test.ts) -------------------------------

  // The envelope's message, or a plain sentence for an answer that is not JSON (a proxy's 502,
  // a lost connection).
  function errorMessage(status, body) {
    if (body && body.error && body.error.message) return body.error.message;
    if (status === 413) return "The file is larger than the upload limit.";
    if (status === 0) return "The server could not be reached; check your connection and try again.";
    return "The server answered " + status + " without an explanation; try again.";
  }

  function parseJson(text) {
    try {
      return JSON.parse(text);
    } catch (_error) {
      return null;
    }
  }

  function isNumber(value) {
    if (typeof value === "number") return isFinite(value);
    return typeof value === "string" && value.trim() !== "" && isFinite(Number(value));
  }

  // The first column whose every non-null value is a number (decimals arrive as strings),
  // other than `skip`; -1 when there is none.
  function numericColumn(columns, rows, skip) {
    for (var index = 0; index < columns.length; index += 1) {
      if (index === skip) continue;
      var seen = false;
      var numeric = rows.every(function (row) {
        var value = row[index];
        if (value === null || value === undefined) return true;
        seen = true;
        return isNumber(value);
      });
      if (numeric && seen) return index;
    }
    return -1;
  }

  // Labels and values for the chart: one point per row; a value that is not a number is a gap
  // (null), counted in `skipped` so the page can say so.
  function chartPoints(rows, labelIndex, valueIndex) {
    var labels = [];
    var values = [];
    var skipped = 0;
    rows.forEach(function (row) {
      var label = row[labelIndex];
      labels.push(label === null || label === undefined ? "(empty)" : String(label));
      var value = row[valueIndex];
      if (isNumber(value)) {
        values.push(Number(value));
      } else {
        values.push(null);
        skipped += 1;
      }
    });
    return { labels: labels, values: values, skipped: skipped };
  }

  function plural(count, one, many) {
    return count.toLocaleString("en-US") + " " + (count === 1 ? one : many);
  }

  function summary(data) {
    var text = plural(data.row_count, "row", "rows") + " in " + formatMs(data.elapsed_ms);
    if (data.truncated) text += " (first rows only: the connection's row limit cut the rest)";
    return text;
  }

  function formatMs(ms) {
    if (ms >= 1000) return (ms / 1000).toFixed(2) + " s";
    return Math.round(ms) + " ms";
  }

  function cellText(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  var helpers = {
    errorMessage: errorMessage,
    numericColumn: numericColumn,
    chartPoints: chartPoints,
    summary: summary,
    formatMs: formatMs,
    cellText: cellText,
    parseJson: parseJson,
  };
  if (typeof module === "object" && module.exports) {
    module.exports = helpers;
    return;
  }
  root.FlowbuilderData = helpers;

  // --- The page -------------------------------------------------------------------------------

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    return node;
  }

  // One request through the API with the session: JSON or FormData, upload progress optional.
  function request(method, url, options) {
    options = options || {};
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", options.csrf || "");
      if (options.project) xhr.setRequestHeader("X-Project-Id", options.project);
      var body = options.body;
      if (body && !(body instanceof FormData)) {
        xhr.setRequestHeader("Content-Type", "application/json");
        body = JSON.stringify(body);
      }
      if (options.onProgress && xhr.upload) {
        xhr.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable) options.onProgress(event.loaded, event.total);
        });
      }
      xhr.addEventListener("load", function () {
        var parsed = parseJson(xhr.responseText);
        var ok = xhr.status >= 200 && xhr.status < 300 && parsed && parsed.success !== false;
        resolve({ ok: ok, status: xhr.status, body: parsed, message: ok ? "" : errorMessage(xhr.status, parsed) });
      });
      xhr.addEventListener("error", function () {
        resolve({ ok: false, status: 0, body: null, message: errorMessage(0, null) });
      });
      xhr.send(body || null);
    });
  }
  root.FlowbuilderData.request = request;

  function setupConsole(form) {
    var result = document.getElementById("console-result");
    var summaryLine = result.querySelector("[data-result-summary]");
    var errorLine = result.querySelector("[data-result-error]");
    var bodyBox = result.querySelector("[data-result-body]");
    var table = result.querySelector("[data-result-table]");
    var kind = document.getElementById("chart-kind");
    var labelSelect = document.getElementById("chart-label");
    var valueSelect = document.getElementById("chart-value");
    var note = result.querySelector("[data-chart-note]");
    var canvas = document.getElementById("console-chart");
    var sql = document.getElementById("console-sql");
    var runButton = form.querySelector("[data-action=run]");
    var current = null;
    var chart = null;

    function showView(name) {
      result.querySelectorAll("[data-view]").forEach(function (box) {
        box.hidden = box.dataset.view !== name;
      });
      if (name === "chart") draw();
    }

    function renderTable(data) {
      var head = table.querySelector("thead");
      var body = table.querySelector("tbody");
      head.textContent = "";
      body.textContent = "";
      var row = el("tr");
      data.columns.forEach(function (column) {
        row.appendChild(el("th", column.name, { scope: "col", title: column.type }));
      });
      head.appendChild(row);
      data.rows.forEach(function (values) {
        var line = el("tr");
        values.forEach(function (value) {
          line.appendChild(el("td", cellText(value), isNumber(value) ? { class: "num" } : {}));
        });
        body.appendChild(line);
      });
    }

    function fillColumns(data) {
      [labelSelect, valueSelect].forEach(function (select) {
        select.textContent = "";
        data.columns.forEach(function (column, index) {
          select.appendChild(el("option", column.name, { value: String(index) }));
        });
      });
      // Labels from the first column, values from the first numeric one after it (or the first
      // numeric one at all, labels then from the second column); the person can change both.
      var last = data.columns.length - 1;
      var value = numericColumn(data.columns, data.rows, 0);
      if (value === -1) value = numericColumn(data.columns, data.rows, -1);
      labelSelect.value = String(value === 0 ? Math.min(1, last) : 0);
      valueSelect.value = String(value === -1 ? Math.min(1, last) : value);
    }

    function draw() {
      if (!current || typeof window.Chart === "undefined") return;
      var points = chartPoints(current.rows, Number(labelSelect.value), Number(valueSelect.value));
      var valueName = current.columns[Number(valueSelect.value)].name;
      var labelName = current.columns[Number(labelSelect.value)].name;
      note.hidden = points.skipped === 0;
      note.textContent = points.skipped
        ? plural(points.skipped, "value", "values") + " of " + valueName + " are not numbers and are left out."
        : "";
      canvas.setAttribute("aria-label", "A " + kind.value + " chart of " + valueName + " per " + labelName);
      if (chart) chart.destroy();
      var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      chart = new window.Chart(canvas, {
        type: kind.value,
        data: { labels: points.labels, datasets: [{ label: valueName, data: points.values, backgroundColor: "#3b5bdb", borderColor: "#3b5bdb", spanGaps: true }] },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: still ? false : { duration: 250 },
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, title: { display: true, text: valueName } }, x: { title: { display: true, text: labelName } } },
        },
      });
    }

    function run() {
      if (!runButton) return;
      var url = form.dataset.api.replace("CONNECTION", encodeURIComponent(form.elements.connection.value));
      runButton.disabled = true;
      runButton.textContent = "Running…";
      request("POST", url, { csrf: form.dataset.csrf, project: form.dataset.project, body: { sql: sql.value, rows_as: "arrays" } })
        .then(function (answer) {
          result.hidden = false;
          errorLine.hidden = answer.ok;
          bodyBox.hidden = !answer.ok;
          if (!answer.ok) {
            errorLine.textContent = answer.message;
            summaryLine.textContent = "The query did not run.";
            return;
          }
          current = answer.body.data;
          summaryLine.textContent = summary(current);
          renderTable(current);
          fillColumns(current);
          var view = result.querySelector("input[name=view]:checked").value;
          showView(view);
        })
        .finally(function () {
          runButton.disabled = false;
          runButton.textContent = "Run";
        });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run();
    });
    sql.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        run();
      }
    });
    result.querySelectorAll("input[name=view]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        showView(radio.value);
      });
    });
    [kind, labelSelect, valueSelect].forEach(function (select) {
      select.addEventListener("change", draw);
    });
  }

  var TYPES = ["integer", "decimal", "boolean", "date", "timestamp", "text"];
  var DELIMITER_NAMES = { ",": "comma", ";": "semicolon", "\t": "tab" };

  // The progress bar of one upload: the bytes sent, then "Reading the file…" while the server works.
  function progressBar(box) {
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    return {
      start: function () {
        box.hidden = false;
        bar.value = 0;
        text.textContent = "0 %";
      },
      update: function (loaded, total) {
        var percent = total ? Math.floor((loaded / total) * 100) : 0;
        bar.value = percent;
        text.textContent = percent >= 100 ? "Reading the file…" : percent + " %";
      },
      done: function (message) {
        bar.value = 100;
        text.textContent = message;
      },
    };
  }

  function showError(node, message) {
    node.hidden = !message;
    node.textContent = message || "";
  }

  function typeSelect(column) {
    var select = el("select", null, { "aria-label": "Type of " + column.label, "data-column": column.name });
    TYPES.forEach(function (type) {
      var option = el("option", type, { value: type });
      if (type === column.type) option.selected = true;
      select.appendChild(option);
    });
    return select;
  }

  function previewSummary(preview) {
    var format = preview.source_format === "xlsx" ? "Excel workbook" : "CSV";
    var text = plural(preview.row_count, "row", "rows") + " · " + plural(preview.columns.length, "column", "columns") + " · " + format;
    if (preview.delimiter) text += ", " + (DELIMITER_NAMES[preview.delimiter] || preview.delimiter) + " separated";
    return text;
  }

  function setupUpload(form) {
    var page = form.closest("main");
    var options = { csrf: form.dataset.csrf, project: form.dataset.project };
    var progress = progressBar(page.querySelector("[data-progress]"));
    var uploadError = page.querySelector("[data-upload-error]");
    var previewBox = page.querySelector("[data-preview]");
    var saveError = page.querySelector("[data-save-error]");
    var delimiterBox = page.querySelector("[data-delimiter-box]");
    var delimiter = document.getElementById("upload-delimiter");
    var table = page.querySelector("[data-preview-table]");
    var saveButton = page.querySelector("[data-action=save]");
    var uploadButton = form.querySelector("[data-action=upload]");
    var file = null;

    function body(extra) {
      var data = new FormData();
      data.append("file", file);
      var chosen = delimiterBox.hidden ? "" : delimiter.value;
      if (chosen) data.append("delimiter", chosen === "tab" ? "\t" : chosen);
      Object.keys(extra || {}).forEach(function (key) {
        data.append(key, extra[key]);
      });
      return data;
    }

    function renderPreview(preview) {
      page.querySelector("[data-preview-summary]").textContent = previewSummary(preview);
      var note = page.querySelector("[data-preview-note]");
      note.hidden = !preview.notes.length;
      note.textContent = preview.notes.join(" ");
      delimiterBox.hidden = preview.source_format === "xlsx";
      if (preview.delimiter) delimiter.value = preview.delimiter === "\t" ? "tab" : preview.delimiter;
      var head = table.querySelector("thead");
      var rows = table.querySelector("tbody");
      head.textContent = "";
      rows.textContent = "";
      var line = el("tr");
      preview.columns.forEach(function (column) {
        var cell = el("th", null, { scope: "col" });
        cell.appendChild(el("span", column.label, { class: "column-label" }));
        if (column.name !== column.label) cell.appendChild(el("small", column.name));
        cell.appendChild(typeSelect(column));
        line.appendChild(cell);
      });
      head.appendChild(line);
      preview.rows.forEach(function (row) {
        var tr = el("tr");
        preview.columns.forEach(function (column) {
          tr.appendChild(el("td", cellText(row[column.name])));
        });
        rows.appendChild(tr);
      });
      previewBox.hidden = false;
      showError(saveError, "");
    }

    function runPreview() {
      showError(uploadError, "");
      progress.start();
      uploadButton.disabled = true;
      return request("POST", form.dataset.previewUrl, Object.assign({ body: body(), onProgress: progress.update }, options))
        .then(function (answer) {
          uploadButton.disabled = false;
          if (!answer.ok) {
            progress.done("Not imported");
            previewBox.hidden = true;
            showError(uploadError, answer.message);
            return;
          }
          progress.done("Uploaded");
          renderPreview(answer.body.data);
        });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      file = form.elements.file.files[0] || null;
      if (!form.elements.name.value.trim()) return showError(uploadError, "Give the dataset a name.");
      if (!file) return showError(uploadError, "Choose a CSV or Excel file.");
      delimiterBox.hidden = true;  // detected again for a new file
      runPreview();
    });
    delimiter.addEventListener("change", function () {
      if (file) runPreview();
    });
    saveButton.addEventListener("click", function () {
      var types = {};
      table.querySelectorAll("select[data-column]").forEach(function (select) {
        types[select.dataset.column] = select.value;
      });
      showError(saveError, "");
      progress.start();
      saveButton.disabled = true;
      var data = body({ name: form.elements.name.value.trim(), types: JSON.stringify(types) });
      request("POST", form.dataset.createUrl, Object.assign({ body: data, onProgress: progress.update }, options))
        .then(function (answer) {
          saveButton.disabled = false;
          if (!answer.ok) {
            progress.done("Not saved");
            showError(saveError, answer.message);
            return;
          }
          progress.done("Saved");
          window.location.assign(form.dataset.doneUrl.replace("DATASET", answer.body.data.id));
        });
    });
  }

  // Replace or append on a dataset's page: the file goes up with a progress bar, the page reloads.
  function setupFileAction(form) {
    var options = { csrf: form.dataset.csrf, project: form.dataset.project };
    var progress = progressBar(form.querySelector("[data-progress]"));
    var error = form.querySelector("[data-upload-error]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = form.elements.file.files[0];
      if (!chosen) return showError(error, "Choose a CSV or Excel file.");
      var data = new FormData();
      data.append("file", chosen);
      showError(error, "");
      progress.start();
      request("POST", form.action, Object.assign({ body: data, onProgress: progress.update }, options)).then(function (answer) {
        if (!answer.ok) {
          progress.done("Nothing changed");
          showError(error, answer.message);
          return;
        }
        progress.done("Done");
        window.location.reload();
      });
    });
  }

  document.querySelectorAll("form[data-upload]").forEach(setupUpload);
  document.querySelectorAll("form[data-file-action]").forEach(setupFileAction);
  document.querySelectorAll("form[data-console]").forEach(setupConsole);
})(this);
