import ArgumentParser
import GeoGazetteer

extension GeoCommand.GazetteerCommand {
    /// `geo gazetteer build-index [--data DIR]`: writes name-index.bin next to places.tsv.
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
}
