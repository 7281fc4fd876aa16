import Foundation
import GeoCore

/// A plain GeoJSON feature (found by `FeatureScanner`) written as its event's feature text,
/// without making the event: what `geo convert` of a GeoJSON or GeoJSONSeq input to GeoJSON
/// does for a million features.
///
/// A feature is plain when its properties text is verbatim (`ScannedFeature.propertiesVerbatim`:
/// compact, the writer's own escapes only, no nested object), every member is a project field
/// or a `timestamp` (or, for `text` unstyled and `csvLine`, any other property), it has no
/// fatality claims and no geocoder match, and every step of `EventDecoder.decode` that can
/// refuse an event accepts it: those steps run on the values as the full decoder reads them,
/// their answers kept by the values' bytes (`PlainEventSteps`). Text values are copied when
/// `EventDecoder.text` would keep them as they are (and hold no escape); any other value is
/// read and written the full way. Any other feature is left
/// to the full decoder (`text` returns nil), so the features read and refused are the same
/// either way.
///
/// One per thread (it keeps its memos).
struct FeatureTextScanner {
    private var steps: PlainEventSteps

    /// (`memoLimit`: the keys each memo of the steps keeps; a test makes it small.)
    init(decoder: EventDecoder, timestamp: EventTimestamp, memoLimit: Int = 100_000) {
        steps = PlainEventSteps(decoder: decoder, timestamp: timestamp, memoLimit: memoLimit)
    }

    /// The properties text of the feature `text` read last.
    private(set) var written = JSONWriter()
    /// Whether features written as text are to be styled: `text` then gives their `actor_side`.
    var styled = false

    /// What `EventDecoder.decode` makes of a plain feature's fields that can refuse it: its
    /// date and types entries (`PlainEventSteps`), country code, geo precision and fatalities.
    struct Plain {
        var time: PlainEventSteps.EntryNumber
        var types: PlainEventSteps.EntryNumber
        var country: String
        var geoPrecision: Int?
        var fatalities: Int?
        /// Members that are project fields or `timestamp` (the others are its own properties).
        var located: Int
    }

    /// The extra columns `csvLine` writes and the texts that find their members, made on its
    /// first call.
    private var csvExtras: (names: [String], patterns: MemberPatterns, none: [JSONValue?])?

    /// The fields of `scanned` that can refuse its event, as the full decoder reads them; nil
    /// when it is not plain (not verbatim, other members unless `allowingExtras`, claims or a
    /// match) or a step refuses it.
    mutating func plain(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, allowingExtras: Bool = false) -> Plain? {
        guard scanned.propertiesVerbatim, scanned.propertiesRange != nil,
              let located = Self.locatedMembers(scanned, in: buffer, anyTimestamp: allowingExtras),
              allowingExtras || located == scanned.memberCount else { return nil }
        func bytes(_ field: EventField) -> UnsafeRawBufferPointer? { scanned.valueText(field.ordinal, in: buffer) }
        /// The value as the full decoder reads it (the scan checked its text).
        func value(_ field: EventField) -> JSONValue? { scanned.value(field.ordinal, in: buffer) }
        func isNull(_ text: UnsafeRawBufferPointer?) -> Bool { text.map { $0.count == 4 && $0[0] == UInt8(ascii: "n") } ?? true }
        let decoder = steps.decoder
        guard let time = steps.time(bytes(.eventDate), bytes(.dateEnd), bytes(.timePrecision), value: value),
              let types = steps.types(bytes(.eventType), bytes(.subEventType), value: value),
              let country = steps.country(bytes(.country), value: value) else { return nil }
        let geoPrecision: Int?
        let fatalities: Int?
        do {
            let given = bytes(.geoPrecision)
            if isNull(given) {
                geoPrecision = nil
            } else if let given, given.count == 1, given[0] >= UInt8(ascii: "1"), given[0] <= UInt8(ascii: "3") {
                geoPrecision = Int(given[0] - UInt8(ascii: "0"))
            } else {
                geoPrecision = try decoder.decodeGeoPrecision(value)
            }
            let claims = bytes(.fatalityClaims)
            if isNull(claims) || claims!.elementsEqual("[]".utf8), let given = bytes(.fatalities), let count = TableScanner.plainCount(given) {
                fatalities = count
            } else {
                let casualties = try decoder.decodeCasualties(value)
                // Claims are objects, never in a verbatim text (nor as escaped JSON text): a guard only.
                guard casualties.claims.isEmpty else { return nil }
                fatalities = casualties.fatalities
            }
            if !isNull(bytes(.matchName)), try decoder.decodeMatch(value) != nil { return nil }
        } catch {
            return nil
        }
        return Plain(time: time, types: types, country: country, geoPrecision: geoPrecision, fatalities: fatalities, located: located)
    }

