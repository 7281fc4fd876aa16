import GeoCore

/// How precisely an event's date is known (ACLED's `time_precision`).
public enum TimePrecision: Int, Comparable, Hashable, Sendable, CaseIterable {
    /// The actual day (or an exact time of day when one is given).
    case day = 1
    /// The week: the event happened within the 7 days centred on `event_date`.
    case week = 2
    /// The month: the event happened within the calendar month of `event_date`.
    case month = 3

    public static func < (a: TimePrecision, b: TimePrecision) -> Bool { a.rawValue < b.rawValue }

    public var word: String {
        switch self {
        case .day: "day"
        case .week: "week"
        case .month: "month"
        }
    }
}

/// A proleptic Gregorian calendar date in UTC, with an optional time of day.
///
/// Years 1000–9999 only: conflict data has no use for others and four-digit years keep
/// parsing unambiguous.
public struct EventDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int
    /// Seconds after midnight UTC when the time of day is known, else nil.
    public let secondsOfDay: Int?

    /// Checks the calendar (30 February is refused) and returns nil when the date is impossible.
    public init?(year: Int, month: Int, day: Int, secondsOfDay: Int? = nil) {
        guard (1000...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= EventDate.daysIn(month: month, year: year)
        else { return nil }
        if let s = secondsOfDay, !(0..<86_400).contains(s) { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.secondsOfDay = secondsOfDay
    }

    /// The date `days` after 1970-01-01 (negative before it).
    public init(daysSinceEpoch days: Int) {
        let civil = UTCCalendar.civilDate(daysSinceEpoch: days)
        self.year = civil.year
        self.month = civil.month
        self.day = civil.day
        self.secondsOfDay = nil
    }

    /// Days since 1970-01-01 (UTC).
    public var daysSinceEpoch: Int { UTCCalendar.daysSinceEpoch(year: year, month: month, day: day) }

    /// Seconds since 1970-01-01T00:00:00Z of the start of the day, plus the time of day if known.
    public var secondsSinceEpoch: Double {
        Double(daysSinceEpoch) * 86_400 + Double(secondsOfDay ?? 0)
    }

    /// The same day without a time of day.
    public var dayOnly: EventDate { EventDate(daysSinceEpoch: daysSinceEpoch) }

    /// The date `n` days later (time of day dropped).
    public func adding(days n: Int) -> EventDate { EventDate(daysSinceEpoch: daysSinceEpoch + n) }

    /// `yyyy-mm-dd`, or `yyyy-mm-ddThh:mm[:ss]Z` when the time is known.
    public var iso: String {
        if let text = isoText(year: year, month: month, day: day, secondsOfDay: secondsOfDay, alwaysSeconds: false) { return text }
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        if let s = secondsOfDay {
            text += "T\(pad(s / 3600, 2)):\(pad(s / 60 % 60, 2))"
            if s % 60 != 0 { text += ":\(pad(s % 60, 2))" }
            text += "Z"
        }
        return text
    }

    /// `yyyy-mm`.
    public var isoMonth: String { "\(pad(year, 4))-\(pad(month, 2))" }

    /// ACLED's export style, `04 January 2024`.
    public var acledText: String { "\(pad(day, 2)) \(EventDate.monthNames[month - 1]) \(year)" }

    public var description: String { iso }

    /// Day of the week, 1 = Monday … 7 = Sunday (ISO 8601).
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let d = (daysSinceEpoch + 3) % 7
        return (d < 0 ? d + 7 : d) + 1
    }

    public static func < (a: EventDate, b: EventDate) -> Bool {
        (a.daysSinceEpoch, a.secondsOfDay ?? -1) < (b.daysSinceEpoch, b.secondsOfDay ?? -1)
    }

    public static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]

    public static func isLeap(_ year: Int) -> Bool { UTCCalendar.isLeap(year) }

    public static func daysIn(month: Int, year: Int) -> Int { UTCCalendar.daysIn(month: month, year: year) }
}

