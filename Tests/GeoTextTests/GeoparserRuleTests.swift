import Foundation
import GeoCore
@testable import GeoGazetteer
import GeoProj
@testable import GeoText
import Testing

/// The bundled gazetteer, loaded once for all tests.
let sharedGazetteer: Gazetteer = try! Gazetteer.load(userDirectory: nil)
let sharedParser = Geoparser(gazetteer: sharedGazetteer)

func parse(_ text: String, hints: [String] = []) -> [PlaceMention] {
    sharedParser.parse(text, options: GeoparseOptions(countryHints: hints, explain: true)).mentions
}

/// The document's scalars `start..<end` as a string (offsets are Unicode scalars).
func slice(_ text: String, _ start: Int, _ end: Int) -> String {
    String(String.UnicodeScalarView(Array(text.unicodeScalars)[start..<end]))
}

func mention(_ mentions: [PlaceMention], _ text: String) -> PlaceMention? {
    mentions.first { $0.text == text }
}

@Suite("Geoparse rules")
struct GeoparserRuleTests {
    @Test("datelines: 'BAGHDAD (AP) —' and 'ERBIL, Kurdistan Region -' locate the reporter")
    func datelines() throws {
        let a = parse("BAGHDAD (AP) — Rockets struck a base north of the capital on Sunday, officials said.")
        let baghdad = try #require(mention(a, "BAGHDAD"))
        #expect(baghdad.role == .dateline)
        #expect(baghdad.country == "IQ" && baghdad.start == 0 && baghdad.end == 7)
        let b = parse("Title of the report\n\nERBIL, Kurdistan Region - Drones targeted a base in Hasaka province on Sunday.")
        #expect(mention(b, "ERBIL")?.role == .dateline)
        #expect(mention(b, "Kurdistan Region")?.role == .dateline)
        #expect(mention(b, "Hasaka province")?.role == .place)
        // A capitalised word that starts a sentence is not a dateline.
        let c = parse("Mosul residents fled on Sunday.")
        #expect(c.allSatisfy { $0.role != .dateline })
    }

    @Test("demonyms are country context, not mentions")
    func demonyms() {
        let r = sharedParser.parse("Iraqi officials and Syrian state media said Iranian-backed groups and Kurdish forces clashed.")
        #expect(r.mentions.isEmpty)
        #expect(Set(r.countryFocus.map(\.country)).isSuperset(of: ["IQ", "SY", "IR"]))
        // The context decides a town that shares its name with one abroad.
        #expect(mention(parse("Lebanese troops deployed in Tripoli overnight."), "Tripoli")?.country == "LB")
        #expect(mention(parse("Libyan forces entered Tripoli overnight."), "Tripoli")?.country == "LY")
    }

    @Test("stop words, common words and person titles are not places")
    func stopWords() {
        let m = parse("In March, the National Guard said Victory was near. Mobile phones were cut. Mr Paris said Reading was hard. President Jordan spoke on Monday. Of the five, Hope Union won.")
        #expect(m.isEmpty, "found \(m.map(\.text))")
        // With a kind word, the same word names a place.
        #expect(mention(parse("Rockets hit Victory base near the airport."), "Victory base")?.kind == "base")
    }

    @Test("'N km DIRECTION of X' is placed by the geodesic direct problem, precision 2; the span is the anchor")
    func displaced() throws {
        let m = try #require(mention(parse("A drone hit a truck 20 km east of Mayadin on Monday."), "Mayadin"))
        #expect(m.geoPrecision == 2)
        let relation = try #require(m.relation)
        #expect(relation.text == "20 km east of")
        #expect(relation.distanceMeters == 20_000 && relation.azimuthDegrees == 90)
        let p = try #require(m.position)
        let inverse = try Geodesic.wgs84.inverse(from: relation.anchor, to: p)
        #expect(abs(inverse.distanceMeters - 20_000) < 0.01)
        #expect(abs(inverse.azimuth1Degrees - 90) < 1e-6)
        let north = try #require(mention(parse("Rockets struck a base north of Baghdad."), "Baghdad"))
        #expect(north.relation?.text == "north of")
        #expect(north.geoPrecision == 2 && north.country == "IQ" && north.position == north.relation?.anchor)
        let near = try #require(mention(parse("Airstrikes hit targets near Boukamal."), "Boukamal"))
        #expect(near.relation?.text == "near")
        #expect(near.geoPrecision == 2 && near.id == "geonames:174448")
        let northEast = try #require(parse("Shelling 15 km north-east of Raqqa killed two.").first)
        #expect(northEast.relation?.azimuthDegrees == 45 && northEast.relation?.distanceMeters == 15_000)
    }

