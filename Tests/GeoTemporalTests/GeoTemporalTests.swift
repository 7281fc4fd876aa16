// Tests of GeoTemporal.
import Foundation
import GeoCore
@testable import GeoTemporal
import Testing

let day = 86_400.0

/// Events as whole days (day-precision spans) from day numbers.
func days(_ numbers: [Int]) -> TimedPoints {
    TimedPoints(startSeconds: numbers.map { Double($0) * day }, endSeconds: numbers.map { Double($0 + 1) * day })
}

func noDistance(_: Double, _: Double, _: Double, _: Double) -> Double { 0 }

@Suite struct CalendarTests {
    @Test func civilDatesRoundTrip() {
        #expect(UTCCalendar.daysSinceEpoch(year: 1970, month: 1, day: 1) == 0)
        #expect(UTCCalendar.daysSinceEpoch(year: 2024, month: 1, day: 28) == 19_750)
        #expect(UTCCalendar.isoDate(daysSinceEpoch: 19_750) == "2024-01-28")
        #expect(UTCCalendar.isoDate(daysSinceEpoch: -1) == "1969-12-31")
        for d in stride(from: -800_000, to: 800_000, by: 997) {
            let c = UTCCalendar.civilDate(daysSinceEpoch: d)
            #expect(UTCCalendar.daysSinceEpoch(year: c.year, month: c.month, day: c.day) == d)
        }
    }

    @Test func isoWeeksStartOnMonday() {
        let monday = UTCCalendar.daysSinceEpoch(year: 2024, month: 1, day: 1)
        #expect(PeriodUnit.week.label(ofPeriod: PeriodUnit.week.periodIndex(containingDay: monday)) == "2024-W01")
        #expect(PeriodUnit.week.periodIndex(containingDay: monday + 6) == PeriodUnit.week.periodIndex(containingDay: monday))
        #expect(PeriodUnit.week.periodIndex(containingDay: monday - 1) == PeriodUnit.week.periodIndex(containingDay: monday) - 1)
        let sunday = UTCCalendar.daysSinceEpoch(year: 2021, month: 1, day: 3)
        #expect(PeriodUnit.week.label(ofPeriod: PeriodUnit.week.periodIndex(containingDay: sunday)) == "2020-W53")
        let oct17 = UTCCalendar.daysSinceEpoch(year: 2023, month: 10, day: 17)
        #expect(PeriodUnit.week.label(ofPeriod: PeriodUnit.week.periodIndex(containingDay: oct17)) == "2023-W42")
        #expect(PeriodUnit.month.label(ofPeriod: PeriodUnit.month.periodIndex(containingDay: oct17)) == "2023-10")
        #expect(PeriodUnit.month.startDay(ofPeriod: PeriodUnit.month.periodIndex(containingDay: oct17)) == oct17 - 16)
    }
}

@Suite struct ResponseWindowTests {
    @Test func dayPrecisionPairsByCalendarDays() {
        // Attacks on days 0, 10, 30; responses on days 0 (same day), 5, 14, 24, 45.
        let w = ResponseWindows(attacks: days([0, 10, 30]), responses: days([0, 5, 14, 24, 45]),
                                rule: WindowRule(maxLagSeconds: 14 * day), geodesicDistance: noDistance)
        var pairs: [(Int, Int, Double, Bool)] = []
        w.forEachPair { pairs.append(($0.attack, $0.response, $0.lag.nominalSeconds / day, $0.certain)) }
        let expected: [(Int, Int, Double, Bool)] = [
            (0, 0, 0, false), (0, 1, 5, true), (1, 2, 4, true), (0, 2, 14, false), (1, 3, 14, false),
        ]
        #expect(pairs.count == expected.count)
        for (p, e) in zip(pairs, expected) {
            #expect(p.0 == e.0 && p.1 == e.1 && p.2 == e.2 && p.3 == e.3, "\(p) vs \(e)")
        }
        #expect(w.mostRecentAttack(forResponse: 2)?.attack == 1)
        #expect(w.mostRecentAttack(forResponse: 4) == nil)
        #expect(w.firstResponse(toAttack: 0)?.response == 0)
        #expect(w.firstResponse(toAttack: 2) == nil)
        #expect((0..<5).map { w.windowCount(forResponse: $0) } == [1, 1, 2, 1, 0])
        let s = w.summary()
        #expect(s.followedAttackCount == 2 && s.precededResponseCount == 4 && s.pairCount == 5)
        #expect(w.followedAttackCount() == 2)
    }

