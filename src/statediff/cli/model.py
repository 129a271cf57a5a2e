"""``statediff model prepare``: the fast runtime's one-time ONNX export, ahead of the first comparison."""

from __future__ import annotations

import click

from statediff.cli.common import fail_cleanly, model_option


@click.group(name="model")
def model_group() -> None:
    """The embedding model: prepare its fast ONNX export ahead of first use.

    Exit codes: 0 done, 2 error.
    """


@model_group.command()
@model_option
@click.option("--int8", is_flag=True,
              help="Prepare the int8-quantized export (used with STATEDIFF_RUNTIME=onnx-int8) instead of fp32.")
@fail_cleanly
def prepare(model: str | None, int8: bool) -> None:
    """Export the model to ONNX once, checked against sentence-transformers, so no comparison waits for it.

    Without it the first comparison that needs the model does the export (about 20 s). A partial or
    corrupt export is made again. CI can run this once before its tests.

    Exit codes: 0 prepared (or already), 2 error.
    """
    from statediff.engine.embed import runtime_of
    from statediff.engine.fastembed import ensure_prepared

    if model is not None and runtime_of(model, "onnx") == "torch":
        click.echo(f"model {model} has modules the ONNX runtime does not reproduce: it runs on torch "
                   "(sentence-transformers); nothing to prepare")
        return
    prepared, folder, lowest = ensure_prepared(model, "int8" if int8 else "fp32", quiet_export=True)
    where = folder if not isinstance(prepared.model, bytes) else "memory only (the cache folder is not writable)"
    if lowest is None:
        click.echo(f"already prepared: {folder}")
    else:
        click.echo(f"prepared: {where} (lowest cosine to sentence-transformers on the check sentences: {lowest:.5f})")


COMMANDS = (model_group,)
