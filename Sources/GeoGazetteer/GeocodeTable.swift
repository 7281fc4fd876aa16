import Foundation
import GeoCore

/// A CSV table geocoded row by row (`geo geocode --in`), for any front end: each row's place
/// name (one column) is resolved, with the row's country code and region as hints, and the
/// answer is written into seven columns, `addedColumns`.
///
/// Rows are kept in order and none is dropped: a row with both `latitude` and `longitude`
/// keeps them (`kept: coordinates given`), a row without a name says `empty place name`, an
/// unresolved name leaves the coordinates blank and says why in `match_status`.
public struct GeocodeTable {
    /// The columns the answers go to, in order: degrees to 6 decimals, geo precision (1 the
    /// place itself, 3 province or country level), the gazetteer's name, score (0–1, 3
    /// decimals), source, and the status with its reason.
    public static let addedColumns = ["latitude", "longitude", "geo_precision", "match_name", "match_score", "match_source", "match_status"]

    /// Which column a missing-column error is about.
    public enum Role: String, Sendable {
        case name, country, region
    }

    /// The input's name, for errors.
    public let source: String
    /// The input's header.
    public let header: [String]
    /// The output's header: `header`, then those of `addedColumns` it lacks (the others are
    /// filled in place, so that no name appears twice).
    public let outputHeader: [String]
    /// Rows below the header.
    public let rowCount: Int
    /// The table's bytes when it was given as an array (`init(csv:)` with `[UInt8]`); nil when
    /// the caller keeps the buffer and hands it to `forEachRow(in:)`.
    let storedBytes: [UInt8]?
    /// The first row whose field count differs from the header's: thrown by `forEachRow`.
    let ragged: GeocodeTableError?
    let nameIndex: Int
    let countryIndex: Int?
    let regionIndex: Int?
    /// Output column of each added column.
    let targets: [Int]
    let latIndex: Int?
    let lonIndex: Int?
    /// Rows geocoded together (on all cores) and then written: memory holds one batch of rows,
    /// not the table.
    let batchRows: Int

    /// Reads the table's header and checks the rest as CSV (keeping nothing of it), and finds its
    /// columns: `nameColumn` holds the place names, `countryColumn` an ISO 3166 country code
    /// (any case), `regionColumn` the region (admin1) a fallback places the row at; without
    /// `regionColumn`, an `admin1` column if there is one.
    public init(csv bytes: [UInt8], source: String, nameColumn: String, countryColumn: String? = nil, regionColumn: String? = nil)
        throws(GeocodeTableError)
    {
        let read = bytes.withUnsafeBytes { buffer in Result<Scan, GeocodeTableError> { () throws(GeocodeTableError) in try Self.scan(buffer, source: source) } }
        try self.init(scanned: try read.get(), source: source, nameColumn: nameColumn, countryColumn: countryColumn, regionColumn: regionColumn,
                      storedBytes: bytes, batchRows: 8192)
    }

    /// `init(csv:)` over bytes the caller keeps alive (a mapped file) and passes again to
    /// `forEachRow(in:)`; memory then stays bounded by `batchRows` rows, whatever the file's size.
    public init(csv buffer: UnsafeRawBufferPointer, source: String, nameColumn: String, countryColumn: String? = nil, regionColumn: String? = nil,
                batchRows: Int = 8192) throws(GeocodeTableError) {
        try self.init(scanned: try Self.scan(buffer, source: source), source: source, nameColumn: nameColumn, countryColumn: countryColumn,
                      regionColumn: regionColumn, storedBytes: nil, batchRows: batchRows)
    }

    typealias Scan = (header: [String], rows: Int, ragged: GeocodeTableError?)

    /// One pass over the table: its header, how many rows follow, the first ragged row.
    static func scan(_ buffer: UnsafeRawBufferPointer, source: String) throws(GeocodeTableError) -> Scan {
        var header: [String]?
        var rows = 0
        var ragged: GeocodeTableError?
        do {
            try CSV.forEachRecord(in: buffer) { record in
                guard let header else { header = record.fields; return }
                rows += 1
                if ragged == nil, record.fields.count != header.count {
                    ragged = .fieldCount(source: source, line: record.line, expected: header.count, found: record.fields.count)
                }
            }
        } catch {
            throw .unreadable(source: source, reason: "\(error)")
        }
        guard let header else { throw .empty(source: source) }
        return (header, rows, ragged)
    }

