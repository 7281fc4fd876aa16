import ArgumentParser
import GeoCore
import GeoEvents
import GeoGazetteer
import GeoLocate

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
                GeoJSON, GeoPackage and FlatGeobuf events carry timestamp, the start of the event's \
                span as an ISO 8601 date-time (kepler.gl plays it back; --timestamp epoch-ms or none). \
                --style adds simplestyle-spec colours (geojson.io, GitHub) and --qml writes a QGIS \
                style beside the file, both in geo map's colours.
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

        @Option(help: ArgumentHelp(
            "timestamp property (start of the event's span, for kepler.gl) on GeoJSON, GeoPackage and FlatGeobuf: iso (2024-01-28T00:00:00Z), epoch-ms or none.",
            valueName: "iso|epoch-ms|none"))
        var timestamp: EventTimestamp = .iso

        @Flag(help: "Add simplestyle-spec properties (marker-color by actor_side, marker-size by fatalities) for geojson.io and GitHub.")
        var style = false

        @Flag(help: "Write a QGIS style (.qml, categorised by actor_side) beside the output file.")
        var qml = false

        public init() {}

        public func validate() throws {
            try OutputSafety.check(inputs: inputs, outputs: [("-o", output.output), ("--rejects", rejects)])
            if rejects == "-" && output.output == "-" {
                throw ValidationError("--rejects - and -o - would both write to standard output; give --rejects a file")
            }
            try validateStyleOptions()
        }

        public func run() throws {
            if try runThroughGDALIfNeeded() { return }  // GeoPackage, FlatGeobuf, Shapefile: GDALFormats.swift
            let console = Console.current
            let kind = EventOutputKind(rawValue: try output.resolvedFormat([.geojson, .geojsonseq, .csv, .acled]).rawValue)!
            // With the country check (the default), every row with a position needs the gazetteer:
            // it loads while the input is opened and its first rows read.
            let loading = input.noCountryCheck ? nil : input.gazetteer.loadMeanwhile(readingCountryShapes: true)
            defer { loading?.finish() }
            let conversion = try EventConversion(inputs: inputs, reader: try input.reader(), locator: input.locator(loading: loading))
            // CSV output learns its columns up front (the extra fields of all inputs); --style its sides.
            let extraColumns = kind == .csv ? try conversion.extraColumns() : []
            let sides = style || qml ? try conversion.sideCounts() : [:]
            let codes = try CountryCodesCache.shared.codes()
            let sink = try console.sink(forOutput: output.output)
            let writer = try EventWriter(kind: kind, sink: sink, coordinateDecimals: output.precision, extraColumns: extraColumns,
                                         countryName: { codes.country($0)?.name }, timestamp: timestamp,
                                         style: style ? SimpleStyle(sideCounts: sides) : nil)
            let rejectsSink = try rejects.map { try console.sink(forOutput: $0) }
            let rejectsLog = try RejectsWriter(sink: rejectsSink)
            let progress = Progress(console: console, noun: "rows")
            let counts = try conversion.run(writer: writer, rejects: rejectsLog, progress: progress.tick)
            try writer.finish()
            try console.finishOutput(sink)
            if qml { try writeQML(sideCounts: sides) }
            try finish(counts, rejectsLog, rejectsSink, progress)
        }
    }
}

extension EventTimestamp: ExpressibleByArgument {}
