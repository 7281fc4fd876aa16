internal import CGEOS
import GeoCore

extension GeosContext {
    /// A GEOS geometry from a value, with coordinates moved in bulk
    /// (`GEOSCoordSeq_copyFromArrays_r`). Refuses, before GEOS sees them, non-finite
    /// coordinates, lines with one position, and rings that are unclosed or shorter than 4.
    public func geometry(from value: Geometry) throws -> GeosGeometry {
        GeosGeometry(context: self, handle: try build(value))
    }

    /// Builds an owned GEOS geometry; on failure nothing is leaked.
    func build(_ value: Geometry) throws -> OpaquePointer {
        switch value {
        case .point(let p):
            let seq = try sequence([p], what: "point")
            return try created(GEOSGeom_createPoint_r(handle, seq), "GEOSGeom_createPoint_r")
        case .lineString(let ps):
            return try line(ps)
        case .polygon(let rings):
            return try polygon(rings)
        case .multiPoint(let ps):
            return try collection(GEOS_MULTIPOINT, ps.map { Geometry.point($0) })
        case .multiLineString(let ls):
            return try collection(GEOS_MULTILINESTRING, ls.map { Geometry.lineString($0) })
        case .multiPolygon(let ps):
            return try collection(GEOS_MULTIPOLYGON, ps.map { Geometry.polygon($0) })
        case .geometryCollection(let gs):
            return try collection(GEOS_GEOMETRYCOLLECTION, gs)
        }
    }

    func created(_ pointer: OpaquePointer?, _ function: String) throws -> OpaquePointer {
        guard let pointer else { throw failure(function) }
        return pointer
    }

    /// A coordinate sequence from positions, in one bulk copy.
    func sequence(_ positions: [Position], what: String) throws -> OpaquePointer {
        var hasZ = false
        for p in positions {
            guard p.x.isFinite, p.y.isFinite, p.z.isNaN || p.z.isFinite else {
                throw GeosError.invalidInput("\(what) has a non-finite coordinate \(p)")
            }
            if p.hasZ { hasZ = true }
        }
        let xs = positions.map(\.x), ys = positions.map(\.y)
        let count = UInt32(positions.count)
        let seq: OpaquePointer?
        if hasZ {
            let zs = positions.map(\.z)
            seq = GEOSCoordSeq_copyFromArrays_r(handle, xs, ys, zs, nil, count)
        } else {
            seq = GEOSCoordSeq_copyFromArrays_r(handle, xs, ys, nil, nil, count)
        }
        return try created(seq, "GEOSCoordSeq_copyFromArrays_r")
    }

    func line(_ ps: [Position]) throws -> OpaquePointer {
        if ps.isEmpty { return try created(GEOSGeom_createEmptyLineString_r(handle), "GEOSGeom_createEmptyLineString_r") }
        guard ps.count >= 2 else { throw GeosError.invalidInput("a LineString needs at least 2 positions, got \(ps.count)") }
        let seq = try sequence(ps, what: "LineString")
        return try created(GEOSGeom_createLineString_r(handle, seq), "GEOSGeom_createLineString_r")
    }

    func ring(_ ps: [Position], index: Int) throws -> OpaquePointer {
        guard ps.count >= 4 else {
            throw GeosError.invalidInput("ring \(index) needs at least 4 positions (closed), got \(ps.count)")
        }
        guard ps.first == ps.last else {
            throw GeosError.invalidInput("ring \(index) is not closed: \(ps.first!) ≠ \(ps.last!)")
        }
        let seq = try sequence(ps, what: "ring \(index)")
        return try created(GEOSGeom_createLinearRing_r(handle, seq), "GEOSGeom_createLinearRing_r")
    }

    func polygon(_ rings: [[Position]]) throws -> OpaquePointer {
        if rings.isEmpty { return try created(GEOSGeom_createEmptyPolygon_r(handle), "GEOSGeom_createEmptyPolygon_r") }
        var built: [OpaquePointer?] = []
        do {
            for (i, r) in rings.enumerated() { built.append(try ring(r, index: i)) }
        } catch {
            for g in built { GEOSGeom_destroy_r(handle, g) }
            throw error
        }
        let shell = built[0]
        var holes = Array(built.dropFirst())
        // GEOSGeom_createPolygon_r takes ownership of the shell and holes, also on failure.
        return try created(GEOSGeom_createPolygon_r(handle, shell, &holes, UInt32(holes.count)), "GEOSGeom_createPolygon_r")
    }

    func collection(_ type: GEOSGeomTypes, _ parts: [Geometry]) throws -> OpaquePointer {
        var built: [OpaquePointer?] = []
        do {
            for part in parts { built.append(try build(part)) }
        } catch {
            for g in built { GEOSGeom_destroy_r(handle, g) }
            throw error
        }
        return try created(GEOSGeom_createCollection_r(handle, Int32(type.rawValue), &built, UInt32(built.count)), "GEOSGeom_createCollection_r")
    }

