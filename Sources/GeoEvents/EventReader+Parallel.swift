import Foundation
import GeoCore

/// A worker of `EventReader.csvInParallel` that reads its chunks itself: the records that begin
/// in `start..<stop` (the first on line `line`), under the header of `rows`; returns the offset
/// where reading ended and the line there, as `EventReader.readChunk` does.
protocol TableChunkReader: AnyObject {
    func readChunk(_ buffer: UnsafeRawBufferPointer, rows: EventReader.CSVRows, from start: Int, line: Int, stoppingAt stop: Int) -> ChunkEnd
}

/// Where the reading of a chunk ended (-1 if it failed) and the line that starts there: the
/// readers count the lines they read, so that no thread counts them again.
struct ChunkEnd {
    var offset: Int
    var line: Int
}

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

    /// Reads a CSV or GeoJSONSeq input on all cores in rounds of `workers.count / 2` chunks of
    /// about `chunkBytes` (give two workers per chunk of a round), with the same rows as
    /// `forEachRow` (same order, positions, rejects, messages): returns false, reading nothing,
    /// when the input is not a UTF-8 CSV or GeoJSONSeq of at least two chunks or there are fewer
    /// than two workers (read it with `forEachRow` then). `deliver(worker)` runs for each kept
    /// chunk in input order, one at a time, on any thread, while the next round is read by the
    /// other half of the workers (rounds alternate halves), so a worker is never delivered and
    /// filled at once.
    ///
    /// CSV chunks start after a line end; a line end inside a quoted field makes a wrong start. A
    /// chunk is kept only when the chunk before it (read from a right start) ended exactly at
    /// its start; otherwise it is read again from where that one ended, so the rows are those of
    /// one reading from the top, whatever the quoting. GeoJSONSeq chunks start where a record
    /// does (after a newline, or at a record separator when the text uses them); each round
    /// counts its chunks' records and lines first, so indices and messages are the whole text's.
    public func forEachRowInParallel<Worker: EventRowWorker>(
        file: InputFile, source: String, workers: [Worker], chunkBytes: Int = parallelChunkBytes, overlappingCSV: Bool = true,
        deliver: (Worker) throws -> Void
    ) throws -> Bool {
        guard workers.count > 1, encoding == .utf8 else { return false }
        return try file.withUnsafeBytes { buffer in
            guard buffer.count >= 2 * chunkBytes else { return false }
            let kind = resolvedKind(buffer, source: source)
            switch kind {
            case .csv, .acled:
                try csvInParallel(buffer, file: file, source: source, acled: kind == .acled,
                                  workers: overlappingCSV ? workers : Array(workers.prefix(workers.count / 2)), chunkBytes: chunkBytes,
                                  overlapping: overlappingCSV, deliver: deliver)
            case .geojsonseq: try seqInParallel(buffer, file: file, source: source, kind: .geojsonseq, workers: workers, chunkBytes: chunkBytes, deliver: deliver)
            case .geojsonl: try seqInParallel(buffer, file: file, source: source, kind: .geojsonl, workers: workers, chunkBytes: chunkBytes, deliver: deliver)
            case .geojson:
                guard workers.allSatisfy({ $0 is any PlainRowWorker }) else { return false }
                try collectionInParallel(buffer, file: file, source: source, workers: workers, chunkBytes: chunkBytes, deliver: deliver)
            default: return false
            }
            return true
        }
    }

    /// `forEachRowInParallel` for a CSV or ACLED table (its header read first, on this thread).
    /// `overlapping`: in rounds of `workers.count / 2` chunks read by the two halves of `workers`
    /// in turn while the other half's chunks are delivered (on any thread); else in rounds of
    /// `workers.count` chunks, delivered on the calling thread after each round. `file`'s pages
    /// are released as the rounds go. A worker that is a
    /// `TableChunkReader` reads its chunks itself; the others are handed `EventRow`s.
    func csvInParallel<Worker: EventRowWorker>(
        _ buffer: UnsafeRawBufferPointer, file: InputFile?, source: String, acled: Bool, workers: [Worker], chunkBytes: Int,
        overlapping overlap: Bool, deliver: (Worker) throws -> Void
    ) throws {
        var rows = CSVRows(reader: self, source: source, forceACLED: acled)
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
        // Two sets of workers take rounds in turn: one set's chunks are delivered while the other
        // set reads the next round's (a single worker reads and is delivered in turn).
        let slots = max(1, workers.count / 2)
        let overlapping = overlap && workers.count >= 2
        var round = 0
        var ready: [Worker] = []
        var failure: Error?
        while start < buffer.count || !ready.isEmpty {
            let set = overlapping ? Array(workers[(round % 2) * slots..<(round % 2 + 1) * slots]) : workers
            if !overlapping {
                for worker in ready { try deliver(worker) }
                ready = []
            }
            // This round's chunks: `set.count` starts after line ends, with their lines.
            var starts: [Int] = []
            var lines: [Int] = []
            if start < buffer.count {
                starts = [start]
                lines = [line]
                while starts.count < set.count, let last = starts.last {
                    guard let next = Self.lineStart(in: buffer, after: last + chunkBytes) else { break }
                    lines.append(lines.last! + Self.lineEnds(in: buffer, from: last, to: next))
                    starts.append(next)
                }
            }
            let stops = starts.isEmpty ? []
                : Array(starts.dropFirst()) + [min(buffer.count, Self.lineStart(in: buffer, after: starts.last! + chunkBytes) ?? buffer.count)]
            let ends = UnsafeMutableBufferPointer<ChunkEnd>.allocate(capacity: max(1, starts.count))
            defer { ends.deallocate() }
            let endsPointer = SendablePointer(ends.baseAddress!)
            let (startsCopy, linesCopy, stopsCopy, delivering) = (starts, lines, stops, ready)
            let jobs = starts.count + (delivering.isEmpty ? 0 : 1)
            withoutActuallyEscaping(deliver) { deliver in
                let delivery = CSVDelivery(deliver: deliver)
                withUnsafeMutablePointer(to: &failure) { failed in
                    let failedPointer = SendablePointer(failed)
                    DispatchQueue.concurrentPerform(iterations: jobs) { job in
                        let j = delivering.isEmpty ? job : job - 1
                        if j < 0 {
                            do {
                                for worker in delivering { try delivery.deliver(worker) }
                            } catch {
                                failedPointer.pointer.pointee = error
                            }
                        } else if scansFeatures, let worker = set[j] as? any PlainRowWorker, worker.takesPlainRowValues {
                            endsPointer.pointer[j] = Self.readPlainRowValues(base.buffer, rows: chunkRows, from: startsCopy[j], line: linesCopy[j],
                                                                             stoppingAt: stopsCopy[j], worker: worker)
                        } else if scansFeatures, let worker = set[j] as? any PlainRowWorker, let lines = worker.plainLines {
                            endsPointer.pointer[j] = Self.readPlainCSVLines(base.buffer, rows: chunkRows, from: startsCopy[j], line: linesCopy[j],
                                                                            stoppingAt: stopsCopy[j], worker: worker, lines: lines)
                        } else if scansFeatures, let worker = set[j] as? any PlainRowWorker, let timestamp = worker.plainRowTimestamp {
                            endsPointer.pointer[j] = Self.readPlainRows(base.buffer, rows: chunkRows, from: startsCopy[j], line: linesCopy[j],
                                                                        stoppingAt: stopsCopy[j], worker: worker, timestamp: timestamp)
                        } else if let reader = set[j] as? TableChunkReader {
                            endsPointer.pointer[j] = reader.readChunk(base.buffer, rows: chunkRows, from: startsCopy[j], line: linesCopy[j],
                                                                      stoppingAt: stopsCopy[j])
                        } else {
                            endsPointer.pointer[j] = Self.readChunk(base.buffer, rows: chunkRows, from: startsCopy[j], line: linesCopy[j],
                                                                    stoppingAt: stopsCopy[j], worker: set[j])
                        }
                    }
                }
            }
            if let failure {
                for worker in workers { worker.discard() }
                throw failure
            }
            // Keep chunks in order while each starts where the one before ended.
            var kept = 0
            for j in starts.indices {
                if j > 0, ends[j - 1].offset != starts[j] { break }
                kept = j + 1
            }
            for j in kept..<starts.count { set[j].discard() }
            ready = Array(set[0..<kept])
            if kept > 0 {
                line = ends[kept - 1].line
                start = ends[kept - 1].offset
                file?.releasePages(before: start)
            }
            round += 1
        }
    }

    /// `forEachRowInParallel` for GeoJSONSeq or newline-delimited GeoJSON: rounds of
    /// `workers.count / 2` chunks, read by the two halves of `workers` in turn while the other
    /// half's rows are delivered.
    private func seqInParallel<Worker: EventRowWorker>(
        _ buffer: UnsafeRawBufferPointer, file: InputFile, source: String, kind: EventInputKind, workers: [Worker], chunkBytes: Int,
        deliver: (Worker) throws -> Void
    ) throws {
        var warnings: [GeoJSONProblem] = []
        let slots = workers.count / 2
        do {
            try Self.forEachSeqChunkInParallel(buffer, file: file, threads: slots, chunkBytes: chunkBytes, overlapping: true) {
                chunk, _, firstRecord, firstLine, j, round in
                let worker = workers[(round % 2) * slots + j]
                var reader = GeoJSONReader()
                var failure: Error?
                // A worker that takes plain features as values or text gets them so (`FeatureTextScanner`).
                let text = plainFeatures(in: chunk, worker: worker)
                do {
                    try readGeoJSON(chunk, source: source, kind: kind, with: &reader, firstRecord: firstRecord, firstLine: firstLine,
                                    text: text) { worker.add($0) }
                } catch {
                    failure = error
                }
                return SeqChunkOutcome(warnings: reader.warnings, error: failure, slot: (round % 2) * slots + j)
            } deliver: { _, outcome in
                try deliver(workers[outcome.slot])
                warnings += outcome.warnings
                if let error = outcome.error { throw error }
            }
        } catch {
            // Rows read after the failure (later chunks, the round read meanwhile) are dropped;
            // every thread has finished by now.
            for worker in workers { worker.discard() }
            throw error
        }
        reportWrappedLongitudes(warnings, source: source)
    }

    /// `forEachRowInParallel` for a GeoJSON text: a FeatureCollection's members in rounds of
    /// `workers.count / 2` parts that begin where a member may (`collectionMembersInParallel`),
    /// the rest of the text on this thread (a text that is not a collection: its rows handed to
    /// the first worker, delivered at the end).
    private func collectionInParallel<Worker: EventRowWorker>(
        _ buffer: UnsafeRawBufferPointer, file: InputFile, source: String, workers: [Worker], chunkBytes: Int, deliver: (Worker) throws -> Void
    ) throws {
        var reader = GeoJSONReader()
        var warnings: [GeoJSONProblem] = []
        let single = workers[0]
        var singleRows = false
        do {
            try reader.forEachFeatureRecord(in: buffer, scanning: nil, onBadFeature: { index, error, raw in
                singleRows = true
                single.add(EventRow(source: source, position: .feature(index), result: .failure(RowProblem(.malformedFeature, error.description)),
                                    input: .raw(raw)))
            }, collectionMembers: { start, firstIndex in
                try collectionMembersInParallel(buffer, file: file, source: source, from: start, firstIndex: firstIndex,
                                                workers: Array(workers.prefix(max(1, workers.count / 2))), chunkBytes: chunkBytes,
                                                warnings: &warnings, deliver: deliver)
            }) { index, record in
                singleRows = true
                single.add(row(for: record, index: index, in: buffer, source: source))
            }
        } catch {
            for worker in workers { worker.discard() }
            if let error = error as? GeoJSONError { throw EventInputError(source: source, message: "\(error)") }
            throw error
        }
        if singleRows { try deliver(single) }
        reportWrappedLongitudes(warnings + reader.warnings, source: source)
    }

    /// The members of a FeatureCollection's `features` array from the one at `first` (numbered
    /// `firstIndex`), in rounds of `workers.count` parts of about `chunkBytes` read at once, one
    /// per worker, then delivered in order on this thread: the same rows, indices, rejects and
    /// messages as one reading. A part begins where a member may
    /// (`GeoJSONReader.collectionMemberStart`) and is kept only while the part before ended
    /// exactly there (else the next round starts where that one ended). Its rows are numbered
    /// from 0 and moved into place (`PlainRowWorker.offsetFeatureIndices`); a part whose
    /// messages name indices (a malformed feature, a warning, a syntax error) is read again in
    /// place, and a syntax error is thrown after the rows before it are delivered. Returns the
    /// offset past the closing bracket and the number of members.
    private func collectionMembersInParallel<Worker: EventRowWorker>(
        _ buffer: UnsafeRawBufferPointer, file: InputFile, source: String, from first: Int, firstIndex: Int, workers: [Worker],
        chunkBytes: Int, warnings: inout [GeoJSONProblem], deliver: (Worker) throws -> Void
    ) throws -> (end: Int, count: Int) {
        var start = first, index = firstIndex
        let whole = SendableBytes(buffer)
        while true {
            let ranges = GeoJSONReader.collectionParts(in: buffer, from: start, count: workers.count, bytes: chunkBytes)
            let (starts, stops) = (ranges.map(\.lowerBound), ranges.map(\.upperBound))
            let parts = Self.concurrentMap(ranges.count) { j in
                readCollectionPart(whole.buffer, source: source, from: ranges[j].lowerBound, stoppingAt: ranges[j].upperBound, firstIndex: 0,
                                   worker: workers[j])
            }
            do {
                for j in starts.indices {
                    if j > 0, parts[j - 1].end != starts[j] {
                        for k in j..<starts.count { workers[k].discard() }
                        break
                    }
                    var part = parts[j]
                    if part.clean {
                        (workers[j] as? any PlainRowWorker)?.offsetFeatureIndices(by: index)
                    } else {
                        workers[j].discard()
                        part = readCollectionPart(buffer, source: source, from: starts[j], stoppingAt: stops[j], firstIndex: index, worker: workers[j])
                        warnings += part.warnings
                    }
                    try deliver(workers[j])
                    if let error = part.error { throw error }
                    index += part.count
                    if part.closed {
                        // Parts after the array's end (guesses that were wrong) leave nothing behind.
                        for k in (j + 1)..<starts.count { workers[k].discard() }
                        return (part.end, index - firstIndex)
                    }
                    start = part.end
                }
            } catch {
                for worker in workers { worker.discard() }
                throw error
            }
            file.releasePages(before: start)
        }
    }

    /// What hands `worker` a plain scanned feature of `buffer` (true) rather than its row: as
    /// values when it takes them (`addFeatureValues`), else as a CSV line or text when it takes
    /// that (`addFeatureCSVLine`, `addFeatureText`); nil when it takes none.
    func plainFeatures(in buffer: UnsafeRawBufferPointer, worker: some EventRowWorker) -> ((ScannedFeature) -> Bool)? {
        guard let plain = worker as? any PlainRowWorker else { return nil }
        if plain.takesPlainRowValues { return { Self.addFeatureValues($0, in: buffer, worker: plain, decoder: self.decoder) } }
        switch plain.plainLines {
        case .csv(let extraColumns)?:
            return { Self.addFeatureCSVLine($0, in: buffer, worker: plain, extraColumns: extraColumns, decoder: self.decoder) }
        case .acled(let countryName)?:
            return { Self.addFeatureACLEDLine($0, in: buffer, worker: plain, countryName: countryName, decoder: self.decoder) }
        case nil: break
        }
        guard let timestamp = plain.plainRowTimestamp else { return nil }
        return { Self.addFeatureText($0, in: buffer, worker: plain, timestamp: timestamp, decoder: self.decoder) }
    }

    /// The members of a collection that begin in `start..<stop`, as rows handed to `worker`
    /// (plain features as values or text to a `PlainRowWorker` that takes them), the first numbered
    /// `firstIndex`; where reading ended and what it met.
    func readCollectionPart(_ buffer: UnsafeRawBufferPointer, source: String, from start: Int, stoppingAt stop: Int, firstIndex: Int,
                            worker: some EventRowWorker) -> CollectionPart {
        var reader = GeoJSONReader()
        var shape = ScanShape()
        var part = CollectionPart()
        let text = plainFeatures(in: buffer, worker: worker)
        do {
            (part.end, part.closed, part.count) = try reader.forEachCollectionMember(
                in: buffer, from: start, stoppingAt: stop, firstIndex: firstIndex, scanning: scansFeatures && mapping.isEmpty ? Self.plainFeatures : nil,
                shape: &shape, onBadFeature: { index, error, raw in
                    part.clean = false
                    worker.add(EventRow(source: source, position: .feature(index), result: .failure(RowProblem(.malformedFeature, error.description)),
                                        input: .raw(raw)))
                }
            ) { index, record in
                if case .scanned(let scanned) = record, let text, text(scanned) { return }
                worker.add(row(for: record, index: index, in: buffer, source: source))
            }
        } catch {
            part.error = error
            part.clean = false
        }
        part.warnings = reader.warnings
        if !part.warnings.isEmpty { part.clean = false }
        return part
    }

    /// Whether the text holds a record separator (0x1E) anywhere: a GeoJSON text sequence's
    /// records start with one. Searched in `threads` slices at once (`memchr` each): on one
    /// thread it is a pass over the whole file before any record is read.
    static func containsRecordSeparator(_ buffer: UnsafeRawBufferPointer, threads: Int) -> Bool {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return false }
        let parts = max(1, min(threads, buffer.count >> 24))  // 16 MiB or more a slice
        guard parts > 1 else { return memchr(base, 0x1E, buffer.count) != nil }
        let found = UnsafeMutableBufferPointer<Bool>.allocate(capacity: parts)
        defer { found.deallocate() }
        found.initialize(repeating: false)
        let (text, answers) = (SendableBytes(buffer), SendablePointer(found.baseAddress!))
        DispatchQueue.concurrentPerform(iterations: parts) { k in
            let from = text.buffer.count / parts * k, to = k == parts - 1 ? text.buffer.count : text.buffer.count / parts * (k + 1)
            answers.pointer[k] = memchr(text.buffer.baseAddress! + from, 0x1E, to - from) != nil
        }
        return found.contains(true)
    }

    /// A GeoJSONSeq text (`GeoJSONReader.forEachSeqFeature`'s cutting) in rounds of
    /// `chunksPerRound` (default `threads`) chunks of about `chunkBytes`, each starting where a
    /// record does (after a newline, or at a separator when the text uses them). Each round first
    /// counts its chunks' records and lines; then `read` runs on every chunk of the round at once,
    /// given the chunk, its offset in `buffer`, its first record's index and line in the whole
    /// text, its number in the round and the round's number (from 0); then `deliver` gets the
    /// outcomes in input order, one at a time. Without `overlapping` it runs on the calling thread after the round is read; with it,
    /// on one of the threads while the next round is read (so `deliver` must not touch what `read`
    /// uses, such as per-slot state). Pages before a delivered round are handed back to the kernel.
    static func forEachSeqChunkInParallel<Outcome>(
        _ buffer: UnsafeRawBufferPointer, file: InputFile?, threads: Int, chunkBytes: Int, chunksPerRound: Int? = nil,
        overlapping: Bool = false,
        read: @Sendable (_ chunk: UnsafeRawBufferPointer, _ offset: Int, _ firstRecord: Int, _ firstLine: Int, _ j: Int, _ round: Int) -> Outcome,
        deliver: (_ j: Int, Outcome) throws -> Void
    ) throws {
        guard buffer.count > 0 else { return }
        let usesSeparator = Self.containsRecordSeparator(buffer, threads: threads)
        /// Where the first record at or after `offset` begins, nil if none.
        func recordStart(after offset: Int) -> Int? {
            guard offset < buffer.count else { return nil }
            if usesSeparator {
                return memchr(buffer.baseAddress! + offset, 0x1E, buffer.count - offset).map { buffer.baseAddress!.distance(to: UnsafeRawPointer($0)) }
            }
            return Self.lineStart(in: buffer, after: offset)
        }
        let perRound = max(1, chunksPerRound ?? threads)
        var start = 0, record = 0, line = 1, round = 0
        // With `overlapping`: the outcomes of the round read last, not yet delivered.
        var pending: [Outcome] = []
        try withoutActuallyEscaping(deliver) { deliver in
            let delivery = SeqDelivery(deliver: deliver)
            while start < buffer.count {
                var starts = [start]
                while starts.count < perRound, let next = recordStart(after: starts.last! + chunkBytes), next < buffer.count {
                    starts.append(next)
                }
                let stops = Array(starts.dropFirst()) + [recordStart(after: starts.last! + chunkBytes) ?? buffer.count]
                let chunks = zip(starts, stops).map { SendableBytes(UnsafeRawBufferPointer(rebasing: buffer[$0..<$1])) }
                // Records and lines of each chunk first, then each read from its own.
                let counts = UnsafeMutableBufferPointer<(records: Int, lineEnds: Int)>.allocate(capacity: chunks.count)
                defer { counts.deallocate() }
                let countsPointer = SendablePointer(counts.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: chunks.count) { j in
                    countsPointer.pointer[j] = GeoJSONReader().seqRecordCount(in: chunks[j].buffer, usesSeparator: usesSeparator)
                }
                var firstRecords = [record], firstLines = [line]
                for j in 0..<chunks.count - 1 {
                    firstRecords.append(firstRecords[j] + counts[j].records)
                    firstLines.append(firstLines[j] + counts[j].lineEnds)
                }
                let outcomes = UnsafeMutableBufferPointer<Outcome?>.allocate(capacity: chunks.count)
                outcomes.initialize(repeating: nil)
                defer {
                    _ = outcomes.deinitialize()
                    outcomes.deallocate()
                }
                let outcomesPointer = SendablePointer(outcomes.baseAddress!)
                let (recordsCopy, linesCopy, startsCopy, roundCopy) = (firstRecords, firstLines, starts, round)
                // Iteration 0 delivers the previous round (when overlapping); the others read.
                let previous = SeqOutcomes(outcomes: pending)
                var failure: Error?
                try withUnsafeMutablePointer(to: &failure) { failed in
                    let failedPointer = SendablePointer(failed)
                    DispatchQueue.concurrentPerform(iterations: chunks.count + 1) { i in
                        guard i > 0 else {
                            do {
                                for (j, outcome) in previous.outcomes.enumerated() { try delivery.deliver(j, outcome) }
                            } catch {
                                failedPointer.pointer.pointee = error
                            }
                            return
                        }
                        let j = i - 1
                        outcomesPointer.pointer[j] = read(chunks[j].buffer, startsCopy[j], recordsCopy[j], linesCopy[j], j, roundCopy)
                    }
                    if let error = failedPointer.pointer.pointee { throw error }
                }
                // The round delivered ends where this one starts.
                if !pending.isEmpty { file?.releasePages(before: start) }
                if overlapping {
                    pending = chunks.indices.map { outcomes[$0]! }
                } else {
                    pending = []
                    for j in chunks.indices { try deliver(j, outcomes[j]!) }
                }
                record = firstRecords.last! + counts[chunks.count - 1].records
                line = firstLines.last! + counts[chunks.count - 1].lineEnds
                start = stops.last!
                round += 1
                if !overlapping { file?.releasePages(before: start) }
            }
            if !pending.isEmpty {
                for (j, outcome) in pending.enumerated() { try deliver(j, outcome) }
                file?.releasePages(before: buffer.count)
            }
        }
    }

    /// Reads the records that begin in `start..<stop` into `worker`; the offset reading ended,
    /// and its line. (A `TableChunkReader` worker does this itself.)
    static func readChunk(_ buffer: UnsafeRawBufferPointer, rows: CSVRows, from start: Int, line: Int, stoppingAt stop: Int,
                          worker: some EventRowWorker) -> ChunkEnd {
        var rows = rows
        do {
            let end = try CSV.forEachRecord(in: buffer, separator: rows.separator, recovering: true, from: start, line: line,
                                            stoppingAt: stop) { (record) throws(CSV.ParseError) in
                // The header is read already: no record here can throw.
                if let row = try? rows.row(for: record) { worker.add(row) }
            }
            return ChunkEnd(offset: end, line: line + lineEnds(in: buffer, from: start, to: end))
        } catch {
            return ChunkEnd(offset: -1, line: line)  // recovering reading does not throw; never a chunk end
        }
    }

    /// The offset just after the first line end at or after `offset`, nil if none before the end.
    static func lineStart(in buffer: UnsafeRawBufferPointer, after offset: Int) -> Int? {
        guard offset < buffer.count, let base = buffer.baseAddress else { return nil }
        guard let found = memchr(base + offset, 0x0A, buffer.count - offset) else { return nil }
        return UnsafeRawPointer(found) - base + 1
    }

    /// Number of line ends in `from..<to`: sixteen bytes at a time, each lane's count of line
    /// ends kept in a byte (a compare's all-ones lane subtracted adds one) and the lanes added
    /// up before any could pass 255; the last bytes one at a time.
    static func lineEnds(in buffer: UnsafeRawBufferPointer, from: Int, to: Int) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        let newlines = SIMD16<UInt8>(repeating: 0x0A)
        var count = 0
        var i = from
        while i + 16 <= to {
            var lanes = SIMD16<UInt8>(repeating: 0)
            // At most 255 blocks: the last one starts at `stop`.
            let stop = min(to - 16, i + 254 * 16)
            while i <= stop {
                let block = (base + i).loadUnaligned(as: SIMD16<UInt8>.self)
                lanes &-= unsafeBitCast(block .== newlines, to: SIMD16<UInt8>.self)
                i += 16
            }
            count += Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        while i < to {
            if base.load(fromByteOffset: i, as: UInt8.self) == 0x0A { count += 1 }
            i += 1
        }
        return count
    }
}