/// `yyyy-mm-dd`, then `Thh:mm[:ss]Z` when `secondsOfDay` is given (the seconds when not zero or
/// `alwaysSeconds`), written digit by digit; nil when a value does not fit its digits (a year
/// outside 0…9999), for the caller's general path.
func isoText(year: Int, month: Int, day: Int, secondsOfDay: Int?, alwaysSeconds: Bool) -> String? {
    guard (0...9999).contains(year), (0...99).contains(month), (0...99).contains(day) else { return nil }
    if let s = secondsOfDay, !(0..<86_400).contains(s) { return nil }
    let withSeconds = secondsOfDay.map { alwaysSeconds || $0 % 60 != 0 } ?? false
    let count = secondsOfDay == nil ? 10 : withSeconds ? 20 : 17
    return String(unsafeUninitializedCapacity: count) { out in
        func put(_ value: Int, _ width: Int, at offset: Int) {
            var v = value
            for k in stride(from: offset + width - 1, through: offset, by: -1) {
                out[k] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
        }
        put(year, 4, at: 0)
        out[4] = UInt8(ascii: "-")
        put(month, 2, at: 5)
        out[7] = UInt8(ascii: "-")
        put(day, 2, at: 8)
        if let s = secondsOfDay {
            out[10] = UInt8(ascii: "T")
            put(s / 3600, 2, at: 11)
            out[13] = UInt8(ascii: ":")
            put(s / 60 % 60, 2, at: 14)
            if withSeconds {
                out[16] = UInt8(ascii: ":")
                put(s % 60, 2, at: 17)
            }
            out[count - 1] = UInt8(ascii: "Z")
        }
        return count
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// The time span in which an event happened, as seconds since 1970-01-01T00:00:00Z (UTC).
///
/// Day precision without a time is the whole day; a known time of day is an instant
/// (`start == end`); week precision is the 7 days centred on the date; month precision the
/// calendar month; an explicit `date_end` extends the span to the end of that day.
public struct EventInterval: Hashable, Sendable {
    /// Earliest possible time, seconds since the Unix epoch (inclusive).
    public var startSeconds: Double
    /// Latest possible time, seconds since the Unix epoch (exclusive unless equal to the start).
    public var endSeconds: Double
    public var precision: TimePrecision

    public init(startSeconds: Double, endSeconds: Double, precision: TimePrecision) {
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.precision = precision
    }

    public init(date: EventDate, end: EventDate? = nil, precision: TimePrecision) {
        self.precision = precision
        let day = Double(date.daysSinceEpoch) * 86_400
        switch precision {
        case .day:
            if let end, end > date {
                startSeconds = date.secondsSinceEpoch
                endSeconds = end.secondsOfDay != nil ? end.secondsSinceEpoch : Double(end.daysSinceEpoch + 1) * 86_400
            } else if let s = date.secondsOfDay {
                startSeconds = day + Double(s)
                endSeconds = startSeconds
            } else {
                startSeconds = day
                endSeconds = day + 86_400
            }
        case .week:
            startSeconds = day - 3 * 86_400
            endSeconds = max(day + 4 * 86_400, end.map { Double($0.daysSinceEpoch + 1) * 86_400 } ?? 0)
        case .month:
            let first = EventDate(year: date.year, month: date.month, day: 1)!
            startSeconds = Double(first.daysSinceEpoch) * 86_400
            let days = EventDate.daysIn(month: date.month, year: date.year)
            endSeconds = max(startSeconds + Double(days) * 86_400, end.map { Double($0.daysSinceEpoch + 1) * 86_400 } ?? 0)
        }
    }

    /// The middle of the span, seconds since the epoch: the time used when one number is needed.
    public var midpointSeconds: Double { (startSeconds + endSeconds) / 2 }

    /// Length of the span in seconds (0 for an instant).
    public var durationSeconds: Double { endSeconds - startSeconds }
}
