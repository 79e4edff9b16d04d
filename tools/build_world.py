"""Build the dashboard's offline world outline from npm's `world-atlas` (Natural Earth 1:110m, public domain;
world-atlas is ISC-licensed).

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/build_world.py /tmp/package/countries-110m.json src/telex/serving/static/world.json

Writes one SVG path per country in an equirectangular projection (x = lon + 180, y = 90 - lat, one unit per
degree), so the browser draws the map with no projection code and no tile server.
"""

from __future__ import annotations

import json
import sys


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # quantised, delta-encoded
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indices) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def path(arcs, geometry) -> str:
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    out = []
    for polygon in polygons:
        for indices in polygon:
            points = ring(arcs, indices)
            text, last = "", None
            for lon, lat in points:
                xy = (round(lon + 180, 1), round(90 - lat, 1))
                if xy == last:
                    continue
                # a ring that crosses the antimeridian jumps across the whole map: lift the pen instead
                jump = last is None or abs(xy[0] - last[0]) > 180
                text += ("M" if jump else "L") + f"{xy[0]:g},{xy[1]:g}"
                last = xy
            if text.count("L") > 1:
                out.append(text + "Z")
    return "".join(out)


def main(source: str, target: str) -> None:
    topology = json.load(open(source, encoding="utf-8"))
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if "arcs" not in geometry:
            continue
        countries.append({"id": geometry.get("id"), "name": geometry["properties"]["name"], "d": path(arcs, geometry)})
    data = {"source": "Natural Earth 1:110m via world-atlas 2.0.2", "width": 360, "height": 180,
            "countries": countries}
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
    print(f"{len(countries)} countries written to {target}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
