import ArgumentParser
import GeoCore
import GeoEvents
import GeoGDAL
import GeoLocate

// `geo convert` to and from GeoPackage, FlatGeobuf and Shapefile (through GDAL), kept apart from
// ConvertCommand's own loop: ConvertCommand.run() hands over when an input or the output is one
// of these formats, and the conversion below follows the same steps (decode, locate, write,
// rejects, summary).

extension OutputFormat {
    /// The GDAL vector format this output format names, if any.
    var gdalFormat: GDALVectorFormat? { GDALVectorFormat(rawValue: rawValue) }
}

extension GeoCommand.ConvertCommand {
    /// Every format `convert` writes, the default first.
    static let outputFormats: [OutputFormat] = [.geojson, .geojsonseq, .csv, .acled, .gpkg, .fgb, .shp]

    /// Runs the conversion when an input or the output is a GDAL format; false otherwise
    /// (the ordinary path goes on).
    func runThroughGDALIfNeeded() throws -> Bool {
        let format = try output.resolvedFormat(Self.outputFormats)
        let gdalOutput = format.gdalFormat
        let gdalInputs = inputs.contains { GDALVectorFormat.from(path: $0) != nil }
        guard gdalOutput != nil || gdalInputs else { return false }
        if gdalOutput != nil, output.output == "-" {
            throw ValidationError("\(format.rawValue) cannot be written to standard output; give -o FILE.\(format.fileExtension)")
        }
        try GDALConversion(command: self, format: format).run()
        return true
    }
}

/// One input of a conversion: a GDAL dataset, or a file `EventReader` reads.
private enum ConversionInput {
    case gdal(String)
    case events(String, InputFile)

    var path: String {
        switch self {
        case .gdal(let path), .events(let path, _): path
        }
    }

    func forEachRow(_ reader: EventReader, _ body: (EventRow) throws -> Void) throws {
        switch self {
        case .gdal(let path):
            do {
                try GDALVectorReader.forEachFeature(path: path) { index, feature in
                    try body(reader.row(for: feature, at: index, source: path))
                }
            } catch let error as GDALError {
                throw EventInputError(source: error.path, message: error.reason)
            }
        case .events(let path, let file):
            try reader.forEachRow(file: file, source: path, body)
        }
    }

    func extraFieldNames(_ reader: EventReader) throws -> [String] {
        switch self {
        case .gdal(let path):
            let known = Set(EventField.csvColumns)
            do {
                return try GDALVectorReader.fieldNames(path: path).filter { !known.contains($0) }
            } catch let error as GDALError {
                throw EventInputError(source: error.path, message: error.reason)
            }
        case .events(let path, let file):
            return try reader.extraFieldNames(file: file, source: path)
        }
    }
}

/// Where converted events go: `EventWriter` over a sink, or a GDAL dataset.
private enum ConversionOutput {
    case events(EventWriter, ByteSink)
    case gdal(GDALVectorWriter)

    func write(_ event: Event) throws {
        switch self {
        case .events(let writer, _): try writer.write(event)
        case .gdal(let writer):
            do { try writer.write(event) } catch let error as GDALError { throw CommandError(error.description) }
        }
    }

}

private struct GDALConversion {
    let command: GeoCommand.ConvertCommand
    let format: OutputFormat

    func run() throws {
        let console = Console.current
        let reader = try command.input.reader()
        let locator = command.input.locator()
        let files: [ConversionInput] = try command.inputs.map { path in
            GDALVectorFormat.from(path: path) != nil ? .gdal(path) : .events(path, try EventReader.open(path))
        }

        let output: ConversionOutput
        if let gdal = format.gdalFormat {
            // The layer's columns come first: a pass over the inputs for the extra fields' kinds
            // and whether any date has a time of day.
            var guesses: [String: GDALFieldKindGuess] = [:]
            var names: [String] = []
            var timeOfDay = false
            for file in files {
                try file.forEachRow(reader) { row in
                    guard case .success(let event) = row.result else { return }
                    if event.date.secondsOfDay != nil || event.dateEnd?.secondsOfDay != nil { timeOfDay = true }
                    for (name, value) in event.extra {
                        if guesses[name] == nil { names.append(name) }
                        guesses[name, default: GDALFieldKindGuess()].add(value)
                    }
                }
            }
            do {
                output = .gdal(try GDALVectorWriter(path: command.output.output, format: gdal,
                                                    extraFields: names.map { ($0, guesses[$0]!.kind) }, timeOfDay: timeOfDay))
            } catch let error as GDALError {
                throw CommandError(error.description)
            }
        } else {
            let kind = EventOutputKind(rawValue: format.rawValue)!
            var extraColumns: [String] = []
            if kind == .csv {
                for file in files { extraColumns += try file.extraFieldNames(reader).filter { !extraColumns.contains($0) } }
            }
            let codes = try CountryCodesCache.shared.codes()
            let sink = try console.sink(forOutput: command.output.output)
            output = .events(try EventWriter(kind: kind, sink: sink, coordinateDecimals: command.output.precision,
                                             extraColumns: extraColumns, countryName: { codes.country($0)?.name }), sink)
        }

        let rejectsSink = try command.rejects.map { try console.sink(forOutput: $0) }
        let rejectsLog = try RejectsWriter(sink: rejectsSink)
        var stats = EventConversion.Counts()
        let progress = Progress(console: console, noun: "rows")
        for file in files {
            try file.forEachRow(reader) { row in
                progress.tick(stats.read + 1)
                try EventConversion.convert(row, locator: locator, counts: &stats, write: output.write, rejects: rejectsLog)
            }
        }
        var warning: String?
        switch output {
        case .events(let writer, let sink):
            try writer.finish()
            try console.finishOutput(sink)
        case .gdal(let writer):
            do {
                warning = try writer.finish().warning
            } catch let error as GDALError {
                throw CommandError(error.description)
            }
        }
        try rejectsLog.finish()
        if let rejectsSink { try console.finishOutput(rejectsSink) }
        progress.done()
        if let warning { console.printError("warning: \(warning)") }
        console.printError(stats.summary)
        for line in rejectsLog.firstFew { console.printError("  rejected: \(line)") }
        if rejectsLog.count > 5 {
            console.printError("  … \(rejectsLog.count - 5) more\(command.rejects == nil ? "; write them all with --rejects FILE" : " in \(command.rejects!)")")
        }
        if rejectsLog.count > 0 && !command.allowRejects {
            throw ExitCode(1)
        }
    }
}
