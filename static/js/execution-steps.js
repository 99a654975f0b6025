// "Load more steps" on an execution page: the server renders the first steps of a large run;
// this fetches the next pages from GET /api/v1/executions/{id}/steps?cursor= (session auth)
// and appends them to the timeline, large values as previews with a link to the whole value.
(function () {
  "use strict";
  var button = document.getElementById("load-more-steps");
  if (!button) return;
  var list = document.querySelector("ol.timeline");
  var namesNode = document.getElementById("step-names");
  var names = namesNode ? JSON.parse(namesNode.textContent) : {};
  var remaining = button.querySelector("[data-remaining]");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return "—";
    if (ms < 1000) return ms + " ms";
    if (ms < 60000) return (ms / 1000).toFixed(1) + " s";
    return Math.floor(ms / 60000) + " min " + Math.floor((ms % 60000) / 1000) + " s";
  }

  function valueBlock(label, value) {
    var details = el("details");
    details.appendChild(el("summary", "", label));
    var cut = value && typeof value === "object" && value.$truncated;
    details.appendChild(el("pre", "json", cut ? cut.preview + "…" : JSON.stringify(value, null, 2)));
    if (cut) {
      var note = el("p", "muted small", "Shortened: " + cut.bytes + " bytes in all. ");
      var link = el("a", "", "The whole " + label.toLowerCase() + " (JSON)");
      link.href = cut.url;
      note.appendChild(link);
      details.appendChild(note);
    }
    return details;
  }

  function row(step) {
    var item = el("li", "step status-" + step.status);
    item.dataset.stepKey = step.step_key;
    var head = el("div", "step-head");
    var dot = el("span", "step-dot");
    dot.setAttribute("aria-hidden", "true");
    head.appendChild(dot);
    head.appendChild(el("strong", "", names[step.node_id] || step.node_id));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("code", "muted", step.type));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("span", "status-pill status-" + step.status, step.status));
    if (step.attempt > 1) head.appendChild(el("span", "muted", "attempt " + step.attempt));
    if (step.output_port && step.output_port !== "out") head.appendChild(el("span", "port", "→ " + step.output_port));
    head.appendChild(el("span", "step-time muted", duration(step.duration_ms)));
    item.appendChild(head);
    item.appendChild(valueBlock("Input", step.input));
    item.appendChild(valueBlock("Output", step.output));
    if (step.error) {
      var error = el("details");
      error.open = true;
      error.appendChild(el("summary", "", "Error"));
      error.appendChild(el("pre", "json error", JSON.stringify(step.error, null, 2)));
      item.appendChild(error);
    }
    return item;
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    var url = button.dataset.url + "?limit=100&cursor=" + encodeURIComponent(button.dataset.cursor);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (answer) {
        answer.data.forEach(function (step) { list.appendChild(row(step)); });
        var left = Math.max(Number(remaining.textContent) - answer.data.length, 0);
        remaining.textContent = String(left);
        if (answer.meta.has_more && answer.meta.next_cursor) {
          button.dataset.cursor = answer.meta.next_cursor;
          button.disabled = false;
        } else {
          button.parentNode.removeChild(button);
        }
      })
      .catch(function () {
        button.disabled = false;
        var note = document.getElementById("load-more-error") || el("span", "muted", "");
        note.id = "load-more-error";
        note.setAttribute("role", "status");
        note.textContent = " Couldn't load the steps: try again.";
        button.parentNode.appendChild(note);
      });
  });
})();
