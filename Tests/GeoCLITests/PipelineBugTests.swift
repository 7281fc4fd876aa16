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
        let bogus = geo("cluster", try Self.events, "--within", "50km", "--format", "kml")
        #expect(bogus.status == 64 && bogus.err.contains("'kml' is invalid for '--format <format>'"), "\(bogus.err)")
        // shp is a format (convert writes it since issue 17), not one cluster writes.
        let shp = geo("cluster", try Self.events, "--within", "50km", "--format", "shp")
        #expect(shp.status == 64 && shp.err.contains("--format shp: this command writes geojson (.geojson)"), "\(shp.err)")
        let other = geo("cluster", try Self.events, "--within", "50km", "--format", "csv")
        #expect(other.status == 64 && other.err.contains("--format csv: this command writes geojson (.geojson), geojsonseq (.geojsons)"), "\(other.err)")
    }
}

/// The shape issue 16 asks for, checked on the sources: dependencies point one way down the
/// pipeline, and commands stay short (rules live in the library).
@Suite struct PipelineShapeTests {
    static func sources(_ module: String) throws -> [(name: String, text: String)] {
        let dir = packageRoot.appendingPathComponent("Sources/\(module)")
        let names = try #require(FileManager.default.enumerator(atPath: dir.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        return try names.sorted().map { ($0, try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// Modules a module must not import: what comes later in the pipeline (or beside it).
    @Test(arguments: [
        ("GeoCore", ["GeoEvents", "GeoGazetteer", "GeoLayers", "GeoCLI", "GeoSpatial", "GeoTemporal"]),
        ("GeoEvents", ["GeoGazetteer", "GeoGEOS", "GeoProj", "GeoLayers", "GeoCLI", "GeoSpatial", "GeoTemporal", "GeoLocate"]),
        ("GeoSpatial", ["GeoEvents", "GeoGazetteer", "GeoLayers", "GeoCLI"]),
        ("GeoTemporal", ["GeoEvents", "GeoGazetteer", "GeoLayers", "GeoCLI"]),
        ("GeoLayers", ["GeoCLI", "ArgumentParser"]),
        ("GeoMaps", ["GeoCLI", "ArgumentParser"]),
    ])
    func dependenciesPointOneWay(module: String, forbidden: [String]) throws {
        for (name, text) in try Self.sources(module) {
            for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.contains(" import ") {
                let imported = line.split(separator: " ").last.map(String.init) ?? ""
                #expect(!forbidden.contains(imported), "\(module)/\(name) imports \(imported)")
            }
        }
    }

    @Test func commandFilesStayShort() throws {
        for (name, text) in try Self.sources("GeoCLI") where name.hasSuffix("Command.swift") {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(lines <= 130, "GeoCLI/\(name) has \(lines) lines; move its rules into the library")
        }
    }
}
