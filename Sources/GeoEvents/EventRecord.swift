import GeoCore
import OrderedCollections

/// The project's field names, in the order the project's CSV and GeoJSON properties use.
public enum EventField: String, CaseIterable, Sendable {
    case eventID = "event_id"
    case eventDate = "event_date"
    case dateEnd = "date_end"
    case timePrecision = "time_precision"
    case eventType = "event_type"
    case subEventType = "sub_event_type"
    case eventTypeReported = "event_type_reported"
    case actor1
    case actor1Reported = "actor1_reported"
    case actor2
    case actorSide = "actor_side"
    case actorMatch = "actor_match"
    case target
    case location
    case latitude
    case longitude
    case geoPrecision = "geo_precision"
    case country
    case admin1
    case fatalities
    case fatalityClaims = "fatality_claims"
    case sources
    case notes
    case tags
    case matchName = "match_name"
    case matchScore = "match_score"
    case matchSource = "match_source"
    case matchID = "match_id"
    case matchApproximate = "match_approximate"
    case matchAlternatives = "match_alternatives"
    case matchFallback = "match_fallback"

    /// The columns of the project's CSV, in order.
    public static let csvColumns: [String] = allCases.map(\.rawValue)

    static let names: Set<String> = Set(allCases.map(\.rawValue))

    /// The field named by these UTF-8 bytes, without making a String (`init(rawValue:)`'s answer).
    init?(utf8 name: UnsafeRawBufferPointer) {
        guard name.count < Self.byLength.count else { return nil }
        for (bytes, field) in Self.byLength[name.count] where bytes.elementsEqual(name) {
            self = field
            return
        }
        return nil
    }

    /// The fields' names as bytes, by length.
    private static let byLength: [[([UInt8], EventField)]] = {
        var table = [[([UInt8], EventField)]](repeating: [], count: allCases.map(\.rawValue.utf8.count).max()! + 1)
        for field in allCases { table[field.rawValue.utf8.count].append((Array(field.rawValue.utf8), field)) }
        return table
    }()
}

/// Why an input row did not become an event. The raw value is the code written to rejects files.
public enum RejectReason: String, Sendable, CaseIterable {
    case missingDate = "missing_date"
    case unparseableDate = "unparseable_date"
    case impossibleDate = "impossible_date"
    case ambiguousDate = "ambiguous_date"
    case badTimePrecision = "bad_time_precision"
    case unknownEventType = "unknown_event_type"
    case badNumber = "bad_number"
    case badFatalityClaims = "bad_fatality_claims"
    case incompleteCoordinates = "incomplete_coordinates"
    case coordinatesOutOfRange = "coordinates_out_of_range"
    case swappedCoordinates = "swapped_coordinates"
    case outsideCountry = "outside_country"
    case badGeoPrecision = "bad_geo_precision"
    case unknownCountry = "unknown_country"
    case emptyPlace = "empty_place"
    case unresolvedPlace = "unresolved_place"
    case notAPoint = "not_a_point"
    case malformedRow = "malformed_row"
    case malformedFeature = "malformed_feature"
}

/// A row that could not be read, with its reason.
public struct RowProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: RejectReason
    public var message: String

    public init(_ reason: RejectReason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(reason.rawValue): \(message)" }
}

/// Turns one input record (field name → value, after any column mapping) into an `Event`.
///
/// Values may be JSON values (GeoJSON properties) or strings (CSV cells): numbers are
/// accepted as numbers or numeric text, lists as arrays, JSON text or `;`-separated text.
/// Names this decoder does not know go to `Event.extra` in input order.
public struct EventDecoder: Sendable {
    public var dateParser: DateParser
    /// Maps a country name or code to ISO 3166-1 alpha-2; nil means unknown. Without it,
    /// two-letter codes are accepted as they are.
    public var countryCode: (@Sendable (String) -> String?)?
    /// Plain wording for event types; without it only ACLED's names are accepted.
    public var vocabulary: EventTypeVocabulary?
    /// Fills an empty `actor_side` from `actor1` (and records `actor_match`); without it sides
    /// are taken as given.
    public var actors: ActorList?
    /// Replace `actor1` by the matched canonical name, keeping the given one in `actor1_reported`.
    public var normaliseActors: Bool

