/// A GEOS failure: either GEOS itself reported one (with its own message), or the input was
/// refused on the Swift side before it could reach GEOS.
public enum GeosError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A GEOS C function returned its failure value (NULL, 0, 2 or −1, depending on the
    /// function); `message` is what GEOS's error handler said, e.g.
    /// `ParseException: Expected word but encountered end of stream`.
    case library(function: String, message: String)
    /// Input that GEOS must not see or cannot take: an unclosed ring, too few positions, a NaN
    /// coordinate, collections nested too deeply, geometries from two different contexts…
    case invalidInput(String)

    /// `GEOS <function> failed: <message>`, or `invalid input for GEOS: <reason>`.
    public var description: String {
        switch self {
        case .library(let function, let message): "GEOS \(function) failed: \(message)"
        case .invalidInput(let message): "invalid input for GEOS: \(message)"
        }
    }
}
