import Foundation
import GeoCore

extension EventLayer {
    /// The workers of a table's reading by `TableScanner`, the first (`writingText` false) or
    /// again: one per thread when the table is large and every thread can place its rows, else
    /// one on the calling thread; nil when the scanner cannot be used (turned off, or `locate`
    /// without `checkGiven`).
    func tableScanWorkers(bytes: Int, writingText: Bool) -> [TableScanWorker]? {
        guard options.scansFeatures, options.locate == nil || options.checkGiven != nil else { return nil }
        let count = options.threads
        if options.threads > 1, bytes >= 2 * options.chunkBytes {
            if options.locate == nil { return (0..<count).map { _ in TableScanWorker(locate: nil, checkGiven: nil, writingText: writingText) } }
            if let locates = options.threadLocates?(count), let checks = options.threadChecksGiven?(count),
               locates.count == count, checks.count == count {
                return zip(locates, checks).map { TableScanWorker(locate: $0, checkGiven: $1, writingText: writingText) }
            }
        }
        return [TableScanWorker(locate: options.locate, checkGiven: options.checkGiven, writingText: writingText)]
    }

    /// A reading of a CSV or ACLED table by `workers` (`tableScanWorkers`), as the reading row by
    /// row gives it, in input order: on the first, runs of plain rows to `columns`; on readings
    /// again, plain rows as text (`Row.tableText`); the other rows (events, problems) to `body`.
    func walkTableByScanner(_ buffer: UnsafeRawBufferPointer, file: InputFile?, reader: EventReader, acled: Bool,
                            workers: [TableScanWorker], columns: (ScannedColumns, Range<Int>) -> Void,
                            _ body: (Walked) throws -> Void) throws {
        // Rows are handed over between rounds: a reading again encodes them on all threads.
        var reserved = false
        try reader.csvInParallel(buffer, file: file, source: sourceName, acled: acled, workers: workers,
                                 chunkBytes: options.chunkBytes, overlapping: false) { worker in
            if !reserved, worker.columns.longitudes.count >= 1_000 {
                reserved = true
                reserveRows(worker.columns.longitudes.count, in: worker.bytesRead, of: buffer.count, shortestRowBytes: 16)
            }
            var next = 0
            for item in worker.items {
                switch item {
                case .columns(let count):
                    columns(worker.columns, next..<(next + count))
                    next += count
                case .walked(let walked): try body(walked)
                }
            }
            if let failure = worker.failure { throw failure }
            worker.discard()
        }
    }
}

/// One thread's share of a table's reading by `EventLayer.walkTableByScanner`: the plain rows of
/// its chunk read by its `TableScanner`, into columns on the first reading (their points checked
/// by its `checkGiven`) or as text when `writingText` (read again: the first reading checked
/// them, and `locate` leaves a row with coordinates as it is); the others decoded and placed by
/// its `locate`, as the reading row by row does. An error that is not a row's problem stops it,
/// as it stops that reading. One thread's own: its `var`s are `@exclusivity(unchecked)`, without
/// the run-time bookkeeping of a class's `var` at each row.
final class TableScanWorker: EventRowWorker, TableChunkReader, @unchecked Sendable {
    enum Item {
        /// The next `count` rows of `columns`.
        case columns(Int)
        case walked(EventLayer.Walked)
    }

    let locate: ((inout Event) throws -> Void)?
    let checkGiven: ((String, Double, Double) throws -> Void)?
    let writingText: Bool
    @exclusivity(unchecked) private var scanner: TableScanner?
    @exclusivity(unchecked) private var source: TableTextSource?
    /// The texts of this chunk's plain rows (read again); a new one per chunk, as the rows
    /// handed over keep theirs.
    @exclusivity(unchecked) private var texts: TableRowTexts?
    @exclusivity(unchecked) private(set) var items: [Item] = []
    @exclusivity(unchecked) private(set) var columns = ScannedColumns()
    @exclusivity(unchecked) private var run = 0
    @exclusivity(unchecked) private(set) var failure: Error?
    /// The bytes of the chunks read since the last delivery.
    @exclusivity(unchecked) private(set) var bytesRead = 0