    public init(dateParser: DateParser = DateParser(), countryCode: (@Sendable (String) -> String?)? = nil,
                vocabulary: EventTypeVocabulary? = nil, actors: ActorList? = nil, normaliseActors: Bool = false) {
        self.dateParser = dateParser
        self.countryCode = countryCode
        self.vocabulary = vocabulary
        self.actors = actors
        self.normaliseActors = normaliseActors
    }

    public func decode(_ fields: OrderedDictionary<String, JSONValue>) throws(RowProblem) -> Event {
        try decode(EventFields(fields))
    }

    /// `decode(_:)` for fields already sorted into the project's and the others (the CSV path).
    ///
    /// The steps that can refuse a row (`decodeTime`, `eventTypes`, `decodeCoordinates`,
    /// `decodeGeoPrecision`, `decodeCountry`, `decodeCasualties`, `decodeMatch`) are also what
    /// `TableScanner` applies to plain table rows, so both readings refuse the same rows.
    public func decode(_ fields: EventFields) throws(RowProblem) -> Event {
        func text(_ field: EventField) -> String { EventDecoder.text(fields[field]) }
        let value = { (field: EventField) in fields[field] }

        let (date, end, precision) = try decodeTime(fields)
        let (types, typeWording) = try eventTypes(eventType: text(.eventType), subEventType: text(.subEventType))

        let (actor1, actor1Reported, actorSide, actorMatch) = actorFields(
            actor1: text(.actor1), actor1Reported: text(.actor1Reported), actorSide: text(.actorSide), actorMatch: text(.actorMatch))

        let coordinates = try decodeCoordinates(value)
        let geoPrecision = try decodeGeoPrecision(value)
        let country = try decodeCountry(value)
        let (claims, fatalities) = try decodeCasualties(value)
        let match = try decodeMatch(value)

        var extra = fields.extra
        // A timestamp geo wrote is derived from the dates and written again from them; an
        // input's own (ACLED's upload time) is data and stays.
        if let stamp = extra[EventTimestamp.property],
           EventTimestamp.isDerived(stamp, startSeconds: EventTimestamp.startSeconds(date: date, end: end, precision: precision)) {
            extra.removeValue(forKey: EventTimestamp.property)
        }

        return Event(
            eventID: text(.eventID), date: date, dateEnd: end, timePrecision: precision,
            eventType: types.0, subEventType: types.1, eventTypeReported: typeWording ?? text(.eventTypeReported),
            actor1: actor1, actor1Reported: actor1Reported, actor2: text(.actor2),
            actorSide: actorSide, actorMatch: actorMatch, target: text(.target), location: text(.location),
            latitude: coordinates?.latitude, longitude: coordinates?.longitude, geoPrecision: geoPrecision,
            country: country, admin1: text(.admin1), fatalities: fatalities, fatalityClaims: claims,
            sources: EventDecoder.list(fields[.sources]), notes: text(.notes),
            tags: EventDecoder.list(fields[.tags]), match: match, extra: extra
        )
    }

    /// `actor1`, `actor1_reported`, `actor_side` and `actor_match` from the given ones (trimmed
    /// text): with `actors`, an empty side is filled from the matched actor (`unknown` when none
    /// matches) and the match recorded; with `normaliseActors`, actor1 becomes the match's name.
    func actorFields(actor1 given: String, actor1Reported: String, actorSide: String, actorMatch: String)
        -> (actor1: String, actor1Reported: String, actorSide: String, actorMatch: String) {
        var (actor1, actor1Reported, actorSide, actorMatch) = (given, actor1Reported, actorSide, actorMatch)
        if let actors, !actor1.isEmpty, actorMatch.isEmpty {
            if let match = actors.match(actor1) {
                actorMatch = match.canonicalName
                if actorSide.isEmpty { actorSide = match.side }
                if normaliseActors, actor1 != actorMatch {
                    actor1Reported = actor1
                    actor1 = actorMatch
                }
            } else if actorSide.isEmpty {
                actorSide = "unknown"
            }
        }
        return (actor1, actor1Reported, actorSide, actorMatch)
    }

