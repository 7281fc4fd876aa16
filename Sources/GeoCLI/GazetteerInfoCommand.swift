import ArgumentParser
import GeoGazetteer

extension GeoCommand.GazetteerCommand {
    /// `geo gazetteer info`: what the loaded gazetteer holds and where it comes from.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sources, versions, licences and counts of the loaded gazetteer.")
        @OptionGroup var gazetteer: GazetteerOptions

        func run() throws {
            let gaz = try gazetteer.load()
            for line in GazetteerRendering.info(gaz, noOverlay: "none (set --gazetteer DIR or GEO_GAZETTEER_DIR)") {
                Console.current.print(line)
            }
        }
    }
}
