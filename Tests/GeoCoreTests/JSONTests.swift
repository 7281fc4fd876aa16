import Foundation
import GeoCore
import Testing

@Suite struct JSONParserTests {
    @Test func parsesAllValueKinds() throws {
        let v = try JSONParser.parse(#"{"a":[1,-2.5,1e3,true,false,null,"x\"y\u00e9\ud83d\ude00"],"b":{}}"#)
        #expect(v["a"] == .array([.integer(1), .double(-2.5), .double(1000), .bool(true), .bool(false), .null, .string("x\"yé😀")]))
        #expect(v["b"] == .object([:]))
    }

    @Test func keepsMemberOrderAndLargeIntegers() throws {
        let v = try JSONParser.parse(#"{"z":1,"a":2,"id":1234567890123456789}"#)
        #expect(v.objectValue.map { Array($0.keys) } == ["z", "a", "id"])
        #expect(v["id"] == .integer(1_234_567_890_123_456_789))
    }

    /// Found by the json fuzz target: the smallest 64-bit integer was read as a double.
    @Test func keepsTheSixtyFourBitExtremesAsIntegers() throws {
        #expect(try JSONParser.parse("-9223372036854775808") == .integer(.min))
        #expect(try JSONParser.parse("9223372036854775807") == .integer(.max))
        #expect(try JSONParser.parse("-9223372036854775809") == .double(-9223372036854775809))
        #expect(try JSONParser.parse("9223372036854775808") == .double(9223372036854775808))
    }

    @Test func numbersConvertCorrectlyRounded() throws {
        for text in ["0.1", "40.91854", "-179.999999999", "1.7976931348623157e308", "5e-324", "123456789012345678901234567890", "0.30000000000000004"] {
            #expect(try JSONParser.parse(text).numberValue == Double(text), "\(text)")
        }
    }

    @Test(arguments: [
        ("{\"a\":1,}", 1, 8, "trailing comma"),
        ("{'a':1}", 1, 2, "double quotes"),
        ("[1,2", 1, 5, "end of input"),
        ("{\"a\":\n  tru}", 2, 3, "literal"),
        ("[01]", 1, 2, "leading zeros"),
        ("\"abc", 1, 1, "unterminated"),
        ("{} x", 1, 4, "after the end"),
        ("[1.]", 1, 4, "digit after '.'"),
        ("", 1, 1, "end of input"),
    ])
    func syntaxErrorsSayWhereAndWhat(text: String, line: Int, column: Int, words: String) {
        #expect {
            _ = try JSONParser.parse(text)
        } throws: { error in
            guard let e = error as? JSONSyntaxError else { return false }
            return e.line == line && e.column == column && e.message.contains(words)
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func invalidUTF8IsAnError() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }
}

@Suite struct JSONWriterTests {
    func fixed(_ v: Double, _ d: Int) -> String {
        var w = JSONWriter()
        w.appendFixed(v, decimals: d)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    @Test func fixedDecimalsTrimTrailingZeros() {
        #expect(fixed(40.918540000001, 6) == "40.91854")
        #expect(fixed(-0.0000001, 6) == "0")
        #expect(fixed(-12.5, 0) == "-13" || fixed(-12.5, 0) == "-12")
        #expect(fixed(0.000123, 6) == "0.000123")
        #expect(fixed(-179.9999996, 6) == "-180")
        #expect(fixed(1e20, 6) == "1e+20")
        #expect(fixed(.nan, 6) == "null")
    }

    /// `appendFixed` against the digits of the rounded whole number with the point put in by
    /// hand: coordinates, tiny and huge values, halves, negatives, whole numbers, 0…15 decimals.
    @Test func fixedDecimalsAreTheRoundedDigits() {
        func reference(_ value: Double, _ decimals: Int) -> String {
            guard value.isFinite else { return "null" }
            let p = max(0, min(decimals, 15))
            let scaled = (value * (0..<p).reduce(1.0) { power, _ in power * 10 }).rounded()
            guard abs(scaled) < 9.0e15 else {
                var w = JSONWriter()
                w.appendDouble(value)
                return String(decoding: w.bytes, as: UTF8.self)
            }
            let units = Int64(scaled)
            var digits = String(units.magnitude)
            if digits.count <= p { digits = String(repeating: "0", count: p + 1 - digits.count) + digits }
            var text = p == 0 ? digits : String(digits.dropLast(p)) + "." + String(digits.suffix(p))
            if p > 0 {
                while text.last == "0" { text.removeLast() }
                if text.last == "." { text.removeLast() }
            }
            return (units < 0 ? "-" : "") + text
        }
        var rng = SeededGenerator(seed: 11)
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, 2.5, 1e-7, -1e-7, 9e15, 8.999_999_999_999_999e15, 1e300, .nan, .infinity, 123_456_789]
        for _ in 0..<100_000 {
            values.append(Double.random(in: -180...180, using: &rng))
            values.append((Double.random(in: -180...180, using: &rng) * 100_000).rounded() / 100_000)
            values.append(Double.random(in: -1...1, using: &rng) * pow(10, Double(Int.random(in: -12...16, using: &rng))))
        }
        // Exact halves at each precision: rounded away from zero, as `rounded()` does.
        let halves: [Double] = [0.5, -0.5, 2.5, -3.5, 1.25, -1.25, 0.125, -0.375, 0.0625, 45.000_000_5, 4_503_599_627_370_495.5]
        var differing: [String] = []
        for (i, value) in values.enumerated() {
            let decimals = i < 14 ? i % 16 : Int.random(in: 0...16, using: &rng)
            let (got, expected) = (fixed(value, decimals), reference(value, decimals))
            if got != expected, differing.count < 5 { differing.append("\(value) to \(decimals): \(got), not \(expected)") }
        }
        for value in halves {
            for decimals in 0...16 {
                let (got, expected) = (fixed(value, decimals), reference(value, decimals))
                if got != expected, differing.count < 10 { differing.append("\(value) to \(decimals): \(got), not \(expected)") }
            }
        }
        // A pair is the two numbers as they are written apart, or nothing (false) when either
        // has no fixed form.
        for k in stride(from: 0, to: values.count - 1, by: 7) {
            let (x, y, decimals) = (values[k], values[k + 1], k % 17)
            var w = JSONWriter()
            w.appendRaw("a")
            let written = w.appendFixedPair(x, y, decimals: decimals)
            let text = String(decoding: w.bytes, as: UTF8.self)
            let apart = "a[\(reference(x, decimals)),\(reference(y, decimals))]"
            let fixable = [x, y].allSatisfy { $0.isFinite && abs($0 * (0..<min(decimals, 15)).reduce(1.0) { p, _ in p * 10 }) < 9e15 }
            if written != fixable || text != (written ? apart : "a"), differing.count < 10 {
                differing.append("pair \(x), \(y) to \(decimals): \(written) \(text)")
            }
        }
        let none = differing.isEmpty
        #expect(none, "\(differing)")
    }

    /// `appendDecimal(units:decimals:)` writes what `appendDouble(units / 10^decimals)` writes:
    /// every whole number of metres up to 2,000 km (and below zero), tenths of a degree, and
    /// random whole numbers up to 10^13 (past the fast path's 10^12), and what is not a whole
    /// number, not finite or not 1…3 decimals.
    @Test func decimalOfWholeUnitsIsTheQuotientsShortestText() {
        func text(_ body: (inout JSONWriter) -> Void) -> String {
            var w = JSONWriter()
            body(&w)
            return String(decoding: w.bytes, as: UTF8.self)
        }
        var differing: [String] = []
        func check(_ units: Double, _ decimals: Int) {
            let fast = text { $0.appendDecimal(units: units, decimals: decimals) }
            let shortest = text { $0.appendDouble(units / [1.0, 10, 100, 1000, 10_000][max(0, min(decimals, 4))]) }
            if fast != shortest, differing.count < 5 { differing.append("\(units)/10^\(decimals): \(fast) vs \(shortest)") }
        }
        for m in -20_000...2_000_000 { check(Double(m), 3) }
        for t in -3_600...3_600 { check(Double(t), 1) }
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<200_000 {
            let units = Double(Int64.random(in: -10_000_000_000_000...10_000_000_000_000, using: &rng))
            for d in 1...3 { check(units, d) }
        }
        for odd in [0.5, -0.0, 1e15 + 1, .nan, .infinity, -.infinity, 123_456.7] {
            for d in 0...4 { check(odd, d) }
        }
        let none = differing.isEmpty
        #expect(none, "\(differing)")
    }

    @Test func fixedTextReadsBackToTheSameText() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let v = Double.random(in: -180...180, using: &rng)
            for d in [0, 3, 6, 7, 9] {
                let text = fixed(v, d)
                let back = try #require(try JSONParser.parse(text).numberValue)
                #expect(fixed(back, d) == text)
                #expect(abs(back - v) <= 0.5 * pow10(-d) + 1e-12)
            }
        }
    }