    /// ACLED's event type and sub-event type for the given ones (trimmed text), mapped through
    /// the vocabulary when ACLED's names do not match; with the wording mapped (for
    /// `event_type_reported`), nil when ACLED's names matched.
    func eventTypes(eventType: String, subEventType: String) throws(RowProblem) -> (pair: (String, String), wording: String?) {
        switch EventTaxonomy.resolve(eventType: eventType, subEventType: subEventType) {
        case .success(let pair): return (pair, nil)
        case .failure(let error):
            let (pair, wording) = try mapWording(eventType: eventType, subEventType: subEventType, error)
            return (pair, wording)
        }
    }

    /// `latitude` and `longitude` (numbers or numeric text), both or neither, within range; nil
    /// when neither is given.
    func decodeCoordinates(_ value: (EventField) -> JSONValue?) throws(RowProblem) -> (latitude: Double, longitude: Double)? {
        let latitude = try number(value(.latitude), "latitude", reason: .badNumber)
        let longitude = try number(value(.longitude), "longitude", reason: .badNumber)
        if (latitude == nil) != (longitude == nil) {
            throw RowProblem(.incompleteCoordinates, latitude == nil ? "longitude given without latitude" : "latitude given without longitude")
        }
        guard let latitude, let longitude else { return nil }
        try EventDecoder.checkRange(latitude: latitude, longitude: longitude)
        return (latitude, longitude)
    }

    /// `geo_precision`: 1, 2 or 3; nil when empty.
    func decodeGeoPrecision(_ value: (EventField) -> JSONValue?) throws(RowProblem) -> Int? {
        let given = EventDecoder.text(value(.geoPrecision))
        if given.isEmpty { return nil }
        guard let g = Int(given), (1...3).contains(g) else {
            throw RowProblem(.badGeoPrecision, "geo_precision must be 1, 2 or 3, got '\(given)'")
        }
        return g
    }

