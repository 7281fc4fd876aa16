import GeoCore

extension EventEncoder {
    /// Appends an event's GeoJSON feature with its `timestamp`: the same bytes as
    /// `encoder.append(timestamp.feature(e), to: &w)`, without building the feature's property
    /// dictionary (the path `geo convert` writes a million events through).
    ///
    /// Property order as `properties(_:)`: the project's fields (no latitude/longitude), the
    /// timestamp after `date_end`, then `extra` (an extra named like a written field is left
    /// out, as the dictionary would). An input's own non-text timestamp that geo did not derive
    /// stays where it was in `extra` and no timestamp is added (`EventTimestamp.stamp`).
    public static func appendFeature(_ e: Event, timestamp: EventTimestamp, encoder: GeoJSONEncoder, to w: inout JSONWriter) {
        let point = e.latitude.flatMap { lat in e.longitude.map { Position(x: $0, y: lat) } }
        appendFeature(id: e.eventID.isEmpty ? nil : { $0.appendString(e.eventID) }, point: point, encoder: encoder, to: &w) {
            appendProperties(e, timestamp: timestamp, to: &$0)
        }
    }

    /// A feature with the `id` `id` writes (none when nil), a Point (null geometry when nil) and
    /// the properties `appendProperties` writes.
    static func appendFeature(id: ((inout JSONWriter) -> Void)?, point: Position?, encoder: GeoJSONEncoder, to w: inout JSONWriter,
                              appendProperties: (inout JSONWriter) -> Void) {
        w.appendRaw("{\"type\":\"Feature\"")
        if let id {
            w.appendRaw(",\"id\":")
            id(&w)
        }
        w.appendRaw(",\"geometry\":")
        if let point { encoder.append(.point(point), to: &w) } else { w.appendRaw("null") }
        w.appendRaw(",\"properties\":")
        appendProperties(&w)
        w.appendByte(UInt8(ascii: "}"))
    }

    /// An event of a layer as an analysis writes it, with `added` set (`EventLayer`'s outgoing
    /// features): the bytes of `EventEncoder.feature(e)` stamped by `EventTimestamp.iso`'s
    /// `stamped` with the added properties at the end, made as text. Nil where the text
    /// could differ: an event with its own `timestamp` (kept or replaced) or without
    /// coordinates, an added name the event may already have, or one added twice.
    public static func ownedText(_ e: Event, adding added: [(String, JSONValue)]) -> OwnedPointFeatureText? {
        ownedText(e, adding: .values(added))
    }

    /// `ownedText(_:adding:)` with added properties of either kind.
    public static func ownedText(_ e: Event, adding added: AddedProperties) -> OwnedPointFeatureText? {
        guard let latitude = e.latitude, let longitude = e.longitude, e.extra[EventTimestamp.property] == nil,
              canAddAsText(added, extraHas: { e.extra[$0] != nil }) else { return nil }
        var id: [UInt8]?
        if !e.eventID.isEmpty {
            var w = JSONWriter()
            w.appendString(e.eventID)
            id = w.bytes
        }
        var w = JSONWriter(reservingCapacity: 512)
        appendProperties(e, timestamp: .iso, to: &w)
        return OwnedPointFeatureText(idText: id, longitude: longitude, latitude: latitude, propertiesText: w.bytes, added: added) {
            layerFeature(e, adding: added)
        }
    }

    /// Whether `added` can follow an event's properties as text: no name `timestamp`, a project
    /// field or one of the event's extras (`extraHas`), and none added twice.
    static func canAddAsText(_ added: AddedProperties, extraHas: (String) -> Bool) -> Bool {
        let names = added.names
        for (k, name) in names.enumerated() {
            if name == EventTimestamp.property || EventField(rawValue: name) != nil || extraHas(name) { return false }
            if names[..<k].contains(name) { return false }
        }
        return true
    }

    /// The feature route `ownedText` stands for: `feature(e)` stamped by `EventTimestamp.iso`
    /// (`stamped`), with `added` set (a name already there keeps its place).
    public static func layerFeature(_ e: Event, adding added: AddedProperties) -> Feature {
        var feature = EventTimestamp.iso.stamped(feature(e), startSeconds: e.interval.startSeconds)
        if !added.isEmpty {
            var properties = feature.properties ?? [:]
            for (name, value) in added.values { properties[name] = value }
            feature.properties = properties
        }
        return feature
    }

