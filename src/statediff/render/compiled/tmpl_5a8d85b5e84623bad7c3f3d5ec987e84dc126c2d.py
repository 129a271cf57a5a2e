from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'history.js'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    pass
    yield '// statediff history page: filter the lineage rows in the page (no requests; text search over every wording).\n(function () {\n  "use strict";\n  var tools = document.getElementById("sdh-tools");\n  var q = document.getElementById("sdh-q");\n  var current = document.getElementById("sdh-current");\n  var changed = document.getElementById("sdh-changed");\n  var status = document.getElementById("sdh-status");\n  var rows = Array.prototype.slice.call(document.querySelectorAll(".sdh-row"));\n  if (!tools || !q) { return; }\n  tools.hidden = false;\n  var timer = null;\n  // Every wording of a lineage is in its row (the versions list), typography folded as statediff compares it.\n  var texts = new Map(rows.map(function (row) { return [row, fold(row.textContent)]; }));\n  function fold(text) {\n    return text.toLowerCase().replace(/[\\u2018\\u2019\\u201b\\u2032]/g, "\'").replace(/[\\u201c\\u201d]/g, \'"\')\n      .replace(/[\\u2010-\\u2013\\u2212]/g, "-").replace(/[\\u00a0\\u202f\\u2007\\u2009]/g, " ").replace(/\\u00ad/g, "");\n  }\n  function apply() {\n    var words = fold(q.value).split(/\\s+/).filter(function (w) { return w.length > 0; });\n    var shown = 0;\n    rows.forEach(function (row) {\n      var text = texts.get(row);\n      var ok = words.every(function (w) { return text.indexOf(w) !== -1; });\n      if (ok && current.checked && row.getAttribute("data-current") !== "1") { ok = false; }\n      if (ok && changed.checked && row.getAttribute("data-changes") === "0") { ok = false; }\n      row.hidden = !ok;\n      if (ok) { shown += 1; }\n    });\n    status.textContent = shown + " of " + rows.length + " lineages";\n  }\n  function later() { clearTimeout(timer); timer = setTimeout(apply, 120); }\n  q.addEventListener("input", later);\n  current.addEventListener("change", apply);\n  changed.addEventListener("change", apply);\n  apply();\n}());'

blocks = {}
debug_info = ''