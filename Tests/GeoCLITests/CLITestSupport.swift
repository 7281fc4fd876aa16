import Foundation
import GeoCLI
import GeoCore
import Testing
@_exported import GeoTestSupport

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
