/// A small filter expression over event fields, for choosing attacks and responses.
///
/// Grammar (blanks around tokens are ignored):
///
///     filter := clause ( "&" clause )*
///     clause := field "=" values        the field has one of the values
///             | field "!=" values       the field has none of the values (a missing field passes)
///     values := value ( "," value )*
///     field  := letters, digits, "_" and "-"
///     value  := any text without "&" or ","
///
/// Matching is case-insensitive and exact otherwise (`actor_side=us` matches `US`). A field
/// holding an array (such as `tags`) matches when any element does; numbers compare by their
/// text (`fatalities=0`). A clause on `event_type` also looks at `sub_event_type`, so
/// `event_type=Air/drone strike` selects the ACLED sub-event type. An empty value (`admin1=`)
/// matches a missing or empty field.
public struct EventFilter: Hashable, Sendable, CustomStringConvertible {
    public enum Operator: String, Hashable, Sendable {
        case equals = "="
        case notEquals = "!="
    }

    /// One `field=values` or `field!=values` term.
    public struct Clause: Hashable, Sendable {
        public var field: String
        public var op: Operator
        /// Values as written.
        public var values: [String]
        /// Values lower-cased, for matching.
        var keys: Set<String>
    }

    /// A filter that cannot be read, with the reason.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String { "filter '\(text)': \(reason)" }
    }

    public private(set) var clauses: [Clause]
    /// The expression as given.
    public let text: String

    /// The fields a clause on `field` looks at.
    public static func fieldsSearched(by field: String) -> [String] {
        field == "event_type" ? ["event_type", "sub_event_type"] : [field]
    }

    public init(parsing text: String) throws(ParseError) {
        self.text = text
        clauses = []
        let parts = text.split(separator: "&", omittingEmptySubsequences: false)
        for (n, rawPart) in parts.enumerated() {
            let part = String(rawPart).trimmingBlanks()
            if part.isEmpty {
                throw ParseError(
                    text: text,
                    reason: text.trimmingBlanks().isEmpty
                        ? "empty filter; write field=value, e.g. actor_side=militia"
                        : "empty term \(n + 1) (a doubled or trailing '&'?)")
            }
            clauses.append(try Self.clause(part, in: text))
        }
    }

    static func clause(_ part: String, in text: String) throws(ParseError) -> Clause {
        let chars = Array(part)
        guard let opIndex = chars.firstIndex(where: { "=!<>~|".contains($0) }) else {
            throw ParseError(text: text, reason: "'\(part)' has no operator; write field=value or field!=value")
        }
        let field = String(chars[..<opIndex]).trimmingBlanks()
        var op: Operator
        var valueStart: Int
        switch chars[opIndex] {
        case "=":
            if opIndex + 1 < chars.count, chars[opIndex + 1] == "=" {
                throw ParseError(text: text, reason: "'==' in '\(part)'; write a single '='")
            }
            op = .equals
            valueStart = opIndex + 1
        case "!" where opIndex + 1 < chars.count && chars[opIndex + 1] == "=":
            op = .notEquals
            valueStart = opIndex + 2
        case "|":
            throw ParseError(text: text, reason: "'|' is not supported; for 'any of' write field=v1,v2")
        default:
            throw ParseError(
                text: text,
                reason: "unsupported operator '\(chars[opIndex])' in '\(part)'; only = and != (joined by &) are supported")
        }
        guard !field.isEmpty else { throw ParseError(text: text, reason: "'\(part)' has no field name before the operator") }
        guard field.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw ParseError(text: text, reason: "'\(field)' is not a field name (letters, digits, _ and - only)")
        }
        let rest = String(chars[valueStart...])
        if rest.contains("|") {
            throw ParseError(text: text, reason: "'|' is not supported; for 'any of' write field=v1,v2")
        }
        if let bad = rest.first(where: { "=!<>~|".contains($0) }) {
            throw ParseError(text: text, reason: "unexpected '\(bad)' in the value of '\(part)'")
        }
        var values = rest.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingBlanks() }
        if values.count > 1, values.contains(where: \.isEmpty) {
            throw ParseError(text: text, reason: "empty value in the list '\(rest.trimmingBlanks())'")
        }
        if values.isEmpty { values = [""] }
        return Clause(field: field, op: op, values: values, keys: Set(values.map { $0.lowercased() }))
    }

    /// The fields the filter names (as written, without the `sub_event_type` companion).
    public var fields: [String] { clauses.map(\.field) }

    /// Whether an event passes. `values(field)` returns the field's values as text: none when
    /// the field is missing or null, one for a string or number, the elements of an array.
    public func matches(_ values: (String) -> [String]) -> Bool {
        for clause in clauses {
            var found = false
            var sawValue = false
            for field in Self.fieldsSearched(by: clause.field) {
                for value in values(field) {
                    sawValue = sawValue || !value.isEmpty
                    if clause.keys.contains(value.lowercased()) { found = true; break }
                }
                if found { break }
            }
            if !found, !sawValue, clause.keys.contains("") { found = true }
            switch clause.op {
            case .equals: if !found { return false }
            case .notEquals: if found { return false }
            }
        }
        return true
    }

    public var description: String {
        clauses.map { "\($0.field)\($0.op.rawValue)\($0.values.joined(separator: ","))" }.joined(separator: " & ")
    }

    public static func == (a: EventFilter, b: EventFilter) -> Bool { a.clauses == b.clauses }
    public func hash(into hasher: inout Hasher) { hasher.combine(clauses) }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
