from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'report.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_script_hash = resolve('script_hash')
    l_0_old = resolve('old')
    l_0_new = resolve('new')
    l_0_kinds = resolve('kinds')
    l_0_positions = resolve('positions')
    l_0_c = resolve('c')
    l_0_summary = resolve('summary')
    l_0_rows = resolve('rows')
    l_0_model = resolve('model')
    l_0_script = resolve('script')
    l_0_pieces = l_0_sentences = l_0_pct = l_0_history_note = l_0_numbers = l_0_side_card = missing
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_3 = environment.filters['lower']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'lower' found.")
    pass
    def macro(l_1_ps):
        t_4 = []
        if l_1_ps is missing:
            l_1_ps = undefined("parameter 'ps' was not provided", name='ps')
        pass
        for (l_2_tag, l_2_text) in l_1_ps:
            _loop_vars = {}
            pass
            if (l_2_tag == '-'):
                pass
                t_4.extend((
                    '<del>',
                    escape(environment.finalize(l_2_text)),
                    '</del>',
                ))
            elif (l_2_tag == '+'):
                pass
                t_4.extend((
                    '<ins>',
                    escape(environment.finalize(l_2_text)),
                    '</ins>',
                ))
            else:
                pass
                t_4.append(
                    escape(environment.finalize(l_2_text)),
                )
        l_2_tag = l_2_text = missing
        return concat(t_4)
    context.exported_vars.add('pieces')
    context.vars['pieces'] = l_0_pieces = Macro(environment, macro, 'pieces', ('ps',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_list, l_1_side):
        t_5 = []
        if l_1_list is missing:
            l_1_list = undefined("parameter 'list' was not provided", name='list')
        if l_1_side is missing:
            l_1_side = undefined("parameter 'side' was not provided", name='side')
        pass
        l_2_loop = missing
        for l_2_s, l_2_loop in LoopContext(l_1_list, undefined):
            _loop_vars = {}
            pass
            t_5.extend((
                '<span class="sd-s" id="',
                escape(environment.finalize(environment.getattr(l_2_s, 'id'))),
                '"><a class="sd-link" href="#',
                escape(environment.finalize(environment.getattr(l_2_s, 'id'))),
                '">',
                escape(environment.finalize(environment.getattr(l_2_s, 'number'))),
                '</a> ',
                escape(environment.finalize(context.call((undefined(name='pieces') if l_0_pieces is missing else l_0_pieces), environment.getattr(l_2_s, 'pieces'), _loop_vars=_loop_vars))),
                '</span>',
                escape(environment.finalize((' ' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 9 in 'report.html.j2' evaluated to false and no else section was defined.")))),
            ))
        l_2_loop = l_2_s = missing
        return concat(t_5)
    context.exported_vars.add('sentences')
    context.vars['sentences'] = l_0_sentences = Macro(environment, macro, 'sentences', ('list', 'side'), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_item):
        t_6 = []
        if l_1_item is missing:
            l_1_item = undefined("parameter 'item' was not provided", name='item')
        pass
        if environment.getattr(l_1_item, 'rewritten'):
            pass
            t_6.append(
                '<span class="sd-pct" title="the sides differ too much for word changes: shown whole">rewritten</span>',
            )
        else:
            pass
            t_6.extend((
                '<span class="sd-pct" title="share of words changed">',
                escape(environment.finalize(environment.getattr(l_1_item, 'changed'))),
                '% changed</span>',
            ))
        return concat(t_6)
    context.exported_vars.add('pct')
    context.vars['pct'] = l_0_pct = Macro(environment, macro, 'pct', ('item',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_h):
        t_7 = []
        if l_1_h is missing:
            l_1_h = undefined("parameter 'h' was not provided", name='h')
        pass
        t_7.append(
            '<div class="sd-hist">',
        )
        if environment.getattr(l_1_h, 'returns_from'):
            pass
            t_7.extend((
                '<p class="sd-returns">Returns from <time datetime="',
                escape(environment.finalize(environment.getattr(l_1_h, 'returns_from'))),
                '">',
                escape(environment.finalize(environment.getattr(l_1_h, 'returns_from'))),
                '</time>, last seen there (first seen ',
                escape(environment.finalize(environment.getattr(l_1_h, 'first_seen'))),
                ').</p>',
            ))
        if environment.getattr(l_1_h, 'earlier'):
            pass
            t_7.extend((
                '<details class="sd-earlier"><summary>',
                escape(environment.finalize(t_2(environment.getattr(l_1_h, 'earlier')))),
                ' earlier wording',
                escape(environment.finalize(('s' if (t_2(environment.getattr(l_1_h, 'earlier')) != 1) else cond_expr_undefined("the inline if-expression on line 18 in 'report.html.j2' evaluated to false and no else section was defined.")))),
                ', in this series since ',
                escape(environment.finalize(environment.getattr(l_1_h, 'first_seen'))),
                '</summary><ol>',
            ))
            for l_2_v in environment.getattr(l_1_h, 'earlier'):
                _loop_vars = {}
                pass
                t_7.extend((
                    '<li><time datetime="',
                    escape(environment.finalize(environment.getattr(l_2_v, 'since'))),
                    '">',
                    escape(environment.finalize(environment.getattr(l_2_v, 'since'))),
                    '</time>',
                ))
                if (environment.getattr(l_2_v, 'until') != environment.getattr(l_2_v, 'since')):
                    pass
                    t_7.extend((
                        ' to <time datetime="',
                        escape(environment.finalize(environment.getattr(l_2_v, 'until'))),
                        '">',
                        escape(environment.finalize(environment.getattr(l_2_v, 'until'))),
                        '</time>',
                    ))
                t_7.extend((
                    ': ',
                    escape(environment.finalize(environment.getattr(l_2_v, 'text'))),
                    '</li>',
                ))
            l_2_v = missing
            t_7.append(
                '</ol></details>',
            )
        t_7.extend((
            '<a class="sd-hist-link" href="history.html#',
            escape(environment.finalize(environment.getattr(l_1_h, 'lineage'))),
            '">history of this sentence</a></div>',
        ))
        return concat(t_7)
    context.exported_vars.add('history_note')
    context.vars['history_note'] = l_0_history_note = Macro(environment, macro, 'history_note', ('h',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_label, l_1_ns):
        t_8 = []
        if l_1_label is missing:
            l_1_label = undefined("parameter 'label' was not provided", name='label')
        if l_1_ns is missing:
            l_1_ns = undefined("parameter 'ns' was not provided", name='ns')
        pass
        t_8.extend((
            escape(environment.finalize(l_1_label)),
            ' ',
            escape(environment.finalize(t_1(context.eval_ctx, l_1_ns, ', '))),
        ))
        return concat(t_8)
    context.exported_vars.add('numbers')
    context.vars['numbers'] = l_0_numbers = Macro(environment, macro, 'numbers', ('label', 'ns'), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_side):
        t_9 = []
        if l_1_side is missing:
            l_1_side = undefined("parameter 'side' was not provided", name='side')
        pass
        t_9.extend((
            '<section class="sd-doc sd-doc-',
            escape(environment.finalize(t_3(environment.getattr(l_1_side, 'label')))),
            '" aria-label="',
            escape(environment.finalize(environment.getattr(l_1_side, 'label'))),
            ' statement">\n  <p class="sd-doc-label">',
            escape(environment.finalize(environment.getattr(l_1_side, 'label'))),
            '</p>\n  <h2 class="sd-doc-title">',
            escape(environment.finalize(environment.getattr(l_1_side, 'title'))),
            '</h2>\n  <dl class="sd-doc-facts">\n    <dt>Date</dt><dd>',
        ))
        if environment.getattr(l_1_side, 'date'):
            pass
            t_9.extend((
                '<time datetime="',
                escape(environment.finalize(environment.getattr(l_1_side, 'date'))),
                '">',
                escape(environment.finalize(environment.getattr(l_1_side, 'date'))),
                '</time>',
            ))
        else:
            pass
            t_9.append(
                'undated',
            )
        t_9.append(
            '</dd>\n',
        )
        if environment.getattr(l_1_side, 'issuers'):
            pass
            t_9.extend((
                '<dt>Issued by</dt><dd>',
                escape(environment.finalize(t_1(context.eval_ctx, environment.getattr(l_1_side, 'issuers'), ', '))),
                '</dd>',
            ))
        if environment.getattr(l_1_side, 'source'):
            pass
            t_9.append(
                '<dt>Source</dt><dd class="sd-source">',
            )
            if environment.getattr(l_1_side, 'href'):
                pass
                t_9.extend((
                    '<a href="',
                    escape(environment.finalize(environment.getattr(l_1_side, 'href'))),
                    '" title="',
                    escape(environment.finalize(environment.getattr(l_1_side, 'href'))),
                    '" rel="noopener noreferrer">',
                    escape(environment.finalize(environment.getattr(l_1_side, 'host'))),
                    '</a>',
                ))
                if environment.getattr(l_1_side, 'source_rest'):
                    pass
                    t_9.extend((
                        ' <span class="sd-muted">',
                        escape(environment.finalize(environment.getattr(l_1_side, 'source_rest'))),
                        '</span>',
                    ))
            else:
                pass
                t_9.append(
                    escape(environment.finalize(environment.getattr(l_1_side, 'source'))),
                )
            t_9.append(
                '</dd>',
            )
        t_9.extend((
            '    <dt>Sentences</dt><dd>',
            escape(environment.finalize(environment.getattr(l_1_side, 'sentences'))),
            '</dd>\n  </dl>\n</section>',
        ))
        return concat(t_9)
    context.exported_vars.add('side_card')
    context.vars['side_card'] = l_0_side_card = Macro(environment, macro, 'side_card', ('side',), False, False, False, context.eval_ctx.autoescape)
    yield '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; script-src '
    yield escape(environment.finalize((undefined(name='script_hash') if l_0_script_hash is missing else l_0_script_hash)))
    yield '; img-src \'none\'; base-uri \'none\'; form-action \'none\'">\n<meta name="referrer" content="no-referrer">\n<meta name="generator" content="statediff">\n<title>'
    yield escape(environment.finalize(environment.getattr((undefined(name='old') if l_0_old is missing else l_0_old), 'title')))
    yield ' → '
    yield escape(environment.finalize(environment.getattr((undefined(name='new') if l_0_new is missing else l_0_new), 'title')))
    yield ' · statediff</title>\n<style>\n'
    template = environment.get_template('report.css', 'report.html.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {'history_note': l_0_history_note, 'numbers': l_0_numbers, 'pct': l_0_pct, 'pieces': l_0_pieces, 'sentences': l_0_sentences, 'side_card': l_0_side_card}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '</style>\n</head>\n<body class="sd" data-view="sbs">\n<a class="sd-skip" href="#sd-table">Skip to the statements side by side</a>\n<header class="sd-header">\n  <p class="sd-app">statediff · what changed between two statements</p>\n  <div class="sd-docs">\n    '
    yield escape(environment.finalize(context.call((undefined(name='side_card') if l_0_side_card is missing else l_0_side_card), (undefined(name='old') if l_0_old is missing else l_0_old))))
    yield '\n    <p class="sd-arrow" aria-hidden="true">→</p>\n    '
    yield escape(environment.finalize(context.call((undefined(name='side_card') if l_0_side_card is missing else l_0_side_card), (undefined(name='new') if l_0_new is missing else l_0_new))))
    yield '\n  </div>\n  <ul class="sd-counts" aria-label="Changes by kind">\n'
    for l_1_k in (undefined(name='kinds') if l_0_kinds is missing else l_0_kinds):
        l_1_counts = resolve('counts')
        _loop_vars = {}
        pass
        yield '    <li class="sd-count sd-k-'
        yield escape(environment.finalize(l_1_k))
        if (not environment.getitem((undefined(name='counts') if l_1_counts is missing else l_1_counts), l_1_k)):
            pass
            yield ' sd-zero'
        yield '" data-kind="'
        yield escape(environment.finalize(l_1_k))
        yield '"><span class="sd-n">'
        yield escape(environment.finalize(environment.getitem((undefined(name='counts') if l_1_counts is missing else l_1_counts), l_1_k)))
        yield '</span> '
        yield escape(environment.finalize(l_1_k))
        yield '</li>\n'
    l_1_k = l_1_counts = missing
    yield '  </ul>\n</header>\n\n\n'
    if environment.getattr((undefined(name='positions') if l_0_positions is missing else l_0_positions), 'topics'):
        pass
        yield '<section id="sd-positions" class="sd-positions" aria-labelledby="sd-positions-h">\n  <h2 id="sd-positions-h">Positions</h2>\n  <p class="sd-muted">By topic: what is new, dropped, stronger or weaker, which figures changed, which actors appeared or vanished. Each line links to its row below.'
        if environment.getattr((undefined(name='positions') if l_0_positions is missing else l_0_positions), 'tilt'):
            pass
            yield ' Monetary-policy tilt of the changes: '
            def t_10(fiter):
                for l_1_k in fiter:
                    if context.call(environment.getattr(environment.getattr((undefined(name='positions') if l_0_positions is missing else l_0_positions), 'tilt'), 'get'), l_1_k):
                        yield l_1_k
            l_1_loop = missing
            for l_1_k, l_1_loop in LoopContext(t_10(['hawkish', 'dovish', 'neutral']), undefined):
                _loop_vars = {}
                pass
                yield '<span class="sd-tilt sd-tilt-'
                yield escape(environment.finalize(l_1_k))
                yield '">'
                yield escape(environment.finalize(l_1_k))
                yield ' '
                yield escape(environment.finalize(environment.getitem(environment.getattr((undefined(name='positions') if l_0_positions is missing else l_0_positions), 'tilt'), l_1_k)))
                yield '</span>'
                yield escape(environment.finalize((' · ' if (not environment.getattr(l_1_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 68 in 'report.html.j2' evaluated to false and no else section was defined."))))
            l_1_loop = l_1_k = missing
            yield '.'
        if environment.getattr((undefined(name='positions') if l_0_positions is missing else l_0_positions), 'editorial'):
            pass
            yield ' '
            yield escape(environment.finalize(environment.getattr((undefined(name='positions') if l_0_positions is missing else l_0_positions), 'editorial')))
            yield ' editorial change'
            yield escape(environment.finalize(('s' if (environment.getattr((undefined(name='positions') if l_0_positions is missing else l_0_positions), 'editorial') != 1) else cond_expr_undefined("the inline if-expression on line 69 in 'report.html.j2' evaluated to false and no else section was defined."))))
            yield ' (same meaning) counted, not listed.'
        yield '</p>\n  <div class="sd-topics">\n'
        for l_1_topic in environment.getattr((undefined(name='positions') if l_0_positions is missing else l_0_positions), 'topics'):
            _loop_vars = {}
            pass
            yield '  <section class="sd-topic" id="'
            yield escape(environment.finalize(environment.getattr(l_1_topic, 'id')))
            yield '" aria-labelledby="'
            yield escape(environment.finalize(environment.getattr(l_1_topic, 'id')))
            yield '-h">\n    <h3 id="'
            yield escape(environment.finalize(environment.getattr(l_1_topic, 'id')))
            yield '-h">'
            yield escape(environment.finalize(environment.getattr(l_1_topic, 'label')))
            yield '</h3>\n'
            for (l_2_heading, l_2_kind, l_2_items) in environment.getattr(l_1_topic, 'groups'):
                _loop_vars = {}
                pass
                yield '    <h4 class="sd-pk-'
                yield escape(environment.finalize(l_2_kind))
                yield '">'
                yield escape(environment.finalize(l_2_heading))
                yield ' <span class="sd-n">'
                yield escape(environment.finalize(t_2(l_2_items)))
                yield '</span></h4>\n    <ul class="sd-pos-list">\n'
                for l_3_item in l_2_items:
                    _loop_vars = {}
                    pass
                    yield '<li><a href="#'
                    yield escape(environment.finalize(environment.getattr(l_3_item, 'row')))
                    yield '"'
                    if environment.getattr(l_3_item, 'sentence'):
                        pass
                        yield ' title="'
                        yield escape(environment.finalize(environment.getattr(l_3_item, 'sentence')))
                        yield '"'
                    yield '>'
                    if (l_2_kind == 'new'):
                        pass
                        yield '<ins>'
                        yield escape(environment.finalize(environment.getattr(l_3_item, 'text')))
                        yield '</ins>'
                    elif (l_2_kind == 'dropped'):
                        pass
                        yield '<del>'
                        yield escape(environment.finalize(environment.getattr(l_3_item, 'text')))
                        yield '</del>'
                    elif environment.getattr(l_3_item, 'edits'):
                        pass
                        for l_4_e in environment.getattr(l_3_item, 'edits'):
                            _loop_vars = {}
                            pass
                            yield '<span class="sd-edit">'
                            if environment.getattr(l_4_e, 'old'):
                                pass
                                yield '<del>'
                                yield escape(environment.finalize(environment.getattr(l_4_e, 'old')))
                                yield '</del>'
                            if (environment.getattr(l_4_e, 'old') and environment.getattr(l_4_e, 'new')):
                                pass
                                yield ' → '
                            if environment.getattr(l_4_e, 'new'):
                                pass
                                yield '<ins>'
                                yield escape(environment.finalize(environment.getattr(l_4_e, 'new')))
                                yield '</ins>'
                            yield '</span>'
                        l_4_e = missing
                    else:
                        pass
                        yield escape(environment.finalize(environment.getattr(l_3_item, 'text')))
                    yield '</a>'
                    if environment.getattr(l_3_item, 'tilt'):
                        pass
                        yield ' <span class="sd-tilt sd-tilt-'
                        yield escape(environment.finalize(environment.getattr(l_3_item, 'tilt')))
                        yield '">'
                        yield escape(environment.finalize(environment.getattr(l_3_item, 'tilt')))
                        yield '</span>'
                    if (environment.getattr(l_3_item, 'words') and (l_2_kind in ('stronger', 'weaker'))):
                        pass
                        yield ' <span class="sd-words">('
                        yield escape(environment.finalize(t_1(context.eval_ctx, environment.getattr(l_3_item, 'words'), ', ')))
                        yield ')</span>'
                    yield '</li>\n'
                l_3_item = missing
                yield '    </ul>\n'
            l_2_heading = l_2_kind = l_2_items = missing
            if environment.getattr(l_1_topic, 'editorial'):
                pass
                yield '<p class="sd-muted sd-editorial">'
                yield escape(environment.finalize(environment.getattr(l_1_topic, 'editorial')))
                yield ' editorial change'
                yield escape(environment.finalize(('s' if (environment.getattr(l_1_topic, 'editorial') != 1) else cond_expr_undefined("the inline if-expression on line 83 in 'report.html.j2' evaluated to false and no else section was defined."))))
                yield '</p>'
            yield '  </section>\n'
        l_1_topic = missing
        yield '  </div>\n</section>\n'
    yield '\n<section id="sd-summary" class="sd-summary" aria-labelledby="sd-summary-h">\n  <h2 id="sd-summary-h">What changed</h2>\n'
    if (not environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'has_differences')):
        pass
        yield '<p class="sd-none">No differences: the statements say the same, sentence by sentence.</p>'
    yield '  <div class="sd-lists">\n'
    if (environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'added') or environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'new_parts')):
        pass
        yield '  <section class="sd-list sd-k-added" aria-labelledby="sd-l-new">\n    <h3 id="sd-l-new">New <span class="sd-n">'
        yield escape(environment.finalize(t_2(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'added'))))
        yield ' sentence'
        yield escape(environment.finalize(('s' if (t_2(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'added')) != 1) else cond_expr_undefined("the inline if-expression on line 96 in 'report.html.j2' evaluated to false and no else section was defined."))))
        if environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'new_parts'):
            pass
            yield ' + new wording in '
            yield escape(environment.finalize(t_2(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'new_parts'))))
        yield '</span></h3>\n    <div class="sd-scroll" tabindex="0" aria-label="New sentences and new wording">\n'
        if environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'added'):
            pass
            yield '    <ol>\n'
            for l_1_item in environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'added'):
                _loop_vars = {}
                pass
                yield '<li><a href="#'
                yield escape(environment.finalize(environment.getattr(l_1_item, 'row')))
                yield '" class="sd-where">'
                yield escape(environment.finalize(context.call((undefined(name='numbers') if l_0_numbers is missing else l_0_numbers), 'new', environment.getattr(l_1_item, 'where'), _loop_vars=_loop_vars)))
                yield '</a> <ins>'
                yield escape(environment.finalize(environment.getattr(l_1_item, 'text')))
                yield '</ins>'
                if environment.getattr(l_1_item, 'returns'):
                    pass
                    yield ' <span class="sd-returns">returns from '
                    yield escape(environment.finalize(environment.getattr(l_1_item, 'returns')))
                    yield '</span>'
                for l_2_note in environment.getattr(l_1_item, 'notes'):
                    _loop_vars = {}
                    pass
                    yield ' <span class="sd-note">'
                    yield escape(environment.finalize(l_2_note))
                    yield '</span>'
                l_2_note = missing
                yield '</li>\n'
            l_1_item = missing
            yield '    </ol>\n'
        if environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'new_parts'):
            pass
            yield '    <h4>New wording in changed sentences</h4>\n    <ol>\n'
            l_1_loop = missing
            for l_1_item, l_1_loop in LoopContext(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'new_parts'), undefined):
                _loop_vars = {}
                pass
                yield '<li><a href="#'
                yield escape(environment.finalize(environment.getattr(l_1_item, 'row')))
                yield '" class="sd-where">'
                yield escape(environment.finalize(context.call((undefined(name='numbers') if l_0_numbers is missing else l_0_numbers), 'new', environment.getattr(l_1_item, 'where'), _loop_vars=_loop_vars)))
                yield '</a> '
                l_2_loop = missing
                for l_2_part, l_2_loop in LoopContext(environment.getattr(l_1_item, 'parts'), undefined):
                    _loop_vars = {}
                    pass
                    yield '<ins>'
                    yield escape(environment.finalize(l_2_part))
                    yield '</ins>'
                    yield escape(environment.finalize((' … ' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 107 in 'report.html.j2' evaluated to false and no else section was defined."))))
                l_2_loop = l_2_part = missing
                yield '</li>\n'
            l_1_loop = l_1_item = missing
            yield '    </ol>\n'
        yield '    </div>\n  </section>\n'
    if environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'removed'):
        pass
        yield '  <section class="sd-list sd-k-removed" aria-labelledby="sd-l-removed">\n    <h3 id="sd-l-removed">Dropped <span class="sd-n">'
        yield escape(environment.finalize(t_2(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'removed'))))
        yield ' sentence'
        yield escape(environment.finalize(('s' if (t_2(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'removed')) != 1) else cond_expr_undefined("the inline if-expression on line 116 in 'report.html.j2' evaluated to false and no else section was defined."))))
        yield '</span></h3>\n    <div class="sd-scroll" tabindex="0" aria-label="Dropped sentences">\n    <ol>\n'
        for l_1_item in environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'removed'):
            _loop_vars = {}
            pass
            yield '<li><a href="#'
            yield escape(environment.finalize(environment.getattr(l_1_item, 'row')))
            yield '" class="sd-where">'
            yield escape(environment.finalize(context.call((undefined(name='numbers') if l_0_numbers is missing else l_0_numbers), 'old', environment.getattr(l_1_item, 'where'), _loop_vars=_loop_vars)))
            yield '</a> <del>'
            yield escape(environment.finalize(environment.getattr(l_1_item, 'text')))
            yield '</del>'
            for l_2_note in environment.getattr(l_1_item, 'notes'):
                _loop_vars = {}
                pass
                yield ' <span class="sd-note">'
                yield escape(environment.finalize(l_2_note))
                yield '</span>'
            l_2_note = missing
            yield '</li>\n'
        l_1_item = missing
        yield '    </ol>\n    </div>\n  </section>\n'
    if environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'reworded'):
        pass
        yield '  <section class="sd-list sd-k-modified" aria-labelledby="sd-l-reworded">\n    <h3 id="sd-l-reworded">Reworded <span class="sd-n">'
        yield escape(environment.finalize(t_2(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'reworded'))))
        yield ', most changed first</span></h3>\n    <div class="sd-scroll" tabindex="0" aria-label="Reworded sentences, most changed first">\n    <ol>\n'
        for l_1_item in environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'reworded'):
            _loop_vars = {}
            pass
            yield '<li><a href="#'
            yield escape(environment.finalize(environment.getattr(l_1_item, 'row')))
            yield '" class="sd-where">'
            yield escape(environment.finalize(context.call((undefined(name='numbers') if l_0_numbers is missing else l_0_numbers), 'new', environment.getattr(l_1_item, 'new'), _loop_vars=_loop_vars)))
            yield '</a> '
            yield escape(environment.finalize(context.call((undefined(name='pct') if l_0_pct is missing else l_0_pct), l_1_item, _loop_vars=_loop_vars)))
            if (environment.getattr(l_1_item, 'kind') != 'modified'):
                pass
                yield ' <span class="sd-tag">'
                yield escape(environment.finalize(environment.getattr(l_1_item, 'kind')))
                yield '</span>'
            if environment.getattr(l_1_item, 'weak'):
                pass
                yield ' <span class="sd-tag sd-weak">weak match</span>'
            yield ' '
            yield escape(environment.finalize(environment.getattr(l_1_item, 'text')))
            yield '</li>\n'
        l_1_item = missing
        yield '    </ol>\n    </div>\n  </section>\n'
    if environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'moved'):
        pass
        yield '  <section class="sd-list sd-k-moved" aria-labelledby="sd-l-moved">\n    <h3 id="sd-l-moved">Moved <span class="sd-n">'
        yield escape(environment.finalize(t_2(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'moved'))))
        yield '</span></h3>\n    <div class="sd-scroll" tabindex="0" aria-label="Moved sentences">\n    <ol>\n'
        for l_1_item in environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'moved'):
            _loop_vars = {}
            pass
            yield '<li><a href="#'
            yield escape(environment.finalize(environment.getattr(l_1_item, 'ghost')))
            yield '" class="sd-where">'
            yield escape(environment.finalize(context.call((undefined(name='numbers') if l_0_numbers is missing else l_0_numbers), 'from old', environment.getattr(l_1_item, 'old'), _loop_vars=_loop_vars)))
            yield '</a> → <a href="#'
            yield escape(environment.finalize(environment.getattr(l_1_item, 'row')))
            yield '" class="sd-where">'
            yield escape(environment.finalize(context.call((undefined(name='numbers') if l_0_numbers is missing else l_0_numbers), 'to new', environment.getattr(l_1_item, 'new'), _loop_vars=_loop_vars)))
            yield '</a>'
            if environment.getattr(l_1_item, 'changed'):
                pass
                yield ' '
                yield escape(environment.finalize(context.call((undefined(name='pct') if l_0_pct is missing else l_0_pct), l_1_item, _loop_vars=_loop_vars)))
            yield ' '
            yield escape(environment.finalize(environment.getattr(l_1_item, 'text')))
            yield '</li>\n'
        l_1_item = missing
        yield '    </ol>\n    </div>\n  </section>\n'
    yield '  </div>\n</section>\n\n<nav id="sd-toolbar" class="sd-toolbar" aria-label="Report controls" hidden>\n  <fieldset class="sd-views">\n    <legend>View</legend>\n    <label><input type="radio" name="sd-view" value="sbs" checked> Side by side</label>\n    <label><input type="radio" name="sd-view" value="inline"> Inline (track changes)</label>\n  </fieldset>\n  <fieldset class="sd-context">\n    <legend>Context</legend>\n    <label><input type="checkbox" id="sd-only"> Changes only</label>\n    <label>with <input type="number" id="sd-context-n" min="0" max="50" value="1" inputmode="numeric" aria-label="Unchanged sentences of context around each change"> unchanged around</label>\n  </fieldset>\n  <fieldset class="sd-filters">\n    <legend>Show</legend>\n'
    for l_1_k in (undefined(name='kinds') if l_0_kinds is missing else l_0_kinds):
        l_1_counts = resolve('counts')
        _loop_vars = {}
        pass
        yield '    <label class="sd-k-'
        yield escape(environment.finalize(l_1_k))
        yield '"><input type="checkbox" data-filter="'
        yield escape(environment.finalize(l_1_k))
        yield '" checked> '
        yield escape(environment.finalize(l_1_k))
        yield ' <span class="sd-fc" data-kind="'
        yield escape(environment.finalize(l_1_k))
        yield '">'
        yield escape(environment.finalize(environment.getitem((undefined(name='counts') if l_1_counts is missing else l_1_counts), l_1_k)))
        yield '</span></label>\n'
    l_1_k = l_1_counts = missing
    yield '  </fieldset>\n  <div class="sd-nav">\n    <button type="button" id="sd-prev" title="Previous change (k)">↑ Previous <kbd>k</kbd></button>\n    <button type="button" id="sd-next" title="Next change (j)">Next <kbd>j</kbd> ↓</button>\n  </div>\n  <p id="sd-status" class="sd-status" role="status" aria-live="polite"></p>\n</nav>\n\n<main class="sd-main">\n<h2 class="sd-visually-hidden">The statements, sentence by sentence</h2>\n<table id="sd-table" class="sd-table">\n  <colgroup><col class="sd-c-gutter"><col class="sd-c-old"><col class="sd-c-new"><col class="sd-c-inline"></colgroup>\n  <thead>\n    <tr>\n      <th scope="col" class="sd-gutter">Change</th>\n      <th scope="col" class="sd-old">Old · '
    yield escape(environment.finalize((environment.getattr((undefined(name='old') if l_0_old is missing else l_0_old), 'date') or 'undated')))
    yield '</th>\n      <th scope="col" class="sd-new">New · '
    yield escape(environment.finalize((environment.getattr((undefined(name='new') if l_0_new is missing else l_0_new), 'date') or 'undated')))
    yield '</th>\n      <th scope="col" class="sd-inline">Track changes, in the new statement\'s order</th>\n    </tr>\n  </thead>\n  <tbody>\n'
    for l_1_r in (undefined(name='rows') if l_0_rows is missing else l_0_rows):
        _loop_vars = {}
        pass
        if environment.getattr(l_1_r, 'ghost'):
            pass
            yield '    <tr id="'
            yield escape(environment.finalize(environment.getattr(l_1_r, 'id')))
            yield '" class="sd-row sd-ghost sd-k-moved" data-kind="moved" data-ghost="" tabindex="-1">\n      <td class="sd-gutter"><span class="sd-badge">moved away</span></td>\n      <td class="sd-old sd-in"><a class="sd-moved-link" href="#'
            yield escape(environment.finalize(environment.getattr(l_1_r, 'link')))
            yield '">'
            yield escape(environment.finalize(context.call((undefined(name='numbers') if l_0_numbers is missing else l_0_numbers), 'Old sentence', environment.getattr(l_1_r, 'old_numbers'), _loop_vars=_loop_vars)))
            yield ' moved from here to '
            yield escape(environment.finalize(context.call((undefined(name='numbers') if l_0_numbers is missing else l_0_numbers), 'new', environment.getattr(l_1_r, 'new_numbers'), _loop_vars=_loop_vars)))
            yield ' ↓</a></td>\n      <td class="sd-new"></td>\n    </tr>\n'
        else:
            pass
            yield '    <tr id="'
            yield escape(environment.finalize(environment.getattr(l_1_r, 'id')))
            yield '" class="sd-row sd-k-'
            yield escape(environment.finalize(environment.getattr(l_1_r, 'kind')))
            if (environment.getattr(l_1_r, 'rewritten') or (environment.getattr(l_1_r, 'kind') in ('added', 'removed', 'restated', 'folded'))):
                pass
                yield ' sd-whole'
            if environment.getattr(l_1_r, 'weak'):
                pass
                yield ' sd-weak'
            yield '" data-kind="'
            yield escape(environment.finalize(environment.getattr(l_1_r, 'kind')))
            yield '" data-changed="'
            yield escape(environment.finalize(environment.getattr(l_1_r, 'changed')))
            yield '" tabindex="-1">\n      <td class="sd-gutter"><span class="sd-badge">'
            yield escape(environment.finalize(environment.getattr(l_1_r, 'kind')))
            yield '</span>'
            if ((environment.getattr(l_1_r, 'kind') in ('modified', 'moved', 'split', 'merged')) and environment.getattr(l_1_r, 'changed')):
                pass
                yield escape(environment.finalize(context.call((undefined(name='pct') if l_0_pct is missing else l_0_pct), l_1_r, _loop_vars=_loop_vars)))
            if environment.getattr(l_1_r, 'link'):
                pass
                yield '<a class="sd-moved-link" href="#'
                yield escape(environment.finalize(environment.getattr(l_1_r, 'link')))
                yield '">↑ from '
                yield escape(environment.finalize(context.call((undefined(name='numbers') if l_0_numbers is missing else l_0_numbers), 'old', environment.getattr(l_1_r, 'old_numbers'), _loop_vars=_loop_vars)))
                yield '</a>'
            for l_2_note in environment.getattr(l_1_r, 'notes'):
                _loop_vars = {}
                pass
                yield '<span class="sd-note">'
                yield escape(environment.finalize(l_2_note))
                yield '</span>'
            l_2_note = missing
            yield '</td>      <td class="sd-old'
            yield escape(environment.finalize((' sd-in' if (environment.getattr(l_1_r, 'kind') in ('removed', 'folded')) else cond_expr_undefined("the inline if-expression on line 198 in 'report.html.j2' evaluated to false and no else section was defined."))))
            yield '">'
            yield escape(environment.finalize(context.call((undefined(name='sentences') if l_0_sentences is missing else l_0_sentences), environment.getattr(l_1_r, 'old'), 'old', _loop_vars=_loop_vars)))
            yield '</td>\n      <td class="sd-new'
            yield escape(environment.finalize((' sd-in' if (environment.getattr(l_1_r, 'kind') in ('added', 'unchanged', 'restated')) else cond_expr_undefined("the inline if-expression on line 199 in 'report.html.j2' evaluated to false and no else section was defined."))))
            yield '">'
            yield escape(environment.finalize(context.call((undefined(name='sentences') if l_0_sentences is missing else l_0_sentences), environment.getattr(l_1_r, 'new'), 'new', _loop_vars=_loop_vars)))
            if environment.getattr(l_1_r, 'history'):
                pass
                yield escape(environment.finalize(context.call((undefined(name='history_note') if l_0_history_note is missing else l_0_history_note), environment.getattr(l_1_r, 'history'), _loop_vars=_loop_vars)))
            yield '</td>\n'
            if (environment.getattr(l_1_r, 'kind') not in ('added', 'removed', 'unchanged', 'restated', 'folded')):
                pass
                yield '      <td class="sd-inline sd-in">'
                for l_2_s in environment.getattr(l_1_r, 'new'):
                    _loop_vars = {}
                    pass
                    yield '<a class="sd-link" href="#'
                    yield escape(environment.finalize(environment.getattr(l_2_s, 'id')))
                    yield '">'
                    yield escape(environment.finalize(environment.getattr(l_2_s, 'number')))
                    yield '</a> '
                l_2_s = missing
                yield escape(environment.finalize(context.call((undefined(name='pieces') if l_0_pieces is missing else l_0_pieces), environment.getattr(l_1_r, 'inline'), _loop_vars=_loop_vars)))
                yield '</td>\n'
            yield '    </tr>\n'
    l_1_r = missing
    yield '  </tbody>\n</table>\n</main>\n<footer class="sd-footer">\n  <p>Made by statediff'
    if (undefined(name='model') if l_0_model is missing else l_0_model):
        pass
        yield ' with the embedding model <code>'
        yield escape(environment.finalize((undefined(name='model') if l_0_model is missing else l_0_model)))
        yield '</code>'
    yield ". Sentences are aligned by meaning; word changes are marked <del>deleted</del> and <ins>inserted</ins>.\n  Keys: <kbd>j</kbd> next change, <kbd>k</kbd> previous change. Each sentence's number is a link to it that stays valid in later reports.</p>\n</footer>\n<script>"
    yield escape(environment.finalize((undefined(name='script') if l_0_script is missing else l_0_script)))
    yield '</script>\n</body>\n</html>'

blocks = {}
debug_info = '2=40&3=45&4=48&7=71&8=79&9=84&12=98&13=103&14=112&16=118&17=126&18=137&19=178&21=184&22=199&23=206&24=210&25=212&27=215&28=232&29=239&30=272&39=279&42=281&44=285&52=292&54=294&57=296&58=301&64=314&68=317&69=338&71=346&72=350&73=354&74=358&75=362&77=368&78=415&79=422&83=431&92=442&94=446&96=449&98=457&100=460&104=485&107=489&114=510&116=513&119=517&125=537&127=540&130=542&136=564&138=567&141=569&163=591&164=596&181=608&182=610&187=612&188=615&189=618&191=620&195=629&196=643&198=663&199=667&200=674&201=677&210=691&213=697'