"""``pantau labels``: officers' corrections of sentiment and regions, exported or learned from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pantau.cli import app
from pantau.cli.console import err, fail, out
from pantau.cli.core import open_store

if TYPE_CHECKING:
    from pantau.text.retrain import OfficeLabel

__all__ = ["labels_app"]

labels_app = typer.Typer(help="Koreksi petugas atas sentimen dan wilayah.", no_args_is_help=True)
app.add_typer(labels_app, name="labels")


def _print_json(row: object) -> None:
    out.print(json.dumps(row, ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)


@labels_app.command("export")
def labels_export(
    database_url: Annotated[str | None, typer.Option(help="URL basis data.")] = None,
) -> None:
    """Tulis koreksi sentimen dan wilayah sebagai JSON Lines (data latih tahap teks)."""
    from pantau.workflow.corrections import export_labels

    _, db = open_store(database_url)
    with db.session() as s:
        rows = export_labels(s)
    for row in rows:
        _print_json(row)
    err.print(f"{len(rows)} koreksi")


def _labels_from_file(path: Path) -> list[OfficeLabel]:
    """The sentiment corrections of a ``pantau labels export`` file; a bad line stops here with
    its number (a training set with a hole in it is not one to install)."""
    from pantau.text.analyzer import analyzed_text
    from pantau.text.retrain import OfficeLabel

    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if row.get("field") != "sentiment":
                    continue
                text = analyzed_text(row.get("title"), str(row["text"]))
                rows.append(OfficeLabel(str(row.get("id", n)), text, str(row["sentiment"])))
            except (ValueError, KeyError, AttributeError) as exc:
                fail(f"{path} baris {n}: bukan koreksi dari `pantau labels export` ({exc!r})")
    return rows


@labels_app.command("retrain")
def labels_retrain(
    labels: Annotated[
        Path | None,
        typer.Option(
            "--labels",
            help="Berkas JSON Lines dari `pantau labels export` (bawaan: koreksi di basis data).",
        ),
    ] = None,
    check_only: Annotated[
        bool, typer.Option("--check-only", help="Latih dan nilai saja, tanpa memasang model.")
    ] = False,
    database_url: Annotated[str | None, typer.Option(help="URL basis data.")] = None,
) -> None:
    """Latih ulang model sentimen dengan koreksi petugas; dipasang hanya bila tidak lebih buruk.

    Model baru dinilai bersama model yang dipakai pada SmSA valid dan pada seperlima koreksi
    yang disisihkan; bila lebih buruk, model tidak dipasang (kode keluar 1). Model terpasang di
    data_dir/models/sentiment (atau sentiment_model_path) dan dipakai saat `pantau run`,
    `pantau serve` atau `pantau analyze` dimulai berikutnya.
    """
    from pantau.text.retrain import RetrainError, install, retrain
    from pantau.text.sentiment import SentimentModel, retrained_stem

    if labels is not None:
        from pantau.settings import get_settings

        settings = get_settings()
        rows = _labels_from_file(labels)
    else:
        from pantau.workflow.corrections import sentiment_labels

        settings, db = open_store(database_url)
        with db.session() as s:
            rows = sentiment_labels(s)
    current = SentimentModel.configured(settings).model
    try:
        with err.status(f"Melatih ulang model sentimen dengan {len(rows)} koreksi…"):
            model, report = retrain(rows, current)
    except RetrainError as exc:
        fail(str(exc))
    _print_json(report.to_dict())
    for name, scores in report.scores.items():
        err.print(
            f"{'model baru' if name == 'candidate' else 'model yang dipakai'}: SmSA valid "
            f"{scores['smsa_valid']:.4f}, koreksi yang disisihkan {scores['office_held_aside']:.3f}"
        )
    if not report.accepted:
        err.print("Model baru TIDAK dipasang, lebih buruk pada: " + "; ".join(report.reasons))
        raise typer.Exit(1)
    if check_only:
        err.print("Model baru lolos pemeriksaan (tidak dipasang: --check-only).")
        return
    stem = retrained_stem(settings)
    install(model, stem)
    err.print(
        f"Model baru dipasang di {stem}.npz (asal-usul: {stem}.provenance.json); dipakai saat "
        "pantau run/serve/analyze dimulai berikutnya."
    )