extension EventReader {
    /// `transform(j)` for `j` in `0..<count`, run at once on all cores, in order.
    static func concurrentMap<T>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let pointer = SendablePointer(results.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: count) { j in pointer.pointer[j] = transform(j) }
        return results.map { $0! }
    }
}

/// What reading a part of a collection's members left besides its rows (`readCollectionPart`).
struct CollectionPart: @unchecked Sendable {
    /// Where reading ended: the next member's first byte, or past the closing bracket.
    var end = -1
    var closed = false
    var count = 0
    /// Whether nothing read names a member by its index (no malformed member, no warning, no error).
    var clean = true
    var warnings: [GeoJSONProblem] = []
    var error: Error?
}

/// What reading one GeoJSONSeq chunk left besides its rows.
/// The `deliver` of `csvInParallel`, called by one thread at a time.
private struct CSVDelivery<Worker>: @unchecked Sendable {
    let deliver: (Worker) throws -> Void
}

private struct SeqChunkOutcome: @unchecked Sendable {
    var warnings: [GeoJSONProblem]
    var error: Error?
    /// The worker that holds the chunk's rows.
    var slot: Int
}

/// Read-only bytes shared by the reading threads.
struct SendableBytes: @unchecked Sendable {
    let buffer: UnsafeRawBufferPointer
    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }
}

/// Each thread writes only its own element.
/// The `deliver` of `forEachSeqChunkInParallel`, called by one thread at a time.
private struct SeqDelivery<Outcome>: @unchecked Sendable {
    let deliver: (Int, Outcome) throws -> Void
}

/// A round's outcomes, handed to the thread that delivers them.
private struct SeqOutcomes<Outcome>: @unchecked Sendable {
    let outcomes: [Outcome]
}

struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
