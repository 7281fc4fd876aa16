import Foundation
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

/// `GeodesicGrid.candidates`' lower bounds, which let `NearestTargets` skip exact distances.
@Suite struct GridCandidateBoundTests {
    /// Every candidate's bound is at most its exact distance and at least 0.98 of it, for points
    /// over the whole globe, near the poles, on the equator and packed within metres of each other;
    /// every point within the radius is a candidate, with `query`'s distance.
    @Test(arguments: [5.0, 40_000.0, 1_500_000.0, 20_004_000.0])
    func boundsAreBelowTheExactDistance(radiusMeters: Double) throws {
        var rng = SeededGenerator(seed: 23)
        var lon: [Double] = [], lat: [Double] = []
        for i in 0..<900 {
            switch i % 3 {
            case 0:  // uniform on the sphere
                lon.append(Double.random(in: -180...180, using: &rng))
                lat.append(asin(Double.random(in: -1...1, using: &rng)) * 180 / .pi)
            case 1:  // near a pole or the equator, where the ellipsoid departs most from the sphere
                lon.append(Double.random(in: -180...180, using: &rng))
                lat.append([89.75, -89.5, 0.0, 0.3][i % 4] + Double.random(in: -0.2...0.2, using: &rng))
            default:  // within metres of a point
                lon.append(44.0 + Double.random(in: -1e-4...1e-4, using: &rng))
                lat.append(36.0 + Double.random(in: -1e-4...1e-4, using: &rng))
            }
        }
        let grid = try GeodesicGrid(longitudes: lon, latitudes: lat, radius: .meters(radiusMeters))
        var worst = (below: 0.0, loose: 1.0)
        for q in stride(from: 0, to: lon.count, by: 7) {
            var bounds: [Int: Double] = [:]
            grid.candidates(longitude: lon[q], latitude: lat[q]) { bounds[Int(grid.sortedIndex[$0])] = $1 }
            var within: [Int: Double] = [:]
            grid.query(longitude: lon[q], latitude: lat[q]) { within[$0] = $1 }
            for index in within.keys {
                #expect(bounds[index] != nil, "query \(q): point \(index) within the radius is not a candidate")
            }
            grid.candidates(longitude: lon[q], latitude: lat[q]) { s, bound in
                let exact = grid.exactMeters(longitude: lon[q], latitude: lat[q], to: s)
                let index = Int(grid.sortedIndex[s])
                if let d = within[index] { #expect(d == exact, "query \(q), point \(index): query and exactMeters differ") }
                worst.below = max(worst.below, bound - exact)
                if exact > 1 { worst.loose = min(worst.loose, bound / exact) }
            }
        }
        #expect(worst.below <= 0, "a bound exceeds its exact distance by \(worst.below) m")
        #expect(worst.loose >= 0.98, "a bound is only \(worst.loose) of its distance")

        // With the points of each cell's candidate cells kept: the same candidates and bounds in
        // the same order, for a cell's first query, later ones, and positions off the points.
        var cache = GeodesicGrid.CandidateCache()
        var differing = 0
        for q in 0..<(3 * lon.count) {
            let i = (q * 37) % lon.count
            let (qLon, qLat) = q % 4 == 3 ? (lon[i] + 0.3, max(-90, min(90, lat[i] - 0.2))) : (lon[i], lat[i])
            var plain: [(Int, Double)] = [], cached: [(Int, Double)] = []
            grid.candidates(longitude: qLon, latitude: qLat) { plain.append(($0, $1)) }
            grid.candidates(longitude: qLon, latitude: qLat, cache: &cache) { cached.append(($0, $1)) }
            if !plain.elementsEqual(cached, by: { $0 == $1 }) { differing += 1 }
        }
        #expect(differing == 0, "\(differing) queries differ with the cache")
    }
}