    @Test func minimumLagAndExactTimes() {
        // Exact instants: attack at 10:00 day 0, responses at 09:00 day 0 (before), 16:00 day 0, 10:00 day 2.
        let attacks = TimedPoints(startSeconds: [36_000], endSeconds: [36_000])
        let r = [32_400.0, 57_600, 2 * day + 36_000]
        let w = ResponseWindows(attacks: attacks, responses: TimedPoints(startSeconds: r, endSeconds: r),
                                rule: WindowRule(minLagSeconds: 6 * 3600, maxLagSeconds: 48 * 3600), geodesicDistance: noDistance)
        var lagsHours: [Double] = []
        w.forEachPair { lagsHours.append($0.lag.nominalSeconds / 3600); #expect($0.lag.isExact && $0.certain) }
        #expect(lagsHours == [6, 48])  // both ends of the window are inclusive for instants
        #expect(w.windowCount(forResponse: 1) == 1 && w.windowCount(forResponse: 0) == 0 && w.windowCount(forResponse: 2) == 1)
    }

    @Test func weekPrecisionGivesALagInterval() {
        // A week-precision attack dated day 10 covers days 7…13; a response on day 20.
        let attacks = TimedPoints(startSeconds: [7 * day], endSeconds: [14 * day])
        let w = ResponseWindows(attacks: attacks, responses: days([20]), rule: WindowRule(maxLagSeconds: 7 * day),
                                geodesicDistance: noDistance)
        let p = w.mostRecentAttack(forResponse: 0)
        #expect(p != nil)
        #expect(p?.lag.lowerSeconds == 6 * day && p?.lag.upperSeconds == 14 * day)
        #expect(p?.lag.nominalSeconds == 10 * day)
        #expect(p?.certain == false)
        #expect(w.windowCount(forResponse: 0) == 1)
        // Too late for a 5-day window: the earliest possible lag is 6 days.
        let w5 = ResponseWindows(attacks: attacks, responses: days([20]), rule: WindowRule(maxLagSeconds: 5 * day),
                                 geodesicDistance: noDistance)
        #expect(w5.mostRecentAttack(forResponse: 0) == nil && w5.windowCount(forResponse: 0) == 0)
    }

    @Test func prefersResponsesPlausiblyAfterTheAttack() {
        // Attack on day 10. A month-wide response spanning days −10…19 (midpoint day 5) could be
        // 10 days after it; a day-dated response on day 12 surely is.
        let attacks = days([10])
        let both = TimedPoints(startSeconds: [-10 * day, 12 * day], endSeconds: [20 * day, 13 * day])
        let w = ResponseWindows(attacks: attacks, responses: both, rule: WindowRule(maxLagSeconds: 14 * day), geodesicDistance: noDistance)
        #expect(w.firstResponse(toAttack: 0)?.response == 1)
        #expect(w.attacksInWindow(ofResponse: 0) == [0])
        // With only the vague one it is still the first response (lag interval −21…10 days).
        let vague = ResponseWindows(attacks: attacks, responses: TimedPoints(startSeconds: [-10 * day], endSeconds: [20 * day]),
                                    rule: WindowRule(maxLagSeconds: 14 * day), geodesicDistance: noDistance)
        let p = vague.firstResponse(toAttack: 0)
        #expect(p?.response == 0 && p?.lag.nominalSeconds == -5.5 * day && p?.certain == false)
    }

    @Test func windowCountAgreesWithEnumeration() {
        var rng = SeededGenerator(seed: 7)
        var starts: [Double] = [], ends: [Double] = []
        for _ in 0..<300 {
            let d = Double(Int.random(in: 0..<200, using: &rng))
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: starts.append(d * day); ends.append(d * day + day)
            case 1: starts.append(d * day - 3 * day); ends.append(d * day + 4 * day)
            case 2: let t = d * day + Double(Int.random(in: 0..<24, using: &rng)) * 3600; starts.append(t); ends.append(t)
            default: starts.append(d * day); ends.append(d * day + 30 * day)
            }
        }
        let attacks = TimedPoints(startSeconds: Array(starts[0..<150]), endSeconds: Array(ends[0..<150]))
        let responses = TimedPoints(startSeconds: Array(starts[150...]), endSeconds: Array(ends[150...]))
        let w = ResponseWindows(attacks: attacks, responses: responses, rule: WindowRule(minLagSeconds: day, maxLagSeconds: 10 * day),
                                geodesicDistance: noDistance)
        var perResponse = [Int](repeating: 0, count: 150)
        w.forEachPair { perResponse[$0.response] += 1 }
        #expect((0..<150).map { w.windowCount(forResponse: $0) } == perResponse)
        // Brute force over all pairs.
        for r in 0..<150 {
            let brute = (0..<150).filter { a in
                let p = w.lag(attack: a, response: r)
                let aInstant = starts[a] == ends[a], rInstant = starts[150 + r] == ends[150 + r]
                return (p.upperSeconds > day || (rInstant && p.upperSeconds == day))
                    && (p.lowerSeconds < 10 * day || (aInstant && p.lowerSeconds == 10 * day))
            }.count
            #expect(brute == perResponse[r])
        }
    }

