import GeoCore
/// Calendar periods for series, in UTC over day numbers (days since 1970-01-01).
public enum PeriodUnit: String, CaseIterable, Hashable, Sendable {
    /// Calendar days.
    case day
    /// ISO 8601 weeks, Monday to Sunday.
    case week
    /// Calendar months.
    case month

    /// The index of the period containing day `d`: the day number, the number of Mondays since
    /// 1969-12-29, or `12·year + month − 1`.
    public func periodIndex(containingDay d: Int) -> Int {
        switch self {
        case .day: return d
        case .week: return floorDivide(d + 3, 7)
        case .month:
            let c = UTCCalendar.civilDate(daysSinceEpoch: d)
            return c.year * 12 + c.month - 1
        }
    }

    /// First day of period `p` (day number).
    public func startDay(ofPeriod p: Int) -> Int {
        switch self {
        case .day: return p
        case .week: return 7 * p - 3
        case .month: return UTCCalendar.daysSinceEpoch(year: floorDivide(p, 12), month: p - 12 * floorDivide(p, 12) + 1, day: 1)
        }
    }

    /// `2024-02-02`, ISO week `2024-W05`, or `2024-02`.
    public func label(ofPeriod p: Int) -> String {
        switch self {
        case .day: return UTCCalendar.isoDate(daysSinceEpoch: p)
        case .week:
            let thursday = startDay(ofPeriod: p) + 3
            let year = UTCCalendar.civilDate(daysSinceEpoch: thursday).year
            let week = (thursday - UTCCalendar.daysSinceEpoch(year: year, month: 1, day: 1)) / 7 + 1
            return "\(year)-W\(week < 10 ? "0" : "")\(week)"
        case .month:
            let y = floorDivide(p, 12), m = p - 12 * y + 1
            return "\(y)-\(m < 10 ? "0" : "")\(m)"
        }
    }
}

/// Event counts and fatalities per period and per split value.
///
/// Fractional counts: an event whose span covers several periods (week or month precision, or
/// a `date_end` later than its date) is spread over them in proportion to the overlap, so a
/// month-precision event adds 1/31 to each day of a 31-day month and its fatalities likewise.
/// `spreadCounts` holds the part of each cell that came from events spanning more than one day.
/// Instants and single days fall wholly in one period. Parts outside `[fromDay, toDay]` are
/// dropped and summed in `outsideRangeCount`.
public struct EscalationSeries: Sendable {
    public let unit: PeriodUnit
    /// Period index of the first row.
    public let firstPeriod: Int
    public let periodCount: Int
    /// Split values in first-seen order; one (conventionally "all") when not split.
    public let splitNames: [String]
    /// `counts[split * periodCount + period]`, fractional.
    public private(set) var counts: [Double]
    public private(set) var fatalities: [Double]
    public private(set) var spreadCounts: [Double]
    /// Events (fractions of events) falling outside the period range.
    public private(set) var outsideRangeCount = 0.0
    /// Events spanning more than one day (spread), whole events.
    public private(set) var spreadEventCount = 0

