import GeoCore
import GeoGEOS
import Testing

@Suite struct GeosSTRtreeTests {
    let ctx: GeosContext
    init() throws { ctx = try GeosContext() }

    static func randomPoints(_ n: Int, seed: UInt64) -> (x: [Double], y: [Double]) {
        var rng = SeededGenerator(seed: seed)
        let x = (0..<n).map { _ in Double.random(in: 36...49, using: &rng) }
        let y = (0..<n).map { _ in Double.random(in: 29...38, using: &rng) }
        return (x, y)
    }

    @Test(arguments: [2, 10, 64])
    func pointQueriesAndNearestMatchBruteForce(nodeCapacity: Int) throws {
        let n = 400
        let (x, y) = Self.randomPoints(n, seed: 7)
        let tree = try GeosSTRtree(context: ctx, x: x, y: y, nodeCapacity: nodeCapacity)
        #expect(tree.count == n)
        var rng = SeededGenerator(seed: 99)
        var totalHits = 0
        for _ in 0..<60 {
            let minX = Double.random(in: 35...48, using: &rng), minY = Double.random(in: 28...37, using: &rng)
            let box = BoundingBox(minX: minX, minY: minY, maxX: minX + Double.random(in: 0...2, using: &rng),
                                  maxY: minY + Double.random(in: 0...1.5, using: &rng))
            let expected = (0..<n).filter { box.contains(P(x[$0], y[$0])) }
            totalHits += expected.count
            #expect(try tree.query(envelope: box) == expected)
            #expect(try tree.query(ctx.rectangle(box)) == expected)

            let qx = Double.random(in: 34...51, using: &rng), qy = Double.random(in: 27...40, using: &rng)
            let d2 = { (i: Int) in (x[i] - qx) * (x[i] - qx) + (y[i] - qy) * (y[i] - qy) }
            let brute = (0..<n).min { d2($0) < d2($1) }
            #expect(try tree.nearest(to: ctx.point(x: qx, y: qy)) == brute)
        }
        #expect(totalHits > 100, "the boxes should find something")
        // Every point finds itself.
        for i in stride(from: 0, to: n, by: 37) {
            #expect(try tree.nearest(to: ctx.point(x: x[i], y: y[i])) == i)
            #expect(try tree.query(ctx.point(x: x[i], y: y[i])) == [i])
        }
    }

    @Test func polygonQueriesAndNearestMatchBruteForce() throws {
        // 200 small random squares, as values.
        var rng = SeededGenerator(seed: 2024)
        let squares: [Geometry] = (0..<200).map { _ in
            let x = Double.random(in: 0...100, using: &rng), y = Double.random(in: 0...100, using: &rng)
            let s = Double.random(in: 0.1...3, using: &rng)
            return .polygon([[P(x, y), P(x + s, y), P(x + s, y + s), P(x, y + s), P(x, y)]])
        }
        let tree = try GeosSTRtree(context: ctx, geometries: squares)
        let geometries = try squares.map { try ctx.geometry(from: $0) }
        for _ in 0..<40 {
            let qx = Double.random(in: -10...110, using: &rng), qy = Double.random(in: -10...110, using: &rng)
            let query = try ctx.point(x: qx, y: qy).buffer(distance: 4, quadrantSegments: 4)
            let candidates = try tree.query(query)
            let expected = geometries.indices.filter {
                let a = geometries[$0].envelope, b = query.envelope
                return a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY
            }
            #expect(candidates == expected)
            // Exact intersections are a subset of the candidates.
            let exact = try expected.filter { try geometries[$0].intersects(query) }
            #expect(Set(exact).isSubset(of: candidates))

            // Nearest by true distance (squares may tie at distance 0, so compare distances).
            let point = try ctx.point(x: qx, y: qy)
            let nearest = try #require(try tree.nearest(to: point))
            let best = try geometries.map { try $0.distance(to: point) }.min()!
            #expect(try geometries[nearest].distance(to: point) == best)
        }
    }

    @Test func treeOfGEOSGeometries() throws {
        let items = [
            try ctx.geometry(from: .polygon([square10])),
            try ctx.geometry(wkt: "POLYGON ((20 20, 30 20, 30 30, 20 30, 20 20))"),
            try ctx.geometry(wkt: "LINESTRING (0 40, 40 40)"),
        ]
        let tree = try GeosSTRtree(context: ctx, geometries: items)
        #expect(try tree.query(ctx.geometry(wkt: "POINT (25 25)")) == [1])
        #expect(try tree.query(envelope: BoundingBox(minX: 5, minY: 5, maxX: 25, maxY: 45)) == [0, 1, 2])
        #expect(try tree.query(envelope: BoundingBox(minX: 11, minY: 11, maxX: 19, maxY: 19)) == [])
        #expect(try tree.nearest(to: ctx.geometry(wkt: "POINT (12 12)")) == 0)
        #expect(try tree.nearest(to: ctx.geometry(wkt: "POINT (26 36)")) == 2)
        // Envelope candidates are not exact: the line's box holds the point, the line does not.
        #expect(try tree.query(ctx.point(x: 20, y: 40)) == [2])
    }

    @Test func emptyItemsTreesAndQueries() throws {
        let values: [Geometry] = [.polygon([]), .point(P(5, 5)), .multiPoint([])]
        let tree = try GeosSTRtree(context: ctx, geometries: values)
        #expect(tree.count == 3)
        #expect(try tree.nearest(to: ctx.point(x: 0, y: 0)) == 1)
        #expect(try tree.query(envelope: BoundingBox(minX: -100, minY: -100, maxX: 100, maxY: 100)) == [1])
        #expect(try tree.nearest(to: ctx.geometry(wkt: "POINT EMPTY")) == nil)
        #expect(try tree.query(ctx.geometry(wkt: "POLYGON EMPTY")) == [])
        #expect(try tree.query(envelope: .empty) == [])

        let empty = try GeosSTRtree(context: ctx, geometries: [Geometry]())
        #expect(empty.count == 0)
        #expect(try empty.nearest(to: ctx.point(x: 0, y: 0)) == nil)
        #expect(try empty.query(envelope: BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)).isEmpty)
        let onlyEmpty = try GeosSTRtree(context: ctx, geometries: [Geometry.multiPolygon([])])
        #expect(try onlyEmpty.nearest(to: ctx.point(x: 0, y: 0)) == nil)
    }

    @Test func badTreeInputIsRefused() throws {
        expectInvalidInput { _ = try GeosSTRtree(context: ctx, x: [1, 2], y: [1]) }
        expectInvalidInput { _ = try GeosSTRtree(context: ctx, x: [1, .nan], y: [1, 2]) }
        expectInvalidInput { _ = try GeosSTRtree(context: ctx, x: [1], y: [1], nodeCapacity: 1) }
        let error = #expect(throws: GeosError.self) {
            try GeosSTRtree(context: ctx, geometries: [Geometry.point(P(0, 0)), .lineString([P(1, 1)])])
        }
        #expect(error == .invalidInput("item 1: a LineString needs at least 2 positions, got 1"))
        let tree = try GeosSTRtree(context: ctx, x: [1], y: [1])
        expectInvalidInput { _ = try tree.query(envelope: BoundingBox(minX: 0, minY: .nan, maxX: 1, maxY: 1)) }
        expectInvalidInput { _ = try tree.nearest(to: GeosContext().point(x: 0, y: 0)) }
    }
}
