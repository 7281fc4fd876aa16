import GeoCore
import GeoEvents
import GeoTemporal
import OrderedCollections

/// Event and fatality series per period, change points in the event rate, and (on request)
/// self-excitation by Hawkes processes, for the events of a layer.
///
/// Rules:
/// - Selection: the events that match `filter` (all when there is none). Every selected event
///   needs an `event_date`; a filter naming a field that no event has is refused (almost always
///   a typo). Split values are taken in first-seen order; an event without the split field
///   (or with it empty) is in the series `unknown`.
/// - Periods: UTC days, ISO weeks (Monday to Sunday) or calendar months, from the period of
///   `fromDay` to that of `toDay` (by default the first and last days the selected events touch).
/// - Counts: an event dated to the day (or an instant) counts 1 in its period. An event dated
///   to the week or month (`time_precision` 2 or 3), or with a `date_end` later than its date,
///   is spread over its span in proportion to the overlap: a week-precision event adds 3/7 to
///   a period holding three of its days, a November month-precision event 5/30 to a week
///   holding five November days. Counts can therefore be fractional; `spread_count` is the part
///   of each count that came from such events. Parts outside the study range are left out and
///   summed in `outside_range`.
/// - Fatalities: the layer's (already checked by the event model); unknown fatalities count as
///   0 (and are counted in `unknown_fatalities`); a spread event's fatalities are spread as its
///   count is.
/// - Series: for the total (`all`) and each split value: count, fatalities, spread count,
///   running totals, the trailing mean of the count over `rolling` periods (fewer at the
///   start), and the change against the previous period (none for the first).
/// - Change points: each count series is cut by PELT into stretches of constant Poisson rate
///   (see `PoissonChangePoints`), with the penalty of `EscalationOptions.penalty` and the
///   minimum segment length; with penalty `none`, one segment.
/// - Hawkes: see `EscalationHawkes`.
public struct EscalationReport: Sendable {
    /// One period of the series.
    public struct Period: Hashable, Sendable {
        /// `2024-02-02`, `2024-W05` or `2024-02`.
        public var label: String
        /// The first day, `yyyy-mm-dd`.
        public var start: String
    }

    /// A change in rate: the first period of the new rate, and the rates (events per period)
    /// before and after.
    public struct ChangePoint: Hashable, Sendable {
        public var period: Int
        public var rateBefore: Double
        public var rateAfter: Double
    }

    /// The series of the total or of one split value, one value per period.
    public struct Series: Sendable {
        public var name: String
        public var counts: [Double]
        public var fatalities: [Double]
        /// The part of each count that came from events spread over several days.
        public var spreadCounts: [Double]
        public var cumulativeCounts: [Double]
        public var cumulativeFatalities: [Double]
        public var rollingMeanCounts: [Double]
        /// Change against the previous period; nil for the first.
        public var countChanges: [Double?]
        public var fatalityChanges: [Double?]
        /// Stretches of constant rate, in order, covering the series.
        public var segments: [PoissonChangePoints.Segment]

        public var changePoints: [ChangePoint] {
            zip(segments, segments.dropFirst()).map { ChangePoint(period: $1.start, rateBefore: $0.rate, rateAfter: $1.rate) }
        }

        init(name: String, counts: [Double], fatalities: [Double], spread: [Double], rolling: Int,
             penalty: Double?, minSegment: Int) {
            self.name = name
            self.counts = counts
            self.fatalities = fatalities
            spreadCounts = spread
            cumulativeCounts = EscalationSeries.cumulative(counts)
            cumulativeFatalities = EscalationSeries.cumulative(fatalities)
            rollingMeanCounts = EscalationSeries.rollingMean(counts, window: rolling)
            countChanges = EscalationSeries.changes(counts)
            fatalityChanges = EscalationSeries.changes(fatalities)
            if let penalty {
                segments = PoissonChangePoints.segment(counts, penalty: penalty, minimumSegmentLength: minSegment)
            } else {
                let total = counts.reduce(0, +)
                segments = [PoissonChangePoints.Segment(start: 0, end: counts.count, rate: total / Double(counts.count), total: total)]
            }
        }
    }

