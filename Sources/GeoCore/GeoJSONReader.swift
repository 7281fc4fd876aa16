import Foundation
import OrderedCollections

/// Reads GeoJSON texts and GeoJSONSeq streams (RFC 8142).
///
/// `forEachFeature` streams: a FeatureCollection's `features` are decoded and handed over one
/// at a time, so memory holds the (memory-mapped) input and one feature, not the whole
/// collection as values. Errors carry the feature index and the JSON path.
public struct GeoJSONReader: Sendable {
    public var decoder: GeoJSONDecoder
    /// The longest GeoJSONSeq record read, bytes (16 MiB, as `CSV.Limits`' record): a longer one
    /// is one bad feature, not parsed, so memory stays bounded by this, not by the line.
    public var maximumRecordBytes = 16 << 20

    public init(decoder: GeoJSONDecoder = GeoJSONDecoder()) {
        self.decoder = decoder
    }

    /// Warnings met while reading (errors are thrown).
    public var warnings: [GeoJSONProblem] { decoder.problems.filter { $0.severity == .warning } }

    /// Decodes a whole GeoJSON text.
    public mutating func read(_ bytes: some Collection<UInt8>) throws(GeoJSONError) -> GeoJSONObject {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw GeoJSONError(problem: Self.syntaxProblem(error))
        }
        guard let object = try decoder.object(value) else {
            throw GeoJSONError(problem: GeoJSONProblem(.error, .wrongType, at: .root, "not a GeoJSON object"))
        }
        return object
    }

    /// One member of a collection's `features`, decoded, or the rule it breaks.
    private mutating func decodeMember(_ element: JSONValue, index: Int) -> Result<Feature?, GeoJSONError> {
        do throws(GeoJSONError) {
            return .success(try decoder.collectionMember(element, index: index, at: JSONPath.root / "features" / index))
        } catch {
            return .failure(error)
        }
    }

    static func syntaxProblem(_ error: JSONSyntaxError) -> GeoJSONProblem {
        GeoJSONProblem(.error, .invalidJSON, at: .root, error.message, line: error.line, column: error.column)
    }

    /// The members of a FeatureCollection other than its features, as met while streaming.
    public struct CollectionHeader: Sendable {
        public var bbox: [Double]?
        public var foreignMembers: ForeignMembers = [:]
    }

    /// A feature that breaks a rule, handed over instead of failing the whole input: its index,
    /// the error, and its text (escaped and clipped by `RawText`).
    public typealias BadFeatureHandler = (Int, GeoJSONError, String) throws -> Void

    /// The default handler: a bad feature fails the whole input.
    public static func throwBadFeature(_ index: Int, _ error: GeoJSONError, _ raw: String) throws { throw error }

    /// Streams the features of a GeoJSON text: each feature of a FeatureCollection, a single
    /// Feature, or a bare geometry wrapped in a feature with null properties. `body` gets the
    /// feature's index. Returns the collection's other members.
    ///
    /// A member of `features` that is well-formed JSON but not a valid Feature (latitude 95,
    /// `"point"`, properties as an array) goes to `onBadFeature` (by default: thrown); when that
    /// returns, reading goes on. JSON syntax errors always end the reading (features before them
    /// have been handed over).
    @discardableResult
    public mutating func forEachFeature(
        in buffer: UnsafeRawBufferPointer, onBadFeature: BadFeatureHandler = GeoJSONReader.throwBadFeature, _ body: (Int, Feature) throws -> Void
    ) throws -> CollectionHeader {
        try forEachFeatureRecord(in: buffer, scanning: nil, onBadFeature: onBadFeature) { index, record in
            if case .decoded(let feature) = record { try body(index, feature) }
        }
    }

    /// `forEachFeature`, handing over the plain features as `FeatureScanner` finds them (no
    /// values built) and the others decoded. Which way a feature comes never changes what it
    /// holds: a scanned feature decodes to the same `Feature` (`FeatureRecord.feature(in:)`).
    ///
    /// `collectionMembers`, when given, reads the members of a FeatureCollection's `features` array in
    /// its place (from the first member's first byte, numbered from the index given): it
    /// returns the offset just past the array's closing bracket and how many members it read,
    /// or nil to leave them to this reading (see `forEachCollectionMember`).
    @discardableResult
    public mutating func forEachFeatureRecord(
        in buffer: UnsafeRawBufferPointer, scanning fast: FeatureScanner?, onBadFeature: BadFeatureHandler = GeoJSONReader.throwBadFeature,
        collectionMembers readMembers: (_ start: Int, _ firstIndex: Int) throws -> (end: Int, count: Int)? = { _, _ in nil },
        _ body: (Int, FeatureRecord) throws -> Void
    ) throws -> CollectionHeader {
        var scanner = JSONScanner(buffer)
        var header = CollectionHeader()
        var shape = ScanShape()
        do {
            guard scanner.peek() == UInt8(ascii: "{") else {
                let value = try scanner.parseValue()
                try scanner.expectEnd()
                throw GeoJSONError(problem: GeoJSONProblem(.error, .wrongType, at: .root, "expected a GeoJSON object, found \(value.typeName)"))
            }
            // Read members until "features"; stream that array; collect the rest.
            try scanner.expect(UInt8(ascii: "{"), "'{'")
            var members = ForeignMembers()
            var streamed = 0
            var sawFeatures = false
            if scanner.peek() == UInt8(ascii: "}") {
                scanner.index += 1
            } else {
                repeat {
                    let key = try scanner.parseKey()
                    let typeSoFar = members["type"]?.stringValue
                    if key == "features", typeSoFar == nil || typeSoFar == "FeatureCollection", scanner.peek() == UInt8(ascii: "[") {
                        sawFeatures = true
                        try scanner.expect(UInt8(ascii: "["), "'['")
                        if scanner.peek() == UInt8(ascii: "]") {
                            scanner.index += 1
                        } else if let (end, count) = try readMembers(scanner.index, streamed) {
                            scanner.index = end
                            streamed += count
                        } else {
                            let (end, _, count) = try forEachCollectionMember(in: buffer, from: scanner.index, stoppingAt: buffer.count,
                                                                              firstIndex: streamed, scanning: fast, shape: &shape,
                                                                              onBadFeature: onBadFeature, body)
                            scanner.index = end
                            streamed += count
                        }
                    } else {
                        members[key] = try scanner.parseValue()
                    }
                } while try scanner.continueContainer(closing: UInt8(ascii: "}"), "object")
            }
            try scanner.expectEnd()
            let type = members["type"]
            if sawFeatures || type?.stringValue == "FeatureCollection" {
                // The features were streamed; decode the rest of the collection on its own.
                members["features"] = .array([])
                guard type != nil else {
                    throw GeoJSONError(problem: GeoJSONProblem(.error, .missingMember, at: .root, "object has no \"type\" member"))
                }
                _ = try decoder.typeMember(.object(members), at: .root)
                guard type?.stringValue == "FeatureCollection" else {
                    throw GeoJSONError(problem: GeoJSONProblem(.error, .unknownType, at: .root / "type", "an object with \"features\" must have type \"FeatureCollection\", found \(type!.preview)"))
                }
                let fc = try decoder.featureCollection(.object(members), at: .root)
                header.bbox = fc?.bbox
                header.foreignMembers = fc?.foreignMembers ?? [:]
                if !sawFeatures {
                    throw GeoJSONError(problem: GeoJSONProblem(.error, .missingMember, at: .root, "FeatureCollection has no \"features\" member"))
                }
                return header
            }
            guard let object = try decoder.object(.object(members)) else {
                throw GeoJSONError(problem: GeoJSONProblem(.error, .wrongType, at: .root, "not a GeoJSON object"))
            }
            for (i, f) in object.features.enumerated() { try body(i, .decoded(f)) }
            return header
        } catch let error as JSONSyntaxError {
            throw GeoJSONError(problem: Self.syntaxProblem(error))
        }
    }

    /// The members of a FeatureCollection's `features` array from the one whose first byte is at
    /// `start`, as `forEachFeatureRecord` reads them (the first numbered `firstIndex`), up to
    /// the first member after the first that begins at or after `stop` (a `stop` at the
    /// buffer's end or beyond: none) or the array's end. Returns where reading
    /// ended (that member's first byte, or just past the closing bracket), whether the array
    /// ended, and how many members were read. A JSON syntax error is thrown as
    /// `forEachFeatureRecord` throws it (its line and column counted from the buffer's start).
    ///
    /// A part of the array read on its own from a member's first byte reads the same members as
    /// the whole reading does there: this is how a large collection is read on several threads.
    public mutating func forEachCollectionMember(
        in buffer: UnsafeRawBufferPointer, from start: Int, stoppingAt stop: Int, firstIndex: Int, scanning fast: FeatureScanner?,
        shape: inout ScanShape, onBadFeature: BadFeatureHandler = GeoJSONReader.throwBadFeature, _ body: (Int, FeatureRecord) throws -> Void
    ) throws -> (end: Int, closed: Bool, count: Int) {
        var scanner = JSONScanner(buffer)
        scanner.index = start
        var streamed = firstIndex
        do {
            repeat {
                if streamed > firstIndex, stop < buffer.count, scanner.index >= stop { return (scanner.index, false, streamed - firstIndex) }
                let elementStart = scanner.index
                if let fast, case (var feature, let end)? = fast.scan(buffer, at: elementStart, shape: &shape) {
                    scanner.index = end
                    try body(streamed, .scanned(feature))
                    shape.recycle(&feature)
                    streamed += 1
                    continue
                }
                let element = try scanner.parseValue()
                switch decodeMember(element, index: streamed) {
                case .success(let feature?): try body(streamed, .decoded(feature))
                case .success(nil): break
                case .failure(let error):
                    let raw = RawText.escaped(UnsafeRawBufferPointer(rebasing: buffer[elementStart..<scanner.index]))
                    try onBadFeature(streamed, error, raw.trimmingLeadingBlanks)
                }
                streamed += 1
            } while try scanner.continueContainer(closing: UInt8(ascii: "]"), "array")
        } catch let error as JSONSyntaxError {
            throw GeoJSONError(problem: Self.syntaxProblem(error))
        }
        return (scanner.index, true, streamed - firstIndex)
    }

    /// Where a member of a FeatureCollection's `features` array may begin at or after `offset`:
    /// a `{` after a comma and blanks. Nil when there is none. A guess (the bytes may lie inside
    /// a string): a reading in parts keeps a part only where the part before it ended.
    public static func collectionMemberStart(in buffer: UnsafeRawBufferPointer, after offset: Int) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        var i = offset
        while i < buffer.count {
            guard let comma = memchr(base + i, 0x2C, buffer.count - i) else { return nil }
            var j = UnsafeRawPointer(comma) - base + 1
            while j < buffer.count, buffer[j] == 0x20 || buffer[j] == 0x0A || buffer[j] == 0x0D || buffer[j] == 0x09 { j += 1 }
            if j < buffer.count, buffer[j] == UInt8(ascii: "{") { return j }
            i = j
        }
        return nil
    }

    /// Up to `count` parts of a collection's members from the member at `start`, each of about
    /// `bytes`: each from where a member may begin (`collectionMemberStart`) to where the next
    /// part may, the last to the buffer's end when no member may begin after it.
    public static func collectionParts(in buffer: UnsafeRawBufferPointer, from start: Int, count: Int, bytes: Int) -> [Range<Int>] {
        var starts = [start]
        while starts.count < count, let next = collectionMemberStart(in: buffer, after: starts.last! + bytes) { starts.append(next) }
        let stops = Array(starts.dropFirst()) + [collectionMemberStart(in: buffer, after: starts.last! + bytes) ?? buffer.count]
        return zip(starts, stops).map { $0..<$1 }
    }

    /// Streams the features of a GeoJSONSeq text (RFC 8142: each record starts with the record
    /// separator 0x1E and ends with a newline) or of newline-delimited GeoJSON (no separators).
    /// Blank lines are skipped. `body` gets the record index (0-based) and the feature; errors
    /// name the record and its line.
    ///
    /// A record that is not valid JSON (cut off, `NaN`, `1e400`) or not a valid Feature goes to
    /// `onBadFeature` (by default: thrown); when that returns, reading goes on with the next record.
    ///
    /// A part of a larger text (cut where a record begins: after a newline, or at a separator when
    /// the text uses them) is read with `firstRecord` and `firstLine` set to the record count and
    /// line of the part's start (`seqRecordCount` of the parts before), so that indices and
    /// messages are those of the whole text.
    public mutating func forEachSeqFeature(
        in buffer: UnsafeRawBufferPointer, firstRecord: Int = 0, firstLine: Int = 1, onBadFeature: BadFeatureHandler = GeoJSONReader.throwBadFeature,
        _ body: (Int, Feature) throws -> Void
    ) throws {
        try forEachSeqFeatureRecord(in: buffer, scanning: nil, firstRecord: firstRecord, firstLine: firstLine, onBadFeature: onBadFeature) { index, record in
            if case .decoded(let feature) = record { try body(index, feature) }
        }
    }

    /// The records `forEachSeqFeature` counts in `buffer` (blank ones are not records) and its
    /// line ends; `usesSeparator` as found in the whole text (0x1E anywhere in it).
    public func seqRecordCount(in buffer: UnsafeRawBufferPointer, usesSeparator: Bool) -> (records: Int, lineEnds: Int) {
        var records = 0, lineEnds = 0
        forEachSeqRecordSpan(in: buffer, usesSeparator: usesSeparator) { span in
            if span.end - span.recordStart > maximumRecordBytes || !Self.isBlank(span.slice) { records += 1 }
        }
        guard let base = buffer.baseAddress else { return (0, 0) }
        var from = 0
        while from < buffer.count, let hit = memchr(base + from, Int32(UInt8(ascii: "\n")), buffer.count - from) {
            lineEnds += 1
            from = base.distance(to: UnsafeRawPointer(hit)) + 1
        }
        return (records, lineEnds)
    }

    private static func isBlank(_ slice: UnsafeRawBufferPointer) -> Bool {
        slice.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// One record's place in a GeoJSONSeq text: `rawStart` (its separator, if any), `recordStart`
    /// (after it), `end` (exclusive), `slice` (the text without the separator).
    struct SeqRecordSpan {
        var rawStart: Int
        var recordStart: Int
        var end: Int
        var slice: UnsafeRawBufferPointer
    }

    /// The records of a GeoJSONSeq text, as `forEachSeqFeatureRecord` cuts them.
    private func forEachSeqRecordSpan(in buffer: UnsafeRawBufferPointer, usesSeparator: Bool, _ body: (SeqRecordSpan) throws -> Void) rethrows {
        var start = 0
        let count = buffer.count
        guard let base = buffer.baseAddress, count > 0 else { return }
        while start < count {
            // A record runs to the next separator (RFC 8142) or the next newline.
            let separator: UInt8 = usesSeparator ? 0x1E : UInt8(ascii: "\n")
            let from = usesSeparator && buffer[start] == 0x1E ? start + 1 : start
            let end = memchr(base + from, Int32(separator), count - from).map { base.distance(to: UnsafeRawPointer($0)) } ?? count
            let rawStart = start
            var slice = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
            let recordStart = buffer[start] == 0x1E ? start + 1 : start
            start = usesSeparator ? end : end + 1
            if let first = slice.first, first == 0x1E { slice = UnsafeRawBufferPointer(rebasing: slice.dropFirst()) }
            try body(SeqRecordSpan(rawStart: rawStart, recordStart: recordStart, end: end, slice: slice))
        }
    }

    /// `forEachSeqFeature`, handing over the plain features as `FeatureScanner` finds them
    /// and the others decoded (see `forEachFeatureRecord`).
    public mutating func forEachSeqFeatureRecord(
        in buffer: UnsafeRawBufferPointer, scanning fast: FeatureScanner?, firstRecord: Int = 0, firstLine: Int = 1,
        onBadFeature: BadFeatureHandler = GeoJSONReader.throwBadFeature, _ body: (Int, FeatureRecord) throws -> Void
    ) throws {
        var record = firstRecord
        let count = buffer.count
        guard let base = buffer.baseAddress, count > 0 else { return }
        let usesSeparator = memchr(base, 0x1E, count) != nil
        var shape = ScanShape()
        // Lines are counted only when a message needs one, from where the last count stopped.
        var newlinesCounted = 0, countedTo = 0
        func line(at offset: Int) -> Int {
            while countedTo < offset {
                guard let hit = memchr(base + countedTo, Int32(UInt8(ascii: "\n")), offset - countedTo) else { break }
                newlinesCounted += 1
                countedTo = base.distance(to: UnsafeRawPointer(hit)) + 1
            }
            countedTo = max(countedTo, offset)
            return newlinesCounted + firstLine
        }
        try forEachSeqRecordSpan(in: buffer, usesSeparator: usesSeparator) { span in
            let (rawStart, recordStart, end, slice) = (span.rawStart, span.recordStart, span.end, span.slice)
            if end - recordStart > maximumRecordBytes {
                let recordLine = line(at: rawStart)
                let problem = GeoJSONProblem(.error, .invalidJSON, at: .root,
                                             "record \(record) (line \(recordLine)) is \(end - recordStart) bytes, over the limit of \(maximumRecordBytes) bytes a record")
                try onBadFeature(record, GeoJSONError(problem: problem, featureIndex: record), RawText.escaped(UnsafeRawBufferPointer(rebasing: slice.prefix(200))))
                record += 1
                return
            }
            if let fast {
                // Offsets stay those of the whole buffer; the record's end bounds the scan.
                let upToRecordEnd = UnsafeRawBufferPointer(start: buffer.baseAddress, count: end)
                if case (var feature, let featureEnd)? = fast.scan(upToRecordEnd, at: recordStart, shape: &shape),
                   (featureEnd..<end).allSatisfy({ buffer[$0] == 0x20 || buffer[$0] == 0x09 || buffer[$0] == 0x0A || buffer[$0] == 0x0D }) {
                    try body(record, .scanned(feature))
                    shape.recycle(&feature)
                    record += 1
                    return
                }
            }
            if Self.isBlank(slice) { return }
            let recordLine = line(at: rawStart)
            do {
                var scanner = JSONScanner(slice)
                let value: JSONValue
                do throws(JSONSyntaxError) {
                    value = try scanner.parseValue()
                    try scanner.expectEnd()
                } catch {
                    var problem = Self.syntaxProblem(error)
                    problem.line = recordLine + error.line - 1
                    problem.message = "record \(record): " + problem.message
                    throw GeoJSONError(problem: problem, featureIndex: record)
                }
                decoder.featureIndex = record
                defer { decoder.featureIndex = nil }
                if let object = try decoder.object(value) {
                    switch object {
                    case .feature(let f): try body(record, .decoded(f))
                    case .geometry(let g): try body(record, .decoded(Feature(geometry: g, properties: nil)))
                    case .featureCollection:
                        throw GeoJSONError(problem: GeoJSONProblem(.error, .wrongType, at: .root, "record \(record) (line \(recordLine)) is a FeatureCollection; GeoJSONSeq holds one Feature per record"), featureIndex: record)
                    }
                }
            } catch let error as GeoJSONError {
                try onBadFeature(record, error, RawText.escaped(slice))
            }
            record += 1
        }
    }
}

