import ArgumentParser
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
                try sink.write(w)
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

        /// CSV mode: the table's rows geocoded in order (`GeocodeTable`), every row written; the
        /// mapped file is read a batch of rows at a time, so memory does not grow with the table.
        func geocodeCSV(_ path: String, gazetteer gaz: Gazetteer) throws {
            let input = try InputFile(path: path)
            let (table, counts) = try input.withUnsafeBytes { buffer in
                let table: GeocodeTable
                do {
                    table = try GeocodeTable(csv: buffer, source: input.name, nameColumn: column, countryColumn: countryColumn, regionColumn: regionColumn)
                } catch {
                    guard case .missingColumn(let source, let name, let role, let columns)? = error as? GeocodeTableError else { throw error }
                    let hint = role == .name ? " (columns: \(columns.joined(separator: ", "))); choose one with --column" : " for --\(role.rawValue)-column"
                    throw CommandError("\(source): no column '\(name)'\(hint)")
                }
                let sink = try Console.current.sink(forOutput: output.output)
                try sink.write(CSV.line(table.outputHeader) + "\n")
                let counts = try table.forEachRow(in: buffer, gazetteer: gaz, options: lookup.options(fallback: fallback)) { try sink.write(CSV.line($0) + "\n") }
                try Console.current.finishOutput(sink)
                return (table, counts)
            }
            let kept = counts.kept > 0 ? ", \(counts.kept) kept their given coordinates" : ""
            Console.current.printError("geocode: \(table.rowCount) rows: \(counts.resolved) resolved, \(counts.ambiguous) ambiguous, \(counts.fallback) placed by fallback, \(counts.unresolved) unresolved\(kept)")
            if counts.unresolved > 0 && !allowUnresolved { throw ExitCode(1) }
        }
    }
}
