import Foundation
import GeoCore
import OrderedCollections

/// Which features of a GeoJSON input become the layer, by the `layer` property that geo's
/// multi-layer outputs carry (corridor: `events`, `border`, `corridor`; windows: `events`, `pairs`).
public enum LayerChoice: Hashable, Sendable, CustomStringConvertible {
    /// Features without a `layer` property, and those of layer `events`; features of other
    /// layers are skipped and counted (`EventLayer.skippedLayers`). When the input holds no
    /// `events` feature but features of other layers, reading fails and names them.
    case events
    /// Only the features whose `layer` is this name.
    case named(String)
    /// Every feature, whatever its `layer`.
    case all

    public init(_ text: String) {
        switch text.lowercased() {
        case "all": self = .all
        case "events": self = .events
        default: self = .named(text)
        }
    }

    public var description: String {
        switch self {
        case .events: "events"
        case .named(let name): name
        case .all: "all"
        }
    }
}

/// How an event layer is read: the event reader (formats, columns, vocabulary), how rows
/// without coordinates are placed, and which layer of a multi-layer file.
public struct EventLayerOptions {
    public var reader: EventReader
    /// Places an event that has no coordinates (the gazetteer, through `EventLocator`); it may
    /// also check given coordinates. Nil: such rows are problems.
    public var locate: ((inout Event) throws -> Void)?
    /// `count` copies of `locate` for reading a large CSV or ACLED table on several threads, each
    /// copy used by one thread at a time (its own gazetteer handles: GEOS/PROJ contexts). Without
    /// it, a table with `locate` set is read on one thread.
    public var threadLocates: ((_ count: Int) -> [(inout Event) throws -> Void])?
    /// What `locate` does with an event that already has coordinates, from its country code and
    /// point alone (`EventLocator.checkGiven`): it must throw when, and what, `locate` would
    /// throw for such an event, and `locate` must leave such an event as it is. With it (or
    /// without `locate`), the plain rows of a table are read by `TableScanner`, without being
    /// decoded whole: the first time into columns, again as text.
    public var checkGiven: ((_ country: String, _ latitude: Double, _ longitude: Double) throws -> Void)?
    /// `count` copies of `checkGiven` for the threads of that reading, copy `j` sharing its
    /// thread (and gazetteer handles) with copy `j` of `threadLocates`.
    public var threadChecksGiven: ((_ count: Int) -> [(_ country: String, _ latitude: Double, _ longitude: Double) throws -> Void])?
    public var layer: LayerChoice
    /// Called every 2¹⁶ rows with the pass (0: reading the columns; 1, 2…: reading again, to
    /// select or write) and the rows of that pass so far.
    public var onProgress: ((EventLayerProgress) -> Void)?
    /// Whether plain features are read by `FeatureScanner`, and plain table rows by
    /// `TableScanner` (the fast paths). Tests turn it off to compare with the full decoder,
    /// which must give byte-identical outputs.
    var scansFeatures = true
    /// Threads for reading a large GeoJSONSeq input the first time, or a large CSV or ACLED table
    /// each time (all cores by default); columns, problems and messages are those of one thread.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Bytes per thread and round of that reading; inputs under two chunks are read on one thread.
    var chunkBytes = EventReader.parallelChunkBytes
    /// Features per batch of `EventLayer.encodeOutgoingFeatures`, and rows per batch of a table's
    /// values worked out on several threads (`forEachValue`).
    var featuresPerBatch = 2_048

    public init(reader: EventReader = EventReader(), locate: ((inout Event) throws -> Void)? = nil, layer: LayerChoice = .events,
                onProgress: ((EventLayerProgress) -> Void)? = nil) {
        self.reader = reader
        self.locate = locate
        self.layer = layer
        self.onProgress = onProgress
    }
}

/// How far a pass over an event layer's input has come.
public struct EventLayerProgress: Hashable, Sendable {
    /// 0 for the first reading, then 1, 2… for each reading again.
    public var pass: Int
    public var rows: Int
}

/// An input that cannot become a layer: the rows that cannot be used (the first few, with
/// their positions and reasons, and how many in all), or the layer choice found nothing.
public struct EventLayerError: Error, Hashable, Sendable, CustomStringConvertible {
    public var source: String
    /// `line 4: missing_date: event_date is empty`, the first five.
    public var problems: [String]
    public var problemCount: Int
    /// Set when the problem is the input as a whole (no feature of the chosen layer).
    public var message: String?

    public var description: String {
        if let message { return "\(source): \(message)" }
        var text = "\(problemCount) row\(problemCount == 1 ? "" : "s") cannot be used:\n  "
            + problems.map { "\(source): \($0)" }.joined(separator: "\n  ")
        if problemCount > problems.count { text += "\n  …" }
        return text
    }
}

/// The events of one input as contiguous columns: the one form every analysis reads.
///
/// Built only by `EventLayer.read`, which applies the event model's rules to every row:
/// CSV and ACLED rows are decoded into `Event`s (and placed by `EventLayerOptions.locate` when
/// they lack coordinates); GeoJSON features keep their properties as they came, and a feature
/// with an `event_date` has its date, `date_end`, `time_precision` and `fatalities` checked by
/// the same `EventDecoder` rules as `geo convert` applies. Every feature needs a Point.
///
/// Memory: the columns (about 41 bytes an event) and the input's own bytes, which stay mapped;
/// properties are not held but read again from the input when asked for (`forEachFeature`,
/// `features(at:)`, `strings(of:)`), in input order, as the same features every time.
///
/// The columns are written only while the layer is read, and read per event afterwards, from
/// several threads: they are `@exclusivity(unchecked)`, without the run-time bookkeeping of a
/// class's `var` at every read (four a feature when features are written).
public final class EventLayer: @unchecked Sendable {
    /// The file name as given (`-` for standard input).
    public let sourceName: String
    /// Degrees.
    @exclusivity(unchecked) public private(set) var longitudes: [Double] = []
    /// Degrees.
    @exclusivity(unchecked) public private(set) var latitudes: [Double] = []
    /// Start of the span of time the event covers, seconds since 1970-01-01 UTC (inclusive);
    /// NaN for a feature without `event_date`. See `EventInterval`.
    @exclusivity(unchecked) public private(set) var startSeconds: [Double] = []
    /// End of that span (exclusive unless equal to the start); NaN when undated.
    @exclusivity(unchecked) public private(set) var endSeconds: [Double] = []
    /// `startSeconds` and `endSeconds` as one value (the arrays are shared, not copied).
    public var spans: TimeSpans { TimeSpans(startSeconds: startSeconds, endSeconds: endSeconds) }
    /// `TimePrecision` raw value (1 day, 2 week, 3 month); 0 when undated.
    @exclusivity(unchecked) public private(set) var precisions: [UInt8] = []
    /// `fatalities` (the conservative figure); NaN when not known.
    @exclusivity(unchecked) public private(set) var fatalities: [Double] = []
    /// Features of other layers that were skipped, by layer name (see `LayerChoice.events`).
    public private(set) var skippedLayers: OrderedDictionary<String, Int> = [:]

    private let input: Input
    let options: EventLayerOptions
    /// Readings again so far (for progress).
    private var passes = 0
    /// The scanned features' texts, kept from the first reading (see `ScannedSpans`).
    @exclusivity(unchecked) fileprivate var kept = ScannedSpans()

    /// Input bytes as read: the file (mapped) or, for other encodings, its UTF-8 text.
    private enum Input {
        case file(InputFile)
        case decoded([UInt8], InputFile)
    }

    public var count: Int { longitudes.count }

    /// Whether feature `i` has an `event_date`.
    public func isDated(_ i: Int) -> Bool { precisions[i] != 0 }

    /// Feature `i`'s span of time, nil when undated.
    public func timeSpan(_ i: Int) -> (startSeconds: Double, endSeconds: Double)? {
        precisions[i] == 0 ? nil : (startSeconds[i], endSeconds[i])
    }

    /// The middle of feature `i`'s span, seconds; NaN when undated.
    public func midpointSeconds(_ i: Int) -> Double { (startSeconds[i] + endSeconds[i]) / 2 }

    /// Of `members`, the dated ones whose span's middle is earliest and latest (the first of
    /// equals); nil when none is dated. How cluster and corridor summaries find first and last dates.
    public func firstAndLastDated(_ members: [Int]) -> (first: Int, last: Int)? {
        let dated = members.filter(isDated)
        guard let first = dated.min(by: { midpointSeconds($0) < midpointSeconds($1) }),
              let last = dated.max(by: { midpointSeconds($0) < midpointSeconds($1) }) else { return nil }
        return (first, last)
    }

    private init(sourceName: String, input: Input, options: EventLayerOptions) {
        self.sourceName = sourceName
        self.input = input
        self.options = options
    }

    /// Reads `path` (`-` for standard input).
    public static func read(path: String, options: EventLayerOptions) throws -> EventLayer {
        try read(file: try EventReader.open(path), source: path, options: options)
    }

    /// Reads an opened input named `source`. Throws `EventLayerError` naming the rows that
    /// cannot be used (all of them are looked at, so one run shows every kind of problem),
    /// `EventInputError` when the input as a whole cannot be read.
    public static func read(file: InputFile, source: String, options: EventLayerOptions) throws -> EventLayer {
        let encoding = options.reader.encoding
        let input: Input = encoding == .utf8 ? .file(file) : .decoded(file.withUnsafeBytes { encoding.utf8Bytes($0) }, file)
        let layer = EventLayer(sourceName: source, input: input, options: options)
        try layer.load()
        return layer
    }

    // MARK: Reading

    /// One row of the input, as the walk hands it over.
    enum Row {
        /// A CSV or ACLED row, decoded and placed. Boxed: an `Event` is about 500 bytes, and
        /// unboxed it made every row that size, copied several times on its way to the columns.
        indirect case event(Event)
        /// A GeoJSON feature with a Point, its time span (nil when undated) and fatalities.
        case feature(Feature, Position, EventInterval?, Int?)
        /// The same, found by `FeatureScanner` (the common case; decoded only when asked for).
        case scanned(ScannedFeature, UnsafeRawBufferPointer, EventInterval?, Int?)
        /// A plain table row read again, as the text of its event (`TableScanner.text`).
        case tableText(TableRowText)
    }