    @Test func distanceRuleUsesTheGivenGeodesic() {
        // Points along the equator; a "geodesic" that is the spherical distance exactly.
        let attacks = TimedPoints(startSeconds: [0, 0], endSeconds: [day, day], longitudes: [0, 10], latitudes: [0, 0])
        let responses = TimedPoints(startSeconds: [2 * day], endSeconds: [3 * day], longitudes: [2.6], latitudes: [0])
        var calls = 0
        let w = ResponseWindows(attacks: attacks, responses: responses, rule: WindowRule(maxLagSeconds: 7 * day, withinMeters: 300_000)) {
            _, lon1, _, lon2 in
            calls += 1
            return abs(lon2 - lon1) * .pi / 180 * 6_371_008.8
        }
        #expect(w.attacksInWindow(ofResponse: 0) == [0])
        #expect(w.windowCount(forResponse: 0) == 1)
        let d = w.pair(attack: 0, response: 0).distanceMeters!
        #expect(abs(d - 289_111) < 100)
        #expect(calls > 0)
    }

    /// The spherical bounds only spare the geodesic: for a "geodesic" that differs from the
    /// spherical distance by up to 0.55 % either way (WGS84's most, with the mean radius), the
    /// pairs are exactly those it puts within the limit, at distances on both sides of it.
    @Test func sphericalBoundsKeepEveryPairTheGeodesicKeeps() {
        let radius = 6_371_008.8, limit = 1_000.0
        func unit(_ lat: Double, _ lon: Double) -> (Double, Double, Double) {
            let (p, l) = (lat * .pi / 180, lon * .pi / 180)
            return (cos(p) * cos(l), cos(p) * sin(l), sin(p))
        }
        func spherical(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
            let (a, b) = (unit(lat1, lon1), unit(lat2, lon2))
            return acos(min(1, max(-1, a.0 * b.0 + a.1 * b.1 + a.2 * b.2))) * radius
        }
        // Attacks from 0.98 to 1.02 times the limit from the response, on eight bearings.
        let (lat0, lon0) = (30.0, 40.0)
        var lats: [Double] = [], lons: [Double] = []
        for k in 0..<400 {
            let angle = limit * (0.98 + 0.04 * Double(k) / 399) / radius, bearing = Double(k % 8) * .pi / 4
            let p1 = lat0 * .pi / 180
            let p2 = asin(sin(p1) * cos(angle) + cos(p1) * sin(angle) * cos(bearing))
            let l2 = lon0 * .pi / 180 + atan2(sin(bearing) * sin(angle) * cos(p1), cos(angle) - sin(p1) * sin(p2))
            lats.append(p2 * 180 / .pi)
            lons.append(l2 * 180 / .pi)
        }
        let attacks = TimedPoints(startSeconds: [Double](repeating: 0, count: 400), endSeconds: [Double](repeating: day, count: 400),
                                  longitudes: lons, latitudes: lats)
        let responses = TimedPoints(startSeconds: [day], endSeconds: [2 * day], longitudes: [lon0], latitudes: [lat0])
        for factor in [0.9945, 1.0, 1.0055] {
            let geodesic = { (lat1: Double, lon1: Double, lat2: Double, lon2: Double) in spherical(lat1, lon1, lat2, lon2) * factor }
            let w = ResponseWindows(attacks: attacks, responses: responses, rule: WindowRule(maxLagSeconds: 2 * day, withinMeters: limit),
                                    geodesicDistance: geodesic)
            let expected = (0..<400).filter { geodesic(lats[$0], lons[$0], lat0, lon0) <= limit }
            #expect(expected.count > 50 && expected.count < 350, "factor \(factor)")
            #expect(Set(w.attacksInWindow(ofResponse: 0)) == Set(expected), "factor \(factor)")
            #expect(w.windowCount(forResponse: 0) == expected.count, "factor \(factor)")
            #expect(w.followedAttackCount() == expected.count, "factor \(factor)")
        }
    }

