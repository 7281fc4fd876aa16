internal import CGEOS
import GeoCore

/// A GEOS context (`GEOSContextHandle_t`, `GEOS_init_r`): one per worker thread.
///
/// Not `Sendable`, on purpose: the compiler keeps a context, and every geometry, tree and
/// reader made with it, on one thread. GEOS's error messages are captured by a handler
/// (`GEOSContext_setErrorMessageHandler_r`) and returned inside `GeosError.library`.
public final class GeosContext {
    let handle: OpaquePointer
    let messages = MessageBox()
    private var wktReaderHandle: OpaquePointer?
    private var wktWriterHandle: OpaquePointer?
    private var wkbReaderHandle: OpaquePointer?
    private var wkbWriterHandle: OpaquePointer?

    final class MessageBox {
        var last: String?
    }

    public init() throws {
        guard let h = GEOS_init_r() else {
            throw GeosError.library(function: "GEOS_init_r", message: "could not allocate a context")
        }
        handle = h
        GEOSContext_setErrorMessageHandler_r(h, { message, userData in
            guard let message, let userData else { return }
            Unmanaged<GeosContext.MessageBox>.fromOpaque(userData).takeUnretainedValue().last = String(cString: message)
        }, Unmanaged.passUnretained(messages).toOpaque())
    }

    deinit {
        if let r = wktReaderHandle { GEOSWKTReader_destroy_r(handle, r) }
        if let w = wktWriterHandle { GEOSWKTWriter_destroy_r(handle, w) }
        if let r = wkbReaderHandle { GEOSWKBReader_destroy_r(handle, r) }
        if let w = wkbWriterHandle { GEOSWKBWriter_destroy_r(handle, w) }
        GEOS_finish_r(handle)
    }

    /// The GEOS release, e.g. `3.11.1`.
    public static var geosVersion: String { "\(GEOS_VERSION_MAJOR).\(GEOS_VERSION_MINOR).\(GEOS_VERSION_PATCH)" }

    // MARK: the one place failures become errors

    /// The error for a failed call to `function`, with GEOS's last message.
    func failure(_ function: String) -> GeosError {
        let message = messages.last ?? "GEOS gave no message"
        messages.last = nil
        return .library(function: function, message: message)
    }

    /// Wraps a new geometry pointer, or throws when GEOS returned NULL.
    func wrap(_ pointer: OpaquePointer?, _ function: String) throws -> GeosGeometry {
        guard let pointer else { throw failure(function) }
        return GeosGeometry(context: self, handle: pointer)
    }

    /// A GEOS predicate result: 0 false, 1 true, 2 exception.
    func predicate(_ result: CChar, _ function: String) throws -> Bool {
        switch result {
        case 0: return false
        case 1: return true
        default: throw failure(function)
        }
    }

    // MARK: WKT and WKB

    /// Parses well-known text (`GEOSWKTReader_read_r`).
    public func geometry(wkt: String) throws -> GeosGeometry {
        if wktReaderHandle == nil { wktReaderHandle = GEOSWKTReader_create_r(handle) }
        return try wrap(GEOSWKTReader_read_r(handle, wktReaderHandle, wkt), "GEOSWKTReader_read_r")
    }

    /// Parses well-known binary, ISO or extended, either byte order (`GEOSWKBReader_read_r`).
    public func geometry(wkb: [UInt8]) throws -> GeosGeometry {
        if wkbReaderHandle == nil { wkbReaderHandle = GEOSWKBReader_create_r(handle) }
        guard !wkb.isEmpty else { throw GeosError.invalidInput("WKB is empty") }
        return try wrap(GEOSWKBReader_read_r(handle, wkbReaderHandle, wkb, wkb.count), "GEOSWKBReader_read_r")
    }

    func wktWriter() -> OpaquePointer? {
        if wktWriterHandle == nil {
            wktWriterHandle = GEOSWKTWriter_create_r(handle)
            GEOSWKTWriter_setOutputDimension_r(handle, wktWriterHandle, 3)
        }
        return wktWriterHandle
    }

    func wkbWriter() -> OpaquePointer? {
        if wkbWriterHandle == nil {
            wkbWriterHandle = GEOSWKBWriter_create_r(handle)
            GEOSWKBWriter_setOutputDimension_r(handle, wkbWriterHandle, 3)
        }
        return wkbWriterHandle
    }

    /// A point (`GEOSGeom_createPointFromXY_r`).
    public func point(x: Double, y: Double) throws -> GeosGeometry {
        guard x.isFinite, y.isFinite else { throw GeosError.invalidInput("point coordinates must be finite, got \(x), \(y)") }
        return try wrap(GEOSGeom_createPointFromXY_r(handle, x, y), "GEOSGeom_createPointFromXY_r")
    }

    /// A rectangle polygon from a box (`GEOSGeom_createRectangle_r`).
    public func rectangle(_ box: BoundingBox) throws -> GeosGeometry {
        guard !box.isEmpty else { return try wrap(GEOSGeom_createEmptyPolygon_r(handle), "GEOSGeom_createEmptyPolygon_r") }
        return try wrap(GEOSGeom_createRectangle_r(handle, box.minX, box.minY, box.maxX, box.maxY), "GEOSGeom_createRectangle_r")
    }
}