    private init(scanned: Scan, source: String, nameColumn: String, countryColumn: String?, regionColumn: String?,
                 storedBytes: [UInt8]?, batchRows: Int) throws(GeocodeTableError) {
        let header = scanned.header
        func index(_ name: String, _ role: Role) throws(GeocodeTableError) -> Int {
            guard let i = header.firstIndex(of: name) else { throw .missingColumn(source: source, column: name, role: role, columns: header) }
            return i
        }
        nameIndex = try index(nameColumn, .name)
        countryIndex = try countryColumn.map { name throws(GeocodeTableError) in try index(name, .country) }
        regionIndex = try regionColumn.map { name throws(GeocodeTableError) in try index(name, .region) } ?? header.firstIndex(of: "admin1")
        var outputHeader = header
        targets = Self.addedColumns.map { name in
            if let i = header.firstIndex(of: name) { return i }
            outputHeader.append(name)
            return outputHeader.count - 1
        }
        latIndex = header.firstIndex(of: "latitude")
        lonIndex = header.firstIndex(of: "longitude")
        self.source = source
        self.header = header
        self.outputHeader = outputHeader
        self.rowCount = scanned.rows
        self.ragged = scanned.ragged
        self.storedBytes = storedBytes
        self.batchRows = max(1, batchRows)
    }

    /// How the rows fared.
    public struct Counts: Hashable, Sendable {
        public var resolved = 0
        public var ambiguous = 0
        /// Placed at a province or country point by `GeocodeOptions.fallback`.
        public var fallback = 0
        /// Unresolved names and empty ones.
        public var unresolved = 0
        /// Rows that kept their given coordinates.
        public var kept = 0
    }

    /// `forEachRow(in:)` over the bytes given to `init(csv:)` as an array.
    @discardableResult
    public func forEachRow(gazetteer: Gazetteer, options: GeocodeOptions, _ body: ([String]) throws -> Void) throws -> Counts {
        guard let storedBytes else { preconditionFailure("GeocodeTable: made over a buffer; call forEachRow(in:) with it") }
        return try storedBytes.withUnsafeBytes { try forEachRow(in: $0, gazetteer: gazetteer, options: options, body) }
    }

    /// Geocodes the rows that need it under `options` plus each row's country and region, then
    /// calls `body` with each output row (`outputHeader`'s columns) in input order. `buffer` is
    /// the table the table was made from. Rows are read, geocoded (together, on all cores) and
    /// handed over `batchRows` at a time. Throws `GeocodeTableError.fieldCount` for a row whose
    /// field count differs from the header's, before any row reaches `body`.
    @discardableResult
    public func forEachRow(in buffer: UnsafeRawBufferPointer, gazetteer: Gazetteer, options: GeocodeOptions,
                           _ body: ([String]) throws -> Void) throws -> Counts {
        if let ragged { throw ragged }
        var counts = Counts()
        var batch: [[String]] = []
        batch.reserveCapacity(min(batchRows, rowCount))
        var bodyError: Error?
        func flush() {
            guard bodyError == nil else { return }
            do { try write(batch, gazetteer: gazetteer, options: options, counts: &counts, body) } catch { bodyError = error }
            batch.removeAll(keepingCapacity: true)
        }
        var seenHeader = false
        do {
            try CSV.forEachRecord(in: buffer) { record in
                guard seenHeader else { seenHeader = true; return }
                guard bodyError == nil else { return }
                batch.append(record.fields)
                if batch.count >= batchRows { flush() }
            }
        } catch {
            throw GeocodeTableError.unreadable(source: source, reason: "\(error)")
        }
        flush()
        if let bodyError { throw bodyError }
        return counts
    }