    private func load() throws {
        var problems: [String] = []
        var problemCount = 0
        var rows = 0
        let progress = options.onProgress
        let appendColumns = { (columns: ScannedColumns, range: Range<Int>) in
            self.append(columns, range)
            if let progress {
                // Every 2¹⁶ rows, as when they come one by one.
                var next = (rows | 0xFFFF) + 1
                while next <= rows + range.count {
                    progress(EventLayerProgress(pass: 0, rows: next))
                    next += 0x10000
                }
            }
            rows += range.count
        }
        try walk(firstPass: true, skipping: { self.skippedLayers[$0, default: 0] += 1 }, columns: appendColumns) { row in
            switch row {
            case .failure(let position, let problem):
                problemCount += 1
                if problems.count < 5 { problems.append("\(position): \(problem)") }
            case .success(let row):
                switch row {
                case .event(let event):
                    kept.abandon()
                    append(longitude: event.longitude!, latitude: event.latitude!, interval: event.interval, fatalities: event.fatalities)
                case .tableText(let text):  // only on readings again
                    kept.abandon()
                    let event = text.event()
                    append(longitude: event.longitude!, latitude: event.latitude!, interval: event.interval, fatalities: event.fatalities)
                case .feature(_, let point, let interval, let deaths):
                    kept.abandon()
                    append(longitude: point.x, latitude: point.y, interval: interval, fatalities: deaths)
                case .scanned(let scanned, _, let interval, let deaths):
                    kept.append(scanned, dateIndex: Self.scannedDate, dateEndIndex: Self.scannedDateEnd)
                    append(longitude: scanned.longitude, latitude: scanned.latitude, interval: interval, fatalities: deaths)
                }
            }
            rows += 1
            if let progress, rows & 0xFFFF == 0 { progress(EventLayerProgress(pass: 0, rows: rows)) }
        }
        if problemCount > 0 { throw EventLayerError(source: sourceName, problems: problems, problemCount: problemCount) }
        if count == 0, !skippedLayers.isEmpty {
            let layers = skippedLayers.keys.joined(separator: ", ")
            let wanted = options.layer == .events ? "events" : options.layer.description
            throw EventLayerError(source: sourceName, problems: [], problemCount: 0,
                                  message: "no feature of layer '\(wanted)'; the file's layers: \(layers); pick one with --layer (or --layer all)")
        }
    }

    private func append(longitude: Double, latitude: Double, interval: EventInterval?, fatalities: Int?) {
        let values = ScannedColumns.values(interval: interval, fatalities: fatalities)
        longitudes.append(longitude)
        latitudes.append(latitude)
        startSeconds.append(values.startSeconds)
        endSeconds.append(values.endSeconds)
        precisions.append(values.precision)
        self.fatalities.append(values.fatalities)
    }

    /// Makes room in the columns (and kept spans) for the rows of an input of `totalBytes` at the
    /// density of a first chunk (`rows` in `bytes`), and a little more, so that they are not
    /// copied as they grow; at most one row per `shortestRowBytes`. Nothing for a chunk of fewer
    /// than 1,000 rows (its density says too little).
    func reserveRows(_ rows: Int, in bytes: Int, of totalBytes: Int, shortestRowBytes: Int) {
        guard rows >= 1_000 else { return }
        let density = Double(rows) / Double(max(1, bytes))
        reserveRows(min(totalBytes / shortestRowBytes, Int(Double(totalBytes) * density * 1.05) + 1_024))
    }

    /// Makes room for `rows` rows in the columns (and kept spans).
    private func reserveRows(_ rows: Int) {
        longitudes.reserveCapacity(rows)
        latitudes.reserveCapacity(rows)
        startSeconds.reserveCapacity(rows)
        endSeconds.reserveCapacity(rows)
        precisions.reserveCapacity(rows)
        fatalities.reserveCapacity(rows)
        kept.reserve(rows)
    }

    /// Rows `range` of a thread's columns, appended in one go.
    private func append(_ columns: ScannedColumns, _ range: Range<Int>) {
        longitudes.append(contentsOf: columns.longitudes[range])
        latitudes.append(contentsOf: columns.latitudes[range])
        startSeconds.append(contentsOf: columns.startSeconds[range])
        endSeconds.append(contentsOf: columns.endSeconds[range])
        precisions.append(contentsOf: columns.precisions[range])
        fatalities.append(contentsOf: columns.fatalities[range])
        if columns.spansFit { kept.append(contentsOf: columns.spans[range], names: columns.names) } else { kept.abandon() }
    }

    enum Walked {
        case success(Row)
        case failure(RowPosition, RowProblem)
    }

    /// Reads the input from the start, handing over every row of the chosen layer in order.
    /// With `columns`, a first reading on several threads hands over runs of plain features as
    /// columns, in their place among the other rows.
    private func walk(firstPass: Bool = false, skipping: (String) -> Void, columns: ((ScannedColumns, Range<Int>) -> Void)? = nil,
                      _ body: (Walked) throws -> Void) throws {
        switch input {
        case .file(let file):
            try file.withUnsafeBytes { try walk($0, file: file, firstPass: firstPass, skipping: skipping, columns: columns, body) }
        case .decoded(let bytes, _):
            try bytes.withUnsafeBytes { try walk($0, file: nil, firstPass: firstPass, skipping: skipping, columns: columns, body) }
        }
    }