    /// The input's name as given (`metadata.source` and messages).
    public var source: String
    public let options: EscalationOptions
    /// The study range, days since 1970-01-01, inclusive.
    public let fromDay: Int
    public let toDay: Int
    public let periods: [Period]
    /// Selected events.
    public let eventCount: Int
    /// Selected events (parts of events) outside the study range.
    public let outsideRange: Double
    /// Selected events spread over more than one day.
    public let spreadEventCount: Int
    /// Selected events whose fatalities are not known (counted as 0).
    public let unknownFatalities: Int
    /// The change-point penalty used; nil for none.
    public let penaltyValue: Double?
    /// The total (`all`) first, then each split value in first-seen order.
    public let series: [Series]
    /// With `hawkes` or `cross`.
    public let hawkes: EscalationHawkes?

    /// Selected events inside the study range (fractional when spread events cross its ends).
    public var eventsInRange: Double { Double(eventCount) - outsideRange }

    /// Sentences a reader should see (a Hawkes decay time too short for day dating).
    public var warnings: [String] { [hawkes?.univariate?.warning, hawkes?.bivariate?.warning].compactMap { $0 } }

    /// Throws `LayerError` when the options cannot be run, a selected event has no date, no
    /// event is selected, or a Hawkes fit cannot be made.
    public init(_ events: EventLayer, _ options: EscalationOptions) throws {
        try options.check()
        source = events.sourceName
        self.options = options
        let selection = try EscalationSelection(events, options)
        let unit = options.period
        fromDay = options.fromDay ?? selection.firstDay
        toDay = options.toDay ?? selection.lastDay
        guard toDay >= fromDay else {
            throw LayerError("\(source): the study range is empty: its last day \(UTCCalendar.isoDate(daysSinceEpoch: toDay)) is before its first \(UTCCalendar.isoDate(daysSinceEpoch: fromDay))")
        }
        let table = EscalationSeries(
            startSeconds: selection.startSeconds, endSeconds: selection.endSeconds, fatalities: selection.fatalities,
            splits: selection.splits, splitNames: selection.splitNames, unit: unit, fromDay: fromDay, toDay: toDay)
        eventCount = selection.count
        outsideRange = table.outsideRangeCount
        spreadEventCount = table.spreadEventCount
        unknownFatalities = selection.fatalities.lazy.filter(\.isNaN).count
        periods = (0..<table.periodCount).map { row in
            let p = table.period(ofRow: row)
            return Period(label: unit.label(ofPeriod: p), start: UTCCalendar.isoDate(daysSinceEpoch: unit.startDay(ofPeriod: p)))
        }
        let penalty = options.penalty.value(periods: table.periodCount)
        penaltyValue = penalty
        var series = [Series(name: "all", counts: table.totalCounts, fatalities: table.totalFatalities, spread: table.totalSpreadCounts,
                             rolling: options.rolling, penalty: penalty, minSegment: options.minSegment)]
        if options.split != nil {
            for (s, name) in selection.splitNames.enumerated() {
                series.append(Series(name: name, counts: Array(table.counts(split: s)), fatalities: Array(table.fatalities(split: s)),
                                     spread: Array(table.spreadCounts(split: s)), rolling: options.rolling, penalty: penalty,
                                     minSegment: options.minSegment))
            }
        }
        self.series = series
        hawkes = options.hawkes || options.cross != nil
            ? try EscalationHawkes(selection, options, source: source, fromDay: fromDay, toDay: toDay) : nil
    }

    // MARK: Output

