import Foundation
import GeoCore
import GeoTemporal
import Testing

/// PELT with a minimum segment length equals an exact search (optimal partitioning over every
/// allowed last start, no pruning) on random series, for every minimum length from 1 to 6.
@Suite struct ChangePointExactnessTests {
    /// The penalised cost of a segmentation, as `PoissonChangePoints` defines it.
    static func objective(_ counts: [Double], _ segments: [PoissonChangePoints.Segment], penalty: Double) -> Double {
        var total = -penalty
        for s in segments {
            let sum = counts[s.start..<s.end].reduce(0, +)
            total += (sum > 0 ? 2 * (sum - sum * log(sum / Double(s.length))) : 0) + penalty
        }
        return total
    }

    /// Optimal partitioning: best[t] over every start τ ≤ t − m with τ = 0 or τ ≥ m.
    static func exhaustive(_ counts: [Double], penalty: Double, m: Int) -> Double {
        let n = counts.count
        if n < 2 * m { return objective(counts, [.init(start: 0, end: n, rate: 0, total: 0)], penalty: penalty) }
        var prefix = [0.0]
        for c in counts { prefix.append(prefix.last! + c) }
        func cost(_ a: Int, _ b: Int) -> Double {
            let s = prefix[b] - prefix[a]
            return s > 0 ? 2 * (s - s * log(s / Double(b - a))) : 0
        }
        var best = [Double](repeating: .infinity, count: n + 1)
        best[0] = -penalty
        for t in m...n {
            for tau in 0...(t - m) where tau == 0 || tau >= m {
                best[t] = min(best[t], best[tau] + cost(tau, t) + penalty)
            }
        }
        return best[n]
    }

    static func poisson(_ rate: Double, _ rng: inout SeededGenerator) -> Double {
        let l = exp(-rate)
        var k = 0, p = 1.0
        repeat { k += 1; p *= Double.random(in: 0..<1, using: &rng) } while p > l
        return Double(k - 1)
    }

    @Test(arguments: 1...6)
    func equalsExhaustiveSearch(minimumSegment m: Int) {
        var rng = SeededGenerator(seed: UInt64(100 + m))
        var worse = 0
        for series in 0..<200 {
            let n = Int.random(in: 8...70, using: &rng)
            var counts: [Double] = []
            var rate = Double.random(in: 0.2...6, using: &rng)
            for _ in 0..<n {
                if Double.random(in: 0..<1, using: &rng) < 0.12 { rate = Double.random(in: 0.2...8, using: &rng) }
                counts.append(Self.poisson(rate, &rng))
            }
            let penalty = [0.5, 1, 3, PoissonChangePoints.bicPenalty(periods: n)][series % 4]
            let segments = PoissonChangePoints.segment(counts, penalty: penalty, minimumSegmentLength: m)
            #expect(segments.allSatisfy { $0.length >= m } || n < 2 * m)
            #expect(segments.first?.start == 0 && segments.last?.end == n)
            let found = Self.objective(counts, segments, penalty: penalty)
            let exact = Self.exhaustive(counts, penalty: penalty, m: m)
            if found > exact + 1e-9 { worse += 1 }
            #expect(abs(found - exact) < 1e-9, "series \(series), n \(n), m \(m), penalty \(penalty): \(found) vs \(exact)")
        }
        #expect(worse == 0)
    }

    /// The example from the issue: day series, penalty 1, minimum segment 5.
    @Test func prunedTooEarlyBefore() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let counts = (0..<40).map { _ in Self.poisson(Double.random(in: 0.5...5, using: &rng), &rng) }
            let segments = PoissonChangePoints.segment(counts, penalty: 1, minimumSegmentLength: 5)
            #expect(abs(Self.objective(counts, segments, penalty: 1) - Self.exhaustive(counts, penalty: 1, m: 5)) < 1e-9)
        }
    }
}
