import GeoCore
import OrderedCollections

/// The kinds of output `EventWriter` writes.
public enum EventOutputKind: String, Sendable, CaseIterable {
    /// A FeatureCollection of points with every field as a property and a `bbox`.
    case geojson
    /// RFC 8142 GeoJSON text sequence, one feature per record, for streaming.
    case geojsonseq
    /// The project's CSV (`EventField.csvColumns`, then extra columns).
    case csv
    /// ACLED's 31-column export layout.
    case acled

    /// From the output file's extension (`.geojsons` sequence, `.csv` the project's CSV).
    public static func from(path: String) -> EventOutputKind? {
        guard let dot = path.lastIndex(of: ".") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "geojson", "json": return .geojson
        case "geojsons", "geojsonseq": return .geojsonseq
        case "csv": return .csv
        default: return nil
        }
    }
}

/// Streams events to a sink in one of the output formats.
///
/// CSV needs its columns before the first row: the project's fields plus `extraColumns`
/// (give the extra field names seen in the input, e.g. from a first pass or the header).
/// Extra fields not in `extraColumns` are dropped from CSV output only; GeoJSON keeps them all.
public final class EventWriter {
    public let kind: EventOutputKind
    let sink: ByteSink
    let encoder: GeoJSONEncoder
    var collectionWriter: GeoJSONStreamWriter?
    var seqWriter: GeoJSONSeqWriter?
    let columns: [String]
    /// Each CSV column's field (nil for an extra column).
    let csvFields: [EventField?]
    let countryName: @Sendable (String) -> String?
    /// The `timestamp` on GeoJSON and GeoJSONSeq features (CSV and ACLED have none).
    public let timestamp: EventTimestamp
    /// simplestyle-spec properties on GeoJSON and GeoJSONSeq features, when given.
    public let style: SimpleStyle?
    public private(set) var written = 0

    /// - Parameters:
    ///   - coordinateDecimals: decimals of GeoJSON coordinates.
    ///   - countryName: ACLED output's country name for an alpha-2 code (used when the event
    ///     does not carry ACLED's own spelling).
    ///   - timestamp: the `timestamp` property of GeoJSON features (`EventTimestamp`).
    ///   - style: simplestyle-spec properties for GeoJSON features (`SimpleStyle`), or none.
    public init(kind: EventOutputKind, sink: ByteSink, coordinateDecimals: Int = 6, extraColumns: [String] = [],
                countryName: @escaping @Sendable (String) -> String? = { _ in nil }, timestamp: EventTimestamp = .iso,
                style: SimpleStyle? = nil) throws {
        self.kind = kind
        self.timestamp = timestamp
        self.style = style
        self.sink = sink
        self.encoder = GeoJSONEncoder(coordinateDecimals: coordinateDecimals)
        self.countryName = countryName
        switch kind {
        case .csv:
            let known = Set(EventField.csvColumns)
            columns = EventField.csvColumns + extraColumns.filter { !known.contains($0) }
        case .acled:
            columns = EventReader.acledColumns
        case .geojson, .geojsonseq:
            columns = []
        }
        csvFields = kind == .csv ? columns.map { EventField(rawValue: $0) } : []
        switch kind {
        case .csv, .acled:
            var header = JSONWriter()
            CSV.appendLine(columns, to: &header)
            try sink.write(header)
        case .geojson: collectionWriter = try GeoJSONStreamWriter(sink: sink, encoder: encoder)
        case .geojsonseq: seqWriter = GeoJSONSeqWriter(sink: sink, encoder: encoder, recordSeparator: true)
        }
    }

    public func write(_ event: Event) throws {
        switch kind {
        case .geojson where style == nil:
            let point = event.latitude.flatMap { lat in event.longitude.map { Position(x: $0, y: lat) } }
            try collectionWriter!.writeEncoded(point: point) { EventEncoder.appendFeature(event, timestamp: timestamp, encoder: encoder, to: &$0) }
        case .geojsonseq where style == nil:
            try seqWriter!.writeEncoded { EventEncoder.appendFeature(event, timestamp: timestamp, encoder: encoder, to: &$0) }
        case .geojson: try collectionWriter!.write(feature(event))
        case .geojsonseq: try seqWriter!.write(feature(event))
        case .csv, .acled:
            var line = JSONWriter()
            appendLine(event, to: &line)
            try sink.write(line)
        }
        written += 1
    }