/// One feature of a reading: found by `FeatureScanner` (its text not yet decoded) or decoded.
public enum FeatureRecord: Sendable {
    case scanned(ScannedFeature)
    case decoded(Feature)

    /// The feature as the full decoder gives it; `buffer` is the one that was read.
    public func feature(in buffer: UnsafeRawBufferPointer) -> Feature {
        switch self {
        case .decoded(let feature): return feature
        case .scanned(let scanned): return scanned.feature(in: buffer)
        }
    }
}

extension ScannedFeature {
    /// The `Feature` the full decoder makes of this text (the scan already checked the JSON).
    public func feature(in buffer: UnsafeRawBufferPointer) -> Feature {
        let id = id(in: buffer)
        var properties: OrderedDictionary<String, JSONValue>?
        if let propertiesRange {
            var scanner = JSONScanner(buffer)
            scanner.index = propertiesRange.lowerBound
            properties = (try? scanner.parseObject()) ?? [:]
        }
        return Feature(id: id, geometry: .point(Position(x: longitude, y: latitude)), properties: properties)
    }

    /// The same feature with its offsets moved by `offset` bytes: found in a part of a text that
    /// starts `offset` bytes into the whole, as offsets into the whole.
    public func shifted(by offset: Int) -> ScannedFeature {
        var moved = self
        func move(_ range: Range<Int>?) -> Range<Int>? { range.map { ($0.lowerBound + offset)..<($0.upperBound + offset) } }
        moved.idRange = move(idRange)
        moved.propertiesRange = move(propertiesRange)
        moved.textRange = move(textRange)
        moved.valueEnds = valueEnds.map { $0 < 0 ? $0 : $0 + offset }
        return moved
    }

