"""The reproducible recipe for hendelse's Norwegian pipeline (``hendelse-train``).

Steps, each skippable when its output exists:

1. ``convert``  NDT/NorNE files -> ``training/corpus/{train,dev,test}.spacy``
2. ``train``    two spaCy trainings in parallel (one per CPU core), fixed seeds:
                ``training/nb_hendelse_syntax.cfg`` (tagger, morphologizer,
                lemmatizer, parser on a shared tok2vec) and
                ``training/nb_hendelse_ner.cfg`` (NER with its own tok2vec)
3. ``ship``     assembles the two best models into one pipeline in
                ``src/hendelse/models/nb_hendelse``
4. ``evaluate`` scores the shipped pipeline on the test split ->
                ``training/metrics/test.json``

Run ``hendelse-train all`` (what ``make model`` does). The NorNE data is
read from ``../shared/data/norne`` unless ``--norne`` says otherwise; it is
never copied into the repository, only the trained weights are.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

REPO = Path(__file__).resolve().parents[3]
DEFAULT_NORNE = REPO.parent / "shared" / "data" / "norne"
WORK = REPO / "training"
CORPUS = WORK / "corpus"
NER_TRAIN = CORPUS / "ner-train"
OUTPUT = WORK / "output"
METRICS = WORK / "metrics"
HALVES = ("syntax", "ner")
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
SHIPPED = REPO / "src" / "hendelse" / "models" / "nb_hendelse"

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)

NorneOption = Annotated[Path, typer.Option(help="NorNE checkout (holds ndt/nob).")]


@app.command()
def convert(norne: NorneOption = DEFAULT_NORNE, per_doc: int = 10) -> None:
    """Convert NDT Bokmål files to spaCy's binary format, by the standard split."""
    from hendelse.nlp.ndt import convert_files, split_files

    folder = norne / "ndt" / "nob"
    if not folder.is_dir():
        raise typer.BadParameter(f"{folder} not found: pass --norne PATH to a NorNE checkout")
    CORPUS.mkdir(parents=True, exist_ok=True)
    for name, files in split_files(folder).items():
        docbin = convert_files(files, per_doc=per_doc)
        docbin.to_disk(CORPUS / f"{name}.spacy")
        typer.echo(f"{name}: {len(files)} files, {len(docbin)} docs -> {CORPUS / name}.spacy")
    # The NER also learns from the Nynorsk half of NorNE (other texts, same
    # entity guidelines): names look alike in both written standards.
    NER_TRAIN.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CORPUS / "train.spacy", NER_TRAIN / "nob.spacy")
    nynorsk = sorted((norne / "ndt" / "nno").glob("*.conll"))
    if nynorsk:
        docbin = convert_files(nynorsk, per_doc=per_doc)
        docbin.to_disk(NER_TRAIN / "nno.spacy")
        typer.echo(f"ner-train: + {len(nynorsk)} Nynorsk files, {len(docbin)} docs -> {NER_TRAIN}")


def _train_half(half: str, max_steps: int | None) -> None:
    from spacy.cli.train import train as spacy_train

    import hendelse.nlp.augment
    import hendelse.nlp.tokenizer  # noqa: F401  (registers the tokenizer)

    overrides: dict[str, object] = {
        "paths.train": str(NER_TRAIN if half == "ner" else CORPUS / "train.spacy"),
        "paths.dev": str(CORPUS / "dev.spacy"),
    }
    if max_steps:
        overrides["training.max_steps"] = max_steps
    spacy_train(WORK / f"nb_hendelse_{half}.cfg", OUTPUT / half, overrides=overrides)


