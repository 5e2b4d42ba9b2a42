// Polls a pre-translation's progress (JSON) while it waits or runs, shows the
// counts, and reloads the page once it has finished so the new text shows.
(function () {
  "use strict";
  function poll(box) {
    var url = box.getAttribute("data-progress-url");
    if (!url) return;
    function set(name, value) {
      var el = box.querySelector("[data-pt-" + name + "]");
      if (el && value !== undefined) el.textContent = value;
    }
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { window.setTimeout(tick, 5000); return; }
          set("state", data.state_label);
          set("done", data.done);
          set("total", data.total);
          var bar = box.querySelector("[data-pt-bar]");
          if (bar) bar.value = data.percent;
          if (data.active) window.setTimeout(tick, 2000);
          else window.location.reload();
        })
        .catch(function () { window.setTimeout(tick, 5000); });
    }
    window.setTimeout(tick, 1000);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-pretranslation][data-progress-url]").forEach(poll);
  });
})();
