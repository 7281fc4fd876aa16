import Foundation
import GeoCore
import GeoEvents

/// Event tables converted (`geo convert`), for any front end: the rows of several inputs read in
/// order, placed by an `EventLocator` (geocoded, or checked against their country) and written
/// by an `EventWriter`. Nothing is dropped silently: a row that cannot be converted goes to a
/// `RejectsWriter` with its reason.
///
/// The caller owns the outputs: it makes the writer (with `extraColumns()` for CSV) and the
/// rejects writer, and finishes and closes them after `run`.
public final class EventConversion {
    public let reader: EventReader
    public let locator: EventLocator
    /// The inputs, opened once (standard input, `-`, is read once) and named as given.
    public let inputs: [(source: String, file: InputFile)]

    /// Opens every input in `paths` (`EventInputError` for one that cannot be read).
    public init(inputs paths: [String], reader: EventReader, locator: EventLocator) throws {
        self.reader = reader
        self.locator = locator
        inputs = try paths.map { path in (path, try EventReader.open(path)) }
    }

    /// The extra field names of all inputs, first seen first: the columns CSV output keeps
    /// after the project's. A CSV input's header is enough; a GeoJSON input takes a pass.
    public func extraColumns() throws -> [String] {
        var columns: [String] = []
        for (source, file) in inputs {
            columns += try reader.extraFieldNames(file: file, source: source).filter { !columns.contains($0) }
        }
        return columns
    }

    /// Number of events by `actor_side` over all inputs ("" for none), for `SimpleStyle`:
    /// a pass over the inputs (rows that will be rejected for their place still count). A
    /// large input is read on `threads` threads, its plain rows and features by the scanners.
    public func sideCounts(threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                           chunkBytes: Int = EventReader.parallelChunkBytes) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for (source, file) in inputs {
            let workers = (0..<2 * threads).map { _ in SideCountWorker() }
            let parallel = try threads > 1 && reader.forEachRowInParallel(file: file, source: source, workers: workers, chunkBytes: chunkBytes) {
                $0.addCounts(to: &counts)
            }
            if parallel { continue }
            try reader.forEachRow(file: file, source: source) { row in
                if case .success(let event) = row.result { counts[event.actorSide, default: 0] += 1 }
            }
        }
        return counts
    }

    /// What became of the rows.
    public struct Counts: Hashable, Sendable {
        public var read = 0
        public var written = 0
        /// Rows placed by the gazetteer (the others had coordinates).
        public var geocoded = 0
        /// Geocoded rows whose answer had a close second place (see `match_score`).
        public var ambiguous = 0
        public var rejected = 0

        public init() {}

        mutating func add(_ other: Counts) {
            read += other.read
            written += other.written
            geocoded += other.geocoded
            ambiguous += other.ambiguous
            rejected += other.rejected
        }

        /// `read N, written W, geocoded G, rejected R`, with the close-second-place count when any.
        public var summary: String {
            var text = "read \(read), written \(written), geocoded \(geocoded), rejected \(rejected)"
            if ambiguous > 0 { text += " (\(ambiguous) geocoded with a close second place; see match_score)" }
            return text
        }
    }

    /// Converts every row of every input: events to `writer`, rows with a `RowProblem` (from
    /// decoding or placing) to `rejects`. `progress` is called with the number of rows read
    /// so far as each row is read. Gazetteer loading failures and write errors stop the run
    /// (they concern the whole run, not a row).
    ///
    /// A large CSV or GeoJSONSeq input is read, placed and encoded on `threads` threads (all
    /// cores by default), chunk by chunk, and written in input order: the same output as on one
    /// thread. A GeoJSONSeq input is written while the next chunks are read, so `writer`,
    /// `rejects` and `progress` are then called from any thread (one call at a time).
    @discardableResult
    public func run(writer: EventWriter, rejects: RejectsWriter, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    chunkBytes: Int = EventReader.parallelChunkBytes, progress: (Int) -> Void = { _ in }) throws -> Counts {
        var counts = Counts()
        // Four workers per thread: rounds of 2 × threads chunks, and a GeoJSONSeq round fills one
        // half of the workers while the other half is written (larger rounds even out the chunks).
        lazy var workers = locator.forThreads(4 * threads).map { ConversionWorker(locator: $0, writer: writer) }
        for (source, file) in inputs {
            let parallel = try threads > 1 && reader.forEachRowInParallel(file: file, source: source, workers: workers, chunkBytes: chunkBytes) { worker in
                if let error = worker.error { throw error }
                try writer.write(worker.encoded)
                for (row, problem) in worker.rejected { try rejects.add(row, problem) }
                counts.add(worker.counts)
                progress(counts.read)
                worker.discard()
            }
            if parallel { continue }
            try reader.forEachRow(file: file, source: source) { row in
                progress(counts.read + 1)
                try convert(row, counts: &counts, write: writer.write, rejects: rejects)
            }
        }
        return counts
    }
}

