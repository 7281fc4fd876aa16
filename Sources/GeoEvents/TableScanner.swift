import Foundation
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
        /// Lines the record spans (more than one when a quoted cell holds line ends).
        var lines: Int
        var longitude: Double
        var latitude: Double
        var interval: EventInterval
        var fatalities: Int?
        /// ISO 3166-1 alpha-2 code, "" when not given.
        var country: String
        var geoPrecision: Int?
        /// Whether `fatality_claims` holds no claim and `match_name` is empty (the row can be
        /// written as text).
        var plainCasualtiesAndMatch: Bool
        fileprivate var time: PlainEventSteps.EntryNumber
        fileprivate var types: PlainEventSteps.EntryNumber
    }

    /// Whether plain rows can be written as text (`text(in:at:)`): no extra column named as a
    /// project field or as another extra column, none named `timestamp` but ACLED's, and none
    /// named `country_name` in an ACLED table (the event's own).
    let writesText: Bool
    /// The extra property names a written row may carry (null when empty): the extra columns',
    /// and `country_name` for an ACLED table.
    let extraNames: Set<String>
    /// The extra columns in order: cell, name, and whether it is one of ACLED's integer columns
    /// in an ACLED table (`EventReader.acledIntegerColumns`: an integer when its text is one).
    private let extraColumns: [(cell: Int, name: String, integer: Bool)]
    /// Each extra column's member start in a row's text, `,"name":`.
    private let extraMemberStarts: [[UInt8]]
    /// An extra column of the CSV lines `csvLine` writes, from this table.
    private enum ExtraCell {
        case none
        /// A cell's text.
        case text(Int)
        /// One of ACLED's integer columns.
        case integer(Int)
        /// ACLED's `country` cell, trimmed: the event's `country_name`.
        case countryName(Int)
    }
    /// Each extra column of the CSV lines `csvLine` writes.
    private let csvExtraCells: [ExtraCell]
    /// The columns of the lines `acledLine` writes (none unless `init` is given
    /// `acledCountryName`), and ACLED's country name of a code.
    private let acledCells: [ACLEDCell]
    private let acledCountryName: (@Sendable (String) -> String?)?
    /// ACLED's `country` cell, whose trimmed text the event keeps as `country_name` when not
    /// empty (`EventReader.decodeCSV`); -1 for other tables.
    private let countryNameCell: Int
    /// ACLED's `timestamp` cell (the record's upload time), -1 for none. Kept as an integer
    /// extra in its place, the event unstamped (`EventTimestamp.stamp`): so the rows' text has
    /// no derived timestamp, and a row whose cell is not an integer goes the full way.
    private let uploadTimeCell: Int

    private let decoder: EventDecoder
    private let separator: UInt8
    private let fieldCount: Int
    private let limits = CSV.Limits.default
    /// The cell each project field is read from (-1: none), by `EventField.ordinal` (the last
    /// column that `EventReader.decodeCSV` sets it from), and the current row's cells.
    private let layout: CellLayout
    /// The cells `row` reads through the decoder's steps: one with a doubled quote sends the
    /// row to the full path.
    private let checkedCells: [Int]
    /// The decoder's steps and their memos; the `timestamp` the rows' text carries (`text(in:at:)`).
    private var steps: PlainEventSteps

    /// A scanner for the rows under `rows`' header; nil before the header is read or when it
    /// has as many columns as one record may hold.
    /// (`memoLimit`: the keys each memo of the steps keeps; a test makes it small.)
    /// `csvExtraColumns`: the extra columns of the CSV lines `csvLine` writes.
    /// `acledCountryName`: ACLED's country name for a code, for the lines `acledLine` writes.
    /// `styled`: rows written as text are to be styled (`SimpleStyle`), so a table with an
    /// extra column that styling reads or replaces (`layer`, `marker-color`, `marker-size`) is
    /// written the full way.
    init?(_ rows: EventReader.CSVRows, timestamp: EventTimestamp = .iso, styled: Bool = false, csvExtraColumns: [String] = [],
          acledCountryName: (@Sendable (String) -> String?)? = nil, memoLimit: Int = 100_000) {
        guard let header = rows.header, header.count < limits.fields else { return nil }
        let uploadTime = rows.isACLED ? rows.columns.firstIndex(of: .extra(EventTimestamp.property)) : nil
        uploadTimeCell = uploadTime ?? -1
        steps = PlainEventSteps(decoder: rows.reader.decoder, timestamp: uploadTime == nil ? timestamp : .none, memoLimit: memoLimit)
        self.styled = styled
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
        layout = CellLayout(cellOf: cellOf, fieldCount: header.count)
        let checked: [EventField] = [.eventDate, .dateEnd, .timePrecision, .eventType, .subEventType, .latitude, .longitude, .geoPrecision,
                                     .country, .fatalityClaims, .fatalities, .matchName, .matchScore, .matchApproximate, .matchSource,
                                     .matchID, .matchAlternatives, .matchFallback, .actor1, .actor1Reported, .actorSide, .actorMatch]
        checkedCells = checked.map { cellOf[$0.ordinal] }.filter { $0 >= 0 }
        var extras: [(cell: Int, name: String, integer: Bool)] = []
        for (i, role) in rows.columns.enumerated() {
            if case .extra(let name) = role {
                extras.append((i, name, rows.isACLED && EventReader.acledIntegerColumns.contains(name.lowercased())))
            }
        }
        extraColumns = extras
        extraMemberStarts = extras.map { extra in
            var w = JSONWriter()
            w.appendByte(UInt8(ascii: ","))
            w.appendString(extra.name)
            w.appendByte(UInt8(ascii: ":"))
            return w.bytes
        }
        let countryName = rows.isACLED ? rows.columns.firstIndex(of: .acledCountry) ?? -1 : -1
        countryNameCell = countryName
        func extraCell(_ name: String) -> ExtraCell {
            if let extra = extras.first(where: { $0.name == name }) { return extra.integer ? .integer(extra.cell) : .text(extra.cell) }
            return .none
        }
        csvExtraCells = csvExtraColumns.map { name in
            if case .none = extraCell(name), name == EventReader.countryNameProperty, countryName >= 0 { return .countryName(countryName) }
            return extraCell(name)
        }
        self.acledCountryName = acledCountryName
        acledCells = acledCountryName == nil ? [] : Self.acledLayout(extraCell: extraCell)
        extraNames = Set(extras.map(\.name) + (countryName >= 0 ? [EventReader.countryNameProperty] : []))
        writesText = Set(extras.map(\.name)).count == extras.count
            && !extras.contains { EventField(rawValue: $0.name) != nil || ($0.name == EventTimestamp.property && !rows.isACLED) }
            && !(rows.isACLED && extras.contains { $0.name == EventReader.countryNameProperty })
            && !(styled && extras.contains { ["layer", "marker-color", "marker-size"].contains($0.name) })
    }

    /// The row that begins at `start` when it is plain, else nil (the row is then read by the
    /// CSV reader and the full decoder, which give it a problem or an event).
    mutating func row(in buffer: UnsafeRawBufferPointer, at start: Int) -> Row? {
        guard let (end, lines, escaped) = split(buffer, at: start), let base = buffer.baseAddress else { return nil }
        let (cells, cellOf) = (layout.cells, layout.cellOf)
        if escaped {
            for k in checkedCells where layout.quoting[k] == 2 { return nil }
        }
        func cell(_ field: EventField) -> UnsafeRawBufferPointer? {
            let k = cellOf[field.ordinal]
            return k < 0 ? nil : UnsafeRawBufferPointer(start: base + cells[2 * k], count: cells[2 * k + 1] - cells[2 * k])
        }
        func value(_ field: EventField) -> JSONValue? { cell(field).map { .string(String(decoding: $0, as: UTF8.self)) } }

        guard let time = steps.time(cell(.eventDate), cell(.dateEnd), cell(.timePrecision), value: value),
              let types = steps.types(cell(.eventType), cell(.subEventType), value: value),
              let country = steps.country(cell(.country), value: value) else { return nil }

        do {
            // Rows without coordinates are placed by the full path.
            let point: (latitude: Double, longitude: Double)
            if let latitude = cell(.latitude).flatMap(Self.plainDecimal), let longitude = cell(.longitude).flatMap(Self.plainDecimal) {
                try EventDecoder.checkRange(latitude: latitude, longitude: longitude)
                point = (latitude, longitude)
            } else {
                guard let given = try decoder.decodeCoordinates(value) else { return nil }
                point = given
            }
            let geoPrecision = cell(.geoPrecision)?.isEmpty ?? true ? nil : try decoder.decodeGeoPrecision(value)
            let casualties: (claims: [FatalityClaim], fatalities: Int?)
            if cell(.fatalityClaims)?.isEmpty ?? true, let given = cell(.fatalities), let count = Self.plainCount(given) {
                casualties = ([], count)
            } else {
                casualties = try decoder.decodeCasualties(value)
            }
            let match = cell(.matchName)?.isEmpty ?? true ? nil : try decoder.decodeMatch(value)
            return Row(end: end, lines: lines, longitude: point.longitude, latitude: point.latitude, interval: steps.interval(time),
                       fatalities: casualties.fatalities, country: country, geoPrecision: geoPrecision,
                       plainCasualtiesAndMatch: casualties.claims.isEmpty && match == nil, time: time, types: types)
        } catch {
            return nil
        }
    }

    /// Whether `row` keeps its ACLED upload time as it is (`uploadTimeCell`; true without one):
    /// an integer that is not the milliseconds geo would derive for it. Any other is replaced or
    /// dropped by `EventTimestamp.stamp`, on the full way.
    private func keepsUploadTime(_ row: Row, in buffer: UnsafeRawBufferPointer) -> Bool {
        guard uploadTimeCell >= 0 else { return true }
        let uploaded = Self.withCellText(buffer, uploadTimeCell, cells: layout.cells, quoting: layout.quoting) {
            $0.isEmpty ? nil : Self.integer($0)
        }
        guard let uploaded else { return false }
        return uploaded != Int64((row.interval.startSeconds * 1000).rounded())
    }

    /// The properties text of the row `text(in:at:)` read last.
    private(set) var written = JSONWriter()
    /// Whether rows written as text are to be styled (`init`): `text` then gives their
    /// `actor_side`.
    private let styled: Bool

    /// A plain row that `writesText`, its properties written to `written` as
    /// `EventEncoder.ownedText` writes them for the event the full decoder makes of it (the
    /// cells' text copied, escaped, without making the event), with the end of its `id`'s text
    /// there (`PlainRowText.withText`; nil when `event_id` is empty), and its `actor_side`
    /// when `styled` ("" otherwise). Nil for rows the scanner leaves to the full path, and for
    /// rows with fatality claims or a match.
    mutating func text(in buffer: UnsafeRawBufferPointer, at start: Int) -> (row: Row, idEnd: Int?, side: String)? {
        guard writesText, let row = row(in: buffer, at: start), row.plainCasualtiesAndMatch else { return nil }
        let (cells, cellOf, quoting) = (layout.cells, layout.cellOf, layout.quoting)
        guard keepsUploadTime(row, in: buffer) else { return nil }
        func withText<R>(ofCell k: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
            Self.withCellText(buffer, k, cells: cells, quoting: quoting, body)
        }
        func withCell<R>(_ field: EventField, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
            let k = cellOf[field.ordinal]
            return k < 0 ? body(nil) : withText(ofCell: k) { body($0) }
        }
        /// A cell `row` checked: never with a doubled quote.
        func cell(_ field: EventField) -> UnsafeRawBufferPointer? {
            let k = cellOf[field.ordinal]
            return k < 0 ? nil : UnsafeRawBufferPointer(rebasing: buffer[cells[2 * k]..<cells[2 * k + 1]])
        }
        func isPlain(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x80 }
        /// `EventDecoder.text` of the cell (trimmed) as a JSON string, null when empty.
        func appendValue(_ field: EventField, to w: inout JSONWriter) {
            withCell(field) { c in appendValue(c, to: &w) }
        }
        func appendValue(_ c: UnsafeRawBufferPointer?, to w: inout JSONWriter) {
            guard let c, !c.isEmpty else { return w.appendRaw("null") }
            // (A row's text is well-formed UTF-8: `split` checked it.)
            if UTF8Text.hasNoSpaceAtEnds(c) { return w.appendString(utf8: c.assumingMemoryBound(to: UInt8.self)) }
            let trimmed = String(decoding: c, as: UTF8.self).trimmingSpaces
            if trimmed.isEmpty { w.appendRaw("null") } else { w.appendString(trimmed) }
        }
        /// `EventDecoder.list` of the cell as a JSON array of strings.
        func appendList(_ field: EventField, to w: inout JSONWriter) {
            withCell(field) { c in appendList(c, to: &w) }
        }
        func appendList(_ c: UnsafeRawBufferPointer?, to w: inout JSONWriter) {
            guard let c, let first = c.first, let last = c.last else { return w.appendRaw("[]") }
            if isPlain(first), isPlain(last), first != UInt8(ascii: "["), !c.contains(UInt8(ascii: ";")) {
                w.appendByte(UInt8(ascii: "["))
                w.appendString(utf8: c.assumingMemoryBound(to: UInt8.self))
                w.appendByte(UInt8(ascii: "]"))
            } else if Self.listItems(c) {
                w.appendByte(UInt8(ascii: "["))
                var first = true
                _ = Self.listItems(c) { item in
                    if !first { w.appendByte(UInt8(ascii: ",")) }
                    first = false
                    w.appendString(utf8: item.assumingMemoryBound(to: UInt8.self))
                }
                w.appendByte(UInt8(ascii: "]"))
            } else {
                EventEncoder.appendStrings(EventDecoder.list(.string(String(decoding: c, as: UTF8.self))), to: &w)
            }
        }

        var idEnd: Int?
        var w = JSONWriter()
        swap(&w, &written)
        defer { swap(&w, &written) }
        w.removeAll(keepingCapacity: true)
        w.appendRaw("{\"event_id\":")
        appendValue(.eventID, to: &w)
        // After `{"event_id":` (12 bytes), a string or null.
        if w.last == UInt8(ascii: "\"") { idEnd = w.count }
        let actors = steps.appendProperties(time: row.time, types: row.types, geoPrecision: row.geoPrecision, country: row.country,
                               fatalities: row.fatalities, bytes: cell, value: { field in cell(field).map { .string(String(decoding: $0, as: UTF8.self)) } },
                               appendText: { appendValue($0, to: &$1) }, appendList: { appendList($0, to: &$1) }, to: &w)
        let side = styled ? steps.sideName(actors) : ""
        for (j, (k, _, integer)) in extraColumns.enumerated() {
            w.append(contentsOf: extraMemberStarts[j])
            // As `EventReader.decodeCSV` keeps an extra cell: untrimmed, null when empty; ACLED's
            // integer columns as integers when they read as one.
            withText(ofCell: k) { c in
                if c.isEmpty {
                    w.appendRaw("null")
                } else if integer, let n = Self.integer(c) {
                    w.appendInteger(n)
                } else {
                    w.appendString(utf8: c.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        if countryNameCell >= 0, let name = Self.countryName(cell(.country)) {
            w.appendRaw(",\"country_name\":")
            w.appendString(name)
        }
        w.appendByte(UInt8(ascii: "}"))
        return (row, idEnd, side)
    }

    /// A plain row that `writesText` as its event's line of the project's CSV, written to
    /// `written` as `EventEncoder.appendCSVLine` writes it for the event the full decoder makes
    /// of it, with the extra columns given at `init` (`EventWriter`'s columns); nil as `text`.
    mutating func csvLine(in buffer: UnsafeRawBufferPointer, at start: Int) -> Row? {
        guard writesText, let row = row(in: buffer, at: start), row.plainCasualtiesAndMatch, keepsUploadTime(row, in: buffer) else { return nil }
        let text = RowCells(buffer: buffer, layout: layout)
        var w = JSONWriter()
        swap(&w, &written)
        defer { swap(&w, &written) }
        w.removeAll(keepingCapacity: true)
        text.appendText(.eventID, to: &w)
        steps.appendCSVCells(time: row.time, types: row.types, latitude: row.latitude, longitude: row.longitude,
                             geoPrecision: row.geoPrecision, country: row.country, fatalities: row.fatalities, bytes: text.cell,
                             value: text.value, appendText: { text.appendText($0, to: &$1) },
                             appendList: { text.appendList($0, joinedBy: ";", to: &$1) }, to: &w)
        for extra in csvExtraCells {
            w.appendByte(UInt8(ascii: ","))
            text.appendExtra(extra, to: &w)
        }
        w.appendByte(UInt8(ascii: "\n"))
        return row
    }

    /// A plain row that `writesText` as its event's line of ACLED's export layout
    /// (`EventReader.acledColumns`), written to `written` as `ACLEDLayout.cells` writes it for the
    /// event the full decoder makes of it, countries named by `init`'s `acledCountryName` unless
    /// the row is ACLED's and names its own; nil as `csvLine`, and for every row of a table
    /// that is not ACLED's but has a `country_name` column (the event's name of its country).
    mutating func acledLine(in buffer: UnsafeRawBufferPointer, at start: Int) -> Row? {
        guard let countryName = acledCountryName, writesText, countryNameCell >= 0 || !extraNames.contains(EventReader.countryNameProperty),
              let row = row(in: buffer, at: start), row.plainCasualtiesAndMatch, keepsUploadTime(row, in: buffer) else { return nil }
        let text = RowCells(buffer: buffer, layout: layout)
        var w = JSONWriter()
        swap(&w, &written)
        defer { swap(&w, &written) }
        w.removeAll(keepingCapacity: true)
        for (n, column) in acledCells.enumerated() {
            if n > 0 { w.appendByte(UInt8(ascii: ",")) }
            switch column {
            case .id: text.appendText(.eventID, to: &w)
            case .time: steps.appendACLEDTime(row.time, to: &w)
            case .types: steps.appendACLEDTypes(row.types, to: &w)
            case .actor1: steps.appendACLEDActor1(bytes: text.cell, value: text.value, to: &w)
            case .text(let field): text.appendText(field, to: &w)
            case .list(let field): text.appendList(field, joinedBy: "; ", to: &w)
            case .country:
                // An ACLED table's own name (`country_name`, its cell trimmed) first.
                let named = countryNameCell >= 0 ? Self.countryName(text.cell(.country)) : nil
                steps.appendACLEDCountry(named: named, code: row.country, countryName: countryName, to: &w)
            case .latitude: PlainEventSteps.appendCoordinate(row.latitude, to: &w)
            case .longitude: PlainEventSteps.appendCoordinate(row.longitude, to: &w)
            case .geoPrecision: if let g = row.geoPrecision { w.appendInteger(Int64(g)) }
            case .fatalities: w.appendInteger(Int64(row.fatalities ?? 0))
            case .extra(let extra): text.appendExtra(extra, to: &w)
            }
        }
        w.appendByte(UInt8(ascii: "\n"))
        return row
    }

    /// An ACLED column of the lines `acledLine` writes, as `ACLEDLayout.cells` writes it: `time`
    /// stands for `event_date`, `year` and `time_precision`, `types` for `event_type` and
    /// `sub_event_type`.
    private enum ACLEDCell {
        case id, time, types, actor1, country, latitude, longitude, geoPrecision, fatalities
        case text(EventField), list(EventField), extra(ExtraCell)
    }

    /// `ACLEDLayout`'s columns as `ACLEDCell`s, the extra ones by `extraCell`.
    private static func acledLayout(extraCell: (String) -> ExtraCell) -> [ACLEDCell] {
        ACLEDLayout.layout.compactMap { cell -> ACLEDCell? in
            switch cell {
            case .eventID: .id
            case .date: .time
            case .year, .precision, .subEventType: nil  // written with the cell before
            case .eventType: .types
            case .actor1: .actor1
            case .actor2: .text(.actor2)
            case .country: .country
            case .admin1: .text(.admin1)
            case .location: .text(.location)
            case .latitude: .latitude
            case .longitude: .longitude
            case .geoPrecision: .geoPrecision
            case .source: .list(.sources)
            case .notes: .text(.notes)
            case .fatalities: .fatalities
            case .tags: .list(.tags)
            case .extra(let column): .extra(extraCell(column))
            }
        }
    }

    /// A row's cells as `csvLine` and `acledLine` write them. (The layout's pointers, not the
    /// layout: a class, retained and released at each call.)
    private struct RowCells {
        let buffer: UnsafeRawBufferPointer
        let cells: UnsafeMutablePointer<Int>, cellOf: UnsafeMutablePointer<Int>, quoting: UnsafeMutablePointer<UInt8>

        init(buffer: UnsafeRawBufferPointer, layout: CellLayout) {
            self.buffer = buffer
            (cells, cellOf, quoting) = (layout.cells, layout.cellOf, layout.quoting)
        }

        /// A cell `row` checked: never with a doubled quote.
        func cell(_ field: EventField) -> UnsafeRawBufferPointer? {
            let k = cellOf[field.ordinal]
            return k < 0 ? nil : UnsafeRawBufferPointer(rebasing: buffer[cells[2 * k]..<cells[2 * k + 1]])
        }

        /// A checked cell as the full decoder reads it.
        func value(_ field: EventField) -> JSONValue? { cell(field).map { .string(String(decoding: $0, as: UTF8.self)) } }

        /// `EventDecoder.text` of cell `k` (a doubled quote read as one) as its CSV cell.
        func appendCell(_ k: Int, to w: inout JSONWriter) {
            TableScanner.withCellText(buffer, k, cells: cells, quoting: quoting) { PlainEventSteps.appendTextCell($0, to: &w) }
        }

        func appendText(_ field: EventField, to w: inout JSONWriter) {
            let k = cellOf[field.ordinal]
            if k >= 0 { appendCell(k, to: &w) }
        }

        /// `EventDecoder.list` of the cell, its items joined by `joiner` (`;` as
        /// `EventEncoder.listText` joins items without one, `; ` as ACLED does), as its CSV cell.
        func appendList(_ field: EventField, joinedBy joiner: String, to w: inout JSONWriter) {
            let k = cellOf[field.ordinal]
            guard k >= 0 else { return }
            let c = UnsafeRawBufferPointer(rebasing: buffer[cells[2 * k]..<cells[2 * k + 1]])
            guard let first = c.first, let last = c.last else { return }
            if quoting[k] != 2, PlainEventSteps.isPlain(first), PlainEventSteps.isPlain(last), first != UInt8(ascii: "["),
               !c.contains(UInt8(ascii: ";")) {
                return CSV.appendField(c.assumingMemoryBound(to: UInt8.self), to: &w)  // one item, as it is
            }
            // Items joined (an item of a `;` list holds none).
            let joined = TableScanner.withCellText(buffer, k, cells: cells, quoting: quoting) { text -> [UInt8]? in
                guard TableScanner.listItems(text) else { return nil }
                var joined: [UInt8] = []
                _ = TableScanner.listItems(text) { item in
                    if !joined.isEmpty { joined.append(contentsOf: joiner.utf8) }
                    joined.append(contentsOf: item)
                }
                return joined
            }
            if let joined {
                joined.withUnsafeBufferPointer { CSV.appendField($0, to: &w) }
                return
            }
            let text = TableScanner.withCellText(buffer, k, cells: cells, quoting: quoting) { String(decoding: $0, as: UTF8.self) }
            CSV.appendField(PlainEventSteps.listCell(EventDecoder.list(.string(text)), joinedBy: joiner), to: &w)
        }

        /// An extra column's cell.
        func appendExtra(_ extra: ExtraCell, to w: inout JSONWriter) {
            switch extra {
            case .none: break
            case .text(let k): appendCell(k, to: &w)
            case .integer(let k):
                // `EventDecoder.text` of the integer, else of the text.
                let n = TableScanner.withCellText(buffer, k, cells: cells, quoting: quoting) { $0.isEmpty ? nil : TableScanner.integer($0) }
                if let n { w.appendInteger(n) } else { appendCell(k, to: &w) }
            case .countryName: if let name = TableScanner.countryName(cell(.country)) { CSV.appendField(name, to: &w) }
            }
        }
    }

    /// `body` of cell `k`'s text in the row `layout` holds, a doubled quote read as one.
    /// (The layout's pointers, not the layout: a class, retained and released at each call.)
    @inline(__always)
    private static func withCellText<R>(_ buffer: UnsafeRawBufferPointer, _ k: Int, cells: UnsafeMutablePointer<Int>,
                                        quoting: UnsafeMutablePointer<UInt8>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let raw = UnsafeRawBufferPointer(rebasing: buffer[cells[2 * k]..<cells[2 * k + 1]])
        guard quoting[k] == 2 else { return body(raw) }
        var unquoted: [UInt8] = []
        unquoted.reserveCapacity(raw.count)
        var j = 0
        while j < raw.count {
            unquoted.append(raw[j])
            j += raw[j] == 0x22 ? 2 : 1
        }
        return unquoted.withUnsafeBytes(body)
    }

    /// What an event summary counts of the plain row `row(in:at:)` read last (`PlainRowValues`):
    /// its types and side given with their entry numbers when `scanning` has not handed them
    /// over before (entry 0 every time).
    mutating func values(of row: Row, in buffer: UnsafeRawBufferPointer, scanning: PlainRowScanning) -> PlainRowValues {
        let (cells, cellOf) = (layout.cells, layout.cellOf)
        let base = buffer.baseAddress!
        func cell(_ field: EventField) -> UnsafeRawBufferPointer? {
            let k = cellOf[field.ordinal]
            return k < 0 ? nil : UnsafeRawBufferPointer(start: base + cells[2 * k], count: cells[2 * k + 1] - cells[2 * k])
        }
        func value(_ field: EventField) -> JSONValue? { cell(field).map { .string(String(decoding: $0, as: UTF8.self)) } }
        let side = steps.actorEntry(cell(.actor1), cell(.actor1Reported), cell(.actorSide), cell(.actorMatch), value: value)
        let (date, end) = steps.dates(row.time)
        return PlainRowValues(date: date, dateEnd: end, timePrecision: row.interval.precision, timeEntry: row.time,
                              newTime: scanning.isNew(row.time, in: &scanning.handedTimes),
                              typeEntry: row.types, types: scanning.isNew(row.types, in: &scanning.handedTypes) ? steps.typePair(row.types) : nil,
                              sideEntry: side, side: scanning.isNew(side, in: &scanning.handedSides) ? steps.sideName(side) : nil,
                              country: row.country, fatalities: row.fatalities, geoPrecision: row.geoPrecision)
    }

    /// `Int64(text.trimmingSpaces)` of a cell, as `EventReader.decodeCSV` reads ACLED's
    /// integer columns: one to eighteen digits read here, anything else by `Int64`.
    static func integer(_ cell: UnsafeRawBufferPointer) -> Int64? {
        if !cell.isEmpty, cell.count <= 18 {
            var n: Int64 = 0
            var digits = true
            for b in cell {
                guard b >= 0x30, b <= 0x39 else {
                    digits = false
                    break
                }
                n = n * 10 + Int64(b - 0x30)
            }
            if digits { return n }
        }
        return Int64(String(decoding: cell, as: UTF8.self).trimmingSpaces)
    }

    /// `EventDecoder.list` of a cell of `;`-separated text from its bytes: each item, trimmed,
    /// to `body` (empty ones dropped); returns whether the cell is that plain case. It is not
    /// when, trimmed, it starts with `[` (a JSON array), when a `;` stands next to a byte beyond
    /// ASCII (which `String` may make one character with it), or when the cell or an item begins
    /// or ends with white space beyond ASCII: the full way reads those. Items before the one
    /// that says so have been given, so a writer asks first without `body`.
    static func listItems(_ cell: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void = { _ in }) -> Bool {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        var low = 0, high = cell.count
        while low < high, isSpace(cell[low]) { low += 1 }
        while high > low, isSpace(cell[high - 1]) { high -= 1 }
        if low == high { return true }
        let text = UnsafeRawBufferPointer(rebasing: cell[low..<high])
        guard UTF8Text.hasNoSpaceAtEnds(text), cell[low] != UInt8(ascii: "[") else { return false }
        var start = low
        var k = low
        while k <= high {
            guard k == high || cell[k] == UInt8(ascii: ";") else {
                k += 1
                continue
            }
            if k < high {
                guard k == low || cell[k - 1] < 0x80, k + 1 == high || cell[k + 1] < 0x80 else { return false }
            }
            var (a, b) = (start, k)
            while a < b, isSpace(cell[a]) { a += 1 }
            while b > a, isSpace(cell[b - 1]) { b -= 1 }
            if a < b {
                let item = UnsafeRawBufferPointer(rebasing: cell[a..<b])
                guard UTF8Text.hasNoSpaceAtEnds(item) else { return false }
                body(item)
            }
            start = k + 1
            k += 1
        }
        return true
    }

    /// The `country_name` an ACLED row's event keeps: its `country` cell trimmed, nil when empty.
    static func countryName(_ cell: UnsafeRawBufferPointer?) -> String? {
        guard let cell, !cell.isEmpty else { return nil }
        let name = String(decoding: cell, as: UTF8.self).trimmingSpaces
        return name.isEmpty ? nil : name
    }

    /// A cell as `Double(text)` reads it, from its digits (`PlainDecimal`); nil for any other
    /// cell (the decoder's own `number` then reads it).
    static func plainDecimal(_ cell: UnsafeRawBufferPointer) -> Double? { PlainDecimal.value(cell) }

    /// A cell of one to nine digits as the count `EventDecoder.decodeFatalities` reads from it.
    static func plainCount(_ cell: UnsafeRawBufferPointer) -> Int? {
        guard !cell.isEmpty, cell.count <= 9 else { return nil }
        var n = 0
        for b in cell {
            guard b >= 0x30, b <= 0x39 else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        return n
    }

    /// Splits the record at `start` into `layout`'s cells (a quoted cell by its text between the
    /// quotes, marked in its `quoting`); the offset past its line end, the lines it spans and
    /// whether a cell holds a doubled quote, or nil when it is not one plain record of
    /// `fieldCount` cells (then the CSV reader reads it).
    private func split(_ buffer: UnsafeRawBufferPointer, at start: Int) -> (end: Int, lines: Int, escaped: Bool)? {
        Self.split(buffer, at: start, separator: separator, fieldCount: fieldCount, limits: limits,
                   cells: UnsafeMutableBufferPointer(start: layout.cells, count: 2 * fieldCount),
                   quoting: UnsafeMutableBufferPointer(start: layout.quoting, count: fieldCount))
    }

    /// `split(_:at:)` into `cells` (2 × `fieldCount`) and `quoting` (`fieldCount`), sixteen bytes
    /// at a time: each block's separators, line ends, quotes and CRs as the bits of one mask
    /// (`bitmask`), taken lowest first. The last block of the input is read into zeros.
    private static func split(_ buffer: UnsafeRawBufferPointer, at start: Int, separator: UInt8, fieldCount: Int, limits: CSV.Limits,
                              cells: UnsafeMutableBufferPointer<Int>, quoting: UnsafeMutableBufferPointer<UInt8>)
        -> (end: Int, lines: Int, escaped: Bool)? {
        guard let base = buffer.baseAddress else { return nil }
        let n = buffer.count
        // Constants made here: a `static let` is read through `swift_once` at each call.
        let separators = SIMD16<UInt8>(repeating: separator)
        let newlines = SIMD16<UInt8>(repeating: UInt8(ascii: "\n")), quotes = SIMD16<UInt8>(repeating: UInt8(ascii: "\""))
        let returns = SIMD16<UInt8>(repeating: UInt8(ascii: "\r"))
        let lanes = SIMD16<UInt8>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        var cellCount = 0
        var cellStart = start
        var lines = 1
        var escaped = false
        /// Whether the current cell is quoted (its bounds set at its opening quote).
        var quotedCell = false
        /// The OR of the record's bytes read in blocks (a byte at or above 0x80 needs the UTF-8 check).
        var seen = SIMD16<UInt8>(repeating: 0)
        var lineEnd = n
        var i = start
        blocks: while i < n {
            var block = SIMD16<UInt8>(repeating: 0)
            if i + 16 <= n {
                block = (base + i).loadUnaligned(as: SIMD16<UInt8>.self)
            } else {
                withUnsafeMutableBytes(of: &block) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base + i, count: n - i)) }
            }
            var stops = Self.bitmask(block .== separators .| block .== newlines .| block .== quotes .| block .== returns)
            while stops != 0 {
                let k = stops.trailingZeroBitCount
                let at = i + k
                let b = base.load(fromByteOffset: at, as: UInt8.self)
                if b == separator {
                    guard cellCount < fieldCount - 1 else { return nil }
                    if !quotedCell { (cells[2 * cellCount], cells[2 * cellCount + 1], quoting[cellCount]) = (cellStart, at, 0) }
                    quotedCell = false
                    cellCount += 1
                    cellStart = at + 1
                } else if b == UInt8(ascii: "\n") {
                    // Only the bytes before the line end are the record's.
                    seen |= block.replacing(with: 0, where: lanes .>= SIMD16<UInt8>(repeating: UInt8(k)))
                    lineEnd = at
                    break blocks
                } else if b == UInt8(ascii: "\"") {
                    // A quoted cell ("" inside stands for a quote); a quote inside an unquoted cell,
                    // a quote never closed or text after the closing one is the reader's.
                    guard at == cellStart, let close = Self.closingQuote(buffer, after: at) else { return nil }
                    let after = close.offset + 1
                    guard after == n || buffer[after] == separator || buffer[after] == UInt8(ascii: "\n")
                        || (buffer[after] == UInt8(ascii: "\r") && (after + 1 == n || buffer[after + 1] == UInt8(ascii: "\n"))) else { return nil }
                    lines += EventReader.lineEnds(in: buffer, from: at + 1, to: close.offset)
                    (cells[2 * cellCount], cells[2 * cellCount + 1], quoting[cellCount]) = (at + 1, close.offset, close.escaped ? 2 : 1)
                    escaped = escaped || close.escaped
                    quotedCell = true
                    seen |= SIMD16<UInt8>(repeating: 0x80)  // its text is checked as UTF-8 with the record's
                    i = after
                    continue blocks
                } else {
                    // A CR only before the line end (the reader drops it); any other is the reader's.
                    guard at + 1 == n || base.load(fromByteOffset: at + 1, as: UInt8.self) == UInt8(ascii: "\n") else { return nil }
                }
                stops &= stops &- 1
            }
            seen |= block
            i += 16
        }
        let end = lineEnd < n ? lineEnd + 1 : n
        let contentEnd = lineEnd > start && buffer[lineEnd - 1] == UInt8(ascii: "\r") ? lineEnd - 1 : lineEnd
        // A blank line is skipped by the reader.
        guard contentEnd > start, cellCount == fieldCount - 1, end - start <= limits.recordBytes else { return nil }
        if !quotedCell { (cells[2 * cellCount], cells[2 * cellCount + 1], quoting[cellCount]) = (cellStart, max(cellStart, contentEnd), 0) }
        // A record shorter than a field's limit has no cell at it.
        if end - start >= limits.fieldBytes {
            for k in 0..<fieldCount where cells[2 * k + 1] - cells[2 * k] >= limits.fieldBytes { return nil }
        }
        let halves = unsafeBitCast(seen, to: SIMD2<UInt64>.self)
        if (halves[0] | halves[1]) & 0x8080_8080_8080_8080 != 0,
           !UTF8Text.isWellFormed(UnsafeRawBufferPointer(rebasing: buffer[start..<contentEnd])) { return nil }
        return (end, lines, escaped)
    }

    /// The quote that closes the quoted cell opening at `open`, and whether a doubled quote
    /// came before it; nil when none does.
    private static func closingQuote(_ buffer: UnsafeRawBufferPointer, after open: Int) -> (offset: Int, escaped: Bool)? {
        guard let base = buffer.baseAddress else { return nil }
        var j = open + 1
        var escaped = false
        while j < buffer.count {
            guard let found = memchr(base + j, 0x22, buffer.count - j) else { return nil }
            let q = UnsafeRawPointer(found) - base
            if q + 1 < buffer.count, buffer[q + 1] == 0x22 {
                escaped = true
                j = q + 2
                continue
            }
            return (q, escaped)
        }
        return nil
    }

    /// Bit k set when lane k of `mask` is: each half's high bits gathered by one multiply
    /// (bit 8j + 7 times 2^(7(7 − j)) lands on bit 56 + j, no two products overlapping).
    @inline(__always)
    static func bitmask(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt32 {
        let halves = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        let low = ((halves[0] & 0x8080_8080_8080_8080) &* 0x0002_0408_1020_4081) >> 56
        let high = ((halves[1] & 0x8080_8080_8080_8080) &* 0x0002_0408_1020_4081) >> 56
        return UInt32(truncatingIfNeeded: low | high << 8)
    }
}

/// A `TableScanner`'s cells: which cell each project field is read from (-1: none, by
/// `EventField.ordinal`), and the current row's cell bounds (start and end of cell k at 2k and
/// 2k + 1, a quoted cell's text between its quotes) and quoting (0 unquoted, 1 quoted, 2 quoted
/// with a doubled quote inside). Held by pointers, which the scanner's steps read without the
/// retain and release of an array copied for them; one scanner's own.
final class CellLayout {
    let cellOf: UnsafeMutablePointer<Int>
    let cells: UnsafeMutablePointer<Int>
    let quoting: UnsafeMutablePointer<UInt8>

    init(cellOf given: [Int], fieldCount: Int) {
        cellOf = .allocate(capacity: given.count)
        cellOf.initialize(from: given, count: given.count)
        cells = .allocate(capacity: 2 * fieldCount)
        cells.initialize(repeating: 0, count: 2 * fieldCount)
        quoting = .allocate(capacity: fieldCount)
        quoting.initialize(repeating: 0, count: fieldCount)
    }

    deinit {
        cellOf.deallocate()
        cells.deallocate()
        quoting.deallocate()
    }
}

/// A worker of `EventReader.forEachRowInParallel` that also takes the plain rows of a CSV table
/// as text (`geo convert` to GeoJSON): each row `TableScanner.text` writes is checked by
/// `checkGiven` (as `locate` would check it) and handed to `add(plainRow:)`; every other row,
/// and any row `checkGiven` refuses, comes to `add(_:)` as an `EventRow`, as without text.
public protocol PlainRowWorker: EventRowWorker {
    /// Whether this worker takes rows as text now (its writer writes GeoJSON), and the
    /// `timestamp` the text is to carry.
    var plainRowTimestamp: EventTimestamp? { get }
    /// Whether the rows taken as text are styled (`SimpleStyle`, by `PlainRowText.actorSide`
    /// and `fatalities`); false unless a worker says otherwise.
    var plainRowsStyled: Bool { get }
    /// Throws when `locate` would refuse an event with these coordinates and country code; an
    /// event with coordinates `locate` accepts, it leaves as it is.
    func checkGiven(country: String, latitude: Double, longitude: Double) throws
    func add(plainRow: PlainRowText)
    /// Moves the feature indices of the rows added since the last delivery by `offset` (rows of
    /// a part of a collection, read before the index of its first member was known).
    func offsetFeatureIndices(by offset: Int)
    /// The worker's scanner, kept for it by the reader.
    var plainRowScanning: PlainRowScanning { get }
    /// Whether this worker takes plain rows and features as values (`add(plainValues:)`), to
    /// count them, rather than as text; false unless a worker says otherwise.
    var takesPlainRowValues: Bool { get }
    /// A plain table row or GeoJSON feature that `checkGiven` accepted, as values (when
    /// `takesPlainRowValues`).
    func add(plainValues: PlainRowValues)
    /// Whether this worker takes plain rows and features as lines (`add(plainCSVLine:)`, `geo
    /// convert` to CSV or ACLED's layout), and which; nil (the default) when it takes none.
    var plainLines: PlainLines? { get }
    /// A plain table row or GeoJSON feature that `checkGiven` accepted, as the line its event
    /// is written as (`plainLines`), with its line end (borrowed: valid during the call).
    func add(plainCSVLine: UnsafeRawBufferPointer)
}

extension PlainRowWorker {
    public var plainRowsStyled: Bool { false }
    public var takesPlainRowValues: Bool { false }
    public func add(plainValues: PlainRowValues) {
        preconditionFailure("a worker that takes no plain rows as values was handed one")
    }
    public var plainLines: PlainLines? { nil }
    public func add(plainCSVLine: UnsafeRawBufferPointer) {
        preconditionFailure("a worker that takes no plain rows as CSV lines was handed one")
    }
}

/// The lines a `PlainRowWorker` takes plain rows and features as.
public enum PlainLines: Sendable {
    /// The project's CSV (`EventEncoder.appendCSVLine`), with these extra columns after the
    /// project's: from table rows and GeoJSON features.
    case csv(extraColumns: [String])
    /// ACLED's export layout (`ACLEDLayout`), countries named by `countryName` unless the event
    /// names its own (`country_name`): from table rows and GeoJSON features.
    case acled(countryName: @Sendable (String) -> String?)
}

/// What an event summary counts of a plain table row or GeoJSON feature: the values
/// `EventDecoder.decode` gives its event. Its dates, types and side are also numbered by entry
/// (the same number, the same values, within one worker's reading); the type pair and the side
/// are given only the first time the worker is handed their number, and every time for number
/// 0 (an entry the scanner's memo could not keep), which is to be counted by its values alone.
/// `newTime` says the same of the date entry.
public struct PlainRowValues: Sendable {
    public var date: EventDate
    public var dateEnd: EventDate?
    public var timePrecision: TimePrecision
    public var timeEntry: Int32
    public var newTime: Bool
    public var typeEntry: Int32
    /// Event type and sub-event type.
    public var types: (String, String)?
    public var sideEntry: Int32
    public var side: String?
    /// ISO 3166-1 alpha-2 code, "" when not given.
    public var country: String
    public var fatalities: Int?
    public var geoPrecision: Int?
}

/// What a `PlainRowWorker`'s table scanner is made for: feature text, values or CSV lines.
enum TableScannerUse: Equatable {
    case text, styledText, values, csvLines, acledLines
}

/// A `PlainRowWorker`'s scanner and its memos, from chunk to chunk.
public final class PlainRowScanning: @unchecked Sendable {
    /// The scanner of the table read last (`useTable`).
    var scanner: TableScanner?
    /// The header, separator and kind of the table `scanner` was made for: it reads cells by
    /// their place under that header, so another table (the next input of a conversion) gets
    /// a scanner of its own.
    private var scannerTable: (header: [String]?, separator: UInt8, isACLED: Bool, use: TableScannerUse)?
    /// For GeoJSON inputs, made on first use.
    var features: FeatureTextScanner?
    /// The date, types and side entries handed over as values so far, by number.
    var handedTimes: [Bool] = [], handedTypes: [Bool] = [], handedSides: [Bool] = []
    /// The keys each memo of a table's scanner keeps (a test makes it small).
    let memoLimit: Int

    public init(memoLimit: Int = 100_000) {
        self.memoLimit = memoLimit
    }

    /// Makes `scanner` the scanner of `rows`' table for `use`, made by `make` for the first
    /// table and for each table whose header, separator, kind or use is not the last one's (nil: the rows are read
    /// by the full path). A new scanner numbers its entries afresh, so the entries handed over
    /// are forgotten too: a worker that counts by entry number must have counted the last
    /// table's before its next table is read (an event summary's workers read one input).
    func useTable(_ rows: EventReader.CSVRows, for use: TableScannerUse, make: () -> TableScanner?) {
        if let table = scannerTable, table.header == rows.header, table.separator == rows.separator, table.isACLED == rows.isACLED,
           table.use == use {
            return
        }
        scanner = make()
        scannerTable = (rows.header, rows.separator, rows.isACLED, use)
        (handedTimes, handedTypes, handedSides) = ([], [], [])
    }

    /// Whether entry `number` is handed over for the first time (always for 0), marking it.
    func isNew(_ number: Int32, in handed: inout [Bool]) -> Bool {
        let k = Int(number)
        guard k > 0 else { return true }
        if k >= handed.count { handed += [Bool](repeating: false, count: k + 1 - handed.count) }
        if handed[k] { return false }
        handed[k] = true
        return true
    }
}

extension EventReader {
    /// `readChunk` for a `PlainRowWorker` taking rows as text.
    static func readPlainRows(_ buffer: UnsafeRawBufferPointer, rows: CSVRows, from start: Int, line: Int, stoppingAt stop: Int,
                              worker: some PlainRowWorker, timestamp: EventTimestamp) -> ChunkEnd {
        let scanning = worker.plainRowScanning
        let styled = worker.plainRowsStyled
        scanning.useTable(rows, for: styled ? .styledText : .text) { TableScanner(rows, timestamp: timestamp, styled: styled) }
        var rows = rows
        var i = start
        var line = line
        while i < stop {
            if let (row, idEnd, side) = scanning.scanner?.text(in: buffer, at: i),
               (try? worker.checkGiven(country: row.country, latitude: row.latitude, longitude: row.longitude)) != nil {
                PlainRowText.withText(scanning.scanner!.written, idEnd: idEnd, longitude: row.longitude, latitude: row.latitude,
                                      actorSide: side, fatalities: row.fatalities) {
                    worker.add(plainRow: $0)
                }
                i = row.end
                line += row.lines
                continue
            }
            // One record (or blank line) as without text: a refused row gets its problem there.
            guard readRecord(buffer, rows: &rows, at: &i, line: &line, add: worker.add) else { return ChunkEnd(offset: -1, line: line) }
        }
        return ChunkEnd(offset: i, line: line)
    }

    /// `readChunk` for a `PlainRowWorker` taking rows as `lines`.
    static func readPlainCSVLines(_ buffer: UnsafeRawBufferPointer, rows: CSVRows, from start: Int, line: Int, stoppingAt stop: Int,
                                  worker: some PlainRowWorker, lines: PlainLines) -> ChunkEnd {
        let scanning = worker.plainRowScanning
        let acled: Bool
        switch lines {
        case .csv(let extraColumns):
            acled = false
            scanning.useTable(rows, for: .csvLines) { TableScanner(rows, timestamp: .none, csvExtraColumns: extraColumns) }
        case .acled(let countryName):
            acled = true
            scanning.useTable(rows, for: .acledLines) {
                TableScanner(rows, timestamp: .none, acledCountryName: countryName, memoLimit: scanning.memoLimit)
            }
        }
        var rows = rows
        var i = start
        var line = line
        while i < stop {
            if let row = acled ? scanning.scanner?.acledLine(in: buffer, at: i) : scanning.scanner?.csvLine(in: buffer, at: i),
               (try? worker.checkGiven(country: row.country, latitude: row.latitude, longitude: row.longitude)) != nil {
                scanning.scanner!.written.withUnsafeBytes { worker.add(plainCSVLine: $0) }
                i = row.end
                line += row.lines
                continue
            }
            // One record (or blank line) as without text: a refused row gets its problem there.
            guard readRecord(buffer, rows: &rows, at: &i, line: &line, add: worker.add) else { return ChunkEnd(offset: -1, line: line) }
        }
        return ChunkEnd(offset: i, line: line)
    }

    /// `readChunk` for a `PlainRowWorker` taking rows as values: plain rows that `checkGiven`
    /// accepts to `add(plainValues:)`, every other row as without values.
    static func readPlainRowValues(_ buffer: UnsafeRawBufferPointer, rows: CSVRows, from start: Int, line: Int, stoppingAt stop: Int,
                                   worker: some PlainRowWorker) -> ChunkEnd {
        let scanning = worker.plainRowScanning
        scanning.useTable(rows, for: .values) { TableScanner(rows, memoLimit: scanning.memoLimit) }
        var rows = rows
        var i = start
        var line = line
        while i < stop {
            if let row = scanning.scanner?.row(in: buffer, at: i),
               (try? worker.checkGiven(country: row.country, latitude: row.latitude, longitude: row.longitude)) != nil,
               let values = scanning.scanner?.values(of: row, in: buffer, scanning: scanning) {
                worker.add(plainValues: values)
                i = row.end
                line += row.lines
                continue
            }
            // One record (or blank line) as without values: a refused row gets its problem there.
            guard readRecord(buffer, rows: &rows, at: &i, line: &line, add: worker.add) else { return ChunkEnd(offset: -1, line: line) }
        }
        return ChunkEnd(offset: i, line: line)
    }

    /// The record (or blank line) at `i` read by the CSV reader (the header is read already, so
    /// it does not throw), its row handed to `add`; `i` and `line` moved past it. False only if
    /// the reader threw, which recovering reading does not.
    static func readRecord(_ buffer: UnsafeRawBufferPointer, rows: inout CSVRows, at i: inout Int, line: inout Int,
                           add: (EventRow) -> Void) -> Bool {
        var rowsCopy = rows
        let next: Int
        do {
            next = try CSV.forEachRecord(in: buffer, separator: rows.separator, recovering: true, from: i, line: line,
                                         stoppingAt: i + 1) { (record) throws(CSV.ParseError) in
                if let row = try? rowsCopy.row(for: record) { add(row) }
            }
        } catch {
            return false
        }
        rows = rowsCopy
        line += lineEnds(in: buffer, from: i, to: next)
        i = next
        return true
    }
}