@app.command()
def train(
    half: Annotated[str | None, typer.Option(help="Train only 'syntax' or 'ner'.")] = None,
    max_steps: Annotated[int | None, typer.Option(help="Override training.max_steps.")] = None,
) -> None:
    """Train both halves of the pipeline, in parallel, with fixed seeds.

    Each half runs in its own process with its log in training/output/HALF.log.
    """
    if half:
        if half not in HALVES:
            raise typer.BadParameter(f"--half must be one of {', '.join(HALVES)}")
        _train_half(half, max_steps)
        return
    started = time.time()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    procs = {}
    for name in HALVES:
        cmd = [sys.executable, "-m", "hendelse.nlp.train", "train", "--half", name]
        if max_steps:
            cmd += ["--max-steps", str(max_steps)]
        log = (OUTPUT / f"{name}.log").open("w")
        procs[name] = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        typer.echo(f"training {name} (log: {OUTPUT / name}.log)")
    failed = [name for name, proc in procs.items() if proc.wait() != 0]
    if failed:
        raise typer.Exit(f"training failed for {', '.join(failed)}: see the logs")
    typer.echo(f"trained in {(time.time() - started) / 60:.1f} min")


@app.command()
def evaluate(
    model: Annotated[Path, typer.Option(help="Model folder.")] = SHIPPED,
    split: str = "test",
) -> None:
    """Score a model on a split and write the figures to training/metrics/.

    Runs in one thread (``OPENBLAS_NUM_THREADS=1``), so that words per
    second is a per-core figure.
    """
    if os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        env = {**os.environ, **{v: "1" for v in THREAD_VARIABLES}}
        cmd = [sys.executable, "-m", "hendelse.nlp.train", "evaluate"]
        cmd += ["--model", str(model), "--split", split]
        raise typer.Exit(subprocess.call(cmd, env=env))
    from hendelse.nlp.scores import score_model

    scores = score_model(model, CORPUS / f"{split}.spacy")
    METRICS.mkdir(parents=True, exist_ok=True)
    (METRICS / f"{split}.json").write_text(json.dumps(scores, indent=2, ensure_ascii=False))
    typer.echo(json.dumps(scores, indent=2, ensure_ascii=False))


@app.command()
def ship(
    syntax: Annotated[Path, typer.Option(help="Syntax model.")] = OUTPUT / "syntax" / "model-best",
    ner: Annotated[Path, typer.Option(help="NER model.")] = OUTPUT / "ner" / "model-best",
) -> None:
    """Assemble the two trained halves into the package's pipeline (works offline)."""
    import spacy

    import hendelse.nlp.components
    import hendelse.nlp.tokenizer  # noqa: F401
    from hendelse.nlp.ops import narrow_weights

    nlp = spacy.load(syntax)
    ner_nlp = spacy.load(ner)
    nlp.add_pipe("news_layout", before="parser")
    nlp.add_pipe("ner", source=ner_nlp)
    nlp.meta["name"] = "hendelse"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = "Norwegian Bokmål pipeline for hendelse, trained on NDT/NorNE"
    nlp.meta["license"] = "Apache-2.0 (weights); training data NDT/NorNE annotations CC0"
    nlp.meta["sources"] = [
        {"name": "Norwegian Dependency Treebank (NDT)", "license": "CC0 annotations"},
        {"name": "NorNE", "license": "CC0 annotations"},
    ]
    nlp.batch_size = 64  # documents per nlp.pipe batch: fastest here (docs/model.md)
    nlp.meta["weights"] = "float16 on disk, float32 when loaded (hendelse.nlp.ops)"
    narrow_weights(nlp)
    if SHIPPED.exists():
        shutil.rmtree(SHIPPED)
    SHIPPED.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(SHIPPED)
    size = sum(p.stat().st_size for p in SHIPPED.rglob("*") if p.is_file())
    typer.echo(f"shipped {SHIPPED} ({size / 1e6:.1f} MB)")


@app.command("all")
def run_all(norne: NorneOption = DEFAULT_NORNE) -> None:
    """Convert, train, evaluate and ship: the whole recipe."""
    convert(norne)
    train()
    ship()
    evaluate()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
