import Foundation
import GeoCore
import OrderedCollections

/// Where a row came from: a CSV line (1-based, where the record starts) or a feature index
/// (0-based, as in `features[3]`).
public enum RowPosition: Hashable, Sendable, CustomStringConvertible {
    case line(Int)
    case feature(Int)

    public var description: String {
        switch self {
        case .line(let n): "line \(n)"
        case .feature(let i): "feature \(i)"
        }
    }
}

/// One input row and what became of it.
public struct EventRow: Sendable {
    public var source: String
    public var position: RowPosition
    public var result: Result<Event, RowProblem>
    let input: Input

    enum Input: Sendable {
        case csv([String], separator: UInt8)
        case feature(Feature)
        /// A feature found by `FeatureScanner`, as its text (a copy: the row may outlive the input).
        case featureText([UInt8])
        /// A record that could not be parsed, as escaped text.
        case raw(String)
    }

    /// The row as it was read: the CSV record re-quoted, or the feature as compact JSON
    /// (made on demand: only rejected rows need it).
    public var original: String {
        switch input {
        case .csv(let fields, let separator): return CSV.line(fields, separator: Character(Unicode.Scalar(separator)))
        case .feature(let feature): return String(decoding: GeoJSONEncoder(coordinateDecimals: 15).encode(feature), as: UTF8.self)
        case .featureText(let bytes):
            // A scanned feature's text: decoded only now, to write it as a decoded one is written.
            var reader = GeoJSONReader()
            guard case .feature(let feature)? = try? reader.read(bytes) else { return RawText.escaped(bytes) }
            return String(decoding: GeoJSONEncoder(coordinateDecimals: 15).encode(feature), as: UTF8.self)
        case .raw(let text): return text
        }
    }
}

/// The kinds of input `EventReader` reads.
public enum EventInputKind: String, Sendable, CaseIterable {
    /// The project's CSV (columns named as `EventField`), or any CSV through `ColumnMapping`.
    case csv
    /// ACLED's CSV export (recognised by its `event_id_cnty` column).
    case acled
    case geojson
    /// RFC 8142 GeoJSON text sequence.
    case geojsonseq
    /// Newline-delimited GeoJSON features.
    case geojsonl

    /// From the file extension; CSV files are told apart from ACLED by their header.
    public static func from(path: String) -> EventInputKind? {
        guard let dot = path.lastIndex(of: ".") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv", "tsv", "txt": return .csv
        case "geojson", "json": return .geojson
        case "geojsons": return .geojsonseq
        case "geojsonl", "ndjson", "jsonl": return .geojsonl
        default: return nil
        }
    }
}

/// Which CSV columns hold the event fields, for tables not in the project's or ACLED's layout.
/// Column names are matched without regard to case and surrounding spaces.
public struct ColumnMapping: Hashable, Sendable {
    public var date: String?
    public var place: String?
    public var latitude: String?
    public var longitude: String?
    public var country: String?
    public var type: String?
    public var actor: String?
    /// Any other field and the column (or GeoJSON property) that holds it (`--column FIELD=SOURCE`).
    public var fields: [EventField: String]

    public init(date: String? = nil, place: String? = nil, latitude: String? = nil, longitude: String? = nil,
                country: String? = nil, type: String? = nil, actor: String? = nil, fields: [EventField: String] = [:]) {
        self.fields = fields
        self.date = date
        self.place = place
        self.latitude = latitude
        self.longitude = longitude
        self.country = country
        self.type = type
        self.actor = actor
    }

    var pairs: [(column: String, field: EventField, option: String)] {
        let all: [(String?, EventField, String)] = [
            (date, .eventDate, "--date-column"), (place, .location, "--place-column"),
            (latitude, .latitude, "--lat-column"), (longitude, .longitude, "--lon-column"),
            (country, .country, "--country-column"), (type, .eventType, "--type-column"),
            (actor, .actor1, "--actor-column"),
        ]
        let shortcuts = all.compactMap { pair in pair.0.map { (column: $0, field: pair.1, option: pair.2) } }
        let general = fields.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { (column: $0.value, field: $0.key, option: "--column \($0.key.rawValue)=\($0.value)") }
        return shortcuts + general
    }

