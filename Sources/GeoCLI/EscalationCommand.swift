import ArgumentParser
import GeoCore
import GeoLayers
import GeoTemporal

extension GeoCommand {
    /// `geo escalation EVENTS --by week`: event and fatality series, change points, Hawkes fits
    /// (the rules are `EscalationReport`'s).
    public struct EscalationCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "escalation",
            abstract: "Event and fatality series per period, change points in the event rate, and self-excitation (Hawkes).",
            discussion: """
                Series: per period (UTC days, ISO weeks from Monday, or calendar months) and per \
                --split value: count, fatalities, cumulative totals, a trailing --rolling mean of the \
                count, and the change against the previous period. Events dated to the week or month \
                (time_precision 2/3) or with a later date_end are spread over their span in proportion \
                to the overlap, so counts can be fractional; spread_count is the part of a count that \
                came from such events. Unknown fatalities count as 0.
                Change points: the count series (total and each split) is cut into stretches of \
                constant Poisson rate by PELT, minimising Σ 2·(S − S·ln(S/L)) over segments (L periods, \
                S events) + penalty × number of change points. --penalty bic (default) is 2·ln(n) for \
                n periods; give a number for fewer (larger) or more (smaller) changes. Each change point \
                has its date (the first period of the new rate) and the rates before and after.
                Self-excitation (--hawkes): a Hawkes process with exponential kernel fitted by maximum \
                likelihood to all selected events (univariate: baseline per day, branching ratio = \
                share of events triggered by earlier events, decay time in days) and with --cross A,B \
                to two split values (2×2 branching matrix: row = triggered series, column = triggering \
                series; a decay time per triggered series). Day-dated events are fitted by their counts per \
                day (Whittle likelihood of the binned process; no time within a day is invented), or with \
                --hawkes-fit random-placement placed uniformly at random within their day (--seed); \
                week/month-dated events are left out of the fit. \
                Decay times are searched between 0.05 days (random placement: 0.25) and the study length; a binned fit's \
                excitation must fade within the study length (its relaxation time, decay / (1 − branching) for one series, at \
                most the study length: slower excitation cannot be told from a drifting baseline). 95% intervals by \
                parametric bootstrap: --bootstrap processes simulated from the fit, dated to the day \
                as the data were and refitted the same way. Each cross-excitation is tested against 0 by a \
                likelihood-ratio test whose p-value comes from processes simulated with it at 0 \
                (cross_excitation_test), times 1.5 because the calibration study measured that test's \
                size at about 1.5 times its level; its interval starts at 0 unless p ≤ 0.05 (needs \
                --bootstrap ≥ 29). \
                A decay time under two days gets a warning, and so do a binned fit on that relaxation bound \
                and failed bootstrap refits (a fit at the edge of stationarity, whose simulations have almost no events).
                Output: JSON (default; metadata, series, change points, Hawkes) or CSV (one row per \
                split and period, with segment rate and change-point flag).
                \(EventSelection.filterHelp)
                """
        )

        @Argument(help: ArgumentHelp("Events: GeoJSON / GeoJSONSeq point features with event fields; - for standard input.", valueName: "events"))
        var events: String

        @Option(help: ArgumentHelp("Period: day, week (ISO, Monday start) or month.", valueName: "period"))
        var by: PeriodUnit
        @OptionGroup var selection: SeriesSelectionOptions
        @Option(help: ArgumentHelp("Periods in the trailing rolling mean.", valueName: "n"))
        var rolling: Int = 4
        @Option(help: ArgumentHelp("Change-point penalty: bic (2·ln n; the default), a number, or none to skip.", valueName: "penalty"),
                transform: ArgumentParsers.penalty)
        var penalty: EscalationOptions.Penalty = .bic
        @Option(help: ArgumentHelp("Shortest segment between change points, in periods.", valueName: "n"))
        var minSegment: Int = 1

        @OptionGroup var fits: HawkesOptions
        @OptionGroup var layerInput: LayerInputOptions
        @OptionGroup var output: OutputOptions

        public init() {}

        public func validate() throws {
            try OutputSafety.check(inputs: [events], outputs: [("-o", output.output)])
            guard rolling >= 1 else { throw ValidationError("--rolling must be at least 1, got \(rolling)") }
            guard minSegment >= 1 else { throw ValidationError("--min-segment must be at least 1, got \(minSegment)") }
            if fits.cross != nil, selection.split == nil { throw ValidationError("--cross needs --split (its values name the two series)") }
        }

        /// The options as the library takes them (usage errors name the option).
        func options() throws -> EscalationOptions {
            EscalationOptions(
                period: by, split: selection.split, filter: try selection.filter(), fromDay: try selection.fromDay(), toDay: try selection.toDay(),
                rolling: rolling, penalty: penalty, minSegment: minSegment, hawkes: fits.hawkes, cross: fits.cross,
                bootstrap: fits.bootstrap, seed: fits.seed, hawkesFit: fits.hawkesFit,
                hawkesInterval: fits.hawkesInterval)
        }

        public func run() throws {
            let format = try output.resolvedFormat([.json, .csv])
            var options = try options()
            if format == .csv { (options.hawkes, options.cross) = (false, nil) }  // CSV holds the series only
            let report: EscalationReport
            do { report = try EscalationReport(try layerInput.read(events), options) } catch let error as LayerError {
                throw CommandError(error.description)
            }
            for warning in report.warnings { Console.current.printError("warning: \(warning)") }
            let sink = try Console.current.sink(forOutput: output.output)
            if format == .csv {
                try sink.write(report.csv())
            } else {
                var w = JSONWriter()
                w.append(report.json())
                w.appendByte(UInt8(ascii: "\n"))
                try sink.write(w)
            }
            try sink.flush()
            try Console.current.finishOutput(sink)
        }
    }
}
