import GeoCore
import GeoEvents
import GeoTemporal
import OrderedCollections

/// Hawkes fits of an escalation report: a univariate process over all selected events and/or
/// a bivariate one over two split values (`Hawkes`: exponential kernels, maximum likelihood),
/// with parametric-bootstrap intervals.
///
/// Modelling choices:
/// - Time is in days since the first day of the study range; the process is observed over the
///   whole range (`durationDays`).
/// - An event dated to the day has no time within its day. By default (`hawkesFit` `.binned`)
///   the fit takes only the counts per day of the study range (`HawkesBinned`, a Whittle
///   likelihood), so it invents no time within a day. With `.randomPlacement` each event gets a
///   time drawn uniformly within its span (its day, or its exact instant), seeded by
///   `EscalationOptions.seed`, in input order (ties would make the likelihood unbounded for
///   ever faster decay); in the calibration study that stretches short decays (0.3 → 0.5 days)
///   and makes a zero cross-excitation look significant in a third of the datasets.
/// - Events spanning more than a day (dated to the week or month, or with a later `date_end`)
///   are left out of the fits (`leftOutImprecise`): placing them anywhere in a week or month
///   would invent the timing the fit is about. Events placed outside the study range are
///   left out too.
/// - Decay times are searched between 0.25 days (0.05 days for the binned fit, which has no
///   ties to guard against; or half the study length, if shorter) and the study length.
/// - A fit needs at least `Hawkes.minimumEventsPerSeries` events in each series.
/// - Intervals (95%, with `bootstrap` replicates): processes simulated from the fit, observed
///   as the data were (rounded to the day and placed within it, or counted per day for the
///   binned fit), refitted the same way (`Hawkes.bootstrap`); skipped when the fit is not
///   stationary (spectral radius ≥ 1). By default (`HawkesInterval.default(for:)`) percentile
///   intervals for the binned fit and intervals spanning both the basic and the percentile
///   interval for random placement: the kinds whose coverage came closest to 95 % in the
///   calibration study.
///   Quantiles are those of rank (B + 1)·0.025 and (B + 1)·0.975 of the B refits
///   (`Quantiles.bootstrapQuantileOfSorted`).
/// - Each cross-excitation of a bivariate fit is tested against 0 by a likelihood-ratio test
///   (`HawkesExcitationTest`: p-value by parametric bootstrap under the null with up to the same
///   replicates, times 1.5 as the calibration study's size asks, or the chi-bar-squared reference
///   without bootstrap), and its interval starts at 0 unless the test rejects at 5 %.
/// - A decay time under two days gets a warning: day-dated events cannot show it; so does a
///   binned fit whose excitation fades only over the whole period (its relaxation bound), and
///   so do failed bootstrap refits (a fit at the edge of stationarity), which leave the
///   intervals resting on fewer replicates or absent.
public struct EscalationHawkes: Sendable {
    /// One fitted process.
    public struct Fit: Sendable {
        /// The series, as named in the options (univariate: `all`).
        public var series: [String]
        /// Events fitted per series.
        public var eventCounts: [Int]
        public var fit: HawkesFit
        /// Nil without bootstrap or for a non-stationary fit.
        public var confidence: HawkesConfidence?
        /// Tests of no cross-excitation (bivariate fits), with the bootstrap's replicates under
        /// the null, or asymptotic only without bootstrap (`HawkesExcitationTest`).
        public var excitationTests: [HawkesExcitationTest] = []
        public var warning: String?
    }

    public var durationDays: Double
    /// Selected events left out for spanning more than a day.
    public var leftOutImprecise: Int
    public var decaySearchDays: ClosedRange<Double>
    public var bootstrapReplicates: Int
    public var seed: UInt64
    public var method: HawkesFitMethod
    /// The bootstrap intervals' kind.
    public var intervalKind: HawkesInterval
    public var univariate: Fit?
    public var bivariate: Fit?