    /// Encodes an event as `write(_:)` would write it, into `batch` (any thread: the writer's
    /// settings are read only); `write(_ batch:)` then writes batches in order.
    public func encode(_ event: Event, into batch: inout EncodedEvents) {
        switch kind {
        case .geojson, .geojsonseq:
            if kind == .geojson, batch.count > 0 { batch.text.appendRaw(",\n") }
            if kind == .geojsonseq { batch.text.appendByte(0x1E) }
            if style == nil {
                EventEncoder.appendFeature(event, timestamp: timestamp, encoder: encoder, to: &batch.text)
            } else {
                encoder.append(feature(event), to: &batch.text)
            }
            if kind == .geojsonseq { batch.text.appendByte(UInt8(ascii: "\n")) }
            if let lat = event.latitude, let lon = event.longitude { batch.box.extend(Position(x: lon, y: lat)) }
        case .csv, .acled: appendLine(event, to: &batch.text)
        }
        batch.count += 1
    }

    /// An event's CSV or ACLED line, with its line end.
    private func appendLine(_ event: Event, to w: inout JSONWriter) {
        if kind == .csv {
            EventEncoder.appendCSVLine(event, columns: columns, fields: csvFields, to: &w)
        } else {
            CSV.appendLine(ACLEDLayout.cells(event, countryName: countryName), to: &w)
        }
    }

    /// Encodes a plain table row's or feature's feature (`PlainRowText`) as `encode(_:into:)`
    /// encodes its event, for a GeoJSON or GeoJSONSeq writer (`takesPlainRows`). With a style,
    /// its marker members follow the properties, as `SimpleStyle.apply` sets them on an event
    /// whose properties have none (the scanners leave rows that have one to the full path).
    public func encode(_ row: PlainRowText, into batch: inout EncodedEvents) {
        precondition(takesPlainRows, "plain rows are written only as GeoJSON")
        if kind == .geojson, batch.count > 0 { batch.text.appendRaw(",\n") }
        if kind == .geojsonseq { batch.text.appendByte(0x1E) }
        let point = Position(x: row.longitude, y: row.latitude)
        let id = row.idText.map { text in { (w: inout JSONWriter) in w.append(contentsOf: text) } }
        if let style {
            EventEncoder.appendFeature(id: id, point: point, encoder: encoder, to: &batch.text) { w in
                w.append(contentsOf: UnsafeRawBufferPointer(rebasing: row.propertiesText.dropLast()))
                w.appendRaw(",\"marker-color\":")
                w.appendString(style.sideColors[row.actorSide] ?? SideColors.unknown)
                w.appendRaw(",\"marker-size\":")
                w.appendString(SimpleStyle.markerSize(fatalities: row.fatalities.map(Double.init)))
                w.appendByte(UInt8(ascii: "}"))
            }
        } else {
            let properties = row.propertiesText
            EventEncoder.appendFeature(id: id, point: point, encoder: encoder, to: &batch.text) { w in w.append(contentsOf: properties) }
        }
        if kind == .geojsonseq { batch.text.appendByte(UInt8(ascii: "\n")) }
        batch.box.extend(point)
        batch.count += 1
    }

    /// The line of a plain row or feature in this writer's layout (`plainLines`:
    /// `TableScanner.csvLine` or `acledLine`, `FeatureTextScanner.csvLine`), encoded as
    /// `encode(_:into:)` encodes its event, for a CSV or ACLED writer.
    public func encode(csvLine: UnsafeRawBufferPointer, into batch: inout EncodedEvents) {
        precondition(kind == .csv || kind == .acled, "lines are written only as CSV")
        batch.text.append(contentsOf: csvLine)
        batch.count += 1
    }

    /// The lines a CSV or ACLED writer takes for plain rows and features (`encode(csvLine:into:)`):
    /// the project's CSV with this writer's extra columns after the project's, or ACLED's layout
    /// with its country names; nil for the other kinds.
    public var plainLines: PlainLines? {
        switch kind {
        case .csv: .csv(extraColumns: Array(columns.dropFirst(EventField.csvColumns.count)))
        case .acled: .acled(countryName: countryName)
        case .geojson, .geojsonseq: nil
        }
    }

    /// Whether `encode(_ row:into:)` can write plain rows: GeoJSON or GeoJSONSeq.
    public var takesPlainRows: Bool { kind == .geojson || kind == .geojsonseq }

    /// Writes events encoded by `encode(_:into:)`, after those written so far.
    public func write(_ batch: EncodedEvents) throws {
        switch kind {
        case .geojson: try collectionWriter!.writeEncoded(features: batch.text, count: batch.count, boundingBox: batch.box)
        case .geojsonseq: try seqWriter!.writeEncoded(records: batch.text)
        case .csv, .acled: try sink.write(batch.text)
        }
        written += batch.count
    }

