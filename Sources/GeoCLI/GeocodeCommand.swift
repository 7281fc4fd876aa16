import ArgumentParser
import Foundation
import GeoCore
import GeoGazetteer

extension GeoCommand {
    /// `geo geocode`: place names to coordinates through the bundled gazetteer.
    public struct GeocodeCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "geocode",
            abstract: "Resolve place names offline (GeoNames, curated bases/crossings/fields, provinces).",
            discussion: """
                Each answer says how it matched (exact, normalized, skeleton, fuzzy), its score (0–1), \
                geo_precision (1 the place itself, 3 province level) and source. Close alternatives \
                are listed; a name that cannot be resolved is reported as unresolved with suggestions, \
                and placed at a province or country point only with --fallback.
                Kind words steer the choice: "Ain al-Asad air base", "al-Omar oil field", \
                "al-Qaim crossing", "Hasaka province".
                CSV mode: geo geocode --in events.csv --column location [--country-column country] -o out.csv \
                adds latitude, longitude, geo_precision, match_name, match_score, match_source, match_status.
                """
        )

        @Argument(help: ArgumentHelp("Place names (quote names with spaces).", valueName: "name"))
        var names: [String] = []

        @OptionGroup var lookup: LookupOptions
        @OptionGroup var gazetteer: GazetteerOptions

        @Option(help: ArgumentHelp("Place unresolved names at a province (named in the text) or country point, precision 3.", valueName: "province|country"))
        var fallback: GeocodeOptions.Fallback?

        @Option(name: .customLong("in"), help: ArgumentHelp("CSV file whose rows to geocode; - for standard input.", valueName: "file"))
        var inputCSV: String?

        @Option(help: ArgumentHelp("Column holding the place name (CSV mode).", valueName: "name"))
        var column: String = "location"

        @Option(name: .customLong("country-column"), help: ArgumentHelp("Column holding an ISO country code hint (CSV mode).", valueName: "name"))
        var countryColumn: String?

        @OptionGroup var output: OutputOptions

        public init() {}

        public func validate() throws {
            try OutputSafety.check(inputs: inputCSV.map { [$0] } ?? [], outputs: [("-o", output.output)])
            if names.isEmpty && inputCSV == nil { throw ValidationError("give place names, or a CSV file with --in") }
            if !names.isEmpty && inputCSV != nil { throw ValidationError("give place names or --in FILE, not both") }
        }

        public func run() throws {
            let gaz = try gazetteer.load()
            if let inputCSV { return try geocodeCSV(inputCSV, gazetteer: gaz) }
            let results = gaz.geocode(names, options: lookup.options(fallback: fallback))
            let format = try output.resolvedFormat(allowed: ["table", "json", "geojson"], fallback: "table", extensions: ["txt": "table"])
            let sink = try Console.current.sink(forOutput: output.output)
            switch format {
            case "json":
                var w = JSONWriter()
                w.append(.array(results.map(GeocodeRendering.json)))
                w.appendByte(UInt8(ascii: "\n"))
                try sink.write(w.bytes)
            case "geojson":
                let fc = FeatureCollection(features: results.map(GeocodeRendering.feature))
                try sink.write(output.encoder.encode(fc) + [UInt8(ascii: "\n")])
            default:
                try sink.write(GeocodeRendering.table(results))
            }
            try sink.flush()
            let unresolved = results.filter { $0.status == .unresolved }.count
            if unresolved > 0 { Console.current.printError("geocode: \(unresolved) of \(results.count) name(s) unresolved") }
        }

        func geocodeCSV(_ path: String, gazetteer gaz: Gazetteer) throws {
            let input = try InputFile(path: path)
            var records: [CSV.Record] = []
            do {
                try CSV.forEachRecord(in: input.withUnsafeBytes { Array($0) }) { records.append($0) }
            } catch {
                throw CommandError("\(input.name): \(error)")
            }
            guard let header = records.first?.fields else { throw CommandError("\(input.name): the file is empty") }
            guard let nameIndex = header.firstIndex(of: column) else {
                throw CommandError("\(input.name): no column '\(column)' (columns: \(header.joined(separator: ", "))); choose one with --column")
            }
            let countryIndex = try countryColumn.map { name in
                guard let i = header.firstIndex(of: name) else { throw CommandError("\(input.name): no column '\(name)' for --country-column") }
                return i
            }
            // Columns the file already has are filled in place (no duplicate header names);
            // the others are appended.
            let added = ["latitude", "longitude", "geo_precision", "match_name", "match_score", "match_source", "match_status"]
            var outputHeader = header
            let targets: [Int] = added.map { name in
                if let i = header.firstIndex(of: name) { return i }
                outputHeader.append(name)
                return outputHeader.count - 1
            }
            let latIndex = header.firstIndex(of: "latitude"), lonIndex = header.firstIndex(of: "longitude")
            let sink = try Console.current.sink(forOutput: output.output)
            try sink.write(CSV.line(outputHeader) + "\n")
            // Rows to geocode, resolved together on all cores before anything is written.
            func hasCoordinates(_ fields: [String]) -> Bool {
                guard let latIndex, let lonIndex else { return false }
                return !fields[latIndex].trimmingCharacters(in: .whitespaces).isEmpty && !fields[lonIndex].trimmingCharacters(in: .whitespaces).isEmpty
            }
            var queries: [GeocodeQuery] = []
            var queryOfRow: [Int: Int] = [:]
            for (row, record) in records.dropFirst().enumerated() {
                let fields = record.fields
                guard fields.count == header.count else {
                    throw CommandError("\(input.name): line \(record.line): expected \(header.count) fields, found \(fields.count)")
                }
                let name = fields[nameIndex].trimmingCharacters(in: .whitespaces)
                guard !hasCoordinates(fields), !name.isEmpty else { continue }
                var options = lookup.options(fallback: fallback)
                if let countryIndex, !fields[countryIndex].isEmpty { options.country = fields[countryIndex].uppercased() }
                queryOfRow[row] = queries.count
                queries.append(GeocodeQuery(name, options: options))
            }
            let answers = gaz.geocode(queries)
            var counts: [String: Int] = [:]
            for (row, record) in records.dropFirst().enumerated() {
                var fields = record.fields
                let name = fields[nameIndex].trimmingCharacters(in: .whitespaces)
                var extra: [String]
                if hasCoordinates(fields) {
                    // Given coordinates are never replaced.
                    let kept = targets.map { $0 < fields.count ? fields[$0] : "" }
                    extra = Array(kept.prefix(6)) + ["kept: coordinates given"]
                    counts["kept", default: 0] += 1
                } else if name.isEmpty {
                    extra = ["", "", "", "", "", "", "empty place name"]
                    counts["unresolved", default: 0] += 1
                } else {
                    let r = answers[queryOfRow[row]!]
                    counts[r.status.rawValue, default: 0] += 1
                    if let b = r.best {
                        let status = r.status == .ambiguous
                            ? "ambiguous: also " + r.alternatives.map { "\($0.entry.name) (\($0.entry.country))" }.joined(separator: "; ")
                            : r.status.rawValue
                        extra = [Format.trimmed(b.entry.position.latitude, 6), Format.trimmed(b.entry.position.longitude, 6),
                                 String(r.geoPrecision ?? 1), b.entry.name, Format.fixed(b.score, 3), b.entry.source.rawValue, status]
                    } else {
                        let hint = r.suggestions.isEmpty ? "" : "; did you mean " + r.suggestions.prefix(3).joined(separator: ", ")
                        extra = ["", "", "", "", "", "", "unresolved: no gazetteer match" + hint]
                    }
                }
                fields += Array(repeating: "", count: outputHeader.count - fields.count)
                for (target, value) in zip(targets, extra) { fields[target] = value }
                try sink.write(CSV.line(fields) + "\n")
            }
            try sink.flush()
            let total = records.count - 1
            Console.current.printError("geocode: \(total) rows: \(counts["resolved", default: 0]) resolved, \(counts["ambiguous", default: 0]) ambiguous, \(counts["fallback", default: 0]) placed by fallback, \(counts["unresolved", default: 0]) unresolved\(counts["kept"].map { ", \($0) kept their given coordinates" } ?? "")")
        }
    }
}
