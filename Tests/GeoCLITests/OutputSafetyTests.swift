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

    /// The real executable stopped by a signal while its output is unfinished: the hidden
    /// temporary file is removed, the old output stays, and the exit is by that signal. The run
    /// is held at a known point: after the output's temporary file is made, opening `--rejects`
    /// (a FIFO nobody reads) waits.
    @Test(arguments: [(SIGTERM, "out.geojson"), (SIGINT, "out.csv"), (SIGHUP, "out.geojsons")])
    func signalRemovesTheUnfinishedOutput(_ signal: Int32, _ name: String) throws {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("geo").path
        let binary = FileManager.default.isExecutableFile(atPath: beside) ? beside : packageRoot.appendingPathComponent(".build/debug/geo").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build geo first (scripts/test does)")
        let (dir, path) = try fixture("events.csv")
        let out = dir.appendingPathComponent(name).path
        try "previous result".write(toFile: out, atomically: false, encoding: .utf8)
        let fifo = dir.appendingPathComponent("rejects.fifo").path
        try #require(mkfifo(fifo, 0o600) == 0)
        // Spawned with no signal blocked, as from a shell (a test runner's threads block them).
        let pid = try Self.spawnAsFromAShell(binary, ["convert", path, "-o", out, "--rejects", fifo, "--no-country-check"])
        var temporary: [String] = []
        for _ in 0..<1200 where temporary.isEmpty {  // up to a minute
            temporary = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".\(name).geo-") }
            if temporary.isEmpty { usleep(50_000) }
        }
        #expect(temporary.count == 1, "the run made its temporary output")
        kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        #expect(status & 0x7F == signal, "ended by the signal (wait status \(status))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["events.csv", name, "rejects.fifo"].sorted())
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "previous result")
    }

    /// Starts `binary` with no signal blocked and the default actions, output to /dev/null.
    static func spawnAsFromAShell(_ binary: String, _ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let error = posix_spawn(&pid, binary, &actions, &attributes, argv, environ)
        try #require(error == 0, "posix_spawn: \(error)")
        return pid
    }
}
