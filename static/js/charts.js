// Charts of the metrics, usage and dashboard pages, drawn with the bundled Chart.js (static/vendor/).
// The server renders the rows into a JSON blob (#chart-data, or the id in the canvas's
// data-source) and a table with the same figures; this file only draws: each
// <canvas data-chart="name"> gets builders[name] over its blob's rows.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;
  var rows = [];
  var css = getComputedStyle(document.documentElement);

  function color(name, fallback) {
    return css.getPropertyValue(name).trim() || fallback;
  }

  function pick(key) {
    return rows.map(function (row) { return row[key]; });
  }

  function seconds(key) {
    return rows.map(function (row) { return row[key] === null ? null : row[key] / 1000; });
  }

  var palette = {
    ok: color("--ok-bar", "#37b24d"),
    bad: color("--bad-bar", "#f03e3e"),
    other: color("--other-bar", "#adb5bd"),
    accent: color("--accent", "#3b5bdb"),
    warn: color("--warn", "#e67700"),
    muted: color("--muted", "#5f6b7a"),
  };

  // Motion only for those who have not asked the system for less of it.
  var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function options(extra) {
    var base = {
      responsive: true,
      maintainAspectRatio: false,
      animation: still ? false : { duration: 250 },
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      scales: { x: { ticks: { autoSkip: true, maxRotation: 0 } } },
    };
    return Object.assign(base, extra || {});
  }

  function line(label, data, tint, dashed) {
    return {
      type: "line", label: label, data: data, borderColor: tint, backgroundColor: tint,
      borderDash: dashed ? [6, 4] : [], spanGaps: true, pointRadius: rows.length > 40 ? 0 : 2, tension: 0.2,
    };
  }

  var builders = {
    runs: function () {
      return {
        type: "bar",
        data: {
          labels: pick("label"),
          datasets: [
            { label: "Succeeded", data: pick("succeeded"), backgroundColor: palette.ok },
            { label: "Failed", data: pick("failed"), backgroundColor: palette.bad },
            { label: "Stuck", data: pick("stuck"), backgroundColor: palette.warn },
            { label: "Recovering", data: pick("recovering"), backgroundColor: palette.accent },
            { label: "Cancelled or in flight", data: pick("other"), backgroundColor: palette.other },
          ],
        },
        options: options({
          scales: { x: { stacked: true, ticks: { maxRotation: 0 } }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        }),
      };
    },
    "success-rate": function () {
      return {
        type: "line",
        data: { labels: pick("label"), datasets: [line("Success rate (%)", pick("success_rate"), palette.ok)] },
        options: options({ scales: { x: { ticks: { maxRotation: 0 } }, y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } } }),
      };
    },
    duration: function () {
      return {
        type: "line",
        data: {
          labels: pick("label"),
          datasets: [line("p95 (s)", seconds("p95_ms"), palette.warn), line("Average (s)", seconds("average_ms"), palette.accent, true)],
        },
        options: options({ scales: { x: { ticks: { maxRotation: 0 } }, y: { beginAtZero: true, title: { display: true, text: "seconds" } } } }),
      };
    },
    usage: function () {
      var tokens = line("AI tokens", pick("ai_tokens"), palette.warn);
      tokens.yAxisID = "tokens";
      return {
        type: "bar",
        data: {
          labels: pick("label"),
          datasets: [
            { label: "API calls", data: pick("api_calls"), backgroundColor: palette.accent },
            { label: "Executions", data: pick("executions"), backgroundColor: palette.ok },
            { label: "Steps", data: pick("steps"), backgroundColor: palette.other },
            tokens,
          ],
        },
        options: options({
          scales: {
            x: { ticks: { maxRotation: 0 } },
            y: { beginAtZero: true, ticks: { precision: 0 } },
            // Tokens run to thousands while calls stay in tens: their own axis keeps both readable.
            tokens: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: "AI tokens" } },
          },
        }),
      };
    },
    "ai-by-model": function () {
      return tokensBars("model", {});
    },
    "ai-by-workflow": function () {
      // Workflow names are long: bars run sideways, one per line.
      return tokensBars("workflow_name", { indexAxis: "y" });
    },
    chat: function () {
      return {
        type: "bar",
        data: {
          labels: pick("label"),
          datasets: [
            { label: "Messages in", data: pick("messages_in"), backgroundColor: palette.accent },
            { label: "Messages out", data: pick("messages_out"), backgroundColor: palette.other },
            line("Conversations started", pick("conversations"), palette.warn),
          ],
        },
        options: options({ scales: { x: { ticks: { maxRotation: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } } }),
      };
    },
    "tile-bar": function () {
      return { type: "bar", data: { labels: pick("label"), datasets: [{ label: tileName(), data: pick("value"), backgroundColor: palette.accent }] },
        options: options({ plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }) };
    },
    "tile-line": function () {
      return { type: "line", data: { labels: pick("label"), datasets: [line(tileName(), pick("value"), palette.accent)] },
        options: options({ plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }) };
    },
  };

  var current = null;
  function tileName() {
    return current ? current.getAttribute("aria-label") || "" : "";
  }

  function tokensBars(labelKey, extra) {
    var sideways = extra.indexAxis === "y";
    var scales = {};
    scales[sideways ? "y" : "x"] = { stacked: true, ticks: { autoSkip: false } };
    scales[sideways ? "x" : "y"] = { stacked: true, beginAtZero: true, title: { display: true, text: "tokens" } };
    return {
      type: "bar",
      data: {
        labels: pick(labelKey),
        datasets: [
          { label: "Input tokens", data: pick("input_tokens"), backgroundColor: palette.accent },
          { label: "Output tokens", data: pick("output_tokens"), backgroundColor: palette.warn },
        ],
      },
      options: options(Object.assign({ scales: scales }, extra)),
    };
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var build = builders[canvas.dataset.chart];
    var blob = document.getElementById(canvas.dataset.source || "chart-data");
    if (!build || !blob) return;
    rows = JSON.parse(blob.textContent);
    current = canvas;
    new window.Chart(canvas, build());
  });
})();
