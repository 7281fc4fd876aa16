import ArgumentParser
import GeoCore
import GeoEvents

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
