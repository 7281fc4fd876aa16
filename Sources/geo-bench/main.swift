// geo-bench: named benchmarks for scripts/bench, one JSON line per result on stdout:
//   {"name":"geodesic-inverse","value":…,"unit":"pairs/s","n":…}
// scripts/bench runs the peers on the same data files and prints the ratios.
// Timing is wall clock, best of `--repeat` runs, release build. Each area keeps its
// benchmarks in its own file; this list puts them in run order.
#if canImport(Glibc)
import Glibc
#endif

let benchmarks: [Benchmark] = coreBenchmarks + gazetteerBenchmarks + geoTextBenchmarks + extractBenchmarks + eventBenchmarks + layerBenchmarks + spatialBenchmarks + temporalBenchmarks

let options = parseOptions()
if mkdir(options.dataDirectory, 0o755) != 0 && errno != EEXIST {
    fail("cannot create \(options.dataDirectory)")
}
let unknown = options.only.subtracting(benchmarks.map(\.name))
if !unknown.isEmpty { fail("unknown benchmark(s): \(unknown.sorted().joined(separator: ", "))") }
for benchmark in benchmarks where options.only.isEmpty || options.only.contains(benchmark.name) {
    do {
        try benchmark.run(options)
    } catch {
        fail("\(benchmark.name): \(error)")
    }
}
