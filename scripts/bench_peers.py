#!/usr/bin/env python3
"""Measures geo-bench's peers on the same data files, in the same run.

usage: scripts/bench_peers.py DATA_DIR [--repeat N] [--only NAME]... [--geographiclib-pairs N]

DATA_DIR is the directory geo-bench wrote (`geo-bench --data-dir DATA_DIR`):
  geodesic-pairs.csv   header lat1,lon1,lat2,lon2, one pair a row
  points-1m.geojson    a FeatureCollection of Point features
Prints one JSON line per (benchmark, peer), with the benchmark names geo-bench uses:
  {"name": "geojson-read", "peer": "orjson.loads", "value": 123.4, "unit": "MB/s", ...}
A peer that cannot run (module not importable, program not on PATH, data file missing) prints
"value": null and a "note" saying why, so scripts/bench can still report the rest.
Timing is wall clock, best of --repeat runs (default 3). Peers: pyproj and pure-Python
geographiclib (geodesic-inverse); json, orjson and GDAL's ogrinfo/ogr2ogr (geojson-read and
geojson-write). `pip install pyproj geographiclib orjson numpy scikit-learn` for the Python peers;
scikit-learn's DBSCAN (haversine, ball tree) is the peer of dbscan-100k; pyahocorasick over the
gazetteer's names is the peer of geoparse.
"""
import argparse
import csv
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from array import array

PAIRS_FILE = "geodesic-pairs.csv"
POINTS_FILE = "points-1m.geojson"


def emit(name, peer, value, unit, **extra):
    line = {"name": name, "peer": peer, "value": value, "unit": unit}
    line.update(extra)
    print(json.dumps(line), flush=True)


def missing(name, peer, unit, note):
    emit(name, peer, None, unit, note=note)


def best_seconds(repeats, body, setup=None):
    """Best wall-clock seconds of `repeats` calls of body(); setup() runs untimed before each."""
    best = float("inf")
    for _ in range(repeats):
        if setup is not None:
            setup()
        start = time.perf_counter()
        body()
        best = min(best, time.perf_counter() - start)
    return best


def megabytes(path):
    return os.path.getsize(path) / 1e6


# MARK: geodesic-inverse

def load_pairs(path):
    """The four columns of geodesic-pairs.csv as array('d') (no numpy needed)."""
    lat1, lon1, lat2, lon2 = array("d"), array("d"), array("d"), array("d")
    with open(path) as f:
        header = f.readline().strip().split(",")
        if header != ["lat1", "lon1", "lat2", "lon2"]:
            raise ValueError(f"{path}: unexpected header {header}")
        for line in f:
            a, b, c, d = line.split(",")
            lat1.append(float(a)); lon1.append(float(b)); lat2.append(float(c)); lon2.append(float(d))
    return lat1, lon1, lat2, lon2


def bench_geodesic(data_dir, repeats, geographiclib_pairs):
    name, unit = "geodesic-inverse", "pairs/s"
    peers = ["pyproj Geod.inv", "geographiclib (pure Python)"]
    path = os.path.join(data_dir, PAIRS_FILE)
    if not os.path.isfile(path):
        for peer in peers:
            missing(name, peer, unit, f"{path} not found (geo-bench --data-dir writes it)")
        return
    lat1, lon1, lat2, lon2 = load_pairs(path)
    n = len(lat1)

    # pyproj: PROJ's geod_inverse (the same C code geo calls) over whole numpy arrays.
    try:
        import numpy as np
        from pyproj import Geod
    except ImportError as error:
        missing(name, peers[0], unit, f"not importable: {error} (pip install pyproj numpy)")
    else:
        geod = Geod(ellps="WGS84")
        cols = [np.frombuffer(c, dtype=np.float64) for c in (lon1, lat1, lon2, lat2)]
        result = []
        seconds = best_seconds(repeats, lambda: result.append(geod.inv(*cols)))
        assert np.all(np.isfinite(result[-1][2]))
        emit(name, peers[0], n / seconds, unit, n=n, seconds=seconds)

    # geographiclib: Karney's algorithm in pure Python, on a prefix (it is ~1000x slower).
    try:
        from geographiclib.geodesic import Geodesic
    except ImportError as error:
        missing(name, peers[1], unit, f"not importable: {error} (pip install geographiclib)")
    else:
        g = Geodesic.WGS84
        m = min(n, geographiclib_pairs)

        def run():
            inverse = g.Inverse  # STANDARD output: distance and both azimuths, as geod_inverse
            for i in range(m):
                inverse(lat1[i], lon1[i], lat2[i], lon2[i])

        seconds = best_seconds(repeats, run)
        emit(name, peers[1], m / seconds, unit, n=m, seconds=seconds)