    /// - Parameters:
    ///   - startSeconds/endSeconds: each event's span, seconds since the epoch (UTC).
    ///   - fatalities: per event; NaN for unknown (counted as 0).
    ///   - splits: per event, an index into `splitNames`.
    ///   - fromDay/toDay: inclusive day range; the series covers the periods containing them.
    public init(
        startSeconds: [Double], endSeconds: [Double], fatalities eventFatalities: [Double],
        splits: [Int], splitNames: [String], unit: PeriodUnit, fromDay: Int, toDay: Int
    ) {
        precondition(startSeconds.count == endSeconds.count && eventFatalities.count == startSeconds.count
                     && splits.count == startSeconds.count && toDay >= fromDay && !splitNames.isEmpty)
        self.unit = unit
        self.splitNames = splitNames
        firstPeriod = unit.periodIndex(containingDay: fromDay)
        periodCount = unit.periodIndex(containingDay: toDay) - firstPeriod + 1
        let cells = periodCount * splitNames.count
        counts = Array(repeating: 0, count: cells)
        fatalities = Array(repeating: 0, count: cells)
        spreadCounts = Array(repeating: 0, count: cells)
        let rangeStart = Double(unit.startDay(ofPeriod: firstPeriod)) * 86_400
        let rangeEnd = Double(unit.startDay(ofPeriod: firstPeriod + periodCount)) * 86_400
        // Start of each period and one past the last, seconds, for spreading.
        var boundaries = [Double]()
        boundaries.reserveCapacity(periodCount + 1)
        for p in 0...periodCount { boundaries.append(Double(unit.startDay(ofPeriod: firstPeriod + p)) * 86_400) }
        let firstDay = unit.startDay(ofPeriod: firstPeriod)
        // Period of each day in range, for O(1) lookup of single-day events.
        var periodOfDay = [Int32]()
        let dayCount = unit.startDay(ofPeriod: firstPeriod + periodCount) - firstDay
        periodOfDay.reserveCapacity(dayCount)
        for p in 0..<periodCount {
            for _ in unit.startDay(ofPeriod: firstPeriod + p)..<unit.startDay(ofPeriod: firstPeriod + p + 1) { periodOfDay.append(Int32(p)) }
        }
        for i in 0..<startSeconds.count {
            let s = startSeconds[i], e = endSeconds[i]
            let f = eventFatalities[i].isNaN ? 0 : eventFatalities[i]
            let base = splits[i] * periodCount
            let firstEventDay = UTCCalendar.day(containingSeconds: s)
            if e <= s || e <= Double(firstEventDay + 1) * 86_400 {
                // Within one day.
                let d = firstEventDay - firstDay
                guard d >= 0 && d < dayCount else { outsideRangeCount += 1; continue }
                let p = Int(periodOfDay[d])
                counts[base + p] += 1
                fatalities[base + p] += f
                continue
            }
            spreadEventCount += 1
            let length = e - s
            var inside = 0.0
            let clippedStart = max(s, rangeStart), clippedEnd = min(e, rangeEnd)
            if clippedEnd > clippedStart {
                var p = Int(periodOfDay[UTCCalendar.day(containingSeconds: clippedStart) - firstDay])
                while p < periodCount && boundaries[p] < clippedEnd {
                    let overlap = min(clippedEnd, boundaries[p + 1]) - max(clippedStart, boundaries[p])
                    if overlap > 0 {
                        let w = overlap / length
                        counts[base + p] += w
                        fatalities[base + p] += w * f
                        spreadCounts[base + p] += w
                        inside += w
                    }
                    p += 1
                }
            }
            outsideRangeCount += 1 - inside
        }
    }

    /// Period index (absolute) of row `row`.
    public func period(ofRow row: Int) -> Int { firstPeriod + row }

    /// The counts of one split (row order).
    public func counts(split: Int) -> ArraySlice<Double> { counts[split * periodCount..<(split + 1) * periodCount] }
    public func fatalities(split: Int) -> ArraySlice<Double> { fatalities[split * periodCount..<(split + 1) * periodCount] }
    public func spreadCounts(split: Int) -> ArraySlice<Double> { spreadCounts[split * periodCount..<(split + 1) * periodCount] }

    /// Counts summed over splits.
    public var totalCounts: [Double] { sumOverSplits(counts) }
    public var totalFatalities: [Double] { sumOverSplits(fatalities) }
    public var totalSpreadCounts: [Double] { sumOverSplits(spreadCounts) }

    func sumOverSplits(_ cells: [Double]) -> [Double] {
        var total = [Double](repeating: 0, count: periodCount)
        for s in 0..<splitNames.count {
            for p in 0..<periodCount { total[p] += cells[s * periodCount + p] }
        }
        return total
    }

    /// Running totals.
    public static func cumulative<C: Collection>(_ values: C) -> [Double] where C.Element == Double {
        var sum = 0.0
        return values.map { sum += $0; return sum }
    }

    /// Trailing mean over the last `window` periods including the current one (fewer at the start).
    public static func rollingMean<C: Collection>(_ values: C, window: Int) -> [Double] where C.Element == Double {
        precondition(window >= 1)
        let v = Array(values)
        var result = [Double](), sum = 0.0
        result.reserveCapacity(v.count)
        for i in v.indices {
            sum += v[i]
            if i >= window { sum -= v[i - window] }
            result.append(sum / Double(min(i + 1, window)))
        }
        return result
    }

    /// Change against the previous period (nil for the first).
    public static func changes<C: Collection>(_ values: C) -> [Double?] where C.Element == Double {
        let v = Array(values)
        return v.indices.map { $0 == 0 ? nil : v[$0] - v[$0 - 1] }
    }
}