    // MARK: GEOS → values

    /// The value of a GEOS geometry, reading each coordinate sequence in one bulk copy
    /// (`GEOSCoordSeq_copyToArrays_r`). `POINT EMPTY` becomes an empty GeometryCollection
    /// (GeoJSON cannot write an empty Point).
    func value(of g: OpaquePointer) throws -> Geometry {
        let type = GEOSGeomTypeId_r(handle, g)
        switch Int(type) {
        case Int(GEOS_POINT.rawValue):
            if GEOSisEmpty_r(handle, g) == 1 { return .geometryCollection([]) }
            return .point(try positions(of: g)[0])
        case Int(GEOS_LINESTRING.rawValue), Int(GEOS_LINEARRING.rawValue):
            return .lineString(try positions(of: g))
        case Int(GEOS_POLYGON.rawValue):
            return .polygon(try rings(of: g))
        case Int(GEOS_MULTIPOINT.rawValue):
            return .multiPoint(try parts(of: g).map { try positions(of: $0)[0] })
        case Int(GEOS_MULTILINESTRING.rawValue):
            return .multiLineString(try parts(of: g).map { try positions(of: $0) })
        case Int(GEOS_MULTIPOLYGON.rawValue):
            return .multiPolygon(try parts(of: g).map { try rings(of: $0) })
        case Int(GEOS_GEOMETRYCOLLECTION.rawValue):
            return .geometryCollection(try parts(of: g).map { try value(of: $0) })
        default:
            throw failure("GEOSGeomTypeId_r")
        }
    }

    func parts(of g: OpaquePointer) throws -> [OpaquePointer] {
        let n = GEOSGetNumGeometries_r(handle, g)
        guard n >= 0 else { throw failure("GEOSGetNumGeometries_r") }
        return try (0..<n).map { i in
            guard let part = GEOSGetGeometryN_r(handle, g, i) else { throw failure("GEOSGetGeometryN_r") }
            return part
        }
    }

    func rings(of polygon: OpaquePointer) throws -> [[Position]] {
        if GEOSisEmpty_r(handle, polygon) == 1 { return [] }
        guard let shell = GEOSGetExteriorRing_r(handle, polygon) else { throw failure("GEOSGetExteriorRing_r") }
        var result = [try positions(of: shell)]
        let holes = GEOSGetNumInteriorRings_r(handle, polygon)
        guard holes >= 0 else { throw failure("GEOSGetNumInteriorRings_r") }
        for i in 0..<holes {
            guard let hole = GEOSGetInteriorRingN_r(handle, polygon, i) else { throw failure("GEOSGetInteriorRingN_r") }
            result.append(try positions(of: hole))
        }
        return result
    }

    func positions(of g: OpaquePointer) throws -> [Position] {
        guard let seq = GEOSGeom_getCoordSeq_r(handle, g) else { throw failure("GEOSGeom_getCoordSeq_r") }
        var size: UInt32 = 0
        guard GEOSCoordSeq_getSize_r(handle, seq, &size) != 0 else { throw failure("GEOSCoordSeq_getSize_r") }
        let n = Int(size)
        if n == 0 { return [] }
        var dims: UInt32 = 0
        guard GEOSCoordSeq_getDimensions_r(handle, seq, &dims) != 0 else { throw failure("GEOSCoordSeq_getDimensions_r") }
        var xs = [Double](repeating: 0, count: n), ys = [Double](repeating: 0, count: n)
        var zs = [Double](repeating: .nan, count: dims >= 3 ? n : 0)
        let ok = dims >= 3
            ? GEOSCoordSeq_copyToArrays_r(handle, seq, &xs, &ys, &zs, nil)
            : GEOSCoordSeq_copyToArrays_r(handle, seq, &xs, &ys, nil, nil)
        guard ok != 0 else { throw failure("GEOSCoordSeq_copyToArrays_r") }
        var result = [Position]()
        result.reserveCapacity(n)
        for i in 0..<n { result.append(Position(x: xs[i], y: ys[i], z: dims >= 3 ? zs[i] : .nan)) }
        return result
    }
}

extension GeosContext {
    /// A GEOS geometry from a GeoJSON geometry object (or a Feature's geometry) in text,
    /// read by GeoCore's RFC 7946 reader; errors name the JSON path.
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
    /// The geometry as GeoJSON text (RFC 7946: right-hand rule, `decimals` decimals).
    public func geoJSON(decimals: Int = 6) throws -> String {
        String(decoding: GeoJSONEncoder(coordinateDecimals: decimals).encode(try toGeometry()), as: UTF8.self)
    }
}
