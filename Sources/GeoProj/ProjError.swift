/// A PROJ failure: the operation, PROJ's own message, and (for bulk transforms) the first
/// coordinate that failed.
public enum ProjError: Error, Hashable, Sendable, CustomStringConvertible {
    /// PROJ reported an error (`proj_context_errno`), with its message.
    case library(operation: String, message: String)
    /// A coordinate could not be transformed (PROJ returned HUGE_VAL for it).
    case coordinateFailed(index: Int, x: Double, y: Double, message: String)
    /// Input rejected before reaching PROJ (latitude outside −90…90, NaN, …).
    case invalidInput(String)

    public var description: String {
        switch self {
        case .library(let operation, let message):
            "PROJ \(operation) failed: \(message)"
        case .coordinateFailed(let index, let x, let y, let message):
            "PROJ could not transform coordinate \(index) (\(x), \(y)): \(message)"
        case .invalidInput(let message):
            message
        }
    }
}