    /// `country` as an ISO 3166-1 alpha-2 code (through `countryCode` when set); "" when empty.
    func decodeCountry(_ value: (EventField) -> JSONValue?) throws(RowProblem) -> String {
        let country = EventDecoder.text(value(.country))
        if country.isEmpty { return country }
        if let resolve = countryCode {
            guard let code = resolve(country) else { throw RowProblem(.unknownCountry, "unknown country '\(country)'") }
            return code
        }
        guard country.count == 2, country.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic && $0.isASCII }) else {
            throw RowProblem(.unknownCountry, "country must be an ISO 3166-1 alpha-2 code, got '\(country)'")
        }
        return country.uppercased()
    }

    /// `fatality_claims`, and `fatalities` (the lowest claimed figure when not given).
    func decodeCasualties(_ value: (EventField) -> JSONValue?) throws(RowProblem) -> (claims: [FatalityClaim], fatalities: Int?) {
        let claims = try fatalityClaims(value(.fatalityClaims))
        let fatalities = try decodeFatalities(value(.fatalities))
        return (claims, fatalities ?? Event.conservativeFatalities(claims))
    }

    /// The geocoder's match kept in `match_*`; nil when `match_name` is empty.
    func decodeMatch(_ value: (EventField) -> JSONValue?) throws(RowProblem) -> LocationMatch? {
        func text(_ field: EventField) -> String { EventDecoder.text(value(field)) }
        let matchName = text(.matchName)
        if matchName.isEmpty { return nil }
        let score = try number(value(.matchScore), "match_score", reason: .badNumber) ?? 0
        let approximate = text(.matchApproximate).lowercased()
        guard ["", "true", "false", "1", "0"].contains(approximate) else {
            throw RowProblem(.badNumber, "match_approximate must be true or false, got '\(text(.matchApproximate))'")
        }
        return LocationMatch(name: matchName, score: score, source: text(.matchSource), gazetteerID: text(.matchID),
                             approximate: approximate == "true" || approximate == "1",
                             alternatives: EventDecoder.list(value(.matchAlternatives)),
                             fallbackBasis: text(.matchFallback))
    }

    /// Maps plain wording through the vocabulary when ACLED's names did not match: the event
    /// type column's wording (an ACLED sub-event type beside it must belong to the mapped type),
    /// or the sub-event type column's wording under a given ACLED event type. Returns the pair
    /// and the wording as given.
    /// The event's date, last day and precision from `event_date`, `date_end` and
    /// `time_precision`: the one rule every reader of events applies (a `date_end` before
    /// `event_date` is refused; a declared precision coarser than the date's own wins).
    public func decodeTime(_ fields: OrderedDictionary<String, JSONValue>) throws(RowProblem) -> (date: EventDate, end: EventDate?, precision: TimePrecision) {
        try decodeTime { fields[$0.rawValue] }
    }

    func decodeTime(_ fields: EventFields) throws(RowProblem) -> (date: EventDate, end: EventDate?, precision: TimePrecision) {
        try decodeTime { fields[$0] }
    }

    func decodeTime(_ value: (EventField) -> JSONValue?) throws(RowProblem) -> (date: EventDate, end: EventDate?, precision: TimePrecision) {
        func text(_ field: EventField) -> String { EventDecoder.text(value(field)) }
        let dateText = text(.eventDate)
        if dateText.isEmpty { throw RowProblem(.missingDate, "event_date is empty") }
        let parsed = try parseDate(dateText, field: "event_date")
        var end: EventDate?
        let endText = text(.dateEnd)
        if !endText.isEmpty {
            end = try parseDate(endText, field: "date_end").date
            if let e = end, e < parsed.date.dayOnly {
                throw RowProblem(.impossibleDate, "date_end \(e.iso) is before event_date \(parsed.date.iso)")
            }
        }
        var precision = parsed.precision
        let precisionText = text(.timePrecision)
        if !precisionText.isEmpty {
            guard let n = Int(precisionText), let declared = TimePrecision(rawValue: n) else {
                throw RowProblem(.badTimePrecision, "time_precision must be 1 (day), 2 (week) or 3 (month), got '\(precisionText)'")
            }
            precision = max(precision, declared)
        }
        return (parsed.date, end, precision)
    }

    /// `fatalities` as a whole number ≥ 0 (number or numeric text), nil when absent or empty.
    public func decodeFatalities(_ fields: OrderedDictionary<String, JSONValue>) throws(RowProblem) -> Int? {
        try decodeFatalities(fields[EventField.fatalities.rawValue])
    }

    func decodeFatalities(_ fields: EventFields) throws(RowProblem) -> Int? {
        try decodeFatalities(fields[.fatalities])
    }

    func decodeFatalities(_ given: JSONValue?) throws(RowProblem) -> Int? {
        try number(given, "fatalities", reason: .badNumber).map { value throws(RowProblem) -> Int in
            guard value >= 0, value == value.rounded(), value < 1e9 else {
                throw RowProblem(.badNumber, "fatalities must be a whole number ≥ 0, got \(EventDecoder.text(given))")
            }
            return Int(value)
        }
    }

    private func mapWording(eventType: String, subEventType: String, _ error: TaxonomyError) throws(RowProblem) -> ((String, String), String) {
        guard let vocabulary else { throw RowProblem(.unknownEventType, error.description) }
        let acledType = EventTaxonomy.eventType(eventType)
        let wording = acledType == nil && !eventType.isEmpty ? eventType : subEventType
        let field = wording == eventType ? "event_type" : "sub_event_type"
        guard let match = vocabulary.match(wording) else {
            var message = "unknown \(field) '\(Self.clipped(wording))': neither ACLED's taxonomy nor the event-type vocabulary knows it"
            let close = vocabulary.suggestions(for: wording)
            if !close.isEmpty { message += "; closest: " + close.map { "'\($0.wording)' (\($0.subEventType))" }.joined(separator: ", ") }
            throw RowProblem(.unknownEventType, message + "; add it with --types FILE")
        }
        guard let entry = match.entry else {
            guard case .ambiguous(let entries) = match else { throw RowProblem(.unknownEventType, error.description) }
            let options = entries.map { "'\($0.wording)' → \($0.eventType) / \($0.subEventType)" }.joined(separator: "; ")
            throw RowProblem(.unknownEventType, "\(field) '\(Self.clipped(wording))' is ambiguous: \(options); say which with --types FILE")
        }
        var pair = (entry.eventType, entry.subEventType)
        if let acledType, acledType != entry.eventType {
            throw RowProblem(.unknownEventType, "sub_event_type '\(Self.clipped(wording))' means \(entry.eventType) / \(entry.subEventType), not \(acledType)")
        }
        if wording == eventType, !subEventType.isEmpty {
            // An ACLED sub-event type beside plain wording must agree with it.
            guard let sub = EventTaxonomy.subEventType(subEventType), sub.eventType == entry.eventType else {
                throw RowProblem(.unknownEventType, "event_type '\(Self.clipped(wording))' means \(entry.eventType) / \(entry.subEventType); sub_event_type '\(Self.clipped(subEventType))' does not fit it")
            }
            pair = sub
        }
        return (pair, wording)
    }

    /// At most 200 characters of a value, for messages.
    static func clipped(_ text: String) -> String {
        text.count <= 200 ? text : String(text.prefix(200)) + "…"
    }

    /// Refuses coordinates outside −90…90 / −180…180, and says when they look swapped.
    public static func checkRange(latitude lat: Double, longitude lon: Double) throws(RowProblem) {
        guard lat.isFinite, lon.isFinite else { throw RowProblem(.coordinatesOutOfRange, "coordinates must be finite numbers") }
        if abs(lat) > 90 || abs(lon) > 180 {
            var message = "latitude \(lat), longitude \(lon) out of range (−90…90, −180…180)"
            if abs(lat) > 90, abs(lat) <= 180, abs(lon) <= 90 { message += "; latitude and longitude look swapped" }
            throw RowProblem(.coordinatesOutOfRange, message)
        }
    }

    private func parseDate(_ text: String, field: String) throws(RowProblem) -> ParsedDate {
        do {
            return try dateParser.parse(text)
        } catch {
            let reason: RejectReason
            switch error {
            case .empty: reason = .missingDate
            case .unrecognized: reason = .unparseableDate
            case .impossible: reason = .impossibleDate
            case .ambiguous: reason = .ambiguousDate
            }
            throw RowProblem(reason, "\(field): \(error)")
        }
    }

    private func number(_ value: JSONValue?, _ name: String, reason: RejectReason) throws(RowProblem) -> Double? {
        switch value {
        case nil, .null?: return nil
        case .integer(let i)?: return Double(i)
        case .double(let d)?: return d
        case .string(let s)?:
            let t = s.trimmingSpaces
            if t.isEmpty { return nil }
            guard isDecimalNumber(t), let d = Double(t), d.isFinite else {
                throw RowProblem(reason, "\(name) is not a decimal number: '\(Self.clipped(s))'")
            }
            return d
        case let other?: throw RowProblem(reason, "\(name) must be a number, got \(other.typeName)")
        }
    }

    /// `[{"source": …, "killed": n, "injured": n}]` as JSON or JSON text.
    private func fatalityClaims(_ value: JSONValue?) throws(RowProblem) -> [FatalityClaim] {
        var items: [JSONValue]
        switch value {
        case nil, .null?: return []
        case .array(let a)?: items = a
        case .string(let s)?:
            let t = s.trimmingSpaces
            if t.isEmpty { return [] }
            do {
                guard case .array(let a) = try JSONParser.parse(Array(t.utf8)) else {
                    throw RowProblem(.badFatalityClaims, "fatality_claims must be a JSON array of {source, killed, injured}")
                }
                items = a
            } catch let problem as RowProblem {
                throw problem
            } catch {
                throw RowProblem(.badFatalityClaims, "fatality_claims is not valid JSON: \(error)")
            }
        case let other?: throw RowProblem(.badFatalityClaims, "fatality_claims must be an array, got \(other.typeName)")
        }
        var claims: [FatalityClaim] = []
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item, let source = o["source"]?.stringValue, !source.isEmpty else {
                throw RowProblem(.badFatalityClaims, "fatality_claims[\(i)] needs a non-empty \"source\" string")
            }
            func count(_ key: String) throws(RowProblem) -> Int? {
                guard let v = o[key], v != .null else { return nil }
                guard let d = v.numberValue, d >= 0, d == d.rounded(), d < 1e9 else {
                    throw RowProblem(.badFatalityClaims, "fatality_claims[\(i)].\(key) must be a whole number ≥ 0")
                }
                return Int(d)
            }
            claims.append(FatalityClaim(source: source, killed: try count("killed"), injured: try count("injured")))
        }
        return claims
    }

    /// Text of a scalar value; numbers in their shortest form, null as empty.
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: ""
        case .string(let s)?: s.trimmingSpaces
        case .integer(let i)?: String(i)
        case .double(let d)?: d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .bool(let b)?: b ? "true" : "false"
        case let other?: JSONWriter.string(from: other)
        }
    }

    /// A list from an array, a JSON array text, or `;`-separated text (empty items dropped).
    static func list(_ value: JSONValue?) -> [String] {
        switch value {
        case nil, .null?: return []
        case .array(let a)?: return a.map { text($0) }.filter { !$0.isEmpty }
        case .string(let s)?:
            let t = s.trimmingSpaces
            if t.isEmpty { return [] }
            let first = t.utf8.first!
            if first != UInt8(ascii: "["), !t.utf8.contains(UInt8(ascii: ";")) { return [t] }  // one item, most rows
            if first == UInt8(ascii: "["), let parsed = try? JSONParser.parse(Array(t.utf8)), case .array(let a) = parsed {
                return a.map { text($0) }.filter { !$0.isEmpty }
            }
            return t.split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        case let other?: return [text(other)]
        }
    }
}

