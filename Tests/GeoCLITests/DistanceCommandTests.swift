import Foundation
import GeoCore
import Testing

@Suite struct DistanceCommandTests {
    @Test func textOutput() {
        let run = geo("distance", "34.45226,40.91854", "36.19117,44.00943")
        #expect(run.status == 0)
        #expect(run.out.contains("340.866 km (340,865.86 m)"))
        #expect(run.out.contains("initial azimuth: 54.65° (NE)"))
        #expect(run.err.isEmpty)
    }

    @Test func jsonOutputHasTheDocumentedKeys() throws {
        let run = geo("distance", "34.45226,40.91854", "36.19117,44.00943", "--format", "json")
        #expect(run.status == 0)
        let value = try JSONParser.parse(run.out)
        #expect(abs(try #require(value["distance_m"]?.numberValue) - 340_865.86) < 0.01)
        #expect(value["azimuth1_deg"]?.numberValue != nil)
        #expect(value["azimuth2_deg"]?.numberValue != nil)
    }

    @Test func negativeCoordinatesNeedNoSeparator() {
        let run = geo("distance", "-33.86,151.21", "51.5,-0.13", "--format", "json")
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("\"distance_m\":16989"))
    }

    @Test func geojsonOutputIsAValidLineFeature() throws {
        let run = geo("distance", "34.45226,40.91854", "36.19117,44.00943", "--format", "geojson", "--step", "50km")
        #expect(run.status == 0)
        var reader = GeoJSONReader()
        guard case .feature(let f) = try reader.read(Array(run.out.utf8)), case .lineString(let line)? = f.geometry else {
            Issue.record("not a LineString feature: \(run.out)")
            return
        }
        #expect(line.count == 8)  // 340.9 km in 50 km steps: 7 segments
        #expect(line.first == Position(longitude: 40.91854, latitude: 34.45226))
    }

    @Test(arguments: [
        (["distance", "95,40", "1,1"], "latitude 95 is outside"),
        (["distance", "34.4", "1,1"], "expected lat,lon"),
        (["distance", "1,1"], "Missing expected argument"),
        (["distance", "1,1", "2,2", "--format", "xml"], "The value 'xml' is invalid for '--format <format>'"),
        (["distance", "1,1", "2,2", "--step", "5"], "needs a unit"),
        (["distance", "1,1", "2,2", "--precision", "40"], "--precision must be between 0 and 15"),
    ])
    func userMistakesAreClearErrors(arguments: [String], message: String) {
        let run = geo(arguments)
        #expect(run.status == 64)
        #expect(run.err.contains(message), "\(run.err)")
        #expect(run.out.isEmpty)
    }

    @Test func writesToAFile() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("line.geojson").path
        let run = geo("distance", "34.45226,40.91854", "36.19117,44.00943", "-o", path)
        #expect(run.status == 0)
        #expect(run.out.isEmpty)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("{\"type\":\"Feature\""))  // format taken from the extension
    }

    @Test func unwritableOutputIsAnErrorNotACrash() {
        let run = geo("distance", "1,1", "2,2", "-o", "/nonexistent-dir/out.json")
        #expect(run.status == 1)
        #expect(run.err.contains("/nonexistent-dir/out.json"))
    }

    @Test func helpAndVersion() {
        let help = geo("--help")
        #expect(help.status == 0)
        #expect(help.out.contains("distance") && help.out.contains("validate"))
        let version = geo("--version")
        #expect(version.status == 0)
        #expect(version.out.contains("GEOS 3.") && version.out.contains("PROJ "))
    }
}
