from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'index.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_series = resolve('series')
    l_0_first = resolve('first')
    l_0_last = resolve('last')
    l_0_model = resolve('model')
    l_0_version = resolve('version')
    l_0_statements = resolve('statements')
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    pass
    yield '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">\n<title>statediff: statements by series</title>\n<style>\n:root { --sd-fg: #1b1f24; --sd-muted: #5b6470; --sd-bg: #fff; --sd-line: #d0d7de; --sd-dot: #0969da;\n  --sd-added: #1a7f37; --sd-removed: #cf222e; --sd-modified: #9a6700; --sd-moved: #8250df; --sd-stale: #bc4c00; }\n@media (prefers-color-scheme: dark) {\n  :root { --sd-fg: #e6edf3; --sd-muted: #9198a1; --sd-bg: #0d1117; --sd-line: #30363d; --sd-dot: #4493f8;\n    --sd-added: #3fb950; --sd-removed: #f85149; --sd-modified: #d29922; --sd-moved: #a371f7; --sd-stale: #db6d28; }\n}\nbody { font: 15px/1.5 system-ui, sans-serif; color: var(--sd-fg); background: var(--sd-bg); margin: 0 auto; max-width: 60rem; padding: 1rem; }\nh1 { font-size: 1.4rem; }\n.sdi-meta { color: var(--sd-muted); font-size: .85rem; }\n.sdi-series { margin: 2rem 0; }\n.sdi-axis { position: relative; height: 1.4rem; border-bottom: 2px solid var(--sd-line); margin: .5rem .5rem 1rem; }\n.sdi-dot { position: absolute; bottom: -.45rem; width: .8rem; height: .8rem; margin-left: -.4rem; border-radius: 50%; background: var(--sd-dot); }\n.sdi-axis-ends { display: flex; justify-content: space-between; color: var(--sd-muted); font-size: .8rem; margin: -.8rem .5rem 1rem; }\nol.sdi-timeline { list-style: none; padding: 0 0 0 1rem; border-left: 2px solid var(--sd-line); }\n.sdi-statement { position: relative; margin: 0 0 .2rem; }\n.sdi-statement::before { content: ""; position: absolute; left: -1.45rem; top: .45rem; width: .7rem; height: .7rem; border-radius: 50%; background: var(--sd-dot); }\n.sdi-date { font-variant-numeric: tabular-nums; color: var(--sd-muted); margin-right: .5rem; }\n.sdi-report { margin: .1rem 0 .6rem 1rem; font-size: .9rem; color: var(--sd-muted); }\n.sdi-count { margin-left: .6rem; white-space: nowrap; }\n.sdi-added { color: var(--sd-added); } .sdi-removed { color: var(--sd-removed); }\n.sdi-modified { color: var(--sd-modified); } .sdi-moved { color: var(--sd-moved); }\n.sdi-stale { color: var(--sd-stale); }\n.sdi-zero { opacity: .5; }\na { color: var(--sd-dot); }\n</style>\n</head>\n<body class="sdi">\n<header>\n<h1>Statements by series</h1>\n<p class="sdi-meta">'
    yield escape(environment.finalize(t_1((undefined(name='series') if l_0_series is missing else l_0_series))))
    yield ' series'
    if (undefined(name='first') if l_0_first is missing else l_0_first):
        pass
        yield ', '
        yield escape(environment.finalize((undefined(name='first') if l_0_first is missing else l_0_first)))
        yield ' to '
        yield escape(environment.finalize((undefined(name='last') if l_0_last is missing else l_0_last)))
    yield '. Model '
    yield escape(environment.finalize((undefined(name='model') if l_0_model is missing else l_0_model)))
    yield '; statediff '
    yield escape(environment.finalize((undefined(name='version') if l_0_version is missing else l_0_version)))
    yield '. Statements in <a href="'
    yield escape(environment.finalize((undefined(name='statements') if l_0_statements is missing else l_0_statements)))
    yield '/">'
    yield escape(environment.finalize((undefined(name='statements') if l_0_statements is missing else l_0_statements)))
    yield '</a>.</p>\n'
    if (not (undefined(name='series') if l_0_series is missing else l_0_series)):
        pass
        yield '<p>No statements yet: add one with <code>statediff add FILE --series NAME</code>.</p>'
    yield '<nav><ul>\n'
    for l_1_s in (undefined(name='series') if l_0_series is missing else l_0_series):
        _loop_vars = {}
        pass
        yield '<li><a href="#'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'name')))
        yield '">'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'name')))
        yield '</a> ('
        yield escape(environment.finalize(environment.getattr(l_1_s, 'count')))
        yield ')</li>'
    l_1_s = missing
    yield '</ul></nav>\n</header>\n<main>\n'
    for l_1_s in (undefined(name='series') if l_0_series is missing else l_0_series):
        _loop_vars = {}
        pass
        yield '<section class="sdi-series" id="'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'name')))
        yield '">\n<h2>'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'name')))
        yield '</h2>\n<p class="sdi-meta">'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'count')))
        yield ' statement'
        yield escape(environment.finalize(('' if (environment.getattr(l_1_s, 'count') == 1) else 's')))
        if environment.getattr(l_1_s, 'first'):
            pass
            yield ', '
            yield escape(environment.finalize(environment.getattr(l_1_s, 'first')))
            yield ' to '
            yield escape(environment.finalize(environment.getattr(l_1_s, 'last')))
        if environment.getattr(l_1_s, 'history'):
            pass
            yield ' · <a href="'
            yield escape(environment.finalize(environment.getattr(l_1_s, 'history')))
            yield '">history of every sentence</a>'
        yield '</p>\n<div class="sdi-axis" aria-hidden="true">\n'
        for l_2_r in environment.getattr(l_1_s, 'rows'):
            _loop_vars = {}
            pass
            yield '<a class="sdi-dot" style="left: '
            yield escape(environment.finalize(environment.getattr(l_2_r, 'pos')))
            yield '%" href="#'
            yield escape(environment.finalize(environment.getattr(l_2_r, 'anchor')))
            yield '" title="'
            yield escape(environment.finalize(environment.getattr(l_2_r, 'date')))
            yield ' '
            yield escape(environment.finalize(environment.getattr(l_2_r, 'title')))
            yield '"></a>'
        l_2_r = missing
        yield '</div>\n<div class="sdi-axis-ends" aria-hidden="true"><span>'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'first')))
        yield '</span><span>'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'last')))
        yield '</span></div>\n<ol class="sdi-timeline">\n'
        for l_2_r in environment.getattr(l_1_s, 'rows'):
            _loop_vars = {}
            pass
            if environment.getattr(l_2_r, 'report'):
                pass
                yield '<li class="sdi-report">\n'
                if environment.getattr(environment.getattr(l_2_r, 'report'), 'href'):
                    pass
                    yield '<span aria-hidden="true">↓ </span><a href="'
                    yield escape(environment.finalize(environment.getattr(environment.getattr(l_2_r, 'report'), 'href')))
                    yield '">what changed</a>'
                    for (l_3_kind, l_3_n) in environment.getattr(environment.getattr(l_2_r, 'report'), 'counts'):
                        _loop_vars = {}
                        pass
                        yield '<span class="sdi-count sdi-'
                        yield escape(environment.finalize(l_3_kind))
                        yield escape(environment.finalize((' sdi-zero' if (l_3_n == 0) else '')))
                        yield '" data-kind="'
                        yield escape(environment.finalize(l_3_kind))
                        yield '">'
                        yield escape(environment.finalize(l_3_n))
                        yield ' '
                        yield escape(environment.finalize(l_3_kind))
                        yield '</span>'
                    l_3_kind = l_3_n = missing
                    if (not environment.getattr(environment.getattr(l_2_r, 'report'), 'current')):
                        pass
                        yield '<span class="sdi-count sdi-stale">out of date: run statediff report</span>'
                else:
                    pass
                    yield '<span class="sdi-stale">report not built yet: run statediff report</span>'
                yield '</li>\n'
            yield '<li class="sdi-statement" id="'
            yield escape(environment.finalize(environment.getattr(l_2_r, 'anchor')))
            yield '"><span class="sdi-date">'
            yield escape(environment.finalize(environment.getattr(l_2_r, 'date')))
            yield '</span><a href="'
            yield escape(environment.finalize(environment.getattr(l_2_r, 'href')))
            yield '">'
            yield escape(environment.finalize(environment.getattr(l_2_r, 'title')))
            yield '</a></li>\n'
        l_2_r = missing
        yield '</ol>\n</section>\n'
    l_1_s = missing
    yield '</main>\n</body>\n</html>'

blocks = {}
debug_info = '38=24&39=41&41=45&45=57&46=61&47=63&48=65&50=80&52=94&54=98&55=101&57=104&58=123&62=131'