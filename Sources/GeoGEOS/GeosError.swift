/// A GEOS failure: either GEOS reported one (with its own message), or the input was refused
/// on the Swift side before it could reach GEOS.
public enum GeosError: Error, Hashable, Sendable, CustomStringConvertible {
    /// GEOS returned its failure value; `message` is what GEOS's error handler said.
    case library(function: String, message: String)
    /// Input that GEOS must not see: unclosed ring, too few positions, NaN, bad WKB length…
    case invalidInput(String)

    public var description: String {
        switch self {
        case .library(let function, let message): "GEOS \(function) failed: \(message)"
        case .invalidInput(let message): message
        }
    }
}
