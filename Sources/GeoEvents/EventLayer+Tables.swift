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
        try reader.csvInParallel(buffer, file: file, source: sourceName, acled: acled, workers: workers,
                                 chunkBytes: options.chunkBytes, overlapping: false) { worker in
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
/// as it stops that reading.
final class TableScanWorker: EventRowWorker, TableChunkReader, @unchecked Sendable {
    enum Item {
        /// The next `count` rows of `columns`.
        case columns(Int)
        case walked(EventLayer.Walked)
    }

    let locate: ((inout Event) throws -> Void)?
    let checkGiven: ((String, Double, Double) throws -> Void)?
    let writingText: Bool
    private var scanner: TableScanner?
    private var source: TableTextSource?
    private(set) var items: [Item] = []
    private(set) var columns = ScannedColumns()
    private var run = 0
    private(set) var failure: Error?

    init(locate: ((inout Event) throws -> Void)?, checkGiven: ((String, Double, Double) throws -> Void)?, writingText: Bool) {
        self.locate = locate
        self.checkGiven = checkGiven
        self.writingText = writingText
    }

    func readChunk(_ buffer: UnsafeRawBufferPointer, rows: EventReader.CSVRows, from start: Int, line: Int, stoppingAt stop: Int) -> Int {
        if scanner == nil { scanner = TableScanner(rows) }
        if writingText, source == nil, let scanner { source = TableTextSource(rows: rows, buffer: buffer, extraNames: scanner.extraNames) }
        var rows = rows
        var i = start
        var line = line
        while i < stop {
            if writingText, let source, let (row, idEnd) = scanner?.text(in: buffer, at: i) {
                if failure == nil {
                    let properties = scanner!.written
                    add(.walked(.success(.tableText(TableRowText(
                        idText: idEnd.map { Array(properties[12..<$0]) }, longitude: row.longitude, latitude: row.latitude,
                        propertiesText: properties,
                        start: i, line: line, source: source)))))
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
            guard EventReader.readRecord(buffer, rows: &rows, at: &i, line: &line, add: add) else { return -1 }
        }
        endRun()
        return i
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
        return taken
    }

    func discard() {
        items.removeAll(keepingCapacity: true)
        columns = ScannedColumns()
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
/// (`TableScanner.text`), and where it lies, to decode it when the event itself is asked for.
/// Valid while the input's bytes are (the pass that read it).
struct TableRowText: @unchecked Sendable {
    var idText: [UInt8]?
    var longitude: Double
    var latitude: Double
    var propertiesText: [UInt8]
    /// Offset of the record in the input, and its line.
    var start: Int
    var line: Int
    let source: TableTextSource

    /// The event the full decoder makes of the row (which the first reading accepted, and
    /// `locate` leaves as it is: it has coordinates).
    func event() -> Event {
        var rows = source.rows
        var event: Event?
        _ = try? CSV.forEachRecord(in: source.buffer, separator: rows.separator, recovering: true, from: start, line: line,
                                   stoppingAt: start + 1) { (record) throws(CSV.ParseError) in
            if let row = try? rows.row(for: record), case .success(let decoded) = row.result { event = decoded }
        }
        guard let event else { preconditionFailure("\(source.rows.source): line \(line): a row read as plain did not decode") }
        return event
    }
}
