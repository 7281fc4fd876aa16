import Testing
@testable import GeoCore

/// The scanner is a shortcut, never a second set of rules: whatever it accepts must decode to
/// the same feature as the full reader, and text it copies must be the bytes the writer writes.
@Suite struct FeatureScannerTests {
    static let keys = ["event_date", "fatalities", "layer", "missing"]
    let scanner = FeatureScanner(keys: FeatureScannerTests.keys)

    /// Scans `text`; when accepted, checks it against the full decoder and the encoder.
    @discardableResult
    func check(_ text: String, adding added: [(String, JSONValue)] = [("cluster", .integer(3)), ("role", "core")],
               sourceLocation: SourceLocation = #_sourceLocation) -> ScannedFeature? {
        check(bytes: Array(text.utf8), adding: added, sourceLocation: sourceLocation)
    }

    /// `check` of a text given as bytes (which may be invalid UTF-8).
    @discardableResult
    func check(bytes: [UInt8], adding added: [(String, JSONValue)] = [("cluster", .integer(3)), ("role", "core")],
               sourceLocation: SourceLocation = #_sourceLocation) -> ScannedFeature? {
        let text = String(decoding: bytes, as: UTF8.self)
        return bytes.withUnsafeBytes { buffer -> ScannedFeature? in
            var decoder = GeoJSONDecoder()
            let full: Feature? = (try? JSONParser.parse(buffer: buffer)).flatMap { try? decoder.feature($0) ?? nil }
            guard let (scanned, end) = scanner.scan(buffer, at: 0) else { return nil }
            // Readers take a scan only when nothing but blanks follows it in the record.
            guard bytes[end...].allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return nil }
            guard let full else {
                Issue.record("scanner accepted what the full reader refuses: \(text)", sourceLocation: sourceLocation)
                return scanned
            }
            #expect(scanned.feature(in: buffer) == full, sourceLocation: sourceLocation)
            for (k, key) in Self.keys.enumerated() {
                #expect(scanned.values[k] == full[property: key], "\(key)", sourceLocation: sourceLocation)
            }
            // A scanner locating the same keys accepts the same text the same way, and the texts
            // it locates read as the values (nothing where a key is absent).
            let locating = FeatureScanner(keys: Self.keys, parsingValues: false)
            if let (located, locatedEnd) = locating.scan(buffer, at: 0) {
                let same = locatedEnd == end && located.propertiesVerbatim == scanned.propertiesVerbatim && located.nameBloom == scanned.nameBloom
                    && located.memberCount == (full.properties?.count ?? 0) && located.values.allSatisfy { $0 == nil }
                #expect(same, sourceLocation: sourceLocation)
                for (k, key) in Self.keys.enumerated() {
                    let start = located.valueStarts[k], stop = located.valueEnds[k]
                    let text = start < 0 ? nil : UnsafeRawBufferPointer(rebasing: buffer[start..<stop])
                    let value = text.flatMap { try? JSONParser.parse(buffer: $0) }
                    let found = value == full[property: key] && (start < 0) == (stop < 0) && (text == nil || value != nil)
                        && located.value(k, in: buffer) == value
                    #expect(found, "\(key)", sourceLocation: sourceLocation)
                }
            } else {
                Issue.record("a locating scanner refused what a parsing one accepts: \(text)", sourceLocation: sourceLocation)
            }
            let encoder = GeoJSONEncoder()
            var withAdded = full
            if !added.isEmpty {
                var p = withAdded.properties ?? [:]
                for (name, value) in added { p[name] = value }
                withAdded.properties = p
            }
            if let copy = PointFeatureText(scanned, in: buffer, adding: added) {
                var fast = JSONWriter(), slow = JSONWriter()
                encoder.append(copy, to: &fast)
                encoder.append(withAdded, to: &slow)
                // Bytes, not texts: a text would hide a byte the writer repairs.
                let same = fast.bytes == slow.bytes
                #expect(same, "\(String(decoding: fast.bytes, as: UTF8.self))", sourceLocation: sourceLocation)
                #expect(copy.feature == withAdded, sourceLocation: sourceLocation)
            }
            return scanned
        }
    }

    @Test func plainFeaturesAreScannedAndCopied() throws {
        let plain = #"{"type":"Feature","id":"E1","geometry":{"type":"Point","coordinates":[40.9185,34.4635]},"properties":{"event_date":"2024-01-28","fatalities":3,"actor1":"Islamic Resistance in Iraq","tags":["a","b"],"score":0.25,"ok":true,"none":null}}"#
        let scanned = try #require(check(plain))
        #expect(scanned.propertiesVerbatim)
        #expect(scanned.values[0] == "2024-01-28")
        #expect(scanned.values[1] == .integer(3))
        #expect(scanned.values[3] == nil)
        // Member order, blanks and an integer id do not matter to the scan.
        let reordered = "{ \"properties\": {\"fatalities\":0}, \"geometry\": {\"coordinates\": [ -1.5, 2 ], \"type\": \"Point\"},\n \"id\": 7, \"type\": \"Feature\" }"
        #expect(check(reordered)?.propertiesVerbatim == true)
        #expect(check(#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":null}"#) != nil)
        #expect(check(#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}"#)?.propertiesVerbatim == true)
        #expect(check(#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"name":"البوكمال"}}"#)?.propertiesVerbatim == true)
    }

    /// Whole numbers located and then read (`ScannedFeature.value`, plain ones without the
    /// parser) are the parser's values: one digit, 18 and 19 digits, signs, fractions, exponents.
    @Test func locatedNumbersReadAsTheParserReadsThem() {
        for number in ["0", "7", "10", "999999999999999999", "1000000000000000000", "9223372036854775807", "9223372036854775808",
                       "-3", "-0", "3.0", "3.5", "1e2", "0.001", "123456789012"] {
            let text = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"fatalities":"# + number + "}}"
            #expect(check(text) != nil, "\(number)")
        }
    }

    /// A point's coordinates (decimals read from their digits, the rest by the parser) are the
    /// parser's, bit for bit (signs of zero too), and texts the parser refuses are refused.
    @Test func coordinatesReadAsTheParserReadsThem() {
        var texts = ["0.5", "-0.0", "-0.5", "0.0", "36.12772", "-179.999999999999999", "1.0000000000000000001", "123456789.123456789",
                     "9007199254740993.5", "01.5", "-01.5", "00.5", "1.", ".5", "-.5", "-", "1e2", "1.5e1", "1.5E-1", "2.5e", "-0", "0", "7",
                     "1.5.5", "1-2.5", "3.25 ", "12.000000000000000000", "0.1234567890123456789"]
        var random = SeededGenerator(seed: 31)
        for _ in 0..<2_000 {
            let digits = Int.random(in: 1...20, using: &random)
            let point = Int.random(in: 1...digits, using: &random)
            var text = (0..<digits).map { _ in String(Int.random(in: 0...9, using: &random)) }.joined()
            if point < digits { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
            if Bool.random(using: &random) { text = "-" + text }
            texts.append(text)
        }
        var wrong: [String] = []
        for x in texts {
            let feature = #"{"type":"Feature","geometry":{"type":"Point","coordinates":["# + x + #",33.5]},"properties":{}}"#
            let scanned = Array(feature.utf8).withUnsafeBytes { scanner.scan($0, at: 0)?.0 }
            let parsed = Array(x.utf8).withUnsafeBytes { try? JSONParser.parse(buffer: $0) }?.numberValue
            let expected = parsed.flatMap { (-180...180).contains($0) ? $0 : nil }
            if scanned?.longitude.bitPattern != expected?.bitPattern, !(scanned == nil && expected != nil) { wrong.append(x) }
        }
        #expect(wrong.isEmpty, "\(wrong)")
    }

    @Test func textTheWriterWouldChangeIsNotCopied() {
        let cases = [
            #"{"a": 1}"#, #"{"a":1 }"#, #"{"a":[1, 2]}"#, #"{"a":"\u00e9"}"#, #"{"a":{"b":1}}"#, #"{"layer":"x\"y"}"#,
            #"{"a":1.0}"#, #"{"a":1.50}"#, #"{"a":1e3}"#, #"{"a":-0}"#, #"{"a":0.00001}"#, #"{"a":0.1234567890123456}"#,
            #"{"a":12345678901234567890}"#,
        ]
        for properties in cases {
            let text = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":"# + properties + "}"
            #expect(check(text)?.propertiesVerbatim == false, "\(properties)")
        }
        // A name set after reading that is already there keeps its place: decoded, not copied.
        let text = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"cluster":1,"x":2}}"#
        text.utf8.withContiguousStorageIfAvailable { buffer in
            let raw = UnsafeRawBufferPointer(buffer)
            let scanned = scanner.scan(raw, at: 0)!.feature
            #expect(PointFeatureText(scanned, in: raw, adding: [("cluster", 5)]) == nil)
            #expect(PointFeatureText(scanned, in: raw, adding: [("x2", 5)]) != nil)
        }
        check(text)
    }

    /// A string written as the writer writes it, escapes included, is copied (and so is what
    /// holds it) unless it is a key's value, which is read from its bytes; any other way of
    /// writing the same string is not copied. Checked on random strings of quotes, backslashes,
    /// control bytes, slashes and non-ASCII letters, alone and in arrays.
    @Test func writersOwnEscapesAreCopiedOutsideKeys() throws {
        var rng = SeededGenerator(seed: 23)
        let pieces: [String] = ["\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1F}", "\u{1}", "/", "a", " ", "é", "€", "\u{7F}", "x\\"]
        func point(_ properties: String) -> String {
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":"# + properties + "}"
        }
        var escaped = 0
        for _ in 0..<3_000 {
            let value = (0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            var w = JSONWriter()
            w.appendString(value)
            let text = String(decoding: w.bytes, as: UTF8.self)
            let hasEscape = text.contains("\\")
            if hasEscape { escaped += 1 }
            for properties in [#"{"s":\#(text),"n":1}"#, #"{"list":[\#(text),"b",\#(text)],"event_date":"2024-01-02"}"#] {
                let scanned = try #require(check(point(properties)), "\(properties)")
                #expect(scanned.propertiesVerbatim, "\(properties)")
            }
            // A key's value with an escape is decoded; without one it stays copied.
            for properties in [#"{"layer":\#(text),"n":1}"#, #"{"n":1,"layer":["a",\#(text)]}"#] {
                let asKey = try #require(check(point(properties)))
                #expect(asKey.propertiesVerbatim == !hasEscape, "\(properties)")
            }
        }
        #expect(escaped > 2_000)
        // The same strings written another way: read alike, never copied.
        let otherForms = [#""a\/b""#, #""\u00e9""#, #""\u000a""#, #""\u001F""#, #""\u0041""#, #""\u0008""#, #""\u000d""#, #""\ud83d\ude00""#,
                          #""\u0022""#, #""\u005c""#, #""\u001""#, #""\x""#]
        for form in otherForms {
            let scanned = check(point(#"{"s":\#(form),"list":["x"]}"#))
            #expect(scanned?.propertiesVerbatim != true, "\(form)")
            let inList = check(point(#"{"list":["x",\#(form)]}"#))
            #expect(inList?.propertiesVerbatim != true, "\(form)")
        }
        // Escapes stay out of names: a name with one is the full reader's.
        #expect(check(point(#"{"we\"ird":1}"#)) == nil)
    }

    @Test func unusualFeaturesAreLeftToTheFullReader() {
        let cases = [
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{},"bbox":[1,2,1,2]}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2,3]},"properties":{}}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[181,2]},"properties":{}}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,95]},"properties":{}}"#,
            #"{"type":"Feature","geometry":null,"properties":{}}"#,
            #"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{}}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"a":1,"a":2}}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"event\u005fdate":"2024-01-01"}}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"a":NaN}}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"a":01}}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"a":[1,]}}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":[]}"#,
            #"{"type":"Feature","id":1.5,"geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}"#,
            #"{"type":"feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}"#,
            "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]},\"properties\":{\"a\":\"\u{1}\"}}",
        ]
        for text in cases { #expect(check(text) == nil, "\(text)") }
        // A name over the parser's cap (4 KiB) is the full reader's to refuse, not the scanner's to take.
        let longName = String(repeating: "n", count: JSONParser.Limits.default.nameBytes + 1)
        func feature(named name: String) -> String {
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{""# + name + #"":1}}"#
        }
        Array(feature(named: longName).utf8).withUnsafeBytes { #expect(scanner.scan($0, at: 0) == nil) }
        Array(feature(named: String(longName.dropLast())).utf8).withUnsafeBytes { #expect(scanner.scan($0, at: 0) != nil) }
        let invalidUTF8: [UInt8] = Array(#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"a":""#.utf8) + [0xC3, 0x28] + Array("\"}}".utf8)
        invalidUTF8.withUnsafeBytes { #expect(scanner.scan($0, at: 0) == nil) }
    }

    /// Every number the scanner calls verbatim is written back as the same text.
    @Test func verbatimNumbersAreTheWritersOwn() {
        var rng = SeededGenerator(seed: 7)
        let digits = Array("0123456789")
        var verbatimCount = 0
        for _ in 0..<20_000 {
            var s = Bool.random(using: &rng) ? "-" : ""
            let intDigits = Int.random(in: 1...17, using: &rng)
            s += Int.random(in: 0..<4, using: &rng) == 0 ? "0" : String((0..<intDigits).map { k in k == 0 ? digits[Int.random(in: 1...9, using: &rng)] : digits.randomElement(using: &rng)! })
            if Bool.random(using: &rng) {
                let zeros = Int.random(in: 0...5, using: &rng)
                s += "." + String(repeating: "0", count: zeros) + String((0..<Int.random(in: 1...16, using: &rng)).map { _ in digits.randomElement(using: &rng)! })
            }
            let text = #"{"a":"# + s + "}"
            let verbatim: Bool? = Array(text.utf8).withUnsafeBytes { buffer in
                let found = FeatureScanner(keys: ["a"]).values(inProperties: buffer, range: 0..<buffer.count)
                guard let value = found?[0] else { return nil }
                var w = JSONWriter()
                w.append(value)
                let feature = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]},\"properties\":\(text)}"
                let scanned = Array(feature.utf8).withUnsafeBytes { scanner.scan($0, at: 0)?.feature.propertiesVerbatim }
                if scanned == true { #expect(String(decoding: w.bytes, as: UTF8.self) == s, "\(s)") }
                return scanned
            }
            if verbatim == true { verbatimCount += 1 }
        }
        #expect(verbatimCount > 2_000)
    }

    /// Damaged texts: whatever the scanner still accepts, the full reader reads the same way.
    @Test func damagedTextsNeverDisagree() {
        let base = Array(#"{"type":"Feature","id":"E1","geometry":{"type":"Point","coordinates":[40.9185,34.4635]},"properties":{"event_date":"2024-01-28","fatalities":3,"tags":["a",1.5],"ok":true,"name":"Abu Kamal"}}"#.utf8)
        var rng = SeededGenerator(seed: 11)
        let alphabet = Array(#"{}[]",:0123456789.-eE tfnul\"#.utf8) + [0x00, 0x1F, 0xC3, 0x80, 0xFF]
        for _ in 0..<5_000 {
            var text = base
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<text.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: text[at] = alphabet.randomElement(using: &rng)!
                case 1: text.remove(at: at)
                default: text.insert(alphabet.randomElement(using: &rng)!, at: at)
                }
            }
            if let string = String(validating: text, as: UTF8.self) {
                check(string)
            } else {
                text.withUnsafeBytes { buffer in
                    if let (scanned, _) = scanner.scan(buffer, at: 0) {
                        Issue.record("accepted invalid UTF-8: \(scanned)")
                    }
                }
            }
        }
    }
}

extension FeatureScannerTests {
    /// String values read sixteen, eight and one byte at a time: a quote, a backslash, a control
    /// byte or a UTF-8 sequence (valid or not) at every offset of strings up to 40 bytes, as a
    /// value (not a key's, which the full parser reads) and inside an array, near the buffer's
    /// end too: read as the full reader reads them, and copied only when the copy is what the
    /// writer writes.
    @Test func stringsAreReadAlikeWhereverTheirStopsFall() {
        let specials: [[UInt8]] = [[0x5C, 0x22], [0x5C, 0x6E], [0x1F], [0x09], [0xC3, 0xA9], [0xE2, 0x80, 0x94], [0xFF], [0xC3], [0x7F]]
        var checked = 0, accepted = 0
        for length in 0...40 {
            for position in 0...length {
                for special in specials + [[]] {
                    var body = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    body.insert(contentsOf: special, at: position)
                    // Invalid UTF-8 cannot be put in a String as it is: the bytes are built.
                    for layout in 0..<2 {
                        var text = Array(#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"notes":"#.utf8)
                        if layout == 1 { text += Array("[".utf8) }
                        text += [0x22] + body + [0x22]
                        text += Array(((layout == 1 ? "]" : "") + "}}").utf8)
                        checked += 1
                        if check(bytes: text) != nil { accepted += 1 }
                    }
                }
            }
        }
        #expect(checked == 17_220)
        // Only texts the full reader takes, without escapes: the plain ones, é, —, DEL.
        #expect(accepted > 7_000)
    }

    /// The name filter never misses a name that is there, and rarely claims one that is not.
    @Test func nameBloomHasNoFalseAbsentsAndFewFalsePresents() throws {
        let names = ["event_id", "event_date", "date_end", "time_precision", "event_type", "sub_event_type", "event_type_reported",
                     "actor1", "actor1_reported", "actor2", "actor_side", "actor_match", "target", "location", "geo_precision",
                     "country", "admin1", "fatalities", "fatality_claims", "sources", "notes", "tags"]
        let properties = "{" + names.map { "\"\($0)\":1" }.joined(separator: ",") + "}"
        let text = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":"# + properties + "}"
        let scanned = try #require(Array(text.utf8).withUnsafeBytes { scanner.scan($0, at: 0)?.feature })
        for name in names { #expect(scanned.nameBloom.mayContain(name), "\(name)") }
        let others = (0..<1_000).map { "added_\($0)" } + ["cluster", "cluster_role", "near_name", "near_kind", "layer", "side"]
        let falsePresents = others.filter { scanned.nameBloom.mayContain($0) }.count
        #expect(falsePresents < others.count / 10, "\(falsePresents) of \(others.count)")
    }
}

extension FeatureScannerTests {
    /// A member inserted after another's value writes what `updateValue(_:forKey:insertingAt:)` gives.
    @Test func insertedMemberLandsWhereTheDictionaryPutsIt() throws {
        let texts = [
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"event_id":"A","event_date":"2024-01-28","fatalities":1}}"#,
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"event_date":"2024-01-28"}}"#,
        ]
        for text in texts {
            try Array(text.utf8).withUnsafeBytes { buffer in
                let scanned = try #require(scanner.scan(buffer, at: 0)?.feature)
                let end = scanned.valueEnds[0]
                #expect(end > 0)
                for added in [[], [("cluster", JSONValue.integer(2))]] {
                    let copy = try #require(PointFeatureText(scanned, in: buffer, adding: added, inserting: (end, "timestamp", "2024-01-28T00:00:00Z")))
                    var expected = scanned.feature(in: buffer)
                    var p = expected.properties!
                    p.updateValue("2024-01-28T00:00:00Z", forKey: "timestamp", insertingAt: p.index(forKey: "event_date")! + 1)
                    for (name, value) in added { p[name] = value }
                    expected.properties = p
                    var fast = JSONWriter(), slow = JSONWriter()
                    GeoJSONEncoder().append(copy, to: &fast)
                    GeoJSONEncoder().append(expected, to: &slow)
                    #expect(String(decoding: fast.bytes, as: UTF8.self) == String(decoding: slow.bytes, as: UTF8.self))
                    #expect(copy.feature == expected)
                }
            }
        }
    }
}

@Suite struct NameBloomHashTests {
    /// The hash of a name read in place (its last partial word loaded with the bytes before it
    /// shifted out) equals the hash of its bytes alone, for every length and position.
    @Test func hashInPlaceEqualsHashOfTheBytes() {
        var rng = SeededGenerator(seed: 5)
        let buffer = (0..<96).map { _ in UInt8.random(in: 0...255, using: &rng) }
        buffer.withUnsafeBytes { bytes in
            var differing: [Range<Int>] = []
            for start in 0..<40 {
                for count in 0...40 {
                    let range = start..<(start + count)
                    if NameBloom.hash(in: bytes, range: range) != NameBloom.hash(UnsafeRawBufferPointer(rebasing: bytes[range])) {
                        differing.append(range)
                    }
                }
            }
            #expect(differing.isEmpty, "\(differing.count) ranges differ, the first \(differing.first.map { "\($0)" } ?? "")")
        }
        #expect(NameBloom.hash("event_date") == Array("event_date".utf8).withUnsafeBytes { NameBloom.hash(in: $0, range: 0..<10) })
    }
}

@Suite struct ScanShapeTests {
    /// What a scan finds, as comparable text.
    static func summary(_ result: (feature: ScannedFeature, end: Int)?) -> String {
        guard let (f, end) = result else { return "not scanned" }
        return "\(f.longitude) \(f.latitude) \(String(describing: f.idRange)) \(String(describing: f.propertiesRange)) \(f.propertiesVerbatim) "
            + "\(f.values) \(f.valueEnds) \(f.valueStarts) \(f.memberCount) \(f.nameBloom.words) \(String(describing: f.textRange)) \(end)"
    }

    /// Features scanned one after another with one shape, each handed back (`recycle`) once
    /// done with: each scan finds what a fresh scan finds, and features kept by the caller keep
    /// their values while the arrays of the others are reused.
    @Test func recycledArraysNeverChangeKeptFeatures() {
        let scanner = FeatureScanner(keys: ["event_date", "fatalities", "date_end"])
        var rng = SeededGenerator(seed: 4)
        let texts: [[UInt8]] = (0..<400).map { i in
            var members: [String] = []
            if Bool.random(using: &rng) { members.append(#""event_date":"2024-0\#(1 + i % 9)-1\#(i % 10)""#) }
            if Bool.random(using: &rng) { members.append(#""fatalities":\#(i)"#) }
            if i % 7 == 0 { members.append(#""date_end":null"#) }
            members.append(#""n":\#(i)"#)
            let properties = "{" + members.shuffled(using: &rng).joined(separator: ",") + "}"
            return Array((#"{"type":"Feature","geometry":{"type":"Point","coordinates":[40.5,34.25]},"properties":"# + properties + "}").utf8)
        }
        var shape = ScanShape()
        var kept: [(Int, ScannedFeature)] = []
        var differing = 0
        for (i, text) in texts.enumerated() {
            text.withUnsafeBytes { buffer in
                guard case (var feature, let end)? = scanner.scan(buffer, at: 0, shape: &shape) else { return differing += 1 }
                if Self.summary((feature, end)) != Self.summary(scanner.scan(buffer, at: 0)) { differing += 1 }
                if i % 3 == 0 { kept.append((i, feature)) }
                shape.recycle(&feature)
            }
        }
        #expect(differing == 0)
        let changed = kept.filter { i, feature in
            texts[i].withUnsafeBytes { buffer in Self.summary((feature, texts[i].count)) != Self.summary(scanner.scan(buffer, at: 0)) }
        }
        #expect(changed.isEmpty, "kept features changed: \(changed.map(\.0).prefix(5))")
        #expect(kept.count == 134)
    }

    /// Scanning features one after another with one `ScanShape` (which remembers the names of
    /// the properties before) finds what scanning each alone finds: for names that repeat,
    /// that extend or shorten a remembered one, differ in one byte, carry escapes, blanks or
    /// non-ASCII bytes, run past a slot's 32 bytes, repeat within a feature, come in another
    /// order, or pass the 48 slots remembered; and for runs of names taken as remembered
    /// (`ScanShape.distinct`) that stop short, go on past the slots known, or are followed by
    /// one of their own names again. With a scanner that parses values and one that locates them.
    @Test(arguments: [true, false]) func aSharedShapeFindsWhatAFreshScanFinds(parsingValues: Bool) {
        let scanner = FeatureScanner(keys: ["event_date", "fatalities", "layer", "a"], parsingValues: parsingValues)
        func feature(_ properties: String) -> String {
            #"{"type":"Feature","id":"E1","geometry":{"type":"Point","coordinates":[40.5,34.25]},"properties":"# + properties + "}"
        }
        let long = String(repeating: "n", count: 32), longer = String(repeating: "n", count: 33)
        let many = (0..<60).map { #""p\#($0)":\#($0)"# }.joined(separator: ",")
        let manyOther = (0..<60).map { #""p\#($0 == 50 ? 51 : $0)":\#($0)"# }.joined(separator: ",")
        var rng = SeededGenerator(seed: 9)
        let properties: [String] = [
            #"{"event_date":"2024-01-02","fatalities":3,"a":1,"b":2}"#,
            #"{"event_date":"2024-01-03","fatalities":4,"a":1,"b":2}"#,
            #"{"event_date":"2024-01-03","fatalities":4,"ab":1,"b":2}"#,
            #"{"event_date":"2024-01-03","fatalities":4,"a":1,"b":2}"#,
            #"{"event_datf":"2024-01-03","fatalitie":4,"a":1,"b":2}"#,
            #"{"event_date":"2024-01-03","fatalities":4,"\u0061":1,"b":2}"#,
            #"{"event_date":"2024-01-03","fatalities":4,"a\"":1,"b":2}"#,
            #"{"event_date":"2024-01-03", "fatalities":4,"a" :1,"b":2}"#,
            #"{"event_date":"2024-01-03","fatalities":4,"a":1,"a":2}"#,
            #"{"fatalities":4,"event_date":"2024-01-03","b":2,"a":1}"#,
            #"{"event_date":"2024-01-03","fatalities":4,"é":1,"b":2}"#,
            #"{"event_date":"2024-01-03","fatalities":4,"\#(long)":1,"\#(longer)":2}"#,
            #"{"event_date":"2024-01-03","fatalities":4,"\#(long)":1,"\#(longer)":2}"#,
            #"{"event_date":"2024-01-03","fatalities":4,"\#(longer)":1,"\#(long)":2}"#,
            "{\(many)}", "{\(many)}", "{\(manyOther)}", "{\(many),\"p0\":1}",
            #"{"layer":"events","event_date":"2024-01-03"}"#,
            #"{"layer":"events","event_date":"2024-01-03"}"#,
            #"{"layer":"events","event_date":"2024-01-03""#,
            #"{"layer":"events","event_date":"2024-01-03"}"#,
            #"{"layer":"events","event_date"#,
            "{}", #"{"a":{"a":1,"a":2}}"#, #"{"a":[1,{"b":2}]}"#, #"{"a":1}"#,
            #"{"a":1,"b":2,"c":3}"#, #"{"a":1,"b":2,"c":3}"#, #"{"a":1,"b":2,"a":3}"#, #"{"a":1,"b":2,"c":3}"#,
            #"{"a":1,"b":2,"c":3,"a":4}"#, #"{"a":1,"b":2,"c":3}"#, #"{"a":1,"b":2}"#, #"{"a":1,"b":2,"c":3,"b":4}"#,
            #"{"a":1,"b":2,"c":3}"#, #"{"a":1,"b" :2,"c":3}"#, #"{"a":1,"b":2,"c":3}"#, #"{"a":1,"b":2,"c" :3,"b":1}"#,
            #"{"a":1,"b":2,"c":3}"#, #"{"a":1,"b":2,"c":3,"d":4,"c":5}"#, #"{"a":1,"b":2,"c":3,"d":4}"#, #"{"a":1,"b":2,"a":3,"d":4}"#,
            #"{"a":1,"b":2,"c":3,"d":4}"#, #"{"a":1,"b":2,"c":3,"d":4}"#, #"{"a":"x","b":"y\"z","c":"é","d":[1,"2"]}"#,
            #"{"a":1,"b":2,"c":3,"d":4}"#, #"{"a":1,"\#(long)":2,"c":3}"#, #"{"a":1,"\#(long)":2,"c":3}"#, #"{"a":1,"\#(long)":2,"c":3,"a":0}"#,
            #"{"a":1,"\#(longer)":2,"c":3}"#, #"{"a":1,"\#(longer)":2,"c":3}"#, #"{"a":1,"\#(longer)":2,"c":3,"c":0}"#,
        ] + (0..<300).map { _ in
            // Names drawn from a few, so that slots are often but not always the same.
            let names = ["event_date", "fatalities", "layer", "a", "ab", "b", "é", "a\\u0062", long, longer]
            let count = Int.random(in: 0...6, using: &rng)
            return "{" + (0..<count).map { i in #""\#(names.randomElement(using: &rng)!)":\#(i)"# }.joined(separator: ",") + "}"
        }
        var shape = ScanShape(), valuesShape = ScanShape()
        var differing: [Int] = [], differingValues: [Int] = []
        for (i, text) in properties.enumerated() {
            let bytes = Array(feature(text).utf8)
            bytes.withUnsafeBytes { buffer in
                if Self.summary(scanner.scan(buffer, at: 0, shape: &shape)) != Self.summary(scanner.scan(buffer, at: 0)) { differing.append(i) }
            }
            // The values of one properties text, with a shape kept from text to text.
            let text = Array(text.utf8)
            text.withUnsafeBytes { buffer in
                let kept = scanner.values(inProperties: buffer, range: 0..<buffer.count, shape: &valuesShape)
                if kept != scanner.values(inProperties: buffer, range: 0..<buffer.count) { differingValues.append(i) }
            }
        }
        #expect(differing.isEmpty, "\(differing.count) features differ, the first: \(differing.first.map { properties[$0] } ?? "")")
        #expect(differingValues.isEmpty, "\(differingValues.count) values differ, the first: \(differingValues.first.map { properties[$0] } ?? "")")
        // A shape made with other keys is not used for these.
        let other = FeatureScanner(keys: ["b"])
        let bytes = Array(feature(#"{"event_date":"2024-01-02","b":2}"#).utf8)
        bytes.withUnsafeBytes { buffer in
            _ = scanner.scan(buffer, at: 0, shape: &shape)
            #expect(Self.summary(other.scan(buffer, at: 0, shape: &shape)) == Self.summary(other.scan(buffer, at: 0)))
        }
        let text = Array(#"{"event_date":"2024-01-02","b":2}"#.utf8)
        text.withUnsafeBytes { buffer in
            _ = scanner.values(inProperties: buffer, range: 0..<buffer.count, shape: &valuesShape)
            let kept = other.values(inProperties: buffer, range: 0..<buffer.count, shape: &valuesShape)
            #expect(kept == other.values(inProperties: buffer, range: 0..<buffer.count))
        }
    }

    /// Layouts that mostly repeat, now and then changed in one place (a name replaced, often
    /// by one already there; one added or dropped; two swapped; a blank before a colon): a
    /// shared shape, whose runs of remembered names skip the check for repeats, finds what a
    /// fresh scan finds, features with a repeated name included.
    @Test(arguments: [true, false]) func layoutsThatMostlyRepeat(parsingValues: Bool) {
        let scanner = FeatureScanner(keys: ["b", "d"], parsingValues: parsingValues)
        let names = ["a", "b", "c", "d", "e", "event_type", "sub_event_type_reported"]
        let values = [#""x""#, "1", "null", #"["u",2]"#, #""é""#, "2.5", #""a\"b""#, "{}"]
        var rng = SeededGenerator(seed: 21)
        var layout = ["a", "b", "c", "d"]
        var shape = ScanShape()
        var differing: [String] = [], repeated = 0
        for _ in 0..<3000 {
            switch Int.random(in: 0..<12, using: &rng) {
            case 0 where !layout.isEmpty: layout[Int.random(in: 0..<layout.count, using: &rng)] = names.randomElement(using: &rng)!
            case 1: layout.append(names.randomElement(using: &rng)!)
            case 2 where !layout.isEmpty: layout.removeLast()
            case 3 where layout.count > 1: layout.swapAt(0, Int.random(in: 1..<layout.count, using: &rng))
            default: break
            }
            if Set(layout).count < layout.count { repeated += 1 }
            let blank = Int.random(in: 0..<20, using: &rng) == 0
            let members = layout.map { name in "\"\(name)\"\(blank ? " " : ""):\(values.randomElement(using: &rng)!)" }
            let text = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[40.5,34.25]},"properties":{"# + members.joined(separator: ",") + "}}"
            Array(text.utf8).withUnsafeBytes { buffer in
                if Self.summary(scanner.scan(buffer, at: 0, shape: &shape)) != Self.summary(scanner.scan(buffer, at: 0)) { differing.append(text) }
            }
        }
        #expect(differing.isEmpty, "\(differing.count) features differ, the first: \(differing.first ?? "")")
        #expect(repeated > 300)
    }
}