    /// The input's bytes (UTF-8) for the duration of `body`.
    private func withInputBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        switch input {
        case .file(let file): try file.withUnsafeBytes(body)
        case .decoded(let bytes, _): try bytes.withUnsafeBytes(body)
        }
    }

    private func walk(_ buffer: UnsafeRawBufferPointer, file: InputFile?, firstPass: Bool, skipping: (String) -> Void,
                      columns: ((ScannedColumns, Range<Int>) -> Void)?, _ body: (Walked) throws -> Void) throws {
        var reader = options.reader
        reader.encoding = .utf8  // the bytes are UTF-8 by now
        if !firstPass { reader.onWarning = nil }  // said once
        let kind = reader.resolvedKind(buffer, source: sourceName)
        switch kind {
        case .csv, .acled:
            if firstPass, let columns, let workers = tableScanWorkers(bytes: buffer.count, writingText: false) {
                try walkTableByScanner(buffer, file: file, reader: reader, acled: kind == .acled, workers: workers, columns: columns, body)
                return
            }
            if !firstPass, let workers = tableScanWorkers(bytes: buffer.count, writingText: true) {
                try walkTableByScanner(buffer, file: file, reader: reader, acled: kind == .acled, workers: workers, columns: { _, _ in }, body)
                return
            }
            if options.threads > 1, let file, buffer.count >= 2 * options.chunkBytes, options.locate == nil || options.threadLocates != nil {
                // Two workers per chunk of a round (`forEachRowInParallel`'s rule; a table uses one).
                let locates = options.locate == nil ? nil : options.threadLocates?(2 * options.threads)
                let workers = (0..<2 * options.threads).map { TableRowWorker(locate: locates?[$0]) }
                let read = try reader.forEachRowInParallel(file: file, source: sourceName, workers: workers, chunkBytes: options.chunkBytes,
                                                           overlappingCSV: false) { worker in
                    for walked in worker.walked { try body(walked) }
                    if let failure = worker.failure { throw failure }
                    worker.discard()
                }
                if read { return }
            }
            try reader.forEachRow(in: buffer, source: sourceName, releasingPagesOf: file) { row in
                do {
                    var event = try row.result.get()
                    if let locate = options.locate { try locate(&event) }
                    guard event.hasCoordinates else { throw RowProblem(.emptyPlace, "no coordinates") }
                    try body(.success(.event(event)))
                } catch let problem as RowProblem {
                    try body(.failure(row.position, problem))
                }
            }
        case .geojson, .geojsonseq, .geojsonl:
            var geojson = GeoJSONReader()
            let choice = options.layer
            if firstPass, let columns, kind != .geojson, options.threads > 1, buffer.count >= 2 * options.chunkBytes {
                let warnings = try walkSequenceInParallel(buffer, file: file, reader: reader, skipping: skipping, columns: columns, body)
                reportWrappedLongitudes(warnings, reader: reader)
                return
            }
            // The rows of a collection read in parts are handed over from inside its reading.
            try withoutActuallyEscaping(body) { body in
                try withoutActuallyEscaping(skipping) { skipping in
                    var memo = timeMemo
                    defer { timeMemo = memo }
                    // The reader as a constant: the closure below copied the variable (its strings
                    // and closures retained and released) at every feature.
                    let fixedReader = reader
                    // A first reading (with `columns`) gathers runs of scanned features into
                    // columns, as the parallel readings do, handed over before any other row and
                    // every 4,096 rows: as rows, each scanned feature was copied several times on
                    // its way to the layer.
                    // (Not while a large collection is read in parts: those hand their columns over
                    // themselves, and a part read again here must not hold its rows back.)
                    let inParallel = firstPass && kind == .geojson && options.threads > 1 && buffer.count >= 2 * options.chunkBytes
                    let gathersRuns = firstPass && columns != nil && !inParallel
                    var run = ScannedColumns()
                    func handOverRun() {
                        guard run.count > 0, let columns else { return }
                        if self.count == 0, run.spansFit, let end = run.spans.last.map({ $0.base + Int($0.propertiesLength) }) {
                            self.reserveRows(run.count, in: end, of: buffer.count, shortestRowBytes: 64)
                        }
                        columns(run, 0..<run.count)
                        run.removeAll()
                    }
                    let visit: (Int, FeatureRecord) throws -> Void = { index, record in
                        if let skipped = Self.skippedLayer(of: record, in: buffer, choice: choice) {
                            skipping(skipped)
                            return
                        }
                        do {
                            switch record {
                            case .scanned(let scanned) where gathersRuns:
                                let (interval, deaths) = try Self.timeAndFatalities(of: scanned, in: buffer, reader: fixedReader, memo: &memo)
                                run.append(scanned, offset: 0, interval: interval, fatalities: deaths,
                                           dateIndex: Self.scannedDate, dateEndIndex: Self.scannedDateEnd)
                                if run.count == 4_096 { handOverRun() }
                            case .scanned(let scanned):
                                handOverRun()
                                // Reading again: the first reading checked the dates and filled the columns.
                                try body(.success(firstPass ? try Self.row(scanned, in: buffer, reader: fixedReader, memo: &memo) : .scanned(scanned, buffer, nil, nil)))
                            case .decoded(let feature):
                                handOverRun()
                                try body(.success(try self.row(feature, reader: fixedReader)))
                            }
                        } catch let problem as RowProblem {
                            handOverRun()
                            try body(.failure(.feature(index), problem))
                        }
                    }
                    let bad: GeoJSONReader.BadFeatureHandler = { index, error, _ in
                        try body(.failure(.feature(index), RowProblem(.malformedFeature, error.description)))
                    }
                    // A large FeatureCollection's members are read on all threads (`readMembersInParallel`),
                    // a part that needs index-bound messages again here, by `visit` (its warnings kept apart).
                    var partWarnings: [GeoJSONProblem] = []
                    do {
                        if kind == .geojson {
                            try geojson.forEachFeatureRecord(in: buffer, scanning: options.scansFeatures ? EventLayer.scanner : nil, onBadFeature: bad,
                                                             collectionMembers: { start, firstIndex in
                                guard inParallel, let columns else { return nil }
                                return try readMembersInParallel(buffer, from: start, firstIndex: firstIndex, reader: reader, skipping: skipping,
                                                                 columns: columns, body) { from, stop, index in
                                    var again = GeoJSONReader()
                                    var shape = ScanShape()
                                    defer { partWarnings += again.warnings }
                                    return try again.forEachCollectionMember(in: buffer, from: from, stoppingAt: stop, firstIndex: index,
                                                                             scanning: options.scansFeatures ? EventLayer.scanner : nil, shape: &shape,
                                                                             onBadFeature: bad, visit)
                                }
                            }, visit)
                        } else {
                            try geojson.forEachSeqFeatureRecord(in: buffer, scanning: options.scansFeatures ? EventLayer.scanner : nil, onBadFeature: bad, visit)
                        }
                    } catch let error as GeoJSONError {
                        throw EventInputError(source: sourceName, message: "\(error)")
                    }
                    handOverRun()
                    if firstPass { reportWrappedLongitudes(partWarnings + geojson.warnings, reader: reader) }
                }
            }
        }
    }

    /// The members of a large FeatureCollection's `features` array from the one at `start`
    /// (numbered `firstIndex`), read as one thread reads them (same rows, indices, problems and
    /// skipped layers; `GeoJSONReader.forEachCollectionMember`) on `options.threads` threads:
    /// each round, parts of about `options.chunkBytes` that begin where a member may
    /// (`GeoJSONReader.collectionMemberStart`) are read at once, then handed over in order on
    /// this thread, runs of plain features to `columns`, other rows to `body`. A part is kept
    /// only while the part before it ended exactly where it begins (else the next round starts
    /// where that one ended). A part whose messages name features by their index in the whole
    /// array (malformed features, warnings, a syntax error) is read again by `readAgain` (from,
    /// stop, first index), which hands its rows over itself. Returns the offset past the
    /// array's closing bracket and the number of members.
    private func readMembersInParallel(_ buffer: UnsafeRawBufferPointer, from first: Int, firstIndex: Int, reader: EventReader,
                                       skipping: (String) -> Void, columns: (ScannedColumns, Range<Int>) -> Void,
                                       _ body: (Walked) throws -> Void,
                                       readAgain: (Int, Int, Int) throws -> (end: Int, closed: Bool, count: Int)) throws -> (end: Int, count: Int) {
        let choice = options.layer
        let scanner = options.scansFeatures ? EventLayer.scanner : nil
        let partsPerRound = 2 * options.threads, chunkBytes = options.chunkBytes
        let memos = UnsafeMutableBufferPointer<TimeMemo>.allocate(capacity: partsPerRound)
        memos.initialize(repeating: TimeMemo())
        defer {
            _ = memos.deinitialize()
            memos.deallocate()
        }
        let memo = SendablePointer(memos.baseAddress!)
        let whole = SendableBytes(buffer)
        var start = first, index = firstIndex
        while true {
            let ranges = GeoJSONReader.collectionParts(in: buffer, from: start, count: partsPerRound, bytes: chunkBytes)
            let (starts, stops) = (ranges.map(\.lowerBound), ranges.map(\.upperBound))
            let parts = EventReader.concurrentMap(ranges.count) { j in
                let buffer = whole.buffer
                var part = MembersPart()
                part.outcome.columns.reserve(ranges[j].count / 256)
                var geojson = GeoJSONReader()
                var shape = ScanShape()
                do {
                    (part.end, part.closed, part.count) = try geojson.forEachCollectionMember(
                        in: buffer, from: ranges[j].lowerBound, stoppingAt: ranges[j].upperBound, firstIndex: 0, scanning: scanner, shape: &shape,
                        onBadFeature: { _, _, _ in part.readAgain = true }
                    ) { local, record in
                        if let skipped = Self.skippedLayer(of: record, in: buffer, choice: choice) {
                            part.outcome.add(.skipped(skipped))
                            return
                        }
                        switch record {
                        case .scanned(let scanned):
                            do throws(RowProblem) {
                                let (interval, deaths) = try Self.timeAndFatalities(of: scanned, in: buffer, reader: reader, memo: &memo.pointer[j])
                                part.outcome.columns.append(scanned, offset: 0, interval: interval, fatalities: deaths,
                                                            dateIndex: Self.scannedDate, dateEndIndex: Self.scannedDateEnd)
                                part.outcome.run += 1
                            } catch {
                                part.outcome.add(.walked(.failure(.feature(local), error)))
                            }
                        case .decoded(let feature): part.outcome.add(.decoded(local, feature))
                        }
                    }
                } catch {
                    part.readAgain = true
                }
                part.outcome.endRun()
                if !geojson.warnings.isEmpty { part.readAgain = true }
                return part
            }
            for j in starts.indices {
                if j > 0, parts[j - 1].end != starts[j] { break }
                if parts[j].readAgain {
                    let (end, closed, count) = try readAgain(starts[j], stops[j], index)
                    index += count
                    if closed { return (end, index - firstIndex) }
                    start = end
                    continue
                }
                var next = 0
                for item in parts[j].outcome.items {
                    switch item {
                    case .columns(let count):
                        columns(parts[j].outcome.columns, next..<(next + count))
                        next += count
                    case .walked(.failure(.feature(let local), let problem)): try body(.failure(.feature(index + local), problem))
                    case .walked(let walked): try body(walked)
                    case .skipped(let name): skipping(name)
                    case .decoded(let local, let feature):
                        do {
                            try body(.success(try row(feature, reader: reader)))
                        } catch let problem as RowProblem {
                            try body(.failure(.feature(index + local), problem))
                        }
                    }
                }
                index += parts[j].count
                if parts[j].closed { return (parts[j].end, index - firstIndex) }
                start = parts[j].end
            }
        }
    }

    /// What a reading thread made of one part of a collection's members.
    private struct MembersPart: @unchecked Sendable {
        var outcome = ChunkOutcome()
        var end = -1
        var closed = false
        var count = 0
        /// Whether the part must be read again on the calling thread (its messages name indices).
        var readAgain = false
    }

    /// Says which longitudes beyond ±180° were read as wrapped: the first five and how many more.
    private func reportWrappedLongitudes(_ warnings: [GeoJSONProblem], reader: EventReader) {
        let wrapped = warnings.filter { $0.code == .longitudeWrapped }
        if let onWarning = reader.onWarning, !wrapped.isEmpty {
            for w in wrapped.prefix(5) { onWarning("\(sourceName): \(w)") }
            if wrapped.count > 5 { onWarning("\(sourceName): \(wrapped.count - 5) more longitudes beyond ±180° read the same way") }
        }
    }

    /// The layer a feature of another layer belongs to (`(none)` for a feature without one when a
    /// named layer is read); nil when the feature is of the chosen layer.
    private static func skippedLayer(of record: FeatureRecord, in buffer: UnsafeRawBufferPointer, choice: LayerChoice) -> String? {
        let layerName: JSONValue? = switch record {
        case .scanned(let scanned): scanned.value(EventLayer.scannedLayer, in: buffer)
        case .decoded(let feature): feature[property: EventLayer.layerProperty]
        }
        if case .string(let name)? = layerName {
            switch choice {
            case .all: return nil
            case .events: return name != "events" ? name : nil
            case .named(let wanted): return name != wanted ? name : nil
            }
        }
        if case .named = choice { return "(none)" }
        return nil
    }

    /// One feature of a parallel first reading, made on a reading thread, handed over in order.
    private enum ChunkItem {
        /// The next `count` rows of the chunk's columns.
        case columns(Int)
        case walked(Walked)
        case skipped(String)
        /// A feature the full decoder made: its row is made on the calling thread, where it may be placed.
        case decoded(Int, Feature)
    }

    /// What a reading thread made of one chunk.
    private struct ChunkOutcome: @unchecked Sendable {
        var items: [ChunkItem] = []
        var columns = ScannedColumns()
        /// Rows added to `columns` since the last item.
        var run = 0
        var warnings: [GeoJSONProblem] = []
        var error: Error?
        /// The chunk's size in bytes.
        var bytes = 0

        mutating func add(_ item: ChunkItem) {
            endRun()
            items.append(item)
        }

        mutating func endRun() {
            if run > 0 { items.append(.columns(run)) }
            run = 0
        }
    }

    /// The first reading of a large GeoJSONSeq input on `options.threads` threads: the chunks of
    /// each round (`2 × threads` of them) are scanned (and their dates decoded) at once, while one
    /// thread hands the previous round's rows over in input order, as one thread would (same
    /// rows, indices, problems and skipped layers): runs of plain features to `columns`, other
    /// rows to `body`, one call at a time, on any thread. Features the scanner leaves to the full
    /// decoder become rows there too. Returns the warnings.
    private func walkSequenceInParallel(_ buffer: UnsafeRawBufferPointer, file: InputFile?, reader: EventReader,
                                        skipping: (String) -> Void, columns: (ScannedColumns, Range<Int>) -> Void,
                                        _ body: (Walked) throws -> Void) throws -> [GeoJSONProblem] {
        let choice = options.layer
        let scanner = options.scansFeatures ? EventLayer.scanner : nil
        var warnings: [GeoJSONProblem] = []
        // One memo of time spans per chunk slot, kept from round to round (a million events share
        // a few thousand dates); the slot's thread is the only one to touch it during a round.
        let chunksPerRound = 2 * options.threads
        let memos = UnsafeMutableBufferPointer<TimeMemo>.allocate(capacity: chunksPerRound)
        memos.initialize(repeating: TimeMemo())
        defer {
            _ = memos.deinitialize()
            memos.deallocate()
        }
        let memo = SendablePointer(memos.baseAddress!)
        var reserved = false
        try EventReader.forEachSeqChunkInParallel(buffer, file: file, threads: options.threads, chunkBytes: options.chunkBytes,
                                                  chunksPerRound: chunksPerRound, overlapping: true) { chunk, offset, firstRecord, firstLine, j, _ in
            var outcome = ChunkOutcome()
            outcome.bytes = chunk.count
            outcome.columns.reserve(chunk.count / 256)  // features are rarely shorter
            var geojson = GeoJSONReader()
            do {
                try geojson.forEachSeqFeatureRecord(in: chunk, scanning: scanner, firstRecord: firstRecord, firstLine: firstLine, onBadFeature: { index, error, _ in
                    outcome.add(.walked(.failure(.feature(index), RowProblem(.malformedFeature, error.description))))
                }) { index, record in
                    if let skipped = Self.skippedLayer(of: record, in: chunk, choice: choice) {
                        outcome.add(.skipped(skipped))
                        return
                    }
                    switch record {
                    case .scanned(let scanned):
                        do throws(RowProblem) {
                            let (interval, deaths) = try Self.timeAndFatalities(of: scanned, in: chunk, reader: reader, memo: &memo.pointer[j])
                            // Offsets of the whole input, as the readings again use them.
                            outcome.columns.append(scanned, offset: offset, interval: interval, fatalities: deaths,
                                                   dateIndex: Self.scannedDate, dateEndIndex: Self.scannedDateEnd)
                            outcome.run += 1
                        } catch {
                            outcome.add(.walked(.failure(.feature(index), error)))
                        }
                    case .decoded(let feature): outcome.add(.decoded(index, feature))
                    }
                }
            } catch {
                outcome.error = error
            }
            outcome.endRun()
            outcome.warnings = geojson.warnings
            return outcome
        } deliver: { _, outcome in
            if !reserved, outcome.columns.longitudes.count >= 1_000 {
                reserved = true
                reserveRows(outcome.columns.longitudes.count, in: outcome.bytes, of: buffer.count, shortestRowBytes: 64)
            }
            var next = 0
            for item in outcome.items {
                switch item {
                case .columns(let count):
                    columns(outcome.columns, next..<(next + count))
                    next += count
                case .walked(let walked): try body(walked)
                case .skipped(let name): skipping(name)
                case .decoded(let index, let feature):
                    do {
                        try body(.success(try row(feature, reader: reader)))
                    } catch let problem as RowProblem {
                        try body(.failure(.feature(index), problem))
                    }
                }
            }
            warnings += outcome.warnings
            if let error = outcome.error {
                if let error = error as? GeoJSONError { throw EventInputError(source: sourceName, message: "\(error)") }
                throw error
            }
        }
        return warnings
    }

    /// The properties a first reading needs, found without decoding the rest (their texts
    /// located, read only when needed).
    static let scanner = FeatureScanner(keys: [layerProperty, EventField.eventDate.rawValue, EventField.dateEnd.rawValue,
                                               EventField.timePrecision.rawValue, EventField.fatalities.rawValue], parsingValues: false)
    static let scannedLayer = 0, scannedDate = 1, scannedDateEnd = 2

    /// A scanned feature as a row, by the same rules as `row(_ feature:)`; `memo` holds the time
    /// spans already decoded.
    private static func row(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, reader: EventReader,
                            memo timeMemo: inout TimeMemo) throws(RowProblem) -> Row {
        let (interval, deaths) = try timeAndFatalities(of: scanned, in: buffer, reader: reader, memo: &timeMemo)
        return .scanned(scanned, buffer, interval, deaths)
    }

    /// Whether a value's text is `null` (one load, not a generic comparison with a string's bytes).
    @inline(__always)
    static func isNullText(_ text: UnsafeRawBufferPointer) -> Bool {
        text.count == 4 && text.loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x6C6C_756E)  // "null"
    }

    /// A scanned feature's time span (nil when it has no `event_date`) and fatalities, by the
    /// rules of `row(_ feature:)`; `memo` holds the time spans already decoded.
    private static func timeAndFatalities(of scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, reader: EventReader,
                                          memo timeMemo: inout TimeMemo) throws(RowProblem) -> (EventInterval?, Int?) {
        guard let dateText = scanned.valueText(1, in: buffer), !isNullText(dateText) else { return (nil, nil) }
        if dateText.first != UInt8(ascii: "\""), let date = scanned.value(1, in: buffer) {
            throw RowProblem(.unparseableDate, "event_date must be a string, got \(date.typeName)")
        }
        let (endText, precisionText) = (scanned.valueText(2, in: buffer), scanned.valueText(3, in: buffer))
        let interval = try timeMemo.interval(date: dateText, end: endText, precision: precisionText) {
            // The values as the full parser reads them (the scan checked their texts).
            func value(_ text: UnsafeRawBufferPointer?) -> JSONValue? { text.flatMap { try? JSONParser.parse(buffer: $0) } }
            var fields: OrderedDictionary<String, JSONValue> = [:]
            fields[EventField.eventDate.rawValue] = value(dateText)
            if let end = value(endText) { fields[EventField.dateEnd.rawValue] = end }
            if let precision = value(precisionText) { fields[EventField.timePrecision.rawValue] = precision }
            return Result { () throws(RowProblem) -> EventInterval in
                let time = try reader.decoder.decodeTime(fields)
                return EventInterval(date: time.date, end: time.end, precision: time.precision)
            }
        }.get()
        return (interval, try reader.decoder.decodeFatalities(scanned.value(4, in: buffer)))
    }

    /// Time spans already decoded, by the texts of the values that make them (a million events
    /// share a few thousand dates), kept by those bytes (`ByteMemo`): one text, one value, so
    /// one span. Bounded: past 100,000 distinct keys, new ones are decoded every time.
    private var timeMemo = TimeMemo()
    fileprivate struct TimeMemo {
        private var memo = ByteMemo<Result<EventInterval, RowProblem>>()
        /// The key being made (a writer for its appends, which cost less than an array's).
        private var key = JSONWriter()

        /// The span of the values with these texts (nil: absent), `decode`d when not kept.
        mutating func interval(date: UnsafeRawBufferPointer, end: UnsafeRawBufferPointer?, precision: UnsafeRawBufferPointer?,
                               decode: () -> Result<EventInterval, RowProblem>) -> Result<EventInterval, RowProblem> {
            key.removeAll(keepingCapacity: true)
            // Each text followed by 0xFF, a byte no UTF-8 text holds; an absent one is 0xFE.
            func add(_ text: UnsafeRawBufferPointer?) {
                if let text { key.append(contentsOf: text) } else { key.appendByte(0xFE) }
                key.appendByte(0xFF)
            }
            add(date)
            add(end)
            add(precision)
            if let known = key.withUnsafeBytes({ memo.value(for: $0) }) { return known }
            let decoded = decode()
            key.withUnsafeBytes { _ = memo.insert(decoded, for: $0) }
            return decoded
        }
    }

    /// A GeoJSON feature as a row: a Point, and the event model's time and fatalities rules
    /// when it has an `event_date`. A feature without geometry is an event to place: decoded
    /// and located like a CSV row.
    private func row(_ feature: Feature, reader: EventReader) throws(RowProblem) -> Row {
        switch feature.geometry {
        case .point(let point)?:
            let properties = feature.properties ?? [:]
            guard let date = properties[EventField.eventDate.rawValue], date != .null else {
                return .feature(feature, point, nil, nil)
            }
            if date.stringValue == nil { throw RowProblem(.unparseableDate, "event_date must be a string, got \(date.typeName)") }
            let time = try reader.decoder.decodeTime(properties)
            let deaths = try reader.decoder.decodeFatalities(properties)
            return .feature(feature, point, EventInterval(date: time.date, end: time.end, precision: time.precision), deaths)
        case nil:
            var event = try reader.decodeFeature(feature)
            if let locate = options.locate {
                do { try locate(&event) } catch let problem as RowProblem { throw problem } catch {
                    throw RowProblem(.unresolvedPlace, "\(error)")
                }
            }
            guard event.hasCoordinates else {
                throw RowProblem(.notAPoint, "no geometry and no coordinates; give a Point, or a location to geocode")
            }
            return .event(event)
        case let g?:
            let layerName = feature[property: EventLayer.layerProperty]?.stringValue
            var message = "geometry is a \(g.typeName); an event layer needs Point geometries"
            if let layerName { message += " (this feature is of layer '\(layerName)'; read one layer with --layer events)" }
            throw RowProblem(.notAPoint, message)
        }
    }

    // MARK: Reading again

    /// The property that says which layer a feature of a multi-layer output belongs to.
    public static let layerProperty = "layer"

    /// Every feature of the layer, in order, with its index: GeoJSON features with their
    /// properties as they came; CSV and ACLED rows as `EventEncoder.feature` of the placed event.
    public func forEachFeature(_ body: (Int, Feature) throws -> Void) throws {
        try forEachRow { index, row in try body(index, Self.feature(of: row)) }
    }

    /// A row as the feature `forEachFeature` hands over.
    private static func feature(of row: Row) -> Feature {
        switch row {
        case .event(let event): EventEncoder.feature(event)
        case .tableText(let text): EventEncoder.feature(text.event())
        case .feature(let feature, _, _, _): feature
        case .scanned(let scanned, let buffer, _, _): scanned.feature(in: buffer)
        }
    }

    /// Every feature of the layer, in order, as an analysis writes its events: dated points
    /// stamped as `geo convert` stamps them (`EventTimestamp.stamped`), and with the
    /// properties `adding(i)` gives set on feature `i` (a name already there keeps its place and
    /// takes the new value). Plain GeoJSON features go out as text to copy (`PointFeatureText`),
    /// which writes the same bytes as decoding them would; the others decoded.
    public func forEachOutgoingFeature(adding: (Int) -> [(String, JSONValue)], _ body: (OutgoingFeature) throws -> Void) throws {
        try forEachOutgoingFeature(adding: { .values(adding($0)) }, body)
    }

    /// `forEachOutgoingFeature(adding:_:)` of the features `adding` gives properties for; a
    /// feature it gives nil for is left out.
    public func forEachOutgoingFeature(selecting adding: (Int) -> [(String, JSONValue)]?, _ body: (OutgoingFeature) throws -> Void) throws {
        try forEachRow { index, row in
            guard let added = adding(index) else { return }
            try body(outgoing(index, row, adding: .values(added)))
        }
    }

    /// `forEachOutgoingFeature(adding:_:)` with added properties of either kind.
    public func forEachOutgoingFeature(adding: (Int) -> AddedProperties, _ body: (OutgoingFeature) throws -> Void) throws {
        try forEachRow { index, row in try body(outgoing(index, row, adding: adding(index))) }
    }

    private static let timestampPattern = MemberNamePattern(EventTimestamp.property)
    /// `,"timestamp":` (`EventTimestamp.property`), as the writer puts it right after the
    /// dates; static text, so that threads reading it share no reference count.
    static let timestampFollowing: StaticString = ",\"timestamp\":"

    /// What `EventTimestamp.stamped` does to a scanned feature's own `timestamp` member.
    enum OwnTimestamp {
        /// It has none: the stamp is inserted after the dates.
        case absent
        /// It stays as it is: an input's own that geo did not derive, or the very value and
        /// place the stamp would give.
        case kept
        /// It is replaced or moved: the feature goes the decoded way.
        case replaced
    }

    /// `OwnTimestamp` of a scanned feature dated from `startSeconds` whose dates' values end at
    /// `datesEnd`, looking first right after them, where the writer puts it: in a verbatim
    /// properties text, a comma and a quoted name there begin a member of the object itself.
    /// A feature whose properties are not verbatim is `absent` (its text is not copied).
    static func ownTimestamp(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, datesEnd: Int,
                             startSeconds: Double) -> OwnTimestamp {
        guard scanned.propertiesVerbatim, let range = scanned.propertiesRange else { return .absent }
        let following = timestampFollowing
        let valueStart: Int
        let atStampPlace: Bool
        if datesEnd >= range.lowerBound, datesEnd + following.utf8CodeUnitCount <= range.upperBound,
           memcmp(buffer.baseAddress! + datesEnd, following.utf8Start, following.utf8CodeUnitCount) == 0 {
            (valueStart, atStampPlace) = (datesEnd + following.utf8CodeUnitCount, true)
        } else if let start = PointFeatureText.valueStart(scanned, in: buffer, name: timestampPattern) {
            (valueStart, atStampPlace) = (start, false)
        } else {
            return .absent
        }
        // A string (without escapes in a verbatim text) stays only as the very text of the stamp.
        if buffer[valueStart] == UInt8(ascii: "\""), let same = Self.isQuotedISOText(buffer, at: valueStart, seconds: startSeconds) {
            return atStampPlace && same ? .kept : .replaced
        }
        guard let value = PointFeatureText.value(at: valueStart, in: buffer) else { return .replaced }
        if value != .null, value.stringValue == nil { return value == EventTimestamp.epochMilliseconds.value(seconds: startSeconds) ? .replaced : .kept }
        return atStampPlace && value == EventTimestamp.iso.value(seconds: startSeconds) ? .kept : .replaced
    }

    /// Whether the bytes at `start` are `"` + `EventTimestamp.isoText(seconds:)` + `"`: read as
    /// a valid date and time of day (no text made), equal to those of `seconds` (whole
    /// seconds); nil for a year beyond 0…9999 (not told).
    static func isQuotedISOText(_ buffer: UnsafeRawBufferPointer, at start: Int, seconds: Double) -> Bool? {
        guard seconds.isFinite, abs(seconds) < 1e15 else { return nil }
        let whole = Int(seconds.rounded(.down))
        let days = Int((Double(whole) / 86_400).rounded(.down))
        guard (firstISODay...lastISODay).contains(days) else { return nil }
        guard start + 22 <= buffer.count else { return false }
        let p = buffer.baseAddress! + start
        func byte(_ k: Int) -> UInt8 { p.load(fromByteOffset: k, as: UInt8.self) }
        guard byte(0) == UInt8(ascii: "\""), byte(5) == UInt8(ascii: "-"), byte(8) == UInt8(ascii: "-"), byte(11) == UInt8(ascii: "T"),
              byte(14) == UInt8(ascii: ":"), byte(17) == UInt8(ascii: ":"), byte(20) == UInt8(ascii: "Z"), byte(21) == UInt8(ascii: "\"")
        else { return false }
        /// The number of `count` digits from `k`, -1 when one is not a digit.
        func number(_ k: Int, _ count: Int) -> Int {
            var n = 0
            for i in k..<(k + count) {
                let d = byte(i) &- UInt8(ascii: "0")
                guard d < 10 else { return -1 }
                n = n * 10 + Int(d)
            }
            return n
        }
        let (year, month, day) = (number(1, 4), number(6, 2), number(9, 2))
        let (hour, minute, second) = (number(12, 2), number(15, 2), number(18, 2))
        guard year >= 0, (1...12).contains(month), day >= 1, day <= UTCCalendar.daysIn(month: month, year: year),
              (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) else { return false }
        return UTCCalendar.daysSinceEpoch(year: year, month: month, day: day) == days
            && hour * 3600 + minute * 60 + second == whole - days * 86_400
    }

    /// The days since 1970 of 0000-01-01 and 9999-12-31, the years `isoText` writes with four digits.
    private static let firstISODay = UTCCalendar.daysSinceEpoch(year: 0, month: 1, day: 1)
    private static let lastISODay = UTCCalendar.daysSinceEpoch(year: 9999, month: 12, day: 31)

    /// Row `index` as `forEachOutgoingFeature` hands it over, with `added` set. Reads only (any thread).
    fileprivate func outgoing(_ index: Int, _ row: Row, adding added: AddedProperties) -> OutgoingFeature {
        var verdicts = AddedTextVerdicts()
        return outgoing(index, row, adding: added, verdicts: &verdicts)
    }

    /// Whether a layer's added names (`AddedProperties.text`) may follow the text of a table's
    /// rows (`EventEncoder.canAddAsText`): the same for every row of one reading's worker, so
    /// asked once for a run of rows of the same source and names (on one thread).
    fileprivate struct AddedTextVerdicts {
        private var source: ObjectIdentifier?, names: ObjectIdentifier?, verdict = false

        mutating func canAdd(_ added: AddedProperties, after text: TableRowText) -> Bool {
            guard case .text(let writer, _) = added else { return EventEncoder.canAddAsText(added, extraHas: text.source.extraNames.contains) }
            let (s, n) = (ObjectIdentifier(text.source), ObjectIdentifier(writer.addedNames))
            if s != source || n != names {
                (source, names) = (s, n)
                verdict = EventEncoder.canAddAsText(added, extraHas: text.source.extraNames.contains)
            }
            return verdict
        }
    }

    /// `outgoing(_:_:adding:)` with the verdicts on added names kept across rows.
    fileprivate func outgoing(_ index: Int, _ row: Row, adding added: AddedProperties, verdicts: inout AddedTextVerdicts) -> OutgoingFeature {
        let feature: Feature
        switch row {
        case .event(let event):
            if let text = EventEncoder.ownedText(event, adding: added) { return .ownedText(text) }
            feature = EventEncoder.feature(event)
        case .tableText(let text):
            guard verdicts.canAdd(added, after: text) else {
                return outgoing(index, .event(text.event()), adding: added)
            }
            return .pointText(text.pointText(adding: added))
        case .feature(let decoded, _, _, _): feature = decoded
        case .scanned(let scanned, let buffer, _, _):
            let ends = scanned.valueEnds
            let datesEnd = ends.count > Self.scannedDateEnd && ends[Self.scannedDateEnd] >= 0 ? ends[Self.scannedDateEnd]
                : (ends.count > Self.scannedDate ? ends[Self.scannedDate] : -1)
            return outgoing(index, scanned, in: buffer, datesEnd: datesEnd, adding: added)
        }
        return outgoingDecoded(index, feature, adding: added)
    }

    /// A scanned feature as `outgoing` hands it over: as text when it can be copied; `datesEnd`
    /// is where its `date_end` value ends, else its `event_date` value (-1: neither).
    fileprivate func outgoing(_ index: Int, _ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, datesEnd: Int,
                              adding added: AddedProperties) -> OutgoingFeature {
        // A dated event without a timestamp gets one right after its dates, as `stamp` places
        // it; one with a timestamp `stamp` replaces or moves is decoded.
        var inserting: (afterValueEndingAt: Int, name: String, value: JSONValue)?
        if datesEnd >= 0, isDated(index) {
            switch Self.ownTimestamp(scanned, in: buffer, datesEnd: datesEnd, startSeconds: startSeconds[index]) {
            case .absent: inserting = EventTimestamp.iso.value(seconds: startSeconds[index]).map { (datesEnd, EventTimestamp.property, $0) }
            case .kept: break
            case .replaced: return outgoingDecoded(index, scanned.feature(in: buffer), adding: added)
            }
        }
        if let text = PointFeatureText(scanned, in: buffer, adding: added, inserting: inserting) {
            return .pointText(text)
        }
        return outgoingDecoded(index, scanned.feature(in: buffer), adding: added)
    }

    /// Feature `index`, whose kept span is `span` (`kept.names` being `names`), as `outgoing`
    /// hands it over, without making its values' ends. The caller reads the spans: reading
    /// them from the layer here retained and released their buffer per feature, a count the
    /// other threads write too.
    fileprivate func outgoingKept(_ index: Int, _ span: ScannedSpans.Span, names: NameBloom, in buffer: UnsafeRawBufferPointer,
                                  adding added: AddedProperties) -> OutgoingFeature {
        let (scanned, datesEnd) = ScannedSpans.featureAndDatesEnd(span, names: names, longitude: longitudes[index], latitude: latitudes[index])
        return outgoing(index, scanned, in: buffer, datesEnd: datesEnd, adding: added)
    }

    /// A decoded feature as `outgoing` hands it over: stamped and with `added` set.
    private func outgoingDecoded(_ index: Int, _ decoded: Feature, adding added: AddedProperties) -> OutgoingFeature {
        let stamp = EventTimestamp.iso
        var feature = stamp.stamped(decoded, startSeconds: isDated(index) ? startSeconds[index] : nil)
        if !added.isEmpty {
            var properties = feature.properties ?? [:]
            for (name, value) in added.values { properties[name] = value }
            feature.properties = properties
        }
        return .feature(feature)
    }

    /// `forEachOutgoingFeature` for writers of text, on `options.threads` threads when the rows
    /// can be read by index (every feature was scanned on the first reading): the features of
    /// each batch of `options.featuresPerBatch` rows are made and `encode`d into a fresh
    /// `makeBatch()` on one thread, and the batches handed to `deliver` in input order, so what
    /// is written is what one thread writes. `adding`, `makeBatch` and
    /// `encode` run on several threads at once and must only read shared state; `deliver` runs
    /// one batch at a time, in order, on any thread, while the next batches are made. Other
    /// layers (table rows, features for the full decoder) are read again on the calling thread
    /// and encoded on `options.threads` threads, `threads × featuresPerBatch` rows at a time, the
    /// batches delivered in order on the calling thread.
    public func encodeOutgoingFeatures<Batch>(
        adding: (Int) -> [(String, JSONValue)], makeBatch: () -> Batch, encode: (OutgoingFeature, inout Batch) -> Void,
        deliver: (Batch) throws -> Void
    ) throws {
        try encodeOutgoingFeatures(adding: { .values(adding($0)) } as (Int) -> AddedProperties, makeBatch: makeBatch, encode: encode,
                                   deliver: deliver)
    }

    /// Bytes to reserve for a batch of `encodeOutgoingFeatures` written as text: a batch's
    /// share of the input, plus 256 bytes a feature for what is added (so that a batch's buffer
    /// seldom grows, each growth a copy of all written so far); at least 64 KiB.
    public var outgoingBatchBytes: Int {
        let inputBytes = (try? withInputBytes { $0.count }) ?? 0
        let perFeature = count > 0 ? inputBytes / count + 256 : 0
        return min(max(1 << 16, max(1, options.featuresPerBatch) * perFeature), 1 << 26)
    }

    /// `encodeOutgoingFeatures(adding:makeBatch:encode:deliver:)` with added properties of either
    /// kind. With `addingText`, feature `i` gets `.text(addingText, index: i)` and `adding` is
    /// not called: each batch writes with a copy of its own (`copyForThread`), so that no
    /// feature touches the reference count the other threads' features touch (making
    /// `.text(writer, …)` per feature retained and released the shared writer, a cache line
    /// that went back and forth between the cores).
    public func encodeOutgoingFeatures<Batch>(
        adding: (Int) -> AddedProperties, addingText: (any AddedPropertiesWriter)? = nil, makeBatch: () -> Batch,
        encode: (OutgoingFeature, inout Batch) -> Void, deliver: (Batch) throws -> Void
    ) throws {
        try encodeOutgoingFeatures(selecting: adding, addingText: addingText, makeBatch: makeBatch, encode: encode, deliver: deliver)
    }

    /// `encodeOutgoingFeatures(adding:makeBatch:encode:deliver:)` of the features `adding` gives
    /// properties for (as `forEachOutgoingFeature(selecting:_:)` hands them over); a feature it
    /// gives nil for is left out.
    public func encodeOutgoingFeatures<Batch>(
        selecting adding: (Int) -> [(String, JSONValue)]?, makeBatch: () -> Batch,
        encode: (OutgoingFeature, inout Batch) -> Void, deliver: (Batch) throws -> Void
    ) throws {
        try encodeOutgoingFeatures(selecting: { adding($0).map { .values($0) } } as (Int) -> AddedProperties?, addingText: nil,
                                   makeBatch: makeBatch, encode: encode, deliver: deliver)
    }

    private func encodeOutgoingFeatures<Batch>(
        selecting adding: (Int) -> AddedProperties?, addingText: (any AddedPropertiesWriter)?, makeBatch: () -> Batch,
        encode: (OutgoingFeature, inout Batch) -> Void, deliver: (Batch) throws -> Void
    ) throws {
        let perBatch = max(1, options.featuresPerBatch)
        guard options.threads > 1, kept.isComplete, kept.spans.count == count, count > perBatch else {
            try encodeReadAgain(adding: adding, addingText: addingText, makeBatch: makeBatch, encode: encode, deliver: deliver,
                                perBatch: perBatch)
            return
        }
        passes += 1
        let pass = passes
        try withInputBytes { buffer in
            try withoutActuallyEscaping(adding) { adding in
                try withoutActuallyEscaping(makeBatch) { makeBatch in
                    try withoutActuallyEscaping(encode) { encode in
                        try withoutActuallyEscaping(deliver) { deliver in
                            let work = BatchEncoding(layer: self, buffer: buffer, adding: adding, addingText: addingText, makeBatch: makeBatch,
                                                     encode: encode, deliver: deliver)
                            try encodeInRounds(work, perBatch: perBatch, pass: pass)
                        }
                    }
                }
            }
        }
    }

    /// `encodeOutgoingFeatures` for layers whose rows are read again from the input (tables,
    /// features for the full decoder): the rows come in input order on this thread, and each
    /// `threads × perBatch` of them are made and encoded into batches of `perBatch` on all
    /// threads, then delivered in order on this thread.
    private func encodeReadAgain<Batch>(
        adding: (Int) -> AddedProperties?, addingText: (any AddedPropertiesWriter)?, makeBatch: () -> Batch,
        encode: (OutgoingFeature, inout Batch) -> Void, deliver: (Batch) throws -> Void, perBatch: Int
    ) throws {
        let threads = max(1, options.threads)
        var pending: [(index: Int, row: Row)] = []
        pending.reserveCapacity(threads * perBatch)
        try withoutActuallyEscaping(adding) { adding in
            try withoutActuallyEscaping(makeBatch) { makeBatch in
                try withoutActuallyEscaping(encode) { encode in
                    let work = RowEncoding(layer: self, adding: adding, addingText: addingText, makeBatch: makeBatch, encode: encode)
                    if try encodeTableAgain(work, deliver: deliver, perBatch: perBatch) { return }
                    func flush() throws {
                        guard !pending.isEmpty else { return }
                        let starts = Array(stride(from: 0, to: pending.count, by: perBatch))
                        var made = [Batch?](repeating: nil, count: starts.count)
                        let rows = SendableRows(rows: pending)
                        made.withUnsafeMutableBufferPointer { out in
                            let shared = SendableBatchSlots(slots: out)
                            let encodeOne: @Sendable (Int) -> Void = { j in
                                shared.slots[j] = work.batch(rows.rows[starts[j]..<min(rows.rows.count, starts[j] + perBatch)])
                            }
                            if starts.count == 1 { encodeOne(0) } else { DispatchQueue.concurrentPerform(iterations: starts.count, execute: encodeOne) }
                        }
                        for batch in made { try deliver(batch!) }
                        pending.removeAll(keepingCapacity: true)
                    }
                    // The input's bytes lent for the whole pass: the last rows (which may point into
                    // them) are encoded after the reading ends.
                    try withInputBytes { _ in
                        try forEachRow { index, row in
                            pending.append((index, row))
                            if pending.count == threads * perBatch { try flush() }
                        }
                        try flush()
                    }
                }
            }
        }
    }

    /// `encodeReadAgain` for a table read again by its scanner workers (`tableScanWorkers`); see
    /// `tableAgainInBatches`. False, having read nothing, when the table is not read so.
    private func encodeTableAgain<Batch>(_ work: RowEncoding<Batch>, deliver: (Batch) throws -> Void, perBatch: Int) throws -> Bool {
        try tableAgainInBatches(perBatch: perBatch, batch: { work.batch($0, rows: $1) }, deliver: deliver)
    }

    /// A table read again by its scanner workers (`tableScanWorkers`), its rows as text: each
    /// worker's rows of a round are taken whole on this thread, where they are only numbered,
    /// not copied; every `threads × perBatch` rows are made into batches of `perBatch` by
    /// `batch` (the rows `waiting[range]`, numbered from `first`) on all threads at once (the
    /// last batch of the pass may be short), and the batches delivered in order here. Rows the
    /// first reading refused are left out, as `forEachRow` leaves them. False, having read
    /// nothing, when the table is not read so.
    private func tableAgainInBatches<Batch>(perBatch: Int, batch: (TableRowsAgain, Range<Int>) -> Batch,
                                            deliver: (Batch) throws -> Void) throws -> Bool {
        try withoutActuallyEscaping(batch) { batch in
            try tableAgainInBatches(perBatch: perBatch, batch: SendableBatchMaker(make: batch), deliver: deliver)
        }
    }

    private func tableAgainInBatches<Batch>(perBatch: Int, batch work: SendableBatchMaker<Batch>,
                                            deliver: (Batch) throws -> Void) throws -> Bool {
        func run(_ buffer: UnsafeRawBufferPointer, _ file: InputFile?) throws -> Bool {
            var reader = options.reader
            reader.encoding = .utf8  // the bytes are UTF-8 by now
            reader.onWarning = nil  // said on the first reading
            let kind = reader.resolvedKind(buffer, source: sourceName)
            guard kind == .csv || kind == .acled, let workers = tableScanWorkers(bytes: buffer.count, writingText: true) else { return false }
            passes += 1
            let pass = passes
            let threads = max(1, options.threads)
            var blocks: [[TableScanWorker.Item]] = []
            // The rows not yet encoded, as (block, item), in input order; the first is row `firstWaiting`.
            var waiting: [(block: Int32, item: Int32)] = []
            var firstWaiting = 0
            func flush(all: Bool) throws {
                let batchCount = all ? (waiting.count + perBatch - 1) / perBatch : waiting.count / perBatch
                guard batchCount > 0 else { return }
                let shared = TableRowsAgain(blocks: blocks, waiting: waiting, first: firstWaiting)
                var made = [Batch?](repeating: nil, count: batchCount)
                made.withUnsafeMutableBufferPointer { out in
                    let slots = SendableBatchSlots(slots: out)
                    let encodeOne: @Sendable (Int) -> Void = { j in
                        slots.slots[j] = work.make(shared, (j * perBatch)..<min(shared.waiting.count, (j + 1) * perBatch))
                    }
                    if batchCount == 1 { encodeOne(0) } else { DispatchQueue.concurrentPerform(iterations: batchCount, execute: encodeOne) }
                }
                for batch in made { try deliver(batch!) }
                let used = min(waiting.count, batchCount * perBatch)
                firstWaiting += used
                waiting.removeFirst(used)
                // The rows left (fewer than a batch) are moved to a block of their own, and the
                // blocks read so far let go: a round's rows are not kept while the next is read.
                let carried = waiting.map { blocks[Int($0.block)][Int($0.item)] }
                blocks = [carried]
                waiting = carried.indices.map { (0, Int32($0)) }
                if let progress = options.onProgress { progress(EventLayerProgress(pass: pass, rows: firstWaiting)) }
            }
            try reader.csvInParallel(buffer, file: file, source: sourceName, acled: kind == .acled, workers: workers,
                                     chunkBytes: options.chunkBytes, overlapping: false) { worker in
                let items = worker.takeItems()
                let block = Int32(blocks.count)
                blocks.append(items)
                for k in items.indices {
                    switch items[k] {
                    case .walked(.success): waiting.append((block, Int32(k)))
                    case .walked(.failure): continue  // reported by the first reading
                    case .columns: preconditionFailure("a table read again as text gives no columns")
                    }
                }
                if let failure = worker.failure { throw failure }
                worker.discard()
                if waiting.count >= threads * perBatch { try flush(all: false) }
            }
            try flush(all: true)
            return true
        }
        switch input {
        case .file(let file): return try file.withUnsafeBytes { try run($0, file) }
        case .decoded(let bytes, _): return try bytes.withUnsafeBytes { try run($0, nil) }
        }
    }

    /// What makes `tableAgainInBatches`'s batches, called on several threads at once (it must
    /// only read shared state).
    private struct SendableBatchMaker<Batch>: @unchecked Sendable {
        let make: (TableRowsAgain, Range<Int>) -> Batch
    }

    /// The rows of `tableAgainInBatches` waiting to be made into batches, read by its threads.
    private struct TableRowsAgain: @unchecked Sendable {
        let blocks: [[TableScanWorker.Item]]
        let waiting: [(block: Int32, item: Int32)]
        /// The row number of `waiting[0]`.
        let first: Int
    }

    /// What the threads of `encodeReadAgain` share: all of it read only.
    private struct RowEncoding<Batch>: @unchecked Sendable {
        let layer: EventLayer
        let adding: (Int) -> AddedProperties?
        let addingText: (any AddedPropertiesWriter)?
        let makeBatch: () -> Batch
        let encode: (OutgoingFeature, inout Batch) -> Void

        /// The rows made and encoded into a new batch, in order.
        func batch(_ rows: ArraySlice<(index: Int, row: Row)>) -> Batch {
            var batch = makeBatch()
            var own = BatchAddedText(addingText)
            for (index, row) in rows {
                guard let added = own.added(index, adding) else { continue }
                encode(layer.outgoing(index, row, adding: added), &batch)
            }
            return batch
        }

        /// Rows `rows` of `waiting` made and encoded into a new batch, in order.
        func batch(_ table: TableRowsAgain, rows: Range<Int>) -> Batch {
            var batch = makeBatch()
            var verdicts = AddedTextVerdicts()
            var own = BatchAddedText(addingText)
            for r in rows {
                let (block, item) = table.waiting[r]
                guard case .walked(.success(let row)) = table.blocks[Int(block)][Int(item)] else { continue }
                let index = table.first + r
                guard let added = own.added(index, adding) else { continue }
                encode(layer.outgoing(index, row, adding: added, verdicts: &verdicts), &batch)
            }
            return batch
        }
    }

    /// One batch's own copy of the layer's writer of added text (`copyForThread`): the
    /// batch's features retain and release it, not the object the other threads' batches use
    /// (the cache line of a shared count went back and forth between the cores for every feature).
    private struct BatchAddedText {
        /// The copy of `encodeOutgoingFeatures`'s `addingText`, made once for the batch.
        private let text: (any AddedPropertiesWriter)?
        /// The copy of the writer `adding` last gave (without `addingText`).
        private var local: (original: ObjectIdentifier, copy: any AddedPropertiesWriter)?

        init(_ addingText: (any AddedPropertiesWriter)?) {
            text = addingText?.copyForThread()
        }

        /// Feature `index`'s added properties: `.text` with the batch's copy of `addingText`
        /// when there is one, else `adding(index)` with its writer of text (if any) replaced by
        /// this batch's copy; nil when `adding` leaves the feature out.
        @inline(__always)
        mutating func added(_ index: Int, _ adding: (Int) -> AddedProperties?) -> AddedProperties? {
            if text != nil { return .text(text!, index: index) }
            guard let added = adding(index) else { return nil }
            guard case .text(let writer, _) = added else { return added }
            if local?.original != ObjectIdentifier(writer) { local = (ObjectIdentifier(writer), writer.copyForThread()) }
            return added.replacingWriter(local!.original, with: local!.copy)
        }
    }

    /// Rows handed to the threads of `encodeReadAgain` (read only while they run).
    private struct SendableRows: @unchecked Sendable {
        let rows: [(index: Int, row: Row)]
    }

    /// The batches of one flush of `encodeReadAgain`, each slot written by one thread.
    private struct SendableBatchSlots<Batch>: @unchecked Sendable {
        let slots: UnsafeMutableBufferPointer<Batch?>
    }

    /// The rounds of `encodeOutgoingFeatures`: each makes `4 × threads` batches on all threads
    /// while one of them hands the previous round's batches to `deliver`, so writing overlaps
    /// encoding; the batches are delivered in input order, one at a time.
    private func encodeInRounds<Batch>(_ work: BatchEncoding<Batch>, perBatch: Int, pass: Int) throws {
        let roundRows = 4 * options.threads * perBatch
        var start = 0
        var ready: [Batch] = []
        var failure: Error?
        while start < count || !ready.isEmpty {
            let starts = Array(stride(from: start, to: min(count, start + roundRows), by: perBatch))
            let made = UnsafeMutableBufferPointer<Batch?>.allocate(capacity: starts.count + 1)
            made.initialize(repeating: nil)
            defer {
                _ = made.deinitialize()
                made.deallocate()
            }
            let out = SendablePointer(made.baseAddress!)
            let previous = SendableBatches(batches: ready)
            try withUnsafeMutablePointer(to: &failure) { failed in
                let failedPointer = SendablePointer(failed)
                DispatchQueue.concurrentPerform(iterations: starts.count + 1) { j in
                    if j == 0 {
                        do {
                            for batch in previous.batches { try work.deliver(batch) }
                        } catch {
                            failedPointer.pointer.pointee = error
                        }
                    } else {
                        out.pointer[j] = work.batch(starts[j - 1]..<min(work.layer.count, starts[j - 1] + perBatch))
                    }
                }
                if let error = failedPointer.pointer.pointee { throw error }
            }
            if let progress = options.onProgress, !ready.isEmpty { progress(EventLayerProgress(pass: pass, rows: start)) }
            ready = starts.indices.map { made[$0 + 1]! }
            start = min(count, start + roundRows)
            // The input before the next round's features is not read again in this pass: its
            // pages are let go, so that resident memory does not grow to the whole input by the
            // pass's end (a page read again is paged in again from the file).
            if case .file(let file) = input {
                file.releasePages(before: start < count ? work.layer.kept.spans[start].textStart : work.buffer.count)
            }
        }
    }

    /// One round's batches, handed to the thread that delivers them.
    private struct SendableBatches<Batch>: @unchecked Sendable {
        let batches: [Batch]
    }

    /// What the threads of `encodeOutgoingFeatures` share: all of it read only.
    private struct BatchEncoding<Batch>: @unchecked Sendable {
        let layer: EventLayer
        let buffer: UnsafeRawBufferPointer
        let adding: (Int) -> AddedProperties?
        let addingText: (any AddedPropertiesWriter)?
        let makeBatch: () -> Batch
        let encode: (OutgoingFeature, inout Batch) -> Void
        let deliver: (Batch) throws -> Void

        /// Rows `rows` (kept spans) made and encoded into a new batch.
        func batch(_ rows: Range<Int>) -> Batch {
            var batch = makeBatch()
            var own = BatchAddedText(addingText)
            let kept = layer.kept
            kept.spans.withUnsafeBufferPointer { spans in
                for i in rows {
                    guard let added = own.added(i, adding) else { continue }
                    encode(layer.outgoingKept(i, spans[i], names: kept.names, in: buffer, adding: added), &batch)
                }
            }
            return batch
        }
    }

    /// Every row of the layer, in order, with its index (a reading again): from the kept spans
    /// when every feature was scanned, else by walking the input again.
    private func forEachRow(_ body: (Int, Row) throws -> Void) throws {
        var index = 0
        passes += 1
        let pass = passes
        if kept.isComplete, kept.spans.count == count, count > 0 {
            try withInputBytes { buffer in
                for i in 0..<count {
                    let scanned = kept.feature(i, longitude: longitudes[i], latitude: latitudes[i],
                                               dateIndex: Self.scannedDate, dateEndIndex: Self.scannedDateEnd)
                    try body(i, .scanned(scanned, buffer, nil, nil))
                    if (i + 1) & 0xFFFF == 0 {
                        if let progress = options.onProgress { progress(EventLayerProgress(pass: pass, rows: i + 1)) }
                        // The input before the next feature's texts is not read again in this pass
                        // (a page read again is paged in again from the file).
                        if case .file(let file) = input, i + 1 < count { file.releasePages(before: kept.spans[i + 1].textStart) }
                    }
                }
            }
            return
        }
        try walk(skipping: { _ in }) { walked in
            guard case .success(let row) = walked else { return }
            try body(index, row)
            index += 1
            if let progress = options.onProgress, index & 0xFFFF == 0 { progress(EventLayerProgress(pass: pass, rows: index)) }
        }
    }

    /// The features at `indices`, by index: read where the scanner kept them, else in one pass
    /// over the input that decodes only these.
    public func features(at indices: some Sequence<Int>) throws -> [Int: Feature] {
        let wanted = Set(indices)
        var found: [Int: Feature] = [:]
        guard !wanted.isEmpty else { return found }
        if kept.isComplete, kept.spans.count == count {
            try withInputBytes { buffer in
                for i in wanted where (0..<count).contains(i) {
                    let scanned = kept.feature(i, longitude: longitudes[i], latitude: latitudes[i],
                                               dateIndex: Self.scannedDate, dateEndIndex: Self.scannedDateEnd)
                    found[i] = scanned.feature(in: buffer)
                }
            }
            return found
        }
        try forEachRow { i, row in if wanted.contains(i) { found[i] = Self.feature(of: row) } }
        return found
    }

    /// A property of every feature as interned text (one pass over the input).
    public func strings(of property: String) throws -> StringColumn {
        try strings(of: [property])[0]
    }

    /// Properties of every feature as interned text, a column each (one pass over the input).
    public func strings(of properties: [String]) throws -> [StringColumn] {
        var columns = [StringColumn](repeating: StringColumn(), count: properties.count)
        for k in columns.indices { columns[k].codes.reserveCapacity(count) }
        try forEachValue(of: properties) { _, values in
            for k in columns.indices { columns[k].append(values[k].flatMap(FeatureValues.texts)?.first) }
        }
        return columns
    }

    /// The values of a few properties of every feature, in order (one pass over the input;
    /// plain GeoJSON features are not decoded whole). nil for an absent property.
    public func forEachValue(of properties: [String], _ body: (Int, [JSONValue?]) throws -> Void) throws {
        try forEachValue(of: properties, mapping: { _, values in values }, body)
    }

    /// `forEachValue(of:_:)` with each feature's values first made into what `map` makes of them
    /// (given the feature's index), on the threads that read them when the layer is read on
    /// several (`map` runs on several threads at once and must only read shared state); `body`
    /// is handed the results in order on this thread.
    public func forEachValue<Mapped>(of properties: [String], mapping map: (Int, [JSONValue?]) -> Mapped,
                                     _ body: (Int, Mapped) throws -> Void) throws {
        try withoutActuallyEscaping(map) { map in
            try forEachValue(of: properties, mapping: SendableValueMap(map: map), body)
        }
    }

    private func forEachValue<Mapped>(of properties: [String], mapping work: SendableValueMap<Mapped>,
                                      _ body: (Int, Mapped) throws -> Void) throws {
        let scanner = FeatureScanner(keys: properties)
        if options.threads > 1, kept.isComplete, kept.spans.count == count, count >= 2 * Self.valueBlock {
            try forEachValueInParallel(scanner, properties: properties, mapping: work, body)
            return
        }
        // A table row's text holds its event's properties (and a `timestamp` its event has not).
        let names = properties.contains(EventTimestamp.property) ? nil : properties.map { Array($0.utf8) }
        if options.threads > 1 {
            // A table read again on all threads, each row's values worked out (and mapped) there.
            var index = 0
            let perBatch = max(1, options.featuresPerBatch)
            let readByScanners = try tableAgainInBatches(perBatch: perBatch, batch: { table, rows in
                var shape = ScanShape()
                var made: [Mapped] = []
                made.reserveCapacity(rows.count)
                for r in rows {
                    let (block, item) = table.waiting[r]
                    guard case .walked(.success(let row)) = table.blocks[Int(block)][Int(item)] else { continue }
                    made.append(work.map(table.first + r, Self.values(of: row, names: names, properties: properties, scanner: scanner, shape: &shape)))
                }
                return made
            }, deliver: { batch in
                for mapped in batch {
                    try body(index, mapped)
                    index += 1
                }
            })
            if readByScanners { return }
        }
        var shape = ScanShape()
        let patterns = MemberPatterns(properties)
        try forEachRow { index, row in
            try body(index, work.map(index, Self.values(of: row, names: names, properties: properties, scanner: scanner, shape: &shape,
                                                        patterns: patterns)))
        }
    }

    /// What `forEachValue(of:mapping:_:)` makes of each feature's values, called on several
    /// threads at once (it must only read shared state).
    private struct SendableValueMap<Mapped>: @unchecked Sendable {
        let map: (Int, [JSONValue?]) -> Mapped
    }

    /// The values of `properties` (`names`: their UTF-8, nil when one is `timestamp`) of one
    /// row, as `forEachValue` hands them over: a scanned feature's by `scanner` (with `shape`,
    /// kept from row to row), a table row's from its properties text, others from the feature.
    private static func values(of row: Row, names: [[UInt8]]?, properties: [String], scanner: FeatureScanner,
                               shape: inout ScanShape, patterns: MemberPatterns? = nil) -> [JSONValue?] {
        switch row {
        case .scanned(let scanned, let buffer, _, _):
            return values(of: scanned, in: buffer, scanner: scanner, properties: properties, shape: &shape, patterns: patterns)
        case .event(let event):
            let feature = EventEncoder.feature(event)
            return properties.map { feature[property: $0] }
        case .tableText(let text):
            if let names, let values = values(of: names, inText: text.pointText(adding: .values([])).propertiesText, empty: scanner.noValues) {
                return values
            }
            let feature = EventEncoder.feature(text.event())
            return properties.map { feature[property: $0] }
        case .feature(let feature, _, _, _):
            return properties.map { feature[property: $0] }
        }
    }
}

