/// A failure while a command runs (bad data, unresolvable input): printed as `Error: …`
/// without the usage text, exit status 1.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