    /// Synthetic attacks and responses, independent uniform times over a year.
    func independent(seed: UInt64, attacks n: Int, responses m: Int) -> (TimedPoints, TimedPoints) {
        var rng = SeededGenerator(seed: seed)
        let a = (0..<n).map { _ in Int.random(in: 0..<365, using: &rng) }
        let r = (0..<m).map { _ in Int.random(in: 0..<365, using: &rng) }
        return (days(a), days(r))
    }

    @Test func permutationPValuesAreRoughlyUniformWithoutARelationship() {
        var pValues: [Double] = []
        for seed in 0..<200 as Range<UInt64> {
            let (a, r) = independent(seed: 1000 + seed, attacks: 30, responses: 30)
            let w = ResponseWindows(attacks: a, responses: r, rule: WindowRule(minLagSeconds: day, maxLagSeconds: 7 * day),
                                    geodesicDistance: noDistance)
            let test = w.permutationTest(studyStartSeconds: 0, studyEndSeconds: 365 * day, permutations: 99, seed: seed)
            pValues.append(test.pValue)
        }
        pValues.sort()
        // Kolmogorov–Smirnov distance to the uniform distribution. Permutation p-values of a
        // discrete statistic are slightly conservative (ties count against), so allow a little
        // more than the 1% critical value 1.63/√200 = 0.115.
        var ks = 0.0
        for (i, p) in pValues.enumerated() {
            ks = max(ks, abs(p - Double(i) / 200), abs(p - Double(i + 1) / 200))
        }
        #expect(ks < 0.13, "KS distance \(ks)")
        let rejected = pValues.filter { $0 <= 0.05 }.count
        #expect(rejected <= 20, "\(rejected) of 200 below 0.05")
        #expect(pValues.filter { $0 <= 0.5 }.count >= 70)
    }

    @Test func permutationPValueIsSmallWithPlantedResponses() {
        var rng = SeededGenerator(seed: 42)
        let attackDays = (0..<30).map { _ in Int.random(in: 0..<350, using: &rng) }
        // Two thirds of the attacks answered 1–4 days later, plus 10 unrelated responses.
        var responseDays = attackDays.prefix(20).map { $0 + Int.random(in: 1...4, using: &rng) }
        responseDays += (0..<10).map { _ in Int.random(in: 0..<365, using: &rng) }
        let w = ResponseWindows(attacks: days(attackDays), responses: days(responseDays),
                                rule: WindowRule(minLagSeconds: day, maxLagSeconds: 7 * day), geodesicDistance: noDistance)
        let test = w.permutationTest(studyStartSeconds: 0, studyEndSeconds: 365 * day, permutations: 999, seed: 1)
        #expect(test.observedFollowedAttacks >= 20)
        #expect(test.pValue < 0.01, "p = \(test.pValue)")
        #expect(test.pValue >= 1.0 / 1000)
        // Same seed, same answer.
        #expect(w.permutationTest(studyStartSeconds: 0, studyEndSeconds: 365 * day, permutations: 999, seed: 1) == test)
    }
}

