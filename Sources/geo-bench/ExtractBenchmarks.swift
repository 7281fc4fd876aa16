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
/// The calling thread's CPU time in seconds (`CLOCK_THREAD_CPUTIME_ID`).
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

let extractBenchmarks: [Benchmark] = [
    Benchmark(name: "extract") { options in
        let g = try Gazetteer.load(userDirectory: nil)
        let extractor = try ReportExtractor(gazetteer: g)
        let reports = syntheticReports(g, count: 1_000)
        let published = EventDate(year: 2024, month: 1, day: 29)
        var events = 0
        var cpuSeconds = Double.infinity
        let seconds = bestSeconds(max(3, options.repeats)) {
            events = 0
            let cpuStart = threadCPUSeconds()
            for (i, r) in reports.enumerated() { events += extractor.extract(text: r, document: "r\(i).txt", published: published).events.count }
            cpuSeconds = min(cpuSeconds, threadCPUSeconds() - cpuStart)
        }
        emit("extract", Double(reports.count) / seconds, "articles/s", n: reports.count)
        // On a shared machine the wall clock counts other processes' time too; the thread's CPU time does not.
        let perCPUSecond = Int((Double(reports.count) / cpuSeconds).rounded())
        FileHandleLite.stderr("extract: \(reports.count) reports of about 3 kB, \(events) events, one thread; \(perCPUSecond) articles per CPU second\n")
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
