#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The aliasing sum of the binned Hawkes spectral density in closed form, for exponential kernels
/// (one or two series).
///
/// With `K = B(I − N)` (B = diag βᵢ, N the branching matrix, row: excited series) the transfer
/// function is `A(s) = (I − Ĝ(s))⁻¹ = I + (sI + K)⁻¹ BN`, rational in `s = iω` with poles at
/// `−λ`, λ the eigenvalues of K — real and positive for a stationary process with N ≥ 0
/// (for two series, `(K₀₀ − K₁₁)² + 4K₀₁K₁₀ ≥ 0` since `K₀₁K₁₀ = β₀β₁n₀₁n₁₀`). With
/// `x = θ + 2πk = ωΔ` and `aₚ = λₚΔ` (Δ: the cell width), and by Cayley–Hamilton,
///
///     A = I + Δ·u·BN − Δ²·v·(K − λ₁I)BN,   u = 1/(ix + a₁),  v = 1/((ix + a₁)(ix + a₂)),
///
/// so `Σₖ [A D Aᴴ − D]/x²` is a combination of five scalar sums over k, each in closed form
/// from `Σ 1/x² = 1/(4 sin²(θ/2))`, `Σ 1/(x² + a²) = sinh a / (2a (cosh a − cos θ))` and
/// `Σ x/(x² + a²) = sin θ / (2 (cosh a − cos θ))` by partial fractions:
///
///     T(a) = Σ 1/(x²(ix + a)),  R(a) = Σ 1/(x²(x² + a²)) = Re T(a) / a,
///     Σ u/x² = T(a₁),  Σ |u|²/x² = R(a₁),  Σ v/x² = (T(a₁) − T(a₂))/(a₂ − a₁),
///     Σ |v|²/x² = (R(a₁) − R(a₂))/(a₂² − a₁²),
///     Σ u v̄/x² = [(T(a₁) + T̄(a₂))/(a₁ + a₂) + Σ v̄/x²] / (2a₁).
///
/// Where the poles (nearly) coincide (relative gap under `degenerateGap`; a Jordan block when
/// one cross-excitation is 0 and the other series' decay is the same) the divided differences
/// lose precision: the sums are then taken at a₂′ = a₁(1 + `degenerateGap`) in closed form, and
/// the difference of the true terms from those, which falls off as x⁻⁵, summed directly over
/// `|k| ≤ degenerateTerms`.
enum HawkesAliasing {
    /// Relative gap between the two poles under which they are treated as coinciding.
    static let degenerateGap = 1e-3
    /// Terms each side of the direct sum of the correction where the poles coincide, at pole a:
    /// its terms fall off as a·`degenerateGap`/x⁵, so 8 + a terms leave under 1e-10 of the sum.
    static func degenerateTerms(_ a: Double) -> Int { 8 + Int(min(a, 1000)) }

    /// The θ-independent parts of the sums for one pole `a = λΔ > 0` (dimensionless).
    struct Pole {
        let a: Double
        /// 1 / sinh²(a/2).
        let w: Double
        /// (sinh a − a) / sinh²(a/2), by its series below a = 1 (no cancellation).
        let q: Double
        /// 1/a, 1/a², 1/(2a²).
        let inverse: Double, inverseSquared: Double, halfInverseSquared: Double

        init(_ a: Double) {
            self.a = a
            inverse = 1 / a
            inverseSquared = inverse * inverse
            halfInverseSquared = inverseSquared / 2
            let sh = sinh(a / 2)
            w = 1 / (sh * sh)
            if a < 1 {
                // sinh a − a = Σ_{k≥1} a^(2k+1)/(2k+1)!
                var term = a * a * a / 6, sum = term
                for k in 2...9 { term *= a * a / Double(2 * k * (2 * k + 1)); sum += term }
                q = sum * w
            } else {
                q = 2 / tanh(a / 2) - a * w
            }
        }

