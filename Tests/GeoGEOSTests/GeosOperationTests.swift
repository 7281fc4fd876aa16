import Foundation
import GeoCore
import GeoGEOS
import Testing

@Suite struct GeosOperationTests {
    let ctx: GeosContext
    init() throws { ctx = try GeosContext() }

    func g(_ wkt: String) throws -> GeosGeometry { try ctx.geometry(wkt: wkt) }

    /// A predicate case: the predicate, a pair for which it holds, and a pair for which not.
    struct PredicateCase: CustomTestStringConvertible, Sendable {
        let name: String
        let holds: (String, String)
        let fails: (String, String)
        var testDescription: String { name }
    }

    static let square = "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"
    static let predicateCases: [PredicateCase] = [
        PredicateCase(name: "intersects", holds: (square, "POINT (10 5)"), fails: (square, "POINT (20 20)")),
        PredicateCase(name: "contains", holds: (square, "POINT (5 5)"), fails: (square, "POINT (10 5)")),
        PredicateCase(name: "within", holds: ("POINT (5 5)", square), fails: ("POINT (10 5)", square)),
        PredicateCase(name: "covers", holds: (square, "POINT (10 5)"), fails: (square, "POINT (10.5 5)")),
        PredicateCase(name: "coveredBy", holds: ("LINESTRING (0 0, 10 0)", square), fails: ("LINESTRING (0 0, 11 0)", square)),
        PredicateCase(name: "touches", holds: (square, "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))"), fails: (square, "POINT (5 5)")),
        PredicateCase(name: "crosses", holds: ("LINESTRING (-5 5, 15 5)", square), fails: ("LINESTRING (1 5, 9 5)", square)),
        PredicateCase(name: "overlaps", holds: (square, "POLYGON ((5 5, 15 5, 15 15, 5 15, 5 5))"),
                      fails: (square, "POLYGON ((2 2, 8 2, 8 8, 2 8, 2 2))")),
        PredicateCase(name: "disjoint", holds: (square, "POINT (20 20)"), fails: (square, "POINT (0 0)")),
        PredicateCase(name: "equals", holds: (square, "POLYGON ((10 10, 0 10, 0 0, 10 0, 10 10))"),
                      fails: (square, "POLYGON ((0 0, 10 0, 10 10, 0 10.001, 0 0))")),
    ]

    func evaluate(_ name: String, _ a: GeosGeometry, _ b: GeosGeometry) throws -> Bool {
        switch name {
        case "intersects": try a.intersects(b)
        case "contains": try a.contains(b)
        case "within": try a.within(b)
        case "covers": try a.covers(b)
        case "coveredBy": try a.coveredBy(b)
        case "touches": try a.touches(b)
        case "crosses": try a.crosses(b)
        case "overlaps": try a.overlaps(b)
        case "disjoint": try a.disjoint(b)
        case "equals": try a.equals(b)
        default: throw GeosError.invalidInput("no predicate \(name)")
        }
    }

    @Test(arguments: predicateCases)
    func predicate(_ c: PredicateCase) throws {
        #expect(try evaluate(c.name, g(c.holds.0), g(c.holds.1)))
        #expect(try !evaluate(c.name, g(c.fails.0), g(c.fails.1)))
    }

    @Test func equalsWithTolerance() throws {
        let a = try g(Self.square)
        #expect(try a.equals(g("POLYGON ((0 0, 10 0, 10 10, 0 10.001, 0 0))"), tolerance: 0.01))
        #expect(try !a.equals(g("POLYGON ((0 0, 10 0, 10 10, 0 10.1, 0 0))"), tolerance: 0.01))
        // Same point set, different vertex order: topologically equal, not exactly.
        #expect(try !a.equals(g("POLYGON ((10 10, 0 10, 0 0, 10 0, 10 10))"), tolerance: 0))
    }

    @Test func distanceAndNearestPoints() throws {
        let poly = try g(Self.square)
        let p = try g("POINT (13 14)")
        #expect(try poly.distance(to: p) == 5)
        #expect(try poly.distance(to: g("POINT (5 5)")) == 0)
        let (a, b) = try poly.nearestPoints(with: p)
        #expect(a == P(10, 10) && b == P(13, 14))
    }

    @Test func measurements() throws {
        let poly = try ctx.geometry(from: .polygon([square10, hole2]))
        #expect(try poly.area == 96)
        #expect(try poly.length == 48)
        #expect(try g("LINESTRING (0 0, 3 4, 3 10)").length == 11)
        #expect(try g("POINT (1 1)").area == 0)
        #expect(poly.envelope == BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 10))
        #expect(try g("MULTIPOINT EMPTY").envelope.isEmpty)
        #expect(poly.coordinateCount == 10)
    }

    @Test func pointBufferIsTheInscribedPolygon() throws {
        // 16 segments per quadrant: a regular 64-gon of radius 2, area (n/2)·r²·sin(2π/n).
        let circle = try g("POINT (3 4)").buffer(distance: 2, quadrantSegments: 16)
        let expected = 32 * 4 * sin(2 * Double.pi / 64)
        #expect(abs(try circle.area - expected) < 1e-9)
        #expect(circle.coordinateCount == 65)
    }