@Suite struct EscalationSeriesTests {
    @Test func spreadsImpreciseEventsAsFractions() {
        let jan1 = UTCCalendar.daysSinceEpoch(year: 2024, month: 1, day: 1)
        let jan = Double(jan1) * day
        // A day event on 2 Jan with 3 killed, a month-precision event (January, 31 days) with 31
        // killed, and a week-precision event centred on 31 Jan (28 Jan – 3 Feb).
        let series = EscalationSeries(
            startSeconds: [jan + day, jan, jan + 27 * day], endSeconds: [jan + 2 * day, jan + 31 * day, jan + 34 * day],
            fatalities: [3, 31, .nan], splits: [0, 0, 1], splitNames: ["militia", "US"],
            unit: .week, fromDay: jan1, toDay: jan1 + 40)
        #expect(series.periodCount == 6)
        #expect(series.spreadEventCount == 2)
        let militia = Array(series.counts(split: 0))
        #expect(abs(militia[0] - (1 + 7.0 / 31)) < 1e-12)
        #expect(abs(militia.reduce(0, +) - 2) < 1e-12)
        #expect(abs(series.fatalities(split: 0)[0] - (3 + 7)) < 1e-9)
        let us = Array(series.counts(split: 1))
        #expect(abs(us[3] - 1.0 / 7) < 1e-12 && abs(us[4] - 6.0 / 7) < 1e-12)
        #expect(abs(series.totalSpreadCounts.reduce(0, +) - 2) < 1e-12)
        #expect(series.outsideRangeCount == 0)
        // Clipped at a month range that ends with January.
        let clipped = EscalationSeries(
            startSeconds: [jan + 27 * day], endSeconds: [jan + 34 * day], fatalities: [0], splits: [0], splitNames: ["all"],
            unit: .month, fromDay: jan1, toDay: jan1 + 30)
        #expect(clipped.periodCount == 1)
        #expect(abs(clipped.counts[0] - 4.0 / 7) < 1e-12 && abs(clipped.outsideRangeCount - 3.0 / 7) < 1e-12)
    }

    @Test func derivedColumns() {
        #expect(EscalationSeries.cumulative([1, 2, 3.5]) == [1, 3, 6.5])
        #expect(EscalationSeries.rollingMean([2, 4, 6, 8], window: 2) == [2, 3, 5, 7])
        #expect(EscalationSeries.changes([2, 4, 1]) == [nil, 2, -3])
    }
}

@Suite struct ChangePointTests {
    func poisson(_ rate: Double, _ rng: inout SeededGenerator) -> Double {
        // Knuth's method; fine for small rates.
        let limit = exp(-rate)
        var k = 0.0, p = 1.0
        repeat { k += 1; p *= Double(rng.next() >> 11) * 0x1p-53 } while p > limit
        return k - 1
    }

    @Test func findsPlantedChangePoints() {
        var rng = SeededGenerator(seed: 2023)
        var counts: [Double] = []
        for (rate, length) in [(1.0, 120), (8.0, 60), (3.0, 90), (0.5, 80)] {
            for _ in 0..<length { counts.append(poisson(rate, &rng)) }
        }
        let segments = PoissonChangePoints.segment(counts, penalty: PoissonChangePoints.bicPenalty(periods: counts.count))
        let changes = segments.dropFirst().map(\.start)
        #expect(changes.count == 3, "\(changes)")
        for (found, planted) in zip(changes, [120, 180, 270]) { #expect(abs(found - planted) <= 3, "\(changes)") }
        #expect(abs(segments[1].rate - 8) < 1.2)
        // No change in a constant series.
        let flat = (0..<300).map { _ in poisson(4, &rng) }
        #expect(PoissonChangePoints.segment(flat, penalty: PoissonChangePoints.bicPenalty(periods: 300)).count == 1)
    }

    @Test func minimumSegmentLengthAndEdgeCases() {
        let counts: [Double] = [0, 0, 0, 20, 0, 0, 0, 0, 0, 0]
        let one = PoissonChangePoints.segment(counts, penalty: 1, minimumSegmentLength: 1)
        #expect(one.map(\.start) == [0, 3, 4])
        let three = PoissonChangePoints.segment(counts, penalty: 1, minimumSegmentLength: 3)
        #expect(three.allSatisfy { $0.length >= 3 })
        #expect(PoissonChangePoints.segment([], penalty: 1).isEmpty)
        #expect(PoissonChangePoints.segment([5], penalty: 1).count == 1)
    }
}

@Suite struct HawkesTests {
    @Test func recoversUnivariateParameters() throws {
        let truth = HawkesModel(baselineRate: 0.5, branchingRatio: 0.6, decayTime: 2)
        let events = Hawkes.simulate(truth, duration: 2_400, seed: 11)
        #expect(events.times.count >= 2_000, "\(events.times.count) events")
        let fit = try Hawkes.fit(events)
        let n = fit.model.branching[0][0], tau = fit.model.decayTimes[0]
        #expect(abs(n - 0.6) / 0.6 < 0.10, "branching ratio \(n)")
        #expect(abs(tau - 2) / 2 < 0.10, "decay time \(tau)")
        #expect(abs(fit.model.baselineRates[0] - 0.5) / 0.5 < 0.15, "baseline \(fit.model.baselineRates[0])")
        // The fit is a maximum: nudging any parameter lowers the likelihood.
        for nudge in [HawkesModel(baselineRate: fit.model.baselineRates[0] * 1.05, branchingRatio: n, decayTime: tau),
                      HawkesModel(baselineRate: fit.model.baselineRates[0], branchingRatio: n * 0.95, decayTime: tau),
                      HawkesModel(baselineRate: fit.model.baselineRates[0], branchingRatio: n, decayTime: tau * 1.05)] {
            #expect(Hawkes.logLikelihood(nudge, events) < fit.logLikelihood)
        }
    }

