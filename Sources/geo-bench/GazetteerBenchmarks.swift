import GeoCore
import GeoGazetteer

/// Gazetteer loading and geocoding.
let gazetteerBenchmarks: [Benchmark] = [
    Benchmark(name: "gazetteer-load") { options in
        var g: Gazetteer?
        let seconds = try bestSeconds(options.repeats) { g = try Gazetteer.load(userDirectory: nil) }
        emit("gazetteer-load", seconds * 1000, "ms", n: g?.entries.count ?? 0)
    },
    Benchmark(name: "gazetteer-exact") { options in try geocodeBenchmark(options, misspell: false) },
    Benchmark(name: "gazetteer-fuzzy") { options in try geocodeBenchmark(options, misspell: true) },
]


/// Geocodes 20,000 names (exact, or misspelt so that the fuzzy pass runs) and reports
/// lookups per second; the queries are saved for the peers.
func geocodeBenchmark(_ options: Options, misspell: Bool) throws {
    let name = misspell ? "gazetteer-fuzzy" : "gazetteer-exact"
    let g = try Gazetteer.load(userDirectory: nil)
    // The fuzzy and skeleton indexes are built on first use; their cost is reported on its own.
    let prepareSeconds = bestSeconds(1) { g.prepareFuzzyIndex() }
    if misspell { emit("gazetteer-fuzzy-prepare", prepareSeconds * 1000, "ms", n: g.entries.count) }
    let queries = gazetteerQueries(g, misspell: misspell)
    try writeLines(queries, options.dataDirectory + "/\(name)-queries.txt")
    var found = 0
    let seconds = bestSeconds(options.repeats) {
        found = 0
        for q in queries where g.geocode(q).best != nil { found += 1 }
    }
    precondition(misspell || found == queries.count, "exact queries must all resolve")
    emit(name, Double(queries.count) / seconds, "lookups/s", n: queries.count)
    FileHandleLite.stderr("\(name): \(found) of \(queries.count) names found a place\n")
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

