import GeoCore

/// The geodesic between two points and its renderings (`geo distance`), for any front end:
/// distance in metres, azimuths in degrees.
public struct GeodesicReport: Sendable {
    /// The two ends, WGS84 degrees.
    public let from: Position
    public let to: Position
    /// Distance (m) and azimuths (degrees clockwise from north, −180…180).
    public let inverse: Geodesic.Inverse
    public let geodesic: Geodesic

    /// Solves the inverse problem on `geodesic` (WGS84 by default). Coincident points give
    /// distance 0. Throws `ProjError.invalidInput` for non-finite or out-of-range latitudes.
    public init(from: Position, to: Position, geodesic: Geodesic = .wgs84) throws {
        self.from = from
        self.to = to
        self.geodesic = geodesic
        inverse = try geodesic.inverse(from: from, to: to)
    }

    /// `from`, `to` ({lat, lon}), `distance_m` (to the millimetre), `distance_km` (to the metre),
    /// `azimuth1_deg` and `azimuth2_deg` (to 1e-6°, the geodesic convention −180…180).
    public var json: JSONValue {
        [
            "from": ["lat": .double(from.latitude), "lon": .double(from.longitude)],
            "to": ["lat": .double(to.latitude), "lon": .double(to.longitude)],
            "distance_m": .double((inverse.distanceMeters * 1000).rounded() / 1000),
            "distance_km": .double((inverse.distanceMeters).rounded() / 1000),
            "azimuth1_deg": .double((inverse.azimuth1Degrees * 1e6).rounded() / 1e6),
            "azimuth2_deg": .double((inverse.azimuth2Degrees * 1e6).rounded() / 1e6),
        ]
    }

    /// An azimuth in −180…180° as a compass bearing in 0…360°.
    public static func bearing(_ azimuthDegrees: Double) -> Double {
        azimuthDegrees < 0 ? azimuthDegrees + 360 : azimuthDegrees
    }

    /// A report to read: the ends (6 decimals), the distance in km and m, and the azimuths as
    /// bearings 0–360° with their compass points, one per line.
    public var text: String {
        let r = inverse
        let km = Format.grouped(r.distanceMeters / 1000, decimals: 3)
        let m = Format.grouped(r.distanceMeters, decimals: 2)
        // Text shows bearings 0–360°; JSON keeps the geodesic convention −180…180°.
        let az1 = Format.fixed(Self.bearing(r.azimuth1Degrees), 2), az2 = Format.fixed(Self.bearing(r.azimuth2Degrees), 2)
        return """
            from:            \(Format.fixed(from.latitude, 6)), \(Format.fixed(from.longitude, 6))
            to:              \(Format.fixed(to.latitude, 6)), \(Format.fixed(to.longitude, 6))
            distance:        \(km) km (\(m) m)
            initial azimuth: \(az1)° (\(Geodesic.compassPoint(azimuthDegrees: r.azimuth1Degrees)))
            final azimuth:   \(az2)° (\(Geodesic.compassPoint(azimuthDegrees: r.azimuth2Degrees)))

            """
    }

    /// The geodesic as a LineString feature with vertices every `step` (see `line(step:)`) and
    /// the JSON report's members other than `from` and `to` as properties.
    public func feature(step: Distance) throws -> Feature {
        var properties = json.objectValue ?? [:]
        properties.removeValue(forKey: "from")
        properties.removeValue(forKey: "to")
        return Feature(geometry: .lineString(try line(step: step)), properties: properties)
    }

    /// Vertices along the geodesic every `step` (at least the two ends, at most 10,001
    /// vertices), by `geod_direct`. Longitudes are unwrapped so that a line across the
    /// antimeridian stays continuous (they may leave −180…180).
    public func line(step: Distance) throws -> [Position] {
        let r = inverse
        let segments = Int(max(1, min(10_000, (r.distanceMeters / step.meters).rounded(.up))))  // clamped as a Double: a tiny step cannot overflow Int
        var line = [from]
        for i in 1..<segments {
            let d = r.distanceMeters * Double(i) / Double(segments)
            var p = try geodesic.direct(from: from, azimuthDegrees: r.azimuth1Degrees, distanceMeters: d).destination
            let previous = line[line.count - 1].longitude
            while p.longitude - previous > 180 { p.x -= 360 }
            while p.longitude - previous < -180 { p.x += 360 }
            line.append(p)
        }
        var end = to
        while end.longitude - line[line.count - 1].longitude > 180 { end.x -= 360 }
        while end.longitude - line[line.count - 1].longitude < -180 { end.x += 360 }
        line.append(end)
        return line
    }
}
