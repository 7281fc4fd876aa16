/// How often `Hawkes.bootstrap` intervals cover the truth: processes simulated from a known
/// model, observed at a resolution (day-dated events: 1 day) or exactly, fitted, and bootstrapped
/// the same way as `geo escalation --hawkes`. Seeded, so a run is reproducible.
public enum HawkesCalibration {
    public struct Report: Hashable, Sendable {
        public var truth: HawkesModel
        public var duration: Double
        public var resolution: Double?
        /// Datasets simulated; datasets whose fit failed (too few events) are left out of the shares.
        public var datasets: Int
        public var fitted: Int
        /// Share of fitted datasets whose interval covers the true value.
        public var baselineCoverage: [Double]
        public var branchingCoverage: [[Double]]
        public var decayCoverage: [Double]
        /// For true branching ratios of 0: the share of intervals that exclude 0 (spurious excitation).
        public var zeroExcluded: [[Double?]]
        /// Mean estimates, to show bias.
        public var meanBranching: [[Double]]
        public var meanDecayTime: [Double]
        /// Median decay-time estimates (the mean is pulled up by the few fits near the upper bound).
        public var medianDecayTime: [Double]
        public var method: HawkesFitMethod
        /// The same shares for `HawkesInterval.basicOrPercentile` intervals from the same refits
        /// (the shares above are for basic intervals).
        public var widerBranchingCoverage: [[Double]]
        public var widerDecayCoverage: [Double]
        public var widerZeroExcluded: [[Double?]]
        public var widerBaselineCoverage: [Double]
        /// Per off-diagonal entry (nil on the diagonal and for one series): the share of datasets
        /// whose test of no excitation (`HawkesExcitationTest.pValue`) rejects at `1 − level` —
        /// the test's size where the truth is 0, its power elsewhere — and the same for the
        /// asymptotic chi-bar-squared p-value alone.
        public var testRejected: [[Double?]]
        public var asymptoticTestRejected: [[Double?]]
        /// Mean share of bootstrap refits that failed (too few simulated events) per dataset.
        public var failedRefitShare: Double
    }

