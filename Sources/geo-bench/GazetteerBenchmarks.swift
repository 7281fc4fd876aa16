import Foundation
import GeoCore
import GeoGazetteer

/// Gazetteer loading and geocoding. `-exact` and `-fuzzy` time one `geocode` call per name on
/// one thread (`-exact-repeated`: 100 names asked over and over, as in an event table); the
/// `-batch` variants resolve the same names with `geocode([GeocodeQuery])`, which spreads them
/// over all cores. Every call does the whole job (key, index lookup, exact check, ranking,
/// alternatives, the answer); nothing is cached between queries.
let gazetteerBenchmarks: [Benchmark] = [
    Benchmark(name: "gazetteer-load") { options in
        var g: Gazetteer?
        let seconds = try bestSeconds(options.repeats) { g = try Gazetteer.load(userDirectory: nil) }
        emit("gazetteer-load", seconds * 1000, "ms", n: g?.entries.count ?? 0)
    },
    Benchmark(name: "gazetteer-exact") { options in try geocodeBenchmark(options, misspell: false) },
    Benchmark(name: "gazetteer-fuzzy") { options in try geocodeBenchmark(options, misspell: true) },
]

/// Geocodes 20,000 names (exact, or misspelt so that the fuzzy pass runs), one call at a time
/// and then as one batch on all cores, and reports lookups per second; the queries are saved
/// for the peers. The batch answers must equal the one-at-a-time answers.
func geocodeBenchmark(_ options: Options, misspell: Bool) throws {
    let name = misspell ? "gazetteer-fuzzy" : "gazetteer-exact"
    let g = try Gazetteer.load(userDirectory: nil)
    // The fuzzy and skeleton indexes are built on first use; their cost is reported on its own.
    let prepareSeconds = bestSeconds(1) { g.prepareFuzzyIndex() }
    if misspell { emit("gazetteer-fuzzy-prepare", prepareSeconds * 1000, "ms", n: g.entries.count) }
    let queries = gazetteerQueries(g, misspell: misspell)
    try writeLines(queries, options.dataDirectory + "/\(name)-queries.txt")
    var one: [GeocodeResult] = []
    var found = 0
    // At least 5 runs: one run takes 20–300 ms, and this machine's timings vary by 10–20 %.
    let seconds = bestSeconds(max(5, options.repeats)) {
        found = 0
        for q in queries where g.geocode(q).status != .unresolved { found += 1 }
    }
    precondition(misspell || found == queries.count, "exact queries must all resolve")
    emit(name, Double(queries.count) / seconds, "lookups/s", n: queries.count)
    var batch: [GeocodeResult] = []
    let batchQueries = queries.map { GeocodeQuery($0) }
    let batchSeconds = bestSeconds(max(5, options.repeats)) { batch = g.geocode(batchQueries) }
    emit(name + "-batch", Double(queries.count) / batchSeconds, "lookups/s", n: queries.count)
    one = queries.map { g.geocode($0) }
    precondition(one == batch, "batch answers must equal one-at-a-time answers")
    if !misspell {
        // An event table names the same few places again and again: 100 names, each asked
        // 200 times (still one whole `geocode` call each; only the memory is warm).
        let repeated = (0..<queries.count).map { queries[$0 % 100] }
        try writeLines(repeated, options.dataDirectory + "/\(name)-repeated-queries.txt")
        let repeatedSeconds = bestSeconds(max(5, options.repeats)) {
            found = 0
            for q in repeated where g.geocode(q).status != .unresolved { found += 1 }
        }
        precondition(found == repeated.count, "repeated queries must all resolve")
        emit(name + "-repeated", Double(repeated.count) / repeatedSeconds, "lookups/s", n: repeated.count)
    }
    FileHandleLite.stderr("\(name): \(found) of \(queries.count) names found a place; batch on \(ProcessInfo.processInfo.activeProcessorCount) cores\n")
}

/// 20,000 names of places and sites (or misspelt copies: one letter dropped inside the word).
func gazetteerQueries(_ g: Gazetteer, misspell: Bool) -> [String] {
    var rng = SeededGenerator(seed: 20_231_029)
    var queries: [String] = []
    let latin = g.entries.filter { $0.name.unicodeScalars.allSatisfy { $0.value < 0x250 } && $0.name.count >= 6 }
    while queries.count < 20_000 {
        let e = latin[Int.random(in: 0..<latin.count, using: &rng)]
        var name = e.name
        if misspell {
            var chars = Array(name)
            let i = Int.random(in: 2..<(chars.count - 1), using: &rng)
            guard chars[i].isLetter else { continue }
            chars.remove(at: i)
            name = String(chars)
        }
        queries.append(name)
    }
    return queries
}

