import GeoCore
import GeoProj
@testable import GeoSpatial
import Testing

@Suite struct GridTests {
    /// Random points anywhere, with extra ones at the poles and along the antimeridian.
    static func globalPoints(_ n: Int, seed: UInt64) -> (latitudes: [Double], longitudes: [Double]) {
        var rng = SeededGenerator(seed: seed)
        var lats: [Double] = [], lons: [Double] = []
        for i in 0..<n {
            switch i % 5 {
            case 0: lats.append(Double.random(in: 88...90, using: &rng)); lons.append(Double.random(in: -180...180, using: &rng))
            case 1: lats.append(Double.random(in: -90 ... -88, using: &rng)); lons.append(Double.random(in: -180...180, using: &rng))
            case 2: lats.append(Double.random(in: -60...60, using: &rng)); lons.append(Bool.random(using: &rng) ? Double.random(in: 179.5...180, using: &rng) : Double.random(in: -180 ... -179.5, using: &rng))
            default: lats.append(Double.random(in: -5...5, using: &rng)); lons.append(Double.random(in: -180...180, using: &rng) / 60)
            }
        }
        return (lats, lons)
    }

    @Test(arguments: [1_000.0, 30_000.0, 250_000.0])
    func radiusQueriesFindExactlyThePointsWithin(radius: Double) throws {
        let (lats, lons) = Self.globalPoints(2_000, seed: UInt64(radius))
        let grid = try GeodesicGrid(latitudes: lats, longitudes: lons, cellRadius: .meters(radius))
        let g = Geodesic.wgs84
        for q in stride(from: 0, to: lats.count, by: 7) {
            var found: [Int: Double] = [:]
            grid.forEachPoint(within: .meters(radius), ofLatitude: lats[q], longitude: lons[q]) { j, d in found[j] = d }
            var expected: Set<Int> = []
            for j in lats.indices where g.inverseUnchecked(latitude1: lats[q], longitude1: lons[q], latitude2: lats[j], longitude2: lons[j]).distanceMeters <= radius {
                expected.insert(j)
            }
            #expect(Set(found.keys) == expected, "query \(q) at \(lats[q]), \(lons[q])")
        }
    }

    /// The chord shortcut: a geodesic is never shorter than its chord, and exceeds it by less
    /// than 5·10⁻⁴ of it up to 500 km, wherever on the ellipsoid.
    @Test func chordBoundsHold() throws {
        var rng = SeededGenerator(seed: 7)
        let g = Geodesic.wgs84
        var worst = 0.0
        for _ in 0..<100_000 {
            let lat = Double.random(in: -90...90, using: &rng), lon = Double.random(in: -180...180, using: &rng)
            let d = try g.direct(from: Position(longitude: lon, latitude: lat), azimuthDegrees: Double.random(in: -180...180, using: &rng),
                                 distanceMeters: Double.random(in: 1...500_000, using: &rng)).destination
            let s = g.inverseUnchecked(latitude1: lat, longitude1: lon, latitude2: d.latitude, longitude2: d.longitude).distanceMeters
            let a = WGS84.cartesian(latitude: lat, longitude: lon), b = WGS84.cartesian(latitude: d.latitude, longitude: d.longitude)
            let chord = ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z)).squareRoot()
            #expect(chord <= s + 1e-7)
            worst = max(worst, s / chord - 1)
        }
        #expect(worst < 2.6e-4 * 1.01)
        #expect(worst > 1e-4, "the sample reaches long chords")
    }

    @Test func invalidCoordinatesAreNamed() throws {
        #expect(throws: SpatialError(index: 1, "latitude 91.0 is outside −90…90 (longitude and latitude swapped?)")) {
            try GeodesicGrid(latitudes: [0, 91], longitudes: [0, 0], cellRadius: .kilometers(1))
        }
        #expect(throws: SpatialError(index: 0, "coordinates must be finite numbers, got longitude nan, latitude 0.0")) {
            try GeodesicGrid(latitudes: [0], longitudes: [.nan], cellRadius: .kilometers(1))
        }
        #expect(throws: SpatialError(index: 2, "longitude 181.0 is outside −180…180")) {
            try GeodesicGrid(latitudes: [0, 0, 0], longitudes: [0, 1, 181], cellRadius: .kilometers(1))
        }
        #expect(throws: SpatialError.self) { try GeodesicGrid(latitudes: [0], longitudes: [0], cellRadius: .meters(0.5)) }
    }
}
