import Foundation
import GeoCore
import Testing

/// `AtomicFileSink`: a file is replaced whole on commit, or not at all.
@Suite struct AtomicFileSinkTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("geo-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func names(_ url: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }

    @Test func commitReplacesTheFileWhole() throws {
        let dir = try folder()
        let path = dir.appendingPathComponent("out.csv").path
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        let sink = try AtomicFileSink(replacing: path)
        try sink.write("new\n")
        try sink.flush()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n", "nothing visible before commit")
        try sink.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        #expect(try names(dir) == ["out.csv"], "no temporary file left")
    }

    @Test func discardAndDeinitLeaveTheFileAsItWas() throws {
        let dir = try folder()
        let path = dir.appendingPathComponent("out.geojson").path
        try "keep".write(toFile: path, atomically: false, encoding: .utf8)
        do {
            let sink = try AtomicFileSink(replacing: path)
            try sink.write(Array(repeating: UInt8(ascii: "x"), count: 200_000))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep")
        let sink = try AtomicFileSink(replacing: path)
        try sink.write("half")
        sink.discard()
        #expect(throws: IOError.self) { try sink.write("more") }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep")
        #expect(try names(dir) == ["out.geojson"])
        // A new file that is never committed never appears.
        let fresh = dir.appendingPathComponent("new.geojson").path
        do { _ = try AtomicFileSink(replacing: fresh) }
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    /// The temporary file is in `TemporaryFiles` (what a signal removes) from its creation until
    /// it is renamed into place or removed, and never after.
    @Test func temporaryFileIsRegisteredWhileUnfinished() throws {
        let dir = try folder()
        func hidden() throws -> [String] { try names(dir).filter { $0.hasPrefix(".") }.map { dir.appendingPathComponent($0).path } }
        let path = dir.appendingPathComponent("out.csv").path
        let committed = try AtomicFileSink(replacing: path)
        let discarded = try AtomicFileSink(replacing: dir.appendingPathComponent("other.csv").path)
        let temporary = try hidden()
        #expect(temporary.count == 2)
        #expect(Set(temporary).isSubset(of: Set(TemporaryFiles.paths)))
        try committed.write("new\n")
        try committed.commit()
        discarded.discard()
        #expect(try hidden().isEmpty)
        #expect(Set(temporary).isDisjoint(with: Set(TemporaryFiles.paths)), "taken out once finished")
        // A device is written directly: nothing registered.
        let before = TemporaryFiles.paths.filter { $0.contains("/dev/") }
        let device = try AtomicFileSink(replacing: "/dev/null")
        #expect(TemporaryFiles.paths.filter { $0.contains("/dev/") } == before)
        try device.commit()
    }

    @Test func keepsPermissionsAndFollowsLinks() throws {
        let dir = try folder()
        let path = dir.appendingPathComponent("data.csv").path
        try "a".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o640)
        let link = dir.appendingPathComponent("link.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "data.csv")
        let sink = try AtomicFileSink(replacing: link)
        try sink.write("b")
        try sink.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "b")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "data.csv", "the link stays a link")
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o777 == 0o640)
    }

    @Test func writesDevicesDirectly() throws {
        let sink = try AtomicFileSink(replacing: "/dev/null")
        try sink.write("nothing")
        try sink.commit()
        var info = stat()
        stat("/dev/null", &info)
        #expect(info.st_mode & S_IFMT == S_IFCHR)
    }

    @Test func refusesAFolderAndAMissingFolder() throws {
        let dir = try folder()
        #expect(throws: IOError.self) { try AtomicFileSink(replacing: dir.path) }
        #expect(throws: IOError.self) { try AtomicFileSink(replacing: dir.appendingPathComponent("no/such/out.csv").path) }
    }

    @Test func neverReplacesAnOpenInput() throws {
        let dir = try folder()
        let path = dir.appendingPathComponent("events.csv").path
        try "event_date,location\n2024-01-01,Erbil\n".write(toFile: path, atomically: false, encoding: .utf8)
        let input = try InputFile(path: path)
        #expect(InputFile.isOpenInput(path))
        let sink = try AtomicFileSink(replacing: path)
        try sink.write("overwritten")
        #expect(throws: IOError.self) { try sink.commit() }
        #expect(input.count == 37)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("event_date"))
        #expect(try names(dir) == ["events.csv"])
    }
}
