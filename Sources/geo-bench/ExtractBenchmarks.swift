import GeoEvents
import GeoExtract
import GeoGazetteer

/// Reading reports into events: `extract` times `ReportExtractor.extract` on one thread over the
/// same synthetic 3 KB reports as `geoparse` (sentences split, date phrases, event wordings,
/// actors, places, claims, merging and links), and reports articles per second. Target of
/// issue 15: at least 500 articles/s on one core.
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
    },
]
