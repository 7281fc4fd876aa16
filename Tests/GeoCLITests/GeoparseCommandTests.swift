import Foundation
import GeoCore
import Testing

@Suite("geo geoparse")
struct GeoparseCommandTests {
    @Test("JSON: one object per document, offsets in scalars, the fields of the issue")
    func json() throws {
        let dir = try temporaryDirectory()
        let a = dir.appendingPathComponent("a.txt").path, b = dir.appendingPathComponent("b.txt").path
        try "BAGHDAD (AP) — Rockets hit a base 20 km east of Mayadin, near Boukamal.".write(toFile: a, atomically: true, encoding: .utf8)
        try "Nothing here.".write(toFile: b, atomically: true, encoding: .utf8)
        let run = geo("geoparse", a, b, "--format", "json")
        #expect(run.status == 0, "\(run.err)")
        let docs = try #require(try JSONParser.parse(run.out).arrayValue)
        #expect(docs.count == 2)
        #expect(docs[0]["document"]?.stringValue == a)
        let mentions = try #require(docs[0]["mentions"]?.arrayValue)
        let first = try #require(mentions.first?.objectValue)
        #expect(Array(first.keys.prefix(14)) == ["text", "start", "end", "name", "lat", "lon", "country", "kind", "geo_precision",
                                                  "geonames_id", "id", "score", "role", "alternatives"])
        #expect(first["text"]?.stringValue == "BAGHDAD" && first["role"]?.stringValue == "dateline")
        #expect(first["geonames_id"]?.numberValue == 98182)
        let mayadin = try #require(mentions.first { $0["text"]?.stringValue == "Mayadin" })
        #expect(mayadin["geo_precision"]?.numberValue == 2)
        #expect(mayadin["relation"]?["distance_km"]?.numberValue == 20)
        #expect(docs[1]["mentions"]?.arrayValue?.isEmpty == true)
    }

    @Test("GeoJSON, text, --explain, folders, an empty file")
    func formats() throws {
        let dir = try temporaryDirectory()
        try "Strikes near Boukamal and in Hasaka province.".write(toFile: dir.appendingPathComponent("one.txt").path, atomically: true, encoding: .utf8)
        try "Fighting in Mosul.".write(toFile: dir.appendingPathComponent("two.txt").path, atomically: true, encoding: .utf8)
        try "not read".write(toFile: dir.appendingPathComponent("three.md").path, atomically: true, encoding: .utf8)
        let geojson = geo("geoparse", dir.path, "--format", "geojson")
        #expect(geojson.status == 0, "\(geojson.err)")
        let fc = try JSONParser.parse(geojson.out)
        #expect(fc["features"]?.arrayValue?.count == 3)
        let text = geo("geoparse", dir.path, "--format", "text", "--explain")
        #expect(text.out.contains("Hasaka province") && text.out.contains("chose") && !text.out.contains("three.md"))
        let empty = dir.appendingPathComponent("empty.txt").path
        try Data().write(to: URL(fileURLWithPath: empty))
        let out = dir.appendingPathComponent("out.json").path
        #expect(geo("geoparse", empty, "-o", out).status == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("the document is empty"))
    }

    @Test("a binary or missing file is an error naming it; the other documents are still written")
    func badFiles() throws {
        let dir = try temporaryDirectory()
        let good = dir.appendingPathComponent("good.txt").path, binary = dir.appendingPathComponent("image.txt").path
        try "Rockets hit Erbil.".write(toFile: good, atomically: true, encoding: .utf8)
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x02]).write(to: URL(fileURLWithPath: binary))
        let run = geo("geoparse", good, binary)
        #expect(run.status == 1)
        #expect(run.err.contains("image.txt") && run.err.contains("binary"))
        #expect(run.out.contains("Erbil") && run.out.contains("\"error\""))
        let missing = geo("geoparse", dir.appendingPathComponent("nope.txt").path)
        #expect(missing.status == 1 && missing.err.contains("nope.txt"))
        #expect(geo("geoparse", good, "--country-hint", "Syria").status == 64)
    }

    @Test("a GeoNames dump imported with geo gazetteer import is geoparsed too (places the bundled data lacks)")
    func importedDump() throws {
        let dir = try temporaryDirectory()
        // Two rows in the 19 columns of GeoNames' allCountries.txt: a US state and a small town.
        let rows = [
            ["5165418", "Ohio", "Ohio", "OH,Ohio,State of Ohio", "40.25034", "-83.00018", "A", "ADM1", "US", "", "OH", "", "", "",
             "11467123", "", "", "America/New_York", "2019-04-09"],
            ["4250542", "Licking", "Licking", "", "37.9", "-83.0", "P", "PPL", "US", "", "OH", "", "", "", "1200", "", "", "America/New_York", "2019-04-09"],
        ]
        let dump = dir.appendingPathComponent("US-small.txt").path
        try (rows.map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n").write(toFile: dump, atomically: true, encoding: .utf8)
        let overlay = dir.appendingPathComponent("overlay").path
        #expect(geo("gazetteer", "import", dump, "--gazetteer", overlay).status == 0)
        let text = dir.appendingPathComponent("report.txt").path
        try "Flooding closed roads across Ohio on Monday.".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(!geo("geoparse", text).out.contains("\"Ohio\""))  // the bundled data has no US states
        let run = geo("geoparse", text, "--gazetteer", overlay)
        let mentions = try #require(try JSONParser.parse(run.out).arrayValue?.first?["mentions"]?.arrayValue)
        let ohio = try #require(mentions.first { $0["text"]?.stringValue == "Ohio" })
        #expect(ohio["geonames_id"]?.numberValue == 5165418 && ohio["country"]?.stringValue == "US")
    }
}