    init(locate: ((inout Event) throws -> Void)?, checkGiven: ((String, Double, Double) throws -> Void)?, writingText: Bool) {
        self.locate = locate
        self.checkGiven = checkGiven
        self.writingText = writingText
    }

    func readChunk(_ buffer: UnsafeRawBufferPointer, rows: EventReader.CSVRows, from start: Int, line: Int, stoppingAt stop: Int) -> ChunkEnd {
        if scanner == nil { scanner = TableScanner(rows) }
        if writingText, source == nil, let scanner { source = TableTextSource(rows: rows, buffer: buffer, extraNames: scanner.extraNames) }
        var rows = rows
        var i = start
        var line = line
        while i < stop {
            if writingText, let source, let (row, idEnd, _) = scanner?.text(in: buffer, at: i) {
                if failure == nil {
                    if texts == nil { texts = TableRowTexts(source: source, expectingBytes: min(1 << 24, 3 * (stop - i))) }
                    let k = texts!.append(scanner!.written, idEnd: idEnd, longitude: row.longitude, latitude: row.latitude, start: i, line: line)
                    add(.walked(.success(.tableText(TableRowText(texts: texts!, number: k)))))
                }
                i = row.end
                line += row.lines
                continue
            }
            if !writingText, let row = scanner?.row(in: buffer, at: i) {
                if failure == nil {
                    do {
                        try checkGiven?(row.country, row.latitude, row.longitude)
                        columns.append(longitude: row.longitude, latitude: row.latitude, interval: row.interval, fatalities: row.fatalities)
                        run += 1
                    } catch let problem as RowProblem {
                        add(.walked(.failure(.line(line), problem)))
                    } catch {
                        failure = error
                    }
                }
                i = row.end
                line += row.lines
                continue
            }
            // One record (or blank line) by the CSV reader, its row by the full decoder.
            guard EventReader.readRecord(buffer, rows: &rows, at: &i, line: &line, add: add) else { return ChunkEnd(offset: -1, line: line) }
        }
        endRun()
        bytesRead += i - start
        return ChunkEnd(offset: i, line: line)
    }

    /// A row the scanner left to the full decoder: decoded, placed, handed over.
    func add(_ row: EventRow) {
        guard failure == nil else { return }
        do {
            var event = try row.result.get()
            if let locate { try locate(&event) }
            guard event.hasCoordinates else { throw RowProblem(.emptyPlace, "no coordinates") }
            add(.walked(.success(.event(event))))
        } catch let problem as RowProblem {
            add(.walked(.failure(row.position, problem)))
        } catch {
            failure = error
        }
    }

    private func add(_ item: Item) {
        if run > 0 { items.append(.columns(run)) }
        run = 0
        items.append(item)
    }

    /// The items so far, leaving none.
    func takeItems() -> [Item] {
        let taken = items
        items = []
        texts = nil
        return taken
    }

    func discard() {
        items.removeAll(keepingCapacity: true)
        texts = nil
        bytesRead = 0
        columns.removeAll()  // its capacity kept for the next chunk
        run = 0
        failure = nil
    }

    /// Ends the current run of columns (before the items are handed over).
    private func endRun() {
        if run > 0 { items.append(.columns(run)) }
        run = 0
    }
}

/// What the rows of one table read as text share: the header's roles, to decode a row again
/// when its event is asked for, and the extra columns' names.
final class TableTextSource: @unchecked Sendable {
    let rows: EventReader.CSVRows
    let buffer: UnsafeRawBufferPointer
    let extraNames: Set<String>

    init(rows: EventReader.CSVRows, buffer: UnsafeRawBufferPointer, extraNames: Set<String>) {
        self.rows = rows
        self.buffer = buffer
        self.extraNames = extraNames
    }
}

/// A plain table row read again (`EventLayer.Row.tableText`): its event's feature as text
/// (`TableScanner.text`), kept with its chunk's others in `texts`, where it is row `number`.
struct TableRowText: @unchecked Sendable {
    let texts: TableRowTexts
    let number: Int

    var source: TableTextSource { texts.source }
    var longitude: Double { texts.longitudes[number] }
    var latitude: Double { texts.latitudes[number] }

