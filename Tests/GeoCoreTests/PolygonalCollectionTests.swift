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

    /// Numbers read from their digits (`plainPosition`) equal the decoder's, and the forms it
    /// leaves to `parseNumber` (blanks, exponents, long mantissas, `-0`, `-0.0`) do too:
    /// 20,000 random positions written in several ways, with coordinates before and after the type.
    @Test func positionsFromDigitsEqualTheDecoder() throws {
        var rng = SeededGenerator(seed: 23)
        func number(_ v: Double, _ form: Int) -> String {
            switch form {
            case 0: return String(format: "%.6f", v)
            case 1: return "\(v)"
            case 2: return String(format: "%.17g", v)
            case 3: return String(format: "%.3e", v)
            case 4: return String(format: "%.0f", v.rounded())
            default: return String(format: "%.22f", v)
            }
        }
        var rings: [String] = []
        for k in 0..<4_000 {
            let x = Double.random(in: -180...180, using: &rng), y = Double.random(in: -90...90, using: &rng)
            let form = k % 6
            let p = [(x, y), (min(180, x + 0.5), y), (min(180, x + 0.5), min(90, y + 0.5)), (x, y)]
            let blank = k % 7 == 0 ? " " : ""
            rings.append("[" + p.map { "[\(blank)\(number($0.0, form)),\(number($0.1, form))\(blank)]" }.joined(separator: ",") + "]")
        }
        rings.append("[[-0,-0.0],[0.5,0],[0.5,0.5],[-0,-0.0]]")
        rings.append("[[1.0000000000000000001,2],[1.5,2],[1.5,2.5],[1.0000000000000000001,2]]")
        let features = rings.enumerated().map { k, ring in
            k % 2 == 0 ? #"{"type":"Feature","properties":null,"geometry":{"type":"Polygon","coordinates":[\#(ring)]}}"#
                : #"{"type":"Feature","properties":null,"geometry":{"coordinates":[\#(ring)],"type":"Polygon"}}"#
        }
        let bytes = Array((#"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}").utf8)
        let fast = try #require(read(bytes))
        let full = try decoded(bytes)
        #expect(fast.count == rings.count)
        let differing = zip(fast, full).enumerated().filter { $0.element.0.geometry != $0.element.1.geometry }.map(\.offset)
        #expect(differing.isEmpty, "\(differing.count) differ, first \(differing.prefix(3).map { rings[$0] })")
        // -0 is read as the integer 0, -0.0 as negative zero, as the decoder reads them.
        if case .polygon(let p)? = fast.dropLast().last?.geometry {
            #expect(p[0][0].x.sign == .plus && p[0][0].y.sign == .minus)
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
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[040,34],[41,34],[41,35],[040,34]]]}}]}"#,
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[40.,34],[41,34],[41,35],[40.,34]]]}}]}"#,
    ])
    func otherCasesAreLeftToTheDecoder(text: String) {
        #expect(read(Array(text.utf8)) == nil)
    }
}
