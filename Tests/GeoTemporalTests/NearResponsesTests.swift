import Foundation
import GeoCore
@testable import GeoTemporal
import Testing

/// The permutation test's lists of near responses (`ResponseWindows.nearResponses`): each
/// attack's list is exactly the responses the distance rule keeps, wherever they are (sites
/// with several events, scattered points, the antimeridian, the pole), and counting with the
/// lists gives the sweep's count for any re-timing of the responses.
@Suite struct NearResponsesTests {
    static let radius = 6_371_008.8

    static func spherical(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        func unit(_ lat: Double, _ lon: Double) -> (Double, Double, Double) {
            let (p, l) = (lat * .pi / 180, lon * .pi / 180)
            return (cos(p) * cos(l), cos(p) * sin(l), sin(p))
        }
        let (a, b) = (unit(lat1, lon1), unit(lat2, lon2))
        return acos(min(1, max(-1, a.0 * b.0 + a.1 * b.1 + a.2 * b.2))) * radius
    }

    /// `n` day-dated events (one in nine a week), most a few hundred metres from one of `sites`.
    static func events(_ n: Int, sites: [(Double, Double)], using rng: inout SeededGenerator) -> TimedPoints {
        var starts: [Double] = [], ends: [Double] = [], lats: [Double] = [], lons: [Double] = []
        for i in 0..<n {
            let dayNumber = Double(Int.random(in: 0..<60, using: &rng))
            starts.append(dayNumber * day)
            ends.append((dayNumber + (i % 9 == 4 ? 7 : 1)) * day)
            if i % 10 == 9 {
                lats.append(Double.random(in: 30...37, using: &rng))
                lons.append(Double.random(in: 36...44, using: &rng))
            } else {
                let (lat, lon) = Self.jittered(sites[i % sites.count], by: 0.006, using: &rng)
                lats.append(lat)
                lons.append(lon)
            }
        }
        return TimedPoints(startSeconds: starts, endSeconds: ends, longitudes: lons, latitudes: lats)
    }

    /// A position up to `degrees` from `site` (latitude, longitude) in each coordinate: the
    /// latitude at most 90, the longitude wrapped into −180…180.
    static func jittered(_ site: (Double, Double), by degrees: Double, using rng: inout SeededGenerator) -> (Double, Double) {
        let latitude = min(90, site.0 + Double.random(in: -degrees...degrees, using: &rng))
        var longitude = site.1 + Double.random(in: -degrees...degrees, using: &rng)
        if longitude > 180 { longitude -= 360 } else if longitude < -180 { longitude += 360 }
        return (latitude, longitude)
    }

    @Test func listsAreTheRuleAndCountsAreTheSweeps() throws {
        var rng = SeededGenerator(seed: 11)
        var sites = (0..<12).map { _ in (Double.random(in: 30...37, using: &rng), Double.random(in: 36...44, using: &rng)) }
        sites += [(0, 179.9995), (0.001, -179.9995), (89.998, 10), (89.998, -170)]
        let attacks = Self.events(700, sites: sites, using: &rng), responses = Self.events(600, sites: sites, using: &rng)
        // A "geodesic" 0.3 % shorter than the spherical distance.
        let geodesic = { (lat1: Double, lon1: Double, lat2: Double, lon2: Double) in Self.spherical(lat1, lon1, lat2, lon2) * 0.997 }
        for limit in [300.0, 1_000, 25_000] {
            let w = ResponseWindows(attacks: attacks, responses: responses, rule: WindowRule(maxLagSeconds: 2 * day, withinMeters: limit),
                                    geodesicDistance: geodesic)
            let near = try #require(w.nearResponses(), "limit \(limit)")
            var listedPairs = 0
            for a in 0..<attacks.count {
                let listed = near.responses[near.starts[a]..<near.starts[a + 1]].map(Int.init)
                let expected = (0..<responses.count).filter {
                    geodesic(attacks.latitudes[a], attacks.longitudes[a], responses.latitudes[$0], responses.longitudes[$0]) <= limit
                }
                #expect(listed == expected, "limit \(limit), attack \(a)")
                listedPairs += listed.count
            }
            #expect(listedPairs > attacks.count, "limit \(limit): \(listedPairs) pairs")
            // Re-timed responses: the lists count what the sweep counts.
            for shift in [0, 1, 3, 10] {
                var timed = responses
                for r in 0..<timed.count {
                    let days = Double((r * 7 + shift * 13) % 5) * Double(shift)
                    timed.startSeconds[r] += days * day
                    timed.endSeconds[r] += days * day
                }
                let sweep = ResponseWindows(attacks: attacks, responses: timed, rule: w.rule, geodesicDistance: geodesic).followedAttackCount()
                #expect(near.followedAttackCount(attacks: attacks, responses: timed, overlap: w.spansOverlap) == sweep,
                        "limit \(limit), shift \(shift)")
                #expect(sweep > 0)
            }
            // Too many candidates: no lists (the sweep counts).
            #expect(w.nearResponses(maxCandidates: 10) == nil)
        }
        // No distance rule, no lists.
        #expect(ResponseWindows(attacks: attacks, responses: responses, rule: WindowRule(maxLagSeconds: day), geodesicDistance: geodesic)
            .nearResponses() == nil)
    }
}