    /// What an event summary counts of the plain feature `scanned` (`plain` gave `plain`), as
    /// `TableScanner.values` gives it for a table row: its types and side given with their entry
    /// numbers when `scanning` has not handed them over before (entry 0 every time).
    mutating func values(of plain: Plain, _ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer,
                         scanning: PlainRowScanning) -> PlainRowValues {
        func bytes(_ field: EventField) -> UnsafeRawBufferPointer? { scanned.valueText(field.ordinal, in: buffer) }
        /// The value as the full decoder reads it (the scan checked its text).
        func value(_ field: EventField) -> JSONValue? { scanned.value(field.ordinal, in: buffer) }
        let side = steps.actorEntry(bytes(.actor1), bytes(.actor1Reported), bytes(.actorSide), bytes(.actorMatch), value: value)
        let (date, end) = steps.dates(plain.time)
        return PlainRowValues(date: date, dateEnd: end, timePrecision: steps.interval(plain.time).precision, timeEntry: plain.time,
                              newTime: scanning.isNew(plain.time, in: &scanning.handedTimes),
                              typeEntry: plain.types,
                              types: scanning.isNew(plain.types, in: &scanning.handedTypes) ? steps.typePair(plain.types) : nil,
                              sideEntry: side, side: scanning.isNew(side, in: &scanning.handedSides) ? steps.sideName(side) : nil,
                              country: plain.country, fatalities: plain.fatalities, geoPrecision: plain.geoPrecision)
    }

    /// The feature `scanned` (read from `buffer`), its event's properties text written to
    /// `written` (`EventEncoder.appendProperties`), with the end of its `id`'s text there
    /// (`PlainRowText.withText`; nil when the event id is empty), the country code its point
    /// is to be checked against, its `actor_side` when `styled` ("" otherwise) and its
    /// fatalities; nil when it is not plain.
    ///
    /// Unless `styled` (a style reads and sets members by name), its members that are not
    /// project fields are copied after the project's, in input order, as the event keeps them
    /// (`extraMembers`); a `timestamp` that is an input's own (a number or boolean other than
    /// geo's milliseconds) among them, in its place, and none derived after the dates.
    mutating func text(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer)
        -> (idEnd: Int?, country: String, side: String, fatalities: Int?)? {
        guard let plain = plain(scanned, in: buffer, allowingExtras: !styled) else { return nil }
        let stampIndex = Self.located.count - 1
        var keepsOwnStamp = false
        if !styled, let stampText = scanned.valueText(stampIndex, in: buffer), stampText[0] != UInt8(ascii: "\""),
           stampText[0] != UInt8(ascii: "n") {
            guard let stamp = scanned.value(stampIndex, in: buffer) else { return nil }
            keepsOwnStamp = !EventTimestamp.isDerived(stamp, startSeconds: steps.startSeconds(time: plain.time))
        }
        func bytes(_ field: EventField) -> UnsafeRawBufferPointer? { scanned.valueText(field.ordinal, in: buffer) }
        /// The value as the full decoder reads it (the scan checked its text).
        func value(_ field: EventField) -> JSONValue? { scanned.value(field.ordinal, in: buffer) }
        func isNull(_ text: UnsafeRawBufferPointer?) -> Bool { text.map { $0.count == 4 && $0[0] == UInt8(ascii: "n") } ?? true }
        /// The text of a string without escapes that `trimmingSpaces` keeps as it is.
        func plainString(_ text: UnsafeRawBufferPointer) -> Bool {
            text.count > 2 && text[0] == UInt8(ascii: "\"") && PlainEventSteps.isPlain(text[1]) && PlainEventSteps.isPlain(text[text.count - 2])
                && Self.unescaped(text, scanned)
        }
        var w = JSONWriter()
        swap(&w, &written)
        defer { swap(&w, &written) }
        w.removeAll(keepingCapacity: true)
        w.appendRaw("{\"event_id\":")
        var idEnd: Int?
        if let given = bytes(.eventID), plainString(given) {
            w.append(contentsOf: given)
            idEnd = w.count
        } else {
            // As `EventReader.decodeScanned`: the feature's `id` stands in for a null or absent one.
            var id = value(.eventID)
            if id == nil || id == .null, let featureID = scanned.id(in: buffer) { id = EventReader.eventID(featureID) }
            let text = EventDecoder.text(id)
            if text.isEmpty {
                w.appendRaw("null")
            } else {
                w.appendString(text)
                idEnd = w.count
            }
        }
        func appendText(_ field: EventField, to w: inout JSONWriter) {
            guard let given = bytes(field), !isNull(given) else { return w.appendRaw("null") }
            if plainString(given) { return w.append(contentsOf: given) }
            let text = EventDecoder.text(value(field))
            if text.isEmpty { w.appendRaw("null") } else { w.appendString(text) }
        }
        func appendList(_ field: EventField, to w: inout JSONWriter) {
            guard let given = bytes(field), !isNull(given) else { return w.appendRaw("[]") }
            if Self.unescaped(given, scanned), Self.plainStrings(given) { return w.append(contentsOf: given) }
            EventEncoder.appendStrings(EventDecoder.list(value(field)), to: &w)
        }
        let actors = steps.appendProperties(time: plain.time, types: plain.types, geoPrecision: plain.geoPrecision, country: plain.country,
                                            fatalities: plain.fatalities, stamped: !keepsOwnStamp, bytes: bytes, value: value,
                                            appendText: appendText, appendList: appendList, to: &w)
        if !styled, scanned.memberCount > plain.located || keepsOwnStamp {
            guard extraMembers(scanned, in: buffer, keepingStamp: keepsOwnStamp, to: &w) else { return nil }
        }
        w.appendByte(UInt8(ascii: "}"))
        return (idEnd, plain.country, styled ? steps.sideName(actors) : "", plain.fatalities)
    }

