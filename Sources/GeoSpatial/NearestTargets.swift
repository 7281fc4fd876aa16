import GeoCore
import GeoProj

/// One target near a point.
public struct NearbyTarget: Hashable, Sendable {
    /// Index of the target in the arrays the index was built from.
    public var targetIndex: Int
    /// Geodesic distance in metres (WGS84).
    public var distanceMeters: Double
    /// Azimuth from the target towards the point, degrees clockwise from north, 0…360
    /// (meaningless at zero distance, where PROJ reports 180; outputs write null).
    public var bearingDegrees: Double

    /// "12 km NW of al-Tanf garrison"; "3.4 km E of …" under 10 km; "at …" under 500 m
    /// (the wording of `PlaceRelation.phrase`).
    public func phrase(name: String) -> String {
        if distanceMeters < 500 { return "at \(name)" }
        let km = distanceMeters / 1000
        let amount = km < 10 ? String(Double((km * 10).rounded()) / 10) : String(Int(km.rounded()))
        return "\(amount) km \(Geodesic.compassPoint(azimuthDegrees: bearingDegrees)) of \(name)"
    }
}

/// The k nearest of a set of target points (sites) for many query points, exactly, without
/// comparing every pair: queries are answered in rounds of radius search over a
/// `GeodesicGrid` of the targets (25 km, then ×4), a query leaving the rounds once k targets
/// lie within the radius (or the radius spans the globe), so its k nearest are among them.
/// Ties are broken by target index. Degrees in, metres out.
public struct NearestTargets: Sendable {
    public let longitudes: [Double]
    public let latitudes: [Double]

    /// - Throws: `SpatialError.invalidCoordinate` naming the first bad target.
    public init(longitudes: [Double], latitudes: [Double]) throws {
        guard longitudes.count == latitudes.count else {
            throw SpatialError.invalidParameter("\(longitudes.count) longitudes but \(latitudes.count) latitudes")
        }
        for i in latitudes.indices where !(latitudes[i].isFinite && longitudes[i].isFinite && abs(latitudes[i]) <= 90) {
            throw SpatialError.invalidCoordinate(index: i, longitude: longitudes[i], latitude: latitudes[i])
        }
        self.longitudes = longitudes
        self.latitudes = latitudes
    }

    /// For each query point, up to `k` nearest targets, nearest first; with `within`, only
    /// targets at most that far (possibly none).
    /// - Throws: `SpatialError.invalidCoordinate` naming the first bad query point,
    ///   `.invalidParameter` for k < 1 or a `within` that is not positive.
    public func nearest(longitudes queryLongitudes: [Double], latitudes queryLatitudes: [Double], k: Int, within: Distance? = nil) throws -> [[NearbyTarget]] {
        guard k >= 1 else { throw SpatialError.invalidParameter("k must be at least 1, got \(k)") }
        if let within, !(within.meters > 0 && within.meters.isFinite) {
            throw SpatialError.invalidParameter("the search radius must be a positive distance, got \(within)")
        }
        guard queryLongitudes.count == queryLatitudes.count else {
            throw SpatialError.invalidParameter("\(queryLongitudes.count) longitudes but \(queryLatitudes.count) latitudes")
        }
        for i in queryLatitudes.indices where !(queryLatitudes[i].isFinite && queryLongitudes[i].isFinite && abs(queryLatitudes[i]) <= 90) {
            throw SpatialError.invalidCoordinate(index: i, longitude: queryLongitudes[i], latitude: queryLatitudes[i])
        }
        var results = [[NearbyTarget]](repeating: [], count: queryLatitudes.count)
        guard !latitudes.isEmpty else { return results }
        let halfCircumference = 20_004_000.0
        var radius = within?.meters ?? 25_000
        var pending = Array(queryLatitudes.indices)
        var found: [(index: Int, distance: Double)] = []
        while !pending.isEmpty {
            let grid = try GeodesicGrid(longitudes: longitudes, latitudes: latitudes, radius: .meters(radius))
            let last = within != nil || radius >= halfCircumference
            var next: [Int] = []
            for q in pending {
                found.removeAll(keepingCapacity: true)
                grid.query(longitude: queryLongitudes[q], latitude: queryLatitudes[q]) { found.append(($0, $1)) }
                guard found.count >= k || last else { next.append(q); continue }
                found.sort { ($0.distance, $0.index) < ($1.distance, $1.index) }
                results[q] = found.prefix(k).map { t in
                    let r = Geodesic.wgs84.inverseUnchecked(
                        latitude1: latitudes[t.index], longitude1: longitudes[t.index],
                        latitude2: queryLatitudes[q], longitude2: queryLongitudes[q])
                    return NearbyTarget(targetIndex: t.index, distanceMeters: t.distance,
                                        bearingDegrees: r.azimuth1Degrees < 0 ? r.azimuth1Degrees + 360 : r.azimuth1Degrees)
                }
            }
            pending = next
            radius = min(halfCircumference, radius * 4)
        }
        return results
    }
}
