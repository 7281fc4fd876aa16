import GeoCore
import GeoLayers
import GeoTemporal

/// Axis ticks, date ticks, colours and text measures of `TimelineChart`.
enum TimelineScale {
    /// A tick on the time axis: its day and its label lines (the second, the year, only when
    /// it changes).
    struct DateTick {
        var day: Int
        var label: String
        var year: String?
    }

    static let monthAbbreviations = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Ticks between `firstDay` and `endDay` (exclusive) at least `minimumGap` pixels apart at
    /// `pixelsPerDay`: days, Mondays, month starts (every 1, 2, 3 or 6 months) or years.
    static func dateTicks(firstDay: Int, endDay: Int, pixelsPerDay: Double, minimumGap: Double) -> [DateTick] {
        let civil = { UTCCalendar.civilDate(daysSinceEpoch: $0) }
        var days: [Int] = []
        var kind = "day"
        let dayChoices = [1, 2, 7, 14]
        if let step = dayChoices.first(where: { Double($0) * pixelsPerDay >= minimumGap }) {
            // Days, or Mondays (1970-01-05 was a Monday).
            var d = step >= 7 ? firstDay + (((4 - firstDay) % 7) + 7) % 7 : firstDay
            while d < endDay {
                days.append(d)
                d += step
            }
        } else {
            kind = "month"
            let monthChoices = [1, 2, 3, 6, 12, 24, 60, 120]
            let months = monthChoices.first { Double($0) * 30.4 * pixelsPerDay >= minimumGap } ?? 120
            if months >= 12 { kind = "year" }
            var (y, m, _) = civil(firstDay)
            var index = y * 12 + m - 1
            if UTCCalendar.daysSinceEpoch(year: y, month: m, day: 1) < firstDay { index += 1 }
            index = (index + months - 1) / months * months  // aligned: Jan/Jul, Jan/Apr/Jul/Oct, years divisible by n
            while true {
                y = index / 12
                m = index % 12 + 1
                let d = UTCCalendar.daysSinceEpoch(year: y, month: m, day: 1)
                if d >= endDay { break }
                days.append(d)
                index += months
            }
        }
        var ticks: [DateTick] = []
        var lastYear: Int?
        for d in days {
            let (y, m, day) = civil(d)
            let yearText = lastYear == y ? nil : String(y)
            lastYear = y
            switch kind {
            case "day": ticks.append(DateTick(day: d, label: "\(day) \(monthAbbreviations[m - 1])", year: yearText))
            case "month": ticks.append(DateTick(day: d, label: monthAbbreviations[m - 1], year: yearText))
            default: ticks.append(DateTick(day: d, label: String(y), year: nil))
            }
        }
        return ticks
    }

    /// About how wide `text` is in DejaVu Sans (or a similar sans-serif) at `size` px: an
    /// estimate that errs wide, for layout only.
    static func textWidth(_ text: String, size: Double) -> Double {
        var em = 0.0
        for c in text.unicodeScalars {
            switch c {
            case " ", "i", "l", "j", "t", "f", "r", ".", ",", ":", ";", "'", "!", "|", "(", ")", "1": em += 0.36
            case "m", "w", "M", "W": em += 0.9
            case "A"..."Z": em += 0.7
            case "→", "–", "—": em += 0.85
            default: em += 0.6
            }
        }
        return em * size
    }

    /// Short date: `16 Oct 2023`.
    static func shortDate(_ day: Int) -> String {
        let (y, m, d) = UTCCalendar.civilDate(daysSinceEpoch: day)
        return "\(d) \(monthAbbreviations[m - 1]) \(y)"
    }

    /// Two days as a short range: `15–29 Aug 2022`, `31 May – 12 Jul 2021`, `20 Dec 2021 – 3 Jan 2022`;
    /// one day when they are the same.
    static func dateRange(_ first: Int, _ last: Int) -> String {
        guard last != first else { return shortDate(first) }
        let (y0, m0, d0) = UTCCalendar.civilDate(daysSinceEpoch: first), (y1, m1, d1) = UTCCalendar.civilDate(daysSinceEpoch: last)
        if y0 == y1, m0 == m1 { return "\(d0)–\(d1) \(monthAbbreviations[m1 - 1]) \(y1)" }
        if y0 == y1 { return "\(d0) \(monthAbbreviations[m0 - 1]) – \(shortDate(last))" }
        return "\(shortDate(first)) – \(shortDate(last))"
    }

    /// The months of two days: `Aug 2022`, `Aug – Sep 2022`, `Dec 2021 – Jan 2022`.
    static func monthRange(_ first: Int, _ last: Int) -> String {
        let (y0, m0, _) = UTCCalendar.civilDate(daysSinceEpoch: first), (y1, m1, _) = UTCCalendar.civilDate(daysSinceEpoch: last)
        if y0 == y1, m0 == m1 { return "\(monthAbbreviations[m0 - 1]) \(y0)" }
        if y0 == y1 { return "\(monthAbbreviations[m0 - 1]) – \(monthAbbreviations[m1 - 1]) \(y1)" }
        return "\(monthAbbreviations[m0 - 1]) \(y0) – \(monthAbbreviations[m1 - 1]) \(y1)"
    }

    /// A rate or count for a label: 2 decimals below 0.1, 1 below 10, whole numbers above.
    static func short(_ value: Double) -> String {
        let a = abs(value)
        if a < 0.1 { return Format.trimmed(value, 2) }
        if a < 10 { return Format.trimmed(value, 1) }
        return Format.trimmed(value, 0)
    }

    static func unitWord(_ unit: PeriodUnit) -> String {
        switch unit {
        case .day: "day"
        case .week: "week"
        case .month: "month"
        }
    }
}

/// Colours of the timeline: Okabe & Ito's colour-blind-safe palette, the same colour for a
/// side on every chart and map (US blue, militia vermillion, Iran reddish purple, unknown grey), others
/// in palette order.
enum TimelinePalette {
    static let black = "#000000"
    static let orange = "#E69F00"
    static let skyBlue = "#56B4E9"
    static let bluishGreen = "#009E73"
    static let yellow = "#F0E442"
    static let blue = "#0072B2"
    static let vermillion = "#D55E00"
    static let reddishPurple = "#CC79A7"
    static let grey = "#999999"
    static let darkGrey = "#5F5F5F"
    /// The total, without a split.
    static let total = blue

    /// Fixed colours of known split values (lower case).
    /// The map's colours for the sides it knows (`MapStyle.sideColors`), so a side is one
    /// colour on every picture geo draws.
    static let fixed: [String: String] = {
        var colours = ["unknown": MapStyle.unknownSide, "other": darkGrey]
        for (side, colour) in MapStyle.sideColors { colours[side.lowercased()] = colour }
        return colours
    }()
    /// The rest, in order.
    static let cycle = [orange, skyBlue, reddishPurple, bluishGreen, blue, vermillion, yellow]

    /// A colour per name, none twice among the first `cycle.count + fixed` names.
    static func colours(for names: [String]) -> [String] {
        var used = Set(names.compactMap { fixed[$0.lowercased()] })
        return names.map { name in
            if let c = fixed[name.lowercased()] { return c }
            let c = cycle.first { !used.contains($0) } ?? darkGrey
            used.insert(c)
            return c
        }
    }
}

extension EscalationReport {
    /// The first day of each period and the day after the last period, days since 1970-01-01.
    var periodBoundaryDays: [Int] {
        let unit = options.period
        let first = unit.periodIndex(containingDay: fromDay)
        return (0...periods.count).map { unit.startDay(ofPeriod: first + $0) }
    }
}
