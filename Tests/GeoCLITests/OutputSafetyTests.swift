import Foundation
import GeoCore
import Testing

/// No command overwrites its input, and a failed run leaves an existing output as it was.
@Suite struct OutputSafetyTests {
    static let csv = """
        event_id,event_date,event_type,actor_side,location,latitude,longitude,country
        A1,2024-01-28,Air/drone strike,militia,Tower 22,33.32,38.70,JO
        R1,2024-02-02,Air/drone strike,US,al-Qaim,34.37,41.09,IQ

        """

    func fixture(_ name: String, _ text: String = csv) throws -> (dir: URL, path: String) {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return (dir, path)
    }

    @Test(arguments: [
        ["convert", "{in}", "-o", "{in}"],
        ["convert", "{in}", "-o", "{dir}/out.geojson", "--rejects", "{in}"],
        ["cluster", "{in}", "--within", "50km", "-o", "{in}"],
        ["corridor", "{in}", "--border", "IQ-SY", "-o", "{in}"],
        ["near", "{in}", "-o", "{in}"],
        ["windows", "{in}", "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "14d", "-o", "{in}"],
        ["escalation", "{in}", "--by", "week", "-o", "{in}"],
        ["geocode", "--in", "{in}", "--column", "location", "-o", "{in}"],
        ["convert", "{in}", "-o", "{dir}/link.csv"],
        ["convert", "{dir}/../{base}/events.csv", "-o", "{in}"],
    ])
    func outputNamingAnInputIsRefused(_ template: [String]) throws {
        let (dir, path) = try fixture("events.csv")
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.csv").path, withDestinationPath: "events.csv")
        let arguments = template.map {
            $0.replacingOccurrences(of: "{in}", with: path).replacingOccurrences(of: "{dir}", with: dir.path)
                .replacingOccurrences(of: "{base}", with: dir.lastPathComponent)
        }
        let run = geo(arguments)
        #expect(run.status == 64, "\(arguments): \(run.err)")
        #expect(run.err.contains("is also an input") || run.err.contains("name the same file"), "\(run.err)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.csv, "input untouched")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.geojson").path))
    }

    @Test func rejectsAndOutputNamingOneFileAreRefused() throws {
        let (dir, path) = try fixture("events.csv")
        let out = dir.appendingPathComponent("out.csv").path
        let run = geo("convert", path, "-o", out, "--rejects", dir.path + "/./out.csv")
        #expect(run.status == 64)
        #expect(run.err.contains("name the same file"), "\(run.err)")
    }

    @Test func failedRunLeavesTheOldOutputAndNoTemporaryFile() throws {
        let (dir, bad) = try fixture("bad.csv", "no,date,here\n1,2,3\n")
        let out = dir.appendingPathComponent("out.geojson").path
        try "previous result".write(toFile: out, atomically: false, encoding: .utf8)
        for arguments in [["convert", bad, "-o", out], ["cluster", bad, "--within", "5km", "-o", out],
                          ["escalation", bad, "--by", "day", "-o", out]] {
            let run = geo(arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(try String(contentsOfFile: out, encoding: .utf8) == "previous result", "\(arguments)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names == ["bad.csv", "out.geojson"])
    }

    @Test func successfulRunReplacesTheOutput() throws {
        let (dir, path) = try fixture("events.csv")
        let out = dir.appendingPathComponent("out.geojson").path
        try "previous result".write(toFile: out, atomically: false, encoding: .utf8)
        let run = geo("cluster", path, "--within", "50km", "-o", out)
        #expect(run.status == 0, "\(run.err)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasPrefix("{\"type\":\"FeatureCollection\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["events.csv", "out.geojson"])
    }

    @Test func convertWithRejectsKeepsTheRowsThatWereFine() throws {
        let (dir, path) = try fixture("events.csv", Self.csv + "X1,2024-13-45,Air/drone strike,US,al-Qaim,34.37,41.09,IQ\n")
        let out = dir.appendingPathComponent("out.csv").path
        let rejects = dir.appendingPathComponent("rejects.csv").path
        let run = geo("convert", path, "-o", out, "--rejects", rejects)
        #expect(run.status == 1)
        #expect(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count == 3)
        #expect(try String(contentsOfFile: rejects, encoding: .utf8).contains("impossible_date"))
    }
}
