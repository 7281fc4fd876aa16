#if canImport(Glibc)
import Glibc
#endif
import GeoEvents
import GeoExtract
import GeoGazetteer

/// Reading reports into events: `extract` times `ReportExtractor.extract` on one thread over the
/// same synthetic 3 KB reports as `geoparse` (sentences split, date phrases, event wordings,
/// actors, places, claims, merging and links), and reports articles per second. Target of
/// issue 15: at least 500 articles/s on one core.
///
/// With `GEO_BENCH_EXTRACT_DUMP=FILE` in the environment it also writes every event, reject and
/// explanation of the run to FILE, so that a change meant only for speed can be checked to give
/// the same output (`cmp` two dumps).
let extractBenchmarks: [Benchmark] = [
    Benchmark(name: "extract") { options in
        let g = try Gazetteer.load(userDirectory: nil)
        let extractor = try ReportExtractor(gazetteer: g)
        let reports = syntheticReports(g, count: 1_000)
        let published = EventDate(year: 2024, month: 1, day: 29)
        var events = 0
        let seconds = bestSeconds(max(3, options.repeats)) {
            events = 0
            for (i, r) in reports.enumerated() { events += extractor.extract(text: r, document: "r\(i).txt", published: published).events.count }
        }
        emit("extract", Double(reports.count) / seconds, "articles/s", n: reports.count)
        FileHandleLite.stderr("extract: \(reports.count) reports of about 3 kB, \(events) events, one thread\n")
        if let path = getenv("GEO_BENCH_EXTRACT_DUMP").map({ String(cString: $0) }) {
            var lines: [String] = []
            for (i, r) in reports.enumerated() {
                let result = extractor.extract(text: r, document: "r\(i).txt", published: published)
                lines.append("== r\(i) published \(result.published?.iso ?? "-")")
                for e in result.events { lines.append("event \(e)") }
                for x in result.rejects { lines.append("reject \(x)") }
                for x in result.explanations { lines.append("explain \(x)") }
            }
            try writeLines(lines, path)
        }
    },
]
