import Foundation
import GeoCore

/// A point given as `lat,lon` or as a place name (`geo distance Boukamal 34.2,40.1`), resolved:
/// coordinates are read as they are, a name is the gazetteer's best match.
public struct PointReference: Sendable {
    /// The text as given.
    public let text: String
    /// The point, WGS84 degrees.
    public let position: Position
    /// The gazetteer's answer when `text` is a name; nil for coordinates.
    public let match: GeocodeResult?

    /// Whether `text` is meant as `lat,lon`: it starts like a number (a digit, sign or point),
    /// or it is two comma-separated words that Swift would read as numbers (`nan,nan`, `inf,0`,
    /// `0x1p5,3`), which must be refused as coordinates rather than looked up as a place name.
    public static func looksLikeLatLon(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first else { return false }
        if first.isNumber || first == "-" || first == "+" || first == "." { return true }
        let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { Double($0.trimmingCharacters(in: .whitespaces)) != nil }
    }

    /// Resolves `text`: coordinates when it looks like `lat,lon` (`LatLonParseError` when they
    /// are malformed or out of range), else the gazetteer's best match for the name under
    /// `options` (`UnresolvedPointError` when nothing matches; an ambiguous best is taken, and
    /// `note` says so). `gazetteer` is called only for names.
    public init(_ text: String, options: GeocodeOptions = GeocodeOptions(), gazetteer: () throws -> Gazetteer) throws {
        self.text = text
        if Self.looksLikeLatLon(text) {
            position = try Position(latLon: text)
            match = nil
            return
        }
        let r = try gazetteer().geocode(text, options: options)
        guard let best = r.best else { throw UnresolvedPointError(text: text, suggestions: r.suggestions) }
        position = best.entry.position
        match = r
    }

    /// What a name was read as, for the user: `Boukamal → Ālbū Kamāl (SY, place, geonames:…,
    /// score 0.97)`, with `; also …` listing the alternatives of an ambiguous answer. Nil for
    /// coordinates.
    public var note: String? {
        guard let r = match, let best = r.best else { return nil }
        var note = "\(text) → \(best.entry.name) (\(best.entry.country), \(best.entry.kind.rawValue), \(best.entry.id), score \(Format.fixed(best.score, 2)))"
        if r.status == .ambiguous { note += "; also " + r.alternatives.map { "\($0.entry.name) (\($0.entry.country))" }.joined(separator: ", ") }
        return note
    }
}

/// A name that is neither `lat,lon` nor a gazetteer place, with up to three suggestions.
public struct UnresolvedPointError: Error, Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var suggestions: [String]

    public var description: String {
        let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.prefix(3).joined(separator: ", "))?"
        return "'\(text)' is not a lat,lon and no gazetteer place matches it\(hint)"
    }
}