    @Test func unitSquareBuffer() throws {
        let unit = try g("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")
        // Round joins: the square, four 1×1 side strips, and four quarter-circle corners
        // making one 32-gon of radius 1.
        let round = try unit.buffer(distance: 1, quadrantSegments: 8)
        #expect(abs(try round.area - (1 + 4 + 16 * sin(2 * Double.pi / 32))) < 1e-9)
        // Mitre joins: the 3×3 square.
        #expect(abs(try unit.buffer(distance: 1, join: .mitre).area - 9) < 1e-12)
        // Bevel joins: 3×3 less four corner triangles of area ½.
        #expect(abs(try unit.buffer(distance: 1, join: .bevel).area - 7) < 1e-12)
        // Negative distances shrink, to nothing past the half width.
        #expect(abs(try unit.buffer(distance: -0.25, join: .mitre).area - 0.25) < 1e-12)
        #expect(try unit.buffer(distance: -0.6).isEmpty)
    }

    @Test func lineBufferCaps() throws {
        let line = try g("LINESTRING (0 0, 10 0)")
        #expect(abs(try line.buffer(distance: 1, cap: .flat).area - 20) < 1e-12)
        #expect(abs(try line.buffer(distance: 1, cap: .square).area - 24) < 1e-12)
    }

    @Test func overlayAreas() throws {
        let a = try g(Self.square), b = try g("POLYGON ((5 0, 15 0, 15 10, 5 10, 5 0))")
        #expect(try a.union(b).area == 150)
        #expect(try a.intersection(b).area == 50)
        #expect(try a.difference(b).area == 50)
        #expect(try b.difference(a).envelope == BoundingBox(minX: 10, minY: 0, maxX: 15, maxY: 10))
        #expect(try a.symmetricDifference(b).area == 100)
        #expect(try a.intersection(g("POINT (50 50)")).isEmpty)
        let both = try ctx.geometry(from: .geometryCollection([try a.toGeometry(), try b.toGeometry()]))
        let dissolved = try both.unaryUnion()
        #expect(try dissolved.area == 150)
        #expect(dissolved.typeName == "Polygon")
    }

    /// An L-shaped cloud of grid points: x ≤ 3 or y ≤ 3 in 0…10.
    func lCloud() throws -> GeosGeometry {
        var points: [Position] = []
        for x in 0...10 { for y in 0...10 where x <= 3 || y <= 3 { points.append(P(Double(x), Double(y))) } }
        return try ctx.geometry(from: .multiPoint(points))
    }

    @Test func convexHullFillsTheNotch() throws {
        let hull = try lCloud().convexHull()
        // The 10×10 square less the triangle (10 3, 10 10, 3 10).
        #expect(try hull.area == 75.5)
        #expect(try hull.equals(g("POLYGON ((0 0, 10 0, 10 3, 3 10, 0 10, 0 0))")))
    }

    @Test func concaveHullFollowsTheNotch() throws {
        let cloud = try lCloud()
        // The L itself has area 51 (30 + 21); at ratio 0.1 the hull follows it, cutting only the
        // inner corner (3 3) by the diagonal (3 4)–(4 3): half a unit more.
        let tight = try cloud.concaveHull(ratio: 0.1)
        #expect(try tight.area == 51.5)
        #expect(try tight.equals(g("POLYGON ((0 0, 10 0, 10 3, 4 3, 3 4, 3 10, 0 10, 0 0))")))
        #expect(try tight.covers(cloud))
        // Looser ratios cut the notch more, up to the convex hull at 1.
        let loose = try cloud.concaveHull(ratio: 0.5).area
        #expect(loose > 51.5 && loose < 75.5)
        #expect(try cloud.concaveHull(ratio: 1).area == 75.5)
    }

    @Test func simplifyDropsVertices() throws {
        let wiggly = try ctx.geometry(from: .lineString((0...100).map { P(Double($0), $0 % 2 == 0 ? 0 : 0.01) }))
        #expect(wiggly.coordinateCount == 101)
        let simple = try wiggly.simplify(tolerance: 0.1)
        #expect(simple.coordinateCount == 2)
        #expect(try simple.toGeometry() == .lineString([P(0, 0), P(100, 0)]))
        #expect(try wiggly.simplify(tolerance: 0.001).coordinateCount == 101)
        #expect(try wiggly.simplify(tolerance: 0.1, preserveTopology: false).coordinateCount == 2)
    }