extension EventLayer {
    /// Features whose values `forEachValueInParallel` works out at once, a share per thread.
    static let valueBlock = 1 << 14

    /// `forEachValue` of a layer read whole by the scanner (its kept spans), in rounds of
    /// `valueBlock` features a thread: each thread works out its share's values
    /// (`values(of:in:scanner:properties:)`), then `body` is handed them in order on this
    /// thread, and the input's pages before the next round are let go.
    private func forEachValueInParallel<Mapped>(_ scanner: FeatureScanner, properties: [String], mapping work: SendableValueMap<Mapped>,
                                                _ body: (Int, Mapped) throws -> Void) throws {
        passes += 1
        let pass = passes
        let threads = max(1, options.threads)
        try withInputBytes { buffer in
            let whole = SendableBytes(buffer)
            var start = 0
            while start < count {
                let starts = Array(stride(from: start, to: min(count, start + threads * Self.valueBlock), by: Self.valueBlock))
                let layer = self
                let shares = EventReader.concurrentMap(starts.count) { j in
                    var shape = ScanShape()
                    let patterns = MemberPatterns(properties)  // the thread's own
                    return (starts[j]..<min(layer.count, starts[j] + Self.valueBlock)).map { i in
                        let scanned = layer.kept.feature(i, longitude: layer.longitudes[i], latitude: layer.latitudes[i],
                                                         dateIndex: Self.scannedDate, dateEndIndex: Self.scannedDateEnd)
                        return work.map(i, Self.values(of: scanned, in: whole.buffer, scanner: scanner, properties: properties, shape: &shape,
                                                       patterns: patterns))
                    }
                }
                for (j, share) in shares.enumerated() {
                    for (k, mapped) in share.enumerated() { try body(starts[j] + k, mapped) }
                }
                start = min(count, start + threads * Self.valueBlock)
                if let progress = options.onProgress { progress(EventLayerProgress(pass: pass, rows: start)) }
                if case .file(let file) = input, start < count { file.releasePages(before: kept.spans[start].textStart) }
            }
        }
    }

