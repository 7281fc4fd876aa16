import Foundation
@testable import GeoTemporal
import Testing

/// The binned (counts per day) Hawkes fit: its counts, its spectral density (who excites whom
/// is read from lagged counts, not from the order within a day), and its intervals for
/// day-dated events with a decay much shorter than a day.
@Suite struct HawkesBinnedTests {
    @Test func countsPerCellKeepTheLastInstantInTheLastCell() {
        let events = MarkedTimes(times: [0, 0.99, 1, 2.5, 3], marks: [0, 1, 0, 0, 1], duration: 3, dimension: 2)
        #expect(HawkesBinned.counts(events, resolution: 1) == [[1, 1, 1], [1, 0, 1]])
        #expect(HawkesBinned.counts(events, resolution: 2) == [[2, 1], [1, 1]])
    }

    /// The Whittle likelihood of a long simulated bivariate process is higher at the truth
    /// (militia excite the US) than with the direction swapped or with no cross-excitation, and
    /// the fit finds the direction; a sign slip in the cross-spectrum would swap it.
    @Test func binnedFitFindsWhoExcitesWhom() throws {
        let truth = HawkesModel(baselineRates: [0.3, 0.15], branching: [[0.4, 0.0], [0.3, 0.0]], decayRates: [1 / 2.0, 1 / 2.0])
        let events = Hawkes.simulate(truth, duration: 3000, seed: 41)
        let spectrum = HawkesBinned.Spectrum(events, resolution: 1)
        let atTruth = spectrum.logLikelihood(branching: truth.branching, decayRates: truth.decayRates)
        #expect(atTruth > spectrum.logLikelihood(branching: [[0.4, 0.6], [0.0, 0.0]], decayRates: truth.decayRates) + 5)
        #expect(atTruth > spectrum.logLikelihood(branching: [[0.4, 0.0], [0.0, 0.0]], decayRates: truth.decayRates) + 5)
        let fit = try HawkesBinned.fit(events, resolution: 1, decayTimeBounds: 0.05...3000)
        #expect(fit.method == .binned)
        #expect(abs(fit.model.branching[1][0] - 0.3) < 0.1, "\(fit.model)")
        #expect(fit.model.branching[0][1] < 0.08, "\(fit.model)")
        #expect(abs(fit.model.branching[0][0] - 0.4) < 0.1, "\(fit.model)")
        #expect(fit.model.decayTimes.allSatisfy { $0 > 1 && $0 < 4 }, "\(fit.model)")
        // Baselines follow from the mean rates: μ = (I − N) m.
        let m = (0..<2).map { Double(events.count(ofSeries: $0)) / 3000 }
        #expect(abs(fit.model.baselineRates[0] - (m[0] - fit.model.branching[0][0] * m[0] - fit.model.branching[0][1] * m[1])) < 1e-9)
    }

    /// A decay of 0.3 days seen only through counts per day: the binned fit's bootstrap intervals
    /// cover the truth (random placement's point estimate is pulled to ~0.5 days by the rounding).
    @Test func dayDatedShortDecayBinnedIntervalsCover() {
        let report = HawkesCalibration.run(
            truth: HawkesModel(baselineRate: 0.4, branchingRatio: 0.5, decayTime: 0.3), duration: 365, resolution: 1,
            datasets: 16, replicates: 30, seed: 77, decayTimeBounds: 0.05...365, method: .binned)
        #expect(report.method == .binned)
        #expect(report.fitted >= 15)
        #expect(report.branchingCoverage[0][0] >= 0.8, "\(report)")
        #expect(report.decayCoverage[0] >= 0.8, "\(report)")
        #expect(report.widerDecayCoverage[0] >= report.decayCoverage[0] && report.widerBranchingCoverage[0][0] >= 0.8, "\(report)")
        #expect(report.medianDecayTime[0] > 0.15 && report.medianDecayTime[0] < 0.45, "\(report)")
    }

    /// Replicates run on all cores come back in replicate order, each the refit of its own
    /// seed: the same as refitting one replicate after another.
    @Test func parallelBootstrapEqualsSequentialRefits() throws {
        #expect(ParallelMap.map(37, workers: 3) { $0 * $0 } == (0..<37).map { $0 * $0 })
        let truth = HawkesModel(baselineRate: 0.5, branchingRatio: 0.4, decayTime: 1)
        let fit = try HawkesBinned.fit(Hawkes.simulate(truth, duration: 200, seed: 5), resolution: 1, decayTimeBounds: 0.05...200)
        let refits = try Hawkes.bootstrapRefits(fit, replicates: 6, seed: 9, resolution: 1)
        let sequential = try (0..<6).map { r in
            try HawkesBinned.fit(
                Hawkes.simulate(fit.model, duration: 200, seed: 9 &+ UInt64(r), maximumEvents: 100_000, stationaryStart: true), resolution: 1,
                decayTimeBounds: fit.decayTimeBounds)
        }
        #expect(refits.decayTimes[0] == sequential.map { $0.model.decayTimes[0] })
        #expect(refits.branching[0][0] == sequential.map { $0.model.branching[0][0] })
    }

    @Test func bootstrapOfABinnedFitRefitsBinned() throws {
        let truth = HawkesModel(baselineRate: 0.5, branchingRatio: 0.4, decayTime: 1)
        let fit = try HawkesBinned.fit(Hawkes.simulate(truth, duration: 200, seed: 5), resolution: 1, decayTimeBounds: 0.05...200)
        let ci = try Hawkes.bootstrap(fit, replicates: 8, seed: 9, resolution: 1)
        #expect(ci.usedReplicates == 8)
        #expect(ci.branching[0][0].lowerBound >= 0 && ci.branching[0][0].upperBound > ci.branching[0][0].lowerBound)
        #expect(ci.decayTimes[0].lowerBound > 0)
    }

