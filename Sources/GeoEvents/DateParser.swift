/// Why a date text was refused. Each case is a reason a row can be rejected for.
public enum DateParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    /// The text matches no supported form.
    case unrecognized(String)
    /// A form was recognised but the date does not exist (month 13, 30 February).
    case impossible(String, why: String)
    /// The text could mean more than one date (two-digit years).
    case ambiguous(String, why: String)

    public var description: String {
        switch self {
        case .empty: "empty date"
        case .unrecognized(let text):
            "unrecognised date '\(text)' (expected e.g. 2024-01-28, 2024-01, 28-01-2024, 28/01/2024, 28 January 2024 or January 28, 2024)"
        case .impossible(let text, let why): "impossible date '\(text)': \(why)"
        case .ambiguous(let text, let why): "ambiguous date '\(text)': \(why)"
        }
    }
}

/// A parsed date and the precision its form implies (`2024-01` is month precision).
public struct ParsedDate: Hashable, Sendable {
    public var date: EventDate
    public var precision: TimePrecision
}

/// Parses the date forms found in event tables. Never guesses: a numeric date is read day
/// first unless `monthFirst` is set, and a text that breaks that rule is an error, not a
/// silent swap.
///
/// Accepted: `2024-01-28`, `2024/01/28`, `2024-01-28T05:30[:ss][Z|+hh:mm]` (converted to UTC),
/// `2024-01-28 05:30`, `2024-01` (month), `28-01-2024`, `28/01/2024`, `28.01.2024`,
/// `28 January 2024`, `28 Jan 2024`, `January 28, 2024`, `Jan 28 2024`, `January 2024` (month).
public struct DateParser: Sendable {
    /// Read `01/02/2024` as 2 January instead of 1 February.
    public var monthFirst: Bool

    public init(monthFirst: Bool = false) {
        self.monthFirst = monthFirst
    }

    public func parse(_ raw: String) throws(DateParseError) -> ParsedDate {
        if let date = Self.isoDay(raw) { return ParsedDate(date: date, precision: .day) }
        return try parseAnyForm(raw)
    }

    /// `parse` without the `yyyy-mm-dd` fast path (every form through the tokens).
    func parseAnyForm(_ raw: String) throws(DateParseError) -> ParsedDate {
        let text = raw.trimmingSpaces
        if text.isEmpty { throw .empty }
        let tokens = DateTokens(text)
        guard let first = tokens.items.first else { throw .unrecognized(text) }

        // Numeric forms: yyyy-mm-dd[time], yyyy-mm, dd-mm-yyyy.
        if case .number(let a, let digitsA) = first {
            let numbers = tokens.leadingNumbers
            if digitsA == 4 {
                guard numbers.count >= 2, tokens.separatorsAreDateSeparators(count: numbers.count) else {
                    throw .unrecognized(text)
                }
                let month = numbers[1].value
                if numbers.count == 2 {
                    guard tokens.items.count == 3 else { throw .unrecognized(text) }
                    guard (1...12).contains(month) else { throw .impossible(text, why: "there is no month \(month)") }
                    // A four-digit year can still be out of range (`0024-01`).
                    guard let date = EventDate(year: a, month: month, day: 1) else {
                        throw .impossible(text, why: whyImpossible(year: a, month: month, day: 1))
                    }
                    return ParsedDate(date: date, precision: .month)
                }
                let day = numbers[2].value
                let seconds = try timeOfDay(tokens, after: 5, text: text)
                guard let date = makeDate(year: a, month: month, day: day, text: text, seconds: seconds.seconds) else {
                    throw .impossible(text, why: whyImpossible(year: a, month: month, day: day))
                }
                return ParsedDate(date: seconds.dayShift == 0 ? date : shifted(date, seconds.dayShift), precision: .day)
            }
            if numbers.count == 3, tokens.items.count == 5, tokens.separatorsAreDateSeparators(count: 3) {
                guard numbers[2].digits == 4 else {
                    throw .ambiguous(text, why: "the year must have four digits")
                }
                let (day, month) = monthFirst ? (numbers[1].value, a) : (a, numbers[1].value)
                guard let date = EventDate(year: numbers[2].value, month: month, day: day) else {
                    var why = whyImpossible(year: numbers[2].value, month: month, day: day)
                    if !monthFirst && month > 12 && a <= 12 { why += "; if the dates are month first, use --month-first" }
                    if monthFirst && month > 12 && numbers[1].value <= 12 { why += "; the dates look day first (drop --month-first)" }
                    throw .impossible(text, why: why)
                }
                return ParsedDate(date: date, precision: .day)
            }
            // `28 January 2024`, `28 Jan 2024`
            if tokens.items.count >= 5, case .word(let w) = tokens.items[2], let month = DateParser.month(w),
               case .number(let year, 4) = tokens.items[tokens.items.count - 1], digitsA <= 2 {
                guard let date = EventDate(year: year, month: month, day: a) else {
                    throw .impossible(text, why: whyImpossible(year: year, month: month, day: a))
                }
                return ParsedDate(date: date, precision: .day)
            }
            throw .unrecognized(text)
        }

        // `January 28, 2024`, `Jan 28 2024`, `January 2024`
        if case .word(let w) = first, let month = DateParser.month(w) {
            let numbers = tokens.items.compactMap { item -> (value: Int, digits: Int)? in
                if case .number(let v, let d) = item { return (v, d) }
                return nil
            }
            if numbers.count == 1, numbers[0].digits == 4 {
                guard let date = EventDate(year: numbers[0].value, month: month, day: 1) else {
                    throw .impossible(text, why: whyImpossible(year: numbers[0].value, month: month, day: 1))
                }
                return ParsedDate(date: date, precision: .month)
            }
            if numbers.count == 2, numbers[0].digits <= 2, numbers[1].digits == 4 {
                guard let date = EventDate(year: numbers[1].value, month: month, day: numbers[0].value) else {
                    throw .impossible(text, why: whyImpossible(year: numbers[1].value, month: month, day: numbers[0].value))
                }
                return ParsedDate(date: date, precision: .day)
            }
            if numbers.count == 2, numbers[1].digits == 2 { throw .ambiguous(text, why: "the year must have four digits") }
        }
        throw .unrecognized(text)
    }

