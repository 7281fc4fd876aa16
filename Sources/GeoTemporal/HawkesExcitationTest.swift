#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A likelihood-ratio test of no excitation of series `target` by series `source`
/// (H₀: n_target,source = 0, against nᵢⱼ > 0).
///
/// Why a test and not the bootstrap interval alone: a branching ratio cannot be negative, so
/// when the truth is 0 the estimate sits on or just above the boundary and the bootstrap of the
/// fitted model is inconsistent there (Andrews 2000, Econometrica 68(2)): refits of a process
/// whose fitted cross-excitation is a little above 0 scatter around that value, and a basic or
/// percentile interval built from them excludes 0 far more often than 5 % of the time. With
/// day-dated events it is worse, because the observation process itself makes excitation appear
/// where there is none (events of one day placed in a random order, or excitation within a day
/// seen only as correlated daily counts).
///
/// The statistic is `Λ = 2 (ℓ̂ − ℓ̂₀)`, the log-likelihood of the fit (`HawkesFit.method`: the
/// exact-time likelihood of the placed events, or the Whittle likelihood of the daily counts)
/// against the fit with nᵢⱼ held at 0. Two references:
/// - `asymptoticPValue`: the chi-bar-squared reference for one parameter on the boundary of its
///   space, an equal mixture of χ²₀ and χ²₁ (Self & Liang 1987, JASA 82(398)), `p = ½ P(χ²₁ ≥ Λ)`.
///   Right for exactly timed events and a correctly specified model; not for day-dated events,
///   whose fits are not likelihoods of what was observed.
/// - `bootstrapPValue`: a parametric bootstrap under the null: processes simulated from the fit
///   with nᵢⱼ = 0, observed as the data were (rounded to their cell and placed within it, or
///   counted per cell), and their `Λ*` computed the same way; `p = (1 + #{Λ* ≥ Λ}) / (1 + B)`.
///   The nuisance parameters of the null fit are inside their space, where the bootstrap is
///   consistent, and the observation process is reproduced, so the spurious excitation that day
///   dating creates is part of the reference. This is the p-value used (`pValue`) when there are
///   replicates.
///
/// The 95 % interval of nᵢⱼ starts at 0 unless the test rejects at 5 %, p ≤ 0.05 (inverting the
/// likelihood-ratio test: 0 is in the confidence set exactly when the test at the boundary does
/// not reject it), so a zero cross-excitation is called significant in at most about 5 % of
/// datasets.
public struct HawkesExcitationTest: Hashable, Sendable {
    /// The excited series (row of the branching matrix).
    public var target: Int
    /// The exciting series (column).
    public var source: Int
    /// `Λ = 2 (ℓ̂ − ℓ̂₀) ≥ 0`.
    public var statistic: Double
    /// `½ P(χ²₁ ≥ Λ)` (1 when Λ = 0).
    public var asymptoticPValue: Double
    /// Parametric bootstrap under the null; nil without replicates (or when the null fit is not
    /// stationary).
    public var bootstrapPValue: Double?
    public var replicates: Int
    /// Replicates whose fits succeeded (a simulated series with too few events is skipped).
    public var usedReplicates: Int

    /// The bootstrap p-value where there is one, else the asymptotic one.
    public var pValue: Double { bootstrapPValue ?? asymptoticPValue }

    /// Whether the test rejects at `alpha`: `pValue ≤ alpha`. With B bootstrap replicates the
    /// smallest p-value is 1/(B + 1), so a test at 5 % needs B ≥ 19 to be able to reject (with
    /// B = 19 its size is exactly 5 %).
    public func rejects(at alpha: Double) -> Bool { pValue <= alpha + 1e-12 }

    /// `½ P(χ²₁ ≥ Λ) = ½ erfc(√(Λ/2))`, and 1 at Λ = 0 (half the null distribution is a point mass there).
    public static func chiBarSquaredPValue(_ statistic: Double) -> Double {
        statistic > 0 ? 0.5 * erfc((statistic / 2).squareRoot()) : 1
    }
}