# MARK: GeoJSON

def gdal_read(path, repeats):
    """GDAL reading the GeoJSON file, as subprocess wall time (includes process start-up)."""
    name, unit = "geojson-read", "MB/s"
    size = megabytes(path)
    ogrinfo = shutil.which("ogrinfo")
    peers = ["ogrinfo -so (GDAL)", "ogrinfo -al (GDAL, all features)"]
    if ogrinfo is None:
        for peer in peers:
            missing(name, peer, unit, "ogrinfo not on PATH (apt-get install gdal-bin)")
        return
    commands = [
        # Summary only: on GeoJSON this is still a full pass over the file (GDAL scans every
        # feature to build the schema, count and extent), but builds no OGRFeature objects.
        [ogrinfo, "-ro", "-al", "-so", path],
        # The faithful "read everything" measurement: every feature is built (geometry and
        # fields) and reported as one short line (-fields=NO -geom=NO keep the formatting
        # cost negligible) to /dev/null. Chosen over `ogr2ogr -f GeoJSONSeq /dev/null`, which
        # would add GDAL's writer to the time.
        [ogrinfo, "-ro", "-al", "-q", "-fields=NO", "-geom=NO", path],
    ]
    for peer, command in zip(peers, commands):
        def run():
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            seconds = best_seconds(repeats, run)
        except subprocess.CalledProcessError as error:
            missing(name, peer, unit, f"{' '.join(command[:4])} failed with status {error.returncode}")
            continue
        emit(name, peer, size / seconds, unit, bytes=os.path.getsize(path), seconds=seconds)