    @Test("region phrases and borders are precision 3")
    func regions() throws {
        let m = parse("US strikes in eastern Syria and northern Iraq hit sites along the Iraq–Syria border and the border between Jordan and Syria.")
        #expect(mention(m, "eastern Syria")?.geoPrecision == 3)
        #expect(mention(m, "eastern Syria")?.country == "SY")
        // A region of a country is placed at the region point furthest that way (Syria's
        // governorate capitals: Hasakah or Deir ez-Zor for the east), not at the capital.
        #expect((mention(m, "eastern Syria")?.position?.longitude ?? 0) > 39.5)
        #expect(mention(parse("Clashes in north-eastern Syria."), "north-eastern Syria")?.relation?.azimuthDegrees == 45)
        #expect(mention(m, "northern Iraq")?.geoPrecision == 3)
        let border = try #require(mention(m, "Iraq–Syria border"))
        // A curated border region (Gazetteer/regions.csv) gives the documented point.
        #expect(border.kind == "border" && border.geoPrecision == 3 && border.id == "region:IQ-SY-border")
        #expect(mention(m, "eastern Syria")?.id == "region:SY-east")
        #expect(mention(m, "border between Jordan and Syria")?.id == "border:JO-SY")
    }

    @Test("kind words choose the kind and are part of the mention")
    func kindWords() throws {
        let m = parse("Drones targeted Ain al-Asad air base, the al-Omar oil field and the al-Tanf garrison in Hasaka province and Homs governorate.")
        #expect(mention(m, "Ain al-Asad air base")?.kind == "air_base")
        #expect(mention(m, "Hasaka province")?.kind == "province")
        #expect(mention(m, "Hasaka province")?.geoPrecision == 3)
        #expect(mention(m, "al-Tanf garrison")?.kind == "garrison")
        #expect(m.contains { $0.text.contains("al-Omar") && ($0.kind == "oil_field" || $0.kind == "base") })
    }

    @Test("transliterations and Arabic script find the same place")
    func spellings() {
        for text in ["Fighting near Boukamal.", "Fighting in Albu Kamal.", "Fighting in Al-Bukamal.", "قصف في البوكمال"] {
            #expect(parse(text).last?.id == "geonames:174448", "\(text)")
        }
    }

    @Test("speaker and institution locations are context")
    func context() {
        let m = parse("A Pentagon spokesman in Washington declined to comment; the London-based monitor said otherwise.")
        #expect(mention(m, "Washington")?.role == .context)
        #expect(mention(m, "London")?.role == .context)
    }