        /// `T(a) = Σₖ 1/(x²(ix + a))` (real and imaginary parts) and `R(a) = Σₖ 1/(x²(x² + a²))`
        /// over x = θ + 2πk, given `s2 = sin²(θ/2)`, `inverseS2 = 1/s2` and `cot = cot(θ/2)`,
        /// 0 < θ < 2π.
        @inline(__always) func sums(s2: Double, inverseS2: Double, cot: Double) -> (re: Double, im: Double, r: Double) {
            // cosh a − cos θ = 2 sinh²(a/2) + 2 sin²(θ/2); g = sinh²(a/2) / (cosh a − cos θ).
            let g = 1 / (2 + 2 * s2 * w)
            let re = (a - s2 * q) * g * halfInverseSquared * inverseS2
            return (re, -cot * g * inverseSquared, re * inverse)
        }
    }

    /// `Σₖ [f − D/2π](ω)/x²·2π` for one series, i.e. `m·Σₖ (|A|² − 1)/x²` (m: the mean rate),
    /// at the frequency with `s2 = sin²(θ/2)`, `cot = cot(θ/2)`; `pole` at `β(1 − n)Δ`.
    @inline(__always) static func univariate(pole: Pole, extra: Double, s2: Double, inverseS2: Double, cot: Double) -> Double {
        // |A|² − 1 = Δ²(β² − b²) / (x² + a²), b = β(1 − n); `extra` = Δ²(β² − b²).
        extra * pole.sums(s2: s2, inverseS2: inverseS2, cot: cot).r
    }

    /// The closed form for two series at given parameters: `z(s2:cot:theta:)` gives
    /// `Σₖ [A D Aᴴ − D]/x²` (entries 00, 11, and 01 real and imaginary), D = diag(`meanRates`).
    struct Bivariate {
        let pole1: Pole, pole2: Pole
        /// True when the poles nearly coincide and `pole2` is the displaced a₂′.
        let degenerate: Bool
        /// The true second pole (differs from `pole2.a` when `degenerate`).
        let a2: Double
        /// Coefficient matrices, row-major: M1 = C₁D, M2 = C₂D, M11 = C₁DC₁ᵀ, M22 = C₂DC₂ᵀ,
        /// M12 = C₁DC₂ᵀ, with C₁ = Δ·BN and C₂ = −Δ²(K − λ₁I)BN.
        let m1: (Double, Double, Double, Double), m2: (Double, Double, Double, Double)
        let m11: (Double, Double, Double, Double), m22: (Double, Double, Double, Double)
        let m12: (Double, Double, Double, Double)
        /// 1/(a₂ − a₁), 1/(a₂² − a₁²), 1/(a₁ + a₂), 1/(2a₁) (a₂: `pole2.a`).
        let inverseGap: Double, inverseSquareGap: Double, inverseSum: Double, halfInverseA1: Double
        /// Terms each side of the direct correction where `degenerate`.
        let correctionTerms: Int