    /// Geocodes one batch of rows and hands each over in order.
    func write(_ rows: [[String]], gazetteer: Gazetteer, options: GeocodeOptions, counts: inout Counts, _ body: ([String]) throws -> Void) throws {
        var queries: [GeocodeQuery] = []
        var queryOfRow = [Int?](repeating: nil, count: rows.count)
        for (row, fields) in rows.enumerated() {
            let name = fields[nameIndex].trimmingCharacters(in: .whitespaces)
            guard !hasCoordinates(fields), !name.isEmpty else { continue }
            var rowOptions = options
            if let countryIndex, !fields[countryIndex].isEmpty { rowOptions.country = fields[countryIndex].uppercased() }
            if let regionIndex, !fields[regionIndex].trimmingCharacters(in: .whitespaces).isEmpty { rowOptions.region = fields[regionIndex] }
            queryOfRow[row] = queries.count
            queries.append(GeocodeQuery(name, options: rowOptions))
        }
        let answers = gazetteer.geocode(queries)
        for (row, original) in rows.enumerated() {
            var fields = original
            let extra: [String]
            if hasCoordinates(fields) {
                // Given coordinates are never replaced.
                let given = targets.map { $0 < fields.count ? fields[$0] : "" }
                extra = Array(given.prefix(6)) + ["kept: coordinates given"]
                counts.kept += 1
            } else if let query = queryOfRow[row] {
                let r = answers[query]
                switch r.status {
                case .resolved: counts.resolved += 1
                case .ambiguous: counts.ambiguous += 1
                case .fallback: counts.fallback += 1
                case .unresolved: counts.unresolved += 1
                }
                extra = Self.columns(r)
            } else {
                extra = ["", "", "", "", "", "", "empty place name"]
                counts.unresolved += 1
            }
            fields += Array(repeating: "", count: outputHeader.count - fields.count)
            for (target, value) in zip(targets, extra) { fields[target] = value }
            try body(fields)
        }
    }

    /// Whether the row has both a latitude and a longitude (blanks do not count).
    func hasCoordinates(_ fields: [String]) -> Bool {
        guard let latIndex, let lonIndex else { return false }
        return !fields[latIndex].trimmingCharacters(in: .whitespaces).isEmpty && !fields[lonIndex].trimmingCharacters(in: .whitespaces).isEmpty
    }

    /// The values of `addedColumns` for an answer. `match_status` is the status, with the other
    /// candidates of an ambiguous answer, a fallback's basis, or up to three suggestions.
    public static func columns(_ r: GeocodeResult) -> [String] {
        guard let b = r.best else {
            let hint = r.suggestions.isEmpty ? "" : "; did you mean " + r.suggestions.prefix(3).joined(separator: ", ")
            return ["", "", "", "", "", "", "unresolved: no gazetteer match" + hint]
        }
        let status = switch r.status {
        case .ambiguous where !r.alternatives.isEmpty:
            "ambiguous: also " + r.alternatives.map { "\($0.entry.name) (\($0.entry.country))" }.joined(separator: "; ")
        case .ambiguous: "ambiguous: approximate spelling of \(b.entry.name)"
        case .fallback: "fallback: " + (r.fallbackBasis ?? "")
        default: r.status.rawValue
        }
        return [Format.trimmed(b.entry.position.latitude, 6), Format.trimmed(b.entry.position.longitude, 6),
                String(r.geoPrecision ?? 1), b.entry.name, Format.fixed(b.score, 3), b.entry.source.rawValue, status]
    }
}

/// A table `GeocodeTable` cannot geocode.
public enum GeocodeTableError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not CSV (an unclosed quote, say).
    case unreadable(source: String, reason: String)
    /// No header.
    case empty(source: String)
    /// A column named for `role` that the header lacks; `columns` are the header's.
    case missingColumn(source: String, column: String, role: GeocodeTable.Role, columns: [String])
    /// A row (1-based line) with more or fewer fields than the header.
    case fieldCount(source: String, line: Int, expected: Int, found: Int)

    public var description: String {
        switch self {
        case .unreadable(let source, let reason): "\(source): \(reason)"
        case .empty(let source): "\(source): the file is empty"
        case .missingColumn(let source, let column, let role, let columns):
            "\(source): no \(role.rawValue) column '\(column)' (columns: \(columns.joined(separator: ", ")))"
        case .fieldCount(let source, let line, let expected, let found): "\(source): line \(line): expected \(expected) fields, found \(found)"
        }
    }
}
