import GeoCore
import GeoGEOS
import GeoMetric
import GeoProj
import Testing

@Suite struct MetricBufferTests {
    let albuKamal = Position(longitude: 40.91854, latitude: 34.45226)

    @Test func fiftyKilometreBufferHasTheRightAreaOnTheEllipsoid() throws {
        let metric = try MetricGeometry()
        let buffer = try metric.buffer(.point(albuKamal), distance: .kilometers(50))
        let area = try metric.areaSquareMeters(buffer)
        let expected = Double.pi * 50_000 * 50_000
        #expect(abs(area / expected - 1) < 0.005, "area ratio \(area / expected)")
        // And far tighter than the 0.5 % the issue asks: 128 vertices lose ~0.04 %.
        #expect(abs(area / expected - 1) < 0.001)
        // Every vertex is 50 km from the centre, on the ground.
        guard case .polygon(let rings) = buffer else { Issue.record("not a polygon"); return }
        for p in rings[0] {
            #expect(abs(try metric.geodesic.distanceMeters(from: albuKamal, to: p) - 50_000) < 0.001)
        }
        #expect(Ring.isCounterclockwise(rings[0]))
    }

    @Test func degreeBufferWouldBeWrong() throws {
        // The mistake this module exists to prevent: 50 km taken as 0.45° of arc is an ellipse on
        // the ground, only ~41 km wide east-west at 34.45°N, 18 % short in area.
        let metric = try MetricGeometry()
        let degrees = try metric.geos.geometry(from: .point(albuKamal)).buffer(distance: 50 / 111.32).toGeometry()
        let area = try metric.areaSquareMeters(degrees)
        #expect(area / (Double.pi * 50_000 * 50_000) < 0.85)
        let east = Position(longitude: albuKamal.longitude + 50 / 111.32, latitude: albuKamal.latitude)
        #expect(try metric.geodesic.distanceMeters(from: albuKamal, to: east) < 42_000)
    }

    @Test func lineBufferThroughTheLocalProjection() throws {
        let metric = try MetricGeometry()
        // About 100 km along the Euphrates valley.
        let line = Geometry.lineString([albuKamal, Position(longitude: 41.9, latitude: 34.1)])
        let length = try metric.geodesic.lengthMeters(of: line)
        let buffer = try metric.buffer(line, distance: .kilometers(10))
        let area = try metric.areaSquareMeters(buffer)
        let expected = 2 * 10_000 * length + Double.pi * 10_000 * 10_000
        #expect(abs(area / expected - 1) < 0.005, "area ratio \(area / expected)")
    }

    @Test func spreadOutGeometryIsBufferedPartByPart() throws {
        let metric = try MetricGeometry()
        let erbil = Position(longitude: 44.00943, latitude: 36.19117)
        let far = Position(longitude: 2.35, latitude: 48.86)  // Paris: far outside one projection
        let buffer = try metric.buffer(.multiPoint([albuKamal, erbil, far]), distance: .kilometers(50))
        guard case .multiPolygon(let parts) = buffer else { Issue.record("expected a MultiPolygon, got \(buffer.typeName)"); return }
        #expect(parts.count == 3)
        let area = try metric.areaSquareMeters(buffer)
        #expect(abs(area / (3 * Double.pi * 50_000 * 50_000) - 1) < 0.005)
    }

