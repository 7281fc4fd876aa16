import GeoCore
import GeoGazetteer
import GeoSpatial

/// Clustering of points drawn around real gazetteer places (Iraq, Syria, Jordan, Lebanon,
/// Turkey, Iran): single linkage within 50 km on 100k and 1M points, DBSCAN (min 10 points)
/// within 50 km on 100k. The 100k points go to `spatial-points-100k.csv` (lat,lon) for
/// scikit-learn's DBSCAN, measured by scripts/bench_peers.py in the same run.
let spatialBenchmarks: [Benchmark] = [
    Benchmark(name: "cluster-100k") { options in try clusterBenchmark(options, name: "cluster-100k", n: 100_000, minPoints: 1) },
    Benchmark(name: "cluster-1m") { options in try clusterBenchmark(options, name: "cluster-1m", n: 1_000_000, minPoints: 1) },
    Benchmark(name: "dbscan-100k") { options in
        try clusterBenchmark(options, name: "dbscan-100k", n: 100_000, minPoints: spatialBenchmarkMinPoints)
    },
]

/// `min_samples` of the DBSCAN benchmark (scikit-learn counts the point itself, as we do).
let spatialBenchmarkMinPoints = 10
let spatialBenchmarkRadius = Distance.kilometers(50)

func clusterBenchmark(_ options: Options, name: String, n: Int, minPoints: Int) throws {
    let (lons, lats) = try spatialPoints(n)
    if n == 100_000 {
        var w = JSONWriter(reservingCapacity: n * 24)
        w.appendRaw("lat,lon\n")
        for i in 0..<n {
            w.appendDouble(lats[i]); w.appendByte(UInt8(ascii: ",")); w.appendDouble(lons[i]); w.appendByte(UInt8(ascii: "\n"))
        }
        let sink = try FileSink(creating: options.dataDirectory + "/spatial-points-100k.csv")
        try sink.write(w)
        try sink.close()
    }
    var result: ClusterAssignment?
    let seconds = try bestSeconds(options.repeats) {
        result = try SpatialClustering.cluster(longitudes: lons, latitudes: lats, within: spatialBenchmarkRadius, minPoints: minPoints)
    }
    emit(name, Double(n) / seconds, "points/s", n: n)
    emit(name + "-seconds", seconds, "s", n: n)
    let noise = result!.roles.filter { $0 == .noise }.count
    FileHandleLite.stderr("\(name): \(result!.clusterCount) clusters, \(noise) noise points\n")
}

/// `n` points around places of the bundled gazetteer in the region: a place drawn at random,
/// then an offset of up to 15 km (uniform in a square of ±0.15°), seeded.
func spatialPoints(_ n: Int) throws -> (longitudes: [Double], latitudes: [Double]) {
    let g = try Gazetteer.load(userDirectory: nil)
    let countries: Set<String> = ["IQ", "SY", "JO", "LB", "TR", "IR"]
    let places = g.entries.filter { $0.kind == .place && countries.contains($0.country) }
    precondition(!places.isEmpty, "no places in the gazetteer")
    var rng = SeededGenerator(seed: 20_240_128)
    var lons = [Double](), lats = [Double]()
    lons.reserveCapacity(n); lats.reserveCapacity(n)
    for _ in 0..<n {
        let p = places[Int.random(in: 0..<places.count, using: &rng)].position
        lons.append(p.longitude + Double.random(in: -0.15...0.15, using: &rng))
        lats.append(max(-90, min(90, p.latitude + Double.random(in: -0.15...0.15, using: &rng))))
    }
    return (lons, lats)
}
