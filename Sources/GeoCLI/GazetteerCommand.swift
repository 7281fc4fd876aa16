import ArgumentParser

extension GeoCommand {
    /// `geo gazetteer search|info|import|build-index`; each subcommand lives in its own file
    /// (`GazetteerSearchCommand.swift`, …) as an extension of this one.
    public struct GazetteerCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "gazetteer",
            abstract: "Search, describe and extend the offline gazetteer.",
            subcommands: [Search.self, Info.self, Import.self, BuildIndex.self]
        )

        public init() {}
    }
}
