import GeoCore
import GeoEvents
import GeoLayers
import Testing

@Suite struct ClusterLayerTests {
    /// Two GeoJSON points 10 km apart and one far away, read as an event layer.
    static func layer(_ text: String) throws -> EventLayer {
        try EventLayer.read(file: InputFile(name: "t.geojson", bytes: Array(text.utf8)), source: "t.geojson", options: EventLayerOptions())
    }

    @Test func singleLinkageJoinsNeighboursAndKeepsProperties() throws {
        let events = try Self.layer("""
            {"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"Point","coordinates":[40.0,34.0]},"properties":{"name":"a"}},
            {"type":"Feature","geometry":{"type":"Point","coordinates":[40.1,34.0]},"properties":{"name":"b"}},
            {"type":"Feature","geometry":{"type":"Point","coordinates":[44.0,36.0]},"properties":{"name":"c"}}]}
            """)
        let clusters = try ClusterLayer(events, ClusterOptions(within: .kilometers(20)))
        var out: [Feature] = []
        try clusters.forEachFeature { out.append($0) }
        #expect(out.map { $0[property: "name"]?.stringValue } == ["a", "b", "c"])
        #expect(out.map { $0[property: "cluster"] } == [.integer(0), .integer(0), .integer(1)])
        #expect(clusters.clusterCount == 2)
        let summary = try clusters.summaryFeatures()
        #expect(summary.map { $0[property: "layer"] } == [.string("clusters"), .string("clusters")])
    }
}

@Suite struct ClusterFixtureTests {
    /// Fixtures/cluster: parameters within_km, min_points, time_window_days, summary.
    @Test func fixtures() throws {
        try LayerFixtures.check("cluster") { events, p in
            let options = ClusterOptions(
                within: .kilometers(p["within_km"]?.numberValue ?? 50), minPoints: Int(p["min_points"]?.numberValue ?? 1),
                timeWindow: p["time_window_days"]?.numberValue.map { TimeSpan.days($0) })
            let clusters = try ClusterLayer(events, options)
            expectAddedTextMatchesValues(clusters, "cluster fixture \(events.sourceName)")
            if p["summary"] == .bool(true) { return try LayerFixtures.collection(clusters.summaryFeatures()) }
            var features: [Feature] = []
            try clusters.forEachFeature { features.append($0) }
            return try LayerFixtures.collection(features)
        }
    }
}