    /// Offsets of the located values of the feature `extraMembers` reads, in order (kept from
    /// feature to feature).
    private var sortedStarts: [Int] = []

    /// The members of the verbatim properties of `scanned` that are not project fields,
    /// `,"name":value` each in input order, appended to `w` (`timestamp` among them when
    /// `keepingStamp`); false when the text cannot be read so.
    private mutating func extraMembers(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, keepingStamp: Bool,
                                       to w: inout JSONWriter) -> Bool {
        guard let range = scanned.propertiesRange, let base = buffer.baseAddress else { return false }
        sortedStarts.removeAll(keepingCapacity: true)
        for start in scanned.valueStarts.dropLast() where start >= 0 { sortedStarts.append(start) }
        sortedStarts.sort()
        let stampStart = scanned.valueStarts.last ?? -1
        var next = 0
        return sortedStarts.withUnsafeBufferPointer { starts in
            PointFeatureText.forEachMember(in: UnsafeRawBufferPointer(rebasing: buffer[range])) { name, value in
                let start = base.distance(to: value.baseAddress!)
                while next < starts.count, starts[next] < start { next += 1 }
                if next < starts.count, starts[next] == start { return }
                if start == stampStart, !keepingStamp { return }
                w.appendByte(UInt8(ascii: ","))
                w.appendByte(UInt8(ascii: "\""))
                w.append(contentsOf: name)
                w.appendRaw("\":")
                w.append(contentsOf: value)
            }
        }
    }

