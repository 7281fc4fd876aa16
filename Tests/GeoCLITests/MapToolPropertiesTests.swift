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

    /// The analyses stamp their events as `geo convert` does, so that kepler.gl plays them at
    /// the time convert gives: a null or text timestamp (a stale one, written before the dates
    /// were edited) or geo's milliseconds give way to the one derived from the dates, right after
    /// them; an input's own number or boolean stays where it is. GeoJSONSeq (its features copied
    /// as text where they can be) and CSV (a `timestamp` column), every analysis that writes events.
    @Test func analysesStampAsConvertDoes() throws {
        let dir = try temporaryDirectory()
        let point = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[40.9,34.4]},"properties":"#
        let lines = [
            #"{"event_id":"A1","event_date":"2024-01-05","timestamp":null,"actor_side":"militia"}"#,
            #"{"event_id":"A2","event_date":"2024-01-06","actor_side":"US","timestamp":null}"#,
            #"{"event_id":"A3","event_date":"2024-01-07","timestamp":"2024-01-01T00:00:00Z","actor_side":"militia"}"#,
            #"{"event_id":"A4","event_date":"2024-01-08","actor_side":"US","timestamp":1704067200}"#,
            #"{"event_id":"A5","event_date":"2024-01-09","actor_side":"militia","timestamp":"2024-01-09T00:00:00Z"}"#,
            #"{"event_id":"A6","event_date":"2024-01-10","timestamp":1704844800000,"actor_side":"US"}"#,
            #"{"event_id":"A7","event_date":"2024-01-11","timestamp":true,"actor_side":"militia"}"#,
            #"{"event_id":"A8","event_date":"2024-01-12","timestamp":"2024-01-12T00:00:00Z","actor_side":"US"}"#,
        ]
        let seq = dir.appendingPathComponent("stamps.geojsons").path
        try lines.map { point + $0 + "}\n" }.joined().write(toFile: seq, atomically: true, encoding: .utf8)
        let csv = dir.appendingPathComponent("stamps.csv").path
        try """
            event_id,event_date,actor_side,latitude,longitude,country,timestamp
            B1,2024-01-05,militia,34.4,40.9,SY,
            B2,2024-01-06,US,34.4,40.9,SY,1704067200
            B3,2024-01-07,militia,34.4,40.9,SY,2024-01-01T00:00:00Z

            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let expected: [String: JSONValue] = [
            "A1": "2024-01-05T00:00:00Z", "A2": "2024-01-06T00:00:00Z", "A3": "2024-01-07T00:00:00Z", "A4": .integer(1_704_067_200),
            "A5": "2024-01-09T00:00:00Z", "A6": "2024-01-10T00:00:00Z", "A7": .bool(true), "A8": "2024-01-12T00:00:00Z",
            "B1": "2024-01-05T00:00:00Z", "B2": "2024-01-06T00:00:00Z", "B3": "2024-01-07T00:00:00Z",
        ]
        let kept: Set<String> = ["A4", "A7"]
        for input in [seq, csv] {
            let runs = [
                ("convert", geo("convert", input, "--format", "geojson")),
                ("cluster", geo("cluster", input, "--within", "5km")),
                ("near", geo("near", input, "--k", "1")),
                ("corridor", geo("corridor", input, "--border", "IQ-SY")),
                ("windows", geo("windows", input, "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "3d",
                                "--permutations", "0")),
            ]
            for (command, run) in runs {
                #expect(run.status == 0, "\(command) \(input): \(run.err)")
                let events = try Self.features(run.out).filter { $0["event_id"] != nil }
                #expect(events.count == (input == seq ? 8 : 3), "\(command) \(input)")
                for e in events {
                    let id = e["event_id"]?.stringValue ?? ""
                    #expect(e["timestamp"] == expected[id], "\(command) \(id): \(String(describing: e["timestamp"]))")
                    let dates = e.keys.firstIndex(of: "date_end") ?? e.keys.firstIndex(of: "event_date")!
                    if !kept.contains(id) { #expect(e.keys.firstIndex(of: "timestamp") == dates + 1, "\(command) \(id): \(e.keys)") }
                }
            }
        }
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
