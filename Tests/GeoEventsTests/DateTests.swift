import Testing
@testable import GeoEvents

@Suite struct EventDateTests {
    @Test func daysSinceEpochRoundTripsEveryDayFrom1900To2100() {
        let start = EventDate(year: 1900, month: 1, day: 1)!.daysSinceEpoch
        #expect(start == -25_567)
        var previous: EventDate?
        for days in start...(start + 73_048) {
            let date = EventDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
            if let previous { #expect(previous < date) }
            previous = date
        }
        #expect(previous == EventDate(year: 2099, month: 12, day: 31))
    }

    @Test func knownDates() {
        #expect(EventDate(year: 1970, month: 1, day: 1)!.daysSinceEpoch == 0)
        #expect(EventDate(year: 2024, month: 1, day: 28)!.daysSinceEpoch == 19_750)
        #expect(EventDate(year: 2024, month: 1, day: 28)!.isoWeekday == 7)  // a Sunday
        #expect(EventDate(year: 2000, month: 2, day: 29) != nil)
        #expect(EventDate(year: 1900, month: 2, day: 29) == nil)
        #expect(EventDate(year: 2023, month: 2, day: 29) == nil)
    }

    @Test func intervals() {
        let d = EventDate(year: 2024, month: 2, day: 2)!
        let day = EventInterval(date: d, precision: .day)
        #expect(day.durationSeconds == 86_400)
        let week = EventInterval(date: d, precision: .week)
        #expect(week.durationSeconds == 7 * 86_400 && week.midpointSeconds == day.midpointSeconds)
        let month = EventInterval(date: d, precision: .month)
        #expect(month.startSeconds == EventDate(year: 2024, month: 2, day: 1)!.secondsSinceEpoch)
        #expect(month.durationSeconds == 29 * 86_400)
        let timed = EventInterval(date: EventDate(year: 2024, month: 2, day: 2, secondsOfDay: 3600)!, precision: .day)
        #expect(timed.durationSeconds == 0)
        let span = EventInterval(date: d, end: EventDate(year: 2024, month: 2, day: 4)!, precision: .day)
        #expect(span.durationSeconds == 3 * 86_400)
    }
}

/// ISO texts written digit by digit, against a plain formatting of the same fields.
@Suite struct ISOTextTests {
    static func reference(_ y: Int, _ m: Int, _ d: Int, _ seconds: Int?, alwaysSeconds: Bool) -> String {
        func pad(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        var text = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
        if let s = seconds {
            text += "T\(pad(s / 3600, 2)):\(pad(s / 60 % 60, 2))"
            if alwaysSeconds || s % 60 != 0 { text += ":\(pad(s % 60, 2))" }
            text += "Z"
        }
        return text
    }

    @Test func datesAndTimesEqualThePlainFormatting() {
        var seed: UInt64 = 11
        for _ in 0..<5_000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let days = Int(seed >> 40) % 3_000_000 - 1_000_000  // years about 1000 to 9900
            let date = EventDate(daysSinceEpoch: days)
            let seconds: Int? = seed & 3 == 0 ? nil : [0, 59, 60, 3599, 86_399, Int(seed >> 20) % 86_400][Int(seed >> 8) % 6]
            guard let withTime = EventDate(year: date.year, month: date.month, day: date.day, secondsOfDay: seconds) else { continue }
            #expect(withTime.iso == Self.reference(date.year, date.month, date.day, seconds, alwaysSeconds: false))
            let instant = Double(days * 86_400 + (seconds ?? 0)) + 0.25
            #expect(EventTimestamp.isoText(seconds: instant) == Self.reference(date.year, date.month, date.day, seconds ?? 0, alwaysSeconds: true))
        }
        // Out of four digits: the general path.
        #expect(EventTimestamp.isoText(seconds: 1e12).hasPrefix("33658-"))
    }
}

@Suite struct DateParserTests {
    static let accepted: [(String, String, TimePrecision)] = [
        ("2024-01-28", "2024-01-28", .day), ("2024/01/28", "2024-01-28", .day), (" 2024-1-8 ", "2024-01-08", .day),
        ("2024-01", "2024-01-01", .month), ("28-01-2024", "2024-01-28", .day), ("28/01/2024", "2024-01-28", .day),
        ("28.01.2024", "2024-01-28", .day), ("28 January 2024", "2024-01-28", .day), ("04 January 2024", "2024-01-04", .day),
        ("4 Jan 2024", "2024-01-04", .day), ("January 4, 2024", "2024-01-04", .day), ("Sept 5 2023", "2023-09-05", .day),
        ("January 2024", "2024-01-01", .month), ("2024-01-28T05:30Z", "2024-01-28T05:30Z", .day),
        ("2024-01-28 05:30", "2024-01-28T05:30Z", .day), ("2024-01-28T01:30:15+03:00", "2024-01-27T22:30:15Z", .day),
        ("29-10-2023", "2023-10-29", .day),
    ]

