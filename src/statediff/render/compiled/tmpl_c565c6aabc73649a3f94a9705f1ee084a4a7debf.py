from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'history.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_script_hash = resolve('script_hash')
    l_0_series = resolve('series')
    l_0_columns = resolve('columns')
    l_0_rows = resolve('rows')
    l_0_first = resolve('first')
    l_0_last = resolve('last')
    l_0_years = resolve('years')
    l_0_script = resolve('script')
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    pass
    yield '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; script-src '
    yield escape(environment.finalize((undefined(name='script_hash') if l_0_script_hash is missing else l_0_script_hash)))
    yield '; img-src \'none\'; base-uri \'none\'; form-action \'none\'">\n<meta name="referrer" content="no-referrer">\n<meta name="generator" content="statediff">\n<title>'
    yield escape(environment.finalize((undefined(name='series') if l_0_series is missing else l_0_series)))
    yield ': the history of every sentence · statediff</title>\n<style>\n:root { --fg: #1b1f24; --muted: #5b6470; --bg: #fff; --line: #d0d7de; --link: #0969da; --w: 6px;\n  --new: #1a7f37; --same: #afb8c1; --reworded: #bf8700; --returned: #0969da; }\n@media (prefers-color-scheme: dark) {\n  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #30363d; --link: #4493f8;\n    --new: #3fb950; --same: #484f58; --reworded: #d29922; --returned: #4493f8; }\n}\nbody { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0; padding: 1rem; }\nh1 { font-size: 1.3rem; margin: 0 0 .3rem; }\na { color: var(--link); }\n.sdh-meta { color: var(--muted); font-size: .85rem; margin: .2rem 0; }\n.sdh-tools { position: sticky; top: 0; background: var(--bg); padding: .5rem 0; z-index: 2; border-bottom: 1px solid var(--line); }\n.sdh-tools input[type=search] { font: inherit; width: min(30rem, 90%); padding: .2rem .4rem; }\n.sdh-key span { display: inline-block; width: .8rem; height: .8rem; vertical-align: middle; margin: 0 .2rem 0 .6rem; }\n.sdh-scroll { overflow-x: auto; }\n.sdh-grid { display: grid; grid-template-columns: repeat('
    yield escape(environment.finalize(t_1((undefined(name='columns') if l_0_columns is missing else l_0_columns))))
    yield ', var(--w)); column-gap: 1px; }\n.sdh-years { height: 1.2rem; font-size: .7rem; color: var(--muted); position: sticky; }\n.sdh-years span { border-left: 1px solid var(--line); padding-left: 2px; white-space: nowrap; overflow: visible; }\n.sdh-row { margin: .1rem 0 .5rem; }\n.sdh-row[hidden] { display: none; }\n.sdh-head { display: flex; gap: .6rem; align-items: baseline; }\n.sdh-id { font: .75rem ui-monospace, monospace; color: var(--muted); }\n.sdh-text { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 60rem; }\n.sdh-dates { color: var(--muted); font-size: .8rem; white-space: nowrap; }\n.sdh-strip { height: .7rem; margin: .15rem 0; }\n.sdh-m { display: block; height: 100%; border-radius: 1px; }\n.sdh-new { background: var(--new); } .sdh-same { background: var(--same); }\n.sdh-reworded { background: var(--reworded); } .sdh-returned { background: var(--returned); }\ndetails.sdh-versions { font-size: .85rem; margin-left: 1rem; }\ndetails.sdh-versions ol { margin: .2rem 0; padding-left: 1.2rem; }\n.sdh-when { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: .4rem; }\n:target { outline: 2px solid var(--link); outline-offset: 2px; }\n</style>\n</head>\n<body>\n<header>\n<h1>'
    yield escape(environment.finalize((undefined(name='series') if l_0_series is missing else l_0_series)))
    yield ': the history of every sentence</h1>\n<p class="sdh-meta">'
    yield escape(environment.finalize(t_1((undefined(name='rows') if l_0_rows is missing else l_0_rows))))
    yield ' lineage'
    yield escape(environment.finalize(('' if (t_1((undefined(name='rows') if l_0_rows is missing else l_0_rows)) == 1) else 's')))
    yield ' across '
    yield escape(environment.finalize(t_1((undefined(name='columns') if l_0_columns is missing else l_0_columns))))
    yield ' statement'
    yield escape(environment.finalize(('' if (t_1((undefined(name='columns') if l_0_columns is missing else l_0_columns)) == 1) else 's')))
    if (undefined(name='first') if l_0_first is missing else l_0_first):
        pass
        yield ', '
        yield escape(environment.finalize((undefined(name='first') if l_0_first is missing else l_0_first)))
        yield ' to '
        yield escape(environment.finalize((undefined(name='last') if l_0_last is missing else l_0_last)))
    yield '.\nA lineage is one sentence through its versions; one row each, one column per statement, a mark where the sentence is present. <a href="../index.html">All series</a>.</p>\n<p class="sdh-meta sdh-key">Marks:<span class="sdh-new"></span>first appears<span class="sdh-reworded"></span>reworded<span class="sdh-returned"></span>returns after a gap<span class="sdh-same"></span>unchanged. Each mark links to the report where it happened.</p>\n</header>\n<div class="sdh-tools" id="sdh-tools" hidden>\n<label>Search <input type="search" id="sdh-q" placeholder="words in any version, e.g. target range" aria-describedby="sdh-status"></label>\n<label><input type="checkbox" id="sdh-current"> only in the latest statement</label>\n<label><input type="checkbox" id="sdh-changed"> only those that changed</label>\n<span id="sdh-status" class="sdh-meta" role="status" aria-live="polite"></span>\n</div>\n<main class="sdh-scroll">\n<div class="sdh-grid sdh-years" aria-hidden="true">'
    for l_1_y in (undefined(name='years') if l_0_years is missing else l_0_years):
        _loop_vars = {}
        pass
        yield '<span style="grid-column: '
        yield escape(environment.finalize(environment.getattr(l_1_y, 'col')))
        yield '">'
        yield escape(environment.finalize(environment.getattr(l_1_y, 'year')))
        yield '</span>'
    l_1_y = missing
    yield '</div>\n'
    for l_1_r in (undefined(name='rows') if l_0_rows is missing else l_0_rows):
        _loop_vars = {}
        pass
        yield '<section class="sdh-row" id="'
        yield escape(environment.finalize(environment.getattr(l_1_r, 'id')))
        yield '" data-current="'
        yield escape(environment.finalize((1 if environment.getattr(l_1_r, 'current') else 0)))
        yield '" data-changes="'
        yield escape(environment.finalize(environment.getattr(l_1_r, 'changes')))
        yield '">\n<div class="sdh-head"><a class="sdh-id" href="#'
        yield escape(environment.finalize(environment.getattr(l_1_r, 'id')))
        yield '">'
        yield escape(environment.finalize(environment.getattr(l_1_r, 'id')))
        yield '</a><span class="sdh-text" title="'
        yield escape(environment.finalize(environment.getattr(l_1_r, 'text')))
        yield '">'
        yield escape(environment.finalize(environment.getattr(l_1_r, 'text')))
        yield '</span></div>\n<div class="sdh-grid sdh-strip">'
        for l_2_m in environment.getattr(l_1_r, 'marks'):
            _loop_vars = {}
            pass
            if environment.getattr(l_2_m, 'href'):
                pass
                yield '<a'
            else:
                pass
                yield '<span'
            yield ' class="sdh-m sdh-'
            yield escape(environment.finalize(environment.getattr(l_2_m, 'kind')))
            yield '" style="grid-column: '
            yield escape(environment.finalize(environment.getattr(l_2_m, 'col')))
            yield ' / span '
            yield escape(environment.finalize(environment.getattr(l_2_m, 'span')))
            yield '" title="'
            yield escape(environment.finalize(environment.getattr(l_2_m, 'title')))
            yield '"'
            if environment.getattr(l_2_m, 'href'):
                pass
                yield ' href="'
                yield escape(environment.finalize(environment.getattr(l_2_m, 'href')))
                yield '"'
            yield '>'
            if environment.getattr(l_2_m, 'href'):
                pass
                yield '</a>'
            else:
                pass
                yield '</span>'
        l_2_m = missing
        yield '</div>\n<details class="sdh-versions"><summary><span class="sdh-dates">'
        yield escape(environment.finalize(environment.getattr(l_1_r, 'first')))
        yield ' to '
        yield escape(environment.finalize(environment.getattr(l_1_r, 'last')))
        yield escape(environment.finalize(('' if environment.getattr(l_1_r, 'current') else ' (dropped)')))
        yield ' · in '
        yield escape(environment.finalize(environment.getattr(l_1_r, 'count')))
        yield ' statement'
        yield escape(environment.finalize(('' if (environment.getattr(l_1_r, 'count') == 1) else 's')))
        yield ' · '
        yield escape(environment.finalize(t_1(environment.getattr(l_1_r, 'versions'))))
        yield ' wording'
        yield escape(environment.finalize(('' if (t_1(environment.getattr(l_1_r, 'versions')) == 1) else 's')))
        yield '</span></summary>\n<ol>'
        for l_2_v in environment.getattr(l_1_r, 'versions'):
            _loop_vars = {}
            pass
            yield '<li><span class="sdh-when">'
            yield escape(environment.finalize(environment.getattr(l_2_v, 'since')))
            if (environment.getattr(l_2_v, 'until') != environment.getattr(l_2_v, 'since')):
                pass
                yield ' to '
                yield escape(environment.finalize(environment.getattr(l_2_v, 'until')))
            yield '</span>'
            yield escape(environment.finalize(environment.getattr(l_2_v, 'text')))
            yield '</li>'
        l_2_v = missing
        yield '</ol>\n</details>\n</section>\n'
    l_1_r = missing
    yield '</main>\n<script>'
    yield escape(environment.finalize((undefined(name='script') if l_0_script is missing else l_0_script)))
    yield '</script>\n</body>\n</html>'

blocks = {}
debug_info = '7=26&10=28&26=30&47=32&48=34&59=48&60=58&61=62&62=68&63=76&64=108&65=121&70=137'