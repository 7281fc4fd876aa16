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
    let countryName: @Sendable (String) -> String?
    public private(set) var written = 0

    /// - Parameters:
    ///   - coordinateDecimals: decimals of GeoJSON coordinates.
    ///   - countryName: ACLED output's country name for an alpha-2 code (used when the event
    ///     does not carry ACLED's own spelling).
    public init(kind: EventOutputKind, sink: ByteSink, coordinateDecimals: Int = 6, extraColumns: [String] = [],
                countryName: @escaping @Sendable (String) -> String? = { _ in nil }) throws {
        self.kind = kind
        self.sink = sink
        self.encoder = GeoJSONEncoder(coordinateDecimals: coordinateDecimals)
        self.countryName = countryName
        switch kind {
        case .csv:
            let known = Set(EventField.csvColumns)
            columns = EventField.csvColumns + extraColumns.filter { !known.contains($0) }
            try sink.write(CSV.line(columns) + "\n")
        case .acled:
            columns = EventReader.acledColumns
            try sink.write(CSV.line(columns) + "\n")
        case .geojson:
            columns = []
            collectionWriter = try GeoJSONStreamWriter(sink: sink, encoder: encoder)
        case .geojsonseq:
            columns = []
            seqWriter = GeoJSONSeqWriter(sink: sink, encoder: encoder, recordSeparator: true)
        }
    }

    public func write(_ event: Event) throws {
        switch kind {
        case .geojson: try collectionWriter!.write(EventEncoder.feature(event))
        case .geojsonseq: try seqWriter!.write(EventEncoder.feature(event))
        case .csv: try sink.write(CSV.line(EventEncoder.csvCells(event, columns: columns)) + "\n")
        case .acled: try sink.write(CSV.line(ACLEDLayout.cells(event, countryName: countryName)) + "\n")
        }
        written += 1
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
    static func cells(_ e: Event, countryName: (String) -> String?) -> [String] {
        EventReader.acledColumns.map { column in
            switch column {
            case "event_id_cnty": return e.eventID
            case "event_date": return e.date.dayOnly.iso
            case "year": return String(e.date.year)
            case "time_precision": return String(e.timePrecision.rawValue)
            case "event_type": return e.eventType
            case "sub_event_type": return e.subEventType
            case "actor1": return e.actor1
            case "actor2": return e.actor2
            case "country":
                if let name = e.extra["country_name"]?.stringValue { return name }
                return countryName(e.country) ?? e.country
            case "admin1": return e.admin1
            case "location": return e.location
            case "latitude": return e.latitude.map(EventEncoder.coordinateText) ?? ""
            case "longitude": return e.longitude.map(EventEncoder.coordinateText) ?? ""
            case "geo_precision": return e.geoPrecision.map(String.init) ?? ""
            case "source": return e.sources.joined(separator: "; ")
            case "notes": return e.notes
            case "fatalities": return String(e.fatalities ?? 0)
            case "tags": return e.tags.joined(separator: "; ")
            default: return EventDecoder.text(e.extra[column])
            }
        }
    }
}