        /// Nil when K has an eigenvalue ≤ 0 (not stationary).
        init?(branching n: [[Double]], decayRates beta: [Double], meanRates m: [Double], resolution delta: Double) {
            let k00 = beta[0] * (1 - n[0][0]), k01 = -beta[0] * n[0][1]
            let k10 = -beta[1] * n[1][0], k11 = beta[1] * (1 - n[1][1])
            let trace = k00 + k11, det = k00 * k11 - k01 * k10
            let disc = max(0, (k00 - k11) * (k00 - k11) + 4 * k01 * k10)
            let lambda1 = (trace + disc.squareRoot()) / 2  // the larger: Σ u v̄ divides by it
            guard lambda1 > 0, det > 0 else { return nil }
            let lambda2 = det / lambda1
            let a1 = lambda1 * delta
            a2 = lambda2 * delta
            degenerate = a1 - a2 < HawkesAliasing.degenerateGap * a1
            pole1 = Pole(a1)
            pole2 = Pole(degenerate ? a1 * (1 + HawkesAliasing.degenerateGap) : a2)
            let b = pole2.a
            inverseGap = 1 / (b - a1)
            inverseSquareGap = 1 / (b * b - a1 * a1)
            inverseSum = 1 / (a1 + b)
            halfInverseA1 = 1 / (2 * a1)
            correctionTerms = HawkesAliasing.degenerateTerms(a1)
            // C = BN; C₁ = ΔC; C₂ = −Δ²(K − λ₁I)C.
            let c00 = beta[0] * n[0][0], c01 = beta[0] * n[0][1], c10 = beta[1] * n[1][0], c11 = beta[1] * n[1][1]
            let g00 = k00 - lambda1, g11 = k11 - lambda1
            let p = (delta * c00, delta * c01, delta * c10, delta * c11)
            let d2 = -delta * delta
            let r = (d2 * (g00 * c00 + k01 * c10), d2 * (g00 * c01 + k01 * c11),
                     d2 * (k10 * c00 + g11 * c10), d2 * (k10 * c01 + g11 * c11))
            func timesD(_ x: (Double, Double, Double, Double)) -> (Double, Double, Double, Double) {
                (x.0 * m[0], x.1 * m[1], x.2 * m[0], x.3 * m[1])
            }
            /// X D Yᵀ
            func sandwich(_ x: (Double, Double, Double, Double), _ y: (Double, Double, Double, Double)) -> (Double, Double, Double, Double) {
                (x.0 * m[0] * y.0 + x.1 * m[1] * y.1, x.0 * m[0] * y.2 + x.1 * m[1] * y.3,
                 x.2 * m[0] * y.0 + x.3 * m[1] * y.1, x.2 * m[0] * y.2 + x.3 * m[1] * y.3)
            }
            m1 = timesD(p); m2 = timesD(r)
            m11 = sandwich(p, p); m22 = sandwich(r, r); m12 = sandwich(p, r)
        }

        /// `Σₖ [A D Aᴴ − D]/x²` at θ (`s2 = sin²(θ/2)`, `inverseS2 = 1/s2`, `cot = cot(θ/2)`).
        @inline(__always) func z(
            s2: Double, inverseS2: Double, cot: Double, theta: Double
        ) -> (z00: Double, z11: Double, z01re: Double, z01im: Double) {
            let (t1re, t1im, r1) = pole1.sums(s2: s2, inverseS2: inverseS2, cot: cot)
            let (t2re, t2im, r2) = pole2.sums(s2: s2, inverseS2: inverseS2, cot: cot)
            var svRe = (t1re - t2re) * inverseGap, svIm = (t1im - t2im) * inverseGap
            var svv = (r1 - r2) * inverseSquareGap
            // Σ u v̄/x² = [(T(a₁) + T̄(a₂))/(a₁ + a₂) + Σ v̄/x²] / (2a₁)
            var suvRe = ((t1re + t2re) * inverseSum + svRe) * halfInverseA1
            var suvIm = ((t1im - t2im) * inverseSum - svIm) * halfInverseA1
            if degenerate {
                // The true terms minus those at the displaced pole, summed directly.
                let a1 = pole1.a, b = pole2.a, a2 = self.a2
                for k in -correctionTerms...correctionTerms {
                    let x = theta + 2 * Double.pi * Double(k), invX2 = 1 / (x * x)
                    // u = 1/(a₁ + ix); v = u/(a₂ + ix), v′ = u/(b + ix)
                    let uDen = 1 / (a1 * a1 + x * x), uRe = a1 * uDen, uIm = -x * uDen
                    let den2 = 1 / (a2 * a2 + x * x), denB = 1 / (b * b + x * x)
                    let wRe = a2 * den2 - b * denB, wIm = -x * den2 + x * denB  // 1/(a₂+ix) − 1/(b+ix)
                    let dvRe = uRe * wRe - uIm * wIm, dvIm = uRe * wIm + uIm * wRe  // v − v′
                    svRe += dvRe * invX2; svIm += dvIm * invX2
                    // |v|² − |v′|² = |u|² (1/(a₂² + x²) − 1/(b² + x²))
                    svv += uDen * (den2 - denB) * invX2
                    // u (v̄ − v̄′)
                    suvRe += (uRe * dvRe + uIm * dvIm) * invX2
                    suvIm += (uIm * dvRe - uRe * dvIm) * invX2
                }
            }
            let z00 = 2 * (t1re * m1.0 + svRe * m2.0 + suvRe * m12.0) + r1 * m11.0 + svv * m22.0
            let z11 = 2 * (t1re * m1.3 + svRe * m2.3 + suvRe * m12.3) + r1 * m11.3 + svv * m22.3
            let z01re = t1re * (m1.1 + m1.2) + svRe * (m2.1 + m2.2) + r1 * m11.1 + svv * m22.1 + suvRe * (m12.1 + m12.2)
            let z01im = t1im * (m1.1 - m1.2) + svIm * (m2.1 - m2.2) + suvIm * (m12.1 - m12.2)
            return (z00, z11, z01re, z01im)
        }
    }

