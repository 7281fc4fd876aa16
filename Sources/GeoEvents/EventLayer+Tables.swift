import Foundation
import GeoCore

extension EventLayer {
    /// The workers of a table's first reading by `TableScanner`: one per thread when the table
    /// is large and every thread can place its rows, else one on the calling thread; nil when
    /// the scanner cannot be used (turned off, or `locate` without `checkGiven`).
    func tableScanWorkers(bytes: Int) -> [TableScanWorker]? {
        guard options.scansFeatures, options.locate == nil || options.checkGiven != nil else { return nil }
        let threads = options.threads
        if threads > 1, bytes >= 2 * options.chunkBytes {
            if options.locate == nil { return (0..<threads).map { _ in TableScanWorker(locate: nil, checkGiven: nil) } }
            if let locates = options.threadLocates?(threads), let checks = options.threadChecksGiven?(threads),
               locates.count == threads, checks.count == threads {
                return zip(locates, checks).map { TableScanWorker(locate: $0, checkGiven: $1) }
            }
        }
        return [TableScanWorker(locate: options.locate, checkGiven: options.checkGiven)]
    }

    /// The first reading of a CSV or ACLED table by `workers` (`tableScanWorkers`): runs of plain
    /// rows to `columns`, the other rows (events and problems) to `body`, in input order, as
    /// the reading row by row gives them.
    func walkTableFirstTime(_ buffer: UnsafeRawBufferPointer, file: InputFile?, reader: EventReader, acled: Bool,
                            workers: [TableScanWorker], columns: (ScannedColumns, Range<Int>) -> Void,
                            _ body: (Walked) throws -> Void) throws {
        try reader.csvInParallel(buffer, file: file, source: sourceName, acled: acled, workers: workers,
                                 chunkBytes: options.chunkBytes) { worker in
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

/// One thread's share of a table's first reading (`EventLayer.walkTableFirstTime`): the plain
/// rows of its chunk read by its `TableScanner` into columns (their points checked by its
/// `checkGiven`), the others decoded and placed by its `locate`, as the reading row by row does.
/// An error that is not a row's problem stops it, as it stops that reading.
final class TableScanWorker: EventRowWorker, TableChunkReader, @unchecked Sendable {
    enum Item {
        /// The next `count` rows of `columns`.
        case columns(Int)
        case walked(EventLayer.Walked)
    }

    let locate: ((inout Event) throws -> Void)?
    let checkGiven: ((String, Double, Double) throws -> Void)?
    private var scanner: TableScanner?
    private(set) var items: [Item] = []
    private(set) var columns = ScannedColumns()
    private var run = 0
    private(set) var failure: Error?

    init(locate: ((inout Event) throws -> Void)?, checkGiven: ((String, Double, Double) throws -> Void)?) {
        self.locate = locate
        self.checkGiven = checkGiven
    }

    func readChunk(_ buffer: UnsafeRawBufferPointer, rows: EventReader.CSVRows, from start: Int, line: Int, stoppingAt stop: Int) -> Int {
        if scanner == nil { scanner = TableScanner(rows) }
        var rows = rows
        var i = start
        var line = line
        while i < stop {
            if let row = scanner?.row(in: buffer, at: i) {
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
                line += 1
                continue
            }
            // One record (or blank line) by the CSV reader, its row by the full decoder.
            let next: Int
            do {
                next = try CSV.forEachRecord(in: buffer, separator: rows.separator, recovering: true, from: i, line: line,
                                             stoppingAt: i + 1) { (record) throws(CSV.ParseError) in
                    // The header is read already: no record here can throw.
                    if let row = try? rows.row(for: record) { add(row) }
                }
            } catch {
                return -1  // recovering reading does not throw; never a chunk end
            }
            line += EventReader.lineEnds(in: buffer, from: i, to: next)
            i = next
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
