/* The side-by-side editor's enhancements. The page works without them: the
 * server saves only rows whose text differs from what was loaded. With them:
 * text areas grow with their text; a warning before leaving with unsaved
 * changes; Ctrl/Cmd+S saves; Alt+N (and the toolbar button) jumps to the next
 * row that needs work; Alt+Down/Up move between rows; "Split at cursor" on
 * the source edition; unchanged rows are left out of the post; and text
 * typed but not saved is kept in the browser's storage (see initDrafts).
 * No inline handlers (the admin runs under a Content-Security-Policy). */
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("editor-form");
    if (!form) {
      return;
    }
    var areas = Array.prototype.slice.call(form.querySelectorAll("textarea.editor-text"));
    var dirtyNote = form.querySelector("[data-editor-unsaved]");
    var keysNote = form.querySelector("[data-editor-keys]");
    var saveButton = form.querySelector("[data-editor-save]");
    var submitting = false;

    if (keysNote) {
      keysNote.hidden = false;
    }

    function rowOf(element) {
      return element.closest(".editor-row");
    }

    function isDirty(area) {
      if (area.dataset.pending === "1" || area.value !== area.defaultValue) {
        return true;
      }
      var confirm = rowOf(area).querySelector('input[name^="confirm-"]');
      return Boolean(confirm && confirm.checked);
    }

    function anyDirty() {
      return areas.some(isDirty);
    }

    function showDirty() {
      var dirty = anyDirty();
      if (dirtyNote) {
        dirtyNote.hidden = !dirty;
      }
      document.body.dataset.editorDirty = dirty ? "1" : "0";
    }

    /* Grow every text area to its content in two passes (all reads, then all
     * writes), so a 300-row page lays out twice, not 300 times. */
    function growAll(list) {
      list.forEach(function (area) { area.style.height = "auto"; });
      var heights = list.map(function (area) { return area.scrollHeight; });
      list.forEach(function (area, index) { area.style.height = heights[index] + 2 + "px"; });
    }

    growAll(areas);
    showDirty();
    var drafts = initDrafts(form, areas, rowOf);

    form.addEventListener("input", function (event) {
      if (event.target.matches("textarea.editor-text")) {
        drafts.keep(event.target);
        growAll([event.target]);
        rowOf(event.target).classList.toggle("is-dirty", isDirty(event.target));
      }
      showDirty();
    });
    form.addEventListener("change", showDirty);

    window.addEventListener("beforeunload", function (event) {
      if (!submitting && anyDirty()) {
        event.preventDefault();
        event.returnValue = form.dataset.confirmLeave || "";
        return event.returnValue;
      }
      return undefined;
    });

    /* Post only the rows that changed; the server copes with either. */
    form.addEventListener("submit", function () {
      submitting = true;
      // Kept until a page shows it saved: this post may fail or be refused.
      areas.forEach(drafts.keep);
      areas.forEach(function (area) {
        if (!isDirty(area) && !area.readOnly) {
          area.disabled = true;
        }
      });
    });
    /* Coming back through the history shows the page as it was left. */
    window.addEventListener("pageshow", function () {
      submitting = false;
      areas.forEach(function (area) { area.disabled = false; });
      showDirty();
    });

    function save() {
      if (!saveButton) {
        return;
      }
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit(saveButton);
      } else {
        saveButton.click();
      }
    }

    function focusRow(row) {
      if (!row) {
        return false;
      }
      var area = row.querySelector("textarea.editor-text");
      row.scrollIntoView({block: "center"});
      if (area) {
        area.focus({preventScroll: true});
      }
      return true;
    }

    function currentRow() {
      return document.activeElement ? rowOf(document.activeElement) : null;
    }

    function nextOpen() {
      var rows = Array.prototype.slice.call(form.querySelectorAll(".editor-row"));
      var start = rows.indexOf(currentRow());
      for (var step = 1; step <= rows.length; step += 1) {
        var row = rows[(start + step + rows.length) % rows.length];
        if (row.dataset.status !== "translated") {
          return row;
        }
      }
      return null;
    }

    var nextLink = form.querySelector("[data-editor-next]");
    if (nextLink) {
      nextLink.addEventListener("click", function (event) {
        if (focusRow(nextOpen())) {
          event.preventDefault();
        }
      });
    }

    document.addEventListener("keydown", function (event) {
      var key = event.key;
      if ((event.ctrlKey || event.metaKey) && !event.altKey && (key === "s" || key === "S")) {
        event.preventDefault();
        save();
        return;
      }
      if (event.altKey && !event.ctrlKey && !event.metaKey) {
        if (key === "n" || key === "N" || event.code === "KeyN") {
          event.preventDefault();
          focusRow(nextOpen());
        } else if (key === "ArrowDown" || key === "ArrowUp") {
          var row = currentRow();
          if (row) {
            event.preventDefault();
            var sibling = key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
            while (sibling && !sibling.classList.contains("editor-row")) {
              sibling = key === "ArrowDown" ? sibling.nextElementSibling : sibling.previousElementSibling;
            }
            focusRow(sibling);
          }
        }
      }
    });

    /* Split at cursor: put the "---" line the server splits at where the
     * cursor is, and save. Without a script, the writer types that line. */
    form.querySelectorAll("[data-editor-split]").forEach(function (button) {
      var area = rowOf(button).querySelector("textarea.editor-text");
      if (!area || area.readOnly) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var at = area.selectionStart || 0;
        if (at <= 0 || at >= area.value.length) {
          area.focus();
          return;
        }
        area.value = area.value.slice(0, at) + "\n---\n" + area.value.slice(at);
        save();
      });
    });
  }

  /* Text typed but not saved is kept in localStorage under
   * "tilmash:draft:<edition>:<row key>:<revision the row was loaded at>", from
   * the first keystroke (and again when the form is posted) until a page
   * loads showing that text as the row's saved text. So a save that fails
   * (the server or its database down) or is refused loses nothing: the text
   * stays in the page, and after a reload the editor offers it back. Text
   * kept for the revision the row is at now can be restored into the row
   * (it is posted with that revision, so the server still sees a conflict
   * with anyone who saved since); text typed on an older revision is only
   * shown, to copy from, since the paragraph has changed since. */
  function initDrafts(form, areas, rowOf) {
    var none = {keep: function () {}};
    var edition = form.dataset.edition;
    var storage = null;
    try {
      storage = window.localStorage;
      storage.getItem("tilmash:draft");
    } catch (error) {
      storage = null;
    }
    if (!edition || !storage) {
      return none;
    }
    var prefix = "tilmash:draft:" + edition + ":";
    var revisions = {};
    var manifest = form.querySelector('input[name="manifest"]');
    (manifest ? manifest.value : "").split("|").forEach(function (entry) {
      var parts = entry.split(":");
      if (parts.length >= 2) {
        revisions[parts[0]] = parts[1];
      }
    });
    var byKey = {};
    areas.forEach(function (area) {
      byKey[area.name.slice("text-".length)] = area;
    });

    function storageKey(area) {
      var key = area.name.slice("text-".length);
      return prefix + key + ":" + (revisions[key] || "0");
    }

    function keep(area) {
      if (area.readOnly) {
        return;
      }
      try {
        if (area.value !== area.defaultValue || area.dataset.pending === "1") {
          storage.setItem(storageKey(area), JSON.stringify({text: area.value, at: Date.now()}));
        } else {
          storage.removeItem(storageKey(area));
        }
      } catch (error) {
        /* Storage full or refused: the page still holds the text. */
      }
    }

    /* Equal as the server keeps text (line ends as \n, ends trimmed). */
    function same(one, other) {
      return one.replace(/\r\n/g, "\n").trim() === other.replace(/\r\n/g, "\n").trim();
    }

    var current = [];
    var older = [];
    for (var index = storage.length - 1; index >= 0; index -= 1) {
      var name = storage.key(index);
      if (!name || name.indexOf(prefix) !== 0) {
        continue;
      }
      var rest = name.slice(prefix.length);
      var cut = rest.lastIndexOf(":");
      var area = byKey[rest.slice(0, cut)];
      if (!area) {
        continue; /* a row on another page of the editor */
      }
      var draft = null;
      try {
        draft = JSON.parse(storage.getItem(name));
      } catch (error) {
        draft = null;
      }
      if (!draft || typeof draft.text !== "string") {
        storage.removeItem(name);
      } else if (same(draft.text, area.defaultValue) && area.dataset.pending !== "1") {
        storage.removeItem(name); /* saved: the page shows it as the row's text */
      } else if (draft.text === area.value) {
        /* Unsaved, and in the page already (the browser kept the form's state
         * on going back, or the server showed a refused save): kept, not offered. */
      } else if (rest.slice(cut + 1) === (revisions[rest.slice(0, cut)] || "0")) {
        current.push({name: name, area: area, text: draft.text});
      } else {
        older.push({name: name, area: area, text: draft.text});
      }
    }
    /* A refused save shows the posted text again, not yet saved: keep it too. */
    areas.forEach(function (area) {
      if (area.dataset.pending === "1") {
        keep(area);
      }
    });

    var box = form.querySelector("[data-editor-drafts]");
    if (box && (current.length || older.length)) {
      var restore = box.querySelector("[data-editor-drafts-restore]");
      var discard = box.querySelector("[data-editor-drafts-discard]");
      var olderBox = box.querySelector("[data-editor-drafts-older]");
      if (current.length) {
        box.querySelector("[data-editor-drafts-current]").hidden = false;
        restore.hidden = false;
      }
      older.forEach(function (offer) {
        var label = rowOf(offer.area).querySelector(".editor-label");
        var heading = document.createElement("p");
        heading.textContent = label ? label.textContent : "";
        var text = document.createElement("pre");
        text.className = "editor-plain";
        text.setAttribute("data-editor-draft-text", "");
        text.textContent = offer.text;
        olderBox.appendChild(heading);
        olderBox.appendChild(text);
      });
      olderBox.hidden = !older.length;
      box.hidden = false;
      restore.addEventListener("click", function () {
        current.forEach(function (offer) {
          offer.area.value = offer.text;
          offer.area.dispatchEvent(new Event("input", {bubbles: true}));
        });
        current = [];
        restore.hidden = true;
        box.querySelector("[data-editor-drafts-current]").hidden = true;
        box.hidden = !older.length;
        var first = form.querySelector(".editor-row.is-dirty textarea");
        if (first) {
          first.focus();
        }
      });
      discard.addEventListener("click", function () {
        current.concat(older).forEach(function (offer) {
          storage.removeItem(offer.name);
        });
        box.hidden = true;
      });
    }
    return {keep: keep};
  }

  /* Suggestions for one row, fetched into the row instead of a new tab; "Use
   * this" puts a suggestion into the row's text area (still to be saved). */
  function initSuggestions() {
    document.querySelectorAll("[data-editor-suggest]").forEach(function (link) {
      var row = link.closest(".editor-row");
      var box = row.querySelector("[data-editor-suggestions]");
      var area = row.querySelector("textarea.editor-text");
      link.addEventListener("click", function (event) {
        if (!box || !window.fetch) {
          return;
        }
        event.preventDefault();
        if (!box.hidden) {
          box.hidden = true;
          return;
        }
        fetch(link.href + "?fragment=1", {credentials: "same-origin"})
          .then(function (response) {
            if (!response.ok) {
              throw new Error(response.statusText);
            }
            return response.text();
          })
          .then(function (html) {
            box.innerHTML = html;
            box.hidden = false;
            box.querySelectorAll("[data-editor-use]").forEach(function (button) {
              var text = button.previousElementSibling;
              if (!area || area.readOnly || !text) {
                return;
              }
              button.hidden = false;
              button.addEventListener("click", function () {
                area.value = text.textContent;
                area.dispatchEvent(new Event("input", {bubbles: true}));
                area.focus();
              });
            });
          })
          .catch(function () {
            window.open(link.href, "_blank", "noopener");
          });
      });
    });
  }

  function start() {
    init();
    initSuggestions();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