    /// The feature `scanned` as its event's line of the project's CSV, written to `written` as
    /// `EventEncoder.appendCSVLine` writes it, with the cells of `extraColumns` (the same names
    /// every call) after the project's: each extra member's value as the event keeps it, found
    /// by its name's text (`MemberPatterns`), empty when the feature has none; a `timestamp`
    /// cell is empty (geo's own or null, which the event does not keep). Also the country code
    /// its point is to be checked against. Nil when it is not plain, when it has a member that
    /// is not a column, or when its `timestamp` is not the one geo derives from its dates (the
    /// event keeps that one: the full path writes it).
    mutating func csvLine(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, extraColumns: [String]) -> String? {
        guard let (plain, extraValues, keptStamp) = lineParts(scanned, in: buffer, extraColumns: extraColumns, everyMember: true) else { return nil }
        let cells = FeatureCells(scanned: scanned, buffer: buffer)
        var w = JSONWriter()
        swap(&w, &written)
        defer { swap(&w, &written) }
        w.removeAll(keepingCapacity: true)
        cells.appendID(to: &w)
        steps.appendCSVCells(time: plain.time, types: plain.types, latitude: scanned.latitude, longitude: scanned.longitude,
                             geoPrecision: plain.geoPrecision, country: plain.country, fatalities: plain.fatalities, bytes: cells.bytes,
                             value: cells.value, appendText: { cells.appendText($0, to: &$1) },
                             appendList: { cells.appendList($0, joinedBy: ";", to: &$1) }, to: &w)
        for k in extraColumns.indices {
            w.appendByte(UInt8(ascii: ","))
            if extraColumns[k] == EventTimestamp.property {
                if let keptStamp { CSV.appendField(EventDecoder.text(keptStamp), to: &w) }
            } else if let value = extraValues?[k] {
                CSV.appendField(EventDecoder.text(value), to: &w)
            }
        }
        w.appendByte(UInt8(ascii: "\n"))
        return plain.country
    }

    /// The feature `scanned` as its event's line of ACLED's export layout, written to `written`
    /// as `ACLEDLayout.cells` writes it: the country its `country_name` (a string), else
    /// `countryName` of its code, else the code. Also the country code its point is to be
    /// checked against. Nil as `csvLine`, but for members that are not ACLED's columns (which
    /// the layout does not write).
    mutating func acledLine(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, countryName: (String) -> String?) -> String? {
        guard let (plain, extraValues, keptStamp) = lineParts(scanned, in: buffer, extraColumns: Self.acledExtraNames, everyMember: false) else {
            return nil
        }
        let cells = FeatureCells(scanned: scanned, buffer: buffer)
        var w = JSONWriter()
        swap(&w, &written)
        defer { swap(&w, &written) }
        w.removeAll(keepingCapacity: true)
        for (n, (cell, extra)) in Self.acledCells.enumerated() {
            switch cell {
            case .year, .precision, .subEventType: continue  // written with the cell before
            default: if n > 0 { w.appendByte(UInt8(ascii: ",")) }
            }
            switch cell {
            case .eventID: cells.appendID(to: &w)
            case .date: steps.appendACLEDTime(plain.time, to: &w)
            case .year, .precision, .subEventType: break
            case .eventType: steps.appendACLEDTypes(plain.types, to: &w)
            case .actor1: steps.appendACLEDActor1(bytes: cells.bytes, value: cells.value, to: &w)
            case .actor2: cells.appendText(.actor2, to: &w)
            case .country:
                steps.appendACLEDCountry(named: extraValues?[Self.acledExtraNames.count - 1]?.stringValue, code: plain.country,
                                         countryName: countryName, to: &w)
            case .admin1: cells.appendText(.admin1, to: &w)
            case .location: cells.appendText(.location, to: &w)
            case .latitude: PlainEventSteps.appendCoordinate(scanned.latitude, to: &w)
            case .longitude: PlainEventSteps.appendCoordinate(scanned.longitude, to: &w)
            case .geoPrecision: if let g = plain.geoPrecision { w.appendInteger(Int64(g)) }
            case .source: cells.appendList(.sources, joinedBy: "; ", to: &w)
            case .notes: cells.appendText(.notes, to: &w)
            case .fatalities: w.appendInteger(Int64(plain.fatalities ?? 0))
            case .tags: cells.appendList(.tags, joinedBy: "; ", to: &w)
            case .extra(let name):
                if name == EventTimestamp.property {
                    if let keptStamp { CSV.appendField(EventDecoder.text(keptStamp), to: &w) }
                } else if let value = extraValues?[extra] {
                    CSV.appendField(EventDecoder.text(value), to: &w)
                }
            }
        }
        w.appendByte(UInt8(ascii: "\n"))
        return plain.country
    }

