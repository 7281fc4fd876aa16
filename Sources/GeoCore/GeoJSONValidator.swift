import Foundation
import OrderedCollections

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

    /// `validate` of raw memory (a mapped file), read in place. A FeatureCollection of at least
    /// `partsFrom` bytes has its features parsed and checked in parts of about `partBytes` on
    /// up to `threads` threads, one feature at a time (`validateCollectionInParts`): the same
    /// report, without the whole document's tree in memory; after each round of parts
    /// `releasing` is told the offset before which the text is not read again (unless the
    /// document is then read whole).
    /// `threads` nil: the active processors.
    public static func validate(buffer: UnsafeRawBufferPointer, threads: Int? = nil, partBytes: Int = 1 << 22, partsFrom: Int = 1 << 24,
                                releasing: (Int) -> Void = { _ in }) -> Report {
        if buffer.count >= partsFrom,
           let report = validateCollectionInParts(buffer, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                                  partBytes: partBytes, releasing: releasing) {
            return report
        }
        return validateWhole(buffer)
    }

    /// The document parsed whole, then checked (what `validate` reports).
    private static func validateWhole(_ buffer: UnsafeRawBufferPointer) -> Report {
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

    /// `validate` of a FeatureCollection whose `features` are parsed and checked in parts:
    /// the members around the array as the parser reads them, then rounds of up to `threads`
    /// parts of the array (`GeoJSONReader.collectionParts`), each member parsed at the depth it
    /// has in the document and checked by a decoder of the part's own (`collectionMember`,
    /// its paths renumbered), only one member's tree at a time. Nil, for `validate` to read
    /// the document whole, for anything else: not an object whose `type` is
    /// "FeatureCollection" with one `features` array, or a syntax error anywhere (whose first
    /// place the whole reading reports). A part that does not meet the one before it (its
    /// start guessed inside a string) is read again from where that one ended.
    static func validateCollectionInParts(_ buffer: UnsafeRawBufferPointer, threads: Int, partBytes: Int,
                                          releasing: (Int) -> Void = { _ in }) -> Report? {
        var scanner = JSONScanner(buffer)
        var members = OrderedDictionary<String, JSONValue>()
        var memberProblems: [GeoJSONProblem] = []
        var features = 0
        var sawFeatures = false
        do {
            guard scanner.peek() == UInt8(ascii: "{") else { return nil }
            try scanner.expect(UInt8(ascii: "{"), "'{'")
            try scanner.enter()
            guard scanner.peek() != UInt8(ascii: "}") else { return nil }
            repeat {
                let key = try scanner.parseKey()
                guard key == "features" else {
                    members[key] = try scanner.parseValue()
                    continue
                }
                guard !sawFeatures, scanner.peek() == UInt8(ascii: "[") else { return nil }
                sawFeatures = true
                members[key] = .null  // in its place among the members; its elements are checked below
                guard let checked = checkMembersInParts(buffer, arrayAt: scanner.index, threads: threads, partBytes: partBytes,
                                                        releasing: releasing) else { return nil }
                (scanner.index, memberProblems, features) = checked
            } while try scanner.continueContainer(closing: UInt8(ascii: "}"), "object")
            try scanner.expectEnd()
        } catch {
            return nil
        }
        guard sawFeatures, case .string("FeatureCollection")? = members["type"] else { return nil }
        // What `featureCollection` checks before its members.
        var decoder = GeoJSONDecoder(stopAtFirstError: false, checkCoordinateRange: true, checkWinding: true)
        _ = try? decoder.bbox(members["bbox"], at: .root / "bbox")
        _ = try? decoder.foreignMembers(members, known: ["type", "features", "bbox"], at: .root)
        return Report(problems: decoder.problems + memberProblems,
                      summary: "FeatureCollection with \(features) feature\(features == 1 ? "" : "s")")
    }

    /// The members of the `features` array whose `[` is at `open`, checked in parts: where
    /// reading ended (past the `]`), their problems in order, and how many were Features.
    /// Nil on a syntax error.
    private static func checkMembersInParts(_ buffer: UnsafeRawBufferPointer, arrayAt open: Int, threads: Int, partBytes: Int,
                                            releasing: (Int) -> Void) -> (end: Int, problems: [GeoJSONProblem], features: Int)? {
        var scanner = JSONScanner(buffer)
        scanner.index = open
        scanner.depth = 1
        do {
            try scanner.expect(UInt8(ascii: "["), "'['")
            try scanner.enter()
        } catch {
            return nil
        }
        if scanner.peek() == UInt8(ascii: "]") { return (scanner.index + 1, [], 0) }
        var start = scanner.index, index = 0
        var problems: [GeoJSONProblem] = []
        var features = 0
        let whole = SendableBuffer(buffer: buffer)
        while true {
            let ranges = GeoJSONReader.collectionParts(in: buffer, from: start, count: max(1, threads), bytes: partBytes)
            let parts = UnsafeMutableBufferPointer<CollectionPart?>.allocate(capacity: ranges.count)
            parts.initialize(repeating: nil)
            defer {
                _ = parts.deinitialize()
                parts.deallocate()
            }
            let out = SendableParts(parts: parts)
            DispatchQueue.concurrentPerform(iterations: ranges.count) { j in
                out.parts[j] = checkPart(whole.buffer, ranges[j])
            }
            var end = start
            for j in ranges.indices {
                var part = parts[j]
                if part == nil || ranges[j].lowerBound != end {
                    // A start guessed inside a string (or a syntax error): the rest of the round
                    // read again from where the part before ended, on this thread.
                    guard let again = checkPart(buffer, end..<ranges[ranges.count - 1].upperBound) else { return nil }
                    part = again
                }
                let read = part!
                for var problem in read.problems {
                    // `features[local]…` → `features[index + local]…`
                    if problem.path.components.count >= 2, case .index(let local) = problem.path.components[1] {
                        problem.path.components[1] = .index(index + local)
                    }
                    problems.append(problem)
                }
                index += read.members
                features += read.features
                if read.closed { return (read.end, problems, features) }
                let readAgain = parts[j] == nil || ranges[j].lowerBound != end
                end = read.end
                if readAgain { break }
            }
            start = end
            releasing(start)
        }
    }

    /// What a part of a `features` array held: where its reading ended (the next part's first
    /// member, or past the `]`), whether the array closed, its members, those that were
    /// Features, and their problems with paths numbered from the part's first member.
    private struct CollectionPart {
        var end: Int
        var closed: Bool
        var members: Int
        var features: Int
        var problems: [GeoJSONProblem]
    }

    /// The members of `features` from `range.lowerBound` (a member's first byte) up to the
    /// first one that begins at or after `range.upperBound`, or the array's end. Nil on a
    /// syntax error.
    private static func checkPart(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> CollectionPart? {
        var scanner = JSONScanner(buffer)
        scanner.index = range.lowerBound
        scanner.depth = 2  // inside the collection object and its array, as in the whole reading
        var decoder = GeoJSONDecoder(stopAtFirstError: false, checkCoordinateRange: true, checkWinding: true)
        var part = CollectionPart(end: range.lowerBound, closed: false, members: 0, features: 0, problems: [])
        do {
            repeat {
                _ = scanner.peek()
                if part.members > 0, range.upperBound < buffer.count, scanner.index >= range.upperBound { break }
                let value = try scanner.parseValue()
                if (try? decoder.collectionMember(value, index: part.members, at: .root / "features" / part.members)) != nil {
                    part.features += 1
                }
                part.members += 1
                if try !scanner.continueContainer(closing: UInt8(ascii: "]"), "array") {
                    part.closed = true
                    break
                }
            } while true
        } catch {
            return nil
        }
        part.end = scanner.index
        part.problems = decoder.problems
        return part
    }

    /// One slot per part of a round of `checkMembersInParts`, each written by one thread.
    private struct SendableParts: @unchecked Sendable {
        let parts: UnsafeMutableBufferPointer<CollectionPart?>
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
            for var p in validateWhole(record).problems {
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