    /// The `id` as the full decoder reads it; nil when absent.
    public func id(in buffer: UnsafeRawBufferPointer) -> FeatureID? {
        guard let idRange else { return nil }
        var scanner = JSONScanner(buffer)
        scanner.index = idRange.lowerBound
        switch try? scanner.parseValue() {
        case .string(let s)?: return .string(s)
        case .integer(let i)?: return .integer(i)
        default: return nil
        }
    }

    /// The properties in order, each name as its bytes in `buffer` (the scan found no escape in
    /// them) and its value as the full decoder reads it, without building the properties'
    /// dictionary. None for `"properties": null`.
    public func forEachProperty(in buffer: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, JSONValue) -> Void) {
        guard let propertiesRange else { return }
        var scanner = JSONScanner(buffer)
        scanner.index = propertiesRange.lowerBound
        // The scan checked this text: the walk cannot fail.
        try? scanner.forEachPlainMember { name, value in body(UnsafeRawBufferPointer(rebasing: buffer[name]), value) }
    }
}

extension String {
    var trimmingLeadingBlanks: String {
        String(drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
    }
}

/// A GeoJSON-family format, chosen by `--format` or by file extension.
public enum GeoJSONFormat: String, Sendable, CaseIterable {
    /// One FeatureCollection (`.geojson`, `.json`).
    case geojson
    /// RFC 8142 text sequence with record separators (`.geojsons`).
    case geojsonseq
    /// Newline-delimited GeoJSON, one feature per line (`.geojsonl`, `.ndjson`, `.jsonl`).
    case geojsonl

