"""The CAMEO code table shipped with the package (code, QuadClass, Goldstein, PLOVER type, label)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "data" / "cameo.tsv"


@dataclass(frozen=True)
class CameoCode:
    code: str
    root: str
    quad_class: int
    goldstein: float
    plover: str | None
    label: str


@lru_cache(maxsize=1)
def table() -> dict[str, CameoCode]:
    with TABLE.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {
            row["code"]: CameoCode(
                row["code"], row["root"], int(row["quad_class"]), float(row["goldstein"]),
                row["plover"] or None, row["label"],
            )
            for row in rows
        }


def lookup(code: str) -> CameoCode:
    try:
        return table()[code]
    except KeyError:
        raise KeyError(f"unknown CAMEO code {code!r}") from None


ROOT_NAMES = {
    "01": "statement", "02": "appeal", "03": "intent to cooperate", "04": "consult",
    "05": "diplomatic cooperation", "06": "material cooperation", "07": "provide aid", "08": "yield",
    "09": "investigate", "10": "demand", "11": "disapprove", "12": "reject", "13": "threaten",
    "14": "protest", "15": "force posture", "16": "reduce relations", "17": "coerce", "18": "assault",
    "19": "fight", "20": "mass violence",
}
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