def gdal_write(path, repeats, scratch):
    name, unit, peer = "geojson-write", "MB/s", "ogr2ogr (read+write)"
    ogr2ogr = shutil.which("ogr2ogr")
    if ogr2ogr is None:
        missing(name, peer, unit, "ogr2ogr not on PATH (apt-get install gdal-bin)")
        return
    target = os.path.join(scratch, "ogr2ogr-out.geojson")

    def remove():
        if os.path.exists(target):
            os.remove(target)

    def run():
        subprocess.run([ogr2ogr, "-f", "GeoJSON", target, path], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    try:
        seconds = best_seconds(repeats, run, setup=remove)
    except subprocess.CalledProcessError as error:
        missing(name, peer, unit, f"ogr2ogr failed with status {error.returncode}")
        return
    size = os.path.getsize(target)
    remove()
    # Throughput of ogr2ogr's output; the time includes reading the input as well.
    emit(name, peer, size / 1e6 / seconds, unit, bytes=size, seconds=seconds)


def bench_geojson(data_dir, repeats, only):
    path = os.path.join(data_dir, POINTS_FILE)
    read_peers = ["json.load", "json.load (gc off)", "orjson.loads", "orjson.loads (gc off)",
                  "ogrinfo -so (GDAL)", "ogrinfo -al (GDAL, all features)"]
    write_peers = ["json.dump", "json.dumps", "orjson.dumps", "ogr2ogr (read+write)"]
    if not os.path.isfile(path):
        note = f"{path} not found (geo-bench --data-dir writes it)"
        for benchmark, peers in (("geojson-read", read_peers), ("geojson-write", write_peers)):
            if benchmark in only:
                for peer in peers:
                    missing(benchmark, peer, "MB/s", note)
        return
    size = megabytes(path)
    scratch = tempfile.mkdtemp(prefix="peers-", dir=data_dir)
    try:
        try:
            import orjson
        except ImportError as error:
            orjson = None
            orjson_note = f"not importable: {error} (pip install orjson)"

        # Reading: the time includes reading the bytes from the file, as geo-bench's does.
        # Each Python reader is timed twice: with the cyclic garbage collector on, as in a
        # plain Python program, and with it off during the timed call ("gc off"), which is
        # the parser at its best: building 1M features' dicts and lists triggers repeated
        # full collections that can take most of the time.
        loaded = None
        if "geojson-read" in only:
            def drop():
                nonlocal loaded
                loaded = None
                gc.collect()

            def json_load():
                with open(path, "rb") as f:
                    return json.load(f)

            def orjson_load():
                with open(path, "rb") as f:
                    return orjson.loads(f.read())

            for peer, load in (("json.load", json_load), ("orjson.loads", orjson_load)):
                if peer == "orjson.loads" and orjson is None:
                    missing("geojson-read", peer, "MB/s", orjson_note)
                    missing("geojson-read", peer + " (gc off)", "MB/s", orjson_note)
                    continue
                for gc_off in (False, True):
                    def run():
                        nonlocal loaded
                        if gc_off:
                            gc.disable()
                        try:
                            loaded = load()
                        finally:
                            gc.enable()

                    seconds = best_seconds(repeats, run, setup=drop)
                    label = peer + (" (gc off)" if gc_off else "")
                    emit("geojson-read", label, size / seconds, "MB/s", features=len(loaded["features"]), seconds=seconds)
            gdal_read(path, repeats)

        if "geojson-write" in only:
            if loaded is None:
                with open(path, "rb") as f:
                    loaded = json.load(f)
            target = os.path.join(scratch, "python-out.geojson")
            # Compact separators, like geo's writer, so the outputs are about the same size.
            compact = (",", ":")

            def dump():  # json.dump streams through the pure-Python iterencode
                with open(target, "w", encoding="utf-8") as f:
                    json.dump(loaded, f, separators=compact, ensure_ascii=False)

            def dumps():  # json.dumps uses the C encoder, then one write
                with open(target, "w", encoding="utf-8") as f:
                    f.write(json.dumps(loaded, separators=compact, ensure_ascii=False))

            def dumps_orjson():
                with open(target, "wb") as f:
                    f.write(orjson.dumps(loaded))

            for peer, body in (("json.dump", dump), ("json.dumps", dumps), ("orjson.dumps", dumps_orjson)):
                if peer == "orjson.dumps" and orjson is None:
                    missing("geojson-write", peer, "MB/s", orjson_note)
                    continue
                seconds = best_seconds(repeats, body)
                out_size = os.path.getsize(target)
                emit("geojson-write", peer, out_size / 1e6 / seconds, "MB/s", bytes=out_size, seconds=seconds)
            loaded = None
            gc.collect()
            gdal_write(path, repeats, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def bench_gazetteer(data, repeats):
    """A plain-Python baseline over the same bundled file: places.tsv into a dict of lowercased
    names and aliases (load), then dict lookups of the same exact queries (no normalisation,
    ranking or alternatives, so a lower bound on work), and rapidfuzz's Jaro-Winkler scan over all
    names for the misspelt ones."""
    root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Gazetteer", "places.tsv")
    if not os.path.exists(root):
        return

    def load():
        index = {}
        with open(root, encoding="utf-8") as f:
            next(f)
            for line in f:
                fields = line.rstrip("\n").split("\t")
                for name in [fields[1]] + (fields[7].split("|") if fields[7] else []):
                    index.setdefault(name.lower(), []).append(int(fields[0]))
        return index

    t = best_seconds(repeats, load)
    emit("gazetteer-load", "Python dict of places.tsv names", t * 1000, "ms")
    index = load()
    exact_path = os.path.join(data, "gazetteer-exact-queries.txt")
    if os.path.exists(exact_path):
        queries = open(exact_path, encoding="utf-8").read().split("\n")[:-1]
        t = best_seconds(repeats, lambda: [index.get(q.lower()) for q in queries])
        emit("gazetteer-exact", "Python dict.get (no normalisation)", len(queries) / t, "lookups/s")
    repeated_path = os.path.join(data, "gazetteer-exact-repeated-queries.txt")
    if os.path.exists(repeated_path):
        queries = open(repeated_path, encoding="utf-8").read().split("\n")[:-1]
        t = best_seconds(repeats, lambda: [index.get(q.lower()) for q in queries])
        emit("gazetteer-exact-repeated", "Python dict.get (no normalisation)", len(queries) / t, "lookups/s")
    fuzzy_path = os.path.join(data, "gazetteer-fuzzy-queries.txt")
    if os.path.exists(fuzzy_path):
        try:
            from rapidfuzz import process
            from rapidfuzz.distance import JaroWinkler
            names = list(index.keys())
            queries = open(fuzzy_path, encoding="utf-8").read().split("\n")[:-1][:300]
            # The same similarity geo ranks by (Jaro-Winkler, cut off at 0.9), over every name:
            # rapidfuzz has no candidate index, so this is its fastest exact answer.
            t = best_seconds(1, lambda: [process.extractOne(q.lower(), names, scorer=JaroWinkler.normalized_similarity, score_cutoff=0.9)
                                         for q in queries])
            emit("gazetteer-fuzzy", "rapidfuzz extractOne, Jaro-Winkler >= 0.9, over all names", len(queries) / t, "lookups/s")
        except ImportError as e:
            missing("gazetteer-fuzzy", "rapidfuzz", "lookups/s", f"rapidfuzz missing: {e}")



# MARK: convert-1m

def run_child(argv):
    """Wall seconds and peak resident memory (MB) of one child process, output discarded. The
    peak comes from GNU time: Linux carries a parent's high-water mark into a forked child, so
    wait4's figure for a child of this (large) Python process would be the parent's."""
    report = tempfile.NamedTemporaryFile(prefix="bench-rss-", delete=False).name
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        code = subprocess.call(["/usr/bin/time", "-f", "%M", "-o", report] + argv, stdout=null, stderr=null)
    seconds = time.perf_counter() - start
    if code != 0:
        raise RuntimeError(f"{argv[0]} exited with {code}")
    with open(report) as f:
        kilobytes = int(f.read().split()[-1])
    os.remove(report)
    return seconds, kilobytes / 1024


# ogr2ogr's options for events-1m.csv: points from the latitude and longitude columns.
CSV_POINTS = ["-oo", "X_POSSIBLE_NAMES=longitude", "-oo", "Y_POSSIBLE_NAMES=latitude", "-oo", "KEEP_GEOM_COLUMNS=NO",
              "-a_srs", "EPSG:4326"]


def ogr2ogr_copy(path, options, runs):
    """Best seconds and peak MB of `runs` runs of ogr2ogr rewriting `path` as GeoJSONSeq."""
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "copy.geojsons")
        best, peak = float("inf"), 0.0
        for _ in range(runs):
            if os.path.exists(out):
                os.remove(out)
            seconds, mb = run_child(["ogr2ogr", "-f", "GeoJSONSeq", out, path] + options)
            best, peak = min(best, seconds), max(peak, mb)
    return best, peak


def bench_convert(data_dir, repeats):
    """GDAL's ogr2ogr converting the same 1M-row CSV to GeoJSONSeq (points from the latitude and
    longitude columns, every other column a property). It neither geocodes nor checks countries,
    so it is compared with both of geo's runs."""
    path = os.path.join(data_dir, "events-1m.csv")
    names = ("convert-1m", "convert-1m-no-country-check")
    if not os.path.exists(path):
        for n in names:
            missing(n, "ogr2ogr", "rows/s", "events-1m.csv missing (run geo-bench --only convert-1m)")
        return
    if shutil.which("ogr2ogr") is None:
        for n in names:
            missing(n, "ogr2ogr", "rows/s", "ogr2ogr not on PATH (Debian gdal-bin)")
        return
    rows = sum(1 for _ in open(path, "rb")) - 1
    best, peak = ogr2ogr_copy(path, CSV_POINTS, repeats)
    for n in names:
        emit(n, "ogr2ogr", rows / best, "rows/s")
        emit(n + "-seconds", "ogr2ogr", best, "s")
        emit(n + "-peak-memory", "ogr2ogr", peak, "MB")


# MARK: event layers (issue 19)

def bench_layer(data_dir, repeats, only):
    """Peers for reading events-1m.geojsons (geo convert's GeoJSONSeq of events-1m.csv): orjson
    and json parsing every record (parse only, nothing kept), GDAL's ogrinfo building every
    feature; and for the commands end to end, ogr2ogr rewriting the file as GeoJSONSeq (read and
    write, no analysis), with its peak memory."""
    path = os.path.join(data_dir, "events-1m.geojsons")
    if not os.path.exists(path):
        missing("event-layer-read", "orjson", "MB/s", "events-1m.geojsons missing (run geo-bench --only event-layer-read)")
        return
    size = megabytes(path)
    if only & {"event-layer-read", "event-layer-read-1-thread"}:
        with open(path, "rb") as f:
            records = f.read().split(b"\n")
        try:
            import orjson
        except ImportError as error:
            missing("event-layer-read", "orjson (gc off)", "MB/s", f"not importable: {error}")
        else:
            def orjson_run():
                loads = orjson.loads
                for r in records:
                    if len(r) > 1:
                        loads(r[1:] if r[:1] == b"\x1e" else r)
            gc.disable()
            try:
                seconds = best_seconds(repeats, orjson_run)
            finally:
                gc.enable()
            # orjson parses on one thread: the peer of both lines (geo on all cores, and on one).
            for name in ("event-layer-read", "event-layer-read-1-thread"):
                if name in only:
                    emit(name, "orjson (gc off), parse every record", size / seconds, "MB/s", seconds=seconds)

        def json_run():
            loads = json.loads
            for r in records:
                if len(r) > 1:
                    loads(r[1:] if r[:1] == b"\x1e" else r)
        seconds = best_seconds(repeats, json_run)
        emit("event-layer-read", "json.loads, parse every record", size / seconds, "MB/s", seconds=seconds)
        del records
        if shutil.which("ogrinfo"):
            def ogr_run():
                subprocess.run(["ogrinfo", "-ro", "-al", "-q", "-fields=NO", "-geom=NO", path], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            seconds = best_seconds(repeats, ogr_run)
            # ogrinfo reads on one thread: the peer of geo's reading on both cores and on one.
            for name in ("event-layer-read", "event-layer-read-1-thread"):
                if name in only:
                    emit(name, "ogrinfo -al (GDAL, all features)", size / seconds, "MB/s", seconds=seconds)
    if "commands-1m-geojsonseq" in only and shutil.which("ogr2ogr"):
        best, peak = ogr2ogr_copy(path, [], min(repeats, 2))
        for command in ("cluster", "near", "corridor", "escalation", "convert"):
            emit(f"{command}-1m-geojsonseq-seconds", "ogr2ogr -f GeoJSONSeq (read+write only)", best, "s")
            emit(f"{command}-1m-geojsonseq-peak-memory", "ogr2ogr -f GeoJSONSeq (read+write only)", peak, "MB")
    collection = os.path.join(data_dir, "events-1m.geojson")
    if "commands-1m-geojson" in only and shutil.which("ogr2ogr"):
        if not os.path.exists(collection):
            missing("convert-1m-geojson-seconds", "ogr2ogr", "s", "events-1m.geojson missing (run geo-bench --only commands-1m-geojson)")
        else:
            best, peak = ogr2ogr_copy(collection, [], min(repeats, 2))
            for command in ("cluster", "escalation", "convert"):
                emit(f"{command}-1m-geojson-seconds", "ogr2ogr -f GeoJSONSeq (read+write only)", best, "s")
                emit(f"{command}-1m-geojson-peak-memory", "ogr2ogr -f GeoJSONSeq (read+write only)", peak, "MB")


def bench_table(data_dir, repeats, only):
    """Peers for reading events-1m.csv: Python's csv module splitting every row (one thread,
    nothing kept), GDAL's ogrinfo building every feature from the latitude/longitude columns;
    for the commands end to end, ogr2ogr rewriting the table as GeoJSONSeq (read and write)."""
    path = os.path.join(data_dir, "events-1m.csv")
    if not os.path.exists(path):
        missing("table-layer-read", "csv module", "rows/s", "events-1m.csv missing (run geo-bench --only convert-1m)")
        return
    rows = sum(1 for _ in open(path, "rb")) - 1
    if only & {"table-layer-read", "table-layer-read-1-thread"}:
        def csv_run():
            with open(path, newline="", encoding="utf-8") as f:
                for _ in csv.reader(f):
                    pass
        seconds = best_seconds(repeats, csv_run)
        for name in ("table-layer-read", "table-layer-read-1-thread"):
            if name in only:
                emit(name, "Python csv.reader, split every row", rows / seconds, "rows/s", seconds=seconds)
        if shutil.which("ogrinfo"):
            def ogr_run():
                subprocess.run(["ogrinfo", "-ro", "-al", "-q", "-fields=NO", "-geom=NO", path, "-oo", "X_POSSIBLE_NAMES=longitude",
                                "-oo", "Y_POSSIBLE_NAMES=latitude"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            seconds = best_seconds(repeats, ogr_run)
            for name in ("table-layer-read", "table-layer-read-1-thread"):
                if name in only:
                    emit(name, "ogrinfo -al (GDAL, all features)", rows / seconds, "rows/s", seconds=seconds)
    if "commands-1m-csv" in only and shutil.which("ogr2ogr"):
        best, peak = ogr2ogr_copy(path, CSV_POINTS, min(repeats, 2))
        for command in ("cluster", "near", "corridor", "escalation", "convert"):
            emit(f"{command}-1m-csv-seconds", "ogr2ogr -f GeoJSONSeq (read+write only)", best, "s")
            emit(f"{command}-1m-csv-peak-memory", "ogr2ogr -f GeoJSONSeq (read+write only)", peak, "MB")


def bench_acled(data_dir, repeats):
    """The peer of the commands on acled-300k.csv (an ACLED export's shape): ogr2ogr rewriting
    the export as GeoJSONSeq (read and write, no analysis, no country check), with its peak
    memory."""
    path = os.path.join(data_dir, "acled-300k.csv")
    commands = ("cluster", "near", "corridor", "escalation", "convert")
    if not os.path.exists(path):
        missing("convert-acled-300k-seconds", "ogr2ogr", "s", "acled-300k.csv missing (run geo-bench --only commands-acled-300k)")
        return
    if shutil.which("ogr2ogr") is None:
        missing("convert-acled-300k-seconds", "ogr2ogr", "s", "ogr2ogr not on PATH (Debian gdal-bin)")
        return
    best, peak = ogr2ogr_copy(path, CSV_POINTS, min(repeats, 2))
    for command in commands:
        emit(f"{command}-acled-300k-seconds", "ogr2ogr -f GeoJSONSeq (read+write only)", best, "s")
        emit(f"{command}-acled-300k-peak-memory", "ogr2ogr -f GeoJSONSeq (read+write only)", peak, "MB")


def bench_dbscan(data_dir, repeats):
    """scikit-learn DBSCAN on the same 100k points geo-bench clusters (spatial-points-100k.csv):
    haversine metric (sphere of the mean radius 6371.0088 km) with a ball tree, eps 50 km,
    min_samples 10 (the point itself counted, as in geo's --min-points)."""
    name, unit = "dbscan-100k", "points/s"
    path = os.path.join(data_dir, "spatial-points-100k.csv")
    if not os.path.exists(path):
        missing(name, "sklearn.DBSCAN", unit, "spatial-points-100k.csv missing (run geo-bench --only dbscan-100k)")
        return
    try:
        import numpy as np
        from sklearn.cluster import DBSCAN
    except ImportError as e:
        missing(name, "sklearn.DBSCAN", unit, f"cannot import scikit-learn: {e}")
        return
    coords = np.radians(np.loadtxt(path, delimiter=",", skiprows=1))
    labels = None

    def run():
        nonlocal labels
        labels = DBSCAN(eps=50.0 / 6371.0088, min_samples=10, metric="haversine", algorithm="ball_tree").fit(coords).labels_

    seconds = best_seconds(repeats, run)
    clusters = len(set(labels.tolist()) - {-1})
    emit(name, "sklearn.DBSCAN", len(coords) / seconds, unit, clusters=clusters, noise=int((labels == -1).sum()))
    emit(name + "-seconds", "sklearn.DBSCAN", seconds, "s")


# MARK: geoparse

def gazetteer_names():
    """Every name and alias of the bundled gazetteer (places.tsv, sites.csv, provinces.csv,
    country-codes.csv), lowercased, at least 3 characters: what geo geoparse matches."""
    import csv
    root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Gazetteer")
    names = set()
    with open(os.path.join(root, "places.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            fields = line.rstrip("\n").split("\t")
            names.add(fields[1])
            if len(fields) > 7 and fields[7]:
                names.update(fields[7].split("|"))
    for file, column, aliases, sep in (("sites.csv", "name", "aliases", ";"), ("provinces.csv", "name", "aliases", ";"),
                                       ("country-codes.csv", "name", "other_names", ";")):
        with open(os.path.join(root, file), encoding="utf-8") as f:
            for row in csv.DictReader(f):
                names.add(row[column])
                names.update(a.strip() for a in (row.get(aliases) or "").split(sep))
    return {n.lower() for n in names if len(n.strip()) >= 3}


def bench_geoparse(data_dir, repeats):
    """pyahocorasick (a C automaton) over the same gazetteer names, on the same reports
    geo-bench geoparses: lowercased text, matches kept at word boundaries, longest first, no
    overlaps. Recognition by exact names only: no evidence, folding or resolution, so a lower
    bound on the work geo does."""
    name, unit = "geoparse", "MB/s"
    path = os.path.join(data_dir, "geoparse-reports.jsonl")
    if not os.path.isfile(path):
        missing(name, "pyahocorasick", unit, f"{path} not found (geo-bench --only geoparse writes it)")
        return
    try:
        import ahocorasick
    except ImportError as e:
        missing(name, "pyahocorasick", unit, f"pyahocorasick missing: {e}")
        return
    reports = [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
    size = sum(len(r.encode("utf-8")) for r in reports) / 1e6
    start = time.perf_counter()
    automaton = ahocorasick.Automaton()
    for n in gazetteer_names():
        automaton.add_word(n, len(n))
    automaton.make_automaton()
    build = time.perf_counter() - start

    def run():
        found = 0
        for text in reports:
            lower = text.lower()
            taken_end = -1
            matches = []
            for end, length in automaton.iter_long(lower):
                s = end - length + 1
                if (s == 0 or not lower[s - 1].isalnum()) and (end + 1 == len(lower) or not lower[end + 1].isalnum()):
                    matches.append((s, end))
            for s, e in matches:
                if s > taken_end:
                    found += 1
                    taken_end = e
        return found

    t = best_seconds(repeats, run)
    emit(name, "pyahocorasick, exact lowercased names, word boundaries (no resolution)", size / t, unit,
         build_seconds=round(build, 2), mentions=run())


BENCHMARKS = ("geodesic-inverse", "geojson-write", "geojson-read", "gazetteer-load", "gazetteer-exact", "gazetteer-fuzzy",
              "convert-1m", "event-layer-read", "event-layer-read-1-thread", "commands-1m-geojsonseq", "commands-1m-geojson", "table-layer-read",
              "table-layer-read-1-thread", "commands-1m-csv", "commands-acled-300k", "dbscan-100k", "geoparse")


def main():
    parser = argparse.ArgumentParser(description="Measure geo-bench's peers on the same data files.")
    parser.add_argument("data_dir", metavar="DATA_DIR")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is reported (default 3)")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="run only this benchmark's peers (repeatable; names without peers are ignored: "
                             + ", ".join(BENCHMARKS) + " have some)")
    parser.add_argument("--geographiclib-pairs", type=int, default=100_000,
                        help="pairs for pure-Python geographiclib (default 100,000)")
    args = parser.parse_args()
    if args.repeat < 1 or args.geographiclib_pairs < 1:
        parser.error("--repeat and --geographiclib-pairs must be positive")
    if not os.path.isdir(args.data_dir):
        parser.error(f"{args.data_dir} is not a directory")
    only = set(args.only or BENCHMARKS)
    if "geodesic-inverse" in only:
        bench_geodesic(args.data_dir, args.repeat, args.geographiclib_pairs)
    if only & {"geojson-read", "geojson-write"}:
        bench_geojson(args.data_dir, args.repeat, only)
    if only & {"gazetteer-load", "gazetteer-exact", "gazetteer-fuzzy"}:
        bench_gazetteer(args.data_dir, args.repeat)
    if "convert-1m" in only:
        bench_convert(args.data_dir, args.repeat)
    if only & {"event-layer-read", "event-layer-read-1-thread", "commands-1m-geojsonseq", "commands-1m-geojson"}:
        bench_layer(args.data_dir, args.repeat, only)
    if only & {"table-layer-read", "table-layer-read-1-thread", "commands-1m-csv"}:
        bench_table(args.data_dir, args.repeat, only)
    if "commands-acled-300k" in only:
        bench_acled(args.data_dir, args.repeat)
    if "dbscan-100k" in only:
        bench_dbscan(args.data_dir, args.repeat)
    if "geoparse" in only:
        bench_geoparse(args.data_dir, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
