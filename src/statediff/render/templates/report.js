/* statediff report: views, filters, context, j/k navigation, sentence links. Reads only the page's own
   data- attributes; never builds markup from statement text (messages are set with textContent). */
(function () {
  "use strict";
  var doc = document;
  var table = doc.getElementById("sd-table");
  var toolbar = doc.getElementById("sd-toolbar");
  if (!table || !toolbar) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.filter.call(tbody.rows, function (r) { return r.classList.contains("sd-row"); });
  var status = doc.getElementById("sd-status");
  var only = doc.getElementById("sd-only");
  var contextN = doc.getElementById("sd-context-n");
  var filters = Array.prototype.slice.call(toolbar.querySelectorAll("input[data-filter]"));
  var views = Array.prototype.slice.call(toolbar.querySelectorAll("input[name='sd-view']"));
  var total = {};
  rows.forEach(function (r) {
    if (!r.hasAttribute("data-ghost")) { total[r.dataset.kind] = (total[r.dataset.kind] || 0) + 1; }
  });

  function say(text) { status.textContent = text; }
  function isChange(r) { return r.dataset.kind !== "unchanged"; }
  function kindShown(kind) {
    for (var i = 0; i < filters.length; i++) { if (filters[i].dataset.filter === kind) { return filters[i].checked; } }
    return true;
  }
  function context() {
    var n = parseInt(contextN.value, 10);
    return isNaN(n) || n < 0 ? 0 : Math.min(n, 50);
  }

  function gapRow(hidden) {
    var tr = doc.createElement("tr");
    tr.className = "sd-gap";
    var td = doc.createElement("td");
    td.colSpan = 4;
    var button = doc.createElement("button");
    button.type = "button";
    button.textContent = "⋯ " + hidden.length + " unchanged sentence" + (hidden.length === 1 ? "" : "s") + " hidden: show";
    button.addEventListener("click", function () {
      hidden.forEach(function (r) { r.dataset.pinned = "1"; });
      apply();
      hidden[0].focus({ preventScroll: true });
    });
    td.appendChild(button);
    tr.appendChild(td);
    return tr;
  }

  /* Which rows show: the kind's filter is on, and in "changes only" an unchanged row is near a shown change. */
  function apply() {
    Array.prototype.slice.call(tbody.querySelectorAll("tr.sd-gap")).forEach(function (g) { g.remove(); });
    var changesOnly = only.checked;
    var n = context();
    var near = rows.map(function () { return !changesOnly; });
    if (changesOnly) {
      rows.forEach(function (r, i) {
        if (isChange(r) && kindShown(r.dataset.kind)) {
          for (var k = Math.max(0, i - n); k <= Math.min(rows.length - 1, i + n); k++) { near[k] = true; }
        }
      });
    }
    var shown = {};
    var shownRows = 0;
    var run = [];
    rows.forEach(function (r, i) {
      var byKind = kindShown(r.dataset.kind);
      var visible = r.dataset.pinned === "1" || (byKind && (isChange(r) || near[i]));
      if (byKind && !visible) {
        run.push(r);
      } else if (visible && run.length) {
        tbody.insertBefore(gapRow(run), r);
        run = [];
      }
      r.hidden = !visible;
      if (visible && !r.hasAttribute("data-ghost")) {
        shown[r.dataset.kind] = (shown[r.dataset.kind] || 0) + 1;
        shownRows += 1;
      }
    });
    if (run.length) { tbody.appendChild(gapRow(run)); }
    Array.prototype.forEach.call(toolbar.querySelectorAll(".sd-fc"), function (el) {
      var kind = el.dataset.kind;
      var all = total[kind] || 0;
      var now = shown[kind] || 0;
      el.textContent = now === all ? String(all) : now + " of " + all;
    });
    var all = rows.filter(function (r) { return !r.hasAttribute("data-ghost"); }).length;
    say("Showing " + shownRows + " of " + all + " rows");
  }

  function setView(view) {
    doc.body.dataset.view = view === "inline" ? "inline" : "sbs";
  }

  /* j / k: the next or previous visible change. */
  function changeRows() {
    return rows.filter(function (r) { return !r.hidden && isChange(r) && !r.hasAttribute("data-ghost"); });
  }
  function setCurrent(row) {
    var old = tbody.querySelector("tr.sd-current");
    if (old) { old.classList.remove("sd-current"); }
    row.classList.add("sd-current");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "center" });
  }
  function go(step) {
    var list = changeRows();
    if (!list.length) { say("No changes shown"); return; }
    var idx = list.indexOf(tbody.querySelector("tr.sd-current"));
    var next;
    if (idx >= 0) {
      next = list[Math.max(0, Math.min(list.length - 1, idx + step))];
    } else if (step > 0) {
      next = list.filter(function (r) { return r.getBoundingClientRect().top > 0; })[0] || list[list.length - 1];
    } else {
      next = list.filter(function (r) { return r.getBoundingClientRect().bottom < 0; }).pop() || list[0];
    }
    setCurrent(next);
    say("Change " + (list.indexOf(next) + 1) + " of " + list.length + ": " + next.dataset.kind);
  }

  /* A link to a sentence from an earlier report may name a sentence now only on the old side. */
  function reveal(id) {
    if (!id) { return; }
    var target = doc.getElementById(id) || (id.indexOf("s-") === 0 ? doc.getElementById("old-" + id) : null);
    if (!target) { return; }
    var row = target.closest ? target.closest("tr.sd-row") : null;
    if (!row) { return; }
    if (row.hidden) { row.dataset.pinned = "1"; apply(); }
    setCurrent(row);
  }
  function hashId() {
    try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return location.hash.slice(1); }
  }

  function copyLink(link) {
    var url = location.href.split("#")[0] + link.getAttribute("href");
    var done = function () { say("Link copied: " + url); };
    var shown = function () { say("Link to this sentence: " + url); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(done, shown);
    } else {
      shown();
    }
  }

  function unpin() { rows.forEach(function (r) { delete r.dataset.pinned; }); }

  filters.forEach(function (box) { box.addEventListener("change", function () { unpin(); apply(); }); });
  only.addEventListener("change", function () { unpin(); apply(); });
  contextN.addEventListener("input", function () { unpin(); apply(); });
  views.forEach(function (radio) { radio.addEventListener("change", function () { if (radio.checked) { setView(radio.value); } }); });
  doc.getElementById("sd-next").addEventListener("click", function () { go(1); });
  doc.getElementById("sd-prev").addEventListener("click", function () { go(-1); });
  doc.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) { return; }
    var t = e.target;
    // Letters typed into a text or number box are input, not navigation; after ticking a box, j/k still work.
    var typing = t && (t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName) ||
      (t.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(t.type)));
    if (typing) { return; }
    if (e.key === "j") { e.preventDefault(); go(1); }
    if (e.key === "k") { e.preventDefault(); go(-1); }
  });
  doc.addEventListener("click", function (e) {
    var link = e.target && e.target.closest ? e.target.closest("a.sd-link") : null;
    if (link) { copyLink(link); }
  });
  window.addEventListener("hashchange", function () { reveal(hashId()); });

  // Two columns of prose do not fit a phone: start narrow screens in the inline view (still one tap away).
  if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
    views.forEach(function (radio) { radio.checked = radio.value === "inline"; });
  }
  // Names for the sentence links, set here rather than written 2,000 times into a long report.
  Array.prototype.forEach.call(table.querySelectorAll("a.sd-link"), function (link) {
    var side = link.closest("td.sd-old") ? "old" : "new";
    link.title = "Link to this sentence (click to copy)";
    link.setAttribute("aria-label", "Copy link to " + side + " sentence " + link.textContent);
  });
  toolbar.hidden = false;
  doc.documentElement.style.setProperty("--sd-toolbar-h", toolbar.offsetHeight + "px");
  views.forEach(function (radio) { if (radio.checked) { setView(radio.value); } });
  apply();
  if (location.hash) { reveal(hashId()); }
})();
