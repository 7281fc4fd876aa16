import Foundation
import GeoCore

/// JSON, GeoJSON and text renderings of geocoding results (`geo geocode`, `geo gazetteer`),
/// for any front end.
public enum GeocodeRendering {
    public static func rounded(_ v: Double, _ decimals: Double = 1e6) -> JSONValue { .double((v * decimals).rounded() / decimals) }

    public static func json(_ m: GeocodeMatch) -> JSONValue {
        let e = m.entry
        var o: OrderedJSON = [
            ("name", .string(e.name)), ("lat", rounded(e.position.latitude)), ("lon", rounded(e.position.longitude)),
            ("country", .string(e.country)), ("kind", .string(e.kind.rawValue)), ("population", .integer(Int64(e.population))),
            ("geo_precision", .integer(Int64(e.geoPrecision))), ("score", rounded(m.score, 1000)),
            ("match_type", .string(m.matchType.rawValue)), ("source", .string(e.source.rawValue)), ("id", .string(e.id)),
            ("approximate", .bool(e.approximate)),
        ]
        if let s = e.coordinateSource { o.append(("coordinate_source", .string(s))) }
        return object(o)
    }

    public typealias OrderedJSON = [(String, JSONValue)]

    public static func object(_ pairs: OrderedJSON) -> JSONValue {
        var members = ForeignMembers()
        for (k, v) in pairs { members[k] = v }
        return .object(members)
    }

    public static func json(_ r: GeocodeResult) -> JSONValue {
        var o: OrderedJSON = [("query", .string(r.query)), ("status", .string(r.status.rawValue))]
        if let best = r.best, case .object(let members) = json(best) {
            for (k, v) in members { o.append((k, v)) }
            // The answer's precision (3 for a fallback, 2 for a part of the place named).
            if let p = r.geoPrecision, p != best.entry.geoPrecision { o.append(("geo_precision", .integer(Int64(p)))) }
        }
        if let basis = r.fallbackBasis { o.append(("fallback_basis", .string(basis))) }
        if let reading = r.readAs { o.append(("read_as", .string(reading))) }
        o.append(("alternatives", .array(r.alternatives.map(json))))
        if r.status == .unresolved { o.append(("suggestions", .array(r.suggestions.map { .string($0) }))) }
        return object(o)
    }

    /// A point feature (null geometry when unresolved, so every query is in the output).
    public static func feature(_ r: GeocodeResult) -> Feature {
        var properties = json(r).objectValue ?? [:]
        properties.removeValue(forKey: "lat")
        properties.removeValue(forKey: "lon")
        return Feature(geometry: r.best.map { .point($0.entry.position) }, properties: properties)
    }

    public static func table(_ results: [GeocodeResult]) -> String {
        var rows = [["query", "status", "name", "lat", "lon", "country", "kind", "prec", "score", "source", "id"]]
        for r in results {
            if let b = r.best {
                rows.append([RawText.clipped(r.query, limit: 80), r.status.rawValue, b.entry.name, Format.fixed(b.entry.position.latitude, 5),
                             Format.fixed(b.entry.position.longitude, 5), b.entry.country, b.entry.kind.rawValue,
                             String(r.geoPrecision ?? 0), Format.fixed(b.score, 2), b.entry.source.rawValue, b.entry.id])
                if let basis = r.fallbackBasis { rows.append(["", "  basis", basis, "", "", "", "", "", "", "", ""]) }
                for a in r.alternatives {
                    rows.append(["", "  or", a.entry.name, Format.fixed(a.entry.position.latitude, 5), Format.fixed(a.entry.position.longitude, 5),
                                 a.entry.country, a.entry.kind.rawValue, String(a.entry.geoPrecision), Format.fixed(a.score, 2), a.entry.source.rawValue, a.entry.id])
                }
            } else {
                let hint = r.suggestions.isEmpty ? "no similar names" : "did you mean: " + r.suggestions.prefix(3).joined(separator: ", ")
                rows.append([RawText.clipped(r.query, limit: 80), r.status.rawValue, "(\(hint))", "", "", "", "", "", "", "", ""])
            }
        }
        return aligned(rows)
    }

    /// Rows as text columns, each as wide as its widest cell, trailing spaces trimmed.
    public static func aligned(_ rows: [[String]]) -> String {
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            // Trailing blanks cut by hand: a regular expression over a 100,000-character name
            // backtracked quadratically (41 s).
            String(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .reversed().drop { $0 == " " }.reversed())
        }.joined(separator: "\n") + "\n"
    }
}