    /// `yyyy-mm-dd` exactly (the form of nearly every row in event tables), read without
    /// tokens; nil for anything else, an impossible date included (the full path explains it).
    static func isoDay(_ raw: String) -> EventDate? {
        var raw = raw
        return raw.withUTF8 { bytes -> EventDate? in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            func digits(_ range: Range<Int>) -> Int? {
                var value = 0
                for i in range {
                    let digit = bytes[i] &- UInt8(ascii: "0")
                    guard digit < 10 else { return nil }
                    value = value * 10 + Int(digit)
                }
                return value
            }
            guard let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10) else { return nil }
            return EventDate(year: year, month: month, day: day)
        }
    }

    private func makeDate(year: Int, month: Int, day: Int, text: String, seconds: Int?) -> EventDate? {
        EventDate(year: year, month: month, day: day, secondsOfDay: seconds)
    }

    private func shifted(_ date: EventDate, _ days: Int) -> EventDate {
        let moved = date.adding(days: days)
        return EventDate(year: moved.year, month: moved.month, day: moved.day, secondsOfDay: date.secondsOfDay) ?? moved
    }

    /// Reads `hh:mm[:ss]` and an optional `Z` / `±hh:mm` offset after the date's tokens; returns
    /// UTC seconds of day and the day shift the offset causes.
    private func timeOfDay(_ tokens: DateTokens, after index: Int, text: String) throws(DateParseError)
        -> (seconds: Int?, dayShift: Int)
    {
        let items = tokens.items
        if items.count == index { return (nil, 0) }
        guard case .separator(let sep) = items[index], sep == "T" || sep == " ",
              items.count >= index + 4,
              case .number(let hour, _) = items[index + 1], case .separator(":") = items[index + 2],
              case .number(let minute, _) = items[index + 3]
        else { throw .unrecognized(text) }
        var i = index + 4
        var second = 0
        if i + 1 < items.count, case .separator(":") = items[i], case .number(let s, _) = items[i + 1] {
            second = s
            i += 2
        }
        guard hour < 24, minute < 60, second < 60 else { throw .impossible(text, why: "no such time of day") }
        var offsetSeconds = 0
        if i < items.count {
            switch items[i] {
            case .word(let w) where w == "z": i += 1
            case .separator(let s) where s == "+" || s == "-":
                guard i + 1 < items.count, case .number(let oh, _) = items[i + 1] else { throw .unrecognized(text) }
                var om = 0
                var j = i + 2
                if j + 1 < items.count, case .separator(":") = items[j], case .number(let m, _) = items[j + 1] {
                    om = m
                    j += 2
                }
                guard oh <= 14, om < 60 else { throw .impossible(text, why: "no such UTC offset") }
                offsetSeconds = (s == "+" ? 1 : -1) * (oh * 3600 + om * 60)
                i = j
            default: throw .unrecognized(text)
            }
        }
        guard i == items.count else { throw .unrecognized(text) }
        var utc = hour * 3600 + minute * 60 + second - offsetSeconds
        var shift = 0
        while utc < 0 { utc += 86_400; shift -= 1 }
        while utc >= 86_400 { utc -= 86_400; shift += 1 }
        return (utc, shift)
    }

    private func whyImpossible(year: Int, month: Int, day: Int) -> String {
        if !(1000...9999).contains(year) { return "year \(year) is out of range" }
        if !(1...12).contains(month) { return "there is no month \(month)" }
        return "\(EventDate.monthNames[month - 1]) \(year) has no day \(day)"
    }

    /// Month number for an English month name or its three-letter abbreviation (`Sept` too).
    static func month(_ word: String) -> Int? {
        let w = word.lowercased()
        if w.count < 3 { return nil }
        for (i, name) in EventDate.monthNames.enumerated() {
            let n = name.lowercased()
            if w == n || w == String(n.prefix(3)) || (w == "sept" && i == 8) { return i + 1 }
        }
        return nil
    }
}

