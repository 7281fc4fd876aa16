import GeoCore
import GeoGEOS
import Testing

let square: [Position] = [Position(x: 0, y: 0), Position(x: 10, y: 0), Position(x: 10, y: 10), Position(x: 0, y: 10), Position(x: 0, y: 0)]
let hole: [Position] = [Position(x: 2, y: 2), Position(x: 2, y: 4), Position(x: 4, y: 4), Position(x: 4, y: 2), Position(x: 2, y: 2)]

@Suite struct GeosConversionTests {
    static let samples: [Geometry] = [
        .point(Position(x: 40.91854, y: 34.45226)),
        .point(Position(x: 38.62, y: 33.5, z: 700.25)),
        .multiPoint([Position(x: 1, y: 2), Position(x: 3, y: 4)]),
        .multiPoint([]),
        .lineString([Position(x: 0, y: 0), Position(x: 1.5, y: 2.25), Position(x: 3, y: -1)]),
        .lineString([Position(x: 0, y: 0, z: 1), Position(x: 1, y: 1, z: 2)]),
        .multiLineString([[Position(x: 0, y: 0), Position(x: 1, y: 1)], [Position(x: 2, y: 2), Position(x: 3, y: 3)]]),
        .polygon([square, hole]),
        .polygon([]),
        .multiPolygon([[square], [hole]]),
        .multiPolygon([]),
        .geometryCollection([.point(Position(x: 1, y: 1)), .lineString([Position(x: 0, y: 0), Position(x: 1, y: 0)]), .polygon([square])]),
        .geometryCollection([]),
    ]

    @Test(arguments: samples)
    func valueRoundTripIsExact(geometry: Geometry) throws {
        let ctx = try GeosContext()
        let g = try ctx.geometry(from: geometry)
        #expect(try g.toGeometry() == geometry)
    }

    @Test(arguments: samples)
    func wkbRoundTripIsExact(geometry: Geometry) throws {
        let ctx = try GeosContext()
        let bytes = try ctx.geometry(from: geometry).wkb()
        #expect(try ctx.geometry(wkb: bytes).toGeometry() == geometry)
    }

    @Test(arguments: samples)
    func wktRoundTripIsExact(geometry: Geometry) throws {
        let ctx = try GeosContext()
        let text = try ctx.geometry(from: geometry).wkt()
        #expect(try ctx.geometry(wkt: text).toGeometry() == geometry, "\(text)")
    }

    @Test func wktText() throws {
        let ctx = try GeosContext()
        #expect(try ctx.geometry(from: .point(Position(x: 40.91854, y: 34.45226))).wkt() == "POINT (40.91854 34.45226)")
        #expect(try ctx.geometry(from: .point(Position(x: 40.91854, y: 34.45226))).wkt(precision: 2) == "POINT (40.92 34.45)")
        #expect(try ctx.geometry(wkt: "POINT Z (1 2 3)").toGeometry() == .point(Position(x: 1, y: 2, z: 3)))
    }

    @Test func geoJSONInAndOut() throws {
        let ctx = try GeosContext()
        let g = try ctx.geometry(geoJSON: #"{"type":"Polygon","coordinates":[[[0,0],[0,10],[10,10],[10,0],[0,0]]]}"#)
        #expect(try g.area() == 100)
        // Written back by the right-hand rule: the exterior turns counterclockwise.
        #expect(try g.geoJSON() == #"{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}"#)
        #expect(throws: GeoJSONError.self) { try ctx.geometry(geoJSON: #"{"type":"Point","coordinates":[1]}"#) }
        #expect(throws: GeosError.self) { try ctx.geometry(geoJSON: #"{"type":"Feature","geometry":null,"properties":{}}"#) }
    }

    @Test func malformedWKTIsALibraryErrorWithGEOSsMessage() throws {
        let ctx = try GeosContext()
        #expect {
            _ = try ctx.geometry(wkt: "POLYGON ((0 0, 1 1")
        } throws: { error in
            guard case .library(let function, let message)? = error as? GeosError else { return false }
            return function == "GEOSWKTReader_read_r" && message.contains("ParseException")
        }
        // The context still works after an error.
        #expect(try ctx.geometry(wkt: "POINT (1 2)").typeName == "Point")
    }

    @Test func badWKBIsAnError() throws {
        let ctx = try GeosContext()
        #expect(throws: GeosError.self) { try ctx.geometry(wkb: [0x01, 0x01, 0x00]) }
        #expect(throws: GeosError.self) { try ctx.geometry(wkb: []) }
        #expect(throws: GeosError.self) { try ctx.geometry(wkb: [0x07, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]) }
    }

