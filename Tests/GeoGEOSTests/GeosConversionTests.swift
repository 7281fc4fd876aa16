import GeoCore
import GeoGEOS
import Testing

/// One case per geometry type (and the awkward variants of each): the value, and GEOS's name
/// for its type.
struct Sample: CustomTestStringConvertible, Sendable {
    let name: String
    let value: Geometry
    let geosType: String
    var testDescription: String { name }
}

@Suite struct GeosConversionTests {
    static let samples: [Sample] = [
        Sample(name: "Point", value: .point(P(40.91854, 34.45226)), geosType: "Point"),
        Sample(name: "Point Z", value: .point(P(38.62, 33.5, 700.25)), geosType: "Point"),
        Sample(name: "Point, awkward doubles", value: .point(P(0.1 + 0.2, 1.0 / 3)), geosType: "Point"),
        Sample(name: "Point, small and large", value: .point(P(-1.234567890123e-9, 9.87654321e15)), geosType: "Point"),
        Sample(name: "MultiPoint", value: .multiPoint([P(1, 2), P(3, 4)]), geosType: "MultiPoint"),
        Sample(name: "MultiPoint Z", value: .multiPoint([P(1, 2, -3), P(3, 4, 5.5)]), geosType: "MultiPoint"),
        Sample(name: "MultiPoint empty", value: .multiPoint([]), geosType: "MultiPoint"),
        Sample(name: "LineString", value: .lineString([P(0, 0), P(1.5, 2.25), P(3, -1)]), geosType: "LineString"),
        Sample(name: "LineString Z", value: .lineString([P(0, 0, 1), P(1, 1, 2)]), geosType: "LineString"),
        Sample(name: "LineString empty", value: .lineString([]), geosType: "LineString"),
        Sample(name: "MultiLineString",
               value: .multiLineString([[P(0, 0), P(1, 1)], [P(2, 2), P(3, 3), P(4, 2)]]), geosType: "MultiLineString"),
        Sample(name: "MultiLineString empty", value: .multiLineString([]), geosType: "MultiLineString"),
        Sample(name: "Polygon", value: .polygon([square10]), geosType: "Polygon"),
        Sample(name: "Polygon with hole", value: .polygon([square10, hole2]), geosType: "Polygon"),
        Sample(name: "Polygon Z with hole",
               value: .polygon([square10.map { P($0.x, $0.y, 100) }, hole2.map { P($0.x, $0.y, -7.25) }]), geosType: "Polygon"),
        Sample(name: "Polygon lon/lat",
               value: .polygon([[P(40.1234567, 34.7654321), P(40.9876543, 34.7654321), P(40.9876543, 35.0000001), P(40.1234567, 34.7654321)]]),
               geosType: "Polygon"),
        Sample(name: "Polygon empty", value: .polygon([]), geosType: "Polygon"),
        Sample(name: "MultiPolygon", value: .multiPolygon([[square10, hole2], [hole2.reversed()]]), geosType: "MultiPolygon"),
        Sample(name: "MultiPolygon empty", value: .multiPolygon([]), geosType: "MultiPolygon"),
        Sample(name: "GeometryCollection",
               value: .geometryCollection([.point(P(1, 1)), .lineString([P(0, 0), P(1, 0)]), .polygon([square10])]),
               geosType: "GeometryCollection"),
        Sample(name: "GeometryCollection nested, with empties",
               value: .geometryCollection([.multiPoint([]), .geometryCollection([.point(P(5, 6, 7)), .multiPolygon([])]),
                                           .multiLineString([[P(0, 0), P(2, 2)]])]),
               geosType: "GeometryCollection"),
        Sample(name: "GeometryCollection empty", value: .geometryCollection([]), geosType: "GeometryCollection"),
    ]

    @Test(arguments: samples)
    func valueRoundTripIsExact(sample: Sample) throws {
        let ctx = try GeosContext()
        let g = try ctx.geometry(from: sample.value)
        #expect(g.typeName == sample.geosType)
        #expect(g.isEmpty == sample.value.isEmpty)
        #expect(g.hasZ == sample.value.hasZ)
        #expect(try g.toGeometry() == sample.value)
    }

    @Test(arguments: samples)
    func wkbRoundTripIsExact(sample: Sample) throws {
        let ctx = try GeosContext()
        let bytes = try ctx.geometry(from: sample.value).wkb()
        #expect(bytes.first == 1, "little-endian")
        let back = try ctx.geometry(wkb: bytes)
        #expect(try back.toGeometry() == sample.value)
        #expect(try back.wkb() == bytes)
    }

    @Test(arguments: samples)
    func wktRoundTripIsExact(sample: Sample) throws {
        let ctx = try GeosContext()
        let text = try ctx.geometry(from: sample.value).wkt()
        #expect(text.hasPrefix(sample.geosType.uppercased()), "\(text)")
        #expect(try ctx.geometry(wkt: text).toGeometry() == sample.value, "\(text)")
    }

