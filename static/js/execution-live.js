// Live refresh of an execution page: poll the run's status once a second and reload the
// page when it changes, so the timeline and chart are always rendered by the server.
(function () {
  "use strict";
  var root = document.getElementById("execution");
  if (!root || root.dataset.live !== "true") return;
  var url = root.dataset.statusUrl;
  var seen = null;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return schedule();
        if (seen !== null && state.signature !== seen) return window.location.reload();
        seen = state.signature;
        // A run that finished between render and first poll still needs its final page.
        if (state.terminal) return window.location.reload();
        schedule();
      })
      .catch(schedule);
  }

  function schedule() { window.setTimeout(poll, 1000); }
  schedule();
})();