    @Test func invalidValuesAreRefusedBeforeGEOS() throws {
        let ctx = try GeosContext()
        let unclosed = Array(square.dropLast())
        #expect(throws: GeosError.invalidInput("ring 0 is not closed: (0.0 0.0) ≠ (0.0 10.0)")) { try ctx.geometry(from: .polygon([unclosed])) }
        #expect(throws: GeosError.self) { try ctx.geometry(from: .polygon([[square[0], square[1], square[0]]])) }
        #expect(throws: GeosError.self) { try ctx.geometry(from: .lineString([square[0]])) }
        #expect(throws: GeosError.self) { try ctx.geometry(from: .point(Position(x: .nan, y: 0))) }
        // A bad part deep inside a collection is also refused, without leaking what was built.
        #expect(throws: GeosError.self) { try ctx.geometry(from: .geometryCollection([.point(Position(x: 0, y: 0)), .polygon([unclosed])])) }
    }
}

@Suite struct GeosOperationTests {
    let ctx: GeosContext
    init() throws { ctx = try GeosContext() }

    func g(_ wkt: String) throws -> GeosGeometry { try ctx.geometry(wkt: wkt) }

    @Test func predicates() throws {
        let poly = try g("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))")
        let inside = try g("POINT (5 5)"), edge = try g("POINT (10 5)"), outside = try g("POINT (20 20)")
        #expect(try poly.contains(inside) && !poly.contains(edge) && !poly.contains(outside))
        #expect(try poly.covers(edge) && edge.coveredBy(poly))
        #expect(try inside.within(poly) && !edge.within(poly))
        #expect(try poly.intersects(edge) && !poly.intersects(outside) && poly.disjoint(outside))
        #expect(try poly.touches(edge) && !poly.touches(inside))
        let line = try g("LINESTRING (-5 5, 15 5)")
        #expect(try line.crosses(poly))
        #expect(try poly.overlaps(g("POLYGON ((5 5, 15 5, 15 15, 5 15, 5 5))")))
        #expect(try poly.equals(g("POLYGON ((10 10, 0 10, 0 0, 10 0, 10 10))")))
        #expect(try !poly.equals(g("POLYGON ((10 10, 0 10, 0 0, 10 0, 10 10))"), tolerance: 0))
    }

    @Test func distanceAndNearestPoints() throws {
        let poly = try g("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))")
        let p = try g("POINT (13 14)")
        #expect(try poly.distance(to: p) == 5)
        let (a, b) = try poly.nearestPoints(with: p)
        #expect(a == Position(x: 10, y: 10) && b == Position(x: 13, y: 14))
    }

    @Test func bufferAreaApproachesACircle() throws {
        let circle = try g("POINT (0 0)").buffer(distance: 1, quadrantSegments: 64)
        #expect(abs(try circle.area() - Double.pi) < 0.001)
        let squareBuffer = try g("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))").buffer(distance: 1, quadrantSegments: 8, join: .mitre)
        #expect(abs(try squareBuffer.area() - 9) < 1e-9)
        #expect(try g("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))").buffer(distance: -6).isEmpty)
    }

    @Test func overlayAreas() throws {
        let a = try g("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"), b = try g("POLYGON ((5 0, 15 0, 15 10, 5 10, 5 0))")
        #expect(try a.union(b).area() == 150)
        #expect(try a.intersection(b).area() == 50)
        #expect(try a.difference(b).area() == 50)
        #expect(try a.symmetricDifference(b).area() == 100)
        #expect(try ctx.geometry(from: .geometryCollection([try a.toGeometry(), try b.toGeometry()])).unaryUnion().area() == 150)
    }

    @Test func hulls() throws {
        // An L-shaped cloud: the convex hull fills the notch, the concave hull follows it.
        var points: [Position] = []
        for x in 0...10 { for y in 0...10 where x <= 3 || y <= 3 { points.append(Position(x: Double(x), y: Double(y))) } }
        let cloud = try ctx.geometry(from: .multiPoint(points))
        #expect(try cloud.convexHull().area() == 75.5)
        let concave = try cloud.concaveHull(ratio: 0.1)
        #expect(try concave.area() < 60 && concave.area() >= 51)
        #expect(throws: GeosError.self) { try cloud.concaveHull(ratio: 2) }
    }

    @Test func simplifyDropsVertices() throws {
        let wiggly = try ctx.geometry(from: .lineString((0...100).map { Position(x: Double($0), y: $0 % 2 == 0 ? 0 : 0.01) }))
        guard case .lineString(let simple) = try wiggly.simplify(tolerance: 0.1).toGeometry() else { Issue.record("not a line"); return }
        #expect(simple.count == 2)
    }

