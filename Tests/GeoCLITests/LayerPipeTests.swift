import Foundation
import GeoCore
import Testing

/// One command's multi-layer output read by the next (`geo corridor … -o - | geo near -`).
@Suite struct LayerPipeTests {
    /// Three events near the Iraq–Syria border and one far away, corridor output written to a file.
    static func corridorOutput() throws -> (path: String, events: Int) {
        let events = try SpatialCommandTests.layer([
            ("Albu Kamal", 40.91854, 34.45226, "2024-01-20"), ("al-Qaim", 40.98945, 34.39251, "2024-01-21"),
            ("crossing", 40.977, 34.3975, nil), ("Erbil", 44.00943, 36.19117, "2024-01-22"),
        ])
        let out = try temporaryDirectory().appendingPathComponent("corridor.geojson").path
        let run = geo("corridor", events, "--border", "IQ-SY", "-o", out)
        #expect(run.status == 0, "\(run.err)")
        return (out, 4)
    }

    /// The bug: near failed on corridor output (its border line and corridor polygon are not
    /// points), with a hint to run `geo convert`. Near reads the events layer and says what it skipped.
    @Test func corridorOutputPipesIntoNear() throws {
        let (path, count) = try Self.corridorOutput()
        let run = geo("near", path)
        #expect(run.status == 0, "\(run.err)")
        let features = try SpatialCommandTests.features(run)
        #expect(features.count == count)
        #expect(features.allSatisfy { $0["layer"]?.stringValue == "events" && $0["near_name"]?.stringValue != nil })
        #expect(features.map { $0["name"]?.stringValue } == ["Albu Kamal", "al-Qaim", "crossing", "Erbil"])
        #expect(run.err == "\(path): read 4 features of layer events; skipped 1 of layer border, 1 of layer corridor\n")
        // Corridor output as written to standard output, read by near as events and as sites.
        let corridor = geo("corridor", try SpatialCommandTests.layer([("Albu Kamal", 40.91854, 34.45226, nil)]), "--border", "IQ-SY")
        let piped = try temporaryDirectory().appendingPathComponent("piped.geojson").path
        try corridor.out.write(toFile: piped, atomically: true, encoding: .utf8)
        let fromFile = geo("near", piped, "--to", path)
        #expect(fromFile.status == 0, "\(fromFile.err)")
        #expect(try SpatialCommandTests.features(fromFile).first?["near_name"]?.stringValue == "Albu Kamal")
        #expect(fromFile.err.components(separatedBy: "skipped 1 of layer border, 1 of layer corridor").count == 3, "both inputs: \(fromFile.err)")
    }

    /// `--layer border` picks the border line, which is not points: the error names the feature
    /// and why, and does not send the user to `geo convert`.
    @Test func nearOnTheBorderLayerIsAClearError() throws {
        let (path, count) = try Self.corridorOutput()
        let run = geo("near", path, "--layer", "border")
        #expect(run.status == 1)
        #expect(run.out.isEmpty)
        #expect(run.err.contains("\(path): feature \(count): not_a_point: geometry is a LineString; an event layer needs Point geometries"), "\(run.err)")
        #expect(run.err.contains("layer 'border'"), "\(run.err)")
        #expect(!run.err.contains("geo convert"), "\(run.err)")
        // A layer the file does not have.
        let missing = geo("near", path, "--layer", "pairs")
        #expect(missing.status == 1 && missing.err.contains("no feature of layer 'pairs'; the file's layers: events, border, corridor"), "\(missing.err)")
    }

    /// The json and text summaries go to -o files like the GeoJSON (committed when the run ends).
    @Test func corridorSummariesToFiles() throws {
        let events = try SpatialCommandTests.layer([("Albu Kamal", 40.91854, 34.45226, "2024-01-20"), ("al-Qaim", 40.98945, 34.39251, "2024-01-21")])
        let dir = try temporaryDirectory()
        let json = dir.appendingPathComponent("summary.json").path, text = dir.appendingPathComponent("summary.txt").path
        #expect(geo("corridor", events, "--border", "IQ-SY", "-o", json).status == 0)
        #expect(geo("corridor", events, "--border", "IQ-SY", "-o", text).status == 0)
        let summary = try JSONParser.parse(String(contentsOfFile: json, encoding: .utf8))
        #expect(summary["in_corridor"]?.numberValue == 2)
        let lines = try String(contentsOfFile: text, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3 && lines[1] == "2 of 2 events in the corridor", "\(lines)")
    }
}