    /// The extra columns an event written in ACLED's layout reads: ACLED's columns that are not
    /// the project's fields (`ACLEDLayout`), then `country_name`.
    static let acledExtraNames: [String] = ACLEDLayout.layout.compactMap { cell -> String? in
        if case .extra(let name) = cell { name } else { nil }
    } + [EventReader.countryNameProperty]

    /// ACLED's columns, each extra one with its index in `acledExtraNames` (-1 for the others).
    private static let acledCells: [(ACLEDLayout.Cell, Int)] = ACLEDLayout.layout.map { cell in
        if case .extra(let name) = cell { (cell, acledExtraNames.firstIndex(of: name)!) } else { (cell, -1) }
    }

    /// What `csvLine` and `acledLine` write a feature from: its plain fields, the values of
    /// `extraColumns` as the event keeps them (nil when it has no member beyond the project's
    /// and `timestamp`), and the input's own `timestamp` the event keeps (a number that is not
    /// the one geo derives; only when `extraColumns` has a `timestamp`). Nil when the feature is
    /// not plain, has a member that is not a column (when `everyMember`: a verbatim text names
    /// each member once, without escapes, so the columns' values are found whatever else it
    /// holds), or a `timestamp` the event keeps otherwise.
    private mutating func lineParts(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, extraColumns: [String], everyMember: Bool)
        -> (plain: Plain, extraValues: [JSONValue?]?, keptStamp: JSONValue?)? {
        guard let plain = plain(scanned, in: buffer, allowingExtras: true) else { return nil }
        var extraValues: [JSONValue?]?
        if let located = Self.locatedMembers(scanned, in: buffer, anyTimestamp: true), located < scanned.memberCount {
            if csvExtras == nil || csvExtras!.names != extraColumns {
                csvExtras = (extraColumns, MemberPatterns(extraColumns), Array(repeating: nil, count: extraColumns.count))
            }
            guard let range = scanned.propertiesRange,
                  let values = csvExtras!.patterns.values(in: buffer, range: range, empty: csvExtras!.none) else { return nil }
            var found = 0
            for k in values.indices where values[k] != nil && extraColumns[k] != EventTimestamp.property { found += 1 }
            guard located + found == scanned.memberCount || !everyMember else { return nil }
            extraValues = values
        }
        let cells = FeatureCells(scanned: scanned, buffer: buffer)
        // The event drops geo's own timestamp (text or milliseconds) and keeps an input's own
        // number (ACLED's upload time), written in its column; other text goes the full way.
        var keptStamp: JSONValue?
        if let stampText = scanned.valueText(Self.located.count - 1, in: buffer), !FeatureCells.isNull(stampText) {
            if let stamp = cells.inner(stampText) {
                guard steps.isDerivedStamp(stamp, time: plain.time) else { return nil }
            } else {
                guard let value = scanned.value(Self.located.count - 1, in: buffer), value.stringValue == nil else { return nil }
                if !EventTimestamp.isDerived(value, startSeconds: steps.startSeconds(time: plain.time)) {
                    guard extraColumns.contains(EventTimestamp.property) else { return nil }
                    keptStamp = value
                }
            }
        }
        return (plain, extraValues, keptStamp)
    }

    /// A plain feature's members as `csvLine` and `acledLine` read them.
    private struct FeatureCells {
        let scanned: ScannedFeature
        let buffer: UnsafeRawBufferPointer

        func bytes(_ field: EventField) -> UnsafeRawBufferPointer? { scanned.valueText(field.ordinal, in: buffer) }
        /// The value as the full decoder reads it (the scan checked its text).
        func value(_ field: EventField) -> JSONValue? { scanned.value(field.ordinal, in: buffer) }
        static func isNull(_ text: UnsafeRawBufferPointer?) -> Bool { text.map { $0.count == 4 && $0[0] == UInt8(ascii: "n") } ?? true }
        /// A string's text without its quotes, when it has no escapes (its value, as it is).
        func inner(_ text: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
            guard text.count >= 2, text[0] == UInt8(ascii: "\""), FeatureTextScanner.unescaped(text, scanned) else { return nil }
            return UnsafeRawBufferPointer(rebasing: text[1..<(text.count - 1)])
        }