    /// The format a file name implies, or nil when the extension says nothing.
    public static func from(path: String) -> GeoJSONFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".geojson") || lower.hasSuffix(".json") { return .geojson }
        if lower.hasSuffix(".geojsons") || lower.hasSuffix(".geojsonseq") { return .geojsonseq }
        if lower.hasSuffix(".geojsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") { return .geojsonl }
        return nil
    }
}

/// Input bytes from a file (memory-mapped) or standard input, named for messages.
public struct InputFile: @unchecked Sendable {
    /// The name used in messages: the path, or `<stdin>`.
    public let name: String
    let storage: Storage

    /// The bytes: a read-only private mapping of the file (`mmap`), or a heap copy of standard input.
    final class Storage: @unchecked Sendable {
        let base: UnsafeRawPointer?
        let count: Int
        let isMapped: Bool
        let heap: [UInt8]

        /// The file's identity while it is open, for `InputFile.isOpenInput`.
        let identity: FileIdentity?

        init(mapping base: UnsafeRawPointer, count: Int, identity: FileIdentity?) {
            self.base = base
            self.count = count
            self.isMapped = true
            self.heap = []
            self.identity = identity
            if let identity { OpenInputs.shared.add(identity) }
        }

        init(bytes: [UInt8], identity: FileIdentity? = nil) {
            heap = bytes
            base = nil
            count = bytes.count
            isMapped = false
            self.identity = identity
            if let identity { OpenInputs.shared.add(identity) }
        }

