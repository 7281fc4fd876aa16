#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a Hawkes process is fitted to events known only to a resolution (day-dated events).
public enum HawkesFitMethod: String, Hashable, Sendable, CaseIterable {
    /// Each event placed uniformly at random within its cell, then the exact-time likelihood
    /// (`Hawkes.fit`).
    case randomPlacement = "random-placement"
    /// The counts per cell, by the Whittle likelihood of the binned process (`HawkesBinned`):
    /// no time within a cell is invented, and nothing is identified from the order of events
    /// within a cell.
    case binned
}

/// Fits a Hawkes process to counts per cell (per day for day-dated events) by the Whittle
/// likelihood of the binned process (Cheysson & Lang 2022, "Spectral estimation of Hawkes
/// processes from count data", Ann. Statist. 50(3)).
///
/// A stationary Hawkes process with mean rates `m = (I − N)⁻¹ μ` has the spectral density
///
///     f(ω) = (I − Ĝ(ω))⁻¹ diag(m) (I − Ĝ(ω))⁻ᴴ / 2π,   Ĝᵢⱼ(ω) = nᵢⱼ βᵢ / (βᵢ + iω),
///
/// and its counts over cells of width Δ the (aliased) density
///
///     f_Δ(θ) = Δ diag(m)/2π + 4Δ sin²(θ/2) Σₖ [f − diag(m)/2π]((θ + 2πk)/Δ) / (θ + 2πk)².
///
/// The sum over all k is taken in closed form (`HawkesAliasing`: the density is rational in ω,
/// so partial fractions reduce it to sums of cot, sinh and cosh terms). The Whittle
/// log-likelihood `−Σⱼ [log det f_Δ(θⱼ) + tr(f_Δ(θⱼ)⁻¹ I(θⱼ))]` over the Fourier frequencies
/// `θⱼ = 2πj/K`, 0 < j < K/2, of the K cells (I: the periodogram) is maximised over the
/// branching ratios and decay times, with the mean rates set to the counts over the duration.
/// It is a second-order (Gaussian) approximation: its maximum is consistent, but its value is
/// not a likelihood of the events (the reported `logLikelihood` is the Whittle value).
///
/// Excitation within a cell enters only through the variance and covariance of the cell's
/// counts, so which of two series excited the other within the same day is not identified
/// from the data — only from counts on later days.
public enum HawkesBinned {
    /// Counts per cell: `counts[i][k]` events of series `i` in `[k·resolution, (k+1)·resolution)`;
    /// `cells = ⌈duration / resolution⌉` (at least 1), an event at the very end in the last cell.
    public static func counts(_ events: MarkedTimes, resolution: Double) -> [[Double]] {
        let cells = max(1, Int((events.duration / resolution - 1e-9).rounded(.up)))
        var c = [[Double]](repeating: [Double](repeating: 0, count: cells), count: events.dimension)
        for (t, mark) in zip(events.times, events.marks) {
            c[mark][min(cells - 1, max(0, Int((t / resolution).rounded(.down))))] += 1
        }
        return c
    }

    /// The binned data in the frequency domain, computed once per fit.
    struct Spectrum {
        let dimension: Int
        let resolution: Double
        /// Mean rate per unit time of each series.
        var meanRates: [Double]
        /// Fourier frequencies θⱼ (radians per cell).
        var frequencies: [Double] = []
        /// 4Δ sin²(θⱼ/2) for each frequency (the binning's weight).
        var weights: [Double] = []
        /// sin²(θⱼ/2) and cot(θⱼ/2), for the closed-form aliasing sums (`HawkesAliasing`).
        var sinHalfSquared: [Double] = []
        var inverseSinHalfSquared: [Double] = []
        var cotHalf: [Double] = []
        /// Periodogram entries per frequency: `periodogram[j * d * d + a * d + b]` = I_ab(θⱼ),
        /// real and imaginary parts.
        var periodogramRe: [Double] = []
        var periodogramIm: [Double] = []

