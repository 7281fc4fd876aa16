/// A geometry as GeoJSON (RFC 7946 §3.1) defines it, as plain values.
///
/// Rings are arrays of positions whose first and last positions are equal (closed);
/// polygons are `[exterior, hole, hole, …]`. The value types do not enforce closure or
/// minimum sizes so that invalid input can be represented, reported (`GeoJSONValidator`)
/// and repaired (`GeosContext.makeValid`); GEOS rejects them when a geometry is built.
public enum Geometry: Hashable, Sendable {
    case point(Position)
    case multiPoint([Position])
    case lineString([Position])
    case multiLineString([[Position]])
    /// Rings: the exterior first, then holes.
    case polygon([[Position]])
    case multiPolygon([[[Position]]])
    case geometryCollection([Geometry])

    /// The GeoJSON `type` member.
    public var typeName: String {
        switch self {
        case .point: "Point"
        case .multiPoint: "MultiPoint"
        case .lineString: "LineString"
        case .multiLineString: "MultiLineString"
        case .polygon: "Polygon"
        case .multiPolygon: "MultiPolygon"
        case .geometryCollection: "GeometryCollection"
        }
    }

    /// True when the geometry has no positions (a `Point` is never empty).
    public var isEmpty: Bool {
        var empty = true
        forEachPosition { _ in empty = false }
        return empty
    }

    /// Calls `body` for every position, in document order.
    public func forEachPosition(_ body: (Position) throws -> Void) rethrows {
        switch self {
        case .point(let p): try body(p)
        case .multiPoint(let ps), .lineString(let ps): for p in ps { try body(p) }
        case .multiLineString(let lines), .polygon(let lines):
            for line in lines { for p in line { try body(p) } }
        case .multiPolygon(let polygons):
            for rings in polygons { for ring in rings { for p in ring { try body(p) } } }
        case .geometryCollection(let members):
            for g in members { try g.forEachPosition(body) }
        }
    }

    /// The bounding box of all positions (`.empty` for an empty geometry). Planar: it does not
    /// split at the antimeridian.
    public var boundingBox: BoundingBox {
        var box = BoundingBox.empty
        forEachPosition { box.extend($0) }
        return box
    }

    /// Whether any position carries a height.
    public var hasZ: Bool {
        var z = false
        forEachPosition { if $0.hasZ { z = true } }
        return z
    }

    /// Returns the geometry with every position transformed by `body`.
    public func mapPositions(_ body: (Position) throws -> Position) rethrows -> Geometry {
        switch self {
        case .point(let p): return .point(try body(p))
        case .multiPoint(let ps): return .multiPoint(try ps.map(body))
        case .lineString(let ps): return .lineString(try ps.map(body))
        case .multiLineString(let ls): return .multiLineString(try ls.map { try $0.map(body) })
        case .polygon(let rs): return .polygon(try rs.map { try $0.map(body) })
        case .multiPolygon(let ps): return .multiPolygon(try ps.map { try $0.map { try $0.map(body) } })
        case .geometryCollection(let gs): return .geometryCollection(try gs.map { try $0.mapPositions(body) })
        }
    }
}

/// Ring orientation helpers (planar, in the coordinates' own units).
public enum Ring {
    /// Twice the signed planar area of a ring (shoelace formula): positive when the ring runs
    /// counterclockwise. Works on closed or unclosed rings.
    public static func signedDoubleArea(_ ring: [Position]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var sum = 0.0
        // Shift by the first vertex to keep precision for rings far from the origin.
        let x0 = ring[0].x, y0 = ring[0].y
        for i in 0..<ring.count {
            let a = ring[i], b = ring[(i + 1) % ring.count]
            sum += (a.x - x0) * (b.y - y0) - (b.x - x0) * (a.y - y0)
        }
        return sum
    }

    /// True when the ring runs counterclockwise (RFC 7946's right-hand rule for exteriors).
    public static func isCounterclockwise(_ ring: [Position]) -> Bool { signedDoubleArea(ring) > 0 }

    /// The ring reoriented so that it runs counterclockwise when `counterclockwise` is true,
    /// clockwise otherwise. Degenerate rings (zero area) are returned unchanged.
    public static func oriented(_ ring: [Position], counterclockwise: Bool) -> [Position] {
        let area = signedDoubleArea(ring)
        if area == 0 || (area > 0) == counterclockwise { return ring }
        return ring.reversed()
    }

    /// Polygon rings wound by the right-hand rule: exterior counterclockwise, holes clockwise.
    public static func rightHandRule(_ rings: [[Position]]) -> [[Position]] {
        rings.enumerated().map { oriented($0.element, counterclockwise: $0.offset == 0) }
    }
}
