import Foundation
import GeoCore
import GeoEvents
import GeoGazetteer
import GeoLayers
import Testing

@Suite struct NearLayerTests {
    @Test func sitesFromALayerAreNamedByNameThenIdThenPosition() throws {
        let sites = try NearSites(layer: try eventLayer("""
            {"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"Point","coordinates":[40.0,34.0]},"properties":{"name":"A","kind":"post"}},
            {"type":"Feature","id":"b","geometry":{"type":"Point","coordinates":[40.1,34.0]},"properties":{}},
            {"type":"Feature","geometry":{"type":"Point","coordinates":[40.2,34.0]},"properties":null}]}
            """))
        #expect(sites.names == ["A", "b", "t.geojson feature 2"])
        #expect(sites.kinds == ["post", nil, nil])
        #expect(sites.longitudes == [40.0, 40.1, 40.2])
    }

    @Test func gazetteerSitesByKind() {
        let crossings = NearSites(gazetteer: bundledGazetteer, kinds: [.crossing])
        #expect(crossings.count > 0 && crossings.kinds.allSatisfy { $0 == "crossing" })
        #expect(NearSites(gazetteer: bundledGazetteer).count > crossings.count)
        #expect(!NearSites.siteKinds.contains(.place) && NearSites.siteKinds.contains(.base))
    }

    @Test func nearestWithinAndErrors() throws {
        let events = try eventLayer(pointCollection([("here", 40.0, 34.0), ("far", 20, -30)]))
        let sites = NearSites(names: ["S"], kinds: [nil], longitudes: [40.1], latitudes: [34.0], source: "s.geojson")
        let near = try NearLayer(events, sites: sites, NearOptions(count: 1, within: .kilometers(25)))
        #expect(near.matches.map(\.count) == [1, 0])
        var out: [Feature] = []
        try near.forEachFeature { out.append($0) }
        #expect(out[0][property: "near_name"] == .string("S") && out[0][property: "near_kind"] == .null)
        #expect(out[0][property: "near_bearing_deg"] == .double(270), "the site is east of the point")
        #expect(out[1][property: "near_name"] == .null && out[1][property: "near_sites"] == nil)
        let none = NearSites(names: [], kinds: [], longitudes: [], latitudes: [], source: "empty.geojson")
        let empty = #expect(throws: LayerError.self) { try NearLayer(events, sites: none, NearOptions()) }
        #expect(empty?.description == "empty.geojson holds no sites")
        let bad = NearSites(names: ["ok", "Pole+"], kinds: [nil, nil], longitudes: [40, 40], latitudes: [34, 91], source: "s.geojson")
        let badSite = #expect(throws: LayerError.self) { try NearLayer(events, sites: bad, NearOptions()) }
        #expect(badSite?.description == "s.geojson: site 1 (Pole+): longitude 40.0, latitude 91.0 is not a position")
    }
}

@Suite struct NearFixtureTests {
    /// Fixtures/near: parameters kinds (array or comma-separated), k, within_km, and `to`: a
    /// point file of sites (relative to Fixtures/near) instead of the gazetteer's.
    @Test func fixtures() throws {
        try LayerFixtures.check("near") { events, p in
            let sites: NearSites
            if let to = p["to"]?.stringValue {
                sites = try NearSites(layer: try LayerFixtures.layer(LayerFixtures.root.appendingPathComponent("near").appendingPathComponent(to)))
            } else {
                let words = p["kinds"]?.arrayValue?.compactMap(\.stringValue) ?? p["kinds"]?.stringValue?.split(separator: ",").map(String.init)
                sites = NearSites(gazetteer: bundledGazetteer, kinds: words.map { Set($0.compactMap(PlaceKind.init(rawValue:))) })
            }
            let near = try NearLayer(events, sites: sites, NearOptions(
                count: Int(p["k"]?.numberValue ?? 1), within: p["within_km"]?.numberValue.map { .kilometers($0) }))
            var features: [Feature] = []
            expectAddedTextMatchesValues(near, "near fixture \(events.sourceName)")
            try near.forEachFeature { features.append($0) }
            return try LayerFixtures.collection(features)
        }
    }
}
