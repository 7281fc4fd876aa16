import Foundation
import Testing

@Suite struct TimelineCommandTests {
    /// events → windows pairs → timeline SVG with pairs and tallies; the SVG parses as XML
    /// and holds an arc per attack → response pair.
    @Test func drawsTheFixtureWithPairsAndTallies() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = try fixturePath("temporal/windows-events.geojson")
        let pairs = dir.appendingPathComponent("pairs.geojson").path
        let windows = geo("windows", events, "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "14d", "-o", pairs)
        #expect(windows.status == 0, "\(windows.err)")
        let tallies = dir.appendingPathComponent("tallies.csv").path
        try "date,total,source\n2023-11-30,8,Pentagon\n".write(toFile: tallies, atomically: true, encoding: .utf8)

        let out = dir.appendingPathComponent("timeline.svg").path
        let run = geo("timeline", events, "--by", "month", "--split", "actor_side", "--pairs", pairs, "--tallies", tallies,
                      "--title", "Attacks & strikes", "-o", out)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("months,") && run.err.contains("10 of 10 pairs and 1 of 1 tallies drawn"), "\(run.err)")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        let pairCount = try String(contentsOfFile: pairs, encoding: .utf8).components(separatedBy: "\"attack_id\"").count - 1
        #expect(pairCount == 10)
        #expect(svg.components(separatedBy: "class=\"pair\"").count - 1 == pairCount)
        #expect(svg.contains(">Attacks &amp; strikes</text>") && svg.contains("class=\"tally\""))
        if let check = runProgram("python3", ["-c", "import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])", out]) {
            #expect(check.status == 0, "\(check.output)")
        }
    }

    @Test func refusesOtherFormatsAndBadTalliesWithoutWriting() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = try fixturePath("temporal/windows-events.geojson")
        let pdf = geo("timeline", events, "-o", dir.appendingPathComponent("t.pdf").path)
        #expect(pdf.status == 64 && pdf.err.contains("cannot write 't.pdf': geo timeline writes svg (.svg) and png (.png)"), "\(pdf.err)")
        #expect(geo("timeline", events, "--split", "colour").status == 64)

        let tallies = dir.appendingPathComponent("tallies.csv").path
        try "date,total,source\n2023-11-30,8,Pentagon\n2023-12-01,many,Pentagon\n".write(toFile: tallies, atomically: true, encoding: .utf8)
        let bad = geo("timeline", events, "--tallies", tallies, "-o", dir.appendingPathComponent("t.svg").path)
        #expect(bad.status == 1 && bad.err.contains("tallies.csv: line 3: total 'many' is not a number ≥ 0"), "\(bad.err)")
        let noPairs = geo("timeline", events, "--pairs", events, "-o", dir.appendingPathComponent("t.svg").path)
        #expect(noPairs.status == 1 && noPairs.err.contains("no pairs (features with \"layer\": \"pairs\")"), "\(noPairs.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["tallies.csv"])
    }

    @Test func writesPNGThroughRsvgConvert() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("timeline.png").path
        let run = geo("timeline", try fixturePath("temporal/windows-events.geojson"), "--by", "week", "-o", out)
        guard runProgram("rsvg-convert", ["--version"])?.status == 0 else {
            #expect(run.status == 1 && run.err.contains("librsvg2-bin"), "\(run.err)")
            return
        }
        #expect(run.status == 0, "\(run.err)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }
}