        /// `event_id`'s cell.
        func appendID(to w: inout JSONWriter) {
            if let given = bytes(.eventID), let text = inner(given) {
                PlainEventSteps.appendTextCell(text, to: &w)
            } else {
                // As `EventReader.decodeScanned`: the feature's `id` stands in for a null or absent one.
                var id = value(.eventID)
                if id == nil || id == .null, let featureID = scanned.id(in: buffer) { id = EventReader.eventID(featureID) }
                CSV.appendField(EventDecoder.text(id), to: &w)
            }
        }

        /// `EventDecoder.text` of a text field as its cell.
        func appendText(_ field: EventField, to w: inout JSONWriter) {
            guard let given = bytes(field), !Self.isNull(given) else { return }
            if let text = inner(given) { return PlainEventSteps.appendTextCell(text, to: &w) }
            CSV.appendField(EventDecoder.text(value(field)), to: &w)
        }

        /// `EventDecoder.list` of a list field, its items joined by `joiner` (`;` as
        /// `EventEncoder.listText` joins items without one, `; ` as ACLED does), as its cell.
        func appendList(_ field: EventField, joinedBy joiner: String, to w: inout JSONWriter) {
            guard let given = bytes(field), !Self.isNull(given) else { return }
            if FeatureTextScanner.unescaped(given, scanned), FeatureTextScanner.plainStrings(given), !given.contains(UInt8(ascii: ";")),
               !given.contains(UInt8(ascii: ",")) {
                // No item, or one kept as it is with nothing to escape (no comma, and a string
                // without escapes holds no quote or line end): its text, `["` and `"]` dropped.
                if given.count > 2 { w.append(contentsOf: UnsafeRawBufferPointer(rebasing: given[2..<(given.count - 2)])) }
                return
            }
            CSV.appendField(PlainEventSteps.listCell(EventDecoder.list(value(field)), joinedBy: joiner), to: &w)
        }
    }

    /// The names `EventReader.plainFeatures` locates: the project's fields by `EventField.ordinal`,
    /// then `timestamp`.
    static let located: [String] = {
        let fields = EventField.allCases.sorted { $0.ordinal < $1.ordinal }
        precondition(fields.map(\.ordinal) == Array(fields.indices), "EventField.ordinal numbers the fields from 0")
        return fields.map(\.rawValue) + [EventTimestamp.property]
    }()

    /// How many members of a feature scanned by `EventReader.plainFeatures` are project fields
    /// or its `timestamp` (the others are extra properties: only `csvLine` writes them, the
    /// full path keeps them); nil when another scanner scanned it, or, unless `anyTimestamp`,
    /// when its `timestamp` is not a string or null (geo's own, written again from the dates).
    private static func locatedMembers(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, anyTimestamp: Bool = false) -> Int? {
        let starts = scanned.valueStarts
        guard starts.count == located.count else { return nil }
        var found = 0
        for start in starts where start >= 0 { found += 1 }
        if !anyTimestamp, let timestamp = starts.last, timestamp >= 0, buffer[timestamp] != UInt8(ascii: "\""), buffer[timestamp] != UInt8(ascii: "n") {
            return nil
        }
        return found
    }

    /// Whether a key's value text of `scanned` holds no escape, so that its bytes are its value's
    /// (`ScannedFeature.keyValuesEscaped`: the plain-feature scanner keeps the writer's escapes).
    @inline(__always)
    static func unescaped(_ text: UnsafeRawBufferPointer, _ scanned: ScannedFeature) -> Bool {
        !scanned.keyValuesEscaped || text.isEmpty || memchr(text.baseAddress!, Int32(UInt8(ascii: "\\")), text.count) == nil
    }

    /// Whether a verbatim array text holds only strings that `EventDecoder.list` keeps as they
    /// are (each non-empty, nothing to trim), so that it is written back the same.
    static func plainStrings(_ text: UnsafeRawBufferPointer) -> Bool {
        guard text.count >= 2, text[0] == UInt8(ascii: "[") else { return false }
        if text.count == 2 { return true }
        var i = 1
        while true {
            guard text[i] == UInt8(ascii: "\""), i + 2 < text.count, text[i + 1] != UInt8(ascii: "\""),
                  PlainEventSteps.isPlain(text[i + 1]) else { return false }
            var j = i + 1
            while text[j] != UInt8(ascii: "\"") { j += 1 }
            guard PlainEventSteps.isPlain(text[j - 1]) else { return false }
            i = j + 1
            if text[i] == UInt8(ascii: "]") { return i == text.count - 1 }
            guard text[i] == UInt8(ascii: ",") else { return false }
            i += 1
        }
    }
}

