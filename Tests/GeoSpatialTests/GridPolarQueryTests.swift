import GeoCore
import GeoProj
import GeoSpatial
import Testing

/// Radius queries and DBSCAN core flags against brute force on points crowded at both poles
/// and on both sides of the antimeridian, from 1 km to 2,000 km.
@Suite struct GridPolarQueryTests {
    static func points(_ n: Int, seed: UInt64) -> (longitudes: [Double], latitudes: [Double]) {
        var rng = SeededGenerator(seed: seed)
        var lons: [Double] = [], lats: [Double] = []
        for i in 0..<n {
            switch i % 5 {
            case 0: lats.append(Double.random(in: 88...90, using: &rng)); lons.append(Double.random(in: -180...180, using: &rng))
            case 1: lats.append(Double.random(in: -90 ... -88, using: &rng)); lons.append(Double.random(in: -180...180, using: &rng))
            case 2:
                lats.append(Double.random(in: -60...60, using: &rng))
                lons.append(Bool.random(using: &rng) ? Double.random(in: 179.5...180, using: &rng) : Double.random(in: -180 ... -179.5, using: &rng))
            default: lats.append(Double.random(in: -5...5, using: &rng)); lons.append(Double.random(in: -3...3, using: &rng))
            }
        }
        return (lons, lats)
    }

    @Test(arguments: [1_000.0, 30_000.0, 250_000.0, 2_000_000.0])
    func queriesAndCoreFlagsEqualBruteForce(radius: Double) throws {
        let (lons, lats) = Self.points(2_000, seed: UInt64(radius))
        let g = Geodesic.wgs84
        func within(_ i: Int, _ j: Int) -> Bool {
            g.inverseUnchecked(latitude1: lats[i], longitude1: lons[i], latitude2: lats[j], longitude2: lons[j]).distanceMeters <= radius
        }
        let grid = try GeodesicGrid(longitudes: lons, latitudes: lats, radius: .meters(radius))
        for q in stride(from: 0, to: lats.count, by: 7) {
            var found: Set<Int> = []
            grid.query(longitude: lons[q], latitude: lats[q]) { j, _ in found.insert(j) }
            #expect(found == Set(lats.indices.filter { within(q, $0) }), "query \(q) at \(lats[q]), \(lons[q])")
        }
        let neighbours = lats.indices.map { i in lats.indices.filter { within(i, $0) }.count }
        let result = try SpatialClustering.cluster(longitudes: lons, latitudes: lats, within: .meters(radius), minPoints: 4)
        for i in lats.indices {
            #expect((result.roles[i] == .core) == (neighbours[i] >= 4), "point \(i) at \(lats[i]), \(lons[i])")
        }
    }
}