    /// The report as JSON: `metadata`, `series` (per series name, a row per period),
    /// `change_points` (per series name: change points and segments), and `hawkes` when fitted.
    /// Numbers are rounded to 4 decimals (Hawkes estimates to 5).
    public func json() -> JSONValue {
        func r(_ v: Double) -> JSONValue { Format.rounded(v, 4) }
        var seriesJSON: OrderedDictionary<String, JSONValue> = [:], changeJSON: OrderedDictionary<String, JSONValue> = [:]
        for s in series {
            seriesJSON[s.name] = .array(periods.indices.map { k in
                [
                    "period": .string(periods[k].label), "start": .string(periods[k].start),
                    "count": r(s.counts[k]), "fatalities": r(s.fatalities[k]), "spread_count": r(s.spreadCounts[k]),
                    "cumulative_count": r(s.cumulativeCounts[k]), "cumulative_fatalities": r(s.cumulativeFatalities[k]),
                    "rolling_mean_count": r(s.rollingMeanCounts[k]),
                    "change_count": s.countChanges[k].map(r) ?? .null, "change_fatalities": s.fatalityChanges[k].map(r) ?? .null,
                ]
            })
            changeJSON[s.name] = [
                "change_points": .array(s.changePoints.map { c in
                    [
                        "date": .string(periods[c.period].start), "period": .string(periods[c.period].label),
                        "rate_before": r(c.rateBefore), "rate_after": r(c.rateAfter),
                    ]
                }),
                "segments": .array(s.segments.map { g in
                    [
                        "from": .string(periods[g.start].start), "to": .string(periods[g.end - 1].start), "periods": .integer(Int64(g.length)),
                        "rate": r(g.rate), "events": r(g.total),
                    ]
                }),
            ]
        }
        let method = penaltyValue.map {
            "PELT, Poisson segment cost 2(S - S ln(S/L)), penalty \(Format.trimmed($0, 4)) per change point (\(options.penalty == .bic ? "BIC-like 2 ln n" : "given")), minimum segment \(options.minSegment) period(s)"
        } ?? "none"
        var root: OrderedDictionary<String, JSONValue> = [
            "metadata": [
                "source": .string(source),
                "by": .string(options.period.rawValue),
                "split": options.split.map { .string($0) } ?? .null,
                "where": options.filter.map { .string($0.text) } ?? .null,
                "from": .string(UTCCalendar.isoDate(daysSinceEpoch: fromDay)),
                "to": .string(UTCCalendar.isoDate(daysSinceEpoch: toDay)),
                "periods": .integer(Int64(periods.count)),
                "events": .integer(Int64(eventCount)),
                "events_in_range": r(eventsInRange),
                "spread_events": .integer(Int64(spreadEventCount)),
                "outside_range": r(outsideRange),
                "unknown_fatalities": .integer(Int64(unknownFatalities)),
                "fractional_counts": "events dated to the week or month (or with a later date_end) are spread over their span in proportion to the overlap; spread_count is that part of each count",
                "rolling_window": .integer(Int64(options.rolling)),
                "change_point_method": .string(method),
            ],
            "series": .object(seriesJSON),
            "change_points": .object(changeJSON),
        ]
        if let hawkes { root["hawkes"] = hawkes.json() }
        return .object(root)
    }

