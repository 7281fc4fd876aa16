import Foundation
import Testing

/// Numeric options out of range are usage errors that name the option, never crashes.
@Suite struct OptionRangeTests {
    static let events = """
        event_id,event_date,event_type,actor_side,location,latitude,longitude,country
        A1,2024-01-28,Air/drone strike,militia,Tower 22,33.32,38.70,JO
        R1,2024-02-02,Air/drone strike,US,al-Qaim,34.37,41.09,IQ

        """

    @Test(arguments: [
        (["windows", "{in}", "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "1e308d"], "--max-lag"),
        (["windows", "{in}", "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "1e12d"], "--max-lag"),
        (["windows", "{in}", "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "14d", "--within", "30000km"], "--within"),
        (["cluster", "{in}", "--within", "1e308km"], "--within"),
        (["cluster", "{in}", "--within", "0x32km"], "--within"),
        (["cluster", "{in}", "--within", "50km", "--time-window", "1e9w"], "--time-window"),
        (["corridor", "{in}", "--border", "IQ-SY", "--width", "20000km"], "--width"),
        (["near", "{in}", "--within", "-5km"], "--within"),
        (["distance", "0,0", "1,1", "--step", "0m"], "--step"),
    ])
    func outOfRangeIsAUsageError(_ template: [String], _ option: String) throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("events.csv").path
        try Self.events.write(toFile: path, atomically: false, encoding: .utf8)
        let run = geo(template.map { $0 == "{in}" ? path : $0 })
        #expect(run.status == 64, "\(template): \(run.err)")
        #expect(run.err.contains(option), "\(run.err)")
    }

    @Test func aTinyStepIsClampedNotACrash() {
        let run = geo("distance", "0,0", "0,179.5", "--format", "geojson", "--step", "1e-300m")
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.components(separatedBy: "],[").count == 10_001, "10,000 segments at most")
    }
}

/// Inputs that used to exit 0 or print internals.
@Suite struct ClearRefusalTests {
    @Test func nanIsNotAPlaceName() {
        let run = geo("distance", "nan,nan", "0,0")
        #expect(run.status == 64 && run.err.contains("not a point"), "\(run.err)")
        #expect(geo("distance", "0x1p5,3", "0,0").status == 64)
    }

    @Test func anUnknownOutputExtensionIsRefused() throws {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("e.csv").path
        try OptionRangeTests.events.write(toFile: input, atomically: false, encoding: .utf8)
        for name in ["x.unknownext", "events.kml"] {  // (.gpkg is written since issue 17)
            let out = dir.appendingPathComponent(name).path
            let run = geo("convert", input, "-o", out)
            #expect(run.status == 64 && run.err.contains("cannot write '\(name)': this command writes geojson (.geojson)"), "\(run.err)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        // A dot in a folder name says nothing about the format.
        let folder = dir.appendingPathComponent("v1.2")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(geo("convert", input, "-o", folder.appendingPathComponent("events").path).status == 0)
    }

    @Test func crossOfOneValueTwiceIsAUsageError() {
        let run = geo("escalation", packageRoot.appendingPathComponent("Notebooks/data/events.csv").path, "--by", "week",
                      "--split", "actor_side", "--cross", "militia,militia")
        #expect(run.status == 64 && run.err.contains("two different values") && !run.err.contains("MarkedTimes"), "\(run.err)")
    }

    @Test func aMissingFileIsNamedOnce() {
        let run = geo("convert", "/nonexistent.csv")
        #expect(run.status == 1)
        #expect(run.err.contains("/nonexistent.csv: no such file") && !run.err.contains("/nonexistent.csv: /nonexistent.csv"), "\(run.err)")
    }
}

@Suite struct LongInputTests {
    /// A pasted 100,000-character "name" answers in seconds in table form (it took 41–52 s) and
    /// is clipped in the table.
    @Test func aHundredThousandCharacterNameIsNotQuadratic() {
        let name = String(repeating: "x", count: 100_000)
        let start = ContinuousClock.now
        let run = geo("geocode", name)
        #expect(run.status == 1)
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(run.out.count < 2_000, "the query is clipped in the table")
    }
}

extension LongInputTests {
    /// A 10 MB header line is not echoed into the error (at most ~200 characters of it).
    @Test func aTenMegabyteLineIsNotEchoed() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("huge.csv").path
        try String(repeating: "a", count: 10_000_000).write(toFile: path, atomically: false, encoding: .utf8)
        let run = geo("convert", path, "-o", dir.appendingPathComponent("o.geojson").path)
        #expect(run.status == 1)
        #expect(run.err.count < 1_000, "\(run.err.count) characters of error")
    }
}

extension ClearRefusalTests {
    @Test func gazetteerOptionTakesAFolder() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("places.csv").path
        try "name\n".write(toFile: file, atomically: false, encoding: .utf8)
        let run = geo("geocode", "Erbil", "--gazetteer", file)
        #expect(run.status == 64 && run.err.contains("--gazetteer takes the folder"), "\(run.err)")
    }
}
