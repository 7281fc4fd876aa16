internal import CGEOS
import GeoCore

/// One GEOS geometry owned by Swift (freed with `GEOSGeom_destroy_r`), keeping alive the
/// context that made it.
///
/// Everything is planar: lengths and distances are in the coordinates' own units, areas in
/// those units squared (degrees and square degrees for longitude/latitude data; use
/// `GeoMetric` for metres). Not `Sendable`: it belongs to its context's thread. Geometries of
/// two different contexts cannot be combined (`.invalidInput`).
public final class GeosGeometry {
    /// The context that made this geometry (and is kept alive by it).
    public let context: GeosContext
    let handle: OpaquePointer

    /// Takes ownership of `handle`.
    init(context: GeosContext, handle: OpaquePointer) {
        self.context = context
        self.handle = handle
    }

    deinit {
        GEOSGeom_destroy_r(context.handle, handle)
    }

    /// The owning context's `GEOSContextHandle_t`.
    var contextHandle: OpaquePointer { context.handle }

    func sameContext(_ other: GeosGeometry) throws {
        guard other.context === context else {
            throw GeosError.invalidInput("geometries from different GEOS contexts cannot be combined")
        }
    }

    // MARK: output

    /// The geometry as a value, every coordinate sequence read in one bulk copy
    /// (`GEOSCoordSeq_copyToArrays_r`); Z kept when present, `z = .nan` otherwise.
    ///
    /// Exact for every value `GeosContext.geometry(from:)` accepts. GeoJSON values cannot hold
    /// an empty Point: `POINT EMPTY` becomes an empty GeometryCollection, empty points inside a
    /// MultiPoint are dropped, and a LinearRing becomes a LineString.
    public func toGeometry() throws -> Geometry { try context.value(of: handle) }

    /// The most decimals `wkt(precision:)` accepts.
    public static let maximumWKTPrecision = 40

    /// Well-known text (`GEOSWKTWriter_write_r`), with `Z` when the geometry has heights.
    /// GEOS 3.11 writes a z missing from only some positions (mixed dimensions) as 0; use
    /// `wkb()` when that must survive.
    ///
    /// - Parameters:
    ///   - precision: decimals after the point, 0…40. `nil` with `trim` writes the shortest
    ///     text that reads back to the same doubles (exact for every coordinate of magnitude
    ///     ≥ 1e−23 or zero: GEOS 3.11 writes positional notation only); `nil` without `trim`
    ///     is GEOS's default of 16 decimals.
    ///   - trim: drop trailing zeros (`GEOSWKTWriter_setTrim_r`); `false` pads every number
    ///     to `precision` decimals.
    /// - Throws: `.invalidInput` for a precision outside 0…40, and, with `trim` on GEOS
    ///   before 3.12, for a coordinate of magnitude ≥ 1e100 (GEOS 3.11's trimmed writer
    ///   overflows a fixed buffer on such numbers; `trim: false` writes them).
    public func wkt(precision: Int? = nil, trim: Bool = true) throws -> String {
        if let precision, !(0...Self.maximumWKTPrecision).contains(precision) {
            throw GeosError.invalidInput("WKT precision must be 0…\(Self.maximumWKTPrecision) decimals, got \(precision)")
        }
        if trim && Self.trimmedWKTWriterOverflows { try checkTrimmedWKTMagnitudes() }
        let writer = try context.wktWriter()
        GEOSWKTWriter_setTrim_r(contextHandle, writer, trim ? 1 : 0)
        GEOSWKTWriter_setRoundingPrecision_r(contextHandle, writer, Int32(precision ?? (trim ? Self.maximumWKTPrecision : -1)))
        let text = try context.call("GEOSWKTWriter_write_r") { GEOSWKTWriter_write_r($0, writer, handle) }
        defer { GEOSFree_r(contextHandle, text) }
        return String(cString: text)
    }

    /// GEOS 3.11's trimmed number writer (`WKTWriter::writeTrimmedNumber`) has a 128-byte
    /// buffer and writes positional notation: 1e135 already smashes the stack (fixed in 3.12).
    static let trimmedWKTWriterOverflows = GEOS_VERSION_MAJOR == 3 && GEOS_VERSION_MINOR < 12
    static let trimmedWKTMagnitudeLimit = 1e100