    /// The report as CSV: a header and one row per series and period (the series in the order
    /// of `series`), with the rate of the period's segment and whether a change point starts
    /// there. Numbers have at most 4 decimals. Hawkes fits are not part of it (`json()` has them).
    public func csv() -> String {
        func n(_ v: Double) -> String { Format.trimmed(v, 4) }
        var lines = [CSV.line(["period", "period_start", "split", "count", "fatalities", "spread_count", "cumulative_count",
                               "cumulative_fatalities", "rolling_mean_count", "change_count", "change_fatalities",
                               "segment_rate", "change_point"])]
        for s in series {
            var rate = [Double](repeating: 0, count: periods.count), starts = Set<Int>()
            for g in s.segments {
                for k in g.start..<g.end { rate[k] = g.rate }
                if g.start > 0 { starts.insert(g.start) }
            }
            for k in periods.indices {
                lines.append(CSV.line([
                    periods[k].label, periods[k].start, s.name, n(s.counts[k]), n(s.fatalities[k]), n(s.spreadCounts[k]),
                    n(s.cumulativeCounts[k]), n(s.cumulativeFatalities[k]), n(s.rollingMeanCounts[k]),
                    s.countChanges[k].map(n) ?? "", s.fatalityChanges[k].map(n) ?? "", n(rate[k]), starts.contains(k) ? "true" : "false",
                ]))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The selected events of a layer as columns: their spans, fatalities and split codes, in
/// input order. Built in one pass over the features (the filter and the split need properties).
struct EscalationSelection {
    var startSeconds: [Double] = []
    var endSeconds: [Double] = []
    /// NaN when unknown.
    var fatalities: [Double] = []
    /// Index into `splitNames`, per selected event.
    var splits: [Int] = []
    /// In first-seen order; `["all"]` without a split field.
    var splitNames: [String] = []
    /// The first day a selected event touches, and the last.
    var firstDay = Int.max
    var lastDay = Int.min

    var count: Int { startSeconds.count }

    init(_ events: EventLayer, _ options: EscalationOptions) throws {
        let source = events.sourceName
        // The selected events' indices; nil for all of them.
        var selected: [Int32]?
        if options.filter == nil && options.split == nil {
            // Every event, one series: no property is needed but an undated event's name.
            if let i = (0..<events.count).first(where: { !events.isDated($0) }) {
                let label = try events.features(at: [i])[i].map { FeatureValues.label($0, index: i) } ?? "feature \(i)"
                throw LayerError("\(source): event \(label) (feature \(i)) has no event_date")
            }
            splits = [Int](repeating: 0, count: events.count)
            splitNames = ["all"]
        } else {
            selected = try selectBySplitAndFilter(events, options)
        }
        let filterText = options.filter.map { " (filter '\($0.text)')" } ?? ""
        guard (selected?.count ?? events.count) > 0 else { throw LayerError("\(source): no event to count\(filterText)") }
        if let selected, selected.count < events.count {
            startSeconds = selected.map { events.startSeconds[Int($0)] }
            endSeconds = selected.map { events.endSeconds[Int($0)] }
            fatalities = selected.map { events.fatalities[Int($0)] }
        } else {
            startSeconds = events.startSeconds
            endSeconds = events.endSeconds
            fatalities = events.fatalities
        }
        for k in startSeconds.indices {
            firstDay = min(firstDay, UTCCalendar.day(containingSeconds: startSeconds[k]))
            lastDay = max(lastDay, UTCCalendar.day(containingSeconds: max(startSeconds[k], endSeconds[k] - 1)))
        }
    }

    /// One pass over the features: the filter, the split values (into `splits` and
    /// `splitNames`), whether each field the filter names is on some feature, and an undated
    /// selected event. Returns the selected indices.
    private mutating func selectBySplitAndFilter(_ events: EventLayer, _ options: EscalationOptions) throws -> [Int32] {
        let filter = options.filter
        let filterFields = filter?.fields ?? []
        var fieldSeen = [Bool](repeating: false, count: filterFields.count)
        var undated: Int?
        var selected: [Int32] = []
        var splitIndex: [String: Int] = [:]
        // Only the properties the filter and the split read are looked at.
        var names: [String] = []
        for field in filterFields { for name in EventFilter.fieldsSearched(by: field) where !names.contains(name) { names.append(name) } }
        if let split = options.split, !names.contains(split) { names.append(split) }
        let splitSlot = options.split.flatMap { names.firstIndex(of: $0) }
        try events.forEachValue(of: names) { i, values in
            func texts(_ field: String) -> [String] {
                guard let k = names.firstIndex(of: field), let value = values[k] else { return [] }
                return FeatureValues.texts(value) ?? []
            }
            if let filter {
                for (k, field) in filterFields.enumerated() where !fieldSeen[k] {
                    fieldSeen[k] = EventFilter.fieldsSearched(by: field).contains { values[names.firstIndex(of: $0)!] != nil }
                }
                guard filter.matches(texts) else { return }
            }
            guard events.isDated(i) else {
                if undated == nil { undated = i }
                return
            }
            let splitText = splitSlot.flatMap { values[$0] }.flatMap { FeatureValues.texts($0)?.first }
            let name = splitText.flatMap { $0.isEmpty ? nil : $0 } ?? (options.split == nil ? "all" : "unknown")
            let code: Int
            if let known = splitIndex[name] {
                code = known
            } else {
                code = splitNames.count
                splitIndex[name] = code
                splitNames.append(name)
            }
            splits.append(code)
            selected.append(Int32(i))
        }
        let source = events.sourceName
        if let filter, events.count > 0, let missing = fieldSeen.firstIndex(of: false) {
            // The fields of the first 50 features, for the message.
            var knownFields: [String] = []
            for (_, feature) in try events.features(at: 0..<min(50, events.count)).sorted(by: { $0.key < $1.key }) {
                for key in feature.properties?.keys ?? [] where !knownFields.contains(key) { knownFields.append(key) }
            }
            throw LayerError("\(source): filter '\(filter.text)': no event has a field '\(filterFields[missing])'; fields: \(knownFields.joined(separator: ", "))")
        }
        let undatedLabel = try undated.map { i in try events.features(at: [i])[i].map { FeatureValues.label($0, index: i) } ?? "feature \(i)" }
        if let undated, let undatedLabel { throw LayerError("\(source): event \(undatedLabel) (feature \(undated)) has no event_date") }
        return selected
    }
}