    /// The truncated sum `Σ_{|k| ≤ terms}` of the same quantity (`[A D Aᴴ − D]/x²`, entries 00,
    /// 11, 01 real and imaginary; one series: 00 only), term by term: the reference the closed
    /// form is checked against.
    static func truncatedSum(
        theta: Double, branching n: [[Double]], decayRates beta: [Double], meanRates m: [Double], resolution delta: Double, terms: Int
    ) -> (z00: Double, z11: Double, z01re: Double, z01im: Double) {
        let twoPi = 2 * Double.pi
        if beta.count == 1 {
            let b = beta[0] * (1 - n[0][0]), extra = beta[0] * beta[0] - b * b
            var sum = 0.0
            for k in -terms...terms {
                let x = theta + twoPi * Double(k), omega = x / delta
                sum += extra / (b * b + omega * omega) / (x * x)
            }
            return (m[0] * sum, 0, 0, 0)
        }
        var f00 = 0.0, f11 = 0.0, f01re = 0.0, f01im = 0.0
        for k in -terms...terms {
            let x = theta + twoPi * Double(k), omega = x / delta
            // Ĝᵢⱼ = nᵢⱼ βᵢ (βᵢ − iω)/(βᵢ² + ω²)
            func g(_ i: Int, _ j: Int) -> (Double, Double) {
                let q = n[i][j] * beta[i] / (beta[i] * beta[i] + omega * omega)
                return (q * beta[i], -q * omega)
            }
            let (g00r, g00i) = g(0, 0), (g01r, g01i) = g(0, 1), (g10r, g10i) = g(1, 0), (g11r, g11i) = g(1, 1)
            // M = I − Ĝ; A = M⁻¹ = adj(M)/det(M).
            let a = (1 - g00r, -g00i), bb = (-g01r, -g01i), c = (-g10r, -g10i), e = (1 - g11r, -g11i)
            let detR = a.0 * e.0 - a.1 * e.1 - (bb.0 * c.0 - bb.1 * c.1)
            let detI = a.0 * e.1 + a.1 * e.0 - (bb.0 * c.1 + bb.1 * c.0)
            let den = detR * detR + detI * detI
            func div(_ z: (Double, Double)) -> (Double, Double) {
                ((z.0 * detR + z.1 * detI) / den, (z.1 * detR - z.0 * detI) / den)
            }
            let A00 = div(e), A01 = div((-bb.0, -bb.1)), A10 = div((-c.0, -c.1)), A11 = div(a)
            // (A D Aᴴ)_pq = Σ_r A_pr m_r conj(A_qr)
            let s00 = m[0] * (A00.0 * A00.0 + A00.1 * A00.1) + m[1] * (A01.0 * A01.0 + A01.1 * A01.1)
            let s11 = m[0] * (A10.0 * A10.0 + A10.1 * A10.1) + m[1] * (A11.0 * A11.0 + A11.1 * A11.1)
            let s01r = m[0] * (A00.0 * A10.0 + A00.1 * A10.1) + m[1] * (A01.0 * A11.0 + A01.1 * A11.1)
            let s01i = m[0] * (A00.1 * A10.0 - A00.0 * A10.1) + m[1] * (A01.1 * A11.0 - A01.0 * A11.1)
            let w = 1 / (x * x)
            f00 += (s00 - m[0]) * w; f11 += (s11 - m[1]) * w; f01re += s01r * w; f01im += s01i * w
        }
        return (f00, f11, f01re, f01im)
    }
}