    /// The GeoJSON feature of an event: its properties, timestamp and style.
    func feature(_ event: Event) -> Feature {
        let feature = timestamp.feature(event)
        return style?.apply(feature) ?? feature
    }

    /// Ends the document (the collection's closing bracket and bbox) and flushes.
    public func finish() throws {
        switch kind {
        case .geojson: try collectionWriter!.finish()
        case .geojsonseq: try seqWriter!.finish()
        case .csv, .acled: try sink.flush()
        }
    }
}

/// ACLED's export layout for an event.
enum ACLEDLayout {
    /// What a column of `EventReader.acledColumns` is written from.
    enum Cell {
        case eventID, date, year, precision, eventType, subEventType, actor1, actor2, country, admin1, location, latitude, longitude
        case geoPrecision, source, notes, fatalities, tags
        case extra(String)
    }

    /// The columns' cells, worked out once (a switch on each column's name cost a chain of
    /// string comparisons per cell).
    static let layout: [Cell] = EventReader.acledColumns.map { column in
        switch column {
        case "event_id_cnty": .eventID
        case "event_date": .date
        case "year": .year
        case "time_precision": .precision
        case "event_type": .eventType
        case "sub_event_type": .subEventType
        case "actor1": .actor1
        case "actor2": .actor2
        case "country": .country
        case "admin1": .admin1
        case "location": .location
        case "latitude": .latitude
        case "longitude": .longitude
        case "geo_precision": .geoPrecision
        case "source": .source
        case "notes": .notes
        case "fatalities": .fatalities
        case "tags": .tags
        default: .extra(column)
        }
    }

    static func cells(_ e: Event, countryName: (String) -> String?) -> [String] {
        layout.map { cell in
            switch cell {
            case .eventID: e.eventID
            case .date: e.date.dayOnly.iso
            case .year: String(e.date.year)
            case .precision: String(e.timePrecision.rawValue)
            case .eventType: e.eventType
            case .subEventType: e.subEventType
            case .actor1: e.actor1
            case .actor2: e.actor2
            case .country: e.extra["country_name"]?.stringValue ?? countryName(e.country) ?? e.country
            case .admin1: e.admin1
            case .location: e.location
            case .latitude: e.latitude.map(EventEncoder.coordinateText) ?? ""
            case .longitude: e.longitude.map(EventEncoder.coordinateText) ?? ""
            case .geoPrecision: e.geoPrecision.map(String.init) ?? ""
            case .source: e.sources.joined(separator: "; ")
            case .notes: e.notes
            case .fatalities: String(e.fatalities ?? 0)
            case .tags: e.tags.joined(separator: "; ")
            case .extra(let column): EventDecoder.text(e.extra[column])
            }
        }
    }
}

/// The `timestamp` property geo puts on every event it writes as GeoJSON, GeoJSONSeq,
/// GeoPackage or FlatGeobuf, so that kepler.gl (and other tools that animate by time) play
/// the events back: the start of the event's span (`EventInterval.startSeconds`: the day at
/// 00:00 UTC, the time when one is given, three days before a week-precision date, the 1st of
/// a month-precision month). It is derived from `event_date`, `date_end` and `time_precision`:
/// a `timestamp` geo wrote before is replaced, or removed with `.none`; an input's own
/// `timestamp` (ACLED's upload time) is kept and the event not stamped. CSV and ACLED
/// outputs carry the dates only.
public enum EventTimestamp: String, Sendable, CaseIterable {
    /// ISO 8601 date-time in UTC, `2024-01-28T00:00:00Z` (a DateTime field in GeoPackage and FlatGeobuf).
    case iso
    /// Milliseconds since 1970-01-01T00:00:00Z, as an integer.
    case epochMilliseconds = "epoch-ms"
    /// No timestamp.
    case none

    /// The property's name.
    public static let property = "timestamp"

    /// Start of the span of an event dated `date` (to `end`) at `precision`, seconds since the epoch.
    public static func startSeconds(date: EventDate, end: EventDate?, precision: TimePrecision) -> Double {
        EventInterval(date: date, end: end, precision: precision).startSeconds
    }