    @Test func recoversAPoissonProcessAsNoExcitation() throws {
        let events = Hawkes.simulate(HawkesModel(baselineRate: 1, branchingRatio: 0, decayTime: 1), duration: 2_000, seed: 5)
        let fit = try Hawkes.fit(events)
        #expect(fit.model.branching[0][0] < 0.05, "\(fit.model)")
        #expect(abs(fit.model.baselineRates[0] - 1) < 0.08)
    }

    @Test func recoversBivariateCrossExcitation() throws {
        // Series 0 (attacks) excites series 1 (responses) strongly; weak feedback.
        let truth = HawkesModel(baselineRates: [0.4, 0.1], branching: [[0.3, 0.1], [0.5, 0.2]], decayRates: [1.0 / 1.5, 1.0 / 4])
        let events = Hawkes.simulate(truth, duration: 3_000, seed: 3)
        #expect(events.times.count >= 2_000)
        let fit = try Hawkes.fit(events)
        for i in 0..<2 {
            for j in 0..<2 {
                #expect(abs(fit.model.branching[i][j] - truth.branching[i][j]) < 0.07, "n[\(i)][\(j)] = \(fit.model.branching[i][j])")
            }
            #expect(abs(fit.model.decayTimes[i] - truth.decayTimes[i]) / truth.decayTimes[i] < 0.25, "decay \(fit.model.decayTimes)")
        }
        #expect(fit.model.spectralRadius < 1)
    }

    @Test func bootstrapIntervalsCoverTheTruth() throws {
        let truth = HawkesModel(baselineRate: 0.5, branchingRatio: 0.5, decayTime: 1)
        let events = Hawkes.simulate(truth, duration: 2_000, seed: 21)
        let fit = try Hawkes.fit(events)
        let ci = try Hawkes.bootstrap(fit, replicates: 9, seed: 99)
        #expect(ci.usedReplicates == 9)
        #expect(ci.branching[0][0].contains(0.5), "\(ci.branching)")
        #expect(ci.decayTimes[0].contains(1), "\(ci.decayTimes) fit \(fit.model)")
        #expect(ci.branching[0][0].upperBound - ci.branching[0][0].lowerBound < 0.4)
        #expect(try Hawkes.bootstrap(fit, replicates: 9, seed: 99) == ci)
    }

    @Test func refusesTooFewOrUnsortedEvents() {
        #expect(throws: HawkesError.tooFewEvents(series: 0, count: 3)) {
            try Hawkes.fit(MarkedTimes(times: [1, 2, 3], marks: [0, 0, 0], duration: 10, dimension: 1))
        }
        #expect(throws: HawkesError.unsortedTimes(index: 1)) {
            try Hawkes.fit(MarkedTimes(times: [2, 1] + (3...12).map(Double.init), marks: Array(repeating: 0, count: 12), duration: 20, dimension: 1))
        }
    }
}