/// Writes events as GeoJSON properties and CSV cells in the project's field order.
public enum EventEncoder {
    /// Properties for a GeoJSON feature: the project's fields (without latitude/longitude,
    /// which the geometry carries; empty values as null), then `extra`.
    public static func properties(_ e: Event) -> OrderedDictionary<String, JSONValue> {
        var p = OrderedDictionary<String, JSONValue>()
        p.reserveCapacity(EventField.allCases.count + e.extra.count)
        func string(_ s: String) -> JSONValue { s.isEmpty ? .null : .string(s) }
        p["event_id"] = string(e.eventID)
        p["event_date"] = .string(e.date.iso)
        p["date_end"] = e.dateEnd.map { .string($0.iso) } ?? .null
        p["time_precision"] = .integer(Int64(e.timePrecision.rawValue))
        p["event_type"] = string(e.eventType)
        p["sub_event_type"] = string(e.subEventType)
        p["event_type_reported"] = string(e.eventTypeReported)
        p["actor1"] = string(e.actor1)
        p["actor1_reported"] = string(e.actor1Reported)
        p["actor2"] = string(e.actor2)
        p["actor_side"] = string(e.actorSide)
        p["actor_match"] = string(e.actorMatch)
        p["target"] = string(e.target)
        p["location"] = string(e.location)
        p["geo_precision"] = e.geoPrecision.map { .integer(Int64($0)) } ?? .null
        p["country"] = string(e.country)
        p["admin1"] = string(e.admin1)
        p["fatalities"] = e.fatalities.map { .integer(Int64($0)) } ?? .null
        p["fatality_claims"] = .array(e.fatalityClaims.map(claimJSON))
        p["sources"] = .array(e.sources.map { .string($0) })
        p["notes"] = string(e.notes)
        p["tags"] = .array(e.tags.map { .string($0) })
        if let m = e.match {
            p["match_name"] = .string(m.name)
            p["match_score"] = .double(m.score)
            p["match_source"] = .string(m.source)
            p["match_id"] = .string(m.gazetteerID)
            p["match_approximate"] = .bool(m.approximate)
            p["match_alternatives"] = .array(m.alternatives.map { .string($0) })
            p["match_fallback"] = string(m.fallbackBasis)
        }
        for (key, value) in e.extra where p[key] == nil { p[key] = value }
        return p
    }

