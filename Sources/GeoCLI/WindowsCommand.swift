import ArgumentParser
import GeoCore
import GeoLayers

extension WindowsPairs: ExpressibleByArgument {}

extension GeoCommand {
    /// `geo windows EVENTS --attacks F --responses F --max-lag 14d`: which response followed
    /// which attack, how fast, and whether chance alone would pair as many (`WindowsReport`).
    public struct WindowsCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "windows",
            abstract: "Pair attacks with the responses that followed them within a time window, with a test against chance.",
            discussion: """
                For every response: the attacks in the window before it (minLag…maxLag earlier, \
                optionally within a geodesic distance on WGS84), the most recent of them and the lag. \
                For every attack: whether a response followed in the window and after how long.
                \(EventSelection.filterHelp)
                Dates: an event covers the span its date allows (a day; week precision: the 7 days \
                centred on the date; month precision: the calendar month; exact times: an instant). \
                Pairing rule: an attack and a response pair when the lag between them could lie in \
                the window, i.e. the interval of possible lags [response start − attack end, \
                response end − attack start] overlaps [min-lag, max-lag] (span ends exclusive). For \
                two day-dated events that means a calendar-day difference in the window rounded out \
                to whole days, the same day included when --min-lag is 0. Each pair reports the \
                nominal lag (difference of midpoints: whole days for day dates, hours for exact \
                times), lag_min/lag_max, and certain=false when only part of the lag interval is in \
                the window. The most recent attack has the latest midpoint; the first response the \
                earliest.
                Significance (event-coincidence analysis): the number of attacks followed by a \
                response is compared with the same number after re-timing every response uniformly \
                within the study period (first to last dated event of the file; day-dated responses \
                move by whole days), --permutations times with a fixed --seed; \
                p = (1 + #{permuted ≥ observed}) / (1 + permutations).
                Output: GeoJSON (default) with the selected events (layer events; role, pairing \
                properties) and one LineString per pair (layer pairs), attack → response, with lag \
                and distance; the summary is the collection's "summary" member. --format json \
                writes the summary only.
                """
        )

        @Argument(help: ArgumentHelp("Events: GeoJSON / GeoJSONSeq points, event CSV or ACLED export; - for standard input.", valueName: "events"))
        var events: String

        @Option(help: ArgumentHelp("Which events are attacks (see FILTER).", valueName: "filter"))
        var attacks: String

        @Option(help: ArgumentHelp("Which events are responses (see FILTER).", valueName: "filter"))
        var responses: String

        @Option(help: ArgumentHelp("Longest lag from attack to response (e.g. 14d, 36h).", valueName: "duration"),
                transform: ArgumentParsers.timeSpan)
        var maxLag: TimeSpan

        @Option(help: ArgumentHelp("Shortest lag (default 0h).", valueName: "duration"), transform: ArgumentParsers.timeSpan)
        var minLag: TimeSpan = .hours(0)

        @Option(help: ArgumentHelp("Only pairs at most this far apart (geodesic, e.g. 300km).", valueName: "distance"),
                transform: ArgumentParsers.distance)
        var within: GeoCore.Distance?

        @Flag(help: "Also pair responses with the counter-attacks that followed them.")
        var bothDirections = false

        @Option(help: ArgumentHelp("Pair lines written: all (every pair in a window) or closest (each response's most recent attack and each attack's first response).", valueName: "mode"))
        var pairs: WindowsPairs = .all

        @Option(help: ArgumentHelp("Random re-timings for the test against chance (0 to skip).", valueName: "n"))
        var permutations: Int = WindowsOptions.defaultPermutations

        @Option(help: ArgumentHelp("Seed of the re-timings.", valueName: "n"))
        var seed: UInt64 = WindowsOptions.defaultSeed

        @OptionGroup var layerInput: LayerInputOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var styleOption: StyleOption

        public init() {}

        public func validate() throws {
            try OutputSafety.check(inputs: [events], outputs: [("-o", output.output)])
            _ = try EventSelection.filter(attacks, option: "--attacks")
            _ = try EventSelection.filter(responses, option: "--responses")
            try OptionRange.duration(minLag, "--min-lag", allowZero: true)
            try OptionRange.duration(maxLag, "--max-lag")
            guard maxLag >= minLag else { throw ValidationError("--max-lag \(maxLag) is shorter than --min-lag \(minLag)") }
            if let within { try OptionRange.distance(within, "--within") }
            guard permutations >= 0 else { throw ValidationError("--permutations must be 0 or more, got \(permutations)") }
        }

        public func run() throws {
            let format = try output.resolvedFormat([.geojson, .json])
            let layer = try layerInput.read(events)
            let options = WindowsOptions(
                attacks: try EventSelection.filter(attacks, option: "--attacks"), responses: try EventSelection.filter(responses, option: "--responses"),
                minLag: minLag, maxLag: maxLag, within: within, bothDirections: bothDirections, pairs: pairs,
                permutations: permutations, seed: seed)
            let console = Console.current
            let report = try WindowsReport(layer, options) { console.progress("test against chance, \($0): \($1) of \($2) re-timings…") }
            console.printError("\(events): \(report.attacks.count) attacks, \(report.responses.count) responses of \(layer.count) events")

            let sink = try console.sink(forOutput: output.output)
            if format == .json {
                var w = JSONWriter()
                w.append(report.summary())
                w.appendByte(UInt8(ascii: "\n"))
                try sink.write(w)
            } else {
                let writer = try GeoJSONStreamWriter(sink: sink, encoder: output.encoder, foreignMembers: ["summary": report.summary()])
                try report.encodeFeatures(encoder: output.encoder, style: try styleOption.simpleStyle(for: layer), deliver: writer.writeEncoded)
                try writer.finish()
            }
            try sink.flush()
            try console.finishOutput(sink)
        }
    }
}
