#!/usr/bin/env python3
"""Writes the geodesic reference fixtures for GeoProjTests from GeographicLib.

Reference values come from GeographicLib's Python package (Karney's algorithms, the same
method PROJ's geod_* implements); `pip install geographiclib` first. Output:
  Tests/GeoProjTests/Fixtures/geodesic-reference.csv         inverse problem, >= 1,000 pairs
  Tests/GeoProjTests/Fixtures/geodesic-direct-reference.csv  direct problem, >= 300 cases
Numbers are written with repr(), which round-trips doubles exactly. The seed is fixed, so a
rerun reproduces the files byte for byte.
"""
import csv
import os
import random

from geographiclib.geodesic import Geodesic

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "GeoProjTests", "Fixtures")
G = Geodesic.WGS84
rng = random.Random(20240128)


def lon():
    return rng.uniform(-180, 180)


def lat():
    return rng.uniform(-90, 90)


def inverse_cases():
    # The example from the foundation issue: Albu Kamal to Erbil, 340,865.86 m.
    yield "albukamal-erbil", 34.45226, 40.91854, 36.19117, 44.00943
    for _ in range(400):
        yield "random-global", lat(), lon(), lat(), lon()
    for _ in range(150):
        a, b = rng.uniform(29, 38), rng.uniform(36, 49)
        yield "iraq-syria", a, b, rng.uniform(29, 38), rng.uniform(36, 49)
    for _ in range(80):
        a, b = lat() * 0.99, lon()
        yield "short-1km", a, b, a + rng.uniform(-0.009, 0.009), b + rng.uniform(-0.009, 0.009)
    for _ in range(40):
        a, b = lat() * 0.99, lon()
        yield "short-1m", a, b, a + rng.uniform(-9e-6, 9e-6), b + rng.uniform(-9e-6, 9e-6)
    for _ in range(60):
        a, b = lat(), lon()
        yield "antipodal-exact", a, b, -a, b + 180 if b <= 0 else b - 180
    for _ in range(40):
        b = lon()
        yield "antipodal-equator", 0.0, b, 0.0, (b + 180 if b <= 0 else b - 180)
    for _ in range(100):
        a, b = lat(), lon()
        yield ("antipodal-near", a, b, -a + rng.uniform(-0.5, 0.5),
               (b + 180 if b <= 0 else b - 180) + rng.uniform(-0.5, 0.5))
    for _ in range(60):
        yield "near-pole", rng.choice([1, -1]) * rng.uniform(89.9, 90), lon(), lat(), lon()
    for _ in range(20):
        yield "pole-exact", rng.choice([90.0, -90.0]), lon(), lat(), lon()
    for _ in range(10):
        yield "pole-to-pole", 90.0, lon(), -90.0, lon()
    for _ in range(60):
        a = lat() * 0.9
        yield "antimeridian", a, rng.uniform(170, 180), a + rng.uniform(-5, 5), rng.uniform(-180, -170)
    for _ in range(20):
        a, b = lat(), lon()
        yield "coincident", a, b, a, b
    for _ in range(40):
        b = lon()
        yield "meridional", lat(), b, lat(), b
    for _ in range(40):
        yield "equatorial", 0.0, lon(), 0.0, lon()
    for _ in range(40):
        a = lat() * 0.95
        yield "parallel", a, lon(), a, lon()


def direct_cases():
    for _ in range(250):
        yield "random", lat(), lon(), rng.uniform(-180, 180), 10 ** rng.uniform(0, 7.28)
    for _ in range(30):
        yield "near-pole", rng.choice([1, -1]) * rng.uniform(89, 90), lon(), rng.uniform(-180, 180), 10 ** rng.uniform(0, 7)
    for _ in range(30):
        yield "iraq-syria", rng.uniform(29, 38), rng.uniform(36, 49), rng.uniform(-180, 180), rng.uniform(1, 200_000)
    for _ in range(10):
        yield "long", lat(), lon(), rng.uniform(-180, 180), rng.uniform(19_000_000, 19_990_000)


def main():
    os.makedirs(OUT, exist_ok=True)
    n = 0
    with open(os.path.join(OUT, "geodesic-reference.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "lat1", "lon1", "lat2", "lon2", "s12_m", "azi1_deg", "azi2_deg"])
        for case, lat1, lon1, lat2, lon2 in inverse_cases():
            r = G.Inverse(lat1, lon1, lat2, lon2)
            w.writerow([case, repr(lat1), repr(lon1), repr(lat2), repr(lon2), repr(r["s12"]), repr(r["azi1"]), repr(r["azi2"])])
            n += 1
    m = 0
    with open(os.path.join(OUT, "geodesic-direct-reference.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "lat1", "lon1", "azi1_deg", "s12_m", "lat2", "lon2", "azi2_deg"])
        for case, lat1, lon1, azi1, s12 in direct_cases():
            r = G.Direct(lat1, lon1, azi1, s12)
            w.writerow([case, repr(lat1), repr(lon1), repr(azi1), repr(s12), repr(r["lat2"]), repr(r["lon2"]), repr(r["azi2"])])
            m += 1
    print(f"wrote {n} inverse and {m} direct reference cases to {OUT}")


if __name__ == "__main__":
    main()