extension EventReader {
    /// Hands a scanned feature of a GeoJSON input to a `PlainRowWorker` as text
    /// (`FeatureTextScanner.text`) when it is plain and `checkGiven` accepts its point; false
    /// otherwise (it is then read as a row, as without text).
    static func addFeatureText(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, worker: some PlainRowWorker,
                               timestamp: EventTimestamp, decoder: EventDecoder) -> Bool {
        let scanning = worker.plainRowScanning
        if scanning.features == nil {
            scanning.features = FeatureTextScanner(decoder: decoder, timestamp: timestamp)
            scanning.features!.styled = worker.plainRowsStyled
        }
        guard let (idEnd, country, side, fatalities) = scanning.features?.text(scanned, in: buffer),
              (try? worker.checkGiven(country: country, latitude: scanned.latitude, longitude: scanned.longitude)) != nil else { return false }
        PlainRowText.withText(scanning.features!.written, idEnd: idEnd, longitude: scanned.longitude, latitude: scanned.latitude,
                              actorSide: side, fatalities: fatalities) {
            worker.add(plainRow: $0)
        }
        return true
    }

    /// Hands a scanned feature of a GeoJSON input to a `PlainRowWorker` as a CSV line with the
    /// cells of `extraColumns` (`FeatureTextScanner.csvLine`) when it is plain and
    /// `checkGiven` accepts its point; false otherwise (it is then read as a row).
    static func addFeatureCSVLine(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, worker: some PlainRowWorker,
                                  extraColumns: [String], decoder: EventDecoder) -> Bool {
        let scanning = worker.plainRowScanning
        if scanning.features == nil { scanning.features = FeatureTextScanner(decoder: decoder, timestamp: .none) }
        guard let country = scanning.features?.csvLine(scanned, in: buffer, extraColumns: extraColumns),
              (try? worker.checkGiven(country: country, latitude: scanned.latitude, longitude: scanned.longitude)) != nil else { return false }
        scanning.features!.written.withUnsafeBytes { worker.add(plainCSVLine: $0) }
        return true
    }

    /// Hands a scanned feature of a GeoJSON input to a `PlainRowWorker` as a line of ACLED's
    /// layout (`FeatureTextScanner.acledLine`) when it is plain and `checkGiven` accepts its
    /// point; false otherwise (it is then read as a row).
    static func addFeatureACLEDLine(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, worker: some PlainRowWorker,
                                    countryName: (String) -> String?, decoder: EventDecoder) -> Bool {
        let scanning = worker.plainRowScanning
        if scanning.features == nil { scanning.features = FeatureTextScanner(decoder: decoder, timestamp: .none, memoLimit: scanning.memoLimit) }
        guard let country = scanning.features?.acledLine(scanned, in: buffer, countryName: countryName),
              (try? worker.checkGiven(country: country, latitude: scanned.latitude, longitude: scanned.longitude)) != nil else { return false }
        scanning.features!.written.withUnsafeBytes { worker.add(plainCSVLine: $0) }
        return true
    }

    /// Hands a scanned feature of a GeoJSON input to a `PlainRowWorker` that takes values
    /// (`FeatureTextScanner.values`) when it is plain and `checkGiven` accepts its point; false
    /// otherwise (it is then read as a row, as without values).
    static func addFeatureValues(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, worker: some PlainRowWorker,
                                 decoder: EventDecoder) -> Bool {
        let scanning = worker.plainRowScanning
        if scanning.features == nil { scanning.features = FeatureTextScanner(decoder: decoder, timestamp: .none, memoLimit: scanning.memoLimit) }
        guard let plain = scanning.features?.plain(scanned, in: buffer),
              (try? worker.checkGiven(country: plain.country, latitude: scanned.latitude, longitude: scanned.longitude)) != nil,
              let values = scanning.features?.values(of: plain, scanned, in: buffer, scanning: scanning) else { return false }
        worker.add(plainValues: values)
        return true
    }
}
