import Foundation
import GeoCore
@testable import GeoTemporal
import Testing

/// With a distance rule, `ResponseWindows` looks for pairs only in neighbouring cells of space
/// (`SpaceCells`). Every answer must still be the one a look at every pair gives: events at
/// sites and scattered, across the antimeridian and at the pole, dated to the instant, the day,
/// the week and the month, for limits from a metre (under the smallest cell) to more than cells
/// are made for (one cell then).
@Suite struct WindowCellsTests {
    /// `n` events: most at or a few hundred metres from one of `sites`, one in eight scattered; one in
    /// five an instant, one in seven a week, one in eleven a month, the rest a day.
    static func events(_ n: Int, sites: [(Double, Double)], using rng: inout SeededGenerator) -> TimedPoints {
        var starts: [Double] = [], ends: [Double] = [], lats: [Double] = [], lons: [Double] = []
        for i in 0..<n {
            let dayNumber = Double(Int.random(in: 0..<40, using: &rng))
            let (start, length): (Double, Double) =
                i % 5 == 0 ? (dayNumber * day + Double(Int.random(in: 0..<24, using: &rng)) * 3600, 0)
                : i % 7 == 0 ? (dayNumber * day, 7 * day) : i % 11 == 0 ? (dayNumber * day, 30 * day) : (dayNumber * day, day)
            starts.append(start)
            ends.append(start + length)
            if i % 8 == 7 {
                lats.append(Double.random(in: 30...37, using: &rng))
                lons.append(Double.random(in: 36...44, using: &rng))
            } else if i % 3 == 0 {
                lats.append(sites[i % sites.count].0)
                lons.append(sites[i % sites.count].1)
            } else {
                let (lat, lon) = NearResponsesTests.jittered(sites[i % sites.count], by: 0.004, using: &rng)
                lats.append(lat)
                lons.append(lon)
            }
        }
        return TimedPoints(startSeconds: starts, endSeconds: ends, longitudes: lons, latitudes: lats)
    }

    @Test(arguments: [1.0, 5, 400, 1_000, 30_000, 4_000_000])
    func cellsFindWhatEveryPairFinds(limitMeters: Double) {
        var rng = SeededGenerator(seed: 23)
        var sites = (0..<10).map { _ in (Double.random(in: 30...37, using: &rng), Double.random(in: 36...44, using: &rng)) }
        sites += [(0, 179.9997), (0.0005, -179.9997), (89.999, 10), (89.999, -170)]
        let attacks = Self.events(500, sites: sites, using: &rng), responses = Self.events(450, sites: sites, using: &rng)
        // A "geodesic" 0.3 % shorter than the spherical distance.
        let geodesic = { (lat1: Double, lon1: Double, lat2: Double, lon2: Double) in
            NearResponsesTests.spherical(lat1, lon1, lat2, lon2) * 0.997
        }
        let rule = WindowRule(minLagSeconds: 6 * 3600, maxLagSeconds: 3 * day, withinMeters: limitMeters)
        let w = ResponseWindows(attacks: attacks, responses: responses, rule: rule, geodesicDistance: geodesic)
        // Every pair looked at.
        var pairs = Set<[Int]>()
        var firstResponse = [Int](repeating: -1, count: attacks.count)
        var mostRecent = [Int](repeating: -1, count: responses.count)
        var windowCounts = [Int](repeating: 0, count: responses.count)
        func earlier(_ r: Int, than best: Int) -> Bool {
            best < 0 || (responses.midpointSeconds(r), r) < (responses.midpointSeconds(best), best)
        }
        func later(_ a: Int, than best: Int) -> Bool {
            best < 0 || attacks.midpointSeconds(a) > attacks.midpointSeconds(best)
                || (attacks.midpointSeconds(a) == attacks.midpointSeconds(best) && a < best)
        }
        var firstPreferred = firstResponse, recentPreferred = mostRecent
        for a in 0..<attacks.count {
            for r in 0..<responses.count {
                guard w.spansOverlap(attacks.startSeconds[a], attacks.endSeconds[a], responses.startSeconds[r], responses.endSeconds[r]),
                      geodesic(attacks.latitudes[a], attacks.longitudes[a], responses.latitudes[r], responses.longitudes[r]) <= limitMeters
                else { continue }
                pairs.insert([a, r])
                windowCounts[r] += 1
                let plausible = w.lag(attack: a, response: r).nominalSeconds >= rule.minLagSeconds
                if earlier(r, than: firstResponse[a]) { firstResponse[a] = r }
                if plausible, earlier(r, than: firstPreferred[a]) { firstPreferred[a] = r }
                if later(a, than: mostRecent[r]) { mostRecent[r] = a }
                if plausible, later(a, than: recentPreferred[r]) { recentPreferred[r] = a }
            }
        }
        let expectedFirst = zip(firstPreferred, firstResponse).map { $0 >= 0 ? $0 : $1 }
        let expectedRecent = zip(recentPreferred, mostRecent).map { $0 >= 0 ? $0 : $1 }
        #expect(pairs.count > 50, "limit \(limitMeters): \(pairs.count) pairs")

        #expect(w.firstResponseIndices() == expectedFirst, "limit \(limitMeters)")
        #expect(w.mostRecentAttackIndices() == expectedRecent, "limit \(limitMeters)")
        #expect(w.anyResponseIndices().map { $0 >= 0 } == expectedFirst.map { $0 >= 0 }, "limit \(limitMeters)")
        #expect(w.followedAttackCount() == expectedFirst.filter { $0 >= 0 }.count)
        #expect((0..<responses.count).map(w.windowCount(forResponse:)) == windowCounts, "limit \(limitMeters)")
        var listed = Set<[Int]>()
        w.forEachPair { listed.insert([$0.attack, $0.response]) }
        #expect(listed == pairs, "limit \(limitMeters)")
        // Responses without a most recent attack are skipped: the same pairs, in the same order.
        var inOrder: [[Int]] = [], skipping: [[Int]] = []
        w.forEachPair { inOrder.append([$0.attack, $0.response]) }
        w.forEachPair(mostRecentAttacks: w.mostRecentAttackIndices()) { skipping.append([$0.attack, $0.response]) }
        #expect(skipping == inOrder, "limit \(limitMeters)")
        // (And a response with one has attacks in its window.)
        #expect((0..<responses.count).allSatisfy { (expectedRecent[$0] >= 0) == (windowCounts[$0] > 0) }, "limit \(limitMeters)")
        let summary = w.summary()
        #expect(summary.pairCount == pairs.count)
        #expect(summary.followedAttackCount == expectedFirst.filter { $0 >= 0 }.count)
        // Re-timed responses (as the permutation test re-times them) are paired as anew.
        var timed = responses
        for r in 0..<timed.count {
            let days = Double((r * 7) % 5) - 2
            timed.startSeconds[r] += days * day
            timed.endSeconds[r] += days * day
        }
        let reused = ResponseWindows(attacks: attacks, responses: timed, rule: rule, geodesicDistance: geodesic, reusing: w)
        let fresh = ResponseWindows(attacks: attacks, responses: timed, rule: rule, geodesicDistance: geodesic)
        #expect(reused.anyResponseIndices() == fresh.anyResponseIndices())
        #expect(reused.firstResponseIndices() == fresh.firstResponseIndices())
    }