        init(_ events: MarkedTimes, resolution: Double) {
            dimension = events.dimension
            self.resolution = resolution
            let c = HawkesBinned.counts(events, resolution: resolution)
            let cells = c[0].count
            meanRates = (0..<dimension).map { events.count(ofSeries: $0) > 0 ? Double(events.count(ofSeries: $0)) / events.duration : 0 }
            let d = dimension
            guard cells >= 3 else { return }
            // Only cells with events add to the transform (most days have none), in cell order;
            // e^{−iθⱼk} from a table of the K-th roots of unity, at index jk mod K.
            let occupied = (0..<cells).filter { k in (0..<d).contains { c[$0][k] != 0 } }
            let top = (cells - 1) / 2
            let cosTable = (0..<cells).map { cos(2 * Double.pi * Double($0) / Double(cells)) }
            let sinTable = (0..<cells).map { sin(2 * Double.pi * Double($0) / Double(cells)) }
            var transformRe = [Double](repeating: 0, count: top * d), transformIm = transformRe
            for k in occupied {
                var index = 0
                for j in 1...top {
                    index += k
                    if index >= cells { index -= cells }
                    for i in 0..<d where c[i][k] != 0 {
                        transformRe[(j - 1) * d + i] += c[i][k] * cosTable[index]
                        transformIm[(j - 1) * d + i] -= c[i][k] * sinTable[index]
                    }
                }
            }
            for j in 1...top {
                let theta = 2 * Double.pi * Double(j) / Double(cells)
                let base = (j - 1) * d
                frequencies.append(theta)
                let half = sin(theta / 2)
                weights.append(4 * resolution * half * half)
                sinHalfSquared.append(half * half)
                inverseSinHalfSquared.append(1 / (half * half))
                cotHalf.append(cos(theta / 2) / half)
                let scale = 1 / (2 * Double.pi * Double(cells))
                for a in 0..<d {
                    for b in 0..<d {  // d_a conj(d_b)
                        let (reA, imA, reB, imB) = (transformRe[base + a], transformIm[base + a], transformRe[base + b], transformIm[base + b])
                        periodogramRe.append((reA * reB + imA * imB) * scale)
                        periodogramIm.append((imA * reB - reA * imB) * scale)
                    }
                }
            }
        }

        /// The Whittle log-likelihood at branching `n` (row: excited series) and decay rates
        /// `beta`; −∞ where the model is not stationary or a baseline would be negative.
        func logLikelihood(branching n: [[Double]], decayRates beta: [Double]) -> Double {
            let d = dimension, delta = resolution, m = meanRates
            // Baselines μ = (I − N) m must be positive.
            for i in 0..<d {
                var mu = m[i]
                for j in 0..<d { mu -= n[i][j] * m[j] }
                if !(mu > 0) { return -.infinity }
            }
            if d == 1 { guard n[0][0] < 1 else { return -.infinity } } else {
                guard HawkesModel(baselineRates: m, branching: n, decayRates: beta).spectralRadius < 1 else { return -.infinity }
            }
            var total = 0.0
            // Σ log det f_Δ as the log of running products (one log per ~1e150 of range, not per frequency).
            var logSum = 0.0, product = 1.0
            @inline(__always) func addLog(_ v: Double) {
                product *= v
                if !(product > 1e-150 && product < 1e150) { logSum += log(product); product = 1 }
            }
            let inverseTwoPi = 1 / (2 * Double.pi)
            if d == 1 {
                // |A|² − 1 = (β² − b²)/(b² + ω²), b = β(1 − n): one pole at bΔ.
                let b = beta[0] * (1 - n[0][0])
                let pole = HawkesAliasing.Pole(b * delta), extra = delta * delta * (beta[0] * beta[0] - b * b)
                for jIndex in frequencies.indices {
                    let sum = HawkesAliasing.univariate(
                        pole: pole, extra: extra, s2: sinHalfSquared[jIndex], inverseS2: inverseSinHalfSquared[jIndex], cot: cotHalf[jIndex])
                    let f = m[0] * inverseTwoPi * (delta + weights[jIndex] * sum)
                    guard f > 0 else { return -.infinity }
                    addLog(f)
                    total -= periodogramRe[jIndex] / f
                }
                return total - logSum - log(product)
            }
            // 2×2: f_Δ = Δ D/2π + weight Σ_k [A D Aᴴ − D]/2π / x², A = (I − Ĝ)⁻¹.
            guard let aliasing = HawkesAliasing.Bivariate(branching: n, decayRates: beta, meanRates: m, resolution: delta) else {
                return -.infinity
            }
            for (jIndex, theta) in frequencies.enumerated() {
                let weight = weights[jIndex]
                let z = aliasing.z(
                    s2: sinHalfSquared[jIndex], inverseS2: inverseSinHalfSquared[jIndex], cot: cotHalf[jIndex], theta: theta)
                let f00 = (delta * m[0] + weight * z.z00) * inverseTwoPi
                let f11 = (delta * m[1] + weight * z.z11) * inverseTwoPi
                let f01re = z.z01re * weight * inverseTwoPi, f01im = z.z01im * weight * inverseTwoPi
                let det = f00 * f11 - (f01re * f01re + f01im * f01im)
                guard det > 0 else { return -.infinity }
                let base = jIndex * 4
                let i00 = periodogramRe[base], i11 = periodogramRe[base + 3]
                let i10re = periodogramRe[base + 2], i10im = periodogramIm[base + 2]
                // tr(f⁻¹ I) = (f11 I00 + f00 I11 − 2 Re(f01 I10)) / det
                let trace = (f11 * i00 + f00 * i11 - 2 * (f01re * i10re - f01im * i10im)) / det
                addLog(det)
                total -= trace
            }
            total -= logSum + log(product)
            return total
        }
    }

