import Foundation
import Testing
@testable import GeoCore
@testable import GeoEvents

/// `--style` on features that go out as text (`SimpleStyle.apply(_: OutgoingFeature)`) writes
/// the bytes that styling the decoded feature writes, keeping the text where nothing in it can
/// change what `apply` does; and the members of a properties text read by its bytes
/// (`PointFeatureText.forEachMember`) are those the parser reads.
@Suite struct StyledTextTests {
    static let style = SimpleStyle(sideCounts: ["militia": 5, "US": 3, "": 2, "Other": 1])

    /// Properties texts, and whether the text is kept (true) or the feature decoded.
    static let texts: [(String, Bool)] = [
        (#"{"event_id":"E1","actor_side":"militia","fatalities":3}"#, true),
        (#"{"actor_side":null,"fatalities":null}"#, true),
        (#"{"event_id":"E2"}"#, true),
        (#"{}"#, true),
        (#"{"actor_side":5,"fatalities":"4"}"#, true),
        (#"{"actor_side":"US","fatalities":12.5}"#, true),
        (#"{"actor_side":"US","fatalities":-1}"#, true),
        (#"{"actor_side":"Other","fatalities":10}"#, true),
        (#"{"actor_side":"unknown","fatalities":0}"#, true),
        (#"{"actor_side":"nobody","fatalities":[1]}"#, true),
        (#"{"fatality_claims":[{"source":"x","killed":2}],"tags":["a,b]","c}"],"actor_side":"militia","fatalities":10}"#, true),
        (#"{"layer":"events","actor_side":"US","fatalities":1}"#, true),
        (#"{"layer":7,"actor_side":"US"}"#, true),
        (#"{"layer":"clusters","actor_side":"US"}"#, false),
        (#"{"layer":"pairs"}"#, false),
        (##"{"marker-color":"#fff","actor_side":"US"}"##, false),
        (#"{"actor_side":"US","marker-size":"large"}"#, false),
        (#"{"actor_side":"US","actor_side":"militia"}"#, false),
        (#"{"fatalities":1,"fatalities":20}"#, false),
        (#"{"notes":"a \"quoted\" word","actor_side":"US"}"#, true),
        (#"{"notes":"ends in a backslash\\","actor_side":"militia","tags":["\"x\"","y\\"]}"#, true),
        (#"{"actor_side":"\"US\"","fatalities":"\\1","tags":["\u0001"]}"#, true),
        (#"{"actor_side":"US\"","notes":"\"actor_side\":\"militia\""}"#, true),
        (#"{"we\"ird":1,"actor_side":"US"}"#, false),
    ]

    /// Added properties, and whether they leave the text kept.
    static let addeds: [(AddedProperties, Bool)] = [
        (.values([]), true),
        (.values([("cluster", .integer(3)), ("cluster_role", .string("core"))]), true),
        (.values([("layer", .string("events")), ("border_km", .double(2.5))]), true),
        (.values([("layer", .string("corridor"))]), false),
        (.values([("fatalities", .integer(40))]), false),
        (.values([("marker-color", .string("#000"))]), false),
    ]

    func written(_ feature: OutgoingFeature) throws -> [UInt8] {
        let sink = MemorySink()
        let writer = GeoJSONSeqWriter(sink: sink, encoder: GeoJSONEncoder(coordinateDecimals: 6))
        try writer.write(feature)
        try writer.finish()
        return sink.bytes
    }

    @Test func styledTextWritesWhatTheStyledFeatureWrites() throws {
        var kept = 0
        for (text, textKept) in Self.texts {
            for (added, addedKept) in Self.addeds {
                for inserted in [nil, "timestamp", "actor_side", "layer"] as [String?] {
                    // Added and inserted names are never the text's own (the readers see to it).
                    func inText(_ name: String) -> Bool { text.contains("\"\(name)\":") }
                    if added.names.contains(where: inText) || inserted.map(inText) == true { continue }
                    let bytes = Array(text.utf8)
                    let id = Array(#""E""#.utf8)
                    try bytes.withUnsafeBytes { properties in
                        try id.withUnsafeBytes { idText in
                            var point = PointFeatureText(idText: idText, longitude: 40.5, latitude: 33.25, propertiesText: properties, added: added)
                            if let inserted, properties.count > 2, !text.contains("[") {
                                // After the first member's value: at its comma, or before the closing brace.
                                let offset = properties.firstIndex(of: UInt8(ascii: ",")) ?? properties.count - 1
                                point.inserted = (offset, inserted, .string(inserted == "layer" ? "clusters" : "2024-01-01T00:00:00Z"))
                            }
                            let owned = OwnedPointFeatureText(idText: id, longitude: 40.5, latitude: 33.25, propertiesText: bytes, added: added)
                            let cases: [(String, OutgoingFeature, String?)] = [("point", .pointText(point), point.inserted?.name),
                                                                               ("owned", .ownedText(owned), nil)]
                            for (kind, outgoing, insertedName) in cases {
                                let styled = Self.style.apply(outgoing)
                                let expected = try written(.feature(Self.style.apply(outgoing.feature)))
                                let got = try written(styled)
                                let what = "\(kind) \(text) + \(added.names), inserted \(insertedName ?? "none")"
                                #expect(got == expected, "\(what): \(String(decoding: got, as: UTF8.self)) | \(String(decoding: expected, as: UTF8.self))")
                                var isText = true
                                if case .feature = styled { isText = false }
                                let shouldKeep = textKept && addedKept && insertedName != "actor_side" && insertedName != "layer"
                                #expect(isText == shouldKeep, "\(what)")
                                if isText { kept += 1 }
                            }
                        }
                    }
                }
            }
        }
        #expect(kept > 100)
    }

    @Test func membersAreThoseTheParserReads() throws {
        for (text, _) in Self.texts where !text.contains(#"we\"ird"#) {
            let bytes = Array(text.utf8)
            var members: [(String, JSONValue)] = []
            let read = bytes.withUnsafeBytes { buffer in
                PointFeatureText.forEachMember(in: buffer) { name, value in
                    members.append((String(decoding: name, as: UTF8.self), (try? JSONParser.parse(buffer: value)) ?? .string("unparsed")))
                }
            }
            #expect(read, "\(text)")
            // The parser keeps the last of a repeated name: compare the members' texts in order.
            let parsed = try JSONParser.parse(bytes)
            var rebuilt = JSONWriter()
            rebuilt.appendByte(UInt8(ascii: "{"))
            for (k, (name, value)) in members.enumerated() {
                if k > 0 { rebuilt.appendByte(UInt8(ascii: ",")) }
                rebuilt.appendString(name)
                rebuilt.appendByte(UInt8(ascii: ":"))
                rebuilt.append(value)
            }
            rebuilt.appendByte(UInt8(ascii: "}"))
            #expect(try JSONParser.parse(rebuilt.bytes) == parsed, "\(text)")
            // (Texts with escapes name no member twice, and their strings may hold colons.)
            let expectedCount = text.contains("\\") ? parsed.objectValue?.count ?? -1 : text.filter { $0 == ":" }.count - (text.contains("killed") ? 2 : 0)
            #expect(members.count == expectedCount, "\(text)")
        }
        for malformed in [#"{"we\"ird":1}"#, #"{"a":"x\"}"#, #"{"a":}"#, #"{"a":1"#, #"["x"]"#, #"{"a" :1}"#, #"{"a":[1}"#, #"{"a":1]}"#, #"{"a":"x}"#, "", "{"] {
            let read = Array(malformed.utf8).withUnsafeBytes { PointFeatureText.forEachMember(in: $0) { _, _ in } }
            #expect(!read, "\(malformed)")
        }
    }

    /// Values found by their names' texts in a verbatim properties text (`MemberPatterns`) are
    /// those the scanner reads member by member, for names at every place, absent, prefixes and
    /// suffixes of others, in values and across the 16-byte steps; the search finds the first
    /// occurrence as a naive one does.
    @Test func valuesByNamePatternsAreTheScannersValues() throws {
        var rng = SeededGenerator(seed: 5)
        let names = ["a", "ab", "actor_side", "side", "fatalities", "notes", "x_y", "tags", "é", "marker-size", "absent", "\"q", "side\\"]
        for round in 0..<400 {
            var members: [String] = []
            for name in names.shuffled(using: &rng) where Bool.random(using: &rng) && name != "absent" && name != "\"q" && name != "side\\" {
                // Verbatim values only (the writer's escapes, no objects), some that look like
                // names, plain or escaped (the last name's text `"side\":` is in one).
                let values = [#""side""#, #""actor_side:""#, "12", "-0.5", "null", "true", #"["a","b"]"#, "[]", #""""#, #""é""#,
                              "[[1,2],[3]]", #""fatalities""#, #""x \"side\":1 \\""#, #"["\"notes\":2","\\\"a\":3"]"#]
                let value = values[Int.random(in: 0..<values.count, using: &rng)]
                members.append("\"\(name)\":\(value)")
            }
            let text = "{" + members.joined(separator: ",") + "}"
            let bytes = Array(("pad" + String(repeating: " ", count: round % 17) + text).utf8)
            let range = (bytes.count - text.utf8.count)..<bytes.count
            let scanner = FeatureScanner(keys: names)
            try bytes.withUnsafeBytes { buffer in
                let scanned = try #require(scanner.values(inProperties: buffer, range: range), "\(text)")
                let found = MemberPatterns(names).values(in: buffer, range: range, empty: scanner.noValues)
                #expect(found == scanned, "\(text)")
            }
        }
        // The search against a naive one, at every offset of a haystack longer than 16 bytes.
        let hay = Array(#"{"ab":"a","abc":1,"b":"ab","c":"abcab","ab":2}xx"ab""#.utf8)
        for needle in ["\"ab", "ab\"", "\"c\":", "ab\",", "abc", "\"ab\":2", "zz", "xx\"a", "{\"ab"].map({ Array($0.utf8) }) {
            for from in 0..<hay.count {
                let slice = Array(hay[from...])
                let naive = slice.count < needle.count ? nil : (0...(slice.count - needle.count)).first { Array(slice[$0..<($0 + needle.count)]) == needle }
                let fast = slice.withUnsafeBytes { s in needle.withUnsafeBytes { MemberPatterns.firstOccurrence(of: $0, in: s) } }
                #expect(fast == naive, "\(String(decoding: needle, as: UTF8.self)) from \(from)")
            }
        }
    }

    /// The members the styler looks for are told apart by their bytes: each of its names is
    /// itself, and other names of the same lengths are none.
    @Test func styledMembersAreKnownByTheirBytes() {
        func number(_ name: String) -> Int? { Array(name.utf8).withUnsafeBytes { SimpleStyle.memberNumber($0) } }
        for (k, name) in SimpleStyle.memberNames.enumerated() { #expect(number(name) == k, "\(name)") }
        for other in ["layeR", "actor_sidE", "fatalitieS", "marker-coloR", "marker-sizE", "actor1", "", "marker-colour"] {
            #expect(number(other) == nil, "\(other)")
        }
    }

    /// A table layer's values read from its rows' texts are its events' values: the same
    /// properties, as the full decoder's events give them, in order and numbered from 0,
    /// whether the table is read again on several threads (in batches, `tableAgainInBatches`)
    /// or on one.
    @Test func tableValuesFromTextAreTheEventsValues() throws {
        let names = ["actor_side", "fatalities", "notes", "event_id", "sources", "geo_precision", "country", "location", "source_note",
                     "match_score", "date_end", "event_type", "absent"]
        var compared = 0
        for (readerName, reader) in try readerVariants() {
            let bytes = TableScannerTests.table(rows: 3_000, problems: false)
            func values(scanning: Bool, threads: Int = 2) throws -> [[JSONValue?]] {
                var options = EventLayerOptions(reader: reader)
                let placing = TableScannerTests.placing(failing: false)
                options.locate = placing.locate
                options.checkGiven = placing.check
                options.threadLocates = { count in (0..<count).map { _ in TableScannerTests.placing(failing: false).locate } }
                options.threadChecksGiven = { count in (0..<count).map { _ in TableScannerTests.placing(failing: false).check } }
                options.scansFeatures = scanning
                options.threads = threads
                options.chunkBytes = 20_000
                // Batches that end inside a worker's rows, carried over to the next round.
                options.featuresPerBatch = 97
                let layer = try EventLayer.read(file: InputFile(name: "t.csv", bytes: bytes), source: "t.csv", options: options)
                var all: [[JSONValue?]] = []
                try layer.forEachValue(of: names) { index, v in
                    #expect(index == all.count)
                    all.append(v)
                }
                #expect(all.count == layer.count)
                return all
            }
            guard let decoded = try? values(scanning: false) else {
                #expect(throws: (any Error).self) { try values(scanning: true) }
                continue
            }
            let scanned = try values(scanning: true)
            #expect(scanned.count > 1_000 && scanned.count == decoded.count, "\(readerName)")
            let differing = zip(scanned, decoded).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            #expect(differing.isEmpty, "\(readerName): rows \(differing.prefix(5)), e.g. \(differing.first.map { "\(scanned[$0]) | \(decoded[$0])" } ?? "")")
            let oneThread = try values(scanning: true, threads: 1)
            #expect(oneThread == scanned, "\(readerName): one thread")
            compared += 1
        }
        #expect(compared >= 2)
    }
}