    @Test func makeValidSplitsABowTie() throws {
        let bowTie = try g("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))")
        #expect(!bowTie.isValid)
        #expect(bowTie.validityReason.hasPrefix("Self-intersection"))
        let fixed = try bowTie.makeValid()
        #expect(fixed.isValid)
        #expect(fixed.validityReason == "Valid Geometry")
        #expect(fixed.typeName == "MultiPolygon")
        #expect(try fixed.area == 50)
        guard case .multiPolygon(let parts) = try fixed.toGeometry() else { Issue.record("not a MultiPolygon"); return }
        #expect(parts.count == 2)
        for part in parts { #expect(try ctx.geometry(from: .polygon(part)).area == 25) }
    }

    @Test func centroidPointOnSurfaceAndBoundary() throws {
        let poly = try ctx.geometry(from: .polygon([square10]))
        #expect(try poly.centroid().toGeometry() == .point(P(5, 5)))
        // With the hole at 2…4: (100·5 − 4·3) / 96 on both axes.
        guard case .point(let c) = try ctx.geometry(from: .polygon([square10, hole2])).centroid().toGeometry() else {
            Issue.record("centroid is not a point"); return
        }
        #expect(abs(c.x - 488.0 / 96) < 1e-12 && abs(c.y - 488.0 / 96) < 1e-12)
        let concave = try g("POLYGON ((0 0, 10 0, 10 1, 1 1, 1 10, 0 10, 0 0))")
        #expect(try !concave.contains(concave.centroid()))
        #expect(try concave.contains(concave.pointOnSurface()))
        #expect(try ctx.geometry(from: .multiPoint([])).centroid().isEmpty)
        #expect(try poly.boundary().equals(g("LINESTRING (0 0, 10 0, 10 10, 0 10, 0 0)")))
        #expect(try g("LINESTRING (0 0, 5 5, 9 0)").boundary().toGeometry() == .multiPoint([P(0, 0), P(9, 0)]))
    }

    @Test func linearReferencing() throws {
        let line = try g("LINESTRING (0 0, 10 0, 10 10)")
        #expect(try line.project(g("POINT (10 4)")) == 14)
        #expect(try line.project(g("POINT (-3 -3)")) == 0)
        #expect(try line.projectNormalized(g("POINT (5 -3)")) == 0.25)
        #expect(try line.interpolate(distance: 15).toGeometry() == .point(P(10, 5)))
        #expect(try line.interpolate(distance: -5).toGeometry() == .point(P(10, 5)))
        #expect(try line.interpolate(distance: 99).toGeometry() == .point(P(10, 10)))
        #expect(try line.interpolate(fraction: 0.5).toGeometry() == .point(P(10, 0)))
        #expect(try line.interpolate(fraction: 0.75).toGeometry() == .point(P(10, 5)))
        // Interpolating then projecting comes back to the same distance.
        for d in stride(from: 0.0, through: 20, by: 2.5) {
            #expect(try line.project(line.interpolate(distance: d)) == d)
        }
    }

    @Test func preparedPredicatesMatchUnprepared() throws {
        let base = try ctx.geometry(from: .polygon([square10, hole2]))
        let prepared = try base.prepared()
        #expect(try prepared.contains(g("POINT (5 5)")) && !prepared.contains(g("POINT (10 5)")))
        #expect(try prepared.covers(g("POINT (10 5)")) && !prepared.covers(g("POINT (3 3)")))
        #expect(try prepared.intersects(g("LINESTRING (-1 -1, 1 1)")) && !prepared.intersects(g("POINT (3 3)")))

        var rng = SeededGenerator(seed: 42)
        // Random points, plus points exactly on the outer and hole boundaries.
        var x = (0..<300).map { _ in Double.random(in: -2...12, using: &rng) }
        var y = (0..<300).map { _ in Double.random(in: -2...12, using: &rng) }
        x += [0, 10, 5, 2, 4, 3, 3]
        y += [5, 10, 0, 3, 2, 3, 4]
        let contains = try prepared.contains(x: x, y: y)
        let covers = try prepared.covers(x: x, y: y)
        let intersects = try prepared.intersects(x: x, y: y)
        for i in x.indices {
            let p = try ctx.point(x: x[i], y: y[i])
            #expect(contains[i] == (try base.contains(p)), "point \(i)")
            #expect(covers[i] == (try base.covers(p)), "point \(i)")
            #expect(intersects[i] == covers[i], "point \(i)")
        }
        #expect(contains.contains(true) && contains.contains(false))
        #expect(zip(contains, covers).contains { !$0 && $1 }, "boundary points are covered, not contained")
        expectInvalidInput { _ = try prepared.contains(x: [1], y: []) }
        expectInvalidInput { _ = try prepared.covers(x: [1, .nan], y: [1, 1]) }
    }

    @Test func oneContextPerTask() async throws {
        // Each task makes and uses its own context; results agree.
        let areas = try await withThrowingTaskGroup(of: Double.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let ctx = try GeosContext()
                    var total = 0.0
                    for i in 0..<50 {
                        let a = try ctx.point(x: Double(i), y: 0).buffer(distance: 1, quadrantSegments: 8)
                        let b = try ctx.point(x: Double(i) + 1, y: 0).buffer(distance: 1, quadrantSegments: 8)
                        total += try a.union(b).area
                    }
                    return total
                }
            }
            return try await group.reduce(into: [Double]()) { $0.append($1) }
        }
        #expect(areas.count == 4 && Set(areas).count == 1)
    }
}
