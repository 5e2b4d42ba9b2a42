/* The version page, enhanced: the diff toggle, the paragraph filter, checks
   without a reload, and a second thought before approving unchecked text.
   Everything here also works without this file (plain forms and links). */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function choice(page, name, attribute) {
    var stored = null;
    try { stored = window.localStorage.getItem("reviews." + name); } catch (e) { /* private mode */ }
    page.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
      if (stored && input.value === stored) { input.checked = true; page.setAttribute(attribute, stored); }
      input.addEventListener("change", function () {
        page.setAttribute(attribute, input.value);
        try { window.localStorage.setItem("reviews." + name, input.value); } catch (e) { /* ignore */ }
      });
    });
  }

  function updateCount(page, count) {
    page.querySelectorAll(".review-checked-count").forEach(function (node) { node.textContent = String(count); });
    var unchecked = page.querySelectorAll(".review-unit").length - count;
    var approve = page.querySelector(".review-approve");
    if (approve) { approve.setAttribute("data-unchecked", String(unchecked)); }
    page.querySelectorAll(".review-unchecked-count").forEach(function (node) { node.textContent = String(unchecked); });
  }

  function enhanceCheck(page, form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      var field = form.querySelector('input[name="checked"]');
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (!result.ok) { window.alert(result.data.error || "Error"); return; }
        var unit = form.closest(".review-unit");
        var checked = result.data.checked;
        unit.classList.toggle("is-checked", checked);
        field.value = checked ? "0" : "1";
        button.setAttribute("aria-pressed", checked ? "true" : "false");
        button.textContent = checked ? page.dataset.labelChecked : page.dataset.labelCheck;
        updateCount(page, result.data.count);
      }).catch(function () {
        form.submit();  // fall back to the plain form
      }).finally(function () {
        button.disabled = false;
      });
    });
  }

  ready(function () {
    var page = document.querySelector(".review");
    if (!page) { return; }
    var toolbar = page.querySelector(".review-toolbar");
    if (toolbar) { toolbar.hidden = false; }
    choice(page, "review-diff", "data-diff");
    choice(page, "review-filter", "data-filter");
    page.querySelectorAll(".review-check-form").forEach(function (form) { enhanceCheck(page, form); });
    var approve = page.querySelector(".review-approve");
    if (approve) {
      approve.addEventListener("click", function (event) {
        var unchecked = parseInt(approve.getAttribute("data-unchecked") || "0", 10);
        if (unchecked > 0 && !window.confirm(approve.getAttribute("data-confirm").replace("%(n)s", unchecked))) {
          event.preventDefault();
        }
      });
    }
  });
})();
