import Foundation
import GeoCore

/// Readers for the gazetteer's files. Every problem names the file and line.
enum GazetteerFiles {
    static let overlayFileName = "user-places.csv"
    static let siteColumns = ["id", "name", "aliases", "kind", "country", "lat", "lon", "approximate", "source", "note"]

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GazetteerError(file: path, reason: "cannot read the file")
        }
        return [UInt8](data)
    }

    /// `places.tsv`: geonameid, name, latitude, longitude, country, admin1, population,
    /// alternatenames (`|`-separated). Parsed by splitting bytes, not through CSV quoting.
    /// Returns the file's size and FNV-1a hash (to match the precomputed name index).
    @discardableResult
    static func loadPlaces(_ path: String, into rows: inout GazetteerRows) throws -> (size: Int, hash: UInt64) {
        let bytes = try read(path)
        let hash = bytes.withUnsafeBytes { fnv1aFile($0) }
        // Two halves split at a line end, parsed in parallel.
        var middle = bytes.count / 2
        while middle < bytes.count, bytes[middle] != UInt8(ascii: "\n") { middle += 1 }
        let ranges = [0..<min(bytes.count, middle + 1), min(bytes.count, middle + 1)..<bytes.count]
        let parts = PlaceChunks()
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            parts.store(part, Result { try parsePlaces(bytes, ranges[part], path: path, skipHeader: part == 0) })
        }
        for part in 0..<2 {
            let chunk = try parts.take(part).get()
            rows.entries += chunk.entries
            rows.aliasTexts += chunk.aliasTexts
        }
        return (bytes.count, hash)
    }

    final class PlaceChunks: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Int: Result<GazetteerRows, Error>] = [:]
        func store(_ part: Int, _ result: Result<GazetteerRows, Error>) {
            lock.lock()
            results[part] = result
            lock.unlock()
        }
        func take(_ part: Int) -> Result<GazetteerRows, Error> { results[part]! }
    }

    /// The lines of `range` of `places.tsv` (`skipHeader`: the first line of the file is in it).
    /// Lines and tabs are found with `memchr`; the numbers in their plain forms are read from
    /// their digits (the value `Int(_:)` and `Double(_:)` give: Clinger's exact path), anything
    /// else through those initialisers; text fields become `String`s, ids stay numbers.
    static func parsePlaces(_ bytes: [UInt8], _ range: Range<Int>, path: String, skipHeader: Bool) throws -> GazetteerRows {
        var rows = GazetteerRows()
        rows.reserveCapacity(range.count / 160)
        return try bytes.withUnsafeBytes { buffer in
            let base = buffer.baseAddress!
            // Line numbers are counted from the start of the file for messages.
            var lineNumber = 0
            var from = 0
            while from < range.lowerBound, let hit = memchr(base + from, Int32(UInt8(ascii: "\n")), range.lowerBound - from) {
                lineNumber += 1
                from = base.distance(to: UnsafeRawPointer(hit)) + 1
            }
            var start = range.lowerBound
            var bounds = [Int](repeating: 0, count: 10)  // field k is bounds[k]..<bounds[k + 1] - 1
            while start < range.upperBound {
                let end = memchr(base + start, Int32(UInt8(ascii: "\n")), range.upperBound - start).map { base.distance(to: UnsafeRawPointer($0)) }
                    ?? range.upperBound
                lineNumber += 1
                defer { start = end + 1 }
                if (skipHeader && lineNumber == 1) || end == start { continue }
                var fields = 0
                var fieldStart = start
                while fields < 9 {
                    bounds[fields] = fieldStart
                    fields += 1
                    guard let tab = memchr(base + fieldStart, Int32(UInt8(ascii: "\t")), end - fieldStart) else { break }
                    fieldStart = base.distance(to: UnsafeRawPointer(tab)) + 1
                }
                bounds[fields] = end + 1
                func field(_ k: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[bounds[k]..<(bounds[k + 1] - 1)]) }
                func text(_ k: Int) -> String { String(decoding: field(k), as: UTF8.self) }
                guard fields == 8, let number = placeID(field(0)), let lat = decimal(field(2)), let lon = decimal(field(3)),
                      let population = integer(field(6))
                else {
                    throw GazetteerError(file: path, line: lineNumber, reason: "expected 8 tab-separated fields with numeric id, latitude, longitude and population")
                }
                rows.append(GazetteerEntry(
                    geonameID: number.geonameID, otherID: number.otherID, name: text(1),
                    position: Position(longitude: lon, latitude: lat), country: text(4), admin1: text(5),
                    kind: .place, population: population, source: .geonames, approximate: false, coordinateSource: nil), aliases: text(7))
            }
            return rows
        }
    }

    /// A place's id field as `GazetteerEntry.splitID` splits `geonames:` and it: the number
    /// straight from plain digits, else through `Int(_:)` and `splitID`; nil when not an integer.
    private static func placeID(_ text: UnsafeRawBufferPointer) -> (geonameID: Int32, otherID: String)? {
        if (1...9).contains(text.count), text[0] != UInt8(ascii: "0"), text.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) {
            return (Int32(text.reduce(0) { $0 * 10 + Int32($1 - UInt8(ascii: "0")) }), "")
        }
        let id = String(decoding: text, as: UTF8.self)
        guard Int(id) != nil else { return nil }
        return GazetteerEntry.splitID("geonames:" + id)
    }

    /// `Double(_:)` of a field: plain decimals from their digits (`PlainDecimal`), anything
    /// else by the initialiser.
    private static func decimal(_ text: UnsafeRawBufferPointer) -> Double? {
        PlainDecimal.value(text) ?? Double(String(decoding: text, as: UTF8.self))
    }

    /// `Int(_:)` of a field: plain digits (18 at most, an optional `-`) read directly.
    private static func integer(_ text: UnsafeRawBufferPointer) -> Int? {
        let negative = text.first == UInt8(ascii: "-")
        let digits = UnsafeRawBufferPointer(rebasing: text[(negative ? 1 : 0)...])
        guard (1...18).contains(digits.count), digits.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else {
            return Int(String(decoding: text, as: UTF8.self))
        }
        let n = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return negative ? -n : n
    }

    /// Why a header cannot key its rows: a column name that appears more than once (rows are read
    /// by name, so which of the two columns was meant cannot be told). Nil when all are distinct.
    static func repeatedColumn(_ header: [String]) -> String? {
        var seen: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            if let first = seen[name] {
                return "column '\(RawText.clipped(name, limit: 100))' appears twice in the header (columns \(first + 1) and \(i + 1)); rename or remove one"
            }
            seen[name] = i
        }
        return nil
    }

    /// Rows of a CSV file as dictionaries keyed by header, with their line numbers.
    static func csvRows(_ path: String, required: [String]) throws -> [(line: Int, row: [String: String])] {
        let bytes = try read(path)
        var records: [CSV.Record] = []
        do {
            try CSV.forEachRecord(in: bytes) { records.append($0) }
        } catch {
            throw GazetteerError(file: path, line: error.line, reason: error.message)
        }
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw GazetteerError(file: path, reason: "the file is empty")
        }
        if let repeated = repeatedColumn(header) { throw GazetteerError(file: path, line: records[0].line, reason: repeated) }
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw GazetteerError(file: path, line: 1, reason: "missing column(s) \(missing.joined(separator: ", ")); the header must include \(required.joined(separator: ","))")
        }
        return try records.dropFirst().map { record in
            guard record.fields.count == header.count else {
                throw GazetteerError(file: path, line: record.line, reason: "expected \(header.count) fields, found \(record.fields.count)")
            }
            return (record.line, Dictionary(uniqueKeysWithValues: zip(header, record.fields)))
        }
    }

    /// `provinces.csv`: located at their capital's GeoNames coordinate, precision 3.
    static func loadProvinces(_ path: String, into rows: inout GazetteerRows) throws {
        var byID: [String: Int] = [:]
        for (i, e) in rows.entries.enumerated() where e.source == .geonames { byID[e.id] = i }
        for (line, row) in try csvRows(path, required: ["id", "name", "aliases", "country", "capital_geonameid"]) {
            guard let capital = byID["geonames:" + row["capital_geonameid"]!] else {
                throw GazetteerError(file: path, line: line, reason: "capital \(row["capital_geonameid"]!) is not in places.tsv")
            }
            let c = rows.entries[capital]
            rows.append(GazetteerEntry(
                id: row["id"]!, name: row["name"]!, position: c.position,
                country: row["country"]!, admin1: c.admin1, kind: .province, population: 0, source: .geonames,
                approximate: true, coordinateSource: "capital: \(c.name) (geonames:\(row["capital_geonameid"]!))"),
                aliases: splitAliases(row["aliases"]!))
        }
    }

    /// One entry per country that has places, at its capital (else its most populous place),
    /// geo precision 3, so that "Syria" means Syria and not a town whose name looks like it.
    static func addCountries(_ codes: CountryCodes, into rows: inout GazetteerRows) {
        var largest: [String: Int] = [:]
        var byID: [String: Int] = [:]
        for (i, e) in rows.entries.enumerated() where e.kind == .place {
            byID[e.id] = i
            if let j = largest[e.country], rows.entries[j].population >= e.population { continue }
            largest[e.country] = i
        }
        for c in codes.countries {
            let capital = c.capitalGeonameID.flatMap { byID["geonames:\($0)"] }
            guard let j = capital ?? largest[c.alpha2] else { continue }
            let town = rows.entries[j]
            let aliases = c.otherNames.filter { !$0.isEmpty && $0 != c.name }.map { $0.replacingOccurrences(of: "|", with: " ") }
            rows.append(GazetteerEntry(
                id: "country:\(c.alpha2)", name: c.name, position: town.position,
                country: c.alpha2, admin1: "", kind: .country, population: 0, source: .naturalearth,
                approximate: true, coordinateSource: "\(capital != nil ? "capital" : "most populous place"): \(town.name) (\(town.id))"),
                aliases: aliases.joined(separator: "|"))
        }
    }

    /// `regions.csv`: id, name, aliases, country (two codes `IQ;SY` for a border), lat, lon,
    /// rule, source. Kind `region`, geo precision 3; the coordinate source of each entry is its
    /// rule and source ("… (https://…)"), so that an answer says why it is where it is.
    static func loadRegions(_ path: String, into rows: inout GazetteerRows) throws {
        for (line, row) in try csvRows(path, required: ["id", "name", "aliases", "country", "lat", "lon", "rule", "source"]) {
            let countries = row["country"]!.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            guard (1...2).contains(countries.count), countries.allSatisfy({ $0.count == 2 }) else {
                throw GazetteerError(file: path, line: line, reason: "country '\(row["country"]!)' must be one ISO code, or two separated by ';' for a border")
            }
            guard let lat = Double(row["lat"]!.trimmingCharacters(in: .whitespaces)), let lon = Double(row["lon"]!.trimmingCharacters(in: .whitespaces)),
                (-90...90).contains(lat), (-180...180).contains(lon)
            else {
                throw GazetteerError(file: path, line: line, reason: "latitude/longitude '\(row["lat"]!)','\(row["lon"]!)' are not degrees in range")
            }
            let name = row["name"]!.trimmingCharacters(in: .whitespaces), rule = row["rule"]!.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, row["id"]!.hasPrefix("region:"), !rule.isEmpty else {
                throw GazetteerError(file: path, line: line, reason: "a region needs a name, an id starting with 'region:' and the rule that chose its point")
            }
            rows.append(GazetteerEntry(
                id: row["id"]!, name: name, position: Position(longitude: lon, latitude: lat),
                country: countries[0], secondCountry: countries.count == 2 ? countries[1] : nil, admin1: "", kind: .region,
                population: 0, source: .regions, approximate: true, coordinateSource: "\(rule) (\(row["source"]!))"),
                aliases: splitAliases(row["aliases"]!))
        }
    }

    /// `;`-separated aliases of the CSV files as `|`-separated alias text.
    static func splitAliases(_ text: String) -> String {
        text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "|", with: " ") }
            .filter { !$0.isEmpty }.joined(separator: "|")
    }

    /// `sites.csv` and the user overlay: id, name, aliases, kind, country, lat, lon,
    /// approximate, source, note.
    static func loadSites(_ path: String, source: GazetteerSource, into rows: inout GazetteerRows) throws {
        for (line, row) in try csvRows(path, required: ["id", "name", "aliases", "kind", "country", "lat", "lon", "source"]) {
            guard let kind = PlaceKind(rawValue: row["kind"]!.trimmingCharacters(in: .whitespaces)) else {
                throw GazetteerError(file: path, line: line, reason: "unknown kind '\(row["kind"]!)'; use one of \(PlaceKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let lat = Double(row["lat"]!.trimmingCharacters(in: .whitespaces)), let lon = Double(row["lon"]!.trimmingCharacters(in: .whitespaces)),
                (-90...90).contains(lat), (-180...180).contains(lon)
            else {
                throw GazetteerError(file: path, line: line, reason: "latitude/longitude '\(row["lat"]!)','\(row["lon"]!)' are not degrees in range")
            }
            let name = row["name"]!.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw GazetteerError(file: path, line: line, reason: "empty name") }
            let id = row["id"]!.isEmpty ? "\(source.rawValue):\(name.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-"))" : row["id"]!
            rows.append(GazetteerEntry(
                id: id, name: name, position: Position(longitude: lon, latitude: lat),
                country: row["country"]!.uppercased(), admin1: "", kind: kind, population: 0, source: source,
                approximate: (row["approximate"] ?? "").lowercased() == "true", coordinateSource: row["source"]),
                aliases: splitAliases(row["aliases"]!))
        }
    }
}
