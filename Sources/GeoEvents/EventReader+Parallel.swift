import Foundation
import GeoCore

/// One thread's share of a parallel read (`EventReader.forEachRowInParallel`): it is handed the
/// rows of one chunk at a time on its own thread, and the calling thread then takes what it made
/// (`deliver`) or, for a chunk read from a wrong start, has it forget them (`discard`).
/// Used by one thread at a time.
public protocol EventRowWorker: AnyObject, Sendable {
    /// A row of the current chunk, in input order (on the worker's thread).
    func add(_ row: EventRow)
    /// Forgets the rows added since the last delivery.
    func discard()
}

extension EventReader {
    /// Chunks of this size or more are read in parallel; smaller inputs are read on one thread.
    public static let parallelChunkBytes = 4 << 20

    /// Reads a CSV input on `workers.count` threads, `chunkBytes` at a time, with the same rows as
    /// `forEachRow` (same order, lines, rejects): returns false, reading nothing, when the
    /// input is not a UTF-8 CSV of at least two chunks (read it with `forEachRow` then).
    ///
    /// Chunks start after a line end; a line end inside a quoted field makes a wrong start. A
    /// chunk is kept only when the chunk before it (read from a right start) ended exactly at
    /// its start; otherwise it is read again from where that one ended, so the rows are those of
    /// one reading from the top, whatever the quoting. `deliver(worker)` runs on the calling
    /// thread for each kept chunk in input order.
    public func forEachRowInParallel<Worker: EventRowWorker>(
        file: InputFile, source: String, workers: [Worker], chunkBytes: Int = parallelChunkBytes, deliver: (Worker) throws -> Void
    ) throws -> Bool {
        guard workers.count > 1, encoding == .utf8 else { return false }
        return try file.withUnsafeBytes { buffer in
            let kind = resolvedKind(buffer, source: source)
            guard kind == .csv || kind == .acled, buffer.count >= 2 * chunkBytes else { return false }
            var rows = CSVRows(reader: self, source: source, forceACLED: kind == .acled)
            // The header, read here: it sets the columns every chunk decodes with.
            var position: Int?
            var line = 1
            do {
                position = buffer.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
                while rows.header == nil, let from = position, from < buffer.count {
                    var header: CSV.Record?
                    position = try CSV.forEachRecord(in: buffer, separator: rows.separator, recovering: true, from: from, line: line,
                                                     stoppingAt: from + 1) { header = $0 }
                    line += Self.lineEnds(in: buffer, from: from, to: position!)
                    if let header { _ = try rows.row(for: header) }
                }
            } catch let error as CSV.ParseError {
                throw EventInputError(source: source, message: "\(error) (the CSV cannot be read past this point)")
            }
            guard rows.header != nil, var start = position else {
                throw EventInputError(source: source, message: "empty file: no header row")
            }
            let base = SendableBytes(buffer)
            let chunkRows = rows
            while start < buffer.count {
                // This round's chunks: `workers.count` starts after line ends, with their lines.
                var starts = [start]
                var lines = [line]
                while starts.count < workers.count, let last = starts.last {
                    guard let next = Self.lineStart(in: buffer, after: last + chunkBytes) else { break }
                    lines.append(lines.last! + Self.lineEnds(in: buffer, from: last, to: next))
                    starts.append(next)
                }
                let stops = Array(starts.dropFirst()) + [min(buffer.count, Self.lineStart(in: buffer, after: starts.last! + chunkBytes) ?? buffer.count)]
                let ends = UnsafeMutableBufferPointer<Int>.allocate(capacity: starts.count)
                defer { ends.deallocate() }
                let endsPointer = SendablePointer(ends.baseAddress!)
                let (startsCopy, linesCopy, stopsCopy) = (starts, lines, stops)
                DispatchQueue.concurrentPerform(iterations: starts.count) { j in
                    endsPointer.pointer[j] = Self.readChunk(base.buffer, rows: chunkRows, from: startsCopy[j], line: linesCopy[j],
                                                            stoppingAt: stopsCopy[j], worker: workers[j])
                }
                // Keep chunks in order while each starts where the one before ended.
                var kept = 0
                for j in starts.indices {
                    if j > 0, ends[j - 1] != starts[j] { break }
                    try deliver(workers[j])
                    kept = j + 1
                }
                for j in kept..<starts.count { workers[j].discard() }
                line = lines[kept - 1] + Self.lineEnds(in: buffer, from: starts[kept - 1], to: ends[kept - 1])
                start = ends[kept - 1]
                file.releasePages(before: start)
            }
            return true
        }
    }

    /// Reads the records that begin in `start..<stop` into `worker`; the offset reading ended.
    static func readChunk(_ buffer: UnsafeRawBufferPointer, rows: CSVRows, from start: Int, line: Int, stoppingAt stop: Int,
                          worker: some EventRowWorker) -> Int {
        var rows = rows
        do {
            return try CSV.forEachRecord(in: buffer, separator: rows.separator, recovering: true, from: start, line: line,
                                         stoppingAt: stop) { (record) throws(CSV.ParseError) in
                // The header is read already: no record here can throw.
                if let row = try? rows.row(for: record) { worker.add(row) }
            }
        } catch {
            return -1  // recovering reading does not throw; never a chunk end
        }
    }

    /// The offset just after the first line end at or after `offset`, nil if none before the end.
    static func lineStart(in buffer: UnsafeRawBufferPointer, after offset: Int) -> Int? {
        var i = offset
        while i < buffer.count {
            if buffer[i] == UInt8(ascii: "\n") { return i + 1 }
            i += 1
        }
        return nil
    }

    /// Number of line ends in `from..<to`.
    static func lineEnds(in buffer: UnsafeRawBufferPointer, from: Int, to: Int) -> Int {
        var count = 0
        for i in from..<max(from, to) where buffer[i] == UInt8(ascii: "\n") { count += 1 }
        return count
    }
}

/// Read-only bytes shared by the reading threads.
struct SendableBytes: @unchecked Sendable {
    let buffer: UnsafeRawBufferPointer
    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }
}

/// Each thread writes only its own element.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