    /// - Parameters:
    ///   - decayTimeBounds: as `geo escalation` sets them for the duration.
    ///   - method: `.binned` fits the counts per cell of width `resolution` (default 1).
    public static func run(
        truth: HawkesModel, duration: Double, resolution: Double?, datasets: Int, replicates: Int,
        level: Double = 0.95, seed: UInt64, decayTimeBounds: ClosedRange<Double>, method: HawkesFitMethod = .randomPlacement
    ) -> Report {
        let d = truth.dimension
        var fitted = 0
        var coverMu = [Int](repeating: 0, count: d), coverTau = [Int](repeating: 0, count: d)
        var coverN = [[Int]](repeating: [Int](repeating: 0, count: d), count: d)
        var excluded = [[Int]](repeating: [Int](repeating: 0, count: d), count: d)
        var widerTau = [Int](repeating: 0, count: d), widerMu = [Int](repeating: 0, count: d)
        var rejected = [[Int]](repeating: [Int](repeating: 0, count: d), count: d)
        var asymptoticRejected = [[Int]](repeating: [Int](repeating: 0, count: d), count: d)
        var failedShare = 0.0
        var widerN = [[Int]](repeating: [Int](repeating: 0, count: d), count: d)
        var widerExcluded = [[Int]](repeating: [Int](repeating: 0, count: d), count: d)
        var sumN = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        var sumTau = [Double](repeating: 0, count: d)
        var taus = [[Double]](repeating: [], count: d)
        for k in 0..<datasets {
            let dataSeed = seed &+ UInt64(k) &* 1_000_003
            var events = Hawkes.simulate(truth, duration: duration, seed: dataSeed)
            let estimate: HawkesFit?
            if method == .binned {
                estimate = try? HawkesBinned.fit(events, resolution: resolution ?? 1, decayTimeBounds: decayTimeBounds)
            } else {
                if let resolution { events = Hawkes.observe(events, resolution: resolution, seed: dataSeed ^ 0xA5A5_A5A5) }
                estimate = try? Hawkes.fit(events, decayTimeBounds: decayTimeBounds)
            }
            guard let fit = estimate, fit.model.spectralRadius < 1,
                  let refits = try? Hawkes.bootstrapRefits(fit, replicates: replicates, seed: dataSeed &+ 17, resolution: resolution)
            else { continue }
            let tests = Hawkes.excitationTests(events, fit: fit, replicates: replicates, seed: dataSeed &+ 17, resolution: resolution)
            let ci = refits.confidence(level: level, interval: .basic, tests: tests)
            let wider = refits.confidence(level: level, interval: .basicOrPercentile, tests: tests)
            fitted += 1
            failedShare += 1 - Double(ci.usedReplicates) / Double(replicates)
            for test in tests {
                if test.pValue < 1 - level { rejected[test.target][test.source] += 1 }
                if test.asymptoticPValue < 1 - level { asymptoticRejected[test.target][test.source] += 1 }
            }
            for i in 0..<d {
                if ci.baselineRates[i].contains(truth.baselineRates[i]) { coverMu[i] += 1 }
                if wider.baselineRates[i].contains(truth.baselineRates[i]) { widerMu[i] += 1 }
                if ci.decayTimes[i].contains(truth.decayTimes[i]) { coverTau[i] += 1 }
                if wider.decayTimes[i].contains(truth.decayTimes[i]) { widerTau[i] += 1 }
                sumTau[i] += fit.model.decayTimes[i]
                taus[i].append(fit.model.decayTimes[i])
                for j in 0..<d {
                    let interval = ci.branching[i][j]
                    if interval.contains(truth.branching[i][j]) { coverN[i][j] += 1 }
                    if truth.branching[i][j] == 0, interval.lowerBound > 1e-9 { excluded[i][j] += 1 }
                    if wider.branching[i][j].contains(truth.branching[i][j]) { widerN[i][j] += 1 }
                    if truth.branching[i][j] == 0, wider.branching[i][j].lowerBound > 1e-9 { widerExcluded[i][j] += 1 }
                    sumN[i][j] += fit.model.branching[i][j]
                }
            }
        }
        let f = Double(max(fitted, 1))
        return Report(
            truth: truth, duration: duration, resolution: resolution, datasets: datasets, fitted: fitted,
            baselineCoverage: coverMu.map { Double($0) / f },
            branchingCoverage: coverN.map { $0.map { Double($0) / f } },
            decayCoverage: coverTau.map { Double($0) / f },
            zeroExcluded: (0..<d).map { i in (0..<d).map { j in truth.branching[i][j] == 0 ? Double(excluded[i][j]) / f : nil } },
            meanBranching: sumN.map { $0.map { $0 / f } }, meanDecayTime: sumTau.map { $0 / f },
            medianDecayTime: taus.map { Quantiles.quantile($0, 0.5) ?? .nan }, method: method,
            widerBranchingCoverage: widerN.map { $0.map { Double($0) / f } }, widerDecayCoverage: widerTau.map { Double($0) / f },
            widerZeroExcluded: (0..<d).map { i in (0..<d).map { j in truth.branching[i][j] == 0 ? Double(widerExcluded[i][j]) / f : nil } },
            widerBaselineCoverage: widerMu.map { Double($0) / f },
            testRejected: (0..<d).map { i in (0..<d).map { j in i == j ? nil : Double(rejected[i][j]) / f } },
            asymptoticTestRejected: (0..<d).map { i in (0..<d).map { j in i == j ? nil : Double(asymptoticRejected[i][j]) / f } },
            failedRefitShare: failedShare / f)
    }
}

/// What day dating does to a Hawkes fit, said in words.
public enum HawkesDating {
    /// A sentence when a fitted decay time is under two days: day-dated events cannot show
    /// excitation that fades within a day or two, so such a decay time (and the branching that
    /// goes with it) rests on how events were placed within their days; nil otherwise.
    /// With `.binned` the sentence says that the fit rests on the variance of daily counts instead.
    public static func warning(decayTimesDays: [Double], resolutionDays: Double = 1, method: HawkesFitMethod = .randomPlacement) -> String? {
        guard let shortest = decayTimesDays.min(), shortest < 2 * resolutionDays else { return nil }
        let rounded = (shortest * 100).rounded() / 100
        if method == .binned {
            return "the decay time (\(rounded) days) is short against the events' dating to the day: excitation that fades within a day or two cannot be seen in day-dated events; the binned fit sees it only as daily counts that vary more than chance and as counts on the next days, so the decay time and which series excited which within a day are poorly identified; read the intervals rather than the point estimates"
        }
        return "the decay time (\(rounded) days) is short against the events' dating to the day: excitation that fades within a day or two cannot be seen in day-dated events, so the decay time and branching rest partly on how events were placed within their days; the intervals include that rounding, read them rather than the point estimates"
    }
}
