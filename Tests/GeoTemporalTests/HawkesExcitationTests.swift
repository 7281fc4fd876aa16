import Foundation
@testable import GeoTemporal
import Testing

/// The likelihood-ratio test of no cross-excitation (`HawkesExcitationTest`) and the intervals
/// it shapes. Small and seeded: exact times (where the chi-bar-squared reference holds) and a few
/// day-dated binned fits with bootstrap replicates under the null.
@Suite struct HawkesExcitationTests {
    /// Militia (0) excite themselves and the US (1); the US excite nobody.
    static let truth = HawkesModel(baselineRates: [0.3, 0.15], branching: [[0.4, 0.0], [0.3, 0.0]], decayRates: [1 / 1.5, 1 / 1.5])

    @Test func chiBarSquaredReference() {
        #expect(HawkesExcitationTest.chiBarSquaredPValue(0) == 1)
        #expect(HawkesExcitationTest.chiBarSquaredPValue(-1e-12) == 1)
        // ½ P(χ²₁ ≥ 2.7055) = 0.05 (the 90 % point of χ²₁); ½ P(χ²₁ ≥ 3.8415) = 0.025.
        #expect(abs(HawkesExcitationTest.chiBarSquaredPValue(2.705543) - 0.05) < 1e-5)
        #expect(abs(HawkesExcitationTest.chiBarSquaredPValue(3.841459) - 0.025) < 1e-5)
        // Just above 0 the p-value is about ½: half the null mass is at 0.
        #expect(abs(HawkesExcitationTest.chiBarSquaredPValue(1e-10) - 0.5) < 1e-4)
    }

    /// The size-adjusted p-value is 1.5 × the bootstrap p-value (capped at 1). With the CLI's
    /// default 200 replicates the test rejects at 5 % where at most 5 replicates reach Λ
    /// (p = 6/201), with 39 only where none does (1/40; 2/40 does not).
    @Test func sizeAdjustedPValueAndWhereItRejects() {
        func test(_ p: Double?) -> HawkesExcitationTest {
            HawkesExcitationTest(target: 0, source: 1, statistic: 1, asymptoticPValue: 0.2, bootstrapPValue: p, replicates: 200, usedReplicates: 200)
        }
        #expect(HawkesExcitationTest.bootstrapSizeFactor == 1.5)
        #expect(test(6.0 / 201).rejects(at: 0.05) && !test(7.0 / 201).rejects(at: 0.05))
        #expect(test(1.0 / 40).rejects(at: 0.05) && !test(2.0 / 40).rejects(at: 0.05))
        #expect(test(0.8).pValue == 1 && abs(test(0.1).pValue - 0.15) < 1e-12)
        #expect(test(nil).pValue == 0.2)
    }

    /// A branching ratio on the boundary: refits that stop at 1e-10 give an interval from 0, not
    /// from 1e-10 (which, read exactly, excludes a true 0); a lower end of 1e-3 stays.
    @Test func branchingIntervalsStartAtZeroBelowWhatAFitResolves() {
        let model = HawkesModel(baselineRate: 0.3, branchingRatio: 1e-9, decayTime: 1)
        func refits(_ n: [Double]) -> Hawkes.Refits {
            Hawkes.Refits(model: model, replicates: n.count, seed: 0, baselineRates: [n.map { _ in 0.3 }], branching: [[n]], decayTimes: [n.map { _ in 1 }])
        }
        let tiny = (1...40).map { Double($0) * 1e-10 }
        for kind in HawkesInterval.allCases {
            #expect(refits(tiny).confidence(level: 0.95, interval: kind).branching[0][0].lowerBound == 0)
        }
        let clear = (1...40).map { 1e-3 + Double($0) * 1e-3 }
        #expect(refits(clear).confidence(level: 0.95, interval: .percentile).branching[0][0].lowerBound > 1e-3)
    }

    /// The fit under the null holds the entry at 0 and is never better than the free fit.
    @Test(arguments: [HawkesFitMethod.randomPlacement, .binned])
    func nullFitHoldsTheEntryAtZero(method: HawkesFitMethod) throws {
        let events = Hawkes.simulate(Self.truth, duration: 365, seed: 4)
        let fit = method == .binned
            ? try HawkesBinned.fit(events, resolution: 1, decayTimeBounds: 0.05...365) : try Hawkes.fit(events, decayTimeBounds: 0.25...365)
        let s = try #require(Hawkes.excitationStatistic(events, method: method, resolution: 1, bounds: fit.decayTimeBounds, target: 0, source: 1, full: fit))
        #expect(s.null.branching[0][1] == 0)
        #expect(s.statistic >= 0)
        // The true excitation militia → US is found: a large statistic.
        let strong = try #require(Hawkes.excitationStatistic(events, method: method, resolution: 1, bounds: fit.decayTimeBounds, target: 1, source: 0, full: fit))
        #expect(strong.null.branching[1][0] == 0)
        #expect(strong.statistic > 10, "\(strong.statistic)")
    }

