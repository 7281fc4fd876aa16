import ArgumentParser
import GeoCore
import GeoGazetteer

extension GeoCommand.GazetteerCommand {
    /// `geo gazetteer search TEXT`: entries whose names resemble the text, best first.
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
                w.append(GazetteerRendering.searchJSON(matches, spellings: spellings))
                w.appendByte(UInt8(ascii: "\n"))
                try Console.current.write(w.bytes)
            } else if matches.isEmpty {
                Console.current.print("no entry resembles '\(text)'")
            } else {
                Console.current.print(GazetteerRendering.searchTable(matches, spellings: spellings))
            }
        }
    }
}