    @Test func wktText() throws {
        let ctx = try GeosContext()
        let point = try ctx.geometry(from: .point(P(40.91854, 34.45226)))
        #expect(try point.wkt() == "POINT (40.91854 34.45226)")
        #expect(try point.wkt(precision: 2) == "POINT (40.92 34.45)")
        #expect(try ctx.geometry(from: .point(P(1.5, 2))).wkt(precision: 3, trim: false) == "POINT (1.500 2.000)")
        #expect(try ctx.geometry(from: .point(P(0.1 + 0.2, 1))).wkt() == "POINT (0.30000000000000004 1)")
        #expect(try ctx.geometry(from: .point(P(1, 2, 3))).wkt() == "POINT Z (1 2 3)")
        #expect(try ctx.geometry(from: .multiPoint([])).wkt() == "MULTIPOINT EMPTY")
        #expect(try ctx.geometry(from: .polygon([square10, hole2])).wkt()
            == "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))")
        #expect(try ctx.geometry(wkt: "POINT Z (1 2 3)").toGeometry() == .point(P(1, 2, 3)))
        #expect("\(try ctx.geometry(wkt: "LINESTRING (0 0, 1 1)"))" == "LINESTRING (0 0, 1 1)")
    }

    @Test func hugeCoordinatesAreWrittenUntrimmedAndRefusedTrimmed() throws {
        let ctx = try GeosContext()
        let value = Geometry.point(P(1e150, -2))
        let g = try ctx.geometry(from: value)
        // GEOS 3.11's trimmed writer would smash its stack on this number.
        expectInvalidInput { _ = try g.wkt() }
        expectInvalidInput { _ = try ctx.geometry(from: .point(P(1, 2, -1e200))).wkt() }
        let text = try g.wkt(trim: false)
        #expect(try ctx.geometry(wkt: text).toGeometry() == value)
        #expect(try ctx.geometry(from: .point(P(1e99, 1))).wkt() == "POINT (1\(String(repeating: "0", count: 99)) 1)")
    }

    @Test func wkbInOtherFlavours() throws {
        let ctx = try GeosContext()
        // Big-endian 2D point (1.5, -2).
        let big: [UInt8] = [0, 0, 0, 0, 1] + withUnsafeBytes(of: (1.5).bitPattern.bigEndian, Array.init)
            + withUnsafeBytes(of: (-2.0).bitPattern.bigEndian, Array.init)
        #expect(try ctx.geometry(wkb: big).toGeometry() == .point(P(1.5, -2)))
        // ISO WKB, little-endian Point Z (type 1001).
        let iso: [UInt8] = [1] + withUnsafeBytes(of: UInt32(1001).littleEndian, Array.init)
            + [1.0, 2.0, 3.0].flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
        #expect(try ctx.geometry(wkb: iso).toGeometry() == .point(P(1, 2, 3)))
    }

    @Test func emptyPointsHaveNoValueOfTheirOwn() throws {
        let ctx = try GeosContext()
        // WKB writes POINT EMPTY as NaN NaN.
        let nanPoint: [UInt8] = [1, 1, 0, 0, 0] + [Double.nan, .nan].flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
        let empty = try ctx.geometry(wkb: nanPoint)
        #expect(empty.isEmpty && empty.typeName == "Point")
        #expect(try empty.toGeometry() == .geometryCollection([]))
        // A MultiPoint holding one empty and one real point keeps the real one.
        let point: [UInt8] = [1, 1, 0, 0, 0] + [7.0, 8.0].flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
        let multi: [UInt8] = [1, 4, 0, 0, 0, 2, 0, 0, 0] + nanPoint + point
        #expect(try ctx.geometry(wkb: multi).toGeometry() == .multiPoint([P(7, 8)]))
        #expect(try ctx.geometry(wkt: "GEOMETRYCOLLECTION (POINT EMPTY, POINT (1 2))").toGeometry()
            == .geometryCollection([.geometryCollection([]), .point(P(1, 2))]))
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let ctx = try GeosContext()
        var value = Geometry.point(P(1, 2))
        for _ in 0..<GeosContext.maximumNestingDepth { value = .geometryCollection([value]) }
        let g = try ctx.geometry(from: value)
        #expect(try g.toGeometry() == value)
        #expect(try ctx.geometry(wkb: g.wkb()).toGeometry() == value)
        #expect(try ctx.geometry(wkt: g.wkt()).toGeometry() == value)
    }

    @Test func geoJSONInAndOut() throws {
        let ctx = try GeosContext()
        let g = try ctx.geometry(geoJSON: #"{"type":"Polygon","coordinates":[[[0,0],[0,10],[10,10],[10,0],[0,0]]]}"#)
        #expect(try g.area == 100)
        // Written back by the right-hand rule: the exterior turns counterclockwise.
        #expect(try g.geoJSON() == #"{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}"#)
        #expect(throws: GeoJSONError.self) { try ctx.geometry(geoJSON: #"{"type":"Point","coordinates":[1]}"#) }
        expectInvalidInput { _ = try ctx.geometry(geoJSON: #"{"type":"Feature","geometry":null,"properties":{}}"#) }
    }

    @Test func makeValidOnValues() throws {
        let ctx = try GeosContext()
        let bowTie = Geometry.polygon([[P(0, 0), P(10, 10), P(10, 0), P(0, 10), P(0, 0)]])
        guard case .multiPolygon(let parts) = try ctx.makeValid(bowTie) else {
            Issue.record("a repaired bow-tie should be a MultiPolygon")
            return
        }
        #expect(parts.count == 2)
    }

    @Test func versionIsTheLoadedLibrary() {
        #expect(GeosContext.geosVersion.hasPrefix("3."))
        #expect(!GeosContext.geosVersion.contains("CAPI"))
    }
}
