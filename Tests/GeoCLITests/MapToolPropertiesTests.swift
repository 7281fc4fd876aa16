import Foundation
import GeoCore
import Testing

/// What map tools read beyond the fields: kepler.gl's `timestamp`, simplestyle-spec colours
/// (`--style`) for geojson.io and GitHub, a QGIS style (`--qml`).
@Suite struct MapToolPropertiesTests {
    static func features(_ text: String) throws -> [OrderedDictionaryOfProperties] {
        try (parseJSON(text)["features"]?.arrayValue ?? []).map { OrderedDictionaryOfProperties($0) }
    }

    /// Days since 1970 of `yyyy-mm-dd`.
    static func day(_ text: String) -> Int {
        let parts = text.prefix(10).split(separator: "-").compactMap { Int($0) }
        return UTCCalendar.daysSinceEpoch(year: parts[0], month: parts[1], day: parts[2])
    }

    @Test func convertWritesATimestampAfterTheDates() throws {
        let input = try fixturePath("convert/events.csv")
        let iso = geo("convert", input, "--format", "geojson")
        #expect(iso.status == 0, "\(iso.err)")
        let events = try Self.features(iso.out)
        #expect(!events.isEmpty)
        for e in events {
            let date = try #require(e["event_date"]?.stringValue)
            let stamp = try #require(e["timestamp"]?.stringValue, "\(e.keys)")
            // Right after date_end; a day-precision date starts at its midnight UTC.
            #expect(e.keys.firstIndex(of: "timestamp") == e.keys.firstIndex(of: "date_end")! + 1)
            if e["time_precision"] == .integer(1), date.count == 10 { #expect(stamp == date + "T00:00:00Z") }
            if e["time_precision"] == .integer(3) { #expect(stamp == date.prefix(8) + "01T00:00:00Z") }  // month: the 1st
        }
        let ms = geo("convert", input, "--format", "geojsonseq", "--timestamp", "epoch-ms")
        #expect(ms.status == 0, "\(ms.err)")
        let first = try parseJSON(String(ms.out.split(separator: "\n")[0].drop { $0 == "\u{1E}" }))["properties"]
        #expect(first?["timestamp"] == .integer(Int64(Self.day(first?["event_date"]?.stringValue ?? "")) * 86_400_000))
        let none = geo("convert", input, "--format", "geojson", "--timestamp", "none")
        #expect(none.status == 0 && !none.out.contains("\"timestamp\""))
        #expect(geo("convert", input, "--timestamp", "unix").status != 0)
    }

    @Test func analysesStampEventsThatHaveNoTimestamp() throws {
        let input = try fixturePath("temporal/windows-events.geojson")
        #expect(!(try String(contentsOfFile: input, encoding: .utf8)).contains("timestamp"))
        let run = geo("cluster", input, "--within", "50km")
        #expect(run.status == 0, "\(run.err)")
        let events = try Self.features(run.out)
        #expect(!events.isEmpty && events.allSatisfy { $0["timestamp"]?.stringValue?.hasSuffix("Z") == true })
        // The event with a time of day starts then.
        #expect(events.contains { $0["event_date"]?.stringValue == "2024-01-28T05:30Z" && $0["timestamp"]?.stringValue == "2024-01-28T05:30:00Z" })
    }

    @Test func styleGivesEachSideOneColourAndSizesByDeaths() throws {
        let input = try fixturePath("temporal/windows-events.geojson")
        let run = geo("convert", input, "--format", "geojson", "--style")
        #expect(run.status == 0, "\(run.err)")
        var colours: [String: Set<String>] = [:]
        for e in try Self.features(run.out) {
            let side = e["actor_side"]?.stringValue ?? ""
            colours[side, default: []].insert(try #require(e["marker-color"]?.stringValue))
            let deaths = e["fatalities"]?.numberValue ?? 0
            #expect(e["marker-size"]?.stringValue == (deaths >= 10 ? "large" : deaths >= 1 ? "medium" : "small"))
        }
        #expect(colours.count >= 2 && colours.values.allSatisfy { $0.count == 1 })
        #expect(Set(colours.values.map { $0.first! }).count == colours.count)
        // Cluster areas and attack → response links: strokes and fills.
        let areas = geo("cluster", input, "--within", "300km", "--summary", "--style")
        #expect(try Self.features(areas.out).allSatisfy { $0["stroke"] != nil && $0["fill"] != nil && $0["fill-opacity"] != nil })
        let pairs = geo("windows", input, "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "14d",
                        "--permutations", "0", "--style")
        let links = try Self.features(pairs.out).filter { $0["layer"]?.stringValue == "pairs" }
        #expect(!links.isEmpty && links.allSatisfy { $0["stroke"] != nil && $0["marker-color"] == nil })
        // Not for CSV; --qml needs a file.
        #expect(geo("convert", input, "--format", "csv", "--style").status != 0)
        #expect(geo("convert", input, "--format", "geojson", "--qml").status != 0)
    }

    @Test func qmlIsWrittenBesideTheGeoPackage() throws {
        let input = try fixturePath("temporal/windows-events.geojson")
        let dir = try temporaryDirectory()
        let gpkg = dir.appendingPathComponent("events.gpkg").path
        let run = geo("convert", input, "-o", gpkg, "--qml")
        #expect(run.status == 0, "\(run.err)")
        let qml = try String(contentsOfFile: dir.appendingPathComponent("events.qml").path, encoding: .utf8)
        #expect(qml.contains("categorizedSymbol") && qml.contains("value=\"militia\"") && qml.contains("value=\"US\""))
        let info = try #require(runProgram("ogrinfo", ["-al", "-so", gpkg]))
        #expect(info.output.contains("timestamp: DateTime"), "\(info.output)")
    }
}

/// A feature's properties, with their order.
struct OrderedDictionaryOfProperties {
    let keys: [String]
    let values: [String: JSONValue]

    init(_ feature: JSONValue) {
        let properties = feature["properties"]?.objectValue
        keys = properties.map { Array($0.keys) } ?? []
        values = properties.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key, $0.value) }) } ?? [:]
    }

    subscript(_ key: String) -> JSONValue? { values[key] }
}
