import Foundation
import GeoCLI
import GeoCore
import Testing

/// The result of one `geo` run.
struct GeoRun {
    var status: Int32
    var out: String
    var err: String
}

/// Runs `geo` in-process with captured standard output and error.
func geo(_ arguments: String...) -> GeoRun {
    geo(arguments)
}

func geo(_ arguments: [String]) -> GeoRun {
    let out = MemorySink(), err = MemorySink()
    let status = GeoMain.run(arguments, console: Console(out: out, err: err))
    return GeoRun(status: status, out: out.text, err: err.text)
}

/// The package root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Path of a fixture file of this test target.
func fixturePath(_ relative: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(relative)", withExtension: nil))
    return url.path
}

/// The fixture files in a fixture folder, sorted.
func fixtureFiles(_ folder: String) -> [String] {
    guard let url = Bundle.module.url(forResource: "Fixtures/\(folder)", withExtension: nil),
        let names = try? FileManager.default.contentsOfDirectory(atPath: url.path)
    else { return [] }
    return names.filter { $0.hasSuffix(".geojson") || $0.hasSuffix(".geojsonl") || $0.hasSuffix(".json") }.sorted()
}

/// Runs an external program, returning its status and combined output. `nil` if it cannot start.
func runProgram(_ executable: String, _ arguments: [String], stdin: String? = nil) -> (status: Int32, output: String)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    if let stdin {
        let input = Pipe()
        process.standardInput = input
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try? input.fileHandleForWriting.close()
    }
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("geo-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
