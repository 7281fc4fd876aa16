internal import CGEOS
import GeoCore

// Values ⇄ GEOS. Coordinates move in bulk: one `GEOSCoordSeq_copyFromArrays_r` per line or
// ring on the way in, one `GEOSCoordSeq_copyToArrays_r` on the way out. Z is kept when the
// sequence has it; a 2D sequence reads back with `z = .nan`.

extension GeosContext {
    /// A GEOS geometry from a value, every type including empty multi-geometries, holes and Z,
    /// built exactly (no rounding).
    ///
    /// Wraps `GEOSCoordSeq_copyFromArrays_r`, `GEOSGeom_createPoint_r`, `…LineString_r`,
    /// `…LinearRing_r`, `…Polygon_r` and `…Collection_r`.
    /// - Throws: `.invalidInput`, before GEOS sees anything, for a NaN or infinite x / y (or an
    ///   infinite z), a LineString of 1 position, a ring of fewer than 4 positions or not closed,
    ///   and collections nested deeper than `maximumNestingDepth`. Nothing is leaked on failure.
    public func geometry(from value: Geometry) throws -> GeosGeometry {
        GeosGeometry(context: self, handle: try build(value, depth: 0))
    }

    /// Builds an owned GEOS geometry (the caller destroys it); `depth` is the number of
    /// collections around `value`.
    func build(_ value: Geometry, depth: Int) throws -> OpaquePointer {
        switch value {
        case .point(let p):
            let seq = try sequence([p], what: "Point")
            return try call("GEOSGeom_createPoint_r") { GEOSGeom_createPoint_r($0, seq) }
        case .lineString(let ps):
            return try line(ps)
        case .polygon(let rings):
            return try polygon(rings)
        case .multiPoint(let ps):
            return try collection(GEOS_MULTIPOINT, ps.map { .point($0) }, depth: depth)
        case .multiLineString(let ls):
            return try collection(GEOS_MULTILINESTRING, ls.map { .lineString($0) }, depth: depth)
        case .multiPolygon(let ps):
            return try collection(GEOS_MULTIPOLYGON, ps.map { .polygon($0) }, depth: depth)
        case .geometryCollection(let gs):
            return try collection(GEOS_GEOMETRYCOLLECTION, gs, depth: depth)
        }
    }

    /// A coordinate sequence from positions, in one bulk copy; 3D when any position has a z.
    func sequence(_ positions: [Position], what: String) throws -> OpaquePointer {
        var hasZ = false
        var xs = [Double](), ys = [Double]()
        xs.reserveCapacity(positions.count)
        ys.reserveCapacity(positions.count)
        for p in positions {
            guard p.x.isFinite, p.y.isFinite, p.z.isNaN || p.z.isFinite else {
                throw GeosError.invalidInput("\(what) has a non-finite coordinate \(p)")
            }
            if p.hasZ { hasZ = true }
            xs.append(p.x)
            ys.append(p.y)
        }
        guard let count = UInt32(exactly: positions.count) else {
            throw GeosError.invalidInput("\(what) has \(positions.count) positions, more than GEOS can take")
        }
        if hasZ {
            let zs = positions.map(\.z)
            return try call("GEOSCoordSeq_copyFromArrays_r") { GEOSCoordSeq_copyFromArrays_r($0, xs, ys, zs, nil, count) }
        }
        return try call("GEOSCoordSeq_copyFromArrays_r") { GEOSCoordSeq_copyFromArrays_r($0, xs, ys, nil, nil, count) }
    }

    func line(_ ps: [Position]) throws -> OpaquePointer {
        if ps.isEmpty { return try call("GEOSGeom_createEmptyLineString_r") { GEOSGeom_createEmptyLineString_r($0) } }
        guard ps.count >= 2 else {
            throw GeosError.invalidInput("a LineString needs at least 2 positions, got \(ps.count)")
        }
        let seq = try sequence(ps, what: "LineString")
        return try call("GEOSGeom_createLineString_r") { GEOSGeom_createLineString_r($0, seq) }
    }

