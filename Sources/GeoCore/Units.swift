/// A length, stored in metres. Parse user text such as `50km`, `500m`, `12mi`, `10nmi`.
public struct Distance: Hashable, Comparable, Sendable {
    public var meters: Double

    public init(meters: Double) { self.meters = meters }

    public static func meters(_ value: Double) -> Distance { Distance(meters: value) }
    public static func kilometers(_ value: Double) -> Distance { Distance(meters: value * 1000) }
    /// International statute miles (1,609.344 m).
    public static func miles(_ value: Double) -> Distance { Distance(meters: value * 1609.344) }
    /// International nautical miles (1,852 m).
    public static func nauticalMiles(_ value: Double) -> Distance { Distance(meters: value * 1852) }

    public var kilometers: Double { meters / 1000 }

    public static func < (a: Distance, b: Distance) -> Bool { a.meters < b.meters }

    /// Units accepted in text, with metres per unit.
    public static let units: [(suffix: String, metersPerUnit: Double)] = [
        ("km", 1000), ("m", 1), ("mi", 1609.344), ("nmi", 1852), ("nm", 1852), ("ft", 0.3048),
    ]

    /// Parses `<number><unit>` (a space between is allowed): `50km`, `0.5 km`, `500m`, `12mi`,
    /// `10nmi`, `300ft`. A bare number is refused: the unit must be said. Negative, zero-free
    /// checks are the caller's; NaN and infinity are refused.
    public init(parsing text: String) throws(UnitParseError) {
        let (number, unit) = try splitQuantity(text, kind: "distance", examples: "50km, 500m, 12mi, 10nmi")
        guard let factor = Distance.units.first(where: { $0.suffix == unit.lowercased() })?.metersPerUnit else {
            throw UnitParseError(text: text, reason: "unknown distance unit '\(unit)'; use km, m, mi, nmi or ft")
        }
        self.init(meters: number * factor)
    }
}

extension Distance: CustomStringConvertible {
    /// `50 km`, `500 m`.
    public var description: String {
        if meters >= 1000 || meters <= -1000 { return "\(Self.trim(meters / 1000)) km" }
        return "\(Self.trim(meters)) m"
    }

    static func trim(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}

/// A span of time, stored in seconds. Parse user text such as `36h`, `14d`, `2w`.
public struct TimeSpan: Hashable, Comparable, Sendable {
    public var seconds: Double

    public init(seconds: Double) { self.seconds = seconds }

    public static func seconds(_ value: Double) -> TimeSpan { TimeSpan(seconds: value) }
    public static func minutes(_ value: Double) -> TimeSpan { TimeSpan(seconds: value * 60) }
    public static func hours(_ value: Double) -> TimeSpan { TimeSpan(seconds: value * 3600) }
    public static func days(_ value: Double) -> TimeSpan { TimeSpan(seconds: value * 86_400) }
    public static func weeks(_ value: Double) -> TimeSpan { TimeSpan(seconds: value * 604_800) }

    public var hours: Double { seconds / 3600 }
    public var days: Double { seconds / 86_400 }

    public static func < (a: TimeSpan, b: TimeSpan) -> Bool { a.seconds < b.seconds }

    public static let units: [(suffix: String, secondsPerUnit: Double)] = [
        ("s", 1), ("sec", 1), ("min", 60), ("h", 3600), ("hr", 3600), ("d", 86_400), ("day", 86_400),
        ("days", 86_400), ("w", 604_800), ("wk", 604_800), ("weeks", 604_800),
    ]

    /// Parses `<number><unit>`: `90s`, `45min`, `36h`, `14d`, `2w`. Months and years are refused
    /// (they have no fixed length); `m` is refused as ambiguous (minutes or months).
    public init(parsing text: String) throws(UnitParseError) {
        let (number, unit) = try splitQuantity(text, kind: "duration", examples: "36h, 14d, 2w")
        let u = unit.lowercased()
        if u == "m" || u == "mo" || u == "month" || u == "months" || u == "y" || u == "yr" || u == "year" || u == "years" {
            throw UnitParseError(text: text, reason: u == "m"
                ? "'m' is ambiguous for a duration; write 'min' for minutes, or use days or weeks"
                : "months and years have no fixed length; use days or weeks (e.g. 30d, 52w)")
        }
        guard let factor = TimeSpan.units.first(where: { $0.suffix == u })?.secondsPerUnit else {
            throw UnitParseError(text: text, reason: "unknown duration unit '\(unit)'; use s, min, h, d or w")
        }
        self.init(seconds: number * factor)
    }
}

extension TimeSpan: CustomStringConvertible {
    /// The largest whole unit: `14d`, `36h`, `2w`, otherwise decimal days.
    public var description: String {
        for (suffix, size) in [("w", 604_800.0), ("d", 86_400), ("h", 3600), ("min", 60), ("s", 1)] {
            let n = seconds / size
            if n == n.rounded() && abs(n) >= 1 { return "\(Distance.trim(n))\(suffix)" }
        }
        return "\(seconds)s"
    }
}

/// A quantity that could not be read, with the text and the reason.
public struct UnitParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "'\(text)': \(reason)" }
}

/// Splits `12.5km` / `12.5 km` into its number and unit (the trailing letters).
func splitQuantity(_ text: String, kind: String, examples: String) throws(UnitParseError) -> (Double, String) {
    let trimmed = text.trimmedOfBlanks()
    var numberEnd = trimmed.endIndex
    while numberEnd > trimmed.startIndex, trimmed[trimmed.index(before: numberEnd)].isLetter {
        numberEnd = trimmed.index(before: numberEnd)
    }
    let unit = String(trimmed[numberEnd...])
    let numberText = String(trimmed[..<numberEnd]).trimmedOfBlanks()
    guard isDecimalNumber(numberText), let number = Double(numberText) else {
        throw UnitParseError(text: text, reason: "expected a \(kind) such as \(examples)")
    }
    guard number.isFinite, abs(number) < 1e15 else {
        throw UnitParseError(text: text, reason: "\(numberText) is out of range for a \(kind)")
    }
    guard !unit.isEmpty else {
        throw UnitParseError(text: text, reason: "a \(kind) needs a unit, e.g. \(examples)")
    }
    return (number, unit)
}

/// Whether `text` is a plain decimal number: optional sign, digits with an optional fraction,
/// optional exponent (`12`, `-0.5`, `2.5e3`). Hexadecimal (`0x32`), `inf` and `nan` are not.
public func isDecimalNumber<S: StringProtocol>(_ text: S) -> Bool {
    var bytes = Substring(text).utf8[...]
    if let f = bytes.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
    func digits() -> Int {
        var n = 0
        while let b = bytes.first, b >= 0x30 && b <= 0x39 { bytes = bytes.dropFirst(); n += 1 }
        return n
    }
    var mantissa = digits()
    if bytes.first == UInt8(ascii: ".") {
        bytes = bytes.dropFirst()
        mantissa += digits()
    }
    guard mantissa > 0 else { return false }
    if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
        bytes = bytes.dropFirst()
        if let s = bytes.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard digits() > 0 else { return false }
    }
    return bytes.isEmpty
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmedOfBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