    /// Exact times: the chi-bar-squared test of the true zero US → militia rejects at 5 % in
    /// about 5 % of datasets (here at most 4 of 40), and the true 0.3 militia → US in nearly all.
    @Test func exactTimesTestHasItsSizeAndPower() {
        var falseRejections = 0, trueRejections = 0, tested = 0
        for k in 0..<40 {
            let events = Hawkes.simulate(Self.truth, duration: 365, seed: UInt64(300 + k))
            guard let fit = try? Hawkes.fit(events, decayTimeBounds: 0.25...365) else { continue }
            let tests = Hawkes.excitationTests(events, fit: fit, replicates: 0, seed: 1, resolution: nil)
            guard tests.count == 2 else { continue }
            tested += 1
            #expect(tests.allSatisfy { $0.bootstrapPValue == nil && $0.pValue == $0.asymptoticPValue })
            if tests.first(where: { $0.target == 0 })!.pValue < 0.05 { falseRejections += 1 }
            if tests.first(where: { $0.target == 1 })!.pValue < 0.05 { trueRejections += 1 }
        }
        #expect(tested >= 38)
        #expect(falseRejections <= 4, "\(falseRejections)/\(tested)")
        #expect(trueRejections >= tested - 2, "\(trueRejections)/\(tested)")
    }

    /// Day-dated events counted per day (binned fit): the bootstrap p-value under the null is
    /// (1 + #{Λ* ≥ Λ}) / (1 + B), so with 3 replicates it is at least ¼ and cannot reject, and
    /// then both cross-excitation intervals start at 0 while the refits' own intervals and
    /// every other interval are unchanged.
    @Test func binnedTestShapesTheIntervals() throws {
        let truth = HawkesModel(baselineRates: [0.3, 0.15], branching: [[0.4, 0.0], [0.3, 0.0]], decayRates: [1 / 0.5, 1 / 0.5])
        let events = Hawkes.simulate(truth, duration: 365, seed: 700)
        let fit = try HawkesBinned.fit(events, resolution: 1, decayTimeBounds: 0.05...365)
        let tests = Hawkes.excitationTests(events, fit: fit, replicates: 3, seed: 5, resolution: 1)
        #expect(tests.map { [$0.target, $0.source] } == [[0, 1], [1, 0]])
        for test in tests {
            #expect(test.usedReplicates == (test.statistic > 0 ? 3 : 0))
            let scaled = try #require(test.bootstrapPValue) * 4
            #expect(abs(scaled - scaled.rounded()) < 1e-9 && scaled >= 1, "\(test)")
            #expect(!test.rejects(at: 0.05))
        }
        // militia → US is strong: the asymptotic reference alone rejects it.
        #expect(tests[1].asymptoticPValue < 1e-3, "\(tests[1])")
        let refits = try Hawkes.bootstrapRefits(fit, replicates: 6, seed: 9, resolution: 1)
        let plain = refits.confidence(level: 0.95, interval: .basic), tested = refits.confidence(level: 0.95, interval: .basic, tests: tests)
        #expect(tested.excitationTests == tests && plain.excitationTests.isEmpty)
        #expect(plain.branching[1][0].lowerBound > 0, "\(plain.branching)")
        #expect(tested.branching[1][0] == 0...plain.branching[1][0].upperBound)
        #expect(tested.branching[0][1] == 0...plain.branching[0][1].upperBound)
        #expect(tested.branching[0][0] == plain.branching[0][0] && tested.decayTimes == plain.decayTimes && tested.baselineRates == plain.baselineRates)
    }
}

/// Bootstrap quantiles at rank (B + 1)·p: with B = 40 the 95 % range is ranks 1.025 to 39.975
/// (type 7 would give 1.975 to 39.025, a 93 % range); with B = 19 it is held at the extremes.
@Suite struct BootstrapQuantileTests {
    @Test func ranksAreBPlusOneTimesP() throws {
        let forty = (1...40).map(Double.init)
        #expect(abs(try #require(Quantiles.bootstrapQuantileOfSorted(forty, 0.025)) - 1.025) < 1e-12)
        #expect(abs(try #require(Quantiles.bootstrapQuantileOfSorted(forty, 0.975)) - 39.975) < 1e-12)
        #expect(abs(try #require(Quantiles.quantileOfSorted(forty, 0.025)) - 1.975) < 1e-12)
        let nineteen = (1...19).map(Double.init)
        #expect(Quantiles.bootstrapQuantileOfSorted(nineteen, 0.025) == 1 && Quantiles.bootstrapQuantileOfSorted(nineteen, 0.975) == 19)
        #expect(Quantiles.bootstrapQuantileOfSorted([], 0.5) == nil && Quantiles.bootstrapQuantileOfSorted([3], 0.5) == 3)
    }
}