    @Test("offsets are Unicode scalars and give back the text")
    func offsets() {
        let text = "🇮🇶 Réunion café — e\u{301}té: strikes in Mosul, then أربيل and Kirkuk's outskirts."
        let m = parse(text)
        #expect(!m.isEmpty)
        for x in m { #expect(slice(text, x.start, x.end) == x.text) }
        #expect(m.contains { $0.text == "Mosul" } && m.contains { $0.text == "Kirkuk" } && m.contains { $0.text == "أربيل" })
    }

    @Test("the tokeniser's keys equal NameNormalizer's for gazetteer names")
    func tokenKeys() {
        var checked = 0
        for (i, e) in sharedGazetteer.entries.enumerated() where i % 7 == 0 {
            for name in [e.name] + sharedGazetteer.aliasesOfEntry(at: i).prefix(3) where !name.contains("'") && !name.contains("’") {
                let scalars = name.unicodeScalars.map(\.value)
                let tokens = scalars.withUnsafeBufferPointer { TextTokens(scalars: $0) }
                let expected = NameNormalizer.key(name)
                guard !expected.isEmpty else { continue }
                #expect(String(decoding: tokens.key(0..<tokens.tokens.count), as: UTF8.self) == expected, "\(name)")
                checked += 1
            }
        }
        #expect(checked > 10_000)
    }

    @Test("the tokeniser's in-line ASCII classes equal the plain classifier's")
    func classifyFastPath() {
        for v in UInt32(0)..<0x300 { #expect(TextTokens.classifyFast(v) == TextTokens.classify(v), "U+\(String(v, radix: 16))") }
    }

    @Test("the focus-share memo of candidate scoring gives the shares the focus gives")
    func shareMemo() {
        var focus = Geoparser.Focus()
        focus.countries = ["SY": 3, "IQ": 1.5, "JO": 0.2]
        focus.admins = [Geoparser.AdminKey(country: "SY", admin1: "09"): 2, Geoparser.AdminKey(country: "IQ", admin1: "01"): 1]
        var memo = Geoparser.ShareMemo()
        for c in ["SY", "SY", "IQ", "XX", "SY", "JO", "JO", "", "IQ"] { #expect(memo.countryShare(c, focus) == focus.countryShare(c), "\(c)") }
        for (c, a) in [("SY", "09"), ("SY", "09"), ("SY", "01"), ("IQ", "01"), ("IQ", "01"), ("IQ", "09"), ("XX", ""), ("SY", "09")] {
            let key = Geoparser.AdminKey(country: c, admin1: a)
            #expect(memo.adminShare(key, focus) == focus.adminShare(key), "\(c) \(a)")
        }
    }

    @Test("exact spellings looked up once per written name are those looked up each time")
    func exactNamesMemo() {
        let text = "Strikes hit Albu Kamal and al-Qaim; later Albu Kamal, AL-QAIM and Al Qaim again. Réunion and Re\u{301}union, Deir ez-Zor and Deir ez-Zor, Mosul, Mosul."
        let scalars = text.unicodeScalars.map(\.value)
        scalars.withUnsafeBufferPointer { buffer in
            var r = Recognizer(gazetteer: sharedGazetteer, lexicon: Lexicon.shared, scalars: buffer, offset: 0, isDocumentStart: true, explain: false)
            r.run()
            #expect(r.spans.count >= 8)
            for s in r.spans where s.forcedCountry == nil && !s.key.isEmpty {
                #expect(s.exact == Recognizer.plainExactlyNamed(sharedGazetteer, s.nameText, key: s.key, ids: s.ids), "\(s.nameText)")
            }
        }
    }

    @Test("parsing a text's scalars gives what parsing the text gives")
    func parseScalars() {
        let texts = ["BAGHDAD (AP) — Rockets hit Ain al-Asad air base 20 km east of Hīt on Sunday; the Iraq–Syria border, Great Britain and Deir ez-Zor.",
                     "🇮🇶 Réunion café — e\u{301}té: strikes in Mosul, then أربيل and Kirkuk's outskirts.", ""]
            + [1, 17, 45].map { String(repeating: "Strikes near Albu Kamal and Qāmishlī, officials in Washington said. ", count: $0) }
        for text in texts {
            for options in [GeoparseOptions(), GeoparseOptions(windowScalars: 1024, explain: true)] {
                #expect(sharedParser.parse(scalars: Array(text.unicodeScalars), options: options) == sharedParser.parse(text, options: options))
            }
        }
    }

    /// The country-alias check makes the key of two words only when it can be an alias: the key
    /// of words `i..<j` starts with the key of word `i` unless word `i` is an article it drops
    /// (or the run has a word without a key, and so no key).
    @Test("the key of a run starts with the key of its first word, unless that word is an article")
    func runKeysStartWithTheFirstWordsKey() {
        var texts = ["Al Britain, al-Anbar and Great Britain; Abu Kamal Albu Kamal Bou Kamal, Deir Ezzor ez-Zor; Ash Sham as-Sham الرقة البوكمال"]
        for (i, e) in sharedGazetteer.entries.enumerated() where i % 97 == 0 {
            texts.append(([e.name] + sharedGazetteer.aliasesOfEntry(at: i).prefix(2)).joined(separator: " El "))
        }
        var checked = 0
        for text in texts {
            let scalars = text.unicodeScalars.map(\.value)
            let tokens = scalars.withUnsafeBufferPointer { TextTokens(scalars: $0) }
            let n = tokens.tokens.count
            for i in 0..<n where !tokens.isArticle(i) {
                let one = tokens.key(i..<(i + 1))
                for j in (i + 2)..<min(n + 1, i + 5) {
                    let key = tokens.key(i..<j)
                    #expect(key.isEmpty || key.starts(with: one), "\(text): words \(i)..<\(j)")
                    checked += 1
                }
            }
        }
        #expect(checked > 1_000)
    }

    @Test("bad input: empty, binary, invalid UTF-8, a long single line, no places")
    func badInput() throws {
        #expect(try sharedParser.parse(bytes: []).warnings == ["the document is empty"])
        #expect(throws: GeoparseInputError.self) { try sharedParser.parse(bytes: [0x47, 0x49, 0x46, 0x00, 0x01]) }
        let invalid = try sharedParser.parse(bytes: Array("Strikes in Mosul ".utf8) + [0xFF, 0xFE] + Array(" and Kirkuk.".utf8))
        #expect(invalid.warnings.count == 1 && invalid.warnings[0].hasPrefix("invalid UTF-8"))
        #expect(invalid.mentions.map(\.text) == ["Mosul", "Kirkuk"])
        #expect(invalid.mentions[1].start == 24)  // U+FFFD per invalid byte, as Python's errors="replace"
        #expect(parse("nothing to see here, only words and numbers 1 2 3.").isEmpty)
        // 1 MB without a space, then 0.9 MB of words on one line: windows keep memory bounded.
        let blob = String(repeating: "x", count: 1_000_000) + " in Mosul"
        let r1 = sharedParser.parse(blob, options: GeoparseOptions(windowScalars: 1 << 16))
        #expect(r1.mentions.map(\.text) == ["Mosul"])
        let words = String(repeating: "Rockets hit Mosul and Kirkuk overnight, officials said. ", count: 15_000)
        let r2 = sharedParser.parse(words, options: GeoparseOptions(windowScalars: 1 << 16))
        #expect(r2.mentions.count == 30_000)
        #expect(r2.mentions.last.map { slice(words, $0.start, $0.end) } == "Kirkuk")
    }
}