/// One thread's share of a parallel conversion: the rows of a chunk placed by its own locator
/// and encoded for the writer; rejects and counts kept for the calling thread. For a writer of
/// GeoJSON without style, plain rows and features come as text, for a CSV writer as CSV lines,
/// checked by the locator.
final class ConversionWorker: PlainRowWorker, @unchecked Sendable {
    let locator: EventLocator
    let writer: EventWriter
    var encoded = EncodedEvents()
    var rejected: [(EventRow, RowProblem)] = []
    var counts = EventConversion.Counts()
    /// A failure of the whole run (the gazetteer cannot be loaded), not of a row.
    var error: Error?

    init(locator: EventLocator, writer: EventWriter) {
        self.locator = locator
        self.writer = writer
        plainLines = writer.plainLines
    }

    func add(_ row: EventRow) {
        guard error == nil else { return }
        let (writer, locator) = (writer, locator)
        do {
            try EventConversion.convert(row, locator: locator, counts: &counts, write: { writer.encode($0, into: &encoded) },
                                        rejects: { rejected.append(($0, $1)) })
        } catch {
            self.error = error
        }
    }

    var plainRowTimestamp: EventTimestamp? { writer.takesPlainRows ? writer.timestamp : nil }
    var plainRowsStyled: Bool { writer.style != nil }
    let plainLines: PlainLines?
    let plainRowScanning = PlainRowScanning()

    func checkGiven(country: String, latitude: Double, longitude: Double) throws {
        try locator.checkGiven(country: country, latitude: latitude, longitude: longitude)
    }

    /// A row with coordinates, checked, written as its event would be (`EventConversion.convert`'s counts).
    func add(plainRow: PlainRowText) {
        guard error == nil else { return }
        counts.read += 1
        writer.encode(plainRow, into: &encoded)
        counts.written += 1
    }

    /// A row or feature with coordinates, checked, as its CSV line (`EventConversion.convert`'s counts).
    func add(plainCSVLine: UnsafeRawBufferPointer) {
        guard error == nil else { return }
        counts.read += 1
        writer.encode(csvLine: plainCSVLine, into: &encoded)
        counts.written += 1
    }

    func offsetFeatureIndices(by offset: Int) {
        for k in rejected.indices {
            if case .feature(let i) = rejected[k].0.position { rejected[k].0.position = .feature(i + offset) }
        }
    }

    func discard() {
        encoded.removeAll()
        rejected.removeAll(keepingCapacity: true)
        counts = EventConversion.Counts()
        error = nil
    }
}

/// One thread's share of `EventConversion.sideCounts`: every row the decoder accepts, counted
/// by its `actor_side` (plain rows and features as values, by the scanner's side entries, so
/// that no event is made; their places are not checked: every row counts).
final class SideCountWorker: PlainRowWorker, @unchecked Sendable {
    /// Rows counted by side name, and plain rows by side entry (named when first handed over).
    private var byName: [String: Int] = [:]
    private var entryNames: [String] = [], entryCounts: [Int] = []
    let plainRowScanning = PlainRowScanning()

    func add(_ row: EventRow) {
        if case .success(let event) = row.result { byName[event.actorSide, default: 0] += 1 }
    }

    var takesPlainRowValues: Bool { true }

