/// An analysis that cannot be done on its input, with the reason (naming the file, feature or
/// option): the message a user reads.
public struct LayerError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
