import GeoCore
import GeoGEOS
import Testing

func P(_ x: Double, _ y: Double) -> Position { Position(x: x, y: y) }
func P(_ x: Double, _ y: Double, _ z: Double) -> Position { Position(x: x, y: y, z: z) }

/// 0…10 square, counterclockwise, closed.
let square10: [Position] = [P(0, 0), P(10, 0), P(10, 10), P(0, 10), P(0, 0)]
/// A 2×2 hole at 2…4, clockwise.
let hole2: [Position] = [P(2, 2), P(2, 4), P(4, 4), P(4, 2), P(2, 2)]

/// Whether `error` is `GeosError.invalidInput`.
func isInvalidInput(_ error: (any Error)?) -> Bool {
    if case .invalidInput? = error as? GeosError { return true }
    return false
}

/// Whether `error` is `GeosError.library` from `function` with a message containing `text`.
func isLibraryError(_ error: (any Error)?, function: String, containing text: String) -> Bool {
    if case .library(let f, let message)? = error as? GeosError { return f == function && message.contains(text) }
    return false
}

/// Expects `body` to throw `GeosError.invalidInput`.
func expectInvalidInput(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                        _ body: () throws -> Void) {
    let error = #expect(throws: GeosError.self, comment, sourceLocation: sourceLocation) { try body() }
    #expect(isInvalidInput(error), "expected .invalidInput, got \(String(describing: error))", sourceLocation: sourceLocation)
}
