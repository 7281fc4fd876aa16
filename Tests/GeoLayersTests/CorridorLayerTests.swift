import Foundation
import GeoCore
import GeoEvents
import GeoGazetteer
import GeoLayers
import Testing

/// The bundled gazetteer without a user overlay, loaded once for the corridor and near tests.
let bundledGazetteer: Gazetteer = {
    do { return try Gazetteer.load(userDirectory: nil) } catch { fatalError("bundled gazetteer: \(error)") }
}()

/// A GeoJSON text read as an event layer named `t.geojson`.
func eventLayer(_ text: String) throws -> EventLayer {
    try EventLayer.read(file: InputFile(name: "t.geojson", bytes: Array(text.utf8)), source: "t.geojson", options: EventLayerOptions())
}

/// A FeatureCollection of points `(name, lon, lat)` as GeoJSON text.
func pointCollection(_ points: [(String, Double, Double)]) -> String {
    let features = points.map { name, lon, lat in
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[\(lon),\(lat)]},\"properties\":{\"name\":\"\(name)\"}}"
    }
    return "{\"type\":\"FeatureCollection\",\"features\":[\(features.joined(separator: ","))]}"
}

@Suite struct CorridorLayerTests {
    @Test func borderOptionReadsTwoCodes() {
        func codes(_ text: String) -> [String]? { CorridorOptions.countries(text).map { [$0.0, $0.1] } }
        #expect(codes("IQ-SY") == ["IQ", "SY"])
        #expect(codes(" iq - sy ") == ["IQ", "SY"])
        #expect(codes("IRAQ-SY") == nil)
        #expect(codes("IQ") == nil)
        #expect(codes("IQ-SY-JO") == nil)
        #expect(CorridorOptions("IQ", "SY").border == "IQ-SY")
    }

    /// Albu Kamal (SY) and al-Qaim (IQ) lie a few km from the border (Natural Earth 10m: the
    /// line runs about 7 km east of Albu Kamal's centre), Erbil far from it.
    @Test func distancesSidesAndSegments() throws {
        let events = try eventLayer(pointCollection([("Albu Kamal", 40.91854, 34.45226), ("al-Qaim", 40.98945, 34.39251), ("Erbil", 44.00943, 36.19117)]))
        let corridor = try CorridorLayer(events, CorridorOptions("IQ", "SY", width: .kilometers(25)), gazetteer: bundledGazetteer)
        #expect(corridor.sides == ["SY", "IQ", "IQ"])
        #expect(corridor.distances[0] > 3_000 && corridor.distances[0] < 10_000, "\(corridor.distances[0])")
        #expect(corridor.distances[1] > 500 && corridor.distances[1] < 10_000, "\(corridor.distances[1])")
        #expect(corridor.distances[2] > 100_000)
        #expect(corridor.inCorridor == [true, true, false])
        #expect(corridor.segments == [0, 0, nil])
        #expect(corridor.inCorridorCount == 2 && corridor.segmentCount == 1)
        var layers: [String?] = []
        try corridor.forEachFeature { layers.append($0[property: "layer"]?.stringValue) }
        #expect(layers == ["events", "events", "events", "border", "corridor"])
        #expect(corridor.borderFeature.geometry?.typeName == "LineString")
        #expect(try corridor.summaryText().hasPrefix("border IQ-SY: "))
    }

    @Test func countriesWithoutASharedBorderAreALayerError() throws {
        let events = try eventLayer(pointCollection([("x", 40.9, 34.4)]))
        let noBorder = #expect(throws: LayerError.self) { try CorridorLayer(events, CorridorOptions("IQ", "EG"), gazetteer: bundledGazetteer) }
        #expect(noBorder?.description.contains("Iraq (IQ) and Egypt (EG) share no border") == true, "\(String(describing: noBorder))")
    }
}

@Suite struct CorridorFixtureTests {
    static func corridor(_ events: EventLayer, _ p: ForeignMembers) throws -> CorridorLayer {
        let codes = try #require(CorridorOptions.countries(p["border"]?.stringValue ?? "IQ-SY"))
        let options = CorridorOptions(
            codes.0, codes.1, width: .kilometers(p["width_km"]?.numberValue ?? 25), segmentGap: .kilometers(p["segment_km"]?.numberValue ?? 50))
        return try CorridorLayer(events, options, gazetteer: bundledGazetteer)
    }

    /// Fixtures/corridor: parameters border, width_km, segment_km. Each input gives the layer
    /// as `geo corridor` writes it (`.geojson`), its summary (`.json`) and the summary as text
    /// (`.txt`); each corridor is built once (the border and the country polygons take seconds).
    @Test func fixtures() throws {
        var built: [String: CorridorLayer] = [:]
        func corridor(_ events: EventLayer, _ p: ForeignMembers) throws -> CorridorLayer {
            if let c = built[events.sourceName] { return c }
            let c = try Self.corridor(events, p)
            built[events.sourceName] = c
            return c
        }
        try LayerFixtures.check("corridor") { events, p in
            var features: [Feature] = []
            try corridor(events, p).forEachFeature { features.append($0) }
            return try LayerFixtures.collection(features)
        }
        try LayerFixtures.check("corridor", outputExtension: "json") { events, p in
            LayerFixtures.json(try corridor(events, p).summary())
        }
        try LayerFixtures.check("corridor", outputExtension: "txt") { events, p in
            Array(try corridor(events, p).summaryText().utf8)
        }
    }
}
