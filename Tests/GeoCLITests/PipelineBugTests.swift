import Foundation
import GeoCore
import Testing

/// The command-line bugs issue 16 names, one test each.
@Suite struct PipelineBugTests {
    static var events: String { get throws { try fixturePath("temporal/windows-events.geojson") } }

    @Test func misspeltCommandSuggestsTheClosest() {
        let run = geo("clster", "events.geojson", "--within", "50km")
        #expect(run.status == 64)
        #expect(run.err.contains("unknown command 'clster'; did you mean 'cluster'?"), "\(run.err)")
        #expect(!run.err.contains("unexpected argument"))
        let far = geo("frobnicate")
        #expect(far.status == 64 && far.err.contains("unknown command 'frobnicate'") && !far.err.contains("did you mean"))
        #expect(geo("help", "cluster").status == 0)
    }

    /// `-o x.shp` used to write GeoJSON under a Shapefile's name; every analysis refuses a name
    /// whose format it cannot write, lists what it writes, and leaves no file.
    @Test(arguments: [
        (["cluster", "--within", "50km"], "clusters.csv"), (["cluster", "--within", "50km"], "x.shp"),
        (["near"], "x.gpkg"), (["corridor", "--border", "IQ-SY"], "x.kml"),
        (["windows", "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "7d"], "x.parquet"),
        (["escalation", "--by", "week"], "esc.png"),
    ])
    func outputNamesTheCommandCannotWriteAreUsageErrors(command: [String], name: String) throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent(name).path
        let run = geo([command[0], try Self.events] + command.dropFirst() + ["-o", out])
        #expect(run.status == 64, "\(run.err)")
        #expect(run.err.contains("cannot write '\(name)': this command writes"), "\(run.err)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Write errors used to vanish in a destructor's `try? close()`: every analysis command
    /// reports a full disk and fails.
    @Test(arguments: [
        ["cluster", "--within", "50km"], ["cluster", "--within", "50km", "--summary"], ["near"],
        ["corridor", "--border", "IQ-SY"], ["corridor", "--border", "IQ-SY", "--format", "text"],
        ["windows", "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "7d"],
        ["windows", "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "7d", "--format", "json"],
        ["escalation", "--by", "week"], ["escalation", "--by", "week", "--format", "csv"],
    ])
    func writeErrorsAreReported(command: [String]) throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let run = geo([command[0], try Self.events] + command.dropFirst() + ["-o", "/dev/full"])
        #expect(run.status != 0, "\(command): \(run.err)")
        #expect(run.err.contains("No space left on device"), "\(command): \(run.err)")
    }

    /// `--format` is typed: a value no command writes is refused by the parser, one this
    /// command does not write names what it does.
    @Test func formatIsTyped() throws {
        let bogus = geo("cluster", try Self.events, "--within", "50km", "--format", "shp")
        #expect(bogus.status == 64 && bogus.err.contains("'shp' is invalid for '--format <format>'"), "\(bogus.err)")
        let other = geo("cluster", try Self.events, "--within", "50km", "--format", "csv")
        #expect(other.status == 64 && other.err.contains("--format csv: this command writes geojson (.geojson), geojsonseq (.geojsons)"), "\(other.err)")
    }
}