/// A date text split into numbers, words and separators (`-`, `/`, `.`, `:`, `T`, space, `,`, `+`).
struct DateTokens {
    enum Item: Equatable {
        case number(Int, digits: Int)
        case word(String)
        case separator(String)
    }

    var items: [Item] = []

    init(_ text: String) {
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.first {
            if c.properties.numericType != nil, c.value < 128 {
                var value = 0
                var digits = 0
                while let d = chars.first, d.value >= 48, d.value <= 57, digits < 9 {
                    value = value * 10 + Int(d.value - 48)
                    digits += 1
                    chars.removeFirst()
                }
                items.append(.number(value, digits: digits))
            } else if c.properties.isAlphabetic {
                var word = ""
                while let d = chars.first, d.properties.isAlphabetic {
                    word.unicodeScalars.append(d)
                    chars.removeFirst()
                }
                // `T` between date and time is a separator; other words are lower-cased.
                if word == "T", case .number = items.last { items.append(.separator("T")) } else { items.append(.word(word.lowercased())) }
            } else if c == " " || c == "," {
                // Runs of spaces and commas are one space; a space before a time counts.
                chars.removeFirst()
                if case .separator(" ")? = items.last { continue }
                if case .separator = items.last { continue }
                items.append(.separator(" "))
            } else {
                chars.removeFirst()
                items.append(.separator(String(c)))
            }
        }
        // Drop separators that only trail.
        while case .separator(" ")? = items.last { items.removeLast() }
    }

    /// The numbers at the start, alternating with separators (`2024-01-28` gives three).
    var leadingNumbers: [(value: Int, digits: Int)] {
        var result: [(Int, Int)] = []
        for (i, item) in items.enumerated() {
            if i % 2 == 0 {
                guard case .number(let v, let d) = item else { break }
                result.append((v, d))
                if result.count == 3 { break }
            } else {
                guard case .separator(let s) = item, s == "-" || s == "/" || s == "." else { break }
            }
        }
        return result.map { (value: $0.0, digits: $0.1) }
    }

    /// True when the separators between the first `count` numbers are one and the same kind.
    func separatorsAreDateSeparators(count: Int) -> Bool {
        var kinds = Set<String>()
        for i in stride(from: 1, to: 2 * count - 1, by: 2) {
            guard i < items.count, case .separator(let s) = items[i], s == "-" || s == "/" || s == "." else { return false }
            kinds.insert(s)
        }
        return kinds.count == 1
    }
}