    @Test func makeValidSplitsABowTie() throws {
        let bowTie = try g("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))")
        #expect(!bowTie.isValid)
        #expect(bowTie.validityReason.contains("Self-intersection"))
        let fixed = try bowTie.makeValid()
        #expect(fixed.isValid && fixed.typeName == "MultiPolygon")
        #expect(try fixed.area() == 50)
    }

    @Test func centroidAndPointOnSurface() throws {
        let poly = try ctx.geometry(from: .polygon([square]))
        #expect(try poly.centroid().toGeometry() == .point(Position(x: 5, y: 5)))
        #expect(try poly.covers(poly.pointOnSurface()))
        #expect(try ctx.geometry(from: .multiPoint([])).centroid().isEmpty)
        #expect(try poly.boundary().typeName == "LineString")
        #expect(poly.envelope == BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 10))
    }

    @Test func linearReferencing() throws {
        let line = try g("LINESTRING (0 0, 10 0, 10 10)")
        #expect(try line.project(g("POINT (10 4)")) == 14)
        #expect(try line.projectNormalized(g("POINT (5 -3)")) == 0.25)
        #expect(try line.interpolate(distance: 15).toGeometry() == .point(Position(x: 10, y: 5)))
        #expect(try line.interpolate(fraction: 0.5).toGeometry() == .point(Position(x: 10, y: 0)))
        #expect(try line.interpolate(distance: 99).toGeometry() == .point(Position(x: 10, y: 10)))
        #expect(try line.length() == 20)
    }

    @Test func preparedGeometryInBulk() throws {
        let poly = try ctx.geometry(from: .polygon([square, hole])).prepared()
        let result = try poly.covers(x: [5, 3, 10, 11, 0], y: [5, 3, 5, 5, 0])
        #expect(result == [true, false, true, false, true])
        #expect(try poly.contains(g("POINT (5 5)")) && !poly.contains(g("POINT (10 5)")))
        #expect(try poly.intersects(g("LINESTRING (-1 -1, 1 1)")))
        #expect(throws: GeosError.self) { try poly.covers(x: [1], y: []) }
    }

    @Test func geometriesFromAnotherContextAreRefused() throws {
        let other = try GeosContext()
        #expect(throws: GeosError.self) { try g("POINT (0 0)").distance(to: other.geometry(wkt: "POINT (1 1)")) }
    }
}

/// SplitMix64, so the random cases are the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct GeosSTRtreeTests {
    @Test func queryAndNearestMatchBruteForce() throws {
        let ctx = try GeosContext()
        var rng = SplitMix(state: 7)
        let x = (0..<500).map { _ in Double.random(in: 36...49, using: &rng) }
        let y = (0..<500).map { _ in Double.random(in: 29...38, using: &rng) }
        let tree = try GeosSTRtree(context: ctx, x: x, y: y)
        #expect(tree.count == 500)
        for _ in 0..<50 {
            let box = BoundingBox(minX: Double.random(in: 36...47, using: &rng), minY: Double.random(in: 29...36, using: &rng), maxX: 0, maxY: 0)
            let query = BoundingBox(minX: box.minX, minY: box.minY, maxX: box.minX + 1.5, maxY: box.minY + 1)
            let expected = (0..<500).filter { query.contains(Position(x: x[$0], y: y[$0])) }
            #expect(try tree.query(envelope: query) == expected)

            let qx = Double.random(in: 36...49, using: &rng), qy = Double.random(in: 29...38, using: &rng)
            let nearest = try tree.nearest(to: ctx.point(x: qx, y: qy))
            let brute = (0..<500).min { (x[$0] - qx) * (x[$0] - qx) + (y[$0] - qy) * (y[$0] - qy) < (x[$1] - qx) * (x[$1] - qx) + (y[$1] - qy) * (y[$1] - qy) }
            #expect(nearest == brute)
        }
    }

    @Test func treeOfPolygons() throws {
        let ctx = try GeosContext()
        let tree = try GeosSTRtree(context: ctx, geometries: [
            try ctx.geometry(from: .polygon([square])),
            try ctx.geometry(wkt: "POLYGON ((20 20, 30 20, 30 30, 20 30, 20 20))"),
        ])
        #expect(try tree.query(ctx.geometry(wkt: "POINT (25 25)")) == [1])
        #expect(try tree.nearest(to: ctx.geometry(wkt: "POINT (12 12)")) == 0)
        let empty = try GeosSTRtree(context: ctx, geometries: [])
        #expect(try empty.nearest(to: ctx.point(x: 0, y: 0)) == nil)
        #expect(try empty.query(envelope: BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)).isEmpty)
    }
}
