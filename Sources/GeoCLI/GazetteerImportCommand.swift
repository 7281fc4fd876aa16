import ArgumentParser
import GeoCore
import GeoGazetteer

extension GeoCommand.GazetteerCommand {
    /// `geo gazetteer import FILE`: places into the user overlay (`UserOverlay`).
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
            let imported = try UserOverlay.rows(importing: text, file: input.name)
            let overlay = try UserOverlay.add(imported, directory: dir)
            Console.current.printError("import: \(imported.count) entries from \(input.name) into \(overlay.path) (\(overlay.count) in the overlay)")
        }
    }
}