    func checkTrimmedWKTMagnitudes() throws {
        let limit = Self.trimmedWKTMagnitudeLimit
        let box = envelope
        let xyFits = box.isEmpty || [box.minX, box.minY, box.maxX, box.maxY].allSatisfy { abs($0) < limit }
        if xyFits && GEOSHasZ_r(contextHandle, handle) != 1 { return }
        try toGeometry().forEachPosition { p in
            for v in [p.x, p.y, p.z] where v.isFinite && abs(v) >= limit {
                throw GeosError.invalidInput("trimmed WKT cannot write the coordinate \(v) with GEOS \(GeosContext.geosVersion) (magnitude ≥ 1e100); use trim: false")
            }
        }
    }

    /// Well-known binary (`GEOSWKBWriter_write_r`): little-endian, extended flavour (Z flagged
    /// with `0x80000000`), with Z when the geometry has heights. Exact: reads back bit for bit.
    public func wkb() throws -> [UInt8] {
        let writer = try context.wkbWriter()
        var size = 0
        let bytes = try context.call("GEOSWKBWriter_write_r") { GEOSWKBWriter_write_r($0, writer, handle, &size) }
        defer { GEOSFree_r(contextHandle, bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: size))
    }

    /// GEOS's type name: `Point`, `LineString`, `LinearRing`, `Polygon`, `MultiPoint`,
    /// `MultiLineString`, `MultiPolygon` or `GeometryCollection` (`GEOSGeomType_r`).
    public var typeName: String {
        guard let name = GEOSGeomType_r(contextHandle, handle) else { return "Unknown" }
        defer { GEOSFree_r(contextHandle, name) }
        return String(cString: name)
    }

    /// True when the geometry has no points (`GEOSisEmpty_r`).
    public var isEmpty: Bool { GEOSisEmpty_r(contextHandle, handle) == 1 }

    /// True when any coordinate carries a z (`GEOSHasZ_r`).
    public var hasZ: Bool { GEOSHasZ_r(contextHandle, handle) == 1 }

    /// The number of coordinates, over all parts (`GEOSGetNumCoordinates_r`).
    public var coordinateCount: Int { max(0, Int(GEOSGetNumCoordinates_r(contextHandle, handle))) }

    /// OGC validity (`GEOSisValid_r`); false also if GEOS fails to decide. Empty geometries
    /// are valid.
    public var isValid: Bool { GEOSisValid_r(contextHandle, handle) == 1 }

    /// Why the geometry is invalid, with the location, e.g. `Self-intersection[5 5]`, or
    /// `Valid Geometry` (`GEOSisValidReason_r`).
    public var validityReason: String {
        guard let reason = GEOSisValidReason_r(contextHandle, handle) else { return "unknown (\(context.failure("GEOSisValidReason_r")))" }
        defer { GEOSFree_r(contextHandle, reason) }
        return String(cString: reason)
    }

    /// The bounding box in coordinate units (`GEOSGeom_getExtent_r`); `BoundingBox.empty` for
    /// an empty geometry.
    public var envelope: BoundingBox {
        var minX = 0.0, minY = 0.0, maxX = 0.0, maxY = 0.0
        guard !isEmpty, GEOSGeom_getExtent_r(contextHandle, handle, &minX, &minY, &maxX, &maxY) != 0 else { return .empty }
        return BoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }

    /// Planar area in square coordinate units (`GEOSArea_r`); 0 for points and lines.
    public var area: Double {
        get throws { try context.measure("GEOSArea_r") { GEOSArea_r($0, handle, $1) } }
    }

    /// Planar length in coordinate units (`GEOSLength_r`): a polygon's is its perimeter
    /// (holes included), a point's 0.
    public var length: Double {
        get throws { try context.measure("GEOSLength_r") { GEOSLength_r($0, handle, $1) } }
    }
}

extension GeosGeometry: CustomStringConvertible {
    /// The WKT, or the type name if it cannot be written.
    public var description: String { (try? wkt()) ?? "<\(typeName)>" }
}