        deinit {
            if isMapped, let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
            if let identity { OpenInputs.shared.remove(identity) }
        }
    }

    /// Whether `path` names a regular file that this process holds open as an `InputFile`
    /// (same device and inode, so other spellings and links of the path count too).
    public static func isOpenInput(_ path: String) -> Bool {
        guard let identity = FileIdentity(path: path) else { return false }
        return OpenInputs.shared.contains(identity)
    }

    /// Opens `path` (`-` for standard input). Files are memory-mapped, not copied.
    public init(path: String) throws {
        if path == "-" {
            name = "<stdin>"
            storage = Storage(bytes: [UInt8](FileHandle.standardInput.readDataToEndOfFile()))
            return
        }
        name = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw IOError(path: path, reason: errno == ENOENT ? "no such file" : "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw IOError.errno(path, "stat") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw IOError(path: path, reason: "is a directory, expected a file") }
        if (info.st_mode & S_IFMT) != S_IFREG {
            // A pipe or device: read it whole.
            guard let handle = FileHandle(forReadingAtPath: path) else { throw IOError.errno(path, "open") }
            storage = Storage(bytes: [UInt8](handle.readDataToEndOfFile()))
            return
        }
        let size = Int(info.st_size)
        let identity = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        if size == 0 {
            storage = Storage(bytes: [], identity: identity)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw IOError.errno(path, "map")
        }
        storage = Storage(mapping: UnsafeRawPointer(base), count: size, identity: identity)
    }

    /// An in-memory input (tests).
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.storage = Storage(bytes: bytes)
    }

