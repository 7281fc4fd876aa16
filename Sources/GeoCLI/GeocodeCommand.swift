import ArgumentParser
import Foundation
import GeoCore
import GeoGazetteer

extension GeoCommand {
    /// `geo geocode`: place names to coordinates through the bundled gazetteer.
    public struct GeocodeCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "geocode",
            abstract: "Resolve place names offline (GeoNames, curated bases/crossings/fields, provinces, regions).",
            discussion: """
                Each answer says how it matched (exact, normalized, skeleton, fuzzy), its score (0–1), \
                geo_precision (1 the place itself, 3 province or region level) and source. Close \
                alternatives are listed; a name that cannot be resolved is reported as unresolved with \
                suggestions (in the --country given, when it has any).
                Kind words steer the choice: "Ain al-Asad air base", "al-Omar oil field", \
                "al-Qaim crossing", "Hasaka province". Regions are places at precision 3: "eastern Syria", \
                "the Iraq–Syria border", "western Anbar" (Gazetteer/regions.csv), and a province with \
                compass words or countryside around it ("eastern Deir ez-Zor", "rural Idlib").
                --fallback places unresolved names at precision 3, and says on what basis: province: \
                the province --region (or the row's admin1) names, else a province named in the text, \
                else nothing; country: that province, else the capital of --country.
                CSV mode: geo geocode --in events.csv --column location [--country-column country] -o out.csv \
                adds latitude, longitude, geo_precision, match_name, match_score, match_source, match_status; \
                the admin1 column (or --region-column) is each row's region.
                Exit status 1 when any name (any row without coordinates, in CSV mode) is left \
                unresolved, unless --allow-unresolved; the output is written in full either way.
                """
        )

        @Argument(help: ArgumentHelp("Place names (quote names with spaces).", valueName: "name"))
        var names: [String] = []

        @OptionGroup var lookup: LookupOptions
        @OptionGroup var gazetteer: GazetteerOptions

        @Option(help: ArgumentHelp("Place unresolved names at precision 3: province (named by --region or the text) or country (that province, else the capital).", valueName: "province|country"))
        var fallback: GeocodeOptions.Fallback?

        @Option(help: ArgumentHelp("The names' region (admin1), e.g. \"Deir ez-Zor\": the province --fallback places them at.", valueName: "text"))
        var region: String?

        @Option(name: .customLong("in"), help: ArgumentHelp("CSV file whose rows to geocode; - for standard input.", valueName: "file"))
        var inputCSV: String?

        @Option(help: ArgumentHelp("Column holding the place name (CSV mode).", valueName: "name"))
        var column: String = "location"

        @Option(name: .customLong("country-column"), help: ArgumentHelp("Column holding an ISO country code hint (CSV mode).", valueName: "name"))
        var countryColumn: String?

        @Option(name: .customLong("region-column"), help: ArgumentHelp("Column holding each row's region, for --fallback (CSV mode; default admin1 when the file has it).", valueName: "name"))
        var regionColumn: String?

        @Flag(help: "Exit 0 even when names are left unresolved.")
        var allowUnresolved = false

        @OptionGroup var output: OutputOptions

        public init() {}

        public func validate() throws {
            try OutputSafety.check(inputs: inputCSV.map { [$0] } ?? [], outputs: [("-o", output.output)])
            if names.isEmpty && inputCSV == nil { throw ValidationError("give place names, or a CSV file with --in") }
            if !names.isEmpty && inputCSV != nil { throw ValidationError("give place names or --in FILE, not both") }
            if region != nil && inputCSV != nil { throw ValidationError("--region is for names; in CSV mode each row's region comes from --region-column (default admin1)") }
            if regionColumn != nil && inputCSV == nil { throw ValidationError("--region-column needs --in FILE") }
        }

        public func run() throws {
            let gaz = try gazetteer.load()
            if let inputCSV { return try geocodeCSV(inputCSV, gazetteer: gaz) }
            var options = lookup.options(fallback: fallback)
            options.region = region
            let results = gaz.geocode(names, options: options)
            let format = try output.resolvedFormat([.table, .json, .geojson])
            let sink = try Console.current.sink(forOutput: output.output)
            switch format {
            case .json:
                var w = JSONWriter()
                w.append(.array(results.map(GeocodeRendering.json)))
                w.appendByte(UInt8(ascii: "\n"))
                try sink.write(w.bytes)
            case .geojson:
                let fc = FeatureCollection(features: results.map(GeocodeRendering.feature))
                try sink.write(output.encoder.encode(fc) + [UInt8(ascii: "\n")])
            default:
                try sink.write(GeocodeRendering.table(results))
            }
            try Console.current.finishOutput(sink)
            let unresolved = results.filter { $0.status == .unresolved }.count
            if unresolved > 0 { Console.current.printError("geocode: \(unresolved) of \(results.count) name(s) unresolved") }
            if unresolved > 0 && !allowUnresolved { throw ExitCode(1) }
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
            let regionIndex = try regionColumn.map { name in
                guard let i = header.firstIndex(of: name) else { throw CommandError("\(input.name): no column '\(name)' for --region-column") }
                return i
            } ?? header.firstIndex(of: "admin1")
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
                if let regionIndex, !fields[regionIndex].trimmingCharacters(in: .whitespaces).isEmpty { options.region = fields[regionIndex] }
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
                        let status = switch r.status {
                        case .ambiguous where !r.alternatives.isEmpty:
                            "ambiguous: also " + r.alternatives.map { "\($0.entry.name) (\($0.entry.country))" }.joined(separator: "; ")
                        case .ambiguous: "ambiguous: approximate spelling of \(b.entry.name)"
                        case .fallback: "fallback: " + (r.fallbackBasis ?? "")
                        default: r.status.rawValue
                        }
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
            try Console.current.finishOutput(sink)
            let total = records.count - 1
            Console.current.printError("geocode: \(total) rows: \(counts["resolved", default: 0]) resolved, \(counts["ambiguous", default: 0]) ambiguous, \(counts["fallback", default: 0]) placed by fallback, \(counts["unresolved", default: 0]) unresolved\(counts["kept"].map { ", \($0) kept their given coordinates" } ?? "")")
            if counts["unresolved", default: 0] > 0 && !allowUnresolved { throw ExitCode(1) }
        }
    }
}
