import Foundation

/// Checks a GeoJSON text against RFC 7946 and reports every problem with its location.
///
/// Errors: invalid JSON, wrong member types, unknown types, missing members, bad positions,
/// coordinates outside WGS84 ranges, short lines, unclosed or short rings, malformed bbox,
/// non-object properties, bad ids. Warnings: rings against the right-hand rule, a legacy
/// `crs` member, positions with more than three values, features without `properties`.
public enum GeoJSONValidator {
    public struct Report: Sendable {
        public var problems: [GeoJSONProblem]
        public var errors: [GeoJSONProblem] { problems.filter { $0.severity == .error } }
        public var warnings: [GeoJSONProblem] { problems.filter { $0.severity == .warning } }
        /// Valid means no errors; warnings are allowed.
        public var isValid: Bool { errors.isEmpty }
        /// What the document holds, when it could be decoded.
        public var summary: String?
    }

    public static func validate(_ bytes: some Collection<UInt8>) -> Report {
        ContiguousArray(bytes).withUnsafeBytes { validate(buffer: $0) }
    }

    /// `validate` of raw memory (a mapped file), read in place.
    public static func validate(buffer: UnsafeRawBufferPointer) -> Report {
        let value: JSONValue
        do {
            value = try JSONParser.parse(buffer: buffer)
        } catch {
            return Report(problems: [GeoJSONReader.syntaxProblem(error)])
        }
        var decoder = GeoJSONDecoder(stopAtFirstError: false, checkCoordinateRange: true, checkWinding: true)
        // Collecting mode never throws.
        let object = try? decoder.object(value)
        var summary: String?
        switch object {
        case .featureCollection(let fc)?: summary = "FeatureCollection with \(fc.features.count) feature\(fc.features.count == 1 ? "" : "s")"
        case .feature(let f)?: summary = "Feature (\(f.geometry?.typeName ?? "null geometry"))"
        case .geometry(let g)?: summary = g.typeName
        case nil: summary = nil
        }
        return Report(problems: decoder.problems, summary: summary)
    }

    /// Checks a GeoJSONSeq / newline-delimited text record by record (RFC 8142 separators
    /// allowed): each record's problems, their messages prefixed by the record's line; the
    /// summary counts the records. Blank lines are not records.
    public static func validateSequence(_ bytes: some Collection<UInt8>) -> Report {
        ContiguousArray(bytes).withUnsafeBytes { validateSequence(buffer: $0) }
    }

    /// `validateSequence` of raw memory (a mapped file), read in place: in rounds of up to
    /// `threads` parts of about `partBytes` cut after line ends, each part's lines (found by
    /// `memchr`) checked on a thread of its own and the problems kept in line order; after each
    /// round `releasing` is told the offset before which the text is not read again (for
    /// `InputFile.releasePages`). The same report as reading line by line on one thread.
    public static func validateSequence(buffer: UnsafeRawBufferPointer, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                                        partBytes: Int = 1 << 22, releasing: (Int) -> Void = { _ in }) -> Report {
        let n = buffer.count
        var problems: [GeoJSONProblem] = []
        var records = 0
        var start = 0
        var lineNumber = 1
        let whole = SendableBuffer(buffer: buffer)
        while true {
            // This round's parts: [start, stop) each, cut after a line end.
            var parts: [(start: Int, stop: Int, firstLine: Int)] = []
            var from = start
            while parts.count < max(1, threads), from < n || parts.isEmpty {
                var stop = n
                if from + partBytes < n, let base = buffer.baseAddress, let found = memchr(base + from + partBytes, 0x0A, n - from - partBytes) {
                    stop = UnsafeRawPointer(found) - base + 1
                }
                parts.append((from, stop, lineNumber))
                lineNumber += lineEnds(in: buffer, from: from, to: stop)
                from = stop
            }
            let checked = UnsafeMutableBufferPointer<(problems: [GeoJSONProblem], records: Int)>.allocate(capacity: parts.count)
            checked.initialize(repeating: ([], 0))
            defer {
                _ = checked.deinitialize()
                checked.deallocate()
            }
            let out = SendableResults(results: checked)
            let round = parts
            DispatchQueue.concurrentPerform(iterations: round.count) { k in
                out.results[k] = validateLines(whole.buffer, from: round[k].start, to: round[k].stop, firstLine: round[k].firstLine)
            }
            for result in checked {
                problems += result.problems
                records += result.records
            }
            start = parts.last!.stop
            releasing(start)
            if start >= n { break }
        }
        return Report(problems: problems, summary: "\(records) record\(records == 1 ? "" : "s")")
    }

    /// The lines of `buffer[start..<stop]` (the first numbered `firstLine`) checked one by one,
    /// as `split(separator: "\n", omittingEmptySubsequences: false)` cuts them (the empty piece
    /// after a last line end is blank: not a record). A record holding separators is checked
    /// without them; blank lines are not records.
    private static func validateLines(_ buffer: UnsafeRawBufferPointer, from start: Int, to stop: Int,
                                      firstLine: Int) -> (problems: [GeoJSONProblem], records: Int) {
        var problems: [GeoJSONProblem] = []
        var records = 0
        var lineNumber = firstLine - 1
        func check(_ record: UnsafeRawBufferPointer) {
            if record.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            records += 1
            for var p in validate(buffer: record).problems {
                p.message = "line \(lineNumber): " + p.message
                if p.line != nil { p.line = lineNumber }
                problems.append(p)
            }
        }
        var from = start
        while from < stop {
            var end = stop
            if let base = buffer.baseAddress, let found = memchr(base + from, 0x0A, stop - from) {
                end = UnsafeRawPointer(found) - base
            }
            lineNumber += 1
            let line = UnsafeRawBufferPointer(rebasing: buffer[from..<end])
            from = end + 1
            if line.contains(0x1E) {
                line.filter { $0 != 0x1E }.withUnsafeBytes(check)
            } else {
                check(line)
            }
        }
        return (problems, records)
    }

    /// The line ends (`\n`) in `buffer[start..<stop]`.
    private static func lineEnds(in buffer: UnsafeRawBufferPointer, from start: Int, to stop: Int) -> Int {
        var count = 0
        var from = start
        while from < stop, let base = buffer.baseAddress, let found = memchr(base + from, 0x0A, stop - from) {
            count += 1
            from = UnsafeRawPointer(found) - base + 1
        }
        return count
    }

    /// The text, read by the threads of `validateSequence`.
    private struct SendableBuffer: @unchecked Sendable {
        let buffer: UnsafeRawBufferPointer
    }

    /// One slot per part of a round, each written by one thread.
    private struct SendableResults: @unchecked Sendable {
        let results: UnsafeMutableBufferPointer<(problems: [GeoJSONProblem], records: Int)>
    }
}