    func ring(_ ps: [Position], index: Int) throws -> OpaquePointer {
        guard ps.count >= 4 else {
            throw GeosError.invalidInput("ring \(index) needs at least 4 positions (closed), got \(ps.count)")
        }
        guard ps.first == ps.last else {
            throw GeosError.invalidInput("ring \(index) is not closed: \(ps.first!) ≠ \(ps.last!)")
        }
        let seq = try sequence(ps, what: "ring \(index)")
        return try call("GEOSGeom_createLinearRing_r") { GEOSGeom_createLinearRing_r($0, seq) }
    }

    func polygon(_ rings: [[Position]]) throws -> OpaquePointer {
        if rings.isEmpty { return try call("GEOSGeom_createEmptyPolygon_r") { GEOSGeom_createEmptyPolygon_r($0) } }
        var built: [OpaquePointer?] = []
        built.reserveCapacity(rings.count)
        do {
            for (i, r) in rings.enumerated() { built.append(try ring(r, index: i)) }
        } catch {
            for g in built { GEOSGeom_destroy_r(handle, g) }
            throw error
        }
        let shell = built[0]
        var holes = Array(built.dropFirst())
        // GEOSGeom_createPolygon_r takes ownership of the shell and holes.
        return try call("GEOSGeom_createPolygon_r") {
            GEOSGeom_createPolygon_r($0, shell, &holes, UInt32(holes.count))
        }
    }

    func collection(_ type: GEOSGeomTypes, _ parts: [Geometry], depth: Int) throws -> OpaquePointer {
        guard depth < Self.maximumNestingDepth else {
            throw GeosError.invalidInput("collections are nested more than \(Self.maximumNestingDepth) deep")
        }
        var built: [OpaquePointer?] = []
        built.reserveCapacity(parts.count)
        do {
            for part in parts { built.append(try build(part, depth: depth + 1)) }
        } catch {
            for g in built { GEOSGeom_destroy_r(handle, g) }
            throw error
        }
        // GEOSGeom_createCollection_r takes ownership of the parts.
        return try call("GEOSGeom_createCollection_r") {
            GEOSGeom_createCollection_r($0, Int32(type.rawValue), &built, UInt32(built.count))
        }
    }

    // MARK: GEOS → values

    /// The value of a GEOS geometry, each coordinate sequence read in one bulk copy.
    ///
    /// GeoJSON values cannot hold an empty Point: a top-level `POINT EMPTY` (or one inside a
    /// GeometryCollection) becomes an empty GeometryCollection, empty points inside a MultiPoint
    /// and empty holes of a polygon are dropped. A LinearRing becomes a LineString.
    /// `depth` is the number of collections around `g`.
    func value(of g: OpaquePointer, depth: Int = 0) throws -> Geometry {
        let type = Int(GEOSGeomTypeId_r(handle, g))
        if type >= Int(GEOS_MULTIPOINT.rawValue) && depth >= Self.maximumNestingDepth {
            throw GeosError.invalidInput("collections are nested more than \(Self.maximumNestingDepth) deep")
        }
        switch type {
        case Int(GEOS_POINT.rawValue):
            guard let p = try positions(of: g).first else { return .geometryCollection([]) }
            return .point(p)
        case Int(GEOS_LINESTRING.rawValue), Int(GEOS_LINEARRING.rawValue):
            return .lineString(try positions(of: g))
        case Int(GEOS_POLYGON.rawValue):
            return .polygon(try rings(of: g))
        case Int(GEOS_MULTIPOINT.rawValue):
            return .multiPoint(try parts(of: g).compactMap { try positions(of: $0).first })
        case Int(GEOS_MULTILINESTRING.rawValue):
            return .multiLineString(try parts(of: g).map { try positions(of: $0) })
        case Int(GEOS_MULTIPOLYGON.rawValue):
            return .multiPolygon(try parts(of: g).map { try rings(of: $0) })
        case Int(GEOS_GEOMETRYCOLLECTION.rawValue):
            return .geometryCollection(try parts(of: g).map { try value(of: $0, depth: depth + 1) })
        default:
            throw failure("GEOSGeomTypeId_r")
        }
    }