    /// The test against chance tells its progress after each round of re-timings, up to all of
    /// them, and gives the same result told or not (rounds drawn from the one generator).
    @Test func permutationProgressIsToldAndChangesNothing() {
        var rng = SeededGenerator(seed: 5)
        let sites = [(33.5, 40.2), (34.1, 41.0), (35.0, 38.9)]
        let attacks = Self.events(300, sites: sites, using: &rng), responses = Self.events(280, sites: sites, using: &rng)
        let w = ResponseWindows(attacks: attacks, responses: responses, rule: WindowRule(maxLagSeconds: 2 * day, withinMeters: 2_000),
                                geodesicDistance: { NearResponsesTests.spherical($0, $1, $2, $3) * 0.997 })
        var told: [Int] = []
        let quiet = w.permutationTest(studyStartSeconds: 0, studyEndSeconds: 45 * day, permutations: 19, seed: 3)
        let tellingTest = w.permutationTest(studyStartSeconds: 0, studyEndSeconds: 45 * day, permutations: 19, seed: 3) { told.append($0) }
        #expect(tellingTest == quiet)
        #expect(told.last == 19 && told == told.sorted() && Set(told).count == told.count, "\(told)")
        #expect(quiet.observedFollowedAttacks > 0)
    }

    /// A position that is not a number (from a library caller: layers have none) gets a cell
    /// of its own and pairs with nothing; the others pair as before.
    @Test func positionsNotANumberPairWithNothing() {
        let attacks = TimedPoints(startSeconds: [0, 0], endSeconds: [day, day], longitudes: [40, .nan], latitudes: [33, 33])
        let responses = TimedPoints(startSeconds: [0, 0, 0], endSeconds: [day, day, day], longitudes: [40.001, .nan, 40], latitudes: [33, 33, .infinity])
        let w = ResponseWindows(attacks: attacks, responses: responses, rule: WindowRule(maxLagSeconds: day, withinMeters: 1_000),
                                geodesicDistance: { NearResponsesTests.spherical($0, $1, $2, $3) })
        #expect(w.firstResponseIndices() == [0, -1])
        #expect(w.mostRecentAttackIndices() == [0, -1, -1])
        #expect(w.followedAttackCount() == 1)
        #expect(w.permutationTest(studyStartSeconds: 0, studyEndSeconds: 10 * day, permutations: 9, seed: 1).observedFollowedAttacks == 1)
    }

    /// The grid coordinates a key packs come back out of it, negative ones too.
    @Test func keysHoldTheirCoordinates() {
        let far = Int64(1 << 19) + 1
        for c in [(Int64(0), Int64(0), Int64(0)), (-1, 1, -far), (far, -far, 5), (-far, far, -1)] {
            let back = SpaceCells.coordinates(ofKey: SpaceCells.key(c))
            let same = back == c
            #expect(same, "\(c)")
        }
    }

    /// The batch searches on all cores give what one search at a time gives.
    @Test func sharesOnCoresAreInOrder() {
        let count = 3 * 4096 + 17
        #expect(ResponseWindows.onAllCores(count) { $0 * 3 + 1 } == (0..<count).map { $0 * 3 + 1 })
        #expect(ResponseWindows.onAllCores(5) { -$0 } == [0, -1, -2, -3, -4])
        #expect(ResponseWindows.onAllCores(0) { $0 } == [])
    }
}
