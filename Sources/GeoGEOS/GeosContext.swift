internal import CGEOS
import GeoCore

/// A GEOS context (`GEOSContextHandle_t` from `GEOS_init_r`, freed with `GEOS_finish_r`): the
/// factory for every GEOS geometry, prepared geometry and STR-tree.
///
/// Use one context per worker thread and never share it: the class is deliberately not
/// `Sendable`, so the compiler keeps a context, and everything made with it, in one isolation
/// domain. GEOS's error messages are captured by the context's handler
/// (`GEOSContext_setErrorMessageHandler_r`) and returned inside `GeosError.library`.
public final class GeosContext {
    let handle: OpaquePointer
    let messages = MessageBox()
    private var wktReaderHandle: OpaquePointer?
    private var wktWriterHandle: OpaquePointer?
    private var wkbReaderHandle: OpaquePointer?
    private var wkbWriterHandle: OpaquePointer?

    /// The deepest nesting of collections accepted from values, WKT and WKB (GEOS reads nested
    /// collections recursively and would overflow the stack on adversarial input).
    public static let maximumNestingDepth = 100

    /// A new context (`GEOS_init_r`) with its error handler installed.
    /// - Throws: `GeosError.library` if GEOS cannot allocate a context.
    public init() throws {
        guard let newHandle = GEOS_init_r() else {
            throw GeosError.library(function: "GEOS_init_r", message: "could not allocate a context")
        }
        handle = newHandle
        // A non-capturing C callback; `userdata` is the message box, which lives as long as
        // the context (it is a stored property, released after `deinit` has finished GEOS).
        _ = GEOSContext_setErrorMessageHandler_r(newHandle, { message, userData in
            guard let message, let userData else { return }
            Unmanaged<MessageBox>.fromOpaque(userData).takeUnretainedValue().last = String(cString: message)
        }, Unmanaged.passUnretained(messages).toOpaque())
    }

    deinit {
        if let r = wktReaderHandle { GEOSWKTReader_destroy_r(handle, r) }
        if let w = wktWriterHandle { GEOSWKTWriter_destroy_r(handle, w) }
        if let r = wkbReaderHandle { GEOSWKBReader_destroy_r(handle, r) }
        if let w = wkbWriterHandle { GEOSWKBWriter_destroy_r(handle, w) }
        GEOS_finish_r(handle)
    }

    /// The release of the GEOS library loaded at run time (`GEOSversion`), e.g. `3.11.1`,
    /// without the C API suffix.
    public static var geosVersion: String {
        guard let text = GEOSversion() else {
            return "\(GEOS_VERSION_MAJOR).\(GEOS_VERSION_MINOR).\(GEOS_VERSION_PATCH)"
        }
        let full = String(cString: text)
        return full.split(separator: "-", maxSplits: 1).first.map(String.init) ?? full
    }

    // MARK: lazily created readers and writers (one each, reused)

    func wktReader() throws -> OpaquePointer {
        if let r = wktReaderHandle { return r }
        let r = try call("GEOSWKTReader_create_r") { GEOSWKTReader_create_r($0) }
        wktReaderHandle = r
        return r
    }

    func wkbReader() throws -> OpaquePointer {
        if let r = wkbReaderHandle { return r }
        let r = try call("GEOSWKBReader_create_r") { GEOSWKBReader_create_r($0) }
        wkbReaderHandle = r
        return r
    }

    /// The WKT writer, writing Z when a geometry has it.
    func wktWriter() throws -> OpaquePointer {
        if let w = wktWriterHandle { return w }
        let w = try call("GEOSWKTWriter_create_r") { GEOSWKTWriter_create_r($0) }
        GEOSWKTWriter_setOutputDimension_r(handle, w, 3)
        wktWriterHandle = w
        return w
    }

    /// The WKB writer: little-endian, Z when a geometry has it.
    func wkbWriter() throws -> OpaquePointer {
        if let w = wkbWriterHandle { return w }
        let w = try call("GEOSWKBWriter_create_r") { GEOSWKBWriter_create_r($0) }
        GEOSWKBWriter_setOutputDimension_r(handle, w, 3)
        GEOSWKBWriter_setByteOrder_r(handle, w, Int32(GEOS_WKB_NDR.rawValue))
        wkbWriterHandle = w
        return w
    }

    // MARK: simple constructors

    /// A 2D point (`GEOSGeom_createPointFromXY_r`), in the caller's coordinate units.
    /// - Throws: `.invalidInput` for a NaN or infinite coordinate.
    public func point(x: Double, y: Double) throws -> GeosGeometry {
        guard x.isFinite, y.isFinite else {
            throw GeosError.invalidInput("point coordinates must be finite, got \(x), \(y)")
        }
        return try geometry("GEOSGeom_createPointFromXY_r") { GEOSGeom_createPointFromXY_r($0, x, y) }
    }

    /// The rectangle polygon of a box (`GEOSGeom_createRectangle_r`); an empty polygon for an
    /// empty box. A box of zero width or height gives a line, of zero size a point.
    /// - Throws: `.invalidInput` when a bound is NaN or infinite.
    public func rectangle(_ box: BoundingBox) throws -> GeosGeometry {
        GeosGeometry(context: self, handle: try rectangleHandle(box))
    }

    /// An owned rectangle geometry for `box`: the caller destroys it.
    func rectangleHandle(_ box: BoundingBox) throws -> OpaquePointer {
        if box.isEmpty {
            return try call("GEOSGeom_createEmptyPolygon_r") { GEOSGeom_createEmptyPolygon_r($0) }
        }
        guard box.minX.isFinite, box.minY.isFinite, box.maxX.isFinite, box.maxY.isFinite else {
            throw GeosError.invalidInput("box bounds must be finite, got \(box)")
        }
        return try call("GEOSGeom_createRectangle_r") {
            GEOSGeom_createRectangle_r($0, box.minX, box.minY, box.maxX, box.maxY)
        }
    }

    /// `value` repaired by GEOS (`GEOSMakeValid_r`), as a value: a bow-tie polygon becomes a
    /// two-part MultiPolygon. Valid input comes back unchanged in shape.
    /// - Throws: `.invalidInput` for values GEOS cannot even be given (unclosed rings, rings of
    ///   fewer than 4 positions, NaN…); `.library` if GEOS fails.
    public func makeValid(_ value: Geometry) throws -> Geometry {
        try geometry(from: value).makeValid().toGeometry()
    }
}
