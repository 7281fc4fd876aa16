import GeoCore
import GeoEvents
import GeoLocate

/// `geo convert` when an input or the output is a GeoPackage, FlatGeobuf or Shapefile: the
/// same steps as `EventConversion` (decode, locate, write, rejects), with GDAL datasets among
/// the inputs and a GDAL dataset or an `EventWriter` as the output. Problems with a whole
/// input come as `EventInputError`; problems writing a dataset as `GDALError`.
public final class GDALConversion {
    /// One input: a GDAL dataset, or a file `EventReader` reads.
    enum Input {
        case gdal(String)
        case events(String, InputFile)
    }

    public let reader: EventReader
    public let locator: EventLocator
    let inputs: [Input]

    /// Opens the inputs (GDAL datasets are opened as they are read).
    public init(inputs paths: [String], reader: EventReader, locator: EventLocator) throws {
        self.reader = reader
        self.locator = locator
        inputs = try paths.map { path in GDALVectorFormat.from(path: path) != nil ? .gdal(path) : .events(path, try EventReader.open(path)) }
    }

    /// Whether converting `inputs` to a file of `output` needs GDAL.
    public static func isNeeded(inputs: [String], output: GDALVectorFormat?) -> Bool {
        output != nil || inputs.contains { GDALVectorFormat.from(path: $0) != nil }
    }

    func forEachRow(_ input: Input, _ body: (EventRow) throws -> Void) throws {
        switch input {
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

    /// The extra field names of all inputs, first seen first (the columns CSV output keeps).
    public func extraColumns() throws -> [String] {
        var columns: [String] = []
        let known = Set(EventField.csvColumns)
        for input in inputs {
            let names: [String]
            switch input {
            case .gdal(let path):
                do { names = try GDALVectorReader.fieldNames(path: path).filter { !known.contains($0) } } catch let error as GDALError {
                    throw EventInputError(source: error.path, message: error.reason)
                }
            case .events(let path, let file):
                names = try reader.extraFieldNames(file: file, source: path)
            }
            columns += names.filter { !columns.contains($0) }
        }
        return columns
    }

    /// What a pass over the inputs learns before a dataset is created: the extra fields with
    /// their kinds, whether any date has a time of day, and the events by `actor_side`.
    public struct Survey: Sendable {
        public var extraFields: [(name: String, kind: GDALFieldKind)] = []
        public var timeOfDay = false
        public var sideCounts: [String: Int] = [:]
    }

    /// One pass over every input's decodable rows.
    public func survey() throws -> Survey {
        var guesses: [String: GDALFieldKindGuess] = [:]
        var names: [String] = []
        var survey = Survey()
        for input in inputs {
            try forEachRow(input) { row in
                guard case .success(let event) = row.result else { return }
                if event.date.secondsOfDay != nil || event.dateEnd?.secondsOfDay != nil { survey.timeOfDay = true }
                survey.sideCounts[event.actorSide, default: 0] += 1
                for (name, value) in event.extra {
                    if guesses[name] == nil { names.append(name) }
                    guesses[name, default: GDALFieldKindGuess()].add(value)
                }
            }
        }
        survey.extraFields = names.map { ($0, guesses[$0]!.kind) }
        return survey
    }

    /// Converts every row to `write`; rows with a `RowProblem` go to `rejects`.
    public func run(write: (Event) throws -> Void, rejects: RejectsWriter, progress: (Int) -> Void = { _ in }) throws -> EventConversion.Counts {
        var counts = EventConversion.Counts()
        for input in inputs {
            try forEachRow(input) { row in
                progress(counts.read + 1)
                try EventConversion.convert(row, locator: locator, counts: &counts, write: write, rejects: rejects)
            }
        }
        return counts
    }

    /// Converts every row into a new dataset at `path` (put in place only when all went well).
    /// Returns the counts and what Shapefile's limits changed.
    public func run(toDataset path: String, format: GDALVectorFormat, timestamp: EventTimestamp = .iso, survey: Survey? = nil,
                    rejects: RejectsWriter, progress: (Int) -> Void = { _ in }) throws -> (counts: EventConversion.Counts, report: GDALWriteReport) {
        let survey = try survey ?? self.survey()
        let writer = try GDALVectorWriter(path: path, format: format, extraFields: survey.extraFields, timeOfDay: survey.timeOfDay,
                                          timestamp: timestamp)
        let counts = try run(write: writer.write, rejects: rejects, progress: progress)
        return (counts, try writer.finish())
    }
}