    func pow10(_ e: Int) -> Double { e >= 0 ? (0..<e).reduce(1.0) { a, _ in a * 10 } : 1 / pow10(-e) }

    @Test func stringsAreEscaped() throws {
        let s = "quote\" backslash\\ newline\n tab\t bell\u{7} é"
        var w = JSONWriter()
        w.appendString(s)
        #expect(try JSONParser.parse(w.bytes) == .string(s))
        #expect(String(decoding: w.bytes, as: UTF8.self).contains("\\u0007"))
    }

    /// Strings and member names against a byte-by-byte reference: every length to 40 with a
    /// byte that needs an escape (or one that does not, beside those that do) at each offset,
    /// and UTF-8 sequences of two to four bytes there, so each piece the fast path checks
    /// (four, eight and sixteen bytes, the last overlapping the one before) meets each byte
    /// at each of its places, in small and in heap strings.
    @Test func stringsAreEscapedAlikeWhereverTheEscapeFalls() {
        func reference(_ s: String) -> [UInt8] {
            var out: [UInt8] = [0x22]
            for b in s.utf8 {
                switch b {
                case 0x22: out += Array(#"\""#.utf8)
                case 0x5C: out += Array(#"\\"#.utf8)
                case 0x0A: out += Array(#"\n"#.utf8)
                case 0x0D: out += Array(#"\r"#.utf8)
                case 0x09: out += Array(#"\t"#.utf8)
                case 0x08: out += Array(#"\b"#.utf8)
                case 0x0C: out += Array(#"\f"#.utf8)
                case ..<0x20: out += Array(String(format: "\\u%04x", b).utf8)
                default: out.append(b)
                }
            }
            return out + [0x22]
        }
        let inserts = ["\"", "\\", "\u{0}", "\u{1F}", "\n", "\t", "\u{8}", "\u{C}", "\r", "\u{7F}", " ", "!", "#", "[", "]", "é", "€", "𝄞"]
        var differing: [String] = []
        var checked = 0
        for length in 0...40 {
            for offset in 0...length {
                for insert in inserts where offset < length || insert == "\"" {
                    let base = (0..<length).map { Character(UnicodeScalar(UInt8(ascii: "a") + UInt8($0 % 26))) }
                    var text = String(base.prefix(offset)) + insert + String(base.dropFirst(offset + 1))
                    if length == 0 { text = "" }
                    let expected = reference(text)
                    var w = JSONWriter()
                    w.appendString(text)
                    var key = JSONWriter()
                    key.appendMemberKey(text, first: true)
                    key.appendMemberKey(text, first: false)
                    let keyExpected = expected + [0x3A, 0x2C] + expected + [0x3A]
                    checked += 1
                    if w.bytes != expected || key.bytes != keyExpected, differing.count < 5 {
                        differing.append("\(Array(text.utf8)): \(String(decoding: w.bytes, as: UTF8.self))")
                    }
                }
            }
        }
        let none = differing.isEmpty
        #expect(none, "\(differing)")
        #expect(checked > 10_000)
    }

    @Test func valuesRoundTrip() throws {
        let v: JSONValue = ["a": [1, 2.5, "x", nil, true], "nested": ["k": -0.001]]
        #expect(try JSONParser.parse(JSONWriter.string(from: v)) == v)
    }

    /// The writer's own buffer against an array doing the same appends: growth from empty and
    /// from a reservation, emptying with and without the capacity, and copies that write apart
    /// (each must keep its own text: copy on write).
    @Test func bufferKeepsWhatEachCopyWrote() {
        var random = SeededGenerator(seed: 19)
        var writers = [JSONWriter(), JSONWriter(reservingCapacity: 3)]
        var models: [[UInt8]] = [[], []]
        let words: [StaticString] = ["", "a", ",\"event_type\":", "{\"type\":\"Feature\",\"geometry\":null"]
        for step in 0..<20_000 {
            let k = Int.random(in: 0..<writers.count, using: &random)
            // Appending writers to writers doubles texts: emptied past 50,000 bytes.
            switch models[k].count > 50_000 ? 85 : Int.random(in: 0..<100, using: &random) {
            case 0..<30:
                let word = words[Int.random(in: 0..<words.count, using: &random)]
                writers[k].appendRaw(word)
                word.withUTF8Buffer { models[k].append(contentsOf: $0) }
            case 30..<50:
                let b = UInt8.random(in: 0...255, using: &random)
                writers[k].appendByte(b)
                models[k].append(b)
            case 50..<65:
                let n = Int.random(in: 0..<300, using: &random)
                let text = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ step) }
                writers[k].append(contentsOf: text)
                models[k].append(contentsOf: text)
            case 65..<75:
                writers[k].appendMemberName("actor1_reported")
                models[k].append(contentsOf: Array(",\"actor1_reported\":".utf8))
            case 75..<85:
                let value = Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &random)
                writers[k].appendInteger(value)
                models[k].append(contentsOf: Array(String(value).utf8))
            case 85..<90:
                let keeping = Bool.random(using: &random)
                writers[k].removeAll(keepingCapacity: keeping)
                models[k].removeAll()
            case 90..<95 where writers.count < 6:
                writers.append(writers[k])  // a copy, sharing the buffer until one of them writes
                models.append(models[k])
            default:
                let j = Int.random(in: 0..<writers.count, using: &random)
                let (other, otherModel) = (writers[j], models[j])
                writers[k].append(other)
                models[k].append(contentsOf: otherModel)
            }
        }
        for (writer, model) in zip(writers, models) {
            let same = writer.bytes == model && writer.count == model.count && writer.last == model.last
            #expect(same)
        }
    }
}

@Suite struct UnitTests {
    @Test(arguments: [("50km", 50_000.0), ("500m", 500), ("12mi", 19_312.128), ("10nmi", 18_520), ("0.5 km", 500), ("300ft", 91.44)])
    func distances(text: String, meters: Double) throws {
        #expect(abs(try Distance(parsing: text).meters - meters) < 1e-9)
    }

    @Test(arguments: ["50", "km", "fifty km", "5 parsecs", "nan km", ""])
    func badDistances(text: String) {
        #expect(throws: UnitParseError.self) { try Distance(parsing: text) }
    }

    @Test(arguments: [("36h", 129_600.0), ("14d", 1_209_600), ("2w", 1_209_600), ("90s", 90), ("45min", 2700)])
    func durations(text: String, seconds: Double) throws {
        #expect(try TimeSpan(parsing: text).seconds == seconds)
    }

    @Test func ambiguousDurationsAreRefusedWithAReason() {
        #expect { try TimeSpan(parsing: "3m") } throws: { ($0 as? UnitParseError)?.reason.contains("ambiguous") == true }
        #expect { try TimeSpan(parsing: "2months") } throws: { ($0 as? UnitParseError)?.reason.contains("fixed length") == true }
    }

    @Test func descriptions() {
        #expect(Distance.kilometers(50).description == "50 km")
        #expect(Distance.meters(500).description == "500 m")
        #expect(TimeSpan.days(14).description == "2w")
        #expect(TimeSpan.hours(36).description == "36h")
    }
}

@Suite struct DecimalNumberTests {
    @Test func acceptsOnlyPlainDecimals() {
        for good in ["12", "-0.5", "+3", "2.5e3", "1E-2", ".5", "5."] { #expect(isDecimalNumber(good), "\(good)") }
        for bad in ["", "0x32", "0x1p5", "inf", "nan", "1e", "--1", "1.2.3", "e5", ".", "1 2"] { #expect(!isDecimalNumber(bad), "\(bad)") }
    }
}

/// `PlainDecimal.value` reads what `Double(_:)` reads, bit for bit, for the plain decimals it
/// takes, and declines (nil) every other text: empty, signs but `-`, exponents, blanks, a point
/// without digits on either side, more than 19 digits, integers from 2^53.
@Suite struct PlainDecimalTests {
    @Test func plainDecimalsReadAsDoubleReadsThem() {
        func value(_ text: String) -> Double? { Array(text.utf8).withUnsafeBytes { PlainDecimal.value($0) } }
        var random = SeededGenerator(seed: 23)
        var texts = ["0", "-0", "0.0", "-0.000", "007", "12.5", "-33.123456", "9007199254740991", "9007199254740992",
                     "1234567890123456789", "12345678901234567890", "0.1234567890123456789", "-4503599627370495.5",
                     "00000000000000000001", "0.0000000000000000001", "36893488147419103232"]
        for _ in 0..<20_000 {
            let whole = String(Int.random(in: 0...999_999, using: &random))
            let fraction = String((0..<Int.random(in: 0...12, using: &random)).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
            texts.append((Bool.random(using: &random) ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction))
        }
        var differing: [String] = []
        for text in texts {
            let digits = text.filter(\.isNumber).count
            let integer = UInt64(text.filter(\.isNumber))
            let plain = digits <= 19 && integer.map { $0 < 1 << 53 } == true
            let expected = plain ? Double(text) : nil
            let got = value(text)
            if got?.bitPattern != expected?.bitPattern, differing.count < 5 { differing.append("\(text): \(String(describing: got))") }
        }
        for other in ["", "-", ".", "-.", "1.", ".5", "+1", "1e3", "1E-2", " 1", "1 ", "1.2.3", "--1", "0x10", "1,5", "٣"] where value(other) != nil {
            differing.append("\(other) read")
        }
        let none = differing.isEmpty
        #expect(none, "\(differing)")
    }
}

@Suite struct CSVRecoveryTests {
    func records(_ text: [UInt8]) throws -> [CSV.Record] {
        var out: [CSV.Record] = []
        try text.withUnsafeBytes { buffer in
            try CSV.forEachRecord(in: buffer, recovering: true) { out.append($0) }
        }
        return out
    }

    @Test func textAfterAClosingQuoteSkipsThatLine() throws {
        let r = try records(Array("a,b\n1,\"x\"y\n2,z\n".utf8))
        #expect(r.map(\.line) == [1, 2, 3])
        #expect(r[1].problem?.contains("after a closing quote") == true && r[1].raw == "1,\"x\"y")
        #expect(r[2].fields == ["2", "z"] && r[2].problem == nil)
    }

    @Test func anUnclosedQuoteRejectsItsFirstLineOnly() throws {
        let r = try records(Array("a,b\n1,\"open\n2,z\n3,w\n".utf8))
        #expect(r.map(\.line) == [1, 2, 3, 4])
        #expect(r[1].problem?.contains("never closed") == true)
        #expect(r[2].fields == ["2", "z"] && r[3].fields == ["3", "w"])
    }

    @Test func invalidUTF8IsEscapedInRaw() throws {
        let r = try records(Array("a,b\n".utf8) + [0x31, 0x2C, 0xE9, 0x0A] + Array("2,z\n".utf8))
        #expect(r[1].problem?.contains("not valid UTF-8") == true && r[1].raw == "1,\\xE9")
        #expect(r[2].fields == ["2", "z"])
    }

    /// Found by the csv fuzz target (Tests/Fuzz/crashers/csv/): a field holding CR LF, or a quote
    /// or comma followed by a combining mark, was written unquoted and split when read back.
    /// (Lines written as bytes, `CSV.appendLine`, are the same text.)
    @Test(arguments: ["line one\r\nline two", "a,\u{301}b", "say \"\u{301}hi\"", "tab\there", "plain", "\"", "x\"y,z\r\n", "Şāfītā, \"دير\"",
                      "", "cr\ronly", "\"\"", "semi;colon"])
    func writtenFieldsReadBack(_ field: String) throws {
        let line = CSV.line([field, "next"]) + "\n"
        #expect(try CSV.parse(line).map(\.fields) == [[field, "next"]])
        let tsv = CSV.line([field, "next"], separator: "\t") + "\n"
        #expect(try CSV.parse(tsv, separator: "\t").map(\.fields) == [[field, "next"]])
        for (separator, text) in [(UInt8(ascii: ","), line), (0x09, tsv)] {
            var bytes = JSONWriter()
            CSV.appendLine([field, "next"], separator: separator, to: &bytes)
            #expect(bytes.bytes == Array(text.utf8))
        }
    }

    @Test func strictModeStillThrows() {
        #expect(throws: CSV.ParseError.self) { try CSV.parse("a\n\"x\"y\n") }
    }

    @Test func rawTextIsClipped() {
        let long = RawText.escaped(Array(repeating: UInt8(ascii: "x"), count: 10_000))
        #expect(long.hasPrefix("xxx") && long.hasSuffix("(9800 more bytes)"))
        #expect(RawText.escaped([0x00, 0x41, 0xFF]) == "\\u{0}A\\xFF")
    }
}