@Suite struct WindowSweepTests {
    /// The searches and the sweep of the permutation statistic agree with brute force, with and
    /// without a distance rule, on mixed precisions and many ties.
    @Test(arguments: [false, true])
    func sweepsAgreeWithSearches(withDistance: Bool) {
        var rng = SeededGenerator(seed: 99)
        func points(_ n: Int) -> TimedPoints {
            var s: [Double] = [], e: [Double] = [], lon: [Double] = [], lat: [Double] = []
            for _ in 0..<n {
                let d = Double(Int.random(in: 0..<120, using: &rng))
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: let t = d * day + Double(Int.random(in: 0..<4, using: &rng)) * 21_600; s.append(t); e.append(t)
                case 1: s.append((d - 3) * day); e.append((d + 4) * day)
                case 2: s.append(d * day); e.append((d + 30) * day)
                default: s.append(d * day); e.append(d * day + day)
                }
                lon.append(Double.random(in: 38...44, using: &rng)); lat.append(Double.random(in: 32...36, using: &rng))
            }
            return TimedPoints(startSeconds: s, endSeconds: e, longitudes: lon, latitudes: lat)
        }
        let attacks = points(400), responses = points(300)
        let rule = WindowRule(minLagSeconds: 12 * 3600, maxLagSeconds: 9 * day, withinMeters: withDistance ? 250_000 : nil)
        let w = ResponseWindows(attacks: attacks, responses: responses, rule: rule) { lat1, lon1, lat2, lon2 in
            // Equirectangular stand-in for the geodesic: the code under test must only call it.
            let x = (lon2 - lon1) * cos((lat1 + lat2) / 2 * .pi / 180), y = lat2 - lat1
            return (x * x + y * y).squareRoot() * .pi / 180 * 6_371_008.8
        }
        #expect(w.firstResponseIndices() == (0..<400).map { w.firstResponse(toAttack: $0)?.response ?? -1 })
        #expect(w.mostRecentAttackIndices() == (0..<300).map { w.mostRecentAttack(forResponse: $0)?.attack ?? -1 })
        // Brute force: the latest paired attack with nominal lag >= minLag, else the latest paired.
        let expected = (0..<300).map { r -> Int in
            let list = w.attacksInWindow(ofResponse: r)
            return list.first { w.lag(attack: $0, response: r).nominalSeconds >= rule.minLagSeconds } ?? list.first ?? -1
        }
        #expect(w.mostRecentAttackIndices() == expected)
        // Both in one scan: the same attacks, and each window's attacks counted.
        let fused = w.mostRecentAttacksAndWindowCounts()
        #expect(fused.attacks == expected)
        #expect(fused.windowCounts == (0..<300).map { w.attacksInWindow(ofResponse: $0).count })
        #expect(w.summary(mostRecentAttacks: fused.attacks, windowCounts: fused.windowCounts) == w.summary())
        // The windows searched together, and the pairs a few responses at a time.
        #expect(w.attacksInWindows(ofResponses: 0..<300, mostRecentAttacks: nil) == (0..<300).map { w.attacksInWindow(ofResponse: $0) })
        #expect(w.attacksInWindows(ofResponses: 17..<40, mostRecentAttacks: fused.attacks) == (17..<40).map { w.attacksInWindow(ofResponse: $0) })
        var whole: [WindowPair] = [], inBlocks: [WindowPair] = []
        w.forEachPair { whole.append($0) }
        w.forEachPair(mostRecentAttacks: fused.attacks, block: 7) { inBlocks.append($0) }
        #expect(inBlocks == whole && !whole.isEmpty)
        // Blocks grow while their windows are sparse and shrink where they are dense.
        let most = ResponseWindows.windowBlock, target = ResponseWindows.blockAttacks
        #expect(ResponseWindows.firstBlockSize(most) == 1_024 && ResponseWindows.firstBlockSize(7) == 7)
        #expect(ResponseWindows.nextBlockSize(after: 1_024, found: 0, largest: most) == 2_048)
        #expect(ResponseWindows.nextBlockSize(after: 16_000, found: 900, largest: most) == most)
        #expect(ResponseWindows.nextBlockSize(after: 1_024, found: 8 * target, largest: most) == 128)
        #expect(ResponseWindows.nextBlockSize(after: 2, found: 100 * target, largest: most) == 1)
        var pairsOf = [[Int]](repeating: [], count: 400)
        w.forEachPair { pairsOf[$0.attack].append($0.response) }
        let expectedFirst = (0..<400).map { a -> Int in
            let sorted = pairsOf[a].sorted { (responses.midpointSeconds($0), $0) < (responses.midpointSeconds($1), $1) }
            return sorted.first { w.lag(attack: a, response: $0).nominalSeconds >= rule.minLagSeconds } ?? sorted.first ?? -1
        }
        #expect(w.firstResponseIndices() == expectedFirst)
        #expect(w.followedAttackCount() == (0..<400).filter { w.firstResponse(toAttack: $0) != nil }.count)
        #expect(w.followedAttackCount() > 50)
    }
}
