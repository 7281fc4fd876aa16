import GeoCore

/// The first reading of a plain CSV or ACLED row, by its bytes: what a layer's columns need
/// (point, time span, fatalities) and the country code its point is checked against, without
/// making an `Event` or a `String` per cell.
///
/// A row is plain when it is one line of unquoted cells (a CR only before the line end), as
/// many as the header's, valid UTF-8 within `CSV.Limits.default`, with coordinates, and every
/// step of `EventDecoder.decode` that can refuse a row accepts it: those steps themselves run
/// on the row's cells (`decodeTime`, `eventTypes`, `decodeCoordinates`, `decodeGeoPrecision`,
/// `decodeCountry`, `decodeCasualties`, `decodeMatch`), their answers for dates, event types and
/// countries kept by the cells' bytes (a million rows share a few thousand of each). Any other
/// row is left to the CSV reader and the full decoder (`row` returns nil), so the rows read and
/// refused are the same either way.
///
/// One per thread (it keeps its memos and scratch space).
struct TableScanner {
    /// What a plain row gives: where the next record starts, and its values.
    struct Row {
        var end: Int
        var longitude: Double
        var latitude: Double
        var interval: EventInterval
        var fatalities: Int?
        /// ISO 3166-1 alpha-2 code, "" when not given.
        var country: String
    }

    private let decoder: EventDecoder
    private let separator: UInt8
    private let fieldCount: Int
    private let limits = CSV.Limits.default
    /// The cell each project field is read from (-1: none), by `EventField.ordinal`: the last
    /// column that `EventReader.decodeCSV` sets it from.
    private let cellOf: [Int]
    /// Cell boundaries of the current row: start and end of cell k at 2k and 2k + 1.
    private var cells: [Int] = []
    private var key: [UInt8] = []
    private var times = ByteMemo<EventInterval?>()
    private var types = ByteMemo<Bool>()
    private var countries = ByteMemo<String?>()

    /// A scanner for the rows under `rows`' header; nil before the header is read or when it
    /// has as many columns as one record may hold.
    init?(_ rows: EventReader.CSVRows) {
        guard let header = rows.header, header.count < limits.fields else { return nil }
        decoder = rows.reader.decoder
        separator = rows.separator
        fieldCount = header.count
        var cellOf = [Int](repeating: -1, count: EventField.allCases.count)
        for (i, role) in rows.columns.enumerated() {
            switch role {
            case .field(let field): cellOf[field.ordinal] = i
            case .acledSource: cellOf[EventField.sources.ordinal] = i
            case .acledCountry: cellOf[EventField.country.ordinal] = i
            case .extra(let name):
                // An extra column named as a project field sets that field (`EventFields[name]`);
                // empty, it is null there, which every step reads as an empty cell.
                if let field = EventField(rawValue: name) { cellOf[field.ordinal] = i }
            }
        }
        self.cellOf = cellOf
        cells.reserveCapacity(2 * fieldCount)
    }

    /// The row that begins at `start` when it is plain, else nil (the row is then read by the
    /// CSV reader and the full decoder, which give it a problem or an event).
    mutating func row(in buffer: UnsafeRawBufferPointer, at start: Int) -> Row? {
        guard let end = split(buffer, at: start) else { return nil }
        let (cells, cellOf, decoder) = (cells, cellOf, decoder)
        func cell(_ field: EventField) -> UnsafeRawBufferPointer? {
            let k = cellOf[field.ordinal]
            return k < 0 ? nil : UnsafeRawBufferPointer(rebasing: buffer[cells[2 * k]..<cells[2 * k + 1]])
        }
        func value(_ field: EventField) -> JSONValue? { cell(field).map { .string(String(decoding: $0, as: UTF8.self)) } }
        func text(_ field: EventField) -> String { EventDecoder.text(value(field)) }

        key.removeAll(keepingCapacity: true)
        appendKey(cell(.eventDate), cell(.dateEnd), cell(.timePrecision))
        let interval: EventInterval
        if let known = key.withUnsafeBytes({ times.value(for: $0) }) {
            guard let known else { return nil }
            interval = known
        } else {
            let decoded = try? decoder.decodeTime(value)
            let span = decoded.map { EventInterval(date: $0.date, end: $0.end, precision: $0.precision) }
            key.withUnsafeBytes { times.insert(span, for: $0) }
            guard let span else { return nil }
            interval = span
        }

        key.removeAll(keepingCapacity: true)
        appendKey(cell(.eventType), cell(.subEventType))
        if let known = key.withUnsafeBytes({ types.value(for: $0) }) {
            guard known else { return nil }
        } else {
            let known = (try? decoder.eventTypes(eventType: text(.eventType), subEventType: text(.subEventType))) != nil
            key.withUnsafeBytes { types.insert(known, for: $0) }
            guard known else { return nil }
        }

        key.removeAll(keepingCapacity: true)
        appendKey(cell(.country))
        let country: String
        if let known = key.withUnsafeBytes({ countries.value(for: $0) }) {
            guard let known else { return nil }
            country = known
        } else {
            let code = try? decoder.decodeCountry(value)
            key.withUnsafeBytes { countries.insert(code, for: $0) }
            guard let code else { return nil }
            country = code
        }

        do {
            // Rows without coordinates are placed by the full path.
            guard let point = try decoder.decodeCoordinates(value) else { return nil }
            _ = try decoder.decodeGeoPrecision(value)
            let fatalities = try decoder.decodeCasualties(value).fatalities
            if cellOf[EventField.matchName.ordinal] >= 0 { _ = try decoder.decodeMatch(value) }
            return Row(end: end, longitude: point.longitude, latitude: point.latitude, interval: interval, fatalities: fatalities,
                       country: country)
        } catch {
            return nil
        }
    }

