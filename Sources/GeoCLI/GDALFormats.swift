import ArgumentParser
import GeoCore
import GeoEvents
import GeoGDAL
import GeoLocate

// `geo convert` to and from GeoPackage, FlatGeobuf and Shapefile: the conversion itself is
// GeoGDAL's `GDALConversion`; here are only the files, the QGIS style and the messages.

extension OutputFormat {
    /// The GDAL vector format this output format names, if any.
    var gdalFormat: GDALVectorFormat? { GDALVectorFormat(rawValue: rawValue) }
}

extension GeoCommand.ConvertCommand {
    /// Every format `convert` writes, the default first.
    static let outputFormats: [OutputFormat] = [.geojson, .geojsonseq, .csv, .acled, .gpkg, .fgb, .shp]

    /// `--style` and `--qml` against the output format.
    func validateStyleOptions() throws {
        let format = try output.resolvedFormat(Self.outputFormats)
        if style, ![.geojson, .geojsonseq].contains(format) {
            throw ValidationError("--style adds simplestyle properties to GeoJSON; for \(format.rawValue) give --qml for a QGIS style")
        }
        if qml, output.output == "-" || ![.geojson, .gpkg, .fgb, .shp].contains(format) {
            throw ValidationError("--qml writes a QGIS style beside a GeoPackage, FlatGeobuf, Shapefile or GeoJSON file given with -o")
        }
    }

    /// Runs the conversion when an input or the output is a GDAL format; false otherwise
    /// (the ordinary path goes on).
    func runThroughGDALIfNeeded() throws -> Bool {
        let format = try output.resolvedFormat(Self.outputFormats)
        guard GDALConversion.isNeeded(inputs: inputs, output: format.gdalFormat) else { return false }
        if format.gdalFormat != nil, output.output == "-" {
            throw ValidationError("\(format.rawValue) cannot be written to standard output; give -o FILE.\(format.fileExtension)")
        }
        let console = Console.current
        let conversion = try GDALConversion(inputs: inputs, reader: try input.reader(), locator: input.locator())
        let rejectsSink = try rejects.map { try console.sink(forOutput: $0) }
        let rejectsLog = try RejectsWriter(sink: rejectsSink)
        let progress = Progress(console: console, noun: "rows")
        let counts: EventConversion.Counts
        var warning: String?
        if let gdal = format.gdalFormat {
            do {
                let survey = try conversion.survey()
                let result = try conversion.run(toDataset: output.output, format: gdal, timestamp: timestamp, survey: survey,
                                                rejects: rejectsLog, progress: progress.tick)
                (counts, warning) = (result.counts, result.report.warning)
                if qml { try writeQML(sideCounts: survey.sideCounts) }
            } catch let error as GDALError {
                throw CommandError(error.description)
            }
        } else {
            let kind = EventOutputKind(rawValue: format.rawValue)!
            let extraColumns = kind == .csv ? try conversion.extraColumns() : []
            let sides = style || qml ? try conversion.survey().sideCounts : [:]
            let codes = try CountryCodesCache.shared.codes()
            let sink = try console.sink(forOutput: output.output)
            let writer = try EventWriter(kind: kind, sink: sink, coordinateDecimals: output.precision, extraColumns: extraColumns,
                                         countryName: { codes.country($0)?.name }, timestamp: timestamp,
                                         style: style ? SimpleStyle(sideCounts: sides) : nil)
            counts = try conversion.run(write: writer.write, rejects: rejectsLog, progress: progress.tick)
            try writer.finish()
            try console.finishOutput(sink)
            if qml { try writeQML(sideCounts: sides) }
        }
        try finish(counts, rejectsLog, rejectsSink, progress, warning: warning)
        return true
    }

    /// The QGIS style beside the output (`events.gpkg` → `events.qml`), categorised by side.
    func writeQML(sideCounts: [String: Int]) throws {
        let path = QGISLayerStyle.path(besides: output.output)
        let sink = try Console.current.sink(forOutput: path)
        try sink.write(Array(QGISLayerStyle.categorized(sideCounts: sideCounts).utf8))
        try Console.current.finishOutput(sink)
    }

    /// Closes the rejects file and says what became of the rows (exit 1 on rejects unless allowed).
    func finish(_ counts: EventConversion.Counts, _ rejectsLog: RejectsWriter, _ rejectsSink: ByteSink?, _ progress: Progress,
                warning: String? = nil) throws {
        let console = Console.current
        try rejectsLog.finish()
        if let rejectsSink { try console.finishOutput(rejectsSink) }
        progress.done()
        if let warning { console.printError("warning: \(warning)") }
        console.printError(counts.summary)
        for line in rejectsLog.firstFew { console.printError("  rejected: \(line)") }
        let more = rejectsLog.count - RejectsWriter.firstFewLimit
        if more > 0 { console.printError("  … \(more) more\(rejects.map { " in \($0)" } ?? "; write them all with --rejects FILE")") }
        if rejectsLog.count > 0 && !allowRejects { throw ExitCode(1) }
    }
}