    /// The relaxation bound of the binned fit: a process that relaxes within the bound is left
    /// alone (scale 1), one that does not is scaled until its slowest relaxation time is the
    /// bound (one series: τ/(1 − n); two: 1/the smallest eigenvalue of B(I − N)), one whose decay
    /// time alone is longer gets no excitation (scale 0), and a non-stationary one is left to the
    /// likelihood (−∞ there).
    @Test func relaxationScaleBoundsTheSlowestRelaxation() {
        let bounded = HawkesBinned.Parameters(dimension: 1, decayTimeBounds: 0.05...365, zero: nil, longestRelaxationTime: 365)
        #expect(bounded.relaxationScale(branching: [[0.5]], decayRates: [1 / 10.0]) == 1)
        let s = bounded.relaxationScale(branching: [[0.99999]], decayRates: [1 / 25.0])
        #expect(abs(25 / (1 - 0.99999 * s) - 365) < 1e-6, "\(s)")
        #expect(bounded.relaxationScale(branching: [[0.5]], decayRates: [1 / 400.0]) == 0)
        #expect(bounded.relaxationScale(branching: [[1.2]], decayRates: [1 / 10.0]) == 1)
        let free = HawkesBinned.Parameters(dimension: 1, decayTimeBounds: 0.05...365, zero: nil)
        #expect(free.relaxationScale(branching: [[0.99999]], decayRates: [1 / 25.0]) == 1)

        let two = HawkesBinned.Parameters(dimension: 2, decayTimeBounds: 0.05...365, zero: nil, longestRelaxationTime: 365)
        let beta = [1 / 10.0, 1 / 20.0]
        #expect(two.relaxationScale(branching: [[0.4, 0], [0.3, 0]], decayRates: beta) == 1)
        let n = [[0.75, 0.2], [0.45, 0.6]]  // spectral radius 0.984 < 1, relaxation 877 days
        let rate = HawkesBinned.Parameters.slowestRelaxationRate(branching: n, decayRates: beta)!
        #expect(rate > 0 && 1 / rate > 365)
        let k = two.relaxationScale(branching: n, decayRates: beta)
        let scaled = HawkesBinned.Parameters.slowestRelaxationRate(branching: n.map { $0.map { $0 * k } }, decayRates: beta)!
        #expect(k > 0 && k < 1 && abs(1 / scaled - 365) < 1e-6, "\(k) \(1 / scaled)")
        // Against the eigenvalues of B(I − N) computed another way: the trace and determinant.
        let a = beta[0] * (1 - n[0][0]), b = -beta[0] * n[0][1], c = -beta[1] * n[1][0], d = beta[1] * (1 - n[1][1])
        #expect(abs(rate * rate - (a + d) * rate + (a * d - b * c)) < 1e-15)
    }

    /// A process started at its stationary mean excitation has the mean rate m = (I − N)⁻¹μ from
    /// the start; started empty it has far fewer events over a period comparable to its
    /// relaxation time (here 100 days of 200: expected 200 against 131 events).
    @Test func stationaryStartHasTheMeanRateFromTheStart() throws {
        let model = HawkesModel(baselineRate: 0.2, branchingRatio: 0.8, decayTime: 20)
        func meanCount(stationary: Bool) -> Double {
            let counts = (0..<200).map { Hawkes.simulate(model, duration: 200, seed: 300 + UInt64($0), stationaryStart: stationary).times.count }
            return Double(counts.reduce(0, +)) / 200
        }
        let stationary = meanCount(stationary: true), empty = meanCount(stationary: false)
        #expect(stationary > 185 && stationary < 215, "\(stationary)")
        #expect(empty > 116 && empty < 146, "\(empty)")
        let two = HawkesModel(baselineRates: [0.3, 0.15], branching: [[0.4, 0.1], [0.3, 0.2]], decayRates: [1, 0.5])
        let m = try #require(Hawkes.meanRates(two))
        #expect(abs(m[0] - 0.4 * m[0] - 0.1 * m[1] - 0.3) < 1e-12 && abs(m[1] - 0.3 * m[0] - 0.2 * m[1] - 0.15) < 1e-12, "\(m)")
    }

    /// A replicate whose rates are so unequal that no start on the grid is feasible (a baseline
    /// (I − N)m would be negative at the grid's cross-excitation of 0.05) once stopped the
    /// calibration study at a precondition; the search now starts from the best grid point anyway.
    @Test func fitWithoutAFeasibleGridPointDoesNotTrap() throws {
        var times: [Double] = [], marks: [Int] = []
        for k in 0..<12 { times.append(30 * Double(k) + 0.5); marks.append(0) }
        for k in 0..<600 { times.append(0.6 * Double(k) + 0.25); marks.append(1) }
        let order = times.indices.sorted { times[$0] < times[$1] }
        let events = MarkedTimes(times: order.map { times[$0] }, marks: order.map { marks[$0] }, duration: 365, dimension: 2)
        let fit = try HawkesBinned.fit(events, resolution: 1, decayTimeBounds: 0.05...365)
        #expect(fit.model.branching.allSatisfy { $0.allSatisfy { $0.isFinite && $0 >= 0 } })
        var zero = [[false, false], [false, false]]
        zero[0][1] = true
        let null = try HawkesBinned.fit(events, resolution: 1, decayTimeBounds: 0.05...365, zero: zero)
        #expect(null.model.branching[0][1] == 0)
    }
}