    /// The values of the properties named `names` (UTF-8) in a compact properties text whose
    /// names have no escapes (`PointFeatureText.forEachMember`), nil when they cannot be read so.
    /// (`empty`: `names.count` nils, copied on first write: an array made here looked its
    /// generic type up at run time, behind a lock, for every row.)
    static func values(of names: [[UInt8]], inText text: UnsafeRawBufferPointer?, empty: [JSONValue?]) -> [JSONValue?]? {
        guard let text else { return nil }
        var values = empty
        var failed = false
        let read = PointFeatureText.forEachMember(in: text) { name, value in
            for (k, wanted) in names.enumerated() where name.count == wanted.count && name.elementsEqual(wanted) {
                guard let parsed = try? JSONParser.parse(buffer: value) else {
                    failed = true
                    return
                }
                values[k] = parsed
            }
        }
        return read && !failed ? values : nil
    }

    /// The values of `properties` of a scanned feature: `scanner`'s reading of its properties
    /// text (with `shape`, kept from feature to feature), or the decoded feature's when the
    /// scanner cannot read it; nil for each without properties.
    private static func values(of scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, scanner: FeatureScanner,
                               properties: [String], shape: inout ScanShape, patterns: MemberPatterns? = nil) -> [JSONValue?] {
        guard let range = scanned.propertiesRange else { return properties.map { _ in nil } }
        if scanned.propertiesVerbatim, let patterns, let values = patterns.values(in: buffer, range: range, empty: scanner.noValues) {
            return values
        }
        if let values = scanner.values(inProperties: buffer, range: range, shape: &shape) { return values }
        let feature = scanned.feature(in: buffer)
        return properties.map { feature[property: $0] }
    }
}