    init(_ selection: EscalationSelection, _ options: EscalationOptions, source: String, fromDay: Int, toDay: Int) throws {
        let origin = Double(fromDay) * 86_400, end = Double(toDay + 1) * 86_400
        let duration = (end - origin) / 86_400
        var rng = SeededGenerator(seed: options.seed)
        var timed: [(time: Double, split: Int)] = []  // days since fromDay
        var imprecise = [Int](repeating: 0, count: selection.splitNames.count)
        for k in 0..<selection.count {
            let start = selection.startSeconds[k], stop = selection.endSeconds[k]
            guard stop - start <= 86_400 else { imprecise[selection.splits[k]] += 1; continue }
            let t = start + rng.nextUnit() * (stop - start)
            guard t >= origin && t < end else { continue }
            timed.append(((t - origin) / 86_400, selection.splits[k]))
        }
        timed.sort { $0.time < $1.time }
        durationDays = duration
        leftOutImprecise = imprecise.reduce(0, +)
        decaySearchDays = min(options.hawkesFit == .binned ? 0.05 : 0.25, duration / 2)...duration
        bootstrapReplicates = options.bootstrap
        seed = options.seed
        method = options.hawkesFit
        intervalKind = options.hawkesInterval

        // Both fits' events, and their counts checked, before either is fitted.
        let minimum = Hawkes.minimumEventsPerSeries
        var all: MarkedTimes?
        if options.hawkes {
            guard timed.count >= minimum else {
                throw LayerError("\(source): Hawkes fit: too few events to fit: \(timed.count) dated to the day in the study range"
                    + Self.leftOut(leftOutImprecise) + "; a Hawkes fit needs at least \(minimum)")
            }
            all = MarkedTimes(times: timed.map(\.time), marks: Array(repeating: 0, count: timed.count), duration: duration, dimension: 1)
        }
        var pair: (events: MarkedTimes, names: [String], what: String)?
        if let cross = options.cross {
            let names = cross.names
            let field = options.split ?? "split"
            let dims = try names.map { name in
                guard let s = selection.splitNames.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
                    throw LayerError("\(source): no \(field) '\(name)' among the selected events to fit; values: \(selection.splitNames.joined(separator: ", "))")
                }
                return s
            }
            let chosen = timed.filter { dims.contains($0.split) }
            let events = MarkedTimes(times: chosen.map(\.time), marks: chosen.map { $0.split == dims[0] ? 0 : 1 }, duration: duration, dimension: 2)
            let what = "\(source): Hawkes fit of \(names.joined(separator: " and "))"
            let counts = (0..<2).map { events.count(ofSeries: $0) }
            guard counts.allSatisfy({ $0 >= minimum }) else {
                throw LayerError("\(what): too few events to fit: \(names[0]) \(counts[0]), \(names[1]) \(counts[1]) dated to the day in the study range"
                    + Self.leftOut(imprecise[dims[0]] + imprecise[dims[1]]) + "; a Hawkes fit needs at least \(minimum) events per series")
            }
            pair = (events, names, what)
        }
        if let all { univariate = try Self.fit(all, series: ["all"], options: options, bounds: decaySearchDays, what: "\(source): Hawkes fit") }
        if let pair { bivariate = try Self.fit(pair.events, series: pair.names, options: options, bounds: decaySearchDays, what: pair.what) }
    }

    /// What `cross_excitation_test` is, in words.
    static func testMeaning(bootstrap: Bool) -> String {
        "likelihood-ratio test of no excitation of the excited series by the exciting one (H0: that branching ratio is 0): "
            + "statistic = 2 × (log-likelihood of the fit − log-likelihood with that branching ratio held at 0); "
            + (bootstrap
                ? "p_value_bootstrap from a parametric bootstrap under H0 (processes simulated from the fit with that ratio held at 0, dated to the day as the data were, and tested the same way; "
                    + "sequential: it stops once 10 replicates reach the statistic), so the excitation that day dating alone creates is part of the reference; "
                    + "p_value = min(1, 1.5 × p_value_bootstrap), size-adjusted: the bootstrap test's size was about 1.5 times its level in the calibration study, because the reference's parameters are estimated; "
                : "p_value from the chi-bar-squared reference (½χ²₀ + ½χ²₁, the ratio being on the boundary of its range), which ignores day dating: run with --bootstrap for a reference that includes it; ")
            + "p_value_chi_bar_squared is that asymptotic reference. A branching ratio cannot be negative, so its 95% interval starts at 0 unless p_value ≤ 0.05"
    }

    static func leftOut(_ n: Int) -> String {
        n == 0 ? "" : " (\(n) more, dated to the week or month, \(n == 1 ? "is" : "are") left out)"
    }

    /// The fit's warnings in one text: a decay time short against day dating
    /// (`HawkesDating.warning`), a binned fit on its relaxation bound (`HawkesDating.relaxationWarning`),
    /// bootstrap refits that failed (`HawkesDating.bootstrapWarning`).
    static func warning(_ fit: HawkesFit, _ confidence: HawkesConfidence?) -> String? {
        let parts = [
            HawkesDating.warning(decayTimesDays: fit.model.decayTimes, method: fit.method),
            HawkesDating.relaxationWarning(model: fit.model, durationDays: fit.duration, method: fit.method),
            confidence.flatMap { HawkesDating.bootstrapWarning(model: fit.model, usedReplicates: $0.usedReplicates, replicates: $0.replicates) },
        ].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    static func fit(_ events: MarkedTimes, series: [String], options: EscalationOptions, bounds: ClosedRange<Double>,
                    what: String) throws -> Fit {
        do {
            let fit = options.hawkesFit == .binned
                ? try HawkesBinned.fit(events, resolution: 1, decayTimeBounds: bounds) : try Hawkes.fit(events, decayTimeBounds: bounds)
            var confidence: HawkesConfidence?
            var tests: [HawkesExcitationTest] = []
            if options.bootstrap > 0, fit.model.spectralRadius < 1 {
                confidence = try Hawkes.bootstrap(fit, replicates: options.bootstrap, seed: options.seed, resolution: 1,
                                                  interval: options.hawkesInterval, events: events)
                tests = confidence?.excitationTests ?? []
            } else {
                tests = Hawkes.excitationTests(events, fit: fit, replicates: 0, seed: options.seed, resolution: 1)
            }
            return Fit(series: series, eventCounts: (0..<events.dimension).map { events.count(ofSeries: $0) }, fit: fit,
                       confidence: confidence, excitationTests: tests,
                       warning: Self.warning(fit, confidence))
        } catch {
            throw LayerError("\(what): \(error)")
        }
    }

    /// `time_unit`, `duration_days`, `left_out_imprecise`, `decay_search_days`, `fit_method`
    /// (`random-placement` or `binned`) with `fit_method_meaning`, `bootstrap` (replicates, level,
    /// seed, method, interval), then `univariate` and `bivariate` when fitted. A binned fit reports
    /// `whittle_log_likelihood` in place of `log_likelihood`.
    public func json() -> JSONValue {
        func r5(_ v: Double) -> JSONValue { Format.rounded(v, 5) }
        func interval(_ r: ClosedRange<Double>) -> JSONValue { [r5(r.lowerBound), r5(r.upperBound)] }
        var o: OrderedDictionary<String, JSONValue> = [
            "time_unit": "days",
            "duration_days": Format.rounded(durationDays, 4),
            "left_out_imprecise": .integer(Int64(leftOutImprecise)),
            "decay_search_days": [Format.rounded(decaySearchDays.lowerBound, 4), Format.rounded(decaySearchDays.upperBound, 4)],
            "fit_method": .string(method.rawValue),
            "fit_method_meaning": .string(method == .binned
                ? "Whittle likelihood of the counts per day (binned Hawkes spectral density); no time within a day is used, and excitation within a day is seen only through the variance and covariance of daily counts"
                : "each day-dated event placed uniformly at random within its day (seeded), then the exact-time likelihood"),
            "bootstrap": [
                "replicates": .integer(Int64(bootstrapReplicates)), "level": 0.95, "seed": .integer(Int64(bitPattern: seed)),
                "method": .string("parametric, observed as the data were: simulate the fitted process (Ogata thinning) over the same duration, "
                    + (method == .binned ? "count the events per day, refit by the same Whittle likelihood; "
                        : "round each time to its day and place it at random within the day as the fit does, refit; ")
                    + (intervalKind == .basic ? "basic (reverse-percentile) intervals" : intervalKind == .percentile ? "percentile intervals"
                        : "intervals that span both the basic (reverse-percentile) and the percentile interval")
                    + " from the refits' quantiles of rank (B + 1)·0.025 and (B + 1)·0.975"
                    + ", on the log scale for baselines and decay times; a cross-excitation's interval starts at 0 unless its test (cross_excitation_test) rejects at 5%"),
                "interval": .string(intervalKind.rawValue),
            ],
        ]
        let likelihoodKey = method == .binned ? "whittle_log_likelihood" : "log_likelihood"
        if let u = univariate {
            let model = u.fit.model
            var j: OrderedDictionary<String, JSONValue> = [
                "events": .integer(Int64(u.eventCounts[0])),
                "baseline_per_day": r5(model.baselineRates[0]),
                "branching_ratio": r5(model.branching[0][0]),
                "decay_days": r5(model.decayTimes[0]),
                likelihoodKey: Format.rounded(u.fit.logLikelihood, 4),
            ]
            if let warning = u.warning { j["warning"] = .string(warning) }
            if let ci = u.confidence {
                j["ci95"] = [
                    "baseline_per_day": interval(ci.baselineRates[0]), "branching_ratio": interval(ci.branching[0][0]),
                    "decay_days": interval(ci.decayTimes[0]), "replicates_used": .integer(Int64(ci.usedReplicates)),
                ]
            }
            o["univariate"] = .object(j)
        }
        if let b = bivariate {
            let model = b.fit.model
            func matrix(_ m: [[Double]]) -> JSONValue { .array(m.map { .array($0.map(r5)) }) }
            var j: OrderedDictionary<String, JSONValue> = [
                "series": .array(b.series.map { .string($0) }),
                "events": .array(b.eventCounts.map { .integer(Int64($0)) }),
                "baseline_per_day": .array(model.baselineRates.map(r5)),
                "branching": matrix(model.branching),
                "branching_meaning": .string("branching[i][j]: expected \(b.series[0])/\(b.series[1]) (row i) events directly triggered by one event of column j"),
                "decay_days": .array(model.decayTimes.map(r5)),
                "spectral_radius": r5(model.spectralRadius),
                likelihoodKey: Format.rounded(b.fit.logLikelihood, 4),
            ]
            if let warning = b.warning { j["warning"] = .string(warning) }
            if !b.excitationTests.isEmpty {
                j["cross_excitation_test"] = .array(b.excitationTests.map { t in
                    var o: OrderedDictionary<String, JSONValue> = [
                        "excited": .string(b.series[t.target]), "exciting": .string(b.series[t.source]),
                        "statistic": Format.rounded(t.statistic, 4), "p_value": Format.rounded(t.pValue, 4),
                        "p_value_chi_bar_squared": Format.rounded(t.asymptoticPValue, 4),
                    ]
                    if let p = t.bootstrapPValue {
                        o["p_value_bootstrap"] = Format.rounded(p, 4)
                        o["replicates_used"] = .integer(Int64(t.usedReplicates))
                    }
                    return .object(o)
                })
                j["cross_excitation_test_meaning"] = .string(Self.testMeaning(bootstrap: b.excitationTests.contains { $0.bootstrapPValue != nil }))
            }
            if let ci = b.confidence {
                j["ci95"] = [
                    "baseline_per_day": .array(ci.baselineRates.map(interval)),
                    "branching": .array(ci.branching.map { .array($0.map(interval)) }),
                    "decay_days": .array(ci.decayTimes.map(interval)),
                    "replicates_used": .integer(Int64(ci.usedReplicates)),
                ]
            }
            o["bivariate"] = .object(j)
        }
        return .object(o)
    }
}
