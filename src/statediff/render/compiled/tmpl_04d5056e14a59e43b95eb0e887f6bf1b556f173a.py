from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'lineages.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_query = resolve('query')
    l_0_stories = resolve('stories')
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_2 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src \'none\'; base-uri \'none\'; form-action \'none\'">\n<meta name="referrer" content="no-referrer">\n<meta name="generator" content="statediff">\n<title>History: '
    yield escape(environment.finalize((undefined(name='query') if l_0_query is missing else l_0_query)))
    yield ' · statediff</title>\n<style>\n:root { --fg: #1b1f24; --muted: #5b6470; --bg: #fff; --line: #d0d7de; --link: #0969da;\n  --ins: #dafbe1; --del: #ffebe9; --new: #1a7f37; --reworded: #9a6700; --returned: #0969da; --gone: #cf222e; }\n@media (prefers-color-scheme: dark) {\n  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #30363d; --link: #4493f8;\n    --ins: #033a16; --del: #67060c; --new: #3fb950; --reworded: #d29922; --returned: #4493f8; --gone: #f85149; }\n}\nbody { font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 64rem; padding: 1rem; }\na { color: var(--link); }\n.sdq-meta { color: var(--muted); font-size: .85rem; }\ntable { border-collapse: collapse; width: 100%; margin: .4rem 0 1.6rem; }\ntd, th { border-top: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; text-align: left; }\ntd.sdq-date { white-space: nowrap; font-variant-numeric: tabular-nums; color: var(--muted); }\nins { background: var(--ins); text-decoration: none; } del { background: var(--del); }\n.sdq-first { color: var(--new); } .sdq-reworded { color: var(--reworded); } .sdq-returned { color: var(--returned); }\n.sdq-gap, .sdq-dropped { color: var(--gone); }\n.sdq-mark { font-size: .8rem; border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem; margin-left: .3rem; }\n</style>\n</head>\n<body>\n<h1>History: '
    yield escape(environment.finalize((undefined(name='query') if l_0_query is missing else l_0_query)))
    yield '</h1>\n<p class="sdq-meta">'
    yield escape(environment.finalize(t_1((undefined(name='stories') if l_0_stories is missing else l_0_stories))))
    yield ' lineage'
    yield escape(environment.finalize(('' if (t_1((undefined(name='stories') if l_0_stories is missing else l_0_stories)) == 1) else 's')))
    yield '. Word changes from the previous wording are marked <del>deleted</del> and <ins>inserted</ins>.</p>\n'
    for l_1_s in (undefined(name='stories') if l_0_stories is missing else l_0_stories):
        _loop_vars = {}
        pass
        yield '<section id="'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'lineage')))
        yield '">\n<h2>'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'text')))
        yield '</h2>\n<p class="sdq-meta">'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'series')))
        yield ' · lineage <code>'
        yield escape(environment.finalize(environment.getattr(l_1_s, 'lineage')))
        yield '</code> · '
        yield escape(environment.finalize(environment.getattr(l_1_s, 'first')))
        yield ' to '
        yield escape(environment.finalize(environment.getattr(l_1_s, 'last')))
        yield escape(environment.finalize((' (in the latest statement)' if environment.getattr(l_1_s, 'current') else ' (dropped)')))
        yield ' · in '
        yield escape(environment.finalize(environment.getattr(l_1_s, 'appearances')))
        yield ' of '
        yield escape(environment.finalize(environment.getattr(l_1_s, 'statements')))
        yield ' statements from its first'
        if environment.getattr(l_1_s, 'matched'):
            pass
            yield ' · matched by '
            yield escape(environment.finalize(environment.getattr(l_1_s, 'matched')))
        yield '</p>\n<table>\n<thead><tr><th>Date</th><th>What</th><th>Sentence</th></tr></thead>\n<tbody>\n'
        for l_2_st in environment.getattr(l_1_s, 'steps'):
            l_2_reports = resolve('reports')
            l_2_words = resolve('words')
            l_2_step_text = resolve('step_text')
            _loop_vars = {}
            pass
            yield '<tr><td class="sdq-date">'
            if ((not t_2((undefined(name='reports') if l_2_reports is missing else l_2_reports))) and environment.getattr(l_2_st, 'report')):
                pass
                yield '<a href="'
                yield escape(environment.finalize((undefined(name='reports') if l_2_reports is missing else l_2_reports)))
                yield escape(environment.finalize(environment.getattr(l_2_st, 'report')))
                yield '">'
                yield escape(environment.finalize(environment.getattr(l_2_st, 'date')))
                yield '</a>'
            else:
                pass
                yield escape(environment.finalize(environment.getattr(l_2_st, 'date')))
            yield '</td>\n<td class="sdq-'
            yield escape(environment.finalize(environment.getattr(l_2_st, 'kind')))
            yield '">'
            yield escape(environment.finalize(environment.getitem((undefined(name='words') if l_2_words is missing else l_2_words), environment.getattr(l_2_st, 'kind'))))
            yield '</td>\n<td>'
            if environment.getattr(l_2_st, 'ops'):
                pass
                for l_3_op in environment.getattr(l_2_st, 'ops'):
                    _loop_vars = {}
                    pass
                    if (environment.getattr(l_3_op, 'tag') == '-'):
                        pass
                        yield '<del>'
                        yield escape(environment.finalize(environment.getattr(l_3_op, 'text')))
                        yield '</del>'
                    elif (environment.getattr(l_3_op, 'tag') == '+'):
                        pass
                        yield '<ins>'
                        yield escape(environment.finalize(environment.getattr(l_3_op, 'text')))
                        yield '</ins>'
                    else:
                        pass
                        yield escape(environment.finalize(environment.getattr(l_3_op, 'text')))
                l_3_op = missing
            else:
                pass
                yield escape(environment.finalize(context.call((undefined(name='step_text') if l_2_step_text is missing else l_2_step_text), l_2_st, _loop_vars=_loop_vars)))
            for l_3_m in environment.getattr(l_2_st, 'marks'):
                _loop_vars = {}
                pass
                yield '<span class="sdq-mark">'
                yield escape(environment.finalize(l_3_m))
                yield '</span>'
            l_3_m = missing
            yield '</td></tr>\n'
        l_2_st = l_2_reports = l_2_words = l_2_step_text = missing
        yield '</tbody>\n</table>\n</section>\n'
    l_1_s = missing
    yield '</body>\n</html>'

blocks = {}
debug_info = '10=26&31=28&32=30&33=34&34=38&35=40&36=42&40=60&41=67&42=79&43=83'