    func add(plainValues: PlainRowValues) {
        let k = Int(plainValues.sideEntry)
        if k == 0 {
            byName[plainValues.side!, default: 0] += 1
            return
        }
        if k >= entryNames.count {
            entryNames += [String](repeating: "", count: k + 1 - entryNames.count)
            entryCounts += [Int](repeating: 0, count: k + 1 - entryCounts.count)
        }
        if let side = plainValues.side { entryNames[k] = side }
        entryCounts[k] += 1
    }

    /// Adds this worker's counts since the last call to `counts`, by name, and clears them
    /// (a chunk at a time: a later table's scanner numbers its entries afresh).
    func addCounts(to counts: inout [String: Int]) {
        for (name, count) in byName { counts[name, default: 0] += count }
        for k in entryCounts.indices where entryCounts[k] > 0 { counts[entryNames[k], default: 0] += entryCounts[k] }
        byName.removeAll(keepingCapacity: true)
        for k in entryCounts.indices { entryCounts[k] = 0 }
    }

    var plainRowTimestamp: EventTimestamp? { nil }
    /// Every row counts, wherever it lies.
    func checkGiven(country: String, latitude: Double, longitude: Double) throws {}
    func add(plainRow: PlainRowText) { preconditionFailure("side counts take no rows as text") }
    func offsetFeatureIndices(by offset: Int) {}
    func discard() {
        byName.removeAll(keepingCapacity: true)
        for k in entryCounts.indices { entryCounts[k] = 0 }
    }
}

extension EventConversion {
    /// One row converted, the same for every kind of input and output: decoded, placed by
    /// `locator`, handed to `write`; a `RowProblem` (from decoding, placing or writing) goes to
    /// `rejects`. `counts` is updated.
    public static func convert(_ row: EventRow, locator: EventLocator, counts: inout Counts, write: (Event) throws -> Void,
                               rejects: RejectsWriter) throws {
        try convert(row, locator: locator, counts: &counts, write: write, rejects: rejects.add)
    }

    static func convert(_ row: EventRow, locator: EventLocator, counts: inout Counts, write: (Event) throws -> Void,
                        rejects: (EventRow, RowProblem) throws -> Void) throws {
        counts.read += 1
        do {
            var event = try row.result.get()
            switch try locator.locate(&event) {
            case .given: break
            case .geocoded(let ambiguous):
                counts.geocoded += 1
                if ambiguous { counts.ambiguous += 1 }
            }
            try write(event)
            counts.written += 1
        } catch let problem as RowProblem {
            try rejects(row, problem)
            counts.rejected += 1
        }
    }

    func convert(_ row: EventRow, counts: inout Counts, write: (Event) throws -> Void, rejects: RejectsWriter) throws {
        try Self.convert(row, locator: locator, counts: &counts, write: write, rejects: rejects)
    }
}

/// Rows that did not become events, with their reasons: CSV with the columns `columns`
/// (`line` for CSV inputs, 1-based; `feature` for GeoJSON inputs, 0-based; `original_row` the
/// row as read), counts by reason, and the first few as text for messages.
public final class RejectsWriter {
    public static let columns = ["source_file", "line", "feature", "reason", "detail", "original_row"]
    /// How many rows `firstFew` keeps.
    public static let firstFewLimit = 5

    public private(set) var count = 0
    public private(set) var byReason: [RejectReason: Int] = [:]
    /// The first rejects as `source: line N: reason: message`.
    public private(set) var firstFew: [String] = []
    private let sink: ByteSink?

    /// Writes the header to `sink` at once; without a sink the rows are only counted.
    public init(sink: ByteSink?) throws {
        self.sink = sink
        try sink?.write(CSV.line(Self.columns) + "\n")
    }

    public func add(_ row: EventRow, _ problem: RowProblem) throws {
        count += 1
        byReason[problem.reason, default: 0] += 1
        if firstFew.count < Self.firstFewLimit { firstFew.append("\(row.source): \(row.position): \(problem)") }
        guard let sink else { return }
        var line = "", feature = ""
        switch row.position {
        case .line(let n): line = String(n)
        case .feature(let i): feature = String(i)
        }
        try sink.write(CSV.line([row.source, line, feature, problem.reason.rawValue, problem.message, row.original]) + "\n")
    }

    /// Flushes the sink (closing it is the caller's).
    public func finish() throws {
        try sink?.flush()
    }
}