    static func appendProperties(_ e: Event, timestamp: EventTimestamp, to w: inout JSONWriter) {
        let seconds = EventTimestamp.startSeconds(date: e.date, end: e.dateEnd, precision: e.timePrecision)
        var keepsOwnTimestamp = false
        if let existing = e.extra[EventTimestamp.property], existing != .null, existing.stringValue == nil,
           !EventTimestamp.isDerived(existing, startSeconds: seconds) {
            keepsOwnTimestamp = true
        }
        func key(_ name: StaticString) { appendKey(name, to: &w) }
        func text(_ name: StaticString, _ value: String) { appendText(name, value, to: &w) }
        func strings(_ name: StaticString, _ values: [String]) { appendStrings(name, values, to: &w) }
        w.appendRaw("{\"event_id\":")
        if e.eventID.isEmpty { w.appendRaw("null") } else { w.appendString(e.eventID) }
        appendTime(date: e.date, end: e.dateEnd, precision: e.timePrecision, timestamp: keepsOwnTimestamp ? .none : timestamp, to: &w)
        appendTypes(e.eventType, e.subEventType, to: &w)
        text("event_type_reported", e.eventTypeReported)
        text("actor1", e.actor1)
        text("actor1_reported", e.actor1Reported)
        text("actor2", e.actor2)
        text("actor_side", e.actorSide)
        text("actor_match", e.actorMatch)
        text("target", e.target)
        text("location", e.location)
        key("geo_precision")
        if let g = e.geoPrecision { w.appendInteger(Int64(g)) } else { w.appendRaw("null") }
        text("country", e.country)
        text("admin1", e.admin1)
        key("fatalities")
        if let f = e.fatalities { w.appendInteger(Int64(f)) } else { w.appendRaw("null") }
        key("fatality_claims")
        w.append(.array(e.fatalityClaims.map(claimJSON)))
        strings("sources", e.sources)
        text("notes", e.notes)
        strings("tags", e.tags)
        if let m = e.match {
            key("match_name")
            w.appendString(m.name)
            key("match_score")
            w.appendDouble(m.score)
            key("match_source")
            w.appendString(m.source)
            key("match_id")
            w.appendString(m.gazetteerID)
            key("match_approximate")
            m.approximate ? w.appendRaw("true") : w.appendRaw("false")
            strings("match_alternatives", m.alternatives)
            text("match_fallback", m.fallbackBasis)
        }
        for (name, value) in e.extra {
            if let field = EventField(rawValue: name), isWrittenProperty(field, hasMatch: e.match != nil) { continue }
            if name == EventTimestamp.property && !keepsOwnTimestamp { continue }
            w.appendByte(UInt8(ascii: ","))
            w.appendString(name)
            w.appendByte(UInt8(ascii: ":"))
            w.append(value)
        }
        w.appendByte(UInt8(ascii: "}"))
    }

    /// `,"name":`
    @inline(__always)
    static func appendKey(_ name: StaticString, to w: inout JSONWriter) {
        w.appendMemberName(name)
    }

    /// `,"name":` and the text as a JSON string, null when empty.
    static func appendText(_ name: StaticString, _ value: String, to w: inout JSONWriter) {
        appendKey(name, to: &w)
        if value.isEmpty { w.appendRaw("null") } else { w.appendString(value) }
    }

    /// `,"name":` and the texts as a JSON array of strings.
    static func appendStrings(_ name: StaticString, _ values: [String], to w: inout JSONWriter) {
        appendKey(name, to: &w)
        appendStrings(values, to: &w)
    }

    /// The texts as a JSON array of strings.
    static func appendStrings(_ values: [String], to w: inout JSONWriter) {
        w.appendByte(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { w.appendByte(UInt8(ascii: ",")) }
            w.appendString(v)
        }
        w.appendByte(UInt8(ascii: "]"))
    }

    /// `event_date`, `date_end`, `timestamp` (unless `timestamp` gives none) and `time_precision`,
    /// each after a comma.
    static func appendTime(date: EventDate, end: EventDate?, precision: TimePrecision, timestamp: EventTimestamp,
                           to w: inout JSONWriter) {
        appendKey("event_date", to: &w)
        w.appendString(date.iso)
        appendKey("date_end", to: &w)
        if let end { w.appendString(end.iso) } else { w.appendRaw("null") }
        let seconds = EventTimestamp.startSeconds(date: date, end: end, precision: precision)
        if let value = timestamp.value(seconds: seconds) {
            appendKey("timestamp", to: &w)
            w.append(value)
        }
        appendKey("time_precision", to: &w)
        w.appendInteger(Int64(precision.rawValue))
    }

    /// `event_type` and `sub_event_type`, each after a comma.
    static func appendTypes(_ eventType: String, _ subEventType: String, to w: inout JSONWriter) {
        appendText("event_type", eventType, to: &w)
        appendText("sub_event_type", subEventType, to: &w)
    }

    /// Whether `properties(_:)` writes `field` itself (then an extra of that name is not written).
    static func isWrittenProperty(_ field: EventField, hasMatch: Bool) -> Bool {
        switch field {
        case .latitude, .longitude: false
        case .matchName, .matchScore, .matchSource, .matchID, .matchApproximate, .matchAlternatives, .matchFallback: hasMatch
        default: true
        }
    }
}
