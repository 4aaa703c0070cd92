// Refresh an import job's progress bar; reload the page when the job has finished.
// Without JavaScript the page refreshes itself (a meta refresh in <noscript>).
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector("progress");
  var status = box.querySelector("[data-progress-status]");
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.running) { window.location.reload(); return; }
        if (status) { status.textContent = data.status_label; }
        if (bar && data.rows_total && data.status !== "writing") {
          bar.max = data.rows_total;
          bar.value = data.rows_done;
          bar.textContent = data.percent + "%";
        }
        window.setTimeout(tick, 2000);
      })
      .catch(function () { window.setTimeout(tick, 5000); });
  }
  window.setTimeout(tick, 1000);
})();