    /// Splits the line at `start` into `cells`; the offset past its line end, or nil when it is
    /// not one plain record of `fieldCount` cells.
    private mutating func split(_ buffer: UnsafeRawBufferPointer, at start: Int) -> Int? {
        let n = buffer.count
        cells.removeAll(keepingCapacity: true)
        var i = start
        var bits: UInt8 = 0
        var cellStart = start
        while i < n {
            let b = buffer[i]
            if b == separator {
                guard cells.count < 2 * fieldCount else { return nil }
                cells.append(cellStart)
                cells.append(i)
                cellStart = i + 1
            } else if b == UInt8(ascii: "\n") {
                break
            } else if b == UInt8(ascii: "\"") {
                return nil
            } else if b == UInt8(ascii: "\r") {
                // Only a CR that ends the line (the reader drops it); any other is the reader's.
                guard i + 1 == n || buffer[i + 1] == UInt8(ascii: "\n") else { return nil }
            }
            bits |= b
            i += 1
        }
        let end = i < n ? i + 1 : n
        let contentEnd = i > start && buffer[i - 1] == UInt8(ascii: "\r") ? i - 1 : i
        // A blank line is skipped by the reader.
        guard contentEnd > start, cells.count == 2 * (fieldCount - 1), end - start <= limits.recordBytes else { return nil }
        cells.append(cellStart)
        cells.append(contentEnd)
        var k = 0
        while k < cells.count {
            guard cells[k + 1] - cells[k] < limits.fieldBytes else { return nil }
            k += 2
        }
        if bits & 0x80 != 0, !UTF8Text.isWellFormed(UnsafeRawBufferPointer(rebasing: buffer[start..<contentEnd])) { return nil }
        return end
    }

    /// Appends the cells' bytes to `key`, each followed by 0xFF (a byte no UTF-8 text holds);
    /// an absent cell adds 0xFE.
    private mutating func appendKey(_ parts: UnsafeRawBufferPointer?...) {
        for part in parts {
            if let part { key.append(contentsOf: part) } else { key.append(0xFE) }
            key.append(0xFF)
        }
    }
}

/// Values kept by byte-string keys: open addressing with linear probing on FNV-1a, the keys
/// stored back to back. A lookup hashes the key once and makes no `String`. Bounded: past
/// `limit` keys, new ones are not kept (their answers are worked out every time).
struct ByteMemo<Value> {
    private var keyBytes: [UInt8] = []
    private var keyStarts: [Int] = [0]
    private var hashes: [UInt64] = []
    private var values: [Value] = []
    /// Key number + 1 per slot (0: empty); a power of two, at most half full.
    private var slots = [Int32](repeating: 0, count: 64)
    let limit: Int

    init(limit: Int = 100_000) { self.limit = limit }

    var count: Int { values.count }

    /// The value kept for `key`, nil when none is.
    func value(for key: UnsafeRawBufferPointer) -> Value? {
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let k = Int(slots[slot]) - 1
            if k < 0 { return nil }
            if hashes[k] == hash, keyStarts[k + 1] - keyStarts[k] == key.count,
               keyBytes.withUnsafeBytes({ $0[keyStarts[k]..<keyStarts[k + 1]].elementsEqual(key) }) {
                return values[k]
            }
            slot = (slot + 1) & mask
        }
    }

    /// Keeps `value` for `key` (not already kept), unless `limit` keys are kept.
    mutating func insert(_ value: Value, for key: UnsafeRawBufferPointer) {
        guard values.count < limit else { return }
        if 2 * (values.count + 1) > slots.count { grow() }
        let hash = Self.hash(key)
        keyBytes.append(contentsOf: key)
        keyStarts.append(keyBytes.count)
        hashes.append(hash)
        values.append(value)
        place(values.count - 1, hash: hash)
    }

    private mutating func place(_ k: Int, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(k + 1)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: 2 * slots.count)
        for k in hashes.indices { place(k, hash: hashes[k]) }
    }

    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }
}