    public var count: Int { storage.count }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if storage.isMapped { return try body(UnsafeRawBufferPointer(start: storage.base, count: storage.count)) }
        return try storage.heap.withUnsafeBytes(body)
    }

    /// Lets the kernel drop the mapped pages before byte `offset` (`madvise(MADV_DONTNEED)`), so
    /// a single forward pass over a large file does not keep it all resident. The bytes stay
    /// readable (they are paged in again from the file). Does nothing for standard input.
    public func releasePages(before offset: Int) {
        guard storage.isMapped, let base = storage.base else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = min(offset, storage.count) / page * page
        guard length > 0 else { return }
        madvise(UnsafeMutableRawPointer(mutating: base), length, Int32(MADV_DONTNEED))
    }
}

/// A file's device and inode: the same file under any path or link.
public struct FileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// The identity of the regular file at `path` (links followed), or nil when there is none.
    public init?(path: String) {
        var info = stat()
        guard path != "-", stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

/// The regular files currently open as `InputFile`s in this process, counted.
final class OpenInputs: @unchecked Sendable {
    static let shared = OpenInputs()
    private var counts: [FileIdentity: Int] = [:]
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }

    func add(_ id: FileIdentity) { locked { counts[id, default: 0] += 1 } }
    func remove(_ id: FileIdentity) {
        locked {
            let n = (counts[id] ?? 1) - 1
            counts[id] = n > 0 ? n : nil
        }
    }
    func contains(_ id: FileIdentity) -> Bool { locked { counts[id] != nil } }
}

