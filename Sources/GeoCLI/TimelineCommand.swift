import ArgumentParser
import GeoCore
import GeoLayers
import GeoMaps
import GeoTemporal

extension GeoCommand {
    /// `geo timeline EVENTS -o timeline.svg|png`: the escalation series as a picture (the
    /// drawing is `TimelineChart`'s, the counting `EscalationReport`'s).
    public struct TimelineCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "timeline",
            abstract: "Draw events per period as a timeline (SVG or PNG): stacked bars, cumulative line, change points, attack → response arcs.",
            discussion: """
                The series are geo escalation's (same --by, --split, --where, --from, --to, --penalty): \
                bars stack the count per period by --split value (colour-blind-safe colours; US, militia, \
                Iran and unknown keep theirs), the part of a count spread from week- or month-dated events \
                hatched; the cumulative count is a line on the right axis; change points of the total are \
                dashed lines labelled with the rates before → after.
                --pairs: a geo windows GeoJSON output; its attack → response pairs are arcs above the bars, \
                higher for longer lags. --tallies: a CSV date,total,source of published cumulative counts, \
                drawn as points against the cumulative line. A note under the chart says what was spread \
                or left out. PNG is drawn by rsvg-convert (Debian package librsvg2-bin).
                \(EventSelection.filterHelp)
                """
        )

        enum ImageFormat: String, ExpressibleByArgument, CaseIterable { case svg, png }

        @Argument(help: ArgumentHelp("Events: GeoJSON / GeoJSONSeq point features with event fields; - for standard input.", valueName: "events"))
        var events: String
        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output file (.svg or .png); - for standard output.", valueName: "file"))
        var output: String = "-"
        @Option(help: ArgumentHelp("svg or png; by default from the output file's extension.", valueName: "format"))
        var format: ImageFormat?
        @Option(help: ArgumentHelp("Period: day, week (ISO, Monday start) or month.", valueName: "period"))
        var by: PeriodUnit = .week
        @OptionGroup var selection: SeriesSelectionOptions
        @Option(help: ArgumentHelp("Attack → response pairs: a geo windows GeoJSON output.", valueName: "file"))
        var pairs: String?
        @Option(help: ArgumentHelp("Published cumulative counts: CSV date,total,source.", valueName: "file"))
        var tallies: String?
        @Option(help: ArgumentHelp("Title (default: Events per PERIOD by SPLIT).", valueName: "text"))
        var title: String?
        @Option(help: ArgumentHelp("Change-point penalty: bic (the default), a number, or none.", valueName: "penalty"), transform: ArgumentParsers.penalty)
        var penalty: EscalationOptions.Penalty = .bic
        @OptionGroup var layerInput: LayerInputOptions

        public init() {}

        public func validate() throws {
            try OutputSafety.check(inputs: [events, pairs, tallies].compactMap { $0 }, outputs: [("-o", output)])
            _ = try imageFormat()
        }

        func options() throws -> EscalationOptions {
            EscalationOptions(
                period: by, split: selection.split, filter: try selection.filter(), fromDay: try selection.fromDay(), toDay: try selection.toDay(),
                penalty: penalty)
        }

        /// --format, else the output's extension (.svg, .png), else SVG.
        func imageFormat() throws -> ImageFormat {
            if let format { return format }
            let name = output.split(separator: "/").last.map(String.init) ?? output
            guard output != "-", let dot = name.lastIndex(of: "."), dot != name.startIndex else { return .svg }
            guard let format = ImageFormat(rawValue: name[name.index(after: dot)...].lowercased()) else {
                throw ValidationError("cannot write '\(name)': geo timeline writes svg (.svg) and png (.png); name the file so or say --format")
            }
            return format
        }

        public func run() throws {
            let format = try imageFormat()
            var chartOptions = TimelineOptions(title: title)
            let bytes: [UInt8], chart: TimelineChart
            do {
                if format == .png { try SVGToPNG.checkInstalled() }
                try chartOptions.read(pairs: pairs, tallies: tallies)
                chart = try TimelineChart(try EscalationReport(try layerInput.read(events), try options()), chartOptions)
                bytes = format == .png ? try SVGToPNG.render(svg: chart.text, zoom: 1) : Array(chart.text.utf8)
            } catch let error as LayerError {
                throw CommandError(error.description)
            } catch let error as TimelineError {
                throw CommandError(error.description)
            } catch let error as MapError {
                throw CommandError(error.description)
            }
            let sink = try Console.current.sink(forOutput: output)
            try sink.write(bytes)
            try sink.flush()
            try Console.current.finishOutput(sink)
            Console.current.printError(chart.summary)
        }
    }
}
