#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Segmentation of a count series into stretches of constant Poisson rate, by PELT (Killick,
/// Fearnhead & Eckley 2012): the exact minimiser of
///
///     Σ over segments of 2·(S − S·ln(S / L))  +  penalty · (number of change points)
///
/// where a segment has `L` periods and total count `S` (twice its Poisson negative
/// log-likelihood at the fitted rate `S / L`, without the `ln y!` terms that every segmentation
/// shares). Counts may be fractional (spread events). The default penalty is BIC-like:
/// `2·ln(n)` for a series of `n` periods, i.e. `ln n` for each of the two parameters a change
/// point adds (its position and the new rate) on the `−2 ln L` scale. Conflict counts are
/// overdispersed, so daily series with a BIC penalty find many short bursts; a larger penalty
/// or weekly periods give the broad phases.
public enum PoissonChangePoints {
    /// One stretch of constant rate: rows `start..<end`.
    public struct Segment: Hashable, Sendable {
        public var start: Int
        public var end: Int
        /// Mean count per period.
        public var rate: Double
        public var total: Double
        public var length: Int { end - start }

        public init(start: Int, end: Int, rate: Double, total: Double) {
            self.start = start
            self.end = end
            self.rate = rate
            self.total = total
        }
    }

    /// `2·ln(n)`.
    public static func bicPenalty(periods n: Int) -> Double { 2 * log(Double(max(n, 2))) }

    /// The optimal segments of `counts` (each at least `minimumSegmentLength` periods, except
    /// when the series is shorter). Segments are in order and cover the series; change points
    /// are the starts of all but the first.
    public static func segment(_ counts: [Double], penalty: Double, minimumSegmentLength: Int = 1) -> [Segment] {
        precondition(penalty >= 0 && minimumSegmentLength >= 1)
        precondition(counts.allSatisfy { $0 >= 0 && $0.isFinite }, "counts must be finite and non-negative")
        let n = counts.count
        guard n > 0 else { return [] }
        var prefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] + counts[i] }
        let m = minimumSegmentLength
        if n < 2 * m { return [Segment(start: 0, end: n, rate: prefix[n] / Double(n), total: prefix[n])] }

        @inline(__always) func cost(_ a: Int, _ b: Int) -> Double {
            let s = prefix[b] - prefix[a]
            return s > 0 ? 2 * (s - s * log(s / Double(b - a))) : 0
        }
        // best[t]: optimal penalised cost of counts[0..<t]; last[t]: start of its last segment.
        var best = [Double](repeating: .infinity, count: n + 1)
        var last = [Int](repeating: 0, count: n + 1)
        best[0] = -penalty
        var candidates = [0]
        // The period at which each candidate start failed the pruning test (Int.max: never).
        var failedAt = [Int](repeating: .max, count: n + 1)
        for t in m...n {
            if t - m >= m { candidates.append(t - m) }
            var bestValue = Double.infinity, bestStart = 0
            for tau in candidates {
                let v = best[tau] + cost(tau, t) + penalty
                if v < bestValue { bestValue = v; bestStart = tau }
            }
            best[t] = bestValue
            last[t] = bestStart
            // PELT's test (the cost is additive: K = 0): a start τ with
            // best[τ] + cost(τ, t) > best[t] can never end a segment before any later end T for
            // which a last segment [t, T) is allowed, i.e. T ≥ t + m. So a failed test is only
            // acted on m periods later; before that τ stays (a pruning at t alone is wrong with a
            // minimum segment length over 1).
            var kept = 0
            for tau in candidates {
                if failedAt[tau] == .max, best[tau] + cost(tau, t) > bestValue { failedAt[tau] = t }
                if failedAt[tau] <= t + 1 - m { continue }  // pruned for every end from t + 1 on
                candidates[kept] = tau
                kept += 1
            }
            candidates.removeLast(candidates.count - kept)
        }
        var segments: [Segment] = []
        var end = n
        while end > 0 {
            let start = last[end]
            let total = prefix[end] - prefix[start]
            segments.append(Segment(start: start, end: end, rate: total / Double(end - start), total: total))
            end = start
        }
        return segments.reversed()
    }
}
