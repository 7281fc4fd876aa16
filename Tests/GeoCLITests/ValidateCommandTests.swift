import Foundation
import Testing

/// The problem code a fixture's name announces: `bad-bbox--string.geojson` → `bad-bbox`.
func expectedCode(_ fileName: String) -> String {
    let stem = fileName.components(separatedBy: ".").first!
    return stem.components(separatedBy: "--").first!
}

@Suite struct ValidateCommandTests {
    @Test(arguments: fixtureFiles("validate/invalid"))
    func flagsEveryInvalidFixture(file: String) throws {
        let path = try fixturePath("validate/invalid/\(file)")
        let run = geo("validate", path)
        #expect(run.status == 1, "\(file): \(run.out)\(run.err)")
        let code = expectedCode(file)
        #expect(run.out.contains("error [\(code)]"), "\(file) should report [\(code)]:\n\(run.out)")
        #expect(run.out.contains("INVALID"))
    }

    @Test(arguments: fixtureFiles("validate/warnings"))
    func warnsButAccepts(file: String) throws {
        let path = try fixturePath("validate/warnings/\(file)")
        let run = geo("validate", path)
        #expect(run.status == 0, "\(file): \(run.out)")
        #expect(run.out.contains("warning [\(expectedCode(file))]"), "\(run.out)")
        #expect(!run.out.contains("error ["))
    }

    @Test(arguments: fixtureFiles("validate/valid"))
    func acceptsValidFixtures(file: String) throws {
        let path = try fixturePath("validate/valid/\(file)")
        let run = geo("validate", path)
        #expect(run.status == 0, "\(file): \(run.out)")
        #expect(!run.out.contains("error ["), "\(run.out)")
        #expect(run.out.contains("valid ("))
    }

    @Test func fixtureSetsAreNotEmpty() {
        #expect(fixtureFiles("validate/invalid").count >= 30)
        #expect(fixtureFiles("validate/valid").count >= 15)
        #expect(fixtureFiles("validate/warnings").count >= 3)
    }

    @Test func problemLinesNameTheLocation() throws {
        let path = try fixturePath("validate/invalid/unclosed-ring.geojson")
        let run = geo("validate", path)
        #expect(run.out.contains("\(path): geometry.coordinates[0]: error [unclosed-ring]"), "\(run.out)")
        let syntax = geo("validate", try fixturePath("validate/invalid/invalid-json--trailing-comma.geojson"))
        #expect(syntax.out.contains("line 1, column "), "\(syntax.out)")
        let seq = geo("validate", try fixturePath("validate/invalid/unclosed-ring--in-sequence.geojsonl"))
        #expect(seq.out.contains("line 2: "), "\(seq.out)")
    }

    @Test func jsonReport() throws {
        let run = geo("validate", "--format", "json", try fixturePath("validate/invalid/bad-id--boolean.geojson"), try fixturePath("validate/valid/point.geojson"))
        #expect(run.status == 1)
        #expect(run.out.contains("\"code\":\"bad-id\""))
        #expect(run.out.contains("\"valid\":true"))
    }

    @Test func inputFormatOverridesTheExtension() throws {
        // A newline-delimited file with a .json name: read as one document it is invalid JSON.
        let path = try temporaryDirectory().appendingPathComponent("records.json").path
        try String(contentsOfFile: try fixturePath("validate/valid/records.geojsonl"), encoding: .utf8).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(geo("validate", path).status == 1)
        let run = geo("validate", "--input-format", "geojsonl", path)
        #expect(run.status == 0, "\(run.out)")
        #expect(run.out.contains("valid (3 records"))
        #expect(geo("validate", "--input-format", "shapefile", path).err.contains("unknown --input-format 'shapefile'"))
    }

    @Test func missingFileExitsTwo() {
        let run = geo("validate", "/no/such/file.geojson")
        #expect(run.status == 2)
        #expect(run.err.contains("error: /no/such/file.geojson: no such file"))
    }

    @Test func directoryIsAnError() throws {
        let run = geo("validate", try temporaryDirectory().path)
        #expect(run.status == 2)
        #expect(run.err.contains("is a directory"))
    }
}
