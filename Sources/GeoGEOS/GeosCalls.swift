internal import CGEOS

// The one place where GEOS's failure conventions become thrown `GeosError.library` values.
//
// GEOS reports failure in four ways, depending on the function:
//   - a NULL pointer (constructors, operations, readers, writers),
//   - an `int` status of 0 (measurements, coordinate-sequence copies),
//   - a `char` of 2 from a predicate (0 false, 1 true),
//   - −1 from `GEOSProject_r` / `GEOSProjectNormalized_r`.
// In every case the message comes from the context's error handler, captured in `MessageBox`.
// Each call clears the box first, so a failure is never blamed on an earlier message.

/// Where the context's C error handler leaves GEOS's last message.
final class MessageBox {
    var last: String?
}

extension GeosContext {
    /// The error for a failed call to `function`, carrying GEOS's last message.
    func failure(_ function: String) -> GeosError {
        let message = messages.last ?? "GEOS gave no message"
        messages.last = nil
        return .library(function: function, message: message)
    }

    /// Runs a GEOS call whose failure value is NULL.
    @inline(__always)
    func call<T>(_ function: String, _ body: (OpaquePointer) -> T?) throws -> T {
        messages.last = nil
        guard let result = body(handle) else { throw failure(function) }
        return result
    }

    /// Runs a GEOS call that returns an `int` status, 0 meaning failure.
    @inline(__always)
    func status(_ function: String, _ body: (OpaquePointer) -> Int32) throws {
        messages.last = nil
        guard body(handle) != 0 else { throw failure(function) }
    }

    /// Runs a GEOS predicate: 0 false, 1 true, anything else (2) an exception.
    @inline(__always)
    func predicate(_ function: String, _ body: (OpaquePointer) -> CChar) throws -> Bool {
        messages.last = nil
        switch body(handle) {
        case 0: return false
        case 1: return true
        default: throw failure(function)
        }
    }

    /// Runs a GEOS call returning a non-negative number, −1 (any negative) meaning failure.
    @inline(__always)
    func nonNegative(_ function: String, _ body: (OpaquePointer) -> Double) throws -> Double {
        messages.last = nil
        let value = body(handle)
        guard value >= 0 else { throw failure(function) }
        return value
    }

    /// Runs a GEOS call that writes one `double` through a pointer and returns a status.
    @inline(__always)
    func measure(_ function: String, _ body: (OpaquePointer, UnsafeMutablePointer<Double>) -> Int32) throws -> Double {
        var value = 0.0
        try status(function) { body($0, &value) }
        return value
    }

    /// Wraps a new GEOS geometry, or throws when GEOS returned NULL.
    func geometry(_ function: String, _ body: (OpaquePointer) -> OpaquePointer?) throws -> GeosGeometry {
        GeosGeometry(context: self, handle: try call(function, body))
    }
}
