import Foundation
import GeoCore
import GeoEvents
import GeoGazetteer
@testable import GeoLayers
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

    /// Shared among threads (each with its own PROJ transformer and GEOS reverse geocoder), the
    /// measuring gives the columns of one thread, and the bulk projection what one point at a time
    /// gives: 400 points over Iraq, Syria, Jordan, Turkey, Iran and the sea, some on the border.
    @Test func threadsMeasureAsOneThread() throws {
        var rng = SeededGenerator(seed: 19)
        var points: [(String, Double, Double)] = (0..<400).map { i in
            ("p\(i)", Double.random(in: 30...50, using: &rng), Double.random(in: 28...40, using: &rng))
        }
        points += [("Albu Kamal", 40.91854, 34.45226), ("al-Qaim", 40.98945, 34.39251), ("sea", 33.5, 34.5), ("Rabia", 42.1, 36.8)]
        let events = try eventLayer(pointCollection(points))
        let options = CorridorOptions("IQ", "SY", width: .kilometers(25))
        let one = try CorridorLayer(events, options, gazetteer: bundledGazetteer, threads: 1, eventsPerThread: 1)
        #expect(Set(one.sides).count >= 5, "\(Set(one.sides))")
        #expect(one.inCorridorCount > 5)
        let shared = try CorridorLayer(events, options, gazetteer: bundledGazetteer, threads: 3, eventsPerThread: 7)
        // The first point where two columns differ (-1 for different lengths), so that a failure
        // names a point rather than printing 400 values.
        func firstDifference<T: Equatable>(_ a: [T], _ b: [T]) -> Int? { a.count != b.count ? -1 : a.indices.first { a[$0] != b[$0] } }
        #expect(firstDifference(shared.distances, one.distances) == nil, "distances")
        #expect(firstDifference(shared.along, one.along) == nil, "along")
        #expect(firstDifference(shared.sides, one.sides) == nil, "sides")
        #expect(firstDifference(shared.segments, one.segments) == nil, "segments")
        for i in points.indices {
            let p = try one.border.locate(longitude: points[i].1, latitude: points[i].2)
            #expect(p.distanceMeters == one.distances[i] && p.alongMeters == one.along[i], "point \(i)")
        }
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
            expectAddedTextMatchesValues(try corridor(events, p), "corridor fixture \(events.sourceName)")
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
