import ArgumentParser
import GeoCore
import GeoEvents
import GeoTemporal

/// Helpers shared by the temporal commands: filters over a point layer's event properties.
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

    /// A property's values as text: none for missing/null, one for a scalar, each element of an array.
    static func values(_ feature: Feature, _ field: String) -> [String] {
        guard let value = feature[property: field] else { return [] }
        return texts(value)
    }

    static func texts(_ value: JSONValue) -> [String] {
        switch value {
        case .null: []
        case .string(let s): [s]
        case .integer(let i): [String(i)]
        case .double(let d): [Format.shortest(d)]
        case .bool(let b): [b ? "true" : "false"]
        case .array(let items): items.flatMap(texts)
        case .object: [JSONWriter.string(from: value)]
        }
    }

    /// Refuses a filter naming a field that no feature has (almost always a typo).
    static func checkFields(of filter: EventFilter, option: String, in layer: PointLayer) throws {
        for field in filter.fields {
            let searched = EventFilter.fieldsSearched(by: field)
            let present = layer.features.contains { f in searched.contains { f[property: $0] != nil } }
            if !present, !layer.features.isEmpty {
                var known: [String] = []
                for f in layer.features.prefix(50) {
                    for key in f.properties?.keys ?? [] where !known.contains(key) { known.append(key) }
                }
                throw CommandError(
                    "\(layer.sourceName): \(option) '\(filter.text)': no event has a field '\(field)'; fields: \(known.joined(separator: ", "))")
            }
        }
    }

    /// How a feature is named in output and messages: its `event_id`, else its id, else its index.
    static func label(_ feature: Feature, index: Int) -> String {
        if let id = feature[property: "event_id"], let text = texts(id).first, !text.isEmpty { return text }
        if let id = feature.id { return id.description }
        return "feature \(index)"
    }

    /// Parses a `--from`/`--to` date to a day number.
    static func day(_ text: String, option: String) throws -> Int {
        do { return try DateParser().parse(text).date.daysSinceEpoch } catch {
            throw ValidationError("\(option) '\(text)': \(error)")
        }
    }

    /// Rounds for output: `decimals` places, as a JSON number.
    static func rounded(_ value: Double, _ decimals: Int) -> JSONValue {
        guard value.isFinite else { return .null }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (value * scale).rounded() / scale
        return r == r.rounded() && abs(r) < 1e15 ? .integer(Int64(r)) : .double(r)
    }
}