    /// `yyyy-mm-ddThh:mm:ssZ` for a time in seconds since the epoch (whole seconds).
    public static func isoText(seconds: Double) -> String {
        let whole = Int(seconds.rounded(.down))
        let days = Int((Double(whole) / 86_400).rounded(.down))
        let day = EventDate(daysSinceEpoch: days)
        let s = whole - days * 86_400
        if let text = GeoEvents.isoText(year: day.year, month: day.month, day: day.day, secondsOfDay: s, alwaysSeconds: true) { return text }
        func pad(_ n: Int, _ width: Int) -> String {
            let t = String(n)
            return t.count >= width ? t : String(repeating: "0", count: width - t.count) + t
        }
        return "\(pad(day.year, 4))-\(pad(day.month, 2))-\(pad(day.day, 2))T\(pad(s / 3600, 2)):\(pad(s / 60 % 60, 2)):\(pad(s % 60, 2))Z"
    }

    /// Whether `value` is a timestamp geo writes for a span starting at `startSeconds` (either form).
    public static func isDerived(_ value: JSONValue, startSeconds: Double) -> Bool {
        value == EventTimestamp.iso.value(seconds: startSeconds) || value == EventTimestamp.epochMilliseconds.value(seconds: startSeconds)
    }

    /// The property's value for a span starting at `seconds`; nil for `.none`.
    public func value(seconds: Double) -> JSONValue? {
        switch self {
        case .iso: .string(Self.isoText(seconds: seconds))
        case .epochMilliseconds: .integer(Int64((seconds * 1000).rounded()))
        case .none: nil
        }
    }

    /// Sets (or, for `.none`, removes) `timestamp` in `properties`, placed after the dates
    /// (`date_end`, else `event_date`): one read from an input (an extra field, at the end)
    /// moves there, so that a round trip writes the same properties in the same order.
    public func stamp(_ properties: inout OrderedDictionary<String, JSONValue>, seconds: Double?) {
        // An input's own timestamp (ACLED's is the record's upload time, a number of seconds)
        // is data: kept as it is, and the event is not stamped over it. Text is taken for one
        // geo wrote (perhaps before the dates were edited) and replaced.
        if let existing = properties[Self.property], existing != .null, existing.stringValue == nil,
           seconds.map({ !Self.isDerived(existing, startSeconds: $0) }) ?? true {
            return
        }
        properties.removeValue(forKey: Self.property)
        guard let seconds, let value = value(seconds: seconds) else { return }
        if let i = properties.index(forKey: EventField.dateEnd.rawValue) ?? properties.index(forKey: EventField.eventDate.rawValue) {
            properties.updateValue(value, forKey: Self.property, insertingAt: i + 1)
        } else {
            properties[Self.property] = value
        }
    }

    /// An event as a GeoJSON feature with its timestamp.
    public func feature(_ event: Event) -> Feature {
        var feature = EventEncoder.feature(event)
        var properties = feature.properties ?? [:]
        stamp(&properties, seconds: Self.startSeconds(date: event.date, end: event.dateEnd, precision: event.timePrecision))
        feature.properties = properties
        return feature
    }

    /// A point feature of an events layer stamped as `stamp` stamps an event, `startSeconds` the
    /// start of its span: what analyses write, passing their input's properties through. An
    /// input's own timestamp that is not text and that geo did not derive (ACLED's upload time)
    /// is kept where it is; a text or null one, or one geo derived (perhaps from dates edited
    /// since), gives way to this one's, placed after the dates, as `geo convert` writes it.
    /// An undated feature (nil) and features of other geometries are unchanged.
    public func stamped(_ feature: Feature, startSeconds: Double?) -> Feature {
        guard self != .none, let startSeconds, case .point? = feature.geometry else { return feature }
        var copy = feature
        var properties = feature.properties ?? [:]
        stamp(&properties, seconds: startSeconds)
        copy.properties = properties
        return copy
    }
}

extension EventLayer {
    /// `forEachFeature` with every dated point stamped (ISO 8601, `EventTimestamp.stamped`):
    /// what analyses write as their events layer.
    public func forEachStampedFeature(_ body: (Int, Feature) throws -> Void) throws {
        try forEachFeature { i, feature in
            try body(i, EventTimestamp.iso.stamped(feature, startSeconds: isDated(i) ? startSeconds[i] : nil))
        }
    }
}

/// Events encoded apart from their writer (`EventWriter.encode(_:into:)`), for a thread that
/// is not the writer's; written in order with `EventWriter.write(_:)`.
public struct EncodedEvents: Sendable {
    var text = JSONWriter(reservingCapacity: 1 << 16)
    var box = BoundingBox.empty
    /// Events encoded.
    public internal(set) var count = 0

    public init() {}

    /// Empties the batch, keeping its memory.
    public mutating func removeAll() {
        text.removeAll(keepingCapacity: true)
        box = .empty
        count = 0
    }
}