    @Test(arguments: accepted) func accepts(_ text: String, _ iso: String, _ precision: TimePrecision) throws {
        let parsed = try DateParser().parse(text)
        #expect(parsed.date.iso == iso)
        #expect(parsed.precision == precision)
    }

    /// The `yyyy-mm-dd` fast path gives what the full parser gives, for every ten-character text
    /// of digits and dashes near that form (valid days, impossible days, years out of range).
    @Test func isoFastPathEqualsTheFullParser() {
        var texts = ["2024-01-28", "2024-02-29", "2023-02-29", "0999-01-01", "1000-01-01", "9999-12-31", "2024-00-10",
                     "2024-13-01", "2024-12-00", "2024-12-32", "2024-1-028", "2024/01/28", "2024-01-2x", "+024-01-28", " 2024-01-2"]
        var seed: UInt64 = 7
        for _ in 0..<3_000 {
            var bytes: [UInt8] = []
            for i in 0..<10 {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                let r = Int(seed >> 33)
                bytes.append(i == 4 || i == 7 ? (r % 20 == 0 ? UInt8(ascii: "/") : UInt8(ascii: "-")) : UInt8(ascii: "0") + UInt8(r % (i < 4 ? 10 : 4)))
            }
            texts.append(String(decoding: bytes, as: UTF8.self))
        }
        for text in texts {
            let fast = Result { () throws(DateParseError) in try DateParser().parse(text) }
            let full = Result { () throws(DateParseError) in try DateParser().parseAnyForm(text) }
            #expect(fast == full, "\(text)")
        }
    }

    @Test func monthFirst() throws {
        #expect(try DateParser(monthFirst: true).parse("01/02/2024").date.iso == "2024-01-02")
        #expect(try DateParser().parse("01/02/2024").date.iso == "2024-02-01")
    }

    @Test func refusesWithReasons() {
        #expect(throws: DateParseError.empty) { try DateParser().parse("  ") }
        #expect(throws: DateParseError.impossible("2023-02-29", why: "February 2023 has no day 29")) { try DateParser().parse("2023-02-29") }
        #expect(throws: DateParseError.impossible("2023-13-01", why: "there is no month 13")) { try DateParser().parse("2023-13-01") }
        #expect(throws: DateParseError.ambiguous("29/10/23", why: "the year must have four digits")) { try DateParser().parse("29/10/23") }
        #expect(throws: DateParseError.unrecognized("yesterday")) { try DateParser().parse("yesterday") }
        #expect(throws: DateParseError.unrecognized("2024-01-28-05")) { try DateParser().parse("2024-01-28-05") }
        #expect(throws: DateParseError.unrecognized("28-01/2024")) { try DateParser().parse("28-01/2024") }
        // Month-first text read day first is an error with a hint, never a silent swap.
        #expect(throws: DateParseError.impossible("10/29/2023", why: "there is no month 29; if the dates are month first, use --month-first")) {
            try DateParser().parse("10/29/2023")
        }
    }

    /// Found by the date fuzz target (Tests/Fuzz/crashers/date/): a month-precision date with a
    /// four-digit year out of range crashed on a force unwrap instead of being refused.
    @Test func refusesMonthDatesWithYearsOutOfRange() {
        #expect(throws: DateParseError.impossible("0024-01", why: "year 24 is out of range")) { try DateParser().parse("0024-01") }
        #expect(throws: DateParseError.impossible("January 0999", why: "year 999 is out of range")) { try DateParser().parse("January 0999") }
        #expect(throws: DateParseError.impossible("0999-02-03", why: "year 999 is out of range")) { try DateParser().parse("0999-02-03") }
    }
}
