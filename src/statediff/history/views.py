"""The stories of lineages as text, Markdown, JSON (schema ``statediff/history-query/1``) or one HTML page."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from statediff.history.story import Step, Story
from statediff.model import Op

SCHEMA = "statediff/history-query/1"
_WORD = {"first": "first", "reworded": "reworded", "gap": "absent", "returned": "returns", "dropped": "dropped"}


def _plain_ops(ops: Sequence[Op]) -> str:
    from statediff.render.text import _ops

    return _ops(tuple(ops), False)


def _headline(s: Story) -> str:
    state = "in the latest statement" if s.current else f"last seen {s.last}"
    return (f"{s.series} · lineage {s.lineage} · {s.first} to {s.last} ({state}) · "
            f"in {s.appearances} of {s.statements} statements from its first")


def _step_text(step: Step) -> str:
    if step.kind == "gap":
        n = f"{step.absent} statement{'' if step.absent == 1 else 's'}"
        span = step.date if step.until == step.date else f"{step.date} to {step.until}"
        return f"absent from {span} ({n})"
    if step.kind == "dropped":
        return "not in this statement or any later one"
    if step.ops:
        return _plain_ops(step.ops)
    return step.text


def render_text(stories: Sequence[Story], query: str) -> str:
    """One block per lineage: headline, then a line per event (word changes as ``[-old-]{+new+}``)."""
    from statediff.render.text import _clean

    out = [f"{len(stories)} lineage{'' if len(stories) == 1 else 's'} for {_clean(query)}", ""]
    for s in stories:
        out.append(_clean(_headline(s)))
        for step in s.steps:
            marks = f"  [{', '.join(step.marks)}]" if step.marks else ""
            out.append(f"  {step.date}  {_WORD[step.kind]:<8}  {_clean(_step_text(step))}{_clean(marks)}")
        out.append("")
    return "\n".join(out)


def render_markdown(stories: Sequence[Story], query: str) -> str:
    """A section per lineage with a table of its events (``~~deleted~~ **inserted**``)."""
    from statediff.render.markdown import md_escape, ops_markdown

    out = [f"## History: {md_escape(query)}", "", f"{len(stories)} lineage{'' if len(stories) == 1 else 's'}.", ""]
    for s in stories:
        out += [f"### {md_escape(s.series)} · `{s.lineage}`", "", md_escape(_headline(s)), "",
                "| date | what | sentence |", "|---|---|---|"]
        for step in s.steps:
            body = ops_markdown(tuple(step.ops)) if step.ops else md_escape(_step_text(step))
            marks = f" ({md_escape(', '.join(step.marks))})" if step.marks else ""
            out.append(f"| {step.date} | {_WORD[step.kind]} | {body}{marks} |")
        out.append("")
    return "\n".join(out)


def stories_to_dict(stories: Sequence[Story], query: str) -> dict[str, Any]:
    """The JSON document."""
    def step(st: Step) -> dict[str, Any]:
        data = asdict(st)
        data["ops"] = [[op.tag, op.text] for op in st.ops]
        data["marks"] = list(st.marks)
        return data

    return {
        "schema": SCHEMA,
        "query": query,
        "lineages": [{**{k: v for k, v in asdict(s).items() if k != "steps"}, "steps": [step(x) for x in s.steps]}
                     for s in stories],
    }


def render_json(stories: Sequence[Story], query: str) -> str:
    return json.dumps(stories_to_dict(stories, query), ensure_ascii=False, indent=2) + "\n"


def render_html(stories: Sequence[Story], query: str, reports_link: str | None = None) -> str:
    """One self-contained page (no script at all); ``reports_link`` prefixes the links to the reports."""
    from statediff.render.html import page_environment

    env = page_environment()
    return str(env.get_template("lineages.html.j2").render(stories=stories, query=query, words=_WORD,
                                                            step_text=_step_text, reports=reports_link))


def render(stories: Sequence[Story], query: str, fmt: str, reports_link: str | None = None) -> str:
    """The stories in one of ``text``, ``md``, ``json``, ``html``."""
    if fmt == "json":
        return render_json(stories, query)
    if fmt == "md":
        return render_markdown(stories, query)
    if fmt == "html":
        return render_html(stories, query, reports_link)
    return render_text(stories, query)