/// Writes features as GeoJSONSeq (RFC 8142, record separator + newline) or as
/// newline-delimited GeoJSON, streaming.
public final class GeoJSONSeqWriter {
    public let encoder: GeoJSONEncoder
    public let recordSeparator: Bool
    let sink: ByteSink
    @exclusivity(unchecked) var writer = JSONWriter(reservingCapacity: JSONWriter.drainBytes + (1 << 12))  // one thread writes

    public init(sink: ByteSink, encoder: GeoJSONEncoder = GeoJSONEncoder(), recordSeparator: Bool = true) {
        self.sink = sink
        self.encoder = encoder
        self.recordSeparator = recordSeparator
    }

    public func write(_ feature: borrowing Feature) throws {
        writer.withBufferKnownUnique { writer in
            if recordSeparator { writer.appendByte(0x1E) }
            encoder.append(feature, to: &writer)
            writer.appendByte(UInt8(ascii: "\n"))
        }
        if writer.count >= JSONWriter.drainBytes { try drain() }
    }

    /// Writes records encoded elsewhere (each with its separator and line end).
    public func writeEncoded(records text: JSONWriter) throws {
        // Large batches go straight to the sink, not through the buffer.
        try text.withUnsafeBytes { try writer.appendEncoded($0, drainingTo: sink) }
    }

    /// Writes one record whose feature `body` appends as JSON text (nothing before or after it).
    public func writeEncoded(_ body: (inout JSONWriter) -> Void) throws {
        if recordSeparator { writer.appendByte(0x1E) }
        body(&writer)
        writer.appendByte(UInt8(ascii: "\n"))
        if writer.count >= JSONWriter.drainBytes { try drain() }
    }

    public func finish() throws {
        try drain()
        try sink.flush()
    }

    func drain() throws {
        try writer.drain(to: sink)
    }
}