    /// Fits by the Whittle likelihood of the counts per cell of width `resolution` (time units).
    /// Decay times are kept within `decayTimeBounds` (default: from a tenth of a cell to the
    /// duration); branching ratios are ≥ 0 and the process stationary, relaxing within the
    /// duration (its slowest relaxation time, 1/the smallest eigenvalue of B(I − N), at most the
    /// duration: beyond it the likelihood is flat up to branching 1, `Parameters.relaxationScale`).
    /// Baselines follow from the mean rates: `μ = (I − N) m`.
    public static func fit(
        _ events: MarkedTimes, resolution: Double, decayTimeBounds: ClosedRange<Double>? = nil
    ) throws(HawkesError) -> HawkesFit {
        try fit(events, resolution: resolution, decayTimeBounds: decayTimeBounds, zero: nil)
    }

    /// As `fit`, with `zero[i][j]` holding nᵢⱼ at 0 (the fit under a null of no excitation).
    /// `starts`: models the search also starts from (their held entries set to 0, decay times
    /// clamped to the bounds), besides the best point of the start grid; the best maximum found
    /// from any start is returned. The likelihood-ratio test starts the null fit from the full
    /// fit and the full fit from the null fit, so that neither stops in a worse local maximum
    /// than the other has found.
    static func fit(
        _ events: MarkedTimes, resolution: Double, decayTimeBounds: ClosedRange<Double>?, zero: [[Bool]]?,
        starts: [HawkesModel] = [], gridStart: Bool = true
    ) throws(HawkesError) -> HawkesFit {
        precondition(resolution > 0)
        let d = events.dimension
        for k in events.times.indices where events.times[k] < 0 || events.times[k] > events.duration
            || (k > 0 && events.times[k] < events.times[k - 1]) {
            throw .unsortedTimes(index: k)
        }
        let counts = (0..<d).map { events.count(ofSeries: $0) }
        for i in 0..<d where counts[i] < Hawkes.minimumEventsPerSeries { throw .tooFewEvents(series: i, count: counts[i]) }
        let bounds = decayTimeBounds ?? (0.1 * resolution)...max(0.1 * resolution, events.duration)
        let spectrum = Spectrum(events, resolution: resolution)
        let parameters = Parameters(dimension: d, decayTimeBounds: bounds, zero: zero, longestRelaxationTime: events.duration)
        let (lo, hi, held, free) = (parameters.lo, parameters.hi, parameters.held, parameters.free)
        func objective(_ x: [Double]) -> Double { parameters.objective(x, spectrum) }
        // Starts: a grid of decay times per series (10 for one series, 7 × 7 for two) and a
        // diagonal branching of 0.15 or 0.45. The likelihood has several local maxima (decay
        // times that differ by orders of magnitude between the series; at long decays the ridge
        // where excitation and a slowly varying baseline trade off), so the four best grid points
        // at least two steps apart, and the given starts, are each searched briefly, and the two
        // best of those to convergence.
        let steps = d == 1 ? 10 : 7
        var grid: [(cell: [Int], x: [Double], value: Double)] = []
        if gridStart {
            var cell = [Int](repeating: 0, count: d)
            outer: while true {
                for n0 in [0.15, 0.45] {
                    var x = [Double](repeating: 0, count: d * d + d)
                    for i in 0..<d { for j in 0..<d { x[i * d + j] = held[i * d + j] ? 0 : (i == j ? n0 : 0.05).squareRoot() } }
                    for i in 0..<d { x[d * d + i] = lo + (hi - lo) * (Double(cell[i]) + 0.5) / Double(steps) }
                    grid.append((cell, x, objective(x)))
                }
                var i = 0
                while i < d { cell[i] += 1; if cell[i] < steps { break }; cell[i] = 0; i += 1 }
                if i == d { break outer }
            }
        }
        var candidates: [[Double]] = []
        var chosen: [[Int]] = []
        // The best grid point even where none is feasible (the search then starts from it).
        for point in grid.sorted(by: { $0.value < $1.value }) where chosen.isEmpty || (point.value < .greatestFiniteMagnitude && chosen.count < 3) {
            guard chosen.allSatisfy({ c in zip(c, point.cell).contains { abs($0 - $1) >= 2 } }) else { continue }
            chosen.append(point.cell)
            candidates.append(point.x)
        }
        for model in starts where model.dimension == d { candidates.append(parameters.point(model)) }
        precondition(!candidates.isEmpty, "a binned fit needs a start")
        func reducedObjective(_ y: [Double]) -> Double { objective(parameters.expand(y)) }
        let dimensions = free.count
        var screened = candidates.map { x in
            NelderMead.minimise(reducedObjective, start: free.map { x[$0] }, step: 0.3, maximumEvaluations: 30 * dimensions)
        }
        screened.sort { $0.value < $1.value }
        var best = (x: [Double](), value: Double.infinity)
        for candidate in screened.prefix(1) {
            var found = NelderMead.minimise(reducedObjective, start: candidate.x, step: 0.2)
            // Restarts guard a collapsed simplex and a slow crawl along a ridge: again while one still gains.
            for _ in 0..<6 {
                let again = NelderMead.minimise(reducedObjective, start: found.x, step: 0.1)
                let gain = found.value - again.value
                if again.value < found.value { found = again }
                if !(gain > 1e-6) { break }
            }
            if found.value < best.value { best = found }
        }
        let (n, beta, _) = parameters.unpack(parameters.expand(best.x))
        var mu = [Double](repeating: 0, count: d)
        for i in 0..<d {
            mu[i] = spectrum.meanRates[i]
            for j in 0..<d { mu[i] -= n[i][j] * spectrum.meanRates[j] }
            mu[i] = max(mu[i], 1e-12)
        }
        return HawkesFit(
            model: HawkesModel(baselineRates: mu, branching: n, decayRates: beta),
            logLikelihood: -best.value, eventCounts: counts, duration: events.duration, decayTimeBounds: bounds,
            method: .binned)
    }
}

