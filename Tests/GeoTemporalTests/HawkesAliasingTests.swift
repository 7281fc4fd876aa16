import Foundation
@testable import GeoTemporal
import Testing

/// The closed form of the binned spectral density's aliasing sum (`HawkesAliasing`) equals the
/// sum term by term with 10,000 terms each side, for one and two series, decay rates from a
/// twentieth of a cell to twenty per cell, frequencies from the lowest of five years of days to
/// near π, and coinciding poles.
@Suite struct HawkesAliasingTests {
    static let thetas = [2 * Double.pi / 1826, 0.05, 0.4, 1.3, 2.5, Double.pi - 1e-3]

    /// Relative difference, against `scale` (the largest entry, so that an entry near 0 is not
    /// held to a relative bound of its own), plus `floor`: the reference's own rounding, where
    /// each of its 20,001 terms is a difference of numbers of the size of the mean rates.
    static func close(_ a: Double, _ b: Double, scale: Double, tolerance: Double = 1e-9, floor: Double = 0) -> Bool {
        abs(a - b) <= tolerance * scale + floor
    }

    @Test(arguments: [0.0005, 0.05, 0.7, 3.0, 20.0])
    func univariateClosedFormEqualsTheSum(beta: Double) {
        for n in [0.0, 0.3, 0.9, 0.999] {
            for delta in [1.0, 0.25] {
                let b = beta * (1 - n)
                let pole = HawkesAliasing.Pole(b * delta), extra = delta * delta * (beta * beta - b * b)
                for theta in Self.thetas {
                    let half = sin(theta / 2)
                    let closed = 0.8 * HawkesAliasing.univariate(
                        pole: pole, extra: extra, s2: half * half, inverseS2: 1 / (half * half), cot: cos(theta / 2) / half)
                    let summed = HawkesAliasing.truncatedSum(
                        theta: theta, branching: [[n]], decayRates: [beta], meanRates: [0.8], resolution: delta, terms: 10_000).z00
                    #expect(Self.close(closed, summed, scale: abs(summed)), "β \(beta) n \(n) Δ \(delta) θ \(theta): \(closed) vs \(summed)")
                }
            }
        }
    }

    /// Bivariate parameters: general, one-way excitation, nearly and exactly coinciding poles
    /// (one cross-excitation 0 with equal decay and self-excitation: a Jordan block), no
    /// excitation, and both decays slow.
    static let bivariateCases: [(n: [[Double]], beta: [Double])] = [
        ([[0.3, 0.2], [0.25, 0.4]], [1.0, 0.3]),
        ([[0.4, 0.0], [0.3, 0.0]], [0.5, 0.5]),
        ([[0.45, 0.0], [0.05, 0.45]], [2.0, 2.0]),
        ([[0.45, 0.05], [0.0, 0.45]], [0.7, 0.7]),
        ([[0.45, 0.0], [0.2, 0.45 + 1e-6]], [0.7, 0.7]),
        ([[0.45, 0.0], [0.2, 0.46]], [0.7, 0.7 * 0.54 / 0.55]),
        ([[0.2, 0.0], [0.0, 0.2]], [3.0, 3.0]),
        ([[0.0, 0.0], [0.0, 0.0]], [1.0, 2.0]),
        ([[0.1, 0.6], [0.3, 0.2]], [20.0, 0.05]),
        ([[0.5, 0.1], [0.1, 0.3]], [0.002, 0.001]),
        ([[0.15, 0.05], [0.05, 0.15]], [10.0, 10.0]),
    ]

    @Test(arguments: bivariateCases.indices)
    func bivariateClosedFormEqualsTheSum(index: Int) throws {
        let (n, beta) = Self.bivariateCases[index]
        let m = [0.06, 0.025]
        for delta in [1.0, 0.5] {
            let aliasing = try #require(HawkesAliasing.Bivariate(branching: n, decayRates: beta, meanRates: m, resolution: delta))
            for theta in Self.thetas {
                let half = sin(theta / 2)
                let closed = aliasing.z(s2: half * half, inverseS2: 1 / (half * half), cot: cos(theta / 2) / half, theta: theta)
                let summed = HawkesAliasing.truncatedSum(
                    theta: theta, branching: n, decayRates: beta, meanRates: m, resolution: delta, terms: 10_000)
                let scale = max(abs(summed.z00), abs(summed.z11)), floor = 1e-15 * m.max()!
                let what = "n \(n) β \(beta) Δ \(delta) θ \(theta): \(closed) vs \(summed)"
                #expect(Self.close(closed.z00, summed.z00, scale: abs(summed.z00), floor: floor), "\(what)")
                #expect(Self.close(closed.z11, summed.z11, scale: abs(summed.z11), floor: floor), "\(what)")
                #expect(Self.close(closed.z01re, summed.z01re, scale: scale, floor: floor), "\(what)")
                #expect(Self.close(closed.z01im, summed.z01im, scale: scale, floor: floor), "\(what)")
            }
        }
    }

    /// The Jordan-block case takes the degenerate path (which the comparison above then covers).
    @Test func coincidingPolesTakeTheDegeneratePath() throws {
        let aliasing = try #require(HawkesAliasing.Bivariate(
            branching: [[0.45, 0.0], [0.05, 0.45]], decayRates: [2, 2], meanRates: [0.06, 0.025], resolution: 1))
        #expect(aliasing.degenerate)
        let apart = try #require(HawkesAliasing.Bivariate(
            branching: [[0.3, 0.2], [0.25, 0.4]], decayRates: [1, 0.3], meanRates: [0.06, 0.025], resolution: 1))
        #expect(!apart.degenerate)
    }
}