    /// The event the full decoder makes of the row (which the first reading accepted, and
    /// `locate` leaves as it is: it has coordinates).
    func event() -> Event { texts.event(number) }

    /// The row as text to copy, with `added` (valid while `texts` is: the row holds it).
    func pointText(adding added: AddedProperties) -> PointFeatureText {
        texts.pointText(number, adding: added)
    }
}

/// The texts of one chunk's plain table rows read again (`TableScanner.text`), one after
/// another in one allocation, with their points and where each row lies in the input (to decode
/// it again when its event is asked for). Rows are only appended, by the worker reading the
/// chunk, before any is handed over; read by any thread after. Valid while the input's bytes
/// are (the pass that read it). Its `var`s are `@exclusivity(unchecked)`: written by that one
/// worker, read only after.
final class TableRowTexts: PointFeatureMaker, @unchecked Sendable {
    let source: TableTextSource
    @exclusivity(unchecked) private var base: UnsafeMutableRawPointer
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private var byteCount = 0
    /// Per row: where its properties text starts in the buffer, and its `id` text's end
    /// (from that start; -1: no id text). Row k's text ends where row k + 1's starts.
    @exclusivity(unchecked) private var textStarts: [Int] = [0]
    @exclusivity(unchecked) private var idEnds: [Int32] = []
    @exclusivity(unchecked) private(set) var longitudes: [Double] = []
    @exclusivity(unchecked) private(set) var latitudes: [Double] = []
    /// Per row: the record's offset in the input, and its line.
    @exclusivity(unchecked) private var recordStarts: [Int] = []
    @exclusivity(unchecked) private var lines: [Int] = []

    init(source: TableTextSource, expectingBytes: Int) {
        self.source = source
        capacity = max(1 << 12, expectingBytes)
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
    }

    deinit { base.deallocate() }

    /// Adds a row: its properties text `properties` (`{"event_id":` then, when `idEnd` is
    /// given, its id text up to that offset). Its number.
    func append(_ properties: JSONWriter, idEnd: Int?, longitude: Double, latitude: Double, start: Int, line: Int) -> Int {
        if byteCount + properties.count > capacity {
            let grown = max(2 * capacity, byteCount + properties.count)
            let moved = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 8)
            moved.copyMemory(from: base, byteCount: byteCount)
            base.deallocate()
            (base, capacity) = (moved, grown)
        }
        properties.withUnsafeBytes { (base + byteCount).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        byteCount += properties.count
        textStarts.append(byteCount)
        idEnds.append(Int32(idEnd ?? -1))
        longitudes.append(longitude)
        latitudes.append(latitude)
        recordStarts.append(start)
        lines.append(line)
        return idEnds.count - 1
    }

    /// Row `k` as text to copy, with `added`.
    func pointText(_ k: Int, adding added: AddedProperties) -> PointFeatureText {
        let properties = UnsafeRawBufferPointer(start: base + textStarts[k], count: textStarts[k + 1] - textStarts[k])
        let id = idEnds[k] < 0 ? nil : UnsafeRawBufferPointer(rebasing: properties[12..<Int(idEnds[k])])
        return PointFeatureText(idText: id, longitude: longitudes[k], latitude: latitudes[k], propertiesText: properties,
                                added: added, maker: self, makerRecord: k)
    }

    /// The event the full decoder makes of row `k`.
    func event(_ k: Int) -> Event {
        var rows = source.rows
        var event: Event?
        _ = try? CSV.forEachRecord(in: source.buffer, separator: rows.separator, recovering: true, from: recordStarts[k], line: lines[k],
                                   stoppingAt: recordStarts[k] + 1) { (record) throws(CSV.ParseError) in
            if let row = try? rows.row(for: record), case .success(let decoded) = row.result { event = decoded }
        }
        guard let event else { preconditionFailure("\(source.rows.source): line \(lines[k]): a row read as plain did not decode") }
        return event
    }

    /// The feature of row `k`'s event, as an analysis writes it (`EventEncoder.layerFeature`).
    func feature(_ record: Int, adding added: AddedProperties) -> Feature {
        EventEncoder.layerFeature(event(record), adding: added)
    }
}
