import ArgumentParser
import GeoCore
import GeoGEOS
import GeoProj

/// The `geo` command: a thin root that lists the subcommands. Each subcommand lives in its own
/// file as an extension of `GeoCommand`.
public struct GeoCommand: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "geo",
        abstract: "Geocode, measure and analyse armed-conflict events (GEOS + PROJ, GeoJSON out).",
        discussion: """
            Distances are geodesic on the WGS84 ellipsoid (PROJ, Karney's algorithms). Coordinates \
            are given as lat,lon on the command line and written as GeoJSON [lon, lat].
            Use - for standard input or output. Units: distances 50km, 500m, 12mi, 10nmi; \
            durations 36h, 14d, 2w.
            """,
        version: "geo \(version) (GEOS \(GeosContext.geosVersion), PROJ \(ProjContext.projVersion))",
        subcommands: [
            ConvertCommand.self, EventsCommand.self, ClusterCommand.self, CorridorCommand.self, NearCommand.self,
            WindowsCommand.self, EscalationCommand.self, TimelineCommand.self, MapCommand.self,
            DistanceCommand.self, GeocodeCommand.self, GeoparseCommand.self, ExtractCommand.self, ReverseCommand.self, GazetteerCommand.self, ValidateCommand.self,
        ]
    )

    public init() {}
}

/// Marks values that start with a minus sign and a digit (`-33.86,151.21`, `-5km`) so that the
/// argument parser reads them as values, not as short options; no `geo` option is a digit.
/// Everything after a `--` is left alone.
func protectingNegativeNumbers(_ arguments: [String]) -> [String] {
    var result: [String] = []
    var afterSeparator = false
    for argument in arguments {
        if argument == "--" { afterSeparator = true }
        let chars = Array(argument.utf8.prefix(2))
        if !afterSeparator, chars.count == 2, chars[0] == UInt8(ascii: "-"),
            chars[1] >= UInt8(ascii: "0") && chars[1] <= UInt8(ascii: "9") || chars.count == 2 && chars[0] == UInt8(ascii: "-") && chars[1] == UInt8(ascii: ".")
        {
            result.append(" " + argument)  // value parsers trim leading blanks
        } else {
            result.append(argument)
        }
    }
    return result
}

/// Runs `geo` with arguments (without the program name) and returns the exit code, writing to
/// `Console.current`. The executable and the in-process tests share this path.
public enum GeoMain {
    /// For the executable, before `run`: a run stopped by Ctrl-C, `kill`, a closed terminal or
    /// pipe removes its unfinished outputs' temporary files (`TemporaryFiles`) and ends with
    /// that signal. Not for in-process runs: the signals belong to the host.
    public static func removeTemporaryFilesOnSignals() {
        TemporaryFiles.removeOnSignals()
    }

    public static func run(_ arguments: [String], console: Console = .standard) -> Int32 {
        Console.$current.withValue(console) {
            defer {
                console.endProgress()
                console.flush()
            }
            do {
                if let unknown = unknownCommandMessage(arguments) {
                    console.printError("Error: " + unknown)
                    return ExitCode.validationFailure.rawValue
                }
                var command = try GeoCommand.parseAsRoot(protectingNegativeNumbers(arguments))
                do {
                    try command.run()
                    try console.commitOutputs()
                } catch {
                    console.discardOutputs()
                    throw error
                }
                return 0
            } catch {
                let code = GeoCommand.exitCode(for: error)
                let message = GeoCommand.fullMessage(for: error)
                if code == .success {
                    if !message.isEmpty { console.print(message) }
                } else if !message.isEmpty {
                    console.printError(message.hasPrefix("Error:") || message.hasPrefix("Usage:") ? message : "Error: " + message)
                }
                return code.rawValue
            }
        }
    }
}

/// A first argument that names no command (`geo clster`): the message, with the closest
/// command names; nil when the first argument is a command, an option or absent.
func unknownCommandMessage(_ arguments: [String]) -> String? {
    guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
    let names = GeoCommand.configuration.subcommands.map { $0._commandName } + ["help"]
    guard !names.contains(first) else { return nil }
    let scored = names.map { (name: $0, distance: editDistance(first.lowercased(), $0)) }.sorted { $0.distance < $1.distance }
    let close = scored.filter { $0.distance <= max(1, min(2, first.count / 3)) }.map(\.name)
    var message = "unknown command '\(first)'"
    if !close.isEmpty { message += "; did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?" }
    return message + "\nCommands: " + names.filter { $0 != "help" }.joined(separator: ", ") + " (geo help COMMAND for one)"
}

/// Levenshtein distance between two words (insertions, deletions, substitutions).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...max(1, b.count) where !b.isEmpty {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
}
