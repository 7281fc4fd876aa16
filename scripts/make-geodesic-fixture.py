#!/usr/bin/env python3
"""Writes the geodesic reference fixtures for GeoProjTests from GeographicLib.

Reference values come from GeographicLib's Python package (Karney's algorithms, the same
method PROJ's geod_* implements); run `pip install geographiclib` first. Output:
  Tests/GeoProjTests/Fixtures/geodesic-reference.csv         inverse problem, >= 1,200 pairs
  Tests/GeoProjTests/Fixtures/geodesic-direct-reference.csv  direct problem, >= 300 cases
The `case` column names the category of each row. Categories whose name contains
"antipodal", "pole" or "coincident" are the ones where azimuths are ill-defined or unstable;
GeodesicTests compares only distances for them.
Numbers are written with repr(), which round-trips doubles exactly. The seed is fixed, so a
rerun reproduces the files byte for byte.
"""
import csv
import math
import os
import random
import sys
from collections import Counter
from fractions import Fraction

from geographiclib.geodesic import Geodesic

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "GeoProjTests", "Fixtures")
G = Geodesic.WGS84
rng = random.Random(20240128)

# Longitudes that are whole multiples of 2^-30 degree: adding or subtracting 180 to them is
# exact in binary floating point, so "exactly antipodal" pairs really are exactly antipodal.
QUANTUM = 2.0 ** -30


def lon():
    return rng.uniform(-180, 180)


def lat():
    return rng.uniform(-90, 90)


def quantized(x):
    return round(x / QUANTUM) * QUANTUM


def opposite(lon1):
    """The antipodal longitude, in [-180, 180]."""
    return lon1 + 180 if lon1 <= 0 else lon1 - 180


def signed_log_uniform(lo, hi):
    """A random offset with magnitude log-uniform in [lo, hi] and a random sign."""
    return rng.choice([1, -1]) * 10 ** rng.uniform(math.log10(lo), math.log10(hi))


def inverse_cases():
    # The example from the foundation issue: Albu Kamal to Erbil, 340,865.86 m.
    yield "albukamal-erbil", 34.45226, 40.91854, 36.19117, 44.00943
    for _ in range(400):
        yield "random-global", lat(), lon(), lat(), lon()
    for _ in range(150):
        a, b = rng.uniform(29, 38), rng.uniform(36, 49)
        yield "iraq-syria", a, b, rng.uniform(29, 38), rng.uniform(36, 49)
    # Offsets of at most 0.006 degree (or 6e-6) in each coordinate keep the pairs under 1 km
    # (or 1 m) at any latitude; main() checks it.
    for _ in range(80):
        a, b = lat() * 0.99, lon()
        yield "short-1km", a, b, a + rng.uniform(-0.006, 0.006), b + rng.uniform(-0.006, 0.006)
    for _ in range(40):
        a, b = lat() * 0.99, lon()
        yield "short-1m", a, b, a + rng.uniform(-6e-6, 6e-6), b + rng.uniform(-6e-6, 6e-6)
    # Antipodal and nearly antipodal pairs: the hard cases for the inverse problem (the
    # geodesic is not unique, and Newton's method on the auxiliary sphere converges slowly).
    for _ in range(60):
        a, b = lat(), quantized(lon())
        yield "antipodal-exact", a, b, -a, opposite(b)
    for _ in range(40):
        b = quantized(lon())
        yield "antipodal-equator", 0.0, b, 0.0, opposite(b)
    for _ in range(100):
        a, b = lat(), lon()
        yield "antipodal-near", a, b, -a + rng.uniform(-0.5, 0.5), opposite(b) + rng.uniform(-0.5, 0.5)
    for _ in range(60):
        a, b = lat() * 0.999, lon()
        yield ("antipodal-near-tight", a, b, -a + signed_log_uniform(1e-9, 1e-2),
               opposite(b) + signed_log_uniform(1e-9, 1e-2))
    # On the equator, points less than (1 - f) * 180 degrees of longitude apart are joined
    # along the equator; beyond that the shortest path goes over a pole. Cover both sides.
    for _ in range(40):
        b = lon()
        d = rng.uniform(179.0, 180.0)
        lat2 = 0.0 if rng.random() < 0.5 else signed_log_uniform(1e-9, 1e-3)
        yield "antipodal-near-equator", 0.0, b, lat2, b + d if b <= 0 else b - d
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
    # Distances log-uniform from 1 m to 19,000 km (10^7.2788 m).
    top = math.log10(19_000_000)
    for _ in range(250):
        yield "random", lat(), lon(), rng.uniform(-180, 180), 10 ** rng.uniform(0, top)
    for _ in range(30):
        yield "near-pole", rng.choice([1, -1]) * rng.uniform(89, 90), lon(), rng.uniform(-180, 180), 10 ** rng.uniform(0, 7)
    for _ in range(30):
        yield "iraq-syria", rng.uniform(29, 38), rng.uniform(36, 49), rng.uniform(-180, 180), rng.uniform(1, 200_000)
    for _ in range(10):
        yield "long", lat(), lon(), rng.uniform(-180, 180), rng.uniform(18_000_000, 19_000_000)


def check(case, lat1, lon1, lat2, lon2, s12):
    """Sanity checks that each row is what its category says it is."""
    problems = []
    if case == "short-1km" and not s12 < 1000:
        problems.append("not under 1 km")
    if case == "short-1m" and not s12 < 1:
        problems.append("not under 1 m")
    if case in ("antipodal-exact", "antipodal-equator"):
        if lat2 != -lat1 or abs(Fraction(lon1) - Fraction(lon2)) != 180:
            problems.append("not exactly antipodal")
    if case == "near-pole" and not abs(lat1) > 89.9:
        problems.append("not near a pole")
    if case == "coincident" and s12 != 0:
        problems.append("coincident points with nonzero distance")
    if problems:
        sys.exit(f"make-geodesic-fixture: {case} {lat1} {lon1} {lat2} {lon2}: {', '.join(problems)}")


def main():
    os.makedirs(OUT, exist_ok=True)
    inverse_counts = Counter()
    with open(os.path.join(OUT, "geodesic-reference.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "lat1", "lon1", "lat2", "lon2", "s12_m", "azi1_deg", "azi2_deg"])
        for case, lat1, lon1, lat2, lon2 in inverse_cases():
            r = G.Inverse(lat1, lon1, lat2, lon2)
            check(case, lat1, lon1, lat2, lon2, r["s12"])
            w.writerow([case, repr(lat1), repr(lon1), repr(lat2), repr(lon2), repr(r["s12"]), repr(r["azi1"]), repr(r["azi2"])])
            inverse_counts[case] += 1
    direct_counts = Counter()
    with open(os.path.join(OUT, "geodesic-direct-reference.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "lat1", "lon1", "azi1_deg", "s12_m", "lat2", "lon2", "azi2_deg"])
        for case, lat1, lon1, azi1, s12 in direct_cases():
            r = G.Direct(lat1, lon1, azi1, s12)
            w.writerow([case, repr(lat1), repr(lon1), repr(azi1), repr(s12), repr(r["lat2"]), repr(r["lon2"]), repr(r["azi2"])])
            direct_counts[case] += 1
    n, m = sum(inverse_counts.values()), sum(direct_counts.values())
    assert n >= 1200 and m >= 300, (n, m)
    print(f"wrote {n} inverse and {m} direct reference cases to {os.path.relpath(OUT, ROOT)}")
    for label, counts in (("inverse", inverse_counts), ("direct", direct_counts)):
        print(f"  {label}: " + ", ".join(f"{c} {k}" for c, k in counts.items()))


if __name__ == "__main__":
    main()