extension HawkesBinned {
    /// How the binned fit's search sees a model of `dimension` series: x = (√nᵢⱼ row-major, then
    /// the log decay time of each series), with the entries held at 0 (`zero`) left out of the
    /// search (`free`: the indices of x it moves), decay times clamped to the bounds and, with
    /// `longestRelaxationTime`, the branching matrix scaled down where the process would take
    /// longer than that to relax (`relaxationScale`). `fit` searches it; diagnostics that search
    /// the same likelihood another way use it too, so that both maximise one function.
    struct Parameters {
        let dimension: Int
        /// log of the decay-time bounds.
        let lo: Double, hi: Double
        /// Per branching entry (row-major): held at 0.
        let held: [Bool]
        /// Indices of x that the search moves: the branching entries not held, and every decay time.
        let free: [Int]
        /// The longest relaxation time (time units) of a fitted process, 1 / the smallest
        /// eigenvalue of B(I − N); nil: none but stationarity. `fit` bounds it by the duration.
        let longestRelaxationTime: Double?

        init(dimension d: Int, decayTimeBounds bounds: ClosedRange<Double>, zero: [[Bool]]?, longestRelaxationTime: Double? = nil) {
            dimension = d
            lo = log(bounds.lowerBound)
            hi = log(bounds.upperBound)
            let held = (0..<(d * d)).map { zero?[$0 / d][$0 % d] == true }
            self.held = held
            free = (0..<(d * d + d)).filter { $0 >= d * d || !held[$0] }
            self.longestRelaxationTime = longestRelaxationTime
        }

