#if canImport(Glibc)
import Glibc
#endif
import GeoCore
import GeoGazetteer
import GeoSpatial

/// Clustering over points drawn around real gazetteer places: single linkage within 50 km on
/// 100k and 1M points, DBSCAN (50 km, 10 points) on the 100k, whose points are saved as
/// `spatial-points-100k.csv` (lat,lon) for scikit-learn's DBSCAN in scripts/bench_peers.py.
let spatialBenchmarks: [Benchmark] = [
    Benchmark(name: "cluster-100k") { options in
        let points = try spatialPoints(100_000, options)
        try clusterBenchmark("cluster-100k", points, minPoints: 1, options)
    },
    Benchmark(name: "cluster-1m") { options in
        let points = try spatialPoints(1_000_000, options)
        try clusterBenchmark("cluster-1m", points, minPoints: 1, options)
    },
    Benchmark(name: "dbscan-100k") { options in
        let points = try spatialPoints(100_000, options)
        try clusterBenchmark("dbscan-100k", points, minPoints: spatialDBSCANMinPoints, options)
    },
]

/// Shared with the scikit-learn peer: 50 km, at least 10 points.
let spatialClusterKilometers = 50.0
let spatialDBSCANMinPoints = 10

func clusterBenchmark(_ name: String, _ points: (latitudes: [Double], longitudes: [Double]), minPoints: Int, _ options: Options) throws {
    let parameters = ClusterParameters(distance: .kilometers(spatialClusterKilometers), minPoints: minPoints)
    var result: ClusterAssignment?
    let seconds = try bestSeconds(options.repeats) {
        result = try PointClustering.cluster(latitudes: points.latitudes, longitudes: points.longitudes, parameters: parameters)
    }
    emit(name, seconds * 1000, "ms", n: points.latitudes.count)
    if let result {
        let noise = result.clusters.filter { $0 < 0 }.count
        FileHandleLite.stderr("\(name): \(result.clusterCount) clusters, \(noise) noise points, largest \(result.sizes.max() ?? 0)\n")
    }
}

/// `n` points, each a uniformly random gazetteer place (populated places, worldwide, dense in
/// the region) moved up to 15 km in a random direction; the first 100,000 are the same for
/// every `n`. Writes `spatial-points-100k.csv` for the peers when `n` is 100,000.
func spatialPoints(_ n: Int, _ options: Options) throws -> (latitudes: [Double], longitudes: [Double]) {
    let g = try Gazetteer.load(userDirectory: nil)
    let places = g.entries.filter { $0.kind == .place }
    var rng = SeededGenerator(seed: 20_240_128)
    var latitudes = [Double](), longitudes = [Double]()
    latitudes.reserveCapacity(n); longitudes.reserveCapacity(n)
    for _ in 0..<n {
        let p = places[Int.random(in: 0..<places.count, using: &rng)].position
        let r = 15_000 * Double.random(in: 0...1, using: &rng).squareRoot()
        let theta = Double.random(in: 0..<(2 * Double.pi), using: &rng)
        let lat = max(-90, min(90, p.latitude + r * cos(theta) / 111_000))
        var lon = p.longitude + r * sin(theta) / (111_000 * max(0.01, cos(lat * Double.pi / 180)))
        if lon > 180 { lon -= 360 } else if lon < -180 { lon += 360 }
        latitudes.append(lat); longitudes.append(lon)
    }
    if n == 100_000 {
        var w = JSONWriter(reservingCapacity: n * 24)
        w.appendRaw("lat,lon\n")
        for i in 0..<n {
            w.appendFixed(latitudes[i], decimals: 7)
            w.appendByte(UInt8(ascii: ","))
            w.appendFixed(longitudes[i], decimals: 7)
            w.appendByte(UInt8(ascii: "\n"))
        }
        let sink = try FileSink(creating: options.dataDirectory + "/spatial-points-100k.csv")
        try sink.write(w.bytes)
        try sink.close()
    }
    return (latitudes, longitudes)
}
