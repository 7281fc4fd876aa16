import Foundation
import GeoCore
import Testing

@Suite("geo extract")
struct ExtractCommandTests {
    @Test("events in the event model, readable by geo convert; evidence, date phrase and link kept")
    func eventsRoundTrip() throws {
        let dir = try temporaryDirectory()
        let report = dir.appendingPathComponent("r.txt").path
        try """
            Date: 2019-12-30
            URL: https://example.org/r

            A rocket attack hit a base near Kirkuk on Friday, killing a US contractor.
            US warplanes carried out airstrikes near al-Qaim yesterday in retaliation for the rocket attack on Kirkuk, killing at least 25 fighters, militia officials said.
            """.write(toFile: report, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("e.geojson").path
        let run = geo("extract", report, "-o", out)
        #expect(run.status == 0, "\(run.err)")
        let fc = try JSONParser.parse(try String(contentsOfFile: out, encoding: .utf8))
        let features = try #require(fc["features"]?.arrayValue)
        #expect(features.count == 2)
        let strike = try #require(features.first { $0["properties"]?["sub_event_type"]?.stringValue == "Air/drone strike" })
        #expect(strike["properties"]?["event_date"]?.stringValue == "2019-12-29")
        #expect(strike["properties"]?["fatalities"]?.numberValue == 25)
        #expect(strike["properties"]?["answers"]?.stringValue == "r-1")
        #expect(strike["properties"]?["evidence"]?.arrayValue?.first?["start"] != nil)
        #expect(strike["properties"]?["sources"]?.arrayValue?.contains(.string("https://example.org/r")) == true)
        let csv = dir.appendingPathComponent("e.csv").path
        let convert = geo("convert", out, "-o", csv)
        #expect(convert.status == 0, "\(convert.err)")
    }

    @Test("the same event in two reports of one run is written once with both sources; --keep-duplicates writes each")
    func duplicatesAcrossReports() throws {
        let dir = try temporaryDirectory()
        let a = dir.appendingPathComponent("a.txt").path, b = dir.appendingPathComponent("b.txt").path
        try "Date: 2023-03-24\n\nAn airstrike hit Deir ez-Zor on Thursday, killing eight militants, the Pentagon said.".write(toFile: a, atomically: true, encoding: .utf8)
        try "Date: 2023-03-25\n\nAn air strike on Deir ez-Zor on Thursday killed 19 people, SOHR said.".write(toFile: b, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("e.geojson").path
        let run = geo("extract", a, b, "-o", out)
        #expect(run.status == 0, "\(run.err)")
        let features = try #require(try JSONParser.parse(try String(contentsOfFile: out, encoding: .utf8))["features"]?.arrayValue)
        #expect(features.count == 1)
        let p = features.first?["properties"]
        #expect(p?["sources"]?.arrayValue?.count == 2)
        #expect(p?["fatalities"]?.numberValue == 8)
        #expect(p?["merged_ids"]?.arrayValue?.count == 1)
        let kept = dir.appendingPathComponent("k.geojson").path
        #expect(geo("extract", a, b, "--keep-duplicates", "-o", kept).status == 0)
        #expect(try JSONParser.parse(try String(contentsOfFile: kept, encoding: .utf8))["features"]?.arrayValue?.count == 2)
    }

    @Test("empty, binary and undated reports: clear messages naming the file, rejects written, no crash")
    func badInput() throws {
        let dir = try temporaryDirectory()
        let empty = dir.appendingPathComponent("empty.txt").path
        try Data().write(to: URL(fileURLWithPath: empty))
        let binary = dir.appendingPathComponent("bin.txt").path
        try Data([0x41, 0x00, 0x42]).write(to: URL(fileURLWithPath: binary))
        let undated = dir.appendingPathComponent("undated.txt").path
        try "A drone attack hit Mosul on Sunday.".write(toFile: undated, atomically: true, encoding: .utf8)
        let rejects = dir.appendingPathComponent("rejects.csv").path
        let run = geo("extract", empty, binary, undated, "--rejects", rejects, "-o", dir.appendingPathComponent("o.csv").path)
        #expect(run.status == 1)
        #expect(run.err.contains("empty.txt") && run.err.contains("bin.txt") && run.err.contains("binary"))
        let rejected = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(rejected.contains("missing_date") && rejected.contains("undated.txt"))
        let dated = geo("extract", undated, "--published", "2024-01-09", "-o", dir.appendingPathComponent("d.csv").path)
        #expect(dated.status == 0, "\(dated.err)")
        #expect(try String(contentsOfFile: dir.appendingPathComponent("d.csv").path, encoding: .utf8).contains("2024-01-07"))
        #expect(geo("extract", undated, "--published", "yesterday").status != 0)
    }
}
