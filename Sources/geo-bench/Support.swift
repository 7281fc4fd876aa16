// geo-bench: named benchmarks for scripts/bench, one JSON line per result on stdout:
//   {"name":"geodesic-inverse","value":…,"unit":"pairs/s","n":…}
// scripts/bench runs the peers (pyproj, Python json/orjson, GDAL) on the same data files and
// prints the ratios. Timing is wall clock, best of `--repeat` runs, release build.
#if canImport(Glibc)
import Glibc
#endif
import GeoCore
import GeoGazetteer
import GeoProj

struct Options: Sendable {
    var dataDirectory = "bench-data"
    var only: Set<String> = []
    var points = 1_000_000
    var pairs = 1_000_000
    var repeats = 3
}

func parseOptions() -> Options {
    var options = Options()
    var args = CommandLine.arguments.dropFirst().makeIterator()
    func value(_ flag: String) -> String {
        guard let v = args.next() else { fail("\(flag) needs a value") }
        return v
    }
    func count(_ flag: String) -> Int {
        let text = value(flag)
        guard let n = Int(text.replacingUnderscores()), n > 0 else { fail("\(flag): '\(text)' is not a positive integer") }
        return n
    }
    while let arg = args.next() {
        switch arg {
        case "--data-dir": options.dataDirectory = value(arg)
        case "--only": options.only.insert(value(arg))
        case "--points": options.points = count(arg)
        case "--pairs": options.pairs = count(arg)
        case "--repeat": options.repeats = count(arg)
        case "-h", "--help":
            print("usage: geo-bench [--data-dir DIR] [--only NAME]... [--points N] [--pairs N] [--repeat N]")
            print("benchmarks: geodesic-inverse, geojson-write, geojson-read, gazetteer-load, gazetteer-exact, gazetteer-fuzzy, geoparse, …")
            exit(0)
        default: fail("unknown argument '\(arg)' (try --help)")
        }
    }
    return options
}

func fail(_ message: String) -> Never {
    FileHandleLite.stderr("geo-bench: \(message)\n")
    exit(2)
}

enum FileHandleLite {
    static func stderr(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}

extension String {
    func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}

/// Best wall-clock seconds of `repeats` runs.
func bestSeconds(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    let clock = ContinuousClock()
    for _ in 0..<repeats {
        let elapsed = try clock.measure(body)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        best = min(best, seconds)
    }
    return best
}

func emit(_ name: String, _ value: Double, _ unit: String, n: Int) {
    var w = JSONWriter()
    w.append(["name": .string(name), "value": .double(value), "unit": .string(unit), "n": .integer(Int64(n))])
    w.appendByte(UInt8(ascii: "\n"))
    _ = w.bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
}

func fileSize(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : 0
}

// MARK: data

/// Writes `geodesic-pairs.csv` (lat1,lon1,lat2,lon2) and returns the pairs as flat arrays.
func geodesicPairs(_ options: Options) throws -> (lat1: [Double], lon1: [Double], lat2: [Double], lon2: [Double]) {
    var rng = SeededGenerator(seed: 20_240_202)
    var lat1 = [Double](), lon1 = [Double](), lat2 = [Double](), lon2 = [Double]()
    let n = options.pairs
    lat1.reserveCapacity(n); lon1.reserveCapacity(n); lat2.reserveCapacity(n); lon2.reserveCapacity(n)
    var w = JSONWriter(reservingCapacity: n * 48)
    w.appendRaw("lat1,lon1,lat2,lon2\n")
    for i in 0..<n {
        // Half regional (Iraq–Syria), half global, as analyses mix both.
        let regional = i % 2 == 0
        let a = regional
            ? (Double.random(in: 29...38, using: &rng), Double.random(in: 36...49, using: &rng))
            : (Double.random(in: -89...89, using: &rng), Double.random(in: -180...180, using: &rng))
        let b = regional
            ? (Double.random(in: 29...38, using: &rng), Double.random(in: 36...49, using: &rng))
            : (Double.random(in: -89...89, using: &rng), Double.random(in: -180...180, using: &rng))
        lat1.append(a.0); lon1.append(a.1); lat2.append(b.0); lon2.append(b.1)
        for (j, v) in [a.0, a.1, b.0, b.1].enumerated() {
            if j > 0 { w.appendByte(UInt8(ascii: ",")) }
            w.appendDouble(v)
        }
        w.appendByte(UInt8(ascii: "\n"))
    }
    let sink = try FileSink(creating: options.dataDirectory + "/geodesic-pairs.csv")
    try sink.write(w)
    try sink.close()
    return (lat1, lon1, lat2, lon2)
}

/// 1M point features around the region with a few event-like properties.
func pointFeatures(_ n: Int) -> [Feature] {
    var rng = SeededGenerator(seed: 20_210_215)
    let types = ["Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED"]
    return (0..<n).map { i in
        let lon = Double.random(in: 36...49, using: &rng)
        let lat = Double.random(in: 29...38, using: &rng)
        return Feature(
            id: .integer(Int64(i)),
            geometry: .point(Position(longitude: lon, latitude: lat)),
            properties: [
                "event_id": .string("BENCH\(i)"),
                "event_type": .string(types[i % types.count]),
                "fatalities": .integer(Int64(i % 7)),
            ])
    }
}

struct Benchmark: Sendable {
    var name: String
    var run: @Sendable (Options) throws -> Void
}

func writeLines(_ lines: [String], _ path: String) throws {
    let sink = try FileSink(creating: path)
    try sink.write(lines.joined(separator: "\n") + "\n")
    try sink.close()
}