    /// A GeoJSON Point feature (null geometry when the event has no coordinates); the
    /// feature id is the event id when there is one.
    public static func feature(_ e: Event) -> Feature {
        var geometry: Geometry?
        if let lat = e.latitude, let lon = e.longitude { geometry = .point(Position(x: lon, y: lat)) }
        return Feature(id: e.eventID.isEmpty ? nil : .string(e.eventID), geometry: geometry, properties: properties(e))
    }

    static func claimJSON(_ c: FatalityClaim) -> JSONValue {
        var o = OrderedDictionary<String, JSONValue>()
        o["source"] = .string(c.source)
        if let k = c.killed { o["killed"] = .integer(Int64(k)) }
        if let i = c.injured { o["injured"] = .integer(Int64(i)) }
        return .object(o)
    }

    /// Cells of the project's CSV for `columns` (the project's names, then extra names).
    /// Lists are `;`-joined unless an item contains `;`, then JSON; claims are JSON.
    public static func csvCells(_ e: Event, columns: [String]) -> [String] {
        columns.map { csvCell(e, field: EventField(rawValue: $0), column: $0) }
    }

    /// `csvCells(e, columns:)` appended to `w` as one CSV line with its line end (`CSV.line`);
    /// `fields` holds each column's field (`EventField(rawValue:)`, nil for an extra column).
    public static func appendCSVLine(_ e: Event, columns: [String], fields: [EventField?], to w: inout JSONWriter) {
        for k in columns.indices {
            if k > 0 { w.appendByte(UInt8(ascii: ",")) }
            switch fields[k] {
            case .timePrecision: w.appendInteger(Int64(e.timePrecision.rawValue))
            case .geoPrecision: if let g = e.geoPrecision { w.appendInteger(Int64(g)) }
            case .fatalities: if let f = e.fatalities { w.appendInteger(Int64(f)) }
            case let field: CSV.appendField(csvCell(e, field: field, column: columns[k]), to: &w)
            }
        }
        w.appendByte(UInt8(ascii: "\n"))
    }