/// Text values of one property over a layer: a code per feature into `values`, interned.
public struct StringColumn: Sendable {
    /// Index into `values` for each feature; -1 when the feature has no value.
    public var codes: [Int32] = []
    /// Distinct values in first-seen order.
    public var values: [String] = []
    private var index: [String: Int32] = [:]

    public init() {}

    public subscript(_ i: Int) -> String? { codes[i] < 0 ? nil : values[Int(codes[i])] }

    mutating func append(_ value: String?) {
        guard let value else { codes.append(-1); return }
        if let code = index[value] { codes.append(code); return }
        let code = Int32(values.count)
        values.append(value)
        index[value] = code
        codes.append(code)
    }
}

/// Property values as text, the way filters and splits compare them.
public enum FeatureValues {
    /// A property's values as text: none for missing/null, one for a scalar, each element of an array.
    public static func values(_ feature: Feature, _ field: String) -> [String] {
        guard let value = feature[property: field] else { return [] }
        return texts(value) ?? []
    }

    /// Text of a value: nil for null; numbers in shortest form; arrays element by element;
    /// objects as compact JSON.
    public static func texts(_ value: JSONValue) -> [String]? {
        switch value {
        case .null: nil
        case .string(let s): [s]
        case .integer(let i): [String(i)]
        case .double(let d): [Format.shortest(d)]
        case .bool(let b): [b ? "true" : "false"]
        case .array(let items): items.flatMap { texts($0) ?? [] }
        case .object: [JSONWriter.string(from: value)]
        }
    }

