// statediff history page: filter the lineage rows in the page (no requests; text search over every wording).
(function () {
  "use strict";
  var tools = document.getElementById("sdh-tools");
  var q = document.getElementById("sdh-q");
  var current = document.getElementById("sdh-current");
  var changed = document.getElementById("sdh-changed");
  var status = document.getElementById("sdh-status");
  var rows = Array.prototype.slice.call(document.querySelectorAll(".sdh-row"));
  if (!tools || !q) { return; }
  tools.hidden = false;
  var timer = null;
  // Every wording of a lineage is in its row (the versions list), typography folded as statediff compares it.
  var texts = new Map(rows.map(function (row) { return [row, fold(row.textContent)]; }));
  function fold(text) {
    return text.toLowerCase().replace(/[\u2018\u2019\u201b\u2032]/g, "'").replace(/[\u201c\u201d]/g, '"')
      .replace(/[\u2010-\u2013\u2212]/g, "-").replace(/[\u00a0\u202f\u2007\u2009]/g, " ").replace(/\u00ad/g, "");
  }
  function apply() {
    var words = fold(q.value).split(/\s+/).filter(function (w) { return w.length > 0; });
    var shown = 0;
    rows.forEach(function (row) {
      var text = texts.get(row);
      var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
      if (ok && current.checked && row.getAttribute("data-current") !== "1") { ok = false; }
      if (ok && changed.checked && row.getAttribute("data-changes") === "0") { ok = false; }
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    status.textContent = shown + " of " + rows.length + " lineages";
  }
  function later() { clearTimeout(timer); timer = setTimeout(apply, 120); }
  q.addEventListener("input", later);
  current.addEventListener("change", apply);
  changed.addEventListener("change", apply);
  apply();
}());
