import ArgumentParser
import GeoCore
import GeoEvents
import GeoTemporal

extension GeoCommand {
    /// `geo escalation EVENTS --by week`: event and fatality series, change points, Hawkes fits.
    public struct EscalationCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "escalation",
            abstract: "Event and fatality series per period, change points in the event rate, and self-excitation (Hawkes).",
            discussion: """
                Series: per period (UTC days, ISO weeks from Monday, or calendar months) and per \
                --split value: count, fatalities, cumulative totals, a trailing --rolling mean of the \
                count, and the change against the previous period. Events dated to the week or month \
                (time_precision 2/3) or with a later date_end are spread over their span in proportion \
                to the overlap, so counts can be fractional; spread_count is the part of a count that \
                came from such events. Unknown fatalities count as 0.
                Change points: the count series (total and each split) is cut into stretches of \
                constant Poisson rate by PELT, minimising Σ 2·(S − S·ln(S/L)) over segments (L periods, \
                S events) + penalty × number of change points. --penalty bic (default) is 2·ln(n) for \
                n periods; give a number for fewer (larger) or more (smaller) changes. Each change point \
                has its date (the first period of the new rate) and the rates before and after.
                Self-excitation (--hawkes): a Hawkes process with exponential kernel fitted by maximum \
                likelihood to all selected events (univariate: baseline per day, branching ratio = \
                share of events triggered by earlier events, decay time in days) and with --cross A,B \
                to two split values (2×2 branching matrix: row = triggered series, column = triggering \
                series; a decay time per triggered series). Day-dated events are placed uniformly at \
                random within their day (--seed); week/month-dated events are left out of the fit. \
                Decay times are searched between 0.25 days and the study length. 95% intervals by \
                parametric bootstrap: --bootstrap processes simulated from the fit and refitted.
                Output: JSON (default; metadata, series, change points, Hawkes) or CSV (one row per \
                split and period, with segment rate and change-point flag).
                \(EventSelection.filterHelp)
                """
        )

        @Argument(help: ArgumentHelp("Events: GeoJSON / GeoJSONSeq point features with event fields; - for standard input.", valueName: "events"))
        var events: String

        @Option(help: ArgumentHelp("Period: day, week (ISO, Monday start) or month.", valueName: "period"))
        var by: String

        @Option(help: ArgumentHelp("Series per value of actor_side, country, event_type, sub_event_type, actor1 or admin1.", valueName: "field"))
        var split: String?

        @Option(name: .customLong("where"), help: ArgumentHelp("Only events matching FILTER.", valueName: "filter"))
        var filterText: String?

        @Option(help: ArgumentHelp("First day (default: the first event's).", valueName: "date"))
        var from: String?

        @Option(help: ArgumentHelp("Last day, inclusive (default: the last event's).", valueName: "date"))
        var to: String?

        @Option(help: ArgumentHelp("Periods in the trailing rolling mean.", valueName: "n"))
        var rolling: Int = 4

        @Option(help: ArgumentHelp("Change-point penalty: bic (2·ln n) or a number; none to skip.", valueName: "penalty"))
        var penalty: String = "bic"

        @Option(help: ArgumentHelp("Shortest segment between change points, in periods.", valueName: "n"))
        var minSegment: Int = 1

        @Flag(help: "Fit a Hawkes process to the selected events.")
        var hawkes = false

        @Option(help: ArgumentHelp("Fit a bivariate Hawkes process to two --split values, e.g. militia,US.", valueName: "a,b"))
        var cross: String?

        @Option(help: ArgumentHelp("Bootstrap replicates for the Hawkes intervals (0: none).", valueName: "n"))
        var bootstrap: Int = 200

        @Option(help: ArgumentHelp("Seed for placing times within days and for the bootstrap.", valueName: "n"))
        var seed: UInt64 = 20_231_017

        @OptionGroup var layerInput: LayerInputOptions
        @OptionGroup var output: OutputOptions

        public init() {}

        static let splitFields = ["actor_side", "country", "event_type", "sub_event_type", "actor1", "admin1"]

        var unit: PeriodUnit? { PeriodUnit(rawValue: by.lowercased()) }

        public func validate() throws {
            try OutputSafety.check(inputs: [events], outputs: [("-o", output.output)])
            guard unit != nil else { throw ValidationError("unknown --by '\(by)'; use day, week or month") }
            if let split, !Self.splitFields.contains(split) {
                throw ValidationError("unknown --split '\(split)'; use one of: \(Self.splitFields.joined(separator: ", "))")
            }
            if let filterText { _ = try EventSelection.filter(filterText, option: "--where") }
            guard rolling >= 1 else { throw ValidationError("--rolling must be at least 1, got \(rolling)") }
            guard minSegment >= 1 else { throw ValidationError("--min-segment must be at least 1, got \(minSegment)") }
            _ = try penaltyValue(periods: 10)
            if let from { _ = try EventSelection.day(from, option: "--from") }
            if let to { _ = try EventSelection.day(to, option: "--to") }
            if let from, let to, try EventSelection.day(to, option: "--to") < EventSelection.day(from, option: "--from") {
                throw ValidationError("--to \(to) is before --from \(from)")
            }
            if let cross {
                guard split != nil else { throw ValidationError("--cross needs --split (its values name the two series)") }
                let values = crossValues(cross)
                guard values.count == 2 else { throw ValidationError("--cross takes two split values, e.g. militia,US") }
                guard values[0] != values[1] else { throw ValidationError("--cross needs two different values, got \(values[0]) twice") }
            }
            guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more, got \(bootstrap)") }
        }

        func crossValues(_ text: String) -> [String] {
            text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        /// The penalty for `periods`, or nil for `none`.
        func penaltyValue(periods: Int) throws -> Double? {
            switch penalty.lowercased() {
            case "bic": return PoissonChangePoints.bicPenalty(periods: periods)
            case "none": return nil
            default:
                guard let v = Double(penalty), v >= 0, v.isFinite else {
                    throw ValidationError("--penalty must be bic, none or a non-negative number, got '\(penalty)'")
                }
                return v
            }
        }

        public func run() throws {
            let format = try output.resolvedFormat([.json, .csv])
            let layer = try PointLayer.read(events, options: layerInput)
            let filter = try filterText.map { try EventSelection.filter($0, option: "--where") }
            if let filter { try EventSelection.checkFields(of: filter, option: "--where", in: layer) }

            var selected: [Int] = []
            for (i, feature) in layer.features.enumerated() {
                if let filter, !filter.matches({ EventSelection.values(feature, $0) }) { continue }
                guard layer.intervals[i] != nil else {
                    throw CommandError("\(events): event \(EventSelection.label(feature, index: i)) (feature \(i)) has no event_date")
                }
                selected.append(i)
            }
            guard !selected.isEmpty else { throw CommandError("\(events): no event to count\(filterText.map { " (--where '\($0)')" } ?? "")") }
            let intervals = selected.map { layer.intervals[$0]! }
            let fromDay = try from.map { try EventSelection.day($0, option: "--from") }
                ?? intervals.map { UTCCalendar.day(containingSeconds: $0.startSeconds) }.min()!
            let toDay = try to.map { try EventSelection.day($0, option: "--to") }
                ?? intervals.map { UTCCalendar.day(containingSeconds: max($0.startSeconds, $0.endSeconds - 1)) }.max()!
            guard toDay >= fromDay else { throw CommandError("--to is before --from") }

            // Splits in first-seen order; events without the field are "unknown".
            var splitNames: [String] = [], splitIndex: [String: Int] = [:], splits: [Int] = []
            var fatalities: [Double] = []
            for i in selected {
                let f = layer.features[i]
                let name = split.flatMap { EventSelection.values(f, $0).first }.flatMap { $0.isEmpty ? nil : $0 }
                    ?? (split == nil ? "all" : "unknown")
                if splitIndex[name] == nil { splitIndex[name] = splitNames.count; splitNames.append(name) }
                splits.append(splitIndex[name]!)
                switch f[property: "fatalities"] {
                case nil, .null?: fatalities.append(.nan)
                case let v?:
                    guard let n = v.numberValue ?? v.stringValue.flatMap({ Double($0) }), n >= 0, n.isFinite else {
                        throw CommandError("\(events): event \(EventSelection.label(f, index: i)) (feature \(i)): fatalities must be a non-negative number, got \(v.preview)")
                    }
                    fatalities.append(n)
                }
            }
            let unit = unit!
            let series = EscalationSeries(
                startSeconds: intervals.map(\.startSeconds), endSeconds: intervals.map(\.endSeconds), fatalities: fatalities,
                splits: splits, splitNames: splitNames, unit: unit, fromDay: fromDay, toDay: toDay)
            let penaltyValue = try penaltyValue(periods: series.periodCount)

            // Series to report: the total, and each split.
            var named: [(name: String, counts: [Double], fatalities: [Double], spread: [Double])] = [
                ("all", series.totalCounts, series.totalFatalities, series.totalSpreadCounts)
            ]
            if split != nil {
                for (s, name) in splitNames.enumerated() {
                    named.append((name, Array(series.counts(split: s)), Array(series.fatalities(split: s)), Array(series.spreadCounts(split: s))))
                }
            }
            let segmentsOf = named.map { entry in
                penaltyValue.map { PoissonChangePoints.segment(entry.counts, penalty: $0, minimumSegmentLength: minSegment) }
                    ?? [PoissonChangePoints.Segment(start: 0, end: entry.counts.count, rate: entry.counts.reduce(0, +) / Double(entry.counts.count), total: entry.counts.reduce(0, +))]
            }
            let periodStart = { (row: Int) in UTCCalendar.isoDate(daysSinceEpoch: unit.startDay(ofPeriod: series.period(ofRow: row))) }
            let periodLabel = { (row: Int) in unit.label(ofPeriod: series.period(ofRow: row)) }

            let sink = try Console.current.sink(forOutput: output.output)
            if format == .csv {
                var lines = [CSV.line(["period", "period_start", "split", "count", "fatalities", "spread_count", "cumulative_count",
                                       "cumulative_fatalities", "rolling_mean_count", "change_count", "change_fatalities",
                                       "segment_rate", "change_point"])]
                for (k, entry) in named.enumerated() {
                    let cumulative = EscalationSeries.cumulative(entry.counts), cumulativeF = EscalationSeries.cumulative(entry.fatalities)
                    let rollingMean = EscalationSeries.rollingMean(entry.counts, window: rolling)
                    let change = EscalationSeries.changes(entry.counts), changeF = EscalationSeries.changes(entry.fatalities)
                    var rate = [Double](repeating: 0, count: entry.counts.count), starts = Set<Int>()
                    for s in segmentsOf[k] {
                        for r in s.start..<s.end { rate[r] = s.rate }
                        if s.start > 0 { starts.insert(s.start) }
                    }
                    for r in entry.counts.indices {
                        lines.append(CSV.line([
                            periodLabel(r), periodStart(r), entry.name, Self.number(entry.counts[r]), Self.number(entry.fatalities[r]),
                            Self.number(entry.spread[r]), Self.number(cumulative[r]), Self.number(cumulativeF[r]),
                            Self.number(rollingMean[r]), change[r].map(Self.number) ?? "", changeF[r].map(Self.number) ?? "",
                            Self.number(rate[r]), starts.contains(r) ? "true" : "false",
                        ]))
                    }
                }
                try sink.write(lines.joined(separator: "\n") + "\n")
                try sink.flush()
                return
            }

            var seriesJSON: OrderedDictionaryJSON = [:], changeJSON: OrderedDictionaryJSON = [:]
            for (k, entry) in named.enumerated() {
                let cumulative = EscalationSeries.cumulative(entry.counts), cumulativeF = EscalationSeries.cumulative(entry.fatalities)
                let rollingMean = EscalationSeries.rollingMean(entry.counts, window: rolling)
                let change = EscalationSeries.changes(entry.counts), changeF = EscalationSeries.changes(entry.fatalities)
                seriesJSON[entry.name] = .array(entry.counts.indices.map { r in
                    [
                        "period": .string(periodLabel(r)), "start": .string(periodStart(r)),
                        "count": EventSelection.rounded(entry.counts[r], 4), "fatalities": EventSelection.rounded(entry.fatalities[r], 4),
                        "spread_count": EventSelection.rounded(entry.spread[r], 4),
                        "cumulative_count": EventSelection.rounded(cumulative[r], 4),
                        "cumulative_fatalities": EventSelection.rounded(cumulativeF[r], 4),
                        "rolling_mean_count": EventSelection.rounded(rollingMean[r], 4),
                        "change_count": change[r].map { EventSelection.rounded($0, 4) } ?? .null,
                        "change_fatalities": changeF[r].map { EventSelection.rounded($0, 4) } ?? .null,
                    ]
                })
                let segments = segmentsOf[k]
                changeJSON[entry.name] = [
                    "change_points": .array(zip(segments, segments.dropFirst()).map { before, after in
                        [
                            "date": .string(periodStart(after.start)), "period": .string(periodLabel(after.start)),
                            "rate_before": EventSelection.rounded(before.rate, 4), "rate_after": EventSelection.rounded(after.rate, 4),
                        ]
                    }),
                    "segments": .array(segments.map { s in
                        [
                            "from": .string(periodStart(s.start)), "to": .string(periodStart(s.end - 1)), "periods": .integer(Int64(s.length)),
                            "rate": EventSelection.rounded(s.rate, 4), "events": EventSelection.rounded(s.total, 4),
                        ]
                    }),
                ]
            }
            var root: OrderedDictionaryJSON = [
                "metadata": [
                    "source": .string(events),
                    "by": .string(unit.rawValue),
                    "split": split.map { .string($0) } ?? .null,
                    "where": filterText.map { .string($0) } ?? .null,
                    "from": .string(UTCCalendar.isoDate(daysSinceEpoch: fromDay)),
                    "to": .string(UTCCalendar.isoDate(daysSinceEpoch: toDay)),
                    "periods": .integer(Int64(series.periodCount)),
                    "events": .integer(Int64(selected.count)),
                    "events_in_range": EventSelection.rounded(Double(selected.count) - series.outsideRangeCount, 4),
                    "spread_events": .integer(Int64(series.spreadEventCount)),
                    "outside_range": EventSelection.rounded(series.outsideRangeCount, 4),
                    "unknown_fatalities": .integer(Int64(fatalities.filter(\.isNaN).count)),
                    "fractional_counts": "events dated to the week or month (or with a later date_end) are spread over their span in proportion to the overlap; spread_count is that part of each count",
                    "rolling_window": .integer(Int64(rolling)),
                    "change_point_method": .string(penaltyValue.map {
                        "PELT, Poisson segment cost 2(S - S ln(S/L)), penalty \(Format.trimmed($0, 4)) per change point (\(penalty.lowercased() == "bic" ? "BIC-like 2 ln n" : "given")), minimum segment \(minSegment) period(s)"
                    } ?? "none"),
                ],
                "series": .object(seriesJSON),
                "change_points": .object(changeJSON),
            ]
            if hawkes || cross != nil {
                root["hawkes"] = try hawkesJSON(layer: layer, selected: selected, intervals: intervals, splits: splits,
                                                splitNames: splitNames, fromDay: fromDay, toDay: toDay)
            }
            var w = JSONWriter()
            w.append(.object(root))
            w.appendByte(UInt8(ascii: "\n"))
            try sink.write(w.bytes)
            try sink.flush()
        }

        static func number(_ v: Double) -> String { Format.trimmed(v, 4) }

        // MARK: Hawkes

        func hawkesJSON(
            layer: PointLayer, selected: [Int], intervals: [EventInterval], splits: [Int], splitNames: [String], fromDay: Int, toDay: Int
        ) throws -> JSONValue {
            let origin = Double(fromDay) * 86_400, end = Double(toDay + 1) * 86_400
            let duration = (end - origin) / 86_400
            var rng = SeededGenerator(seed: seed)
            var timed: [(Double, Int)] = []  // days since --from, split
            var imprecise = 0
            for (k, interval) in intervals.enumerated() {
                guard interval.endSeconds - interval.startSeconds <= 86_400 else { imprecise += 1; continue }
                let t = interval.startSeconds + rng.nextUnitInterval() * (interval.endSeconds - interval.startSeconds)
                guard t >= origin && t < end else { continue }
                timed.append(((t - origin) / 86_400, splits[k]))
            }
            timed.sort { $0.0 < $1.0 }
            let bounds = min(0.25, duration / 2)...duration
            var o: OrderedDictionaryJSON = [
                "time_unit": "days",
                "duration_days": EventSelection.rounded(duration, 4),
                "left_out_imprecise": .integer(Int64(imprecise)),
                "decay_search_days": [EventSelection.rounded(bounds.lowerBound, 4), EventSelection.rounded(bounds.upperBound, 4)],
                "bootstrap": [
                    "replicates": .integer(Int64(bootstrap)), "level": 0.95, "seed": .integer(Int64(bitPattern: seed)),
                    "method": "parametric, observed as the data were: simulate the fitted process (Ogata thinning) over the same duration, round each time to its day and place it at random within the day as the fit does, refit; basic (reverse-percentile) intervals, on the log scale for baselines and decay times",
                ],
            ]
            func interval(_ r: ClosedRange<Double>) -> JSONValue { [EventSelection.rounded(r.lowerBound, 5), EventSelection.rounded(r.upperBound, 5)] }
            if hawkes {
                let events = MarkedTimes(times: timed.map(\.0), marks: Array(repeating: 0, count: timed.count), duration: duration, dimension: 1)
                do {
                    let fit = try Hawkes.fit(events, decayTimeBounds: bounds)
                    var u: OrderedDictionaryJSON = [
                        "events": .integer(Int64(events.times.count)),
                        "baseline_per_day": EventSelection.rounded(fit.model.baselineRates[0], 5),
                        "branching_ratio": EventSelection.rounded(fit.model.branching[0][0], 5),
                        "decay_days": EventSelection.rounded(fit.model.decayTimes[0], 5),
                        "log_likelihood": EventSelection.rounded(fit.logLikelihood, 4),
                    ]
                    if let warning = HawkesDating.warning(decayTimesDays: fit.model.decayTimes) {
                        u["warning"] = .string(warning)
                        Console.current.printError("warning: \(warning)")
                    }
                    if bootstrap > 0, fit.model.spectralRadius < 1 {
                        let ci = try Hawkes.bootstrap(fit, replicates: bootstrap, seed: seed, resolution: 1)
                        u["ci95"] = [
                            "baseline_per_day": interval(ci.baselineRates[0]), "branching_ratio": interval(ci.branching[0][0]),
                            "decay_days": interval(ci.decayTimes[0]), "replicates_used": .integer(Int64(ci.usedReplicates)),
                        ]
                    }
                    o["univariate"] = .object(u)
                } catch {
                    throw CommandError("\(self.events): Hawkes fit: \(error)")
                }
            }
            if let cross {
                let names = crossValues(cross)
                var dims: [Int] = []
                for name in names {
                    guard let s = splitNames.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
                        throw CommandError("--cross: no \(split!) '\(name)' among the events; values: \(splitNames.joined(separator: ", "))")
                    }
                    dims.append(s)
                }
                let chosen = timed.filter { dims.contains($0.1) }
                let events = MarkedTimes(times: chosen.map(\.0), marks: chosen.map { $0.1 == dims[0] ? 0 : 1 }, duration: duration, dimension: 2)
                do {
                    let fit = try Hawkes.fit(events, decayTimeBounds: bounds)
                    func matrix(_ m: [[Double]]) -> JSONValue { .array(m.map { .array($0.map { EventSelection.rounded($0, 5) }) }) }
                    var b: OrderedDictionaryJSON = [
                        "series": .array(names.map { .string($0) }),
                        "events": .array((0..<2).map { .integer(Int64(events.count(ofSeries: $0))) }),
                        "baseline_per_day": .array(fit.model.baselineRates.map { EventSelection.rounded($0, 5) }),
                        "branching": matrix(fit.model.branching),
                        "branching_meaning": .string("branching[i][j]: expected \(names[0])/\(names[1]) (row i) events directly triggered by one event of column j"),
                        "decay_days": .array(fit.model.decayTimes.map { EventSelection.rounded($0, 5) }),
                        "spectral_radius": EventSelection.rounded(fit.model.spectralRadius, 5),
                        "log_likelihood": EventSelection.rounded(fit.logLikelihood, 4),
                    ]
                    if let warning = HawkesDating.warning(decayTimesDays: fit.model.decayTimes) {
                        b["warning"] = .string(warning)
                        Console.current.printError("warning: \(warning)")
                    }
                    if bootstrap > 0, fit.model.spectralRadius < 1 {
                        let ci = try Hawkes.bootstrap(fit, replicates: bootstrap, seed: seed, resolution: 1)
                        b["ci95"] = [
                            "baseline_per_day": .array(ci.baselineRates.map(interval)),
                            "branching": .array(ci.branching.map { .array($0.map(interval)) }),
                            "decay_days": .array(ci.decayTimes.map(interval)),
                            "replicates_used": .integer(Int64(ci.usedReplicates)),
                        ]
                    }
                    o["bivariate"] = .object(b)
                } catch {
                    throw CommandError("\(self.events): Hawkes fit of \(names.joined(separator: " and ")): \(error)")
                }
            }
            return .object(o)
        }
    }
}

extension SeededGenerator {
    /// Uniform in [0, 1).
    mutating func nextUnitInterval() -> Double { Double(next() >> 11) * 0x1p-53 }
}
