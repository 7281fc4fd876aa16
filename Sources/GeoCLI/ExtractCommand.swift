import ArgumentParser
import GeoCore
import GeoEvents
import GeoExtract
import GeoText

extension GeoCommand {
    /// `geo extract`: news reports → dated, placed events (the rules are `ReportExtractor`'s).
    public struct ExtractCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "extract",
            abstract: "Read news reports into dated, geocoded events with their casualty claims and evidence.",
            discussion: """
                Each event has the project's fields (readable by geo convert, windows, …) and \
                date_phrase, evidence [{document, start, end, text}] (offsets in Unicode scalars) and \
                answers (the id of the event a stated link names). Publication date: --published, else \
                a Date:/Published: line, else a date near the top. An event wording that nothing dates \
                goes to --rejects FILE (CSV: source_file, line, feature, reason, detail, original_row), \
                never silently away; the exit status is then 1 unless --allow-rejects. The same event in \
                several reports of a run (same type, overlapping dates, within 25 km) is written once, \
                with all sources, claims and evidence (merged_ids); --keep-duplicates writes each.
                """
        )

        @Argument(help: ArgumentHelp("Text files or folders of .txt files; - for standard input.", valueName: "file"))
        var files: [String]

        @Option(help: ArgumentHelp("Publication date of the reports (YYYY-MM-DD).", valueName: "date"))
        var published: String?

        @Flag(help: "Print, per report, each date phrase, place, actor, claim and link and why it was used or not (stderr).")
        var explain = false

        @Option(help: ArgumentHelp("Write wordings without a date anchor to this CSV file.", valueName: "file"))
        var rejects: String?

        @Flag(help: "Exit 0 even when wordings were rejected.")
        var allowRejects = false

        @Flag(help: "Write the same event once per report instead of merging reports of it.")
        var keepDuplicates = false

        @OptionGroup var gazetteer: GazetteerOptions
        @OptionGroup var output: OutputOptions

        public init() {}

        var publishedDate: EventDate? {
            guard let published, published.count == 10 else { return nil }
            let p = published.split(separator: "-").compactMap { Int($0) }
            return p.count == 3 ? EventDate(year: p[0], month: p[1], day: p[2]) : nil
        }

        public func validate() throws {
            if published != nil && publishedDate == nil { throw ValidationError("--published takes YYYY-MM-DD, got '\(published!)'") }
            try OutputSafety.check(inputs: files, outputs: [("-o", output.output), ("--rejects", rejects)])
        }

        public func run() throws {
            let console = Console.current
            let kind = EventOutputKind(rawValue: try output.resolvedFormat([.geojson, .geojsonseq, .csv]).rawValue)!
            let paths = try GeoparseInputs.expand(files)
            let extractor = try ReportExtractor(gazetteer: try gazetteer.load())
            let sink = try console.sink(forOutput: output.output)
            let writer = try EventWriter(kind: kind, sink: sink, coordinateDecimals: output.precision, extraColumns: ["date_phrase", "answers", "evidence", "merged_ids"])
            let rejectSink = try rejects.map { try console.sink(forOutput: $0) }
            try rejectSink?.write(CSV.line(["source_file", "line", "feature", "reason", "detail", "original_row"]) + "\n")
            var failed: [String] = [], rejected = 0, reports = 0, events: [Event] = []
            for path in paths {
                let name = path == "-" ? "<stdin>" : path
                do {
                    let input = try InputFile(path: path)
                    let (text, warnings) = try input.withUnsafeBytes { try TextInput.decode($0) }
                    for w in warnings { console.printError("extract: \(name): \(w)") }
                    if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { throw CommandError("empty document") }
                    let result = extractor.extract(text: text, document: name, published: publishedDate)
                    reports += 1
                    events += result.events
                    if result.events.isEmpty && result.rejects.isEmpty { console.printError("extract: \(name): no event wording found") }
                    for r in result.rejects {
                        rejected += 1
                        try rejectSink?.write(CSV.line([name, "", "", "missing_date", "\(r.reason) (scalars \(r.start)–\(r.end))", r.text]) + "\n")
                        console.printError("extract: \(name): rejected: \(r.reason): \(RawText.clipped(r.text, limit: 80))")
                    }
                    if explain {
                        console.printError("== \(name) (published \(result.published?.iso ?? "unknown"))")
                        for x in result.explanations { console.printError("  \(x.kind) [\(x.start)–\(x.end)] '\(RawText.clipped(x.text, limit: 60))': \(x.reason)") }
                    }
                } catch {
                    failed.append("\(name): \(error)")
                }
            }
            let merged = keepDuplicates ? (events, 0) : ReportDeduplicator.merge(events)
            for e in merged.0 { try writer.write(e) }
            try writer.finish()
            try console.finishOutput(sink)
            if let rejectSink { try console.finishOutput(rejectSink) }
            console.printError("extract: \(reports) report(s), \(writer.written) event(s) (\(merged.1) merged across reports), \(rejected) rejected, \(failed.count) unreadable")
            for f in failed { console.printError("extract: \(f)") }
            if !failed.isEmpty || (rejected > 0 && !allowRejects) { throw ExitCode(1) }
        }
    }
}