    /// A single line or polygon wider than one projection (8°) is cut into halves, not
    /// recursed on whole (which overflowed the stack, e.g. for the Russia–Kazakhstan border).
    @Test func oneLineWiderThanAProjectionIsBufferedInPieces() throws {
        let metric = try MetricGeometry()
        let line = Geometry.lineString(stride(from: 0.0, through: 20.0, by: 0.1).map { Position(longitude: $0, latitude: 45) })
        let buffer = try metric.buffer(line, distance: .kilometers(10))
        let g = try metric.geos.geometry(from: buffer)
        #expect(g.isValid, "\(g.validityReason)")
        guard case .polygon = buffer else { Issue.record("expected one Polygon, got \(buffer.typeName)"); return }
        let length = try metric.geodesic.lengthMeters(of: line)
        let area = try metric.areaSquareMeters(buffer)
        #expect(abs(area / (2 * 10_000 * length + Double.pi * 1e8) - 1) < 0.005, "area ratio")
        let prepared = try g.prepared()
        for (km, inside) in [(9.0, true), (11.0, false)] {
            for azimuth in [0.0, 180.0] {
                let p = try metric.geodesic.direct(from: Position(longitude: 10, latitude: 45), azimuthDegrees: azimuth, distanceMeters: km * 1000).destination
                #expect(try prepared.covers(try metric.geos.point(x: p.x, y: p.y)) == inside, "\(km) km at azimuth \(azimuth)")
            }
        }
    }

    @Test func onePolygonWiderThanAProjectionIsBufferedInPieces() throws {
        let metric = try MetricGeometry()
        let ring = [Position(x: 10, y: 30), Position(x: 30, y: 30), Position(x: 30, y: 42), Position(x: 10, y: 42), Position(x: 10, y: 30)]
        let box = Geometry.polygon([ring])
        let buffer = try metric.buffer(box, distance: .kilometers(10))
        let g = try metric.geos.geometry(from: buffer)
        #expect(g.isValid, "\(g.validityReason)")
        guard case .polygon(let rings) = buffer else { Issue.record("expected one Polygon, got \(buffer.typeName)"); return }
        #expect(rings.count == 1, "no seams left as holes")
        #expect(try g.covers(try metric.geos.geometry(from: box)))
        // The west edge is a meridian: 9 km west of its middle is inside, 11 km is not.
        for (km, inside) in [(9.0, true), (11.0, false)] {
            let p = try metric.geodesic.direct(from: Position(longitude: 10, latitude: 36), azimuthDegrees: 270, distanceMeters: km * 1000).destination
            #expect(try g.covers(try metric.geos.point(x: p.x, y: p.y)) == inside, "\(km) km west")
        }
        #expect(throws: ProjError.self) { try metric.buffer(box, distance: .kilometers(-10)) }
    }

    @Test func overlappingBuffersAreUnioned() throws {
        let metric = try MetricGeometry()
        let near = Position(longitude: 41.03, latitude: 34.38)  // ~12 km away
        let buffer = try metric.buffer(.multiPoint([albuKamal, near]), distance: .kilometers(50))
        guard case .polygon = buffer else { Issue.record("expected one Polygon, got \(buffer.typeName)"); return }
    }

    @Test func buffersAcrossTheAntimeridianStayContinuous() throws {
        let metric = try MetricGeometry()
        let buffer = try metric.buffer(.point(Position(longitude: 179.9, latitude: -16.5)), distance: .kilometers(50))
        guard case .polygon(let rings) = buffer else { Issue.record("not a polygon"); return }
        for (a, b) in zip(rings[0], rings[0].dropFirst()) { #expect(abs(a.x - b.x) < 1) }
    }

    @Test func polarBuffersAreRefused() throws {
        let metric = try MetricGeometry()
        #expect(throws: ProjError.self) { try metric.buffer(.point(Position(longitude: 0, latitude: 89.9)), distance: .kilometers(50)) }
    }

    @Test func badInputIsAnError() throws {
        let metric = try MetricGeometry()
        #expect(throws: ProjError.self) { try metric.buffer(.point(Position(longitude: 0, latitude: 95)), distance: .kilometers(1)) }
        #expect(throws: ProjError.self) { try metric.buffer(.point(albuKamal), distance: .meters(.infinity)) }
        #expect(throws: GeosError.self) { try metric.buffer(.polygon([[albuKamal, albuKamal]]), distance: .kilometers(1)) }
    }
}
