import OrderedCollections

/// A GeoJSON `id` (RFC 7946 §3.2): a string or a number.
public enum FeatureID: Hashable, Sendable {
    case string(String)
    case integer(Int64)
    case double(Double)

    public var jsonValue: JSONValue {
        switch self {
        case .string(let s): .string(s)
        case .integer(let i): .integer(i)
        case .double(let d): .double(d)
        }
    }
}

extension FeatureID: CustomStringConvertible {
    public var description: String {
        switch self {
        case .string(let s): s
        case .integer(let i): String(i)
        case .double(let d): String(d)
        }
    }
}

/// Members of a GeoJSON object that the RFC does not define ("foreign members", RFC 7946 §6.1),
/// kept in document order so that they survive a round trip.
public typealias ForeignMembers = OrderedDictionary<String, JSONValue>

/// A GeoJSON Feature (RFC 7946 §3.2).
public struct Feature: Hashable, Sendable {
    public var id: FeatureID?
    /// nil is GeoJSON's `"geometry": null` (an unlocated feature).
    public var geometry: Geometry?
    /// nil is `"properties": null`.
    public var properties: OrderedDictionary<String, JSONValue>?
    /// The `bbox` member as read, `[west, south, east, north]` or with heights
    /// `[west, south, low, east, north, high]`.
    public var bbox: [Double]?
    public var foreignMembers: ForeignMembers

    public init(
        id: FeatureID? = nil,
        geometry: Geometry?,
        properties: OrderedDictionary<String, JSONValue>? = [:],
        bbox: [Double]? = nil,
        foreignMembers: ForeignMembers = [:]
    ) {
        self.id = id
        self.geometry = geometry
        self.properties = properties
        self.bbox = bbox
        self.foreignMembers = foreignMembers
    }

    /// A property value, or nil when absent (`.null` when present and null).
    public subscript(property name: String) -> JSONValue? {
        get { properties?[name] }
        set {
            if properties == nil { properties = [:] }
            properties?[name] = newValue
        }
    }
}

/// A GeoJSON FeatureCollection (RFC 7946 §3.3).
public struct FeatureCollection: Hashable, Sendable {
    public var features: [Feature]
    public var bbox: [Double]?
    public var foreignMembers: ForeignMembers

    public init(features: [Feature] = [], bbox: [Double]? = nil, foreignMembers: ForeignMembers = [:]) {
        self.features = features
        self.bbox = bbox
        self.foreignMembers = foreignMembers
    }
}

/// Any GeoJSON text's top-level object.
public enum GeoJSONObject: Hashable, Sendable {
    case geometry(Geometry)
    case feature(Feature)
    case featureCollection(FeatureCollection)

    /// The features it holds: a bare geometry becomes one feature with null properties.
    public var features: [Feature] {
        switch self {
        case .geometry(let g): [Feature(geometry: g, properties: nil)]
        case .feature(let f): [f]
        case .featureCollection(let fc): fc.features
        }
    }
}
