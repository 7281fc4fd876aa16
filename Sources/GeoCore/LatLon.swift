/// A point as people write it: `lat,lon` in decimal degrees, latitude first.
extension Position {
    /// Reads `34.4523,40.9185` (a comma and/or spaces between the two; latitude −90…90,
    /// longitude −180…180). Only plain decimals: `0x1p5`, `inf` and `nan` are refused. A
    /// latitude out of range whose longitude would fit gets a hint that the order is lat,lon.
    public init(latLon text: String) throws(LatLonParseError) {
        let parts = text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        guard parts.count == 2, isDecimalNumber(parts[0]), isDecimalNumber(parts[1]), let lat = Double(parts[0]), let lon = Double(parts[1]) else {
            throw LatLonParseError(description: "not a point: expected lat,lon in decimal degrees, e.g. 34.4523,40.9185")
        }
        guard (-90...90).contains(lat) else {
            let hint = (-90...90).contains(lon) ? " (did you write lon,lat? the order is lat,lon)" : ""
            throw LatLonParseError(description: "latitude \(Format.shortest(lat)) is outside −90…90\(hint)")
        }
        guard (-180...180).contains(lon) else {
            throw LatLonParseError(description: "longitude \(Format.shortest(lon)) is outside −180…180")
        }
        self.init(longitude: lon, latitude: lat)
    }
}

/// Text that is not a `lat,lon` point, with the reason (a sentence for the user).
public struct LatLonParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
}