    /// The cell of column `column` (field `field`, nil for an extra column) of `csvCells`.
    static func csvCell(_ e: Event, field: EventField?, column: String) -> String {
        switch field {
        case .eventID: e.eventID
        case .eventDate: e.date.iso
        case .dateEnd: e.dateEnd?.iso ?? ""
        case .timePrecision: String(e.timePrecision.rawValue)
        case .eventType: e.eventType
        case .subEventType: e.subEventType
        case .eventTypeReported: e.eventTypeReported
        case .actor1: e.actor1
        case .actor1Reported: e.actor1Reported
        case .actor2: e.actor2
        case .actorSide: e.actorSide
        case .actorMatch: e.actorMatch
        case .target: e.target
        case .location: e.location
        case .latitude: e.latitude.map(coordinateText) ?? ""
        case .longitude: e.longitude.map(coordinateText) ?? ""
        case .geoPrecision: e.geoPrecision.map(String.init) ?? ""
        case .country: e.country
        case .admin1: e.admin1
        case .fatalities: e.fatalities.map(String.init) ?? ""
        case .fatalityClaims: e.fatalityClaims.isEmpty ? "" : JSONWriter.string(from: .array(e.fatalityClaims.map(claimJSON)))
        case .sources: listText(e.sources)
        case .notes: e.notes
        case .tags: listText(e.tags)
        case .matchName: e.match?.name ?? ""
        case .matchScore: e.match.map { shortest($0.score) } ?? ""
        case .matchSource: e.match?.source ?? ""
        case .matchID: e.match?.gazetteerID ?? ""
        case .matchApproximate: e.match.map { $0.approximate ? "true" : "false" } ?? ""
        case .matchAlternatives: e.match.map { listText($0.alternatives) } ?? ""
        case .matchFallback: e.match?.fallbackBasis ?? ""
        case nil: EventDecoder.text(e.extra[column])
        }
    }