    /// Fields from `FIELD=COLUMN` specs (`--column fatalities=killed`): field names as
    /// `EventField`'s, case-insensitive; each field once.
    public static func fields(fromSpecs specs: [String]) throws(EventInputError) -> [EventField: String] {
        func fail(_ message: String) -> EventInputError { EventInputError(source: "options", message: message) }
        var fields: [EventField: String] = [:]
        for spec in specs {
            guard let eq = spec.firstIndex(of: "=") else { throw fail("--column takes FIELD=COLUMN (e.g. fatalities=killed), got '\(spec)'") }
            let name = String(spec[..<eq]).trimmingSpaces.lowercased()
            let column = String(spec[spec.index(after: eq)...]).trimmingSpaces
            guard let field = EventField(rawValue: name) else {
                throw fail("--column \(spec): unknown field '\(name)'; fields: \(EventField.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard !column.isEmpty else { throw fail("--column \(spec): no column named after '='") }
            if let other = fields[field] { throw fail("--column names two columns for \(name): '\(other)' and '\(column)'") }
            fields[field] = column
        }
        return fields
    }

    /// Checks that no field is mapped twice and no column feeds two fields.
    public func validate() throws(EventInputError) {
        var fieldOption: [EventField: String] = [:]
        var columnOption: [String: String] = [:]
        for (column, field, option) in pairs {
            if let other = fieldOption[field] {
                throw EventInputError(source: "options", message: "\(option) and \(other) both name a column for \(field.rawValue)")
            }
            let key = column.trimmingSpaces.lowercased()
            if let other = columnOption[key] {
                throw EventInputError(source: "options", message: "\(option) and \(other) both read column '\(column)'; a column fills one field")
            }
            fieldOption[field] = option
            columnOption[key] = option
        }
    }

    public var isEmpty: Bool { pairs.isEmpty }
}

/// A whole input that cannot be read (not a row): missing file, bad header, broken JSON.
public struct EventInputError: Error, Hashable, Sendable, CustomStringConvertible {
    public var source: String
    public var message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}

/// Reads events from the project's CSV, ACLED CSV exports, mapped CSV, GeoJSON, GeoJSONSeq and
/// newline-delimited GeoJSON, one row at a time, so large inputs stream. Every row is handed
/// to `body`, decoded or with the reason it could not be.
public struct EventReader: Sendable {
    public var decoder: EventDecoder
    public var mapping: ColumnMapping
    /// Forces a kind instead of taking it from the extension and header.
    public var kind: EventInputKind?
    /// The files' encoding; other than UTF-8, each file is decoded to UTF-8 in memory first.
    public var encoding: TextEncoding = .utf8
    /// Told about what was read but changed on the way (a longitude of 180.758 read as
    /// −179.242), once a file is read: at most five messages a file, then a count.
    public var onWarning: (@Sendable (String) -> Void)?
    /// Whether plain Point features are read by `FeatureScanner` and decoded from their
    /// properties' text (`decodeScanned`) rather than through a parsed feature. Tests turn it
    /// off to compare with the full decoder, which must give the same rows.
    var scansFeatures = true

    public init(decoder: EventDecoder = EventDecoder(), mapping: ColumnMapping = ColumnMapping(), kind: EventInputKind? = nil) {
        self.decoder = decoder
        self.mapping = mapping
        self.kind = kind
    }

    /// Opens `path` (`-` for standard input, read once).
    public static func open(_ path: String) throws -> InputFile {
        do {
            return try InputFile(path: path)
        } catch let error as IOError {
            throw EventInputError(source: path, message: error.reason)  // the path is said once
        } catch {
            throw EventInputError(source: path, message: "\(error)")
        }
    }

    /// Reads the file at `path` (`-` for standard input).
    public func forEachRow(path: String, _ body: (EventRow) throws -> Void) throws {
        try forEachRow(file: try Self.open(path), source: path, body)
    }

    /// Reads an opened input named `source`; pages already read are handed back to the kernel.
    public func forEachRow(file: InputFile, source: String, _ body: (EventRow) throws -> Void) throws {
        if encoding != .utf8 {
            let decoded = file.withUnsafeBytes { encoding.utf8Bytes($0) }
            try decoded.withUnsafeBytes { try forEachRow(in: $0, source: source, body) }
            return
        }
        try file.withUnsafeBytes { buffer in
            try forEachRow(in: buffer, source: source, releasingPagesOf: file, body)
        }
    }

    /// Reads UTF-8 bytes named `source`. With `file` (the input `buffer` belongs to), pages
    /// already read are handed back to the kernel as a CSV streams, so memory stays flat.
    public func forEachRow(in buffer: UnsafeRawBufferPointer, source: String, releasingPagesOf file: InputFile? = nil,
                           _ body: (EventRow) throws -> Void) throws {
        let kind = resolvedKind(buffer, source: source)
        switch kind {
        case .csv, .acled: try readCSV(buffer, source: source, forceACLED: kind == .acled, file: file, body)
        case .geojson, .geojsonseq, .geojsonl: try readGeoJSON(buffer, source: source, kind: kind, body)
        }
    }

    /// The forced kind, else the extension's; for standard input or an unknown extension,
    /// JSON when the text starts with `{` (or RS), CSV otherwise.
    func resolvedKind(_ buffer: UnsafeRawBufferPointer, source: String) -> EventInputKind {
        if let kind = self.kind ?? EventInputKind.from(path: source) { return kind }
        let first = buffer.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }
        return first == UInt8(ascii: "{") ? .geojson : first == 0x1E ? .geojsonseq : .csv
    }

    /// The names of the fields of `path` that are not project fields, in first-seen order: the
    /// extra header columns of a CSV, or the extra property names of GeoJSON features (which
    /// needs a pass over the file).
    public func extraFieldNames(path: String) throws -> [String] {
        try extraFieldNames(file: try Self.open(path), source: path)
    }

    /// `extraFieldNames(path:)` for an opened input (standard input can be scanned and then read).
    /// A large GeoJSONSeq is scanned on all cores.
    public func extraFieldNames(file: InputFile, source path: String) throws -> [String] {
        try extraFieldNames(file: file, source: path, threads: ProcessInfo.processInfo.activeProcessorCount, chunkBytes: Self.parallelChunkBytes)
    }

    /// (`threads` and `chunkBytes`: a GeoJSONSeq of two chunks or more is scanned in chunks of
    /// about `chunkBytes` on `threads` threads.)
    func extraFieldNames(file: InputFile, source path: String, threads: Int, chunkBytes: Int) throws -> [String] {
        var names = OrderedSet<String>()
        let decoded = encoding == .utf8 ? nil : file.withUnsafeBytes { encoding.utf8Bytes($0) }
        let read: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void = { body in
            if let decoded { try decoded.withUnsafeBytes(body) } else { try file.withUnsafeBytes(body) }
        }
        try read { buffer in
            let kind = resolvedKind(buffer, source: path)
            switch kind {
            case .csv, .acled:
                // Only the header: the bytes up to the first line end outside quotes.
                var end = 0
                var quoted = false
                while end < buffer.count, quoted || buffer[end] != 0x0A {
                    if buffer[end] == UInt8(ascii: "\"") { quoted.toggle() }
                    end += 1
                }
                var header: [String]?
                do {
                    try CSV.forEachRecord(in: UnsafeRawBufferPointer(rebasing: buffer[0..<end]),
                                          separator: path.lowercased().hasSuffix(".tsv") ? 0x09 : UInt8(ascii: ",")) { (record) throws(CSV.ParseError) in
                        if header == nil { header = record.fields }
                    }
                } catch {
                    throw EventInputError(source: path, message: "\(error)")
                }
                guard let header else { return }
                let (roles, _) = try roles(for: header, forceACLED: kind == .acled, source: path)
                for role in roles { if case .extra(let name) = role { names.append(name) } }
                if roles.contains(.acledCountry) { names.append(Self.countryNameProperty) }
            case .geojson, .geojsonseq, .geojsonl:
                if kind != .geojson, decoded == nil, threads > 1, buffer.count >= 2 * chunkBytes,
                   let found = try seqExtraNamesInParallel(buffer, file: file, threads: threads, chunkBytes: chunkBytes) {
                    names = found
                    return
                }
                var reader = GeoJSONReader()
                // A mapped file's pages are let go behind the reading (a pass of its own).
                var released = 0
                var nameReading = ExtraNameReading()
                let collect: (Int, FeatureRecord) -> Void = { _, record in
                    if decoded == nil, case .scanned(let scanned) = record, let end = scanned.textRange?.upperBound, end - released >= 1 << 26 {
                        file.releasePages(before: end)
                        released = end
                    }
                    nameReading.add(record, in: buffer, to: &names)
                }
                let scanning = scansFeatures ? Self.plainFeatures : nil
                // A bad feature is the row reader's reject, not a reason to refuse the file.
                let skip: GeoJSONReader.BadFeatureHandler = { _, _, _ in }
                // A large collection's members are read in parts on all cores.
                let members: (Int, Int) throws -> (end: Int, count: Int)? = { start, _ in
                    guard decoded == nil, threads > 1, buffer.count >= 2 * chunkBytes,
                          let (end, count, found) = Self.collectionExtraNamesInParallel(buffer, from: start, file: file, threads: threads,
                                                                                       chunkBytes: chunkBytes, scanning: scanning) else { return nil }
                    names.append(contentsOf: found)
                    return (end, count)
                }
                do {
                    if kind == .geojson {
                        try reader.forEachFeatureRecord(in: buffer, scanning: scanning, onBadFeature: skip, collectionMembers: members, collect)
                    } else {
                        try reader.forEachSeqFeatureRecord(in: buffer, scanning: scanning, onBadFeature: skip, collect)
                    }
                } catch {
                    throw EventInputError(source: path, message: "\(error)")
                }
            }
        }
        return Array(names)
    }

    /// The names of features' properties that are not project fields, added to a pass's names
    /// (`add`). One per pass or chunk: it remembers the names of the last feature it read by
    /// their bytes.
    struct ExtraNameReading {
        /// The names (UTF-8, one after another) of the last verbatim properties text read by
        /// their bytes, and where each ends.
        private var lastNames: [UInt8] = []
        private var lastEnds: [Int] = []

        /// The names of a feature's properties that are not project fields, added to `names`.
        /// A plain feature whose members are all located (`plainFeatures`) has no extra name but
        /// `timestamp`; a verbatim properties text is read by its bytes (nothing to add when its
        /// names are the last such text's, in order: an export's rows share one layout); any
        /// other is read member by member, or was decoded.
        mutating func add(_ record: FeatureRecord, in buffer: UnsafeRawBufferPointer, to names: inout OrderedSet<String>) {
            switch record {
            case .decoded(let feature):
                for key in feature.properties?.keys ?? [] { Self.add(key, to: &names) }
            case .scanned(let scanned):
                var located = 0
                for start in scanned.valueStarts where start >= 0 { located += 1 }
                if located == scanned.memberCount {
                    if let start = scanned.valueStarts.last, start >= 0 { Self.add(EventTimestamp.property, to: &names) }
                    return
                }
                if scanned.propertiesVerbatim, let range = scanned.propertiesRange,
                   addNames(in: UnsafeRawBufferPointer(rebasing: buffer[range]), to: &names) {
                    return
                }
                scanned.forEachProperty(in: buffer) { name, _ in Self.add(String(decoding: name, as: UTF8.self), to: &names) }
            }
        }

        /// `name` added to `names` unless it is a project field's.
        private static func add(_ name: String, to names: inout OrderedSet<String>) {
            if !EventField.names.contains(name) { names.append(name) }
        }

        /// The names of a verbatim properties text (`PointFeatureText.forEachMember`: names
        /// without escapes) added to `names`; false when the text cannot be read so.
        private mutating func addNames(in text: UnsafeRawBufferPointer, to names: inout OrderedSet<String>) -> Bool {
            var k = 0
            var same = true
            let read = lastNames.withUnsafeBytes { last in
                PointFeatureText.forEachMember(in: text) { name, _ in
                    guard same else { return }
                    let start = k == 0 ? 0 : lastEnds[k - 1]
                    same = k < lastEnds.count && lastEnds[k] - start == name.count
                        && (name.isEmpty || memcmp(last.baseAddress! + start, name.baseAddress!, name.count) == 0)
                    k += 1
                }
            }
            guard read else { return false }
            if same, k == lastEnds.count { return true }
            lastNames.removeAll(keepingCapacity: true)
            lastEnds.removeAll(keepingCapacity: true)
            return PointFeatureText.forEachMember(in: text) { name, _ in
                lastNames.append(contentsOf: name)
                lastEnds.append(lastNames.count)
                Self.add(String(decoding: name, as: UTF8.self), to: &names)
            }
        }
    }

    /// `extraFieldNames`' pass over a large GeoJSONSeq text on `threads` threads, in the chunks
    /// `forEachRowInParallel` reads: each chunk's names in first-seen order, added up in input
    /// order, so the same names in the same order as one pass. Nil when a chunk's reading
    /// throws (the pass on one thread then says why, as it always did).
    private func seqExtraNamesInParallel(_ buffer: UnsafeRawBufferPointer, file: InputFile, threads: Int,
                                         chunkBytes: Int) throws -> OrderedSet<String>? {
        var names = OrderedSet<String>()
        var failed = false
        let scanning = scansFeatures ? Self.plainFeatures : nil
        try Self.forEachSeqChunkInParallel(buffer, file: file, threads: threads, chunkBytes: chunkBytes) {
            chunk, _, firstRecord, firstLine, _, _ -> OrderedSet<String>? in
            var found = OrderedSet<String>()
            var reader = GeoJSONReader()
            var nameReading = ExtraNameReading()
            do {
                // A bad feature is the row reader's reject, not a reason to refuse the file.
                try reader.forEachSeqFeatureRecord(in: chunk, scanning: scanning, firstRecord: firstRecord, firstLine: firstLine,
                                                   onBadFeature: { _, _, _ in }) { _, record in
                    nameReading.add(record, in: chunk, to: &found)
                }
            } catch {
                return nil
            }
            return found
        } deliver: { _, found in
            if let found { names.append(contentsOf: found) } else { failed = true }
        }
        return failed ? nil : names
    }

    /// `extraFieldNames`' pass over the members of a large FeatureCollection's `features` array
    /// from the one at `start`, in parts read on `threads` threads at once (rounds of
    /// `2 × threads` parts of about `chunkBytes`, `GeoJSONReader.collectionParts`): each part's
    /// names in first-seen order, added up in input order, so the same names in the same order
    /// as one pass. A part is kept only while the part before it ended exactly where it begins
    /// (a part's start is a guess); the next round starts where the last kept one ended. Returns
    /// the offset past the array and the number of members; nil when a kept part's reading
    /// throws (the pass on one thread then says why, as it always did).
    private static func collectionExtraNamesInParallel(_ buffer: UnsafeRawBufferPointer, from first: Int, file: InputFile, threads: Int,
                                                       chunkBytes: Int, scanning: FeatureScanner?) -> (end: Int, count: Int, names: OrderedSet<String>)? {
        var names = OrderedSet<String>()
        var start = first, count = 0
        let whole = SendableBytes(buffer)
        while true {
            let ranges = GeoJSONReader.collectionParts(in: buffer, from: start, count: 2 * threads, bytes: chunkBytes)
            let parts = concurrentMap(ranges.count) { j -> (end: Int, closed: Bool, count: Int, names: OrderedSet<String>)? in
                var found = OrderedSet<String>()
                var reader = GeoJSONReader()
                var shape = ScanShape()
                var nameReading = ExtraNameReading()
                do {
                    // A bad feature is the row reader's reject, not a reason to refuse the file.
                    let (end, closed, count) = try reader.forEachCollectionMember(
                        in: whole.buffer, from: ranges[j].lowerBound, stoppingAt: ranges[j].upperBound, firstIndex: 0, scanning: scanning,
                        shape: &shape, onBadFeature: { _, _, _ in }) { _, record in nameReading.add(record, in: whole.buffer, to: &found) }
                    return (end, closed, count, found)
                } catch {
                    return nil
                }
            }
            for j in ranges.indices {
                if j > 0, parts[j - 1]?.end != ranges[j].lowerBound { break }
                guard let part = parts[j] else { return nil }
                names.append(contentsOf: part.names)
                count += part.count
                if part.closed { return (part.end, count, names) }
                start = part.end
            }
            file.releasePages(before: start)
        }
    }

    // MARK: CSV

    private func readCSV(_ buffer: UnsafeRawBufferPointer, source: String, forceACLED: Bool, file: InputFile?,
                         _ body: (EventRow) throws -> Void) throws {
        var released = 0
        var rows = CSVRows(reader: self, source: source, forceACLED: forceACLED)
        var bodyError: Error?
        do {
            try CSV.forEachRecord(in: buffer, separator: rows.separator, recovering: true) { (record) throws(CSV.ParseError) in
                guard bodyError == nil else { return }
                do {
                    if let row = try rows.row(for: record) { try body(row) }
                } catch let error as CSV.ParseError {
                    throw error
                } catch {
                    bodyError = error
                }
                if let file, record.endOffset - released >= 1 << 24 {
                    file.releasePages(before: record.endOffset)
                    released = record.endOffset
                }
            }
        } catch {
            throw EventInputError(source: source, message: "\(error) (the CSV cannot be read past this point)")
        }
        if let bodyError { throw bodyError }
        if rows.header == nil { throw EventInputError(source: source, message: "empty file: no header row") }
    }

    /// The rows of one CSV input, record by record: the first record is the header (which sets
    /// each column's role), each later one a decoded row or a reject.
    struct CSVRows {
        let reader: EventReader
        let source: String
        let forceACLED: Bool
        let separator: UInt8
        var header: [String]?
        var columns: [ColumnRole] = []
        var isACLED: Bool

        init(reader: EventReader, source: String, forceACLED: Bool) {
            self.reader = reader
            self.source = source
            self.forceACLED = forceACLED
            separator = source.lowercased().hasSuffix(".tsv") ? 0x09 : UInt8(ascii: ",")
            isACLED = forceACLED
        }

        /// The row of a record (nil for the header). Throws `CSV.ParseError` for a malformed
        /// header and `EventInputError` for a header the roles cannot be read from.
        mutating func row(for record: CSV.Record) throws -> EventRow? {
            if let problem = record.problem {
                // The header must be whole; a malformed data row is one reject.
                guard header != nil else { throw CSV.ParseError(line: record.line, message: "header row: " + problem) }
                return EventRow(source: source, position: .line(record.line), result: .failure(RowProblem(.malformedRow, problem)),
                                input: .raw(record.raw ?? ""))
            }
            guard let names = header else {
                header = record.fields
                (columns, isACLED) = try reader.roles(for: record.fields, forceACLED: forceACLED, source: source)
                return nil
            }
            let result: Result<Event, RowProblem>
            if record.fields.count != names.count {
                result = .failure(RowProblem(.malformedRow, "expected \(names.count) fields as in the header, found \(record.fields.count)"))
            } else {
                let (reader, columns, isACLED) = (reader, columns, isACLED)
                result = Result { () throws(RowProblem) in
                    try reader.decodeCSV(record.fields, columns: columns, acled: isACLED)
                }
            }
            return EventRow(source: source, position: .line(record.line), result: result, input: .csv(record.fields, separator: separator))
        }
    }

    /// What each column of a CSV holds.
    enum ColumnRole: Hashable {
        case field(EventField)
        case acledSource
        case acledCountry
        case extra(String)
    }

    /// The extra property an ACLED row's event keeps its `country` cell in, trimmed (ACLED's
    /// own spelling, for ACLED output).
    static let countryNameProperty = "country_name"

    /// ACLED's columns that are not project fields, kept as `extra` (numbers as integers).
    static let acledIntegerColumns: Set<String> = ["year", "inter1", "inter2", "interaction", "iso", "timestamp"]
    public static let acledColumns = [
        "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
        "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
        "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
        "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
    ]

    func roles(for header: [String], forceACLED: Bool, source: String) throws -> ([ColumnRole], Bool) {
        let names = header.map { $0.trimmingSpaces.lowercased() }
        let isACLED = forceACLED || names.contains("event_id_cnty")
        var mapped: [String: EventField] = [:]
        for (column, field, option) in mapping.pairs {
            guard names.contains(column.trimmingSpaces.lowercased()) else {
                throw EventInputError(source: source, message: "\(option) '\(column)' is not a column (columns: \(RawText.clipped(header.joined(separator: ", "))))")
            }
            mapped[column.trimmingSpaces.lowercased()] = field
        }
        var seen = Set<EventField>()
        var roles: [ColumnRole] = []
        for (i, name) in names.enumerated() {
            var role: ColumnRole
            if let field = mapped[name] {
                role = .field(field)
            } else if isACLED {
                switch name {
                case "event_id_cnty": role = .field(.eventID)
                case "source": role = .acledSource
                case "country": role = .acledCountry
                case "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "admin1",
                     "location", "latitude", "longitude", "geo_precision", "notes", "fatalities", "tags":
                    role = .field(EventField(rawValue: name)!)
                default: role = .extra(header[i].trimmingSpaces)
                }
            } else if let field = EventField(rawValue: name), !mapped.values.contains(field) {
                role = .field(field)
            } else {
                role = .extra(header[i].trimmingSpaces)
            }
            if case .field(let f) = role {
                if seen.contains(f) { throw EventInputError(source: source, message: "two columns hold \(f.rawValue) ('\(RawText.clipped(header[i]))')") }
                seen.insert(f)
            }
            roles.append(role)
        }
        if !seen.contains(.eventDate) {
            throw EventInputError(
                source: source,
                message: "no event_date column (columns: \(RawText.clipped(header.joined(separator: ", ")))); name the date column with --date-column")
        }
        if !seen.contains(.location) && !(seen.contains(.latitude) && seen.contains(.longitude)) {
            throw EventInputError(
                source: source,
                message: "neither a location column nor latitude/longitude columns; use --place-column or --lat-column/--lon-column")
        }
        return (roles, isACLED)
    }

    func decodeCSV(_ cells: [String], columns: [ColumnRole], acled: Bool) throws(RowProblem) -> Event {
        var fields = EventFields()
        var acledCountry: String?
        for (role, cell) in zip(columns, cells) {
            switch role {
            case .field(let f): fields[f] = .string(cell)
            case .acledSource: fields[.sources] = .string(cell)
            case .acledCountry:
                acledCountry = cell.trimmingSpaces
                fields[.country] = .string(cell)
            case .extra(let name):
                if acled, EventReader.acledIntegerColumns.contains(name.lowercased()), let n = Int64(cell.trimmingSpaces) {
                    fields[name] = .integer(n)
                } else {
                    fields[name] = cell.isEmpty ? .null : .string(cell)
                }
            }
        }
        var event = try decoder.decode(fields)
        if acled, let name = acledCountry, !name.isEmpty {
            // Keep ACLED's own spelling of the country for ACLED output.
            event.extra[Self.countryNameProperty] = .string(name)
        }
        return event
    }

    // MARK: GeoJSON

    private func readGeoJSON(_ buffer: UnsafeRawBufferPointer, source: String, kind: EventInputKind, _ body: (EventRow) throws -> Void) throws {
        var reader = GeoJSONReader()
        try readGeoJSON(buffer, source: source, kind: kind, with: &reader, body)
        reportWrappedLongitudes(reader.warnings, source: source)
    }

    /// The features of `buffer` as rows; a part of a GeoJSONSeq text starts at record
    /// `firstRecord`, on line `firstLine` (`GeoJSONReader.forEachSeqFeature`). A scanned
    /// feature that `text` takes (returns true for) is not made a row.
    func readGeoJSON(_ buffer: UnsafeRawBufferPointer, source: String, kind: EventInputKind, with reader: inout GeoJSONReader,
                     firstRecord: Int = 0, firstLine: Int = 1, text: ((ScannedFeature) -> Bool)? = nil,
                     _ body: (EventRow) throws -> Void) throws {
        let decode: (Int, FeatureRecord) throws -> Void = { index, record in
            if case .scanned(let scanned) = record, let text, text(scanned) { return }
            try body(self.row(for: record, index: index, in: buffer, source: source))
        }
        // Features with other members or geometries, and any column mapping, take the full decoder.
        let scanner = scansFeatures && mapping.isEmpty ? Self.plainFeatures : nil
        // A feature that breaks a GeoJSON rule is one reject; the features around it are read.
        let bad: GeoJSONReader.BadFeatureHandler = { index, error, raw in
            let problem = RowProblem(.malformedFeature, error.description)
            try body(EventRow(source: source, position: .feature(index), result: .failure(problem), input: .raw(raw)))
        }
        do {
            switch kind {
            case .geojsonseq, .geojsonl:
                try reader.forEachSeqFeatureRecord(in: buffer, scanning: scanner, firstRecord: firstRecord, firstLine: firstLine,
                                                   onBadFeature: bad, decode)
            default: try reader.forEachFeatureRecord(in: buffer, scanning: scanner, onBadFeature: bad, decode)
            }
        } catch let error as GeoJSONError {
            throw EventInputError(source: source, message: "\(error)")
        }
    }

    /// A feature read from `buffer` as the row of feature `index`.
    func row(for record: FeatureRecord, index: Int, in buffer: UnsafeRawBufferPointer, source: String) -> EventRow {
        switch record {
        case .decoded(let feature):
            let result = Result { () throws(RowProblem) in try decodeFeature(feature) }
            return EventRow(source: source, position: .feature(index), result: result, input: .feature(feature))
        case .scanned(let scanned):
            let result = Result { () throws(RowProblem) in try decodeScanned(scanned, in: buffer) }
            let text = scanned.textRange.map { [UInt8](UnsafeRawBufferPointer(rebasing: buffer[$0])) } ?? []
            return EventRow(source: source, position: .feature(index), result: result, input: .featureText(text))
        }
    }

    /// Says (through `onWarning`) which longitudes beyond ±180° were read as wrapped: the first
    /// five and how many more.
    func reportWrappedLongitudes(_ readerWarnings: [GeoJSONProblem], source: String) {
        let warnings = readerWarnings.filter { $0.code == .longitudeWrapped }
        if let onWarning, !warnings.isEmpty {
            for w in warnings.prefix(5) { onWarning("\(source): \(w)") }
            if warnings.count > 5 { onWarning("\(source): \(warnings.count - 5) more longitudes beyond ±180° read the same way") }
        }
    }

    /// A feature read by another reader (GeoPackage, FlatGeobuf, Shapefile through GDAL) as a
    /// row, decoded as a GeoJSON feature would be.
    public func row(for feature: Feature, at index: Int, source: String) -> EventRow {
        let result = Result { () throws(RowProblem) in try decodeFeature(feature) }
        return EventRow(source: source, position: .feature(index), result: result, input: .feature(feature))
    }

    /// Checks plain Point features without parsing any property (`decodeScanned` parses them),
    /// locating the project's fields and `timestamp` (`FeatureTextScanner` writes from them).
    /// (Its keys' values may hold the writer's escapes: `FeatureTextScanner` copies a key's text
    /// only when it holds none, `FeatureTextScanner.unescaped`.)
    static let plainFeatures = FeatureScanner(keys: FeatureTextScanner.located, parsingValues: false, keysMayHoldEscapes: true)

    /// A scanned Point feature decoded as `decodeFeature` decodes the same feature parsed, with
    /// no column mapping: its properties go straight into the fields, with no dictionary made.
    func decodeScanned(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer) throws(RowProblem) -> Event {
        var fields = EventFields(scanned: scanned, in: buffer)
        fields[.latitude] = .double(scanned.latitude)
        fields[.longitude] = .double(scanned.longitude)
        if fields[.eventID] == nil || fields[.eventID] == .null, let id = scanned.id(in: buffer) {
            fields[.eventID] = Self.eventID(id)
        }
        return try decoder.decode(fields)
    }

    /// A feature's `id` as an `event_id`.
    static func eventID(_ id: FeatureID) -> JSONValue {
        switch id {
        case .string(let s): .string(s)
        case .integer(let n): .string(String(n))
        case .double(let n): .string(EventDecoder.text(.double(n)))
        }
    }

    func decodeFeature(_ feature: Feature) throws(RowProblem) -> Event {
        var fields = feature.properties ?? [:]
        if !mapping.isEmpty {
            // Mapped properties take the field's name; a property already named so is kept aside.
            for (property, field, _) in mapping.pairs where property != field.rawValue {
                guard let value = fields[property] else { continue }
                if let displaced = fields[field.rawValue] { fields[field.rawValue + "_original"] = displaced }
                fields.removeValue(forKey: property)
                fields[field.rawValue] = value
            }
        }
        switch feature.geometry {
        case .point(let p)?:
            fields[EventField.latitude.rawValue] = .double(p.y)
            fields[EventField.longitude.rawValue] = .double(p.x)
        case nil:
            // No geometry: latitude/longitude properties, if any, are the coordinates;
            // otherwise the event is geocoded from its location.
            break
        case let g?:
            throw RowProblem(.notAPoint, "geometry is a \(g.typeName); events are points (or null geometry to geocode)")
        }
        if fields[EventField.eventID.rawValue] == nil || fields[EventField.eventID.rawValue] == .null, let id = feature.id {
            fields[EventField.eventID.rawValue] = Self.eventID(id)
        }
        return try decoder.decode(fields)
    }
}
