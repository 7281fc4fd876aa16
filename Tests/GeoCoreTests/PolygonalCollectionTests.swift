import Foundation
@testable import GeoCore
import GeoTestSupport
import Testing

@Suite struct PolygonalCollectionTests {
    /// What the full decoder reads of a collection: each feature's properties and geometry.
    private func decoded(_ text: [UInt8]) throws -> [PolygonalCollection.Member] {
        var members: [PolygonalCollection.Member] = []
        var reader = GeoJSONReader()
        try text.withUnsafeBytes { buffer in
            _ = try reader.forEachFeature(in: buffer) { _, feature in members.append((feature.properties, feature.geometry!)) }
        }
        return members
    }

    private func read(_ text: [UInt8]) -> [PolygonalCollection.Member]? {
        text.withUnsafeBytes(PolygonalCollection.read)
    }

    private func same(_ a: [PolygonalCollection.Member], _ b: [PolygonalCollection.Member]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.properties == $1.properties && $0.geometry == $1.geometry }
    }

    /// The bundled country file, as it is and pretty-printed, reads as the decoder reads it.
    @Test func bundledCountriesEqualTheDecoder() throws {
        let bytes = Array(try Data(contentsOf: packageRoot.appendingPathComponent("Gazetteer/countries.geojson")))
        let fast = try #require(read(bytes))
        #expect(fast.count > 200)
        #expect(same(fast, try decoded(bytes)))
        let pretty = Array(try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(bytes)),
                                                      options: [.prettyPrinted, .sortedKeys]))
        let fastPretty = try #require(read(pretty))
        #expect(same(fastPretty, try decoded(pretty)))
        #expect(fastPretty.count == fast.count)
    }

    private static let square = "[[[40,34],[41,34],[41,35],[40,35],[40,34]]]"

    /// Member order, an empty collection, null properties and both geometry types.
    @Test func plainVariantsEqualTheDecoder() throws {
        for text in [
            #"{"features":[{"geometry":{"coordinates":\#(Self.square),"type":"Polygon"},"properties":null,"type":"Feature"}],"type":"FeatureCollection"}"#,
            #"{"type":"FeatureCollection","features":[]}"#,
            #"{"type":"FeatureCollection","name":"x","features":[{"type":"Feature","properties":{"name":"Ḥ\"q","n":1.5e2,"a":[1,{"b":null}]},"geometry":{"type":"MultiPolygon","coordinates":[\#(Self.square),[[[-1.5,-0.25],[2e-3,-0.25],[2e-3,1],[-1.5,-0.25]]]]}}]}"#,
        ] {
            let bytes = Array(text.utf8)
            let fast = try #require(read(bytes), "\(text)")
            #expect(same(fast, try decoded(bytes)), "\(text)")
        }
    }

    /// Anything but the plain case is left to the decoder, which reads or reports it.
    @Test(arguments: [
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[40,34],[41,34],[41,35],[40,35],[40,34.5]]]}}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[40,34],[41,34],[40,34]]]}}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[40,34,1],[41,34,1],[41,35,1],[40,34,1]]]}}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[190,34],[191,34],[191,35],[190,34]]]}}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","id":1,"properties":{},"geometry":{"type":"Polygon","coordinates":[[[40,34],[41,34],[41,35],[40,34]]]}}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[40,34]}}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":[],"geometry":{"type":"Polygon","coordinates":[[[40,34],[41,34],[41,35],[40,34]]]}}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[["40",34],[41,34],[41,35],[40,34]]]}}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","type":"Polygon","coordinates":[[[40,34],[41,34],[41,35],[40,34]]]}}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}"#,
        #"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[40,34],[41,34],[41,35],[40,34]]]}}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[40,34],[41,34],[41,35],[40,34]]]}},]}"#,
        #"{"type":"FeatureCollection","features":[]} x"#,
    ])
    func otherCasesAreLeftToTheDecoder(text: String) {
        #expect(read(Array(text.utf8)) == nil)
    }
}
