import Foundation
import GeoCore
import Testing

/// `geo cluster`, `geo corridor`, `geo near` run in-process on small layers written here.
@Suite struct SpatialCommandTests {
    static func layer(_ points: [(name: String, lon: Double, lat: Double, date: String?)]) throws -> String {
        let features = points.map { p -> String in
            let date = p.date.map { ",\"event_date\":\"\($0)\"" } ?? ""
            return "{\"type\":\"Feature\",\"properties\":{\"name\":\"\(p.name)\",\"event_type\":\"Air/drone strike\"\(date)},\"geometry\":{\"type\":\"Point\",\"coordinates\":[\(p.lon),\(p.lat)]}}"
        }
        let path = try temporaryDirectory().appendingPathComponent("layer.geojson").path
        try "{\"type\":\"FeatureCollection\",\"features\":[\(features.joined(separator: ","))]}".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func features(_ run: GeoRun) throws -> [OrderedDictionaryLike] {
        let value = try JSONParser.parse(run.out)
        return (value.objectValue?["features"]?.arrayValue ?? []).map { OrderedDictionaryLike(feature: $0) }
    }

    struct OrderedDictionaryLike {
        var feature: JSONValue
        subscript(_ key: String) -> JSONValue? { feature.objectValue?["properties"]?.objectValue?[key] }
        var geometryType: String? { feature.objectValue?["geometry"]?.objectValue?["type"]?.stringValue }
    }

    @Test func clusterKeepsFeaturesAndAddsClusters() throws {
        // Two strikes 4.6 km apart, one 60 km away, one across the antimeridian pair.
        let path = try Self.layer([
            ("a", 40.90, 34.45, "2024-01-01"), ("far", 41.60, 34.45, "2024-01-02"), ("b", 40.95, 34.45, "2024-03-01"),
            ("east", 179.99, 0, nil), ("west", -179.99, 0, nil),
        ])
        let run = geo("cluster", path, "--within", "10km")
        #expect(run.status == 0, "\(run.err)")
        let fs = try Self.features(run)
        #expect(fs.map { $0["name"]?.stringValue } == ["a", "far", "b", "east", "west"])
        #expect(fs.map { $0["cluster"]?.numberValue } == [0, 1, 0, 2, 2])
        #expect(fs.allSatisfy { $0["cluster_role"]?.stringValue == "core" && $0["event_type"] != nil })
        // DBSCAN with 2 points: the far one is noise (null cluster).
        let dbscan = try Self.features(geo("cluster", path, "--within", "10km", "--min-points", "2"))
        #expect(dbscan[1]["cluster"] == .null && dbscan[1]["cluster_role"]?.stringValue == "noise")
        // Time window needs dates on every event.
        let missing = geo("cluster", path, "--within", "10km", "--time-window", "7d")
        #expect(missing.status == 1 && missing.err.contains("feature 3 has no event_date"))
    }

    @Test func clusterTimeWindowAndSummary() throws {
        let path = try Self.layer([
            ("a", 40.90, 34.45, "2024-01-01"), ("b", 40.95, 34.45, "2024-01-04"), ("c", 40.92, 34.47, "2024-03-01"), ("d", 40.92, 34.47, "2024-03-01"),
        ])
        let spaceTime = try Self.features(geo("cluster", path, "--within", "10km", "--time-window", "7d"))
        #expect(spaceTime.map { $0["cluster"]?.numberValue } == [0, 0, 1, 1])
        let summary = try Self.features(geo("cluster", path, "--within", "10km", "--summary"))
        #expect(summary.count == 1)
        #expect(summary[0].geometryType == "Polygon")
        #expect(summary[0]["count"]?.numberValue == 4)
        #expect(summary[0]["first_date"]?.stringValue == "2024-01-01" && summary[0]["last_date"]?.stringValue == "2024-03-01")
        #expect(summary[0]["top_event_types"]?.objectValue?["Air/drone strike"]?.numberValue == 4)
        #expect(summary[0]["outline"]?.stringValue == "convex hull")
    }

    @Test func emptySingleIdenticalAndInvalid() throws {
        let empty = try Self.layer([])
        for args in [["cluster", empty, "--within", "5km"], ["near", empty], ["corridor", empty, "--border", "IQ-SY"]] {
            let run = geo(args)
            #expect(run.status == 0, "\(args): \(run.err)")
            let value = try JSONParser.parse(run.out)
            #expect(value.objectValue?["features"]?.arrayValue?.filter { $0.objectValue?["properties"]?.objectValue?["layer"]?.stringValue ?? "events" == "events" }.isEmpty == true)
        }
        let same = try Self.layer([("x", 44, 33, nil), ("y", 44, 33, nil), ("z", 44, 33, nil)])
        #expect(try Self.features(geo("cluster", same, "--within", "1m", "--min-points", "3")).map { $0["cluster_role"]?.stringValue } == ["core", "core", "core"])
        let one = try Self.features(geo("cluster", same, "--within", "1km", "--summary"))
        #expect(one.count == 1 && one[0]["outline"]?.stringValue == "buffer 1 km")
        let bad = try Self.layer([("x", 44, 95, nil)])
        for args in [["cluster", bad, "--within", "5km"], ["near", bad], ["corridor", bad, "--border", "IQ-SY"]] {
            let run = geo(args)
            #expect(run.status == 1 && run.err.contains("latitude 95"), "\(args): \(run.err)")
        }
        #expect(geo("cluster", same, "--within", "0km").status == 64)
        #expect(geo("cluster", same, "--within", "5km", "--min-points", "0").status == 64)
    }

    @Test func corridorIraqSyria() throws {
        let path = try Self.layer([
            ("Albu Kamal", 40.91854, 34.45226, "2024-01-20"), ("al-Qaim", 40.98945, 34.39251, "2024-01-21"),
            ("Erbil", 44.00943, 36.19117, "2024-01-22"), ("Damascus", 36.29128, 33.5102, "2024-01-23"),
        ])
        let run = geo("corridor", path, "--border", "IQ-SY", "--width", "25km")
        #expect(run.status == 0, "\(run.err)")
        let fs = try Self.features(run)
        #expect(fs.map { $0["layer"]?.stringValue } == ["events", "events", "events", "events", "border", "corridor"])
        #expect(fs[4].geometryType == "LineString" && fs[5].geometryType == "Polygon")
        #expect(fs[0]["side"]?.stringValue == "SY" && fs[1]["side"]?.stringValue == "IQ")
        for i in 0..<2 {
            #expect(fs[i]["in_corridor"] == .bool(true) && (fs[i]["border_distance_km"]?.numberValue ?? 99) < 20)
            #expect(fs[i]["corridor_segment"]?.numberValue == 0)
        }
        for i in 2..<4 { #expect(fs[i]["in_corridor"] == .bool(false) && fs[i]["corridor_segment"] == .null) }
        let summary = try JSONParser.parse(geo("corridor", path, "--border", "SY-IQ", "--format", "json").out)
        let segments = try #require(summary.objectValue?["segments"]?.arrayValue)
        #expect(segments.count == 1 && segments[0].objectValue?["events"]?.numberValue == 2)
        let noBorder = geo("corridor", path, "--border", "IQ-EG")
        #expect(noBorder.status == 1 && noBorder.err.contains("share no border"))
        #expect(geo("corridor", path, "--border", "IRAQ-SY").status == 64)
    }

    @Test func nearSites() throws {
        let path = try Self.layer([("at Tanf", 38.61778, 33.50583, nil), ("nowhere", 20, -30, nil)])
        let fs = try Self.features(geo("near", path, "--k", "2"))
        #expect(fs[0]["near_name"]?.stringValue == "al-Tanf garrison" && fs[0]["near_phrase"]?.stringValue == "at al-Tanf garrison")
        #expect(fs[0]["near_sites"]?.arrayValue?.count == 2)
        #expect(fs[0]["near_bearing_deg"] == .null, "no direction from a site to a point on it")
        #expect(fs[1]["near_bearing_deg"]?.numberValue != nil)
        #expect((fs[1]["near_distance_km"]?.numberValue ?? 0) > 1000)
        let within = try Self.features(geo("near", path, "--within", "25km", "--kind", "base,garrison"))
        #expect(within[0]["near_kind"]?.stringValue == "garrison" && within[1]["near_name"] == .null)
        #expect(geo("near", path, "--kind", "city").status == 64)
        let sites = try Self.layer([("Site A", 38.70, 33.50, nil)])
        let to = try Self.features(geo("near", path, "--to", sites))
        #expect(to[0]["near_name"]?.stringValue == "Site A" && to[0]["near_phrase"]?.stringValue.map { $0.hasSuffix("km W of Site A") } == true)
    }
}
