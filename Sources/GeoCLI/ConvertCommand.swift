import ArgumentParser
import GeoCore
import GeoEvents
import GeoGazetteer

extension GeoCommand {
    /// `geo convert INPUT... -o OUTPUT`: events from any supported input to any supported output.
    public struct ConvertCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract: "Convert event tables between CSV, ACLED CSV, GeoJSON and GeoJSONSeq, geocoding rows without coordinates.",
            discussion: """
                Inputs: the project's CSV (columns event_id, event_date, date_end, time_precision, \
                event_type, sub_event_type, actor1, actor2, actor_side, target, location, latitude, \
                longitude, geo_precision, country, admin1, fatalities, fatality_claims, sources, notes, \
                tags), ACLED CSV exports (recognised by event_id_cnty), any other CSV through \
                --date-column/--place-column/… , and GeoJSON / GeoJSONSeq point features with those \
                properties. Other columns and properties are kept.
                Outputs (-o file, format from --format or the extension): geojson (FeatureCollection \
                with bbox), geojsonseq (RFC 8142, streaming), csv (the project's columns), acled, \
                gpkg, fgb, shp (GeoPackage, FlatGeobuf, Shapefile through GDAL; also read as inputs).
                Rows without coordinates are geocoded from location (country as a hint); the match \
                is kept in match_name, match_score, match_source, match_id.
                Nothing is dropped silently: a row that cannot be converted goes to --rejects FILE \
                (CSV: source_file, line, feature, reason, detail, original_row) with one of the \
                reasons missing_date, unparseable_date, impossible_date, ambiguous_date, \
                bad_time_precision, unknown_event_type, bad_number, bad_fatality_claims, \
                incomplete_coordinates, coordinates_out_of_range, swapped_coordinates, \
                bad_geo_precision, unknown_country, empty_place, unresolved_place, not_a_point, \
                malformed_row.
                A summary goes to stderr. Exit status 1 when any row was rejected (unless \
                --allow-rejects) or an input cannot be read.
                """
        )

        @Argument(help: ArgumentHelp("Input files; - for standard input.", valueName: "input"))
        var inputs: [String]

        @OptionGroup var output: OutputOptions

        @OptionGroup var input: EventInputOptions

        @Option(help: ArgumentHelp("Write rejected rows and their reasons to this CSV file.", valueName: "file"))
        var rejects: String?

        @Flag(help: "Exit 0 even when rows were rejected.")
        var allowRejects = false

        public init() {}

        public func validate() throws {
            try OutputSafety.check(inputs: inputs, outputs: [("-o", output.output), ("--rejects", rejects)])
            if rejects == "-" && output.output == "-" {
                throw ValidationError("--rejects - and -o - would both write to standard output; give --rejects a file")
            }
        }

        static let formats = EventOutputKind.allCases.map(\.rawValue)

        public func run() throws {
            if try runThroughGDALIfNeeded() { return }  // GeoPackage, FlatGeobuf, Shapefile: GDALFormats.swift
            let console = Console.current
            let kind = EventOutputKind(rawValue: try output.resolvedFormat([.geojson, .geojsonseq, .csv, .acled]).rawValue)!
            let reader = try input.reader()
            let locator = input.locator()

            // Inputs are opened once (standard input is read once), so that CSV output can learn
            // its columns up front: the extra fields of all inputs.
            let files = try inputs.map { path in (path, try EventReader.open(path)) }
            var extraColumns: [String] = []
            if kind == .csv {
                for (path, file) in files {
                    extraColumns += try reader.extraFieldNames(file: file, source: path).filter { !extraColumns.contains($0) }
                }
            }
            let codes = try CountryCodesCache.shared.codes()
            let sink = try console.sink(forOutput: output.output)
            let writer = try EventWriter(kind: kind, sink: sink, coordinateDecimals: output.precision,
                                         extraColumns: extraColumns, countryName: { codes.country($0)?.name })
            let rejectsLog = try RejectsLog(path: rejects, console: console)
            var stats = ConversionStats()
            let progress = Progress(console: console, noun: "rows")
            for (path, file) in files {
                try reader.forEachRow(file: file, source: path) { row in
                    stats.read += 1
                    progress.tick(stats.read)
                    do {
                        var event = try row.result.get()
                        switch try locator.locate(&event) {
                        case .given: break
                        case .geocoded(let ambiguous):
                            stats.geocoded += 1
                            if ambiguous { stats.ambiguous += 1 }
                        }
                        try writer.write(event)
                    } catch let problem as RowProblem {
                        try rejectsLog.add(row, problem)
                    }
                }
            }
            try writer.finish()
            try console.finishOutput(sink)
            try rejectsLog.finish()
            progress.done()
            stats.written = writer.written
            stats.rejected = rejectsLog.count
            console.printError(stats.summary)
            for line in rejectsLog.firstFew { console.printError("  rejected: \(line)") }
            if rejectsLog.count > 5 { console.printError("  … \(rejectsLog.count - 5) more\(rejects == nil ? "; write them all with --rejects FILE" : " in \(rejects!)")") }
            if rejectsLog.count > 0 && !allowRejects {
                throw ExitCode(1)
            }
        }
    }
}

/// Counts of a conversion, for the stderr summary.
struct ConversionStats {
    var read = 0
    var written = 0
    var geocoded = 0
    var ambiguous = 0
    var rejected = 0

    var summary: String {
        var text = "read \(read), written \(written), geocoded \(geocoded), rejected \(rejected)"
        if ambiguous > 0 { text += " (\(ambiguous) geocoded with a close second place; see match_score)" }
        return text
    }
}

/// A progress line on stderr, only when stderr is a terminal: every 100,000 items.
final class Progress {
    let console: Console
    let noun: String
    private var shown = false

    init(console: Console, noun: String) {
        self.console = console
        self.noun = noun
    }

    func tick(_ n: Int) {
        guard console.errIsTerminal, n % 100_000 == 0 else { return }
        shown = true
        console.writeError("\r\(Format.grouped(Double(n), decimals: 0)) \(noun)…")
    }

    func done() {
        if shown { console.writeError("\r\u{1B}[K") }
    }
}
