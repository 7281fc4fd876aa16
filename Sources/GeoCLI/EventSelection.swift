import ArgumentParser
import GeoCore
import GeoEvents
import GeoLayers

/// Option parsing shared by the commands that select events (windows, escalation): filters and days.
enum EventSelection {
    /// The FILTER grammar, for command help.
    static let filterHelp = """
        FILTER: field=value, field=v1,v2 (any of), field!=value (none of; a missing field \
        passes), terms joined by & (all must hold). Case-insensitive exact matches; arrays such \
        as tags match by any element; event_type also matches sub_event_type, so \
        'event_type=Air/drone strike' selects that ACLED sub-event type. Quote filters in the shell.
        """

    /// Parses a command-line filter; a syntax error is a usage error naming the option.
    static func filter(_ text: String, option: String) throws -> EventFilter {
        do { return try EventFilter(parsing: text) } catch { throw ValidationError("\(option): \(error.description)") }
    }

    /// Parses a `--from`/`--to` date to a day number.
    static func day(_ text: String, option: String) throws -> Int {
        do { return try DateParser().parse(text).date.daysSinceEpoch } catch {
            throw ValidationError("\(option) '\(text)': \(error)")
        }
    }
}

/// Which events a series counts (escalation, timeline): `--split`, `--where`, `--from`, `--to`,
/// checked once for both commands.
struct SeriesSelectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Series per value of actor_side, country, event_type, sub_event_type, actor1 or admin1.", valueName: "field"))
    var split: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("Only events matching FILTER.", valueName: "filter"))
    var filterText: String?

    @Option(help: ArgumentHelp("First day (default: the first event's).", valueName: "date"))
    var from: String?
    @Option(help: ArgumentHelp("Last day, inclusive (default: the last event's).", valueName: "date"))
    var to: String?

    func validate() throws {
        if let split, !EscalationOptions.splitFields.contains(split) {
            throw ValidationError("unknown --split '\(split)'; use one of: \(EscalationOptions.splitFields.joined(separator: ", "))")
        }
        _ = try filter()
        if let first = try fromDay(), let last = try toDay(), last < first {
            throw ValidationError("--to \(to ?? "") is before --from \(from ?? "")")
        }
    }

    func filter() throws -> EventFilter? { try filterText.map { try EventSelection.filter($0, option: "--where") } }
    func fromDay() throws -> Int? { try from.map { try EventSelection.day($0, option: "--from") } }
    func toDay() throws -> Int? { try to.map { try EventSelection.day($0, option: "--to") } }
}
