import ArgumentParser
import Foundation
import GeoCore
import GeoGazetteer

/// `--gazetteer DIR`: the user overlay folder (else `GEO_GAZETTEER_DIR`), shared by commands
/// that look names up.
public struct GazetteerOptions: ParsableArguments {
    @Option(
        name: .customLong("gazetteer"),
        help: ArgumentHelp("User gazetteer folder (imported places); default $GEO_GAZETTEER_DIR.", valueName: "dir"))
    public var userDirectory: String?

    public init() {}

    public func validate() throws {
        var isFolder: ObjCBool = false
        if let userDirectory, FileManager.default.fileExists(atPath: userDirectory, isDirectory: &isFolder), !isFolder.boolValue {
            throw ValidationError("--gazetteer takes the folder of a user gazetteer (it holds user-places.csv); '\(userDirectory)' is a file")
        }
    }

    var resolvedUserDirectory: String? { userDirectory ?? Gazetteer.userOverlayDirectory() }

    /// The bundled gazetteer plus the overlay, loaded once per process and overlay folder
    /// (the overlay file's modification time is part of the key, so an import is seen).
    func load() throws -> Gazetteer {
        let dir = resolvedUserDirectory
        let stamp = dir.flatMap { try? FileManager.default.attributesOfItem(atPath: $0 + "/user-places.csv")[.modificationDate] as? Date }
        let key = "\(dir ?? "")|\(stamp?.timeIntervalSince1970 ?? 0)"
        return try GazetteerCache.shared.gazetteer(for: key) { try Gazetteer.load(userDirectory: dir) }
    }
}

/// Loaded gazetteers by overlay folder (the gazetteer is immutable and thread-safe).
final class GazetteerCache: @unchecked Sendable {
    static let shared = GazetteerCache()
    private let lock = NSLock()
    private var loaded: [String: Gazetteer] = [:]

    func gazetteer(for key: String, load: () throws -> Gazetteer) throws -> Gazetteer {
        lock.lock()
        defer { lock.unlock() }
        if let g = loaded[key] { return g }
        let g = try load()
        loaded[key] = g
        return g
    }
}

/// Geocode options shared by `geocode` and `distance`.
struct LookupOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Country the places should be in (ISO 3166-1 alpha-2, e.g. SY).", valueName: "code"))
    var country: String?

    @Option(help: ArgumentHelp("Prefer places near this point.", valueName: "lat,lon"), transform: ArgumentParsers.latLon)
    var near: Position?

    func validate() throws {
        if let country, country.count != 2 || !country.allSatisfy(\.isLetter) {
            throw ValidationError("--country takes a two-letter ISO code such as SY or IQ, got '\(country)'")
        }
    }

    func options(fallback: GeocodeOptions.Fallback? = nil) -> GeocodeOptions {
        GeocodeOptions(country: country, near: near, fallback: fallback)
    }
}

extension GeocodeOptions.Fallback: ExpressibleByArgument {}

/// JSON and text renderings of geocoding results, shared by the commands.
enum GeocodeRendering {
    static func rounded(_ v: Double, _ decimals: Double = 1e6) -> JSONValue { .double((v * decimals).rounded() / decimals) }

    static func json(_ m: GeocodeMatch) -> JSONValue {
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

    typealias OrderedJSON = [(String, JSONValue)]

    static func object(_ pairs: OrderedJSON) -> JSONValue {
        var members = ForeignMembers()
        for (k, v) in pairs { members[k] = v }
        return .object(members)
    }

    static func json(_ r: GeocodeResult) -> JSONValue {
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
    static func feature(_ r: GeocodeResult) -> Feature {
        var properties = json(r).objectValue ?? [:]
        properties.removeValue(forKey: "lat")
        properties.removeValue(forKey: "lon")
        return Feature(geometry: r.best.map { .point($0.entry.position) }, properties: properties)
    }

    static func table(_ results: [GeocodeResult]) -> String {
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
    static func aligned(_ rows: [[String]]) -> String {
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            // Trailing blanks cut by hand: a regular expression over a 100,000-character name
            // backtracked quadratically (41 s).
            String(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .reversed().drop { $0 == " " }.reversed())
        }.joined(separator: "\n") + "\n"
    }
}
