/// ACLED's event types and their sub-event types (ACLED Codebook; names as in ACLED's exports).
public enum EventTaxonomy {
    public static let subEventTypes: [(eventType: String, subEventTypes: [String])] = [
        ("Battles", ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"]),
        ("Violence against civilians", ["Sexual violence", "Attack", "Abduction/forced disappearance"]),
        (
            "Explosions/Remote violence",
            [
                "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
                "Remote explosive/landmine/IED", "Grenade",
            ]
        ),
        ("Protests", ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"]),
        ("Riots", ["Violent demonstration", "Mob violence"]),
        (
            "Strategic developments",
            [
                "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                "Headquarters or base established", "Looting/property destruction",
                "Non-violent transfer of territory", "Other",
            ]
        ),
    ]

    /// The canonical spelling of an event type, matched without regard to case and spacing.
    public static func eventType(_ text: String) -> String? {
        eventTypesByKey[folded(text)]
    }

    /// The canonical sub-event type and the event type it belongs to. "Attack" belongs to
    /// violence against civilians; "Other" to strategic developments.
    public static func subEventType(_ text: String) -> (eventType: String, subEventType: String)? {
        subEventTypesByKey[folded(text)]
    }

    private static let eventTypesByKey: [String: String] = Dictionary(
        uniqueKeysWithValues: subEventTypes.map { (folded($0.eventType), $0.eventType) })

    private static let subEventTypesByKey: [String: (eventType: String, subEventType: String)] = {
        var table: [String: (eventType: String, subEventType: String)] = [:]
        for (type, subs) in subEventTypes {
            for sub in subs { table[folded(sub)] = (type, sub) }
        }
        // ACLED's older spelling.
        table[folded("Excessive force against protestors")] = ("Protests", "Excessive force against protesters")
        return table
    }()

    /// Checks a pair from a row and returns it in canonical spelling. An event type column
    /// holding a sub-event type (`Air/drone strike`) is accepted as that sub-event type; a
    /// sub-event type given alone implies its event type. Empty stays empty.
    public static func resolve(eventType: String, subEventType: String) -> Result<(String, String), TaxonomyError> {
        if let pair = canonicalPairs[eventType]?[subEventType] { return .success(pair) }
        return resolveAnySpelling(eventType: eventType, subEventType: subEventType)
    }

    /// Pairs already in canonical spelling (most rows), each with what `resolveAnySpelling`
    /// gives for it, looked up without folding.
    private static let canonicalPairs: [String: [String: (String, String)]] = {
        var table: [String: [String: (String, String)]] = [:]
        for (type, subs) in subEventTypes {
            for sub in [""] + subs {
                if case .success(let pair) = resolveAnySpelling(eventType: type, subEventType: sub) { table[type, default: [:]][sub] = pair }
            }
        }
        return table
    }()

    /// `resolve` without the canonical-spelling fast path.
    static func resolveAnySpelling(eventType: String, subEventType: String) -> Result<(String, String), TaxonomyError> {
        let type = eventType.trimmingSpaces
        let sub = subEventType.trimmingSpaces
        var canonicalType = ""
        var canonicalSub = ""
        if !type.isEmpty {
            if let t = self.eventType(type) {
                canonicalType = t
            } else if sub.isEmpty, let pair = self.subEventType(type) {
                return .success(pair)
            } else {
                return .failure(.unknownEventType(type))
            }
        }
        if !sub.isEmpty {
            guard let pair = self.subEventType(sub) else { return .failure(.unknownSubEventType(sub)) }
            if !canonicalType.isEmpty && pair.eventType != canonicalType {
                // ACLED's "Attack" sub-event type only exists under violence against civilians.
                return .failure(.mismatch(eventType: canonicalType, subEventType: pair.subEventType, expected: pair.eventType))
            }
            canonicalType = pair.eventType
            canonicalSub = pair.subEventType
        }
        return .success((canonicalType, canonicalSub))
    }

    /// Lower case without spaces; ASCII text takes a byte-level path.
    private static func folded(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            if b >= 0x80 {
                return String(String.UnicodeScalarView(text.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace }))
            }
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { continue }
            bytes.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

public enum TaxonomyError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownEventType(String)
    case unknownSubEventType(String)
    case mismatch(eventType: String, subEventType: String, expected: String)

    public var description: String {
        switch self {
        case .unknownEventType(let t):
            "unknown event_type '\(t)' (ACLED types: \(EventTaxonomy.subEventTypes.map(\.eventType).joined(separator: ", ")))"
        case .unknownSubEventType(let s): "unknown sub_event_type '\(s)'"
        case .mismatch(let t, let s, let expected): "sub_event_type '\(s)' belongs to '\(expected)', not '\(t)'"
        }
    }
}
