import Foundation
import Testing
@testable import GeoCore
@testable import GeoEvents
import GeoGazetteer
import GeoLocate

/// `geo convert` of a GeoJSON input on several threads writes plain features straight from
/// their text (`FeatureTextScanner`); on one thread every feature is decoded into an event and
/// encoded. Both give the same bytes, rejects and counts, for features of every shape.
@Suite struct FeatureTextScannerTests {
    /// Feature `i` of a sequence whose values take every form the decoder reads: texts to
    /// trim, numbers and lists given as text, the vocabulary's wording, ids from the feature,
    /// timestamps of geo's and of others, extras, claims, matches, and (with `problems`) values
    /// the decoder refuses and points outside their country.
    static func feature(_ i: Int, problems: Bool) -> String {
        func pick(_ options: [String], _ k: Int) -> String { options[k % options.count] }
        let day = 1 + i % 28
        var p: [(String, String)] = []
        p.append(("event_id", pick(["\"E\(i)\"", "\" E\(i) \"", "\"\"", "null", "42", "\"E\(i)\"", #""E\"\#(i)""#], i)))
        p.append(("event_date", pick(["\"2024-0\(1 + i % 9)-\(day < 10 ? "0" : "")\(day)\"", "\"March 2024\"", "\" 2024-02-03 \"",
                                      "\"\(day)/0\(1 + i % 9)/2024\"", "\"2024-05-06\"", #""2024-05-06\n""#], i / 2)))
        p.append(("date_end", pick(["null", "null", "\"2024-10-01\""], i / 3)))
        switch i % 7 {
        case 0: p.append(("timestamp", "\"2024-01-05T00:00:00Z\""))
        case 1: p.append(("timestamp", "null"))
        case 2: p.append(("timestamp", "1700000000"))  // another's: kept where it is
        case 3: p.append(("timestamp", "\"other\""))
        case 4: p.append(("timestamp", #""2024-01-05T00:00:00Z\n""#))
        default: break
        }
        p.append(("time_precision", pick(["1", "\"2\"", "null", "1", "3"], i / 5)))
        p.append(contentsOf: [("event_type", "\"Explosions/Remote violence\""), ("sub_event_type", "\"Air/drone strike\"")])
        switch i % 6 {
        case 1: p[p.count - 2].1 = "\"Battles\""; p[p.count - 1].1 = "\"Armed clash\""
        case 2: p[p.count - 2].1 = "\"air strike\""; p[p.count - 1].1 = "null"  // the vocabulary's wording
        case 3: p[p.count - 2].1 = "\" Battles \""; p[p.count - 1].1 = "\"\""
        default: break
        }
        p.append(("event_type_reported", pick(["null", "\"strike\""], i / 4)))
        p.append(("actor1", pick(["\"Islamic Resistance in Iraq\"", "\" kataib hezbollah \"", "\"US forces\"", "\"A\(i % 3)\"", "null", "7",
                                  #""\tkataib hezbollah""#], i)))
        p.append(("actor1_reported", "null"))
        p.append(("actor2", pick(["null", "\"B\"", "\"\""], i / 2)))
        p.append(("actor_side", pick(["null", "\"militia\"", "null", "\"us\""], i / 3)))
        p.append(("actor_match", "null"))
        p.append(("target", pick(["\"US forces\"", "null", "\"\u{00A0}base\""], i)))
        p.append(("location", pick(["\"Place \(i % 40)\"", "\"Dayr az Zawr — دير الزور\"", "\"  padded\"", "12", #""Place \"X\"""#], i / 2)))
        if i % 11 == 5 { p.append(("latitude", "\"abc\"")) }  // the geometry's point is the event's
        p.append(("geo_precision", pick(["null", "2", "\"3\"", "null"], i / 3)))
        p.append(("country", pick(["\"IQ\"", "\"SY\"", "\"Iraq\"", "\"iq\"", "\"\"", "null"], i)))
        p.append(("admin1", pick(["null", "\"Anbar\""], i / 5)))
        p.append(("fatalities", pick(["0", "3", "null", "\"4\"", "\" 5 \"", "12"], i / 2)))
        p.append(("fatality_claims", pick(["[]", "null", "[]", "\"[]\"", "[{\"source\":\"x\",\"killed\":2}]"], i / 4)))
        p.append(("sources", pick(["[\"https://example.org/r\(i)\"]", "[]", "[\"a\",\"\"]", "[\" s \"]", "\"a; b\"", "null", "[\"x\",\"y\"]", "[1]", "[\"a, b\"]", "[\"x;y\"]",
                                   #"["a \"b\"","c\\"]"#, #"["\n"]"#], i)))
        p.append(("notes", pick(["\"generated row\"", "\"\"", "\"quoted \\\"note\\\"\"", "null", "\"ends \"", #""\"lead""#, #""trail\n""#,
                                 #""tab\there""#, #""back\\""#, #""\u0001""#], i / 3)))
        if i % 5 != 4 { p.append(("tags", pick(["[]", "[\"t1\"]", "[[\"nested\"]]"], i / 5))) }
        if i % 10 == 3 { p.append(contentsOf: [("match_name", "\"Erbil\""), ("match_score", "0.9")]) }
        if i % 10 == 7 { p.append(("match_name", "\"\"")) }
        if i % 13 == 6 { p.append(("source_note", "\"extra\"")) }
        // Properties of the input's own, of every kind, which a CSV writes in columns of their own.
        if i % 3 == 1 { p.append(("score", pick(["1.5", "null", "true", "[1,\"a\"]", "\"x, y\"", "\" pad \"", "12", "1e3", "\"\""], i / 3))) }
        if i % 4 == 2 { p.append(("layer", pick(["\"events\"", "\"a \\\"b\\\"\"", "-0"], i / 4))) }
        // ACLED's own columns and spelling of the country, which ACLED's layout writes.
        if i % 7 == 2 { p.append(("country_name", pick(["\"Syria\"", "null", "7", "\" Iraq \"", "\"\""], i / 7))) }
        if i % 9 == 4 { p.append(("inter1", pick(["3", "\"3\"", "null", "1.5"], i / 9))) }
        if i % 8 == 1 { p.append(("admin2", pick(["\"Al Mayadin\"", "\" Hit \"", "[1]"], i / 8))) }
        if problems {
            switch i % 23 {
            case 1: p[1].1 = "\"31/02/2024\""
            case 2: p[1].1 = "null"
            case 3: p.append(("time_precision", "9"))  // a repeated name: the decoder's
            case 4: p = p.map { $0.0 == "event_type" ? ($0.0, "\"Bombing\"") : $0 }
            case 5: p = p.map { $0.0 == "geo_precision" ? ($0.0, "7") : $0 }
            case 6: p = p.map { $0.0 == "country" ? ($0.0, "\"Atlantis\"") : $0 }
            case 7: p = p.map { $0.0 == "fatalities" ? ($0.0, "-1") : $0 }
            case 8: p = p.map { $0.0 == "fatalities" ? ($0.0, "2.5") : $0 }
            case 9: p = p.map { $0.0 == "date_end" ? ($0.0, "\"2023-01-01\"") : $0 }
            case 10: p = p.map { $0.0 == "fatality_claims" ? ($0.0, "\"garbage\"") : $0 }
            default: break
            }
        }
        let properties = "{" + p.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        // Iraqi and Syrian points; with `problems`, some Syrian ones lie far inside Iraq or are swapped.
        var (lon, lat) = (40 + Double(i % 37) / 10, 33 + Double(i % 40) / 10)
        if problems, i % 17 == 4 { (lon, lat) = (lat, lon) }
        if problems, i % 19 == 2 { (lon, lat) = (45.5, 32.5) }
        let id = pick(["", ",\"id\":\"F\(i)\"", ",\"id\":\(i)", ""], i / 6)
        return "{\"type\":\"Feature\"\(id),\"geometry\":{\"type\":\"Point\",\"coordinates\":[\(lon),\(lat)]},\"properties\":\(properties)}"
    }

    static func sequence(features: Int, problems: Bool, separators: Bool) -> String {
        (0..<features).map { (separators ? "\u{1E}" : "") + feature($0, problems: problems) + "\n" }.joined()
    }

    @Test(arguments: [(EventOutputKind.geojson, false), (.geojsonseq, false), (.csv, false), (.acled, false), (.geojsonseq, true)])
    func featureTextEqualsFullDecoding(kind: EventOutputKind, styled: Bool) throws {
        let g = try Gazetteer.load(userDirectory: nil)
        let locator = EventLocator(gazetteer: { g })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("feature-text-\(getpid())-\(kind)-\(styled)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let inputs = [("good.geojsons", Self.sequence(features: 600, problems: false, separators: true)),
                      ("mixed.geojsonl", Self.sequence(features: 600, problems: true, separators: false))]
        for (name, text) in inputs { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        for (readerName, reader) in try readerVariants() {
            for (name, _) in inputs {
                for timestamp in [EventTimestamp.iso, .epochMilliseconds, .none] {
                    func convert(threads: Int, chunkBytes: Int) throws -> (String, String, EventConversion.Counts) {
                        let conversion = try EventConversion(inputs: [folder + "/" + name], reader: reader, locator: locator)
                        let out = MemorySink(), rejected = MemorySink()
                        let style = styled ? SimpleStyle(sideCounts: try conversion.sideCounts()) : nil
                        let writer = try EventWriter(kind: kind, sink: out, extraColumns: try conversion.extraColumns(),
                                                     countryName: EventConversionTests.countryNames, timestamp: timestamp, style: style)
                        let counts = try conversion.run(writer: writer, rejects: try RejectsWriter(sink: rejected), threads: threads,
                                                        chunkBytes: chunkBytes)
                        try writer.finish()
                        return (out.text, rejected.text, counts)
                    }
                    let one = try convert(threads: 1, chunkBytes: 1 << 20)
                    #expect(one.2.written > 100 && (one.2.rejected > 0 || !name.hasPrefix("mixed")), "\(name), \(readerName): \(one.2)")
                    for (threads, chunkBytes) in [(2, 1), (3, 5_000)] {
                        let many = try convert(threads: threads, chunkBytes: chunkBytes)
                        let what = "\(name), \(readerName), timestamp \(timestamp), \(threads) threads, chunks of \(chunkBytes) B"
                        // Compared as Bools, the first differing line named: the outputs are too long to print.
                        let sameOutput = many.0 == one.0, sameRejects = many.1 == one.1
                        #expect(sameOutput, "\(what): \(sameOutput ? "" : Self.firstDifference(many.0, one.0))")
                        #expect(sameRejects, "\(what): \(sameRejects ? "" : Self.firstDifference(many.1, one.1))")
                        #expect(many.2 == one.2, "\(what)")
                    }
                }
            }
        }
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let (x, y) = (a.split(separator: "\n", omittingEmptySubsequences: false), b.split(separator: "\n", omittingEmptySubsequences: false))
        let k = zip(x, y).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(x.count, y.count)
        return "line \(k + 1) of \(x.count) and \(y.count): \(k < x.count ? x[k].prefix(400) : "(end)") | \(k < y.count ? y[k].prefix(400) : "(end)")"
    }

    /// The text route is taken: by every feature geo wrote itself, and by the plain ones among
    /// features of every shape (else the comparison above would compare the full path with itself).
    @Test func scannerTakesThePlainFeatures() throws {
        let reader = try readerWithCountryNames()
        /// Features taken and read, and those taken with properties of their own.
        func taken(_ text: String) -> (taken: Int, features: Int, withExtras: Int) {
            var scanner = FeatureTextScanner(decoder: reader.decoder, timestamp: .iso)
            var counts = (0, 0, 0)
            let bytes = Array(text.utf8)
            bytes.withUnsafeBytes { buffer in
                var shape = ScanShape()
                var offset = 0
                while offset < buffer.count {
                    let end = buffer[offset...].firstIndex(of: UInt8(ascii: "\n"))!
                    if buffer[offset] == 0x1E { offset += 1 }
                    counts.1 += 1
                    if let (feature, _) = EventReader.plainFeatures.scan(UnsafeRawBufferPointer(start: buffer.baseAddress, count: end), at: offset,
                                                                        shape: &shape),
                       scanner.text(feature, in: buffer) != nil {
                        counts.0 += 1
                        if Self.hasExtras(String(decoding: buffer[offset..<end], as: UTF8.self)) { counts.2 += 1 }
                    }
                    offset = end + 1
                }
            }
            return counts
        }
        let varied = taken(Self.sequence(features: 2_000, problems: false, separators: false))
        #expect(varied.features == 2_000 && varied.taken > 250 && varied.taken < 1_600, "\(varied)")
        // The same features as geo writes them: all plain.
        let out = MemorySink()
        let writer = try EventWriter(kind: .geojsonseq, sink: out)
        try Array(Self.sequence(features: 2_000, problems: false, separators: true).utf8).withUnsafeBytes { buffer in
            try reader.forEachRow(in: buffer, source: "varied.geojsons") { row in
                if case .success(let event) = row.result { try writer.write(event) }
            }
        }
        try writer.finish()
        let own = taken(out.text)
        // All but those with claims, a match or an id with an escape (the scanner's `id` has
        // none); properties of their own (an input's own timestamp among them) are copied, and
        // escapes anywhere else are the writer's own.
        let plain = out.text.split(separator: "\n").filter { line in
            !["\"fatality_claims\":[{", "\"match_name\"", #""id":"E\""#].contains { line.contains($0) }
        }.count
        #expect(own.features > 1_000 && plain > 250 && own.taken == plain && own.withExtras > 200, "\(own), \(plain) plain, \(varied)")
        // A CSV line is written from the text of features with properties of their own too, and
        // a line of ACLED's layout (which writes some of them).
        var scanner = FeatureTextScanner(decoder: reader.decoder, timestamp: .none)
        var acled = FeatureTextScanner(decoder: reader.decoder, timestamp: .none)
        var (lines, withExtras, acledLines) = (0, 0, 0)
        Array(out.text.utf8).withUnsafeBytes { buffer in
            var shape = ScanShape()
            var offset = 0
            while offset < buffer.count {
                let end = buffer[offset...].firstIndex(of: UInt8(ascii: "\n"))!
                if buffer[offset] == 0x1E { offset += 1 }
                if let (feature, _) = EventReader.plainFeatures.scan(UnsafeRawBufferPointer(start: buffer.baseAddress, count: end), at: offset,
                                                                    shape: &shape),
                   scanner.csvLine(feature, in: buffer, extraColumns: ["source_note", "timestamp", "score", "layer", "country_name", "inter1", "admin2"]) != nil {
                    lines += 1
                    if Self.hasExtras(String(decoding: buffer[offset..<end], as: UTF8.self)) { withExtras += 1 }
                }
                if let (feature, _) = EventReader.plainFeatures.scan(UnsafeRawBufferPointer(start: buffer.baseAddress, count: end), at: offset,
                                                                    shape: &shape),
                   acled.acledLine(feature, in: buffer, countryName: { _ in nil }) != nil {
                    acledLines += 1
                }
                offset = end + 1
            }
        }
        #expect(lines == own.taken && withExtras == own.withExtras && acledLines == own.taken,
                "\(lines) lines, \(withExtras) with extras, \(acledLines) ACLED lines, \(own) as text")
    }

    /// Whether a feature's line has properties of its own (`feature(_:problems:)`'s).
    static func hasExtras(_ line: String) -> Bool {
        ["\"score\"", "\"source_note\"", "\"timestamp\":1", "\"layer\"", "\"country_name\"", "\"inter1\"", "\"admin2\""].contains { line.contains($0) }
    }
}
