import Foundation
import GeoTemporal
import Testing

/// Day-dated events: the bootstrap intervals cover the true branching ratio and decay time, and
/// a cross-excitation that is truly zero is seldom called significant. Small and seeded so that
/// CI runs it; `scripts/calibrate-hawkes` runs the fuller study (GEO_CALIBRATION_STUDY=1).
@Suite(.serialized) struct HawkesCalibrationTests {
    static let duration = 365.0
    static let bounds = 0.25...duration
    /// As `geo escalation` searches: from 0.25 days (binned: 0.05) to the duration.
    static func bounds(_ method: HawkesFitMethod) -> ClosedRange<Double> { method == .binned ? 0.05...duration : bounds }

    @Test func dayDatedUnivariateIntervalsCover() {
        let report = HawkesCalibration.run(
            truth: HawkesModel(baselineRate: 0.4, branchingRatio: 0.5, decayTime: 0.8), duration: Self.duration, resolution: 1,
            datasets: 40, replicates: 60, seed: 11, decayTimeBounds: Self.bounds)
        #expect(report.fitted >= 36)
        #expect(report.branchingCoverage[0][0] >= 0.85, "\(report)")
        #expect(report.decayCoverage[0] >= 0.85, "\(report)")
    }

    /// Without the observation process in the bootstrap (the old behaviour) the decay interval
    /// undercovers; this guards the test itself (it can fail).
    @Test func exactBootstrapOfDayDatedDataUndercovers() {
        let truth = HawkesModel(baselineRate: 0.4, branchingRatio: 0.5, decayTime: 0.3)
        var covered = 0, fitted = 0
        for k in 0..<20 {
            let seed = UInt64(500 + k)
            let events = Hawkes.observe(Hawkes.simulate(truth, duration: Self.duration, seed: seed), resolution: 1, seed: seed ^ 0xFF)
            guard let fit = try? Hawkes.fit(events, decayTimeBounds: 0.05...Self.duration),
                  let ci = try? Hawkes.bootstrap(fit, replicates: 40, seed: seed + 1) else { continue }
            fitted += 1
            if ci.decayTimes[0].contains(0.3) { covered += 1 }
        }
        #expect(fitted >= 18)
        #expect(Double(covered) / Double(fitted) < 0.8, "\(covered)/\(fitted)")
    }

    @Test func spuriousCrossExcitationIsRare() {
        // Militia (0) excite themselves and the US (1); the US excite nobody.
        let truth = HawkesModel(baselineRates: [0.3, 0.15], branching: [[0.4, 0.0], [0.3, 0.0]], decayRates: [1 / 1.5, 1 / 1.5])
        let report = HawkesCalibration.run(
            truth: truth, duration: Self.duration, resolution: 1, datasets: 20, replicates: 40, seed: 23, decayTimeBounds: Self.bounds)
        #expect(report.fitted >= 18)
        #expect((report.zeroExcluded[0][1] ?? 1) <= 0.1, "US→militia called significant: \(report)")
        #expect(report.branchingCoverage[1][0] >= 0.8, "\(report)")
    }

    /// The fuller study: `scripts/calibrate-hawkes` (GEO_CALIBRATION_STUDY=1; GEO_CALIBRATION_METHODS
    /// random-placement and/or binned, comma-separated); prints one JSON line per setting.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GEO_CALIBRATION_STUDY"] == "1"))
    func calibrationStudy() {
        let environment = ProcessInfo.processInfo.environment
        let datasets = Int(environment["GEO_CALIBRATION_DATASETS"] ?? "") ?? 100
        let replicates = Int(environment["GEO_CALIBRATION_REPLICATES"] ?? "") ?? 100
        let methods = (environment["GEO_CALIBRATION_METHODS"] ?? "random-placement,binned").split(separator: ",")
            .compactMap { HawkesFitMethod(rawValue: String($0)) }
        let decays = (environment["GEO_CALIBRATION_DECAYS"] ?? "0.3,0.8,2,5,10").split(separator: ",").compactMap { Double(String($0)) }
        for method in methods {
            for decay in decays {
                for bivariate in [false, true] {
                    let truth = bivariate
                        ? HawkesModel(baselineRates: [0.3, 0.15], branching: [[0.4, 0.0], [0.3, 0.0]], decayRates: [1 / decay, 1 / decay])
                        : HawkesModel(baselineRate: 0.4, branchingRatio: 0.5, decayTime: decay)
                    let started = Date()
                    let r = HawkesCalibration.run(
                        truth: truth, duration: Self.duration, resolution: 1, datasets: datasets, replicates: replicates,
                        seed: UInt64(decay * 1000) + (bivariate ? 7 : 0), decayTimeBounds: Self.bounds(method), method: method)
                    let excluded = r.zeroExcluded.flatMap { $0.compactMap { $0 } }
                    print("CALIBRATION {\"method\":\"\(method.rawValue)\",\"decay_days\":\(decay),\"bivariate\":\(bivariate),\"datasets\":\(r.datasets),"
                          + "\"replicates\":\(replicates),\"fitted\":\(r.fitted),"
                          + "\"branching_coverage\":\(r.branchingCoverage),\"decay_coverage\":\(r.decayCoverage),"
                          + "\"baseline_coverage\":\(r.baselineCoverage),\"zero_excluded\":\(excluded),"
                          + "\"mean_branching\":\(r.meanBranching),\"mean_decay_days\":\(r.meanDecayTime),"
                          + "\"median_decay_days\":\(r.medianDecayTime),\"wider_branching_coverage\":\(r.widerBranchingCoverage),"
                          + "\"wider_decay_coverage\":\(r.widerDecayCoverage),\"wider_zero_excluded\":\(r.widerZeroExcluded.flatMap { $0.compactMap { $0 } }),"
                          + "\"wider_baseline_coverage\":\(r.widerBaselineCoverage),\"test_rejected\":\(r.testRejected.flatMap { $0.compactMap { $0 } }),"
                          + "\"asymptotic_test_rejected\":\(r.asymptoticTestRejected.flatMap { $0.compactMap { $0 } }),\"failed_refit_share\":\(r.failedRefitShare),\"seconds\":\(Int(Date().timeIntervalSince(started)))}")
                }
            }
        }
    }
}
