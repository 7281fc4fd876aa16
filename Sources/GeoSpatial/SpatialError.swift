import GeoCore

/// Bad input to a spatial operation: a coordinate that is not a longitude/latitude, a distance
/// out of range, arrays of different lengths, an unknown country.
public struct SpatialError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Index of the offending point in the input arrays, when one point is to blame.
    public var index: Int?
    public var reason: String

    public init(index: Int? = nil, _ reason: String) {
        self.index = index
        self.reason = reason
    }

    public var description: String { index.map { "point \($0): \(reason)" } ?? reason }

    /// Checks that every point is a finite longitude in −180…180 and latitude in −90…90.
    static func checkCoordinates(latitudes: [Double], longitudes: [Double]) throws(SpatialError) {
        guard latitudes.count == longitudes.count else {
            throw SpatialError("\(latitudes.count) latitudes but \(longitudes.count) longitudes")
        }
        for i in latitudes.indices {
            let lat = latitudes[i], lon = longitudes[i]
            guard lat.isFinite, lon.isFinite else {
                throw SpatialError(index: i, "coordinates must be finite numbers, got longitude \(lon), latitude \(lat)")
            }
            guard (-90...90).contains(lat) else {
                let hint = (-90...90).contains(lon) && !(-90...90).contains(lat) && (-180...180).contains(lat) ? " (longitude and latitude swapped?)" : ""
                throw SpatialError(index: i, "latitude \(lat) is outside −90…90\(hint)")
            }
            guard (-180...180).contains(lon) else {
                throw SpatialError(index: i, "longitude \(lon) is outside −180…180")
            }
        }
    }
}