        /// The slowest relaxation rate of the process (per time unit): the smallest eigenvalue of
        /// B(I − N), B = diag(β), real for N ≥ 0 (a Z-matrix); the excitation left by a burst of
        /// events fades as exp(−rate·t). Positive exactly when the process is stationary (ρ(N) < 1).
        /// One or two series; nil for more.
        static func slowestRelaxationRate(branching n: [[Double]], decayRates beta: [Double]) -> Double? {
            switch beta.count {
            case 1: return beta[0] * (1 - n[0][0])
            case 2:
                let a = beta[0] * (1 - n[0][0]), d = beta[1] * (1 - n[1][1])
                let offDiagonal = beta[0] * n[0][1] * beta[1] * n[1][0]
                return (a + d) / 2 - (((a - d) / 2) * ((a - d) / 2) + offDiagonal).squareRoot()
            default: return nil
            }
        }

        /// The factor s in [0, 1] by which the branching matrix is scaled so that the process
        /// relaxes within `longestRelaxationTime` (its slowest rate at least 1/that; the rate
        /// falls as s grows, N ≥ 0): 1 where it already does or where the process is not
        /// stationary (left to the likelihood, which is −∞ there), 0 where even no excitation
        /// is too slow (a decay time longer than the bound). Beyond that time every Fourier
        /// frequency of the counts lies above the rate, the Whittle likelihood no longer changes
        /// with it (a plateau up to branching 1, where excitation cannot be told from a baseline
        /// that drifts over the whole period), and a fit there would sit at the edge of
        /// stationarity with a baseline near 0, from which simulated processes have almost no events.
        func relaxationScale(branching n: [[Double]], decayRates beta: [Double]) -> Double {
            guard let longest = longestRelaxationTime,
                  let rate = Self.slowestRelaxationRate(branching: n, decayRates: beta), rate > 0, rate * longest < 1 else { return 1 }
            let target = 1 / longest
            if dimension == 1 { return max(0, min(1, (1 - target / beta[0]) / n[0][0])) }
            func scaledRate(_ s: Double) -> Double {
                Self.slowestRelaxationRate(branching: n.map { $0.map { $0 * s } }, decayRates: beta) ?? target
            }
            guard scaledRate(0) > target else { return 0 }
            var (low, high) = (0.0, 1.0)  // scaledRate(low) > target ≥ scaledRate(high)
            for _ in 0..<60 {
                let mid = (low + high) / 2
                if scaledRate(mid) > target { low = mid } else { high = mid }
            }
            return low
        }

        /// The full x from the free parameters `y` (held entries 0).
        func expand(_ y: [Double]) -> [Double] {
            var x = [Double](repeating: 0, count: dimension * dimension + dimension)
            for (k, index) in free.enumerated() { x[index] = y[k] }
            return x
        }