    /// How a feature is named in output and messages: its `event_id`, else its id, else its index.
    public static func label(_ feature: Feature, index: Int) -> String {
        if let id = feature[property: "event_id"], let text = texts(id)?.first, !text.isEmpty { return text }
        if let id = feature.id { return id.description }
        return "feature \(index)"
    }
}

/// One thread's share of reading a CSV or ACLED table into a layer (`EventLayer.walk`): its
/// rows decoded and placed by its own `locate`, as the one-thread reading does, kept for the
/// calling thread. An error that is not a row's problem stops the worker, as it stops that
/// reading; the rows before it are still handed over.
private final class TableRowWorker: EventRowWorker, @unchecked Sendable {
    let locate: ((inout Event) throws -> Void)?
    var walked: [EventLayer.Walked] = []
    var failure: Error?

    init(locate: ((inout Event) throws -> Void)?) { self.locate = locate }

    func add(_ row: EventRow) {
        guard failure == nil else { return }
        do {
            var event = try row.result.get()
            if let locate { try locate(&event) }
            guard event.hasCoordinates else { throw RowProblem(.emptyPlace, "no coordinates") }
            walked.append(.success(.event(event)))
        } catch let problem as RowProblem {
            walked.append(.failure(row.position, problem))
        } catch {
            failure = error
        }
    }

    func discard() {
        walked.removeAll(keepingCapacity: true)
        failure = nil
    }
}