    /// The parts of a collection (borrowed pointers, valid while `g` lives).
    func parts(of g: OpaquePointer) throws -> [OpaquePointer] {
        let n = GEOSGetNumGeometries_r(handle, g)
        guard n >= 0 else { throw failure("GEOSGetNumGeometries_r") }
        return try (0..<n).map { i in
            try call("GEOSGetGeometryN_r") { GEOSGetGeometryN_r($0, g, i) }
        }
    }

    func rings(of polygon: OpaquePointer) throws -> [[Position]] {
        if GEOSisEmpty_r(handle, polygon) == 1 { return [] }
        let shell = try call("GEOSGetExteriorRing_r") { GEOSGetExteriorRing_r($0, polygon) }
        var result = [try positions(of: shell)]
        let holes = GEOSGetNumInteriorRings_r(handle, polygon)
        guard holes >= 0 else { throw failure("GEOSGetNumInteriorRings_r") }
        for i in 0..<holes {
            let hole = try call("GEOSGetInteriorRingN_r") { GEOSGetInteriorRingN_r($0, polygon, i) }
            let positions = try positions(of: hole)
            if !positions.isEmpty { result.append(positions) }
        }
        return result
    }

    /// The positions of a Point, LineString or LinearRing, in one bulk copy.
    func positions(of g: OpaquePointer) throws -> [Position] {
        let seq = try call("GEOSGeom_getCoordSeq_r") { GEOSGeom_getCoordSeq_r($0, g) }
        var size: UInt32 = 0
        try status("GEOSCoordSeq_getSize_r") { GEOSCoordSeq_getSize_r($0, seq, &size) }
        let n = Int(size)
        if n == 0 { return [] }
        var dimensions: UInt32 = 0
        try status("GEOSCoordSeq_getDimensions_r") { GEOSCoordSeq_getDimensions_r($0, seq, &dimensions) }
        var xs = [Double](repeating: 0, count: n), ys = [Double](repeating: 0, count: n)
        var result = [Position]()
        result.reserveCapacity(n)
        if dimensions >= 3 {
            var zs = [Double](repeating: .nan, count: n)
            try status("GEOSCoordSeq_copyToArrays_r") { GEOSCoordSeq_copyToArrays_r($0, seq, &xs, &ys, &zs, nil) }
            for i in 0..<n { result.append(Position(x: xs[i], y: ys[i], z: zs[i])) }
        } else {
            try status("GEOSCoordSeq_copyToArrays_r") { GEOSCoordSeq_copyToArrays_r($0, seq, &xs, &ys, nil, nil) }
            for i in 0..<n { result.append(Position(x: xs[i], y: ys[i])) }
        }
        return result
    }
}

extension GeosContext {
    /// A GEOS geometry from a GeoJSON geometry object, or a Feature's geometry, in text; read
    /// by GeoCore's RFC 7946 reader.
    /// - Throws: `GeoJSONError` (naming the JSON path) for bad GeoJSON; `.invalidInput` for a
    ///   FeatureCollection or a Feature with a null geometry, and as `geometry(from:)`.
    public func geometry(geoJSON text: String) throws -> GeosGeometry {
        var reader = GeoJSONReader()
        switch try reader.read(Array(text.utf8)) {
        case .geometry(let g):
            return try geometry(from: g)
        case .feature(let f):
            guard let g = f.geometry else { throw GeosError.invalidInput("the Feature has a null geometry") }
            return try geometry(from: g)
        case .featureCollection:
            throw GeosError.invalidInput("expected a GeoJSON geometry or Feature, found a FeatureCollection")
        }
    }
}

extension GeosGeometry {
    /// The geometry as GeoJSON text (RFC 7946: right-hand rule, `decimals` decimals), written
    /// by GeoCore's encoder from `toGeometry()`.
    public func geoJSON(decimals: Int = 6) throws -> String {
        String(decoding: GeoJSONEncoder(coordinateDecimals: decimals).encode(try toGeometry()), as: UTF8.self)
    }
}