    static func listText(_ items: [String]) -> String {
        // (Foundation's `contains` searches a text through `NSString`: asked only of an item
        // that holds the byte at all.)
        if items.contains(where: { $0.utf8.contains(UInt8(ascii: ";")) && $0.contains(";") }) {
            return JSONWriter.string(from: .array(items.map { .string($0) }))
        }
        return items.joined(separator: ";")
    }

    /// Shortest text that reads back to the same double, never in exponent form for
    /// coordinates (−180…180).
    static func coordinateText(_ value: Double) -> String {
        let s = String(value)
        // (`String(Double)` is ASCII: its bytes are searched, not its text through `NSString`.)
        if !s.utf8.contains(UInt8(ascii: "e")) { return s.hasSuffix(".0") ? String(s.dropLast(2)) : s }
        // Tiny values: fixed notation with enough digits to round-trip.
        for decimals in 6...17 {
            var w = JSONWriter()
            w.appendFixed(value, decimals: decimals)
            let t = String(decoding: w.bytes, as: UTF8.self)
            if Double(t) == value { return t }
        }
        return s
    }

    static func shortest(_ value: Double) -> String {
        let s = String(value)
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }
}

/// One input record's values by name, sorted as they are read: the project's fields in slots
/// (no hashing per row), every other name in `extra` in input order. Setting a name routes it
/// to its slot or to `extra`, so it holds what a dictionary of the same assignments would.
public struct EventFields: Sendable {
    private var slots: [JSONValue?] = Array(repeating: nil, count: EventField.allCases.count)
    /// Names that are not the project's fields, in the order first set.
    public private(set) var extra = OrderedDictionary<String, JSONValue>()

    public init() {}

    /// The fields of a dictionary of names (a GeoJSON feature's properties).
    public init(_ dictionary: OrderedDictionary<String, JSONValue>) {
        for (name, value) in dictionary { self[name] = value }
    }

    /// The fields of a scanned feature's properties, as `init(_:)` makes of the same properties
    /// decoded: the project's fields found by their bytes, other names made Strings.
    init(scanned feature: ScannedFeature, in buffer: UnsafeRawBufferPointer) {
        feature.forEachProperty(in: buffer) { name, value in
            if let field = EventField(utf8: name) {
                self[field] = value
            } else {
                extra[String(decoding: name, as: UTF8.self)] = value
            }
        }
    }

    public subscript(field: EventField) -> JSONValue? {
        get { slots[field.ordinal] }
        set { slots[field.ordinal] = newValue }
    }

    public subscript(name: String) -> JSONValue? {
        get { EventField(rawValue: name).map { self[$0] } ?? extra[name] }
        set {
            if let field = EventField(rawValue: name) { self[field] = newValue } else { extra[name] = newValue }
        }
    }
}

extension EventField {
    /// Position in `allCases`.
    var ordinal: Int {
        switch self {
        case .eventID: 0
        case .eventDate: 1
        case .dateEnd: 2
        case .timePrecision: 3
        case .eventType: 4
        case .subEventType: 5
        case .eventTypeReported: 6
        case .actor1: 7
        case .actor1Reported: 8
        case .actor2: 9
        case .actorSide: 10
        case .actorMatch: 11
        case .target: 12
        case .location: 13
        case .latitude: 14
        case .longitude: 15
        case .geoPrecision: 16
        case .country: 17
        case .admin1: 18
        case .fatalities: 19
        case .fatalityClaims: 20
        case .sources: 21
        case .notes: 22
        case .tags: 23
        case .matchName: 24
        case .matchScore: 25
        case .matchSource: 26
        case .matchID: 27
        case .matchApproximate: 28
        case .matchAlternatives: 29
        case .matchFallback: 30
        }
    }
}
