import ArgumentParser
import GeoCore
import GeoEvents
import GeoLayers

extension GeoCommand {
    /// `geo events …`: commands over event tables.
    public struct EventsCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "events",
            abstract: "Look at event tables.",
            subcommands: [SummaryCommand.self]
        )

        public init() {}
    }
}

extension GeoCommand.EventsCommand {
    /// `geo events summary INPUT...`: counts by type, side, country and month; date range;
    /// precision mix; unresolved places.
    public struct SummaryCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "summary",
            abstract: "Counts by type, side, country and month; date range; precision mix; unresolved places.",
            discussion: """
                Reads events like `geo convert` (geocoding rows without coordinates) and reports \
                what is in them. Rejected rows are counted by reason; places the gazetteer could not \
                resolve are listed with how often they occur. --format json for a machine-readable report.
                """
        )

        @Argument(help: ArgumentHelp("Input files; - for standard input.", valueName: "input"))
        var inputs: [String]

        @OptionGroup var input: EventInputOptions

        @OptionGroup var report: ReportFormatOptions

        public init() {}

        public func run() throws {
            let console = Console.current
            let reader = try input.reader()
            let locator = input.locator()
            var summary = EventSummary()
            for path in inputs {
                try summary.add(file: try EventReader.open(path), source: path, reader: reader, locator: locator)
            }
            if report.isJSON {
                try console.write(Array(JSONWriter.string(from: summary.json).utf8) + [0x0A])
            } else {
                for line in summary.textLines { console.print(line) }
            }
        }
    }
}