        /// Branching (held entries exactly 0; scaled by `relaxationScale`, which it returns) and
        /// decay rates of x.
        func unpack(_ x: [Double]) -> (n: [[Double]], beta: [Double], scale: Double) {
            let d = dimension
            var n = (0..<d).map { i in (0..<d).map { j in held[i * d + j] ? 0 : x[i * d + j] * x[i * d + j] } }
            let beta = (0..<d).map { exp(-min(hi, max(lo, x[d * d + $0]))) }
            let scale = relaxationScale(branching: n, decayRates: beta)
            if scale < 1 { n = n.map { $0.map { $0 * scale } } }
            return (n, beta, scale)
        }

        /// The negative Whittle log-likelihood at x; outside the decay bounds or the relaxation
        /// bound the bound's value made slightly worse by the distance to it (so a search
        /// returns), and the largest finite value where the model is not stationary.
        func objective(_ x: [Double], _ spectrum: Spectrum) -> Double {
            let d = dimension
            let (n, beta, scale) = unpack(x)
            let v = spectrum.logLikelihood(branching: n, decayRates: beta)
            var outside = 0.0
            for i in 0..<d { outside += max(0, lo - x[d * d + i]) + max(0, x[d * d + i] - hi) }
            if scale < 1 {
                // |x − x scaled| over the branching entries: each √n moves by (1 − √s)·√n.
                for k in 0..<(d * d) where !held[k] { outside += (1 - scale.squareRoot()) * abs(x[k]) }
            }
            return v.isFinite ? -v + outside : .greatestFiniteMagnitude
        }

        /// The full x of `model` (negative branching as 0, decay times clamped to the bounds).
        func point(_ model: HawkesModel) -> [Double] {
            let d = dimension
            var x = [Double](repeating: 0, count: d * d + d)
            for i in 0..<d {
                for j in 0..<d { x[i * d + j] = max(0, model.branching[i][j]).squareRoot() }
                x[d * d + i] = min(hi, max(lo, log(model.decayTimes[i])))
            }
            return x
        }
    }
}

/// Derivative-free minimisation (Nelder–Mead with the standard coefficients).
enum NelderMead {
    static func minimise(
        _ f: ([Double]) -> Double, start: [Double], step: Double, maximumEvaluations: Int? = nil, tolerance: Double = 1e-9
    ) -> (x: [Double], value: Double) {
        let n = start.count
        let limit = maximumEvaluations ?? 400 * n
        var simplex = [start]
        for i in 0..<n { var p = start; p[i] += step; simplex.append(p) }
        var values = simplex.map(f)
        var evaluations = n + 1
        while evaluations < limit {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }; values = order.map { values[$0] }
            if abs(values[n] - values[0]) <= tolerance * (abs(values[0]) + 1e-12) { break }
            var centroid = [Double](repeating: 0, count: n)
            for p in simplex[0..<n] { for i in 0..<n { centroid[i] += p[i] / Double(n) } }
            func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
            let reflected = along(-1), fr = f(reflected); evaluations += 1
            if fr < values[0] {
                let expanded = along(-2), fe = f(expanded); evaluations += 1
                if fe < fr { simplex[n] = expanded; values[n] = fe } else { simplex[n] = reflected; values[n] = fr }
            } else if fr < values[n - 1] {
                simplex[n] = reflected; values[n] = fr
            } else {
                let contracted = fr < values[n] ? along(-0.5) : along(0.5)
                let fc = f(contracted); evaluations += 1
                if fc < min(fr, values[n]) {
                    simplex[n] = contracted; values[n] = fc
                } else {
                    for k in 1...n {
                        simplex[k] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[k][$0] - simplex[0][$0]) }
                        values[k] = f(simplex[k])
                    }
                    evaluations += n
                }
            }
        }
        let bestIndex = values.indices.min { values[$0] < values[$1] }!
        return (simplex[bestIndex], values[bestIndex])
    }
}