extension Hawkes {
    /// The likelihood-ratio statistic of H₀: n_target,source = 0 for `events` fitted by `method`
    /// (with `resolution` the cell width of a binned fit), and the fit under the null; nil when a
    /// series has too few events. For `.randomPlacement` only the target series is refitted (the
    /// likelihood separates by target series); `full`, when given, is the fit of the events by the
    /// same method (it is not refitted).
    static func excitationStatistic(
        _ events: MarkedTimes, method: HawkesFitMethod, resolution: Double, bounds: ClosedRange<Double>,
        target i: Int, source j: Int, full: HawkesFit? = nil
    ) -> (statistic: Double, null: HawkesModel)? {
        let d = events.dimension
        let counts = (0..<d).map { events.count(ofSeries: $0) }
        guard counts.allSatisfy({ $0 >= minimumEventsPerSeries }) else { return nil }
        if method == .binned {
            var zero = [[Bool]](repeating: [Bool](repeating: false, count: d), count: d)
            zero[i][j] = true
            guard let fitted = full ?? (try? HawkesBinned.fit(events, resolution: resolution, decayTimeBounds: bounds)),
                  let null = try? HawkesBinned.fit(events, resolution: resolution, decayTimeBounds: bounds, zero: zero)
            else { return nil }
            return (2 * max(0, fitted.logLikelihood - null.logLikelihood), null.model)
        }
        var zero = [Bool](repeating: false, count: d)
        zero[j] = true
        let fitted = fitSeries(events, target: i, count: counts[i], bounds: bounds)
        let null = fitSeries(events, target: i, count: counts[i], bounds: bounds, zero: zero)
        var model = full?.model ?? HawkesModel(
            baselineRates: [Double](repeating: 0, count: d), branching: [[Double]](repeating: [Double](repeating: 0, count: d), count: d),
            decayRates: [Double](repeating: 1, count: d))
        model.baselineRates[i] = null.mu
        model.branching[i] = null.n
        model.decayRates[i] = null.decayRate
        return (2 * max(0, fitted.logLikelihood - null.logLikelihood), model)
    }

    /// Tests H₀: n_target,source = 0 (`HawkesExcitationTest`) for the events a fit was made of
    /// (for `.randomPlacement` the placed times the fit saw), with `replicates` processes
    /// simulated under the null fit, observed at `resolution` as in `bootstrap`, for the
    /// bootstrap p-value (seeded: `seed`, `seed + 1`, …, mixed with the pair).
    public static func excitationTest(
        _ events: MarkedTimes, fit: HawkesFit, target i: Int, source j: Int, replicates: Int, seed: UInt64, resolution: Double?
    ) -> HawkesExcitationTest? {
        precondition(i != j && events.dimension == fit.model.dimension)
        let cell = resolution ?? 1
        guard let observed = excitationStatistic(
            events, method: fit.method, resolution: cell, bounds: fit.decayTimeBounds, target: i, source: j, full: fit)
        else { return nil }
        var test = HawkesExcitationTest(
            target: i, source: j, statistic: observed.statistic,
            asymptoticPValue: HawkesExcitationTest.chiBarSquaredPValue(observed.statistic),
            bootstrapPValue: nil, replicates: replicates, usedReplicates: 0)
        guard replicates > 0, observed.null.spectralRadius < 1 else { return test }
        let cap = max(100_000, 20 * fit.eventCounts.reduce(0, +))
        let pairSeed = seed ^ (0xD1B5_4A32_D192_ED03 &* UInt64(1 + i * events.dimension + j))
        let null = observed.null
        // Replicates on all cores, each from its own seed: the same whatever the number of threads.
        let statistics = HawkesParallel.map(replicates) { r -> Double? in
            let replicateSeed = pairSeed &+ UInt64(r)
            var simulated = simulate(null, duration: fit.duration, seed: replicateSeed, maximumEvents: cap)
            if fit.method == .randomPlacement, let resolution {
                simulated = observe(simulated, resolution: resolution, seed: replicateSeed ^ 0x9E37_79B9_7F4A_7C15)
            }
            return excitationStatistic(
                simulated, method: fit.method, resolution: cell, bounds: fit.decayTimeBounds, target: i, source: j)?.statistic
        }
        var atLeast = 0
        for statistic in statistics {
            guard let statistic else { continue }
            test.usedReplicates += 1
            if statistic >= observed.statistic { atLeast += 1 }
        }
        if test.usedReplicates > 0 { test.bootstrapPValue = Double(1 + atLeast) / Double(1 + test.usedReplicates) }
        return test
    }
}
