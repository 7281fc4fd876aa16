import Foundation
import GeoCore
import GeoEvents

/// One layer to draw: the points of an event layer (read by the event layer reader, so CSV,
/// ACLED and GeoJSON all work) and the other features of the same file, read as GeoJSON (the
/// border line and corridor band of `geo corridor`, the pairs of `geo windows`, the cluster
/// outlines of `geo cluster --summary`).
public struct MapLayerInput {
    /// The file name, for messages and the subtitle.
    public var name: String
    public var events: EventLayer?
    /// Features that are not points, with their properties (`layer` says what they are).
    public var shapes: [Feature]

    public init(name: String, events: EventLayer?, shapes: [Feature] = []) {
        self.name = name
        self.events = events
        self.shapes = shapes
    }
}

/// The features of a GeoJSON file that an event layer leaves out: everything but points.
public struct MapShapes {
    /// Lines and polygons (and their multi forms), in file order.
    public var shapes: [Feature] = []
    /// The `layer` values of the file's points (nil for points without one).
    public var pointLayers: Set<String?> = []
    /// Whether the file was read as GeoJSON; nil means it is not (CSV, ACLED) or is standard input.
    public var isGeoJSON = false

    public init() {}

    /// Whether the file has points of the layer an event layer reads by default (`events`, or
    /// none named).
    public var hasEventPoints: Bool { pointLayers.contains(nil) || pointLayers.contains("events") }

    /// Reads the non-point features of `path` when it is GeoJSON (`.geojson`, `.json`,
    /// `.geojsons`, `.geojsonl`, `.ndjson`, or a text starting with `{` or a record
    /// separator). A file whose text never says `LineString` or `Polygon` is not decoded
    /// (it is taken to hold points only). Standard input (`-`) is not read here.
    public static func read(path: String) throws -> MapShapes {
        var result = MapShapes()
        guard path != "-" else { return result }
        let file = try InputFile(path: path)
        let ext = (path as NSString).pathExtension.lowercased()
        let sequenceExtensions: Set<String> = ["geojsons", "geojsonl", "ndjson", "geojsonseq", "jsonl"]
        try file.withUnsafeBytes { buffer in
            guard let first = buffer.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF })
            else { return }
            let sequence = sequenceExtensions.contains(ext) || first == 0x1E
            guard sequence || ["geojson", "json"].contains(ext) || first == UInt8(ascii: "{") else { return }
            result.isGeoJSON = true
            guard contains(buffer, "LineString") || contains(buffer, "Polygon") else {
                result.pointLayers = [nil, "events"]
                return
            }
            var reader = GeoJSONReader()
            let visit: (Int, Feature) throws -> Void = { _, feature in
                let layer = feature[property: EventLayer.layerProperty]?.stringValue
                switch feature.geometry {
                case .point?, .multiPoint?, nil: result.pointLayers.insert(layer)
                case .geometryCollection?: break
                case .lineString?, .multiLineString?, .polygon?, .multiPolygon?: result.shapes.append(feature)
                }
            }
            let skipBad: GeoJSONReader.BadFeatureHandler = { _, _, _ in }
            do {
                if sequence {
                    try reader.forEachSeqFeature(in: buffer, onBadFeature: skipBad, visit)
                } else {
                    try reader.forEachFeature(in: buffer, onBadFeature: skipBad, visit)
                }
            } catch let error as GeoJSONError {
                throw MapError("\(path): \(error)")
            }
        }
        return result
    }

    /// Whether `needle` occurs in `buffer` (memchr for its first byte, then memcmp).
    static func contains(_ buffer: UnsafeRawBufferPointer, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard let base = buffer.baseAddress, buffer.count >= n.count, let first = n.first else { return false }
        var offset = 0
        let last = buffer.count - n.count
        while offset <= last {
            guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return false }
            let at = base.distance(to: UnsafeRawPointer(hit))
            if n.withUnsafeBytes({ memcmp(base + at, $0.baseAddress!, n.count) }) == 0 { return true }
            offset = at + 1
        }
        return false
    }
}

/// An event as the map draws it: where, what, who, how many dead, and what a tooltip says.
struct MapEvent {
    var longitude: Double
    var latitude: Double
    /// `event_id`, by which an event given in two layers is drawn once.
    var id: String?
    var x = Double.nan
    var y = Double.nan
    var fatalities: Double
    /// Seconds; NaN when undated.
    var startSeconds: Double
    var endSeconds: Double
    var side: String
    var eventType: String
    var precision: Int
    var location: String?
    var nearName: String?
    var nearDistanceKm: Double?
    var nearBearing: Double?
    /// The feature's properties a tooltip shows (only kept when asked for).
    var info: [(String, JSONValue)] = []

    var isApproximate: Bool { precision >= 3 }
}

extension MapEvent {
    /// The properties the HTML tooltip shows, in this order.
    static let tooltipFields = [
        "event_id", "event_date", "date_end", "event_type", "sub_event_type", "actor1", "actor2", "actor_side", "target",
        "location", "admin1", "country", "geo_precision", "fatalities", "sources", "notes", "role", "cluster", "near_phrase",
    ]

    /// The events of a layer with the properties the map reads.
    static func read(_ layer: EventLayer, keepInfo: Bool) throws -> [MapEvent] {
        var events: [MapEvent] = []
        events.reserveCapacity(layer.count)
        // Only the properties drawn are read (plain GeoJSON features are not decoded whole).
        let drawn = ["event_id", "actor_side", "event_type", "geo_precision", "location", "near_name", "near_distance_km",
                     "near_bearing_deg", "fatalities"]
        let names = drawn + (keepInfo ? tooltipFields.filter { !drawn.contains($0) } : [])
        let infoSlots = keepInfo ? tooltipFields.map { names.firstIndex(of: $0)! } : []
        try layer.forEachValue(of: names) { i, values in
            func text(_ k: Int) -> String? {
                guard let v = values[k], let t = FeatureValues.texts(v)?.first, !t.isEmpty else { return nil }
                return t
            }
            var precision = 1
            if let g = values[3]?.numberValue, g.isFinite { precision = Int(g) }
            var event = MapEvent(
                longitude: layer.longitudes[i], latitude: layer.latitudes[i], id: text(0), fatalities: layer.fatalities[i],
                startSeconds: layer.startSeconds[i], endSeconds: layer.endSeconds[i],
                side: text(1) ?? "unknown", eventType: text(2) ?? "other", precision: precision,
                location: text(4), nearName: text(5), nearDistanceKm: values[6]?.numberValue, nearBearing: values[7]?.numberValue)
            if event.fatalities.isNaN, let f = values[8]?.numberValue { event.fatalities = f }
            for (key, k) in zip(tooltipFields, infoSlots) {
                guard let v = values[k], v != .null else { continue }
                if case .string(let s) = v, s.isEmpty { continue }
                event.info.append((key, v))
            }
            events.append(event)
        }
        return events
    }
}
