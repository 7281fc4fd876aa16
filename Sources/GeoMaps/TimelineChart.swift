import GeoCore
import GeoLayers
import GeoTemporal

/// What a timeline shows besides the escalation series: its title and width, and the
/// optional attack → response pairs and published tallies.
public struct TimelineOptions: Sendable {
    /// The heading; by default "Events per week by actor_side" and the like.
    public var title: String?
    /// Pixels (≥ 600); fonts are at least 12 px at any width, 13–22 px at 1200.
    public var width: Double
    /// Attack → response pairs drawn as arcs above the bars (`TimelinePair.read`).
    public var pairs: [TimelinePair]
    /// Where the pairs came from and how many other pairs (response → counter-attack) it held,
    /// for the note.
    public var pairsSource: String?
    public var skippedPairs: Int
    /// Published cumulative counts drawn against the cumulative line.
    public var tallies: [TimelineTally]
    /// Lags are written on the arcs when at most this many pairs are drawn.
    public var pairLabelLimit: Int

    public init(title: String? = nil, width: Double = 1200, pairs: [TimelinePair] = [], pairsSource: String? = nil,
                skippedPairs: Int = 0, tallies: [TimelineTally] = [], pairLabelLimit: Int = 20) {
        self.title = title
        self.width = width
        self.pairs = pairs
        self.pairsSource = pairsSource
        self.skippedPairs = skippedPairs
        self.tallies = tallies
        self.pairLabelLimit = pairLabelLimit
    }

    /// Reads the pairs (`TimelinePair.read`) and the tallies (`TimelineTally.read`) of the
    /// files given.
    public mutating func read(pairs pairsPath: String?, tallies talliesPath: String?) throws {
        if let pairsPath {
            (pairs, skippedPairs) = try TimelinePair.read(path: pairsPath)
            pairsSource = pairsPath
        }
        if let talliesPath { tallies = try TimelineTally.read(path: talliesPath) }
    }
}

/// An escalation report drawn as a timeline (SVG):
/// - stacked bars of the count per period, one colour per split value (Okabe–Ito, the same
///   colour for a side on every chart; beyond seven values the smallest are lumped as
///   `other`); the part of a count spread from week- or month-dated events is hatched;
/// - the cumulative count of all selected events as a line on the right axis, and published
///   tallies as points against it, a marker shape per source;
/// - the change points of the total series as dashed vertical lines labelled with the date
///   and the rates before → after (events per period);
/// - attack → response pairs as arcs above the bars, from the attack's date to the
///   response's, the arc's height proportional to the lag (written on the arc when few);
/// - date ticks (days, Mondays, months or years as the width allows), axis titles, a
///   legend, and a note of what was spread or left out.
///
/// Elements carry classes for tools and tests: a `g.period` per period holding its
/// `rect.bar` (and `rect.bar.spread`) with `data-series` and `data-value`; `line.change-point`,
/// `path.pair`, `polyline.cumulative`, `.tally` with `data-source`.
public struct TimelineChart: Sendable {
    public let svg: SVGDocument
    /// The sentences of the chart's note (range, spread and left-out events, pairs, method).
    public let notes: [String]
    /// Pixels per event on the left axis (bar heights are value × this).
    public let pixelsPerEvent: Double
    /// One line for the terminal: periods, change points, pairs and tallies drawn.
    public let summary: String

    public var text: String { svg.text }

    /// Throws `TimelineError` for a width below 600 px.
    public init(_ report: EscalationReport, _ options: TimelineOptions = TimelineOptions()) throws {
        guard options.width >= 600, options.width.isFinite else {
            throw TimelineError("a timeline needs a width of at least 600 px, got \(Format.shortest(options.width))")
        }
        var drawing = TimelineDrawing(report: report, options: options)
        drawing.draw()
        svg = drawing.svg
        notes = drawing.notes
        pixelsPerEvent = drawing.pixelsPerEvent
        let unit = TimelineScale.unitWord(report.options.period), changes = report.series[0].changePoints.count
        summary = "\(report.periods.count) \(unit)\(report.periods.count == 1 ? "" : "s"), \(changes) change point\(changes == 1 ? "" : "s"), "
            + "\(drawing.pairsInRange().count) of \(options.pairs.count) pairs and \(drawing.talliesInRange.count) of \(options.tallies.count) tallies drawn"
    }
}

/// The layout and drawing of one timeline, top to bottom.
struct TimelineDrawing {
    let report: EscalationReport
    let options: TimelineOptions
    let width: Double
    var svg: SVGDocument
    var notes: [String] = []
    var pixelsPerEvent = 1.0

    // Type sizes (px) and colours.
    static let fontFamily = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
    let titleSize = 22.0, subtitleSize = 15.0, legendSize = 15.0, tickSize = 14.0, axisTitleSize = 15.0, labelSize = 13.0, noteSize = 13.0
    static let ink = "#222222", muted = "#555555", grid = "#E3E3E3"

    // The plot's horizontal extent and the time scale.
    let plotLeft = 78.0
    let plotRight: Double
    let boundaries: [Int]
    let unitWord: String

    /// The bar series, bottom to top: name, colour, counts, spread parts.
    var stack: [(name: String, colour: String, counts: [Double], spread: [Double], total: Double)] = []
    var lumped: [String] = []

    init(report: EscalationReport, options: TimelineOptions) {
        self.report = report
        self.options = options
        width = options.width
        plotRight = options.width - 84
        boundaries = report.periodBoundaryDays
        unitWord = TimelineScale.unitWord(report.options.period)
        svg = SVGDocument(width: options.width, height: 100)
        stack = Self.stackSeries(report)
        lumped = Self.lumpedNames(report)
    }

    /// The split series (or the total without a split), the smallest lumped as `other` when
    /// more than seven values would need a colour of their own.
    static func stackSeries(_ report: EscalationReport) -> [(name: String, colour: String, counts: [Double], spread: [Double], total: Double)] {
        var series = report.series.count > 1 ? Array(report.series.dropFirst()) : [report.series[0]]
        let limit = 7
        var other: (counts: [Double], spread: [Double])?
        let coloured = series.filter { $0.name.lowercased() != "unknown" }
        if coloured.count > limit {
            let keep = Set(coloured.sorted { ($0.counts.reduce(0, +), $1.name) > ($1.counts.reduce(0, +), $0.name) }.prefix(limit - 1).map(\.name))
            var counts = [Double](repeating: 0, count: report.periods.count), spread = counts
            for s in series where !keep.contains(s.name) && s.name.lowercased() != "unknown" {
                for k in counts.indices {
                    counts[k] += s.counts[k]
                    spread[k] += s.spreadCounts[k]
                }
            }
            other = (counts, spread)
            series = series.filter { keep.contains($0.name) || $0.name.lowercased() == "unknown" }
        }
        var names = series.map { $0.name == "all" ? "events" : $0.name }
        if other != nil { names.append("other") }
        var colours = TimelinePalette.colours(for: names)
        if report.series.count == 1 { colours = [TimelinePalette.total] }
        var result = series.indices.map { i in
            (name: names[i], colour: colours[i], counts: series[i].counts, spread: series[i].spreadCounts, total: series[i].counts.reduce(0, +))
        }
        if let other { result.append((name: "other", colour: colours.last!, counts: other.counts, spread: other.spread, total: other.counts.reduce(0, +))) }
        // Values with no event in the range take no place in the legend (colours were given first, so they stay put).
        let shown = result.filter { $0.total > 1e-9 }
        return shown.isEmpty ? Array(result.prefix(1)) : shown
    }

    static func lumpedNames(_ report: EscalationReport) -> [String] {
        let kept = Set(stackSeries(report).map(\.name))
        guard kept.contains("other"), !report.series.contains(where: { $0.name == "other" }) else { return [] }
        return report.series.dropFirst().filter { !kept.contains($0.name) && $0.name.lowercased() != "unknown" && $0.counts.reduce(0, +) > 1e-9 }.map(\.name)
    }

    // MARK: Scales

    var firstDay: Int { boundaries.first! }
    var endDay: Int { boundaries.last! }
    var pixelsPerDay: Double { (plotRight - plotLeft) / Double(max(1, endDay - firstDay)) }
    func x(day: Double) -> Double { plotLeft + (day - Double(firstDay)) * pixelsPerDay }
    func x(day: Int) -> Double { x(day: Double(day)) }
    func n(_ v: Double) -> String { svg.number(v) }

    // MARK: Drawing

    mutating func draw() {
        // Layout first (the document needs its height), then drawing top to bottom.
        let headingBottom = 14 + titleSize + 8 + subtitleSize + 4
        let legend = legendLayout(top: headingBottom + 10)
        let pairs = pairsInRange()
        let hasPairBand = !options.pairs.isEmpty || options.pairsSource != nil
        // The change-point labels, then the arcs right above the bars they pair.
        let stripTop = legend.bottom + 8
        let changes = report.series[0].changePoints
        let labelRows = changeLabels(changes)
        let pairsTop = stripTop + Double(labelRows.rows) * 19 + (labelRows.rows > 0 ? 4 : 0)
        let plotTop = (hasPairBand ? pairsTop + Self.pairBandHeight + 16 : pairsTop) + 8
        let plotBottom = plotTop + Self.plotHeight
        notes = noteLines(pairs: pairs)
        let noteWidth = width - 2 * (plotLeft - 60)
        let wrapped = notes.flatMap { Self.wrap($0, width: noteWidth, size: noteSize) }
        let notesTop = plotBottom + 56
        let height = (notesTop + Double(wrapped.count) * (noteSize + 5) + 16).rounded(.up)

        svg = SVGDocument(width: width, height: height)
        for definition in definitions { svg.define(definition) }
        svg.element("rect", [("class", "background"), ("x", "0"), ("y", "0"), ("width", n(width)), ("height", n(height)), ("fill", "#FFFFFF")])
        svg.open("g", [("font-family", Self.fontFamily), ("fill", Self.ink)])
        drawHeading(top: 14)
        drawLegend(legend.placed)
        drawChangeLabels(changes, labelRows.labels, stripTop: stripTop, plotTop: plotTop)
        if hasPairBand { drawPairs(pairs, top: pairsTop) }
        drawPlot(top: plotTop, bottom: plotBottom, changes: changes)
        drawNotes(wrapped, top: notesTop)
        svg.close("g")
    }

    static let plotHeight = 380.0
    static let pairBandHeight = 110.0

    var definitions: [String] {
        var defs: [String] = []
        for (i, s) in stack.enumerated() {
            defs.append("""
                <pattern id="spread-\(i)" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">\
                <rect width="6" height="6" fill="\(s.colour)" fill-opacity="0.35"/><rect width="2.2" height="6" fill="\(s.colour)"/></pattern>
                """)
        }
        defs.append("""
            <pattern id="spread-legend" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">\
            <rect width="6" height="6" fill="\(TimelinePalette.grey)" fill-opacity="0.35"/><rect width="2.2" height="6" fill="\(TimelinePalette.darkGrey)"/></pattern>
            """)
        return defs
    }

    /// Title and subtitle.
    mutating func drawHeading(top: Double) {
        let split = report.options.split.map { " by \($0)" } ?? ""
        let title = options.title ?? "Events per \(unitWord)\(split)"
        svg.element("text", [("class", "title"), ("x", n(plotLeft - 60)), ("y", n(top + titleSize)), ("font-size", n(titleSize)), ("font-weight", "bold")], text: title)
        let range = "\(TimelineScale.shortDate(report.fromDay)) – \(TimelineScale.shortDate(report.toDay))"
        let events = "\(TimelineScale.short(report.eventsInRange)) events"
        var parts = [report.source, range, events]
        if let filter = report.options.filter { parts.append("where \(filter.text)") }
        let y = top + titleSize + 8 + subtitleSize
        svg.element("text", [("class", "subtitle"), ("x", n(plotLeft - 60)), ("y", n(y)), ("font-size", n(subtitleSize)), ("fill", Self.muted)],
                    text: parts.joined(separator: "  ·  "))
    }

    enum LegendKey { case swatch(String), hatch, line, dashed, arc, marker(Int) }

    /// Legend entries flowed left to right, wrapped: each with its place, and the bottom.
    func legendLayout(top: Double) -> (placed: [(key: LegendKey, label: String, x: Double, y: Double)], bottom: Double) {
        var items: [(LegendKey, String)] = stack.map { (.swatch($0.colour), "\($0.name) (\(TimelineScale.short($0.total)))") }
        if stack.contains(where: { $0.spread.contains { $0 > 1e-9 } }) {
            items.append((.hatch, "hatched: events dated only to the week or month, spread over it"))
        }
        items.append((.line, "cumulative events (right axis)"))
        for (i, source) in tallySources.enumerated() { items.append((.marker(i), "\(source): published cumulative count")) }
        if !report.series[0].changePoints.isEmpty { items.append((.dashed, "change in the rate: events per \(unitWord) before → after")) }
        if !options.pairs.isEmpty { items.append((.arc, "attack → response (height ∝ lag)")) }
        let left = plotLeft - 60
        var x = left, y = top
        var placed: [(key: LegendKey, label: String, x: Double, y: Double)] = []
        for (key, label) in items {
            let w = 30 + TimelineScale.textWidth(label, size: legendSize) + 22
            if x > left, x + w > width - 16 {
                x = left
                y += Self.legendRowHeight
            }
            placed.append((key, label, x, y))
            x += w
        }
        return (placed, y + Self.legendRowHeight)
    }

    static let legendRowHeight = 24.0

    mutating func drawLegend(_ placed: [(key: LegendKey, label: String, x: Double, y: Double)]) {
        svg.open("g", [("class", "legend"), ("font-size", n(legendSize))])
        for (key, label, x, y) in placed {
            let mid = y + Self.legendRowHeight / 2
            switch key {
            case .swatch(let colour):
                svg.element("rect", [("x", n(x)), ("y", n(mid - 8)), ("width", "22"), ("height", "16"), ("fill", colour)])
            case .hatch:
                svg.element("rect", [("x", n(x)), ("y", n(mid - 8)), ("width", "22"), ("height", "16"), ("fill", "url(#spread-legend)")])
            case .line:
                svg.element("line", [("x1", n(x)), ("y1", n(mid)), ("x2", n(x + 22)), ("y2", n(mid)), ("stroke", TimelinePalette.black), ("stroke-width", "2.5")])
            case .dashed:
                svg.element("line", [("x1", n(x + 11)), ("y1", n(mid - 9)), ("x2", n(x + 11)), ("y2", n(mid + 9)), ("stroke", Self.ink),
                                     ("stroke-width", "1.6"), ("stroke-dasharray", "5 3")])
            case .arc:
                svg.element("path", [("d", "M\(n(x)) \(n(mid + 7))Q\(n(x + 11)) \(n(mid - 13)) \(n(x + 22)) \(n(mid + 7))"), ("fill", "none"),
                                     ("stroke", Self.pairColour), ("stroke-width", "1.8")])
            case .marker(let i):
                drawMarker(i, x: x + 11, y: mid)
            }
            svg.element("text", [("x", n(x + 30)), ("y", n(mid + legendSize * 0.35))], text: label)
        }
        svg.close("g")
    }

    // MARK: Pairs

    static let pairColour = "#6A3D9A"

    /// The pairs both of whose dates fall in the drawn range.
    func pairsInRange() -> [TimelinePair] {
        let lo = Double(firstDay) * 86_400, hi = Double(endDay) * 86_400
        return options.pairs.filter { $0.attackSeconds >= lo && $0.responseSeconds <= hi && $0.attackSeconds <= hi && $0.responseSeconds >= lo }
    }

    /// The arc band.
    mutating func drawPairs(_ pairs: [TimelinePair], top: Double) {
        let base = top + Self.pairBandHeight
        let lags = pairs.map(\.lagDays).sorted()
        let longest = lags.last ?? 1
        let lagTop = longest <= 7 ? max(1, longest.rounded(.up)) : longest <= 56 ? (longest / 7).rounded(.up) * 7 : (longest / 30).rounded(.up) * 30
        let labelled = pairs.count <= options.pairLabelLimit
        let arcTop = top + 20 + (labelled ? 14 : 0)
        let perDay = (base - arcTop) / lagTop
        svg.open("g", [("class", "pairs")])
        let median = lags.isEmpty ? nil : lags.count % 2 == 1 ? lags[lags.count / 2] : (lags[lags.count / 2 - 1] + lags[lags.count / 2]) / 2
        var caption = "\(pairs.count) attack → response pair\(pairs.count == 1 ? "" : "s"): an arc from the attack's date to the response's, as high as the lag"
        if let median { caption += " (median \(TimelineScale.short(median)) d, longest \(TimelineScale.short(longest)) d)" }
        svg.element("rect", [("x", n(plotLeft - 2)), ("y", n(top)), ("width", n(TimelineScale.textWidth(caption, size: labelSize) * 0.92 + 4)),
                             ("height", n(labelSize + 5)), ("fill", "#FFFFFF"), ("fill-opacity", "0.9")])
        svg.element("text", [("class", "pairs-caption"), ("x", n(plotLeft)), ("y", n(top + labelSize)), ("font-size", n(labelSize)), ("fill", Self.muted)],
                    text: caption)
        // The lag scale: grid lines at 0, half and the top (labelled but for 0, the baseline).
        for (i, lag) in [0, lagTop / 2, lagTop].enumerated() {
            let y = base - lag * perDay
            svg.element("line", [("x1", n(plotLeft)), ("y1", n(y)), ("x2", n(plotRight)), ("y2", n(y)), ("stroke", i == 0 ? "#BBBBBB" : Self.grid), ("stroke-width", "1")])
            if i > 0 {
                svg.element("text", [("x", n(plotLeft - 8)), ("y", n(y + labelSize * 0.35)), ("font-size", n(labelSize)), ("text-anchor", "end"), ("fill", Self.muted)],
                            text: "\(TimelineScale.short(lag)) d")
            }
        }
        let opacity = pairs.count > 60 ? "0.4" : "0.7"
        var taken: [(Double, Double, Double)] = []  // label boxes: x0, x1, y
        for p in pairs {
            let x1 = x(day: p.attackSeconds / 86_400), x2 = x(day: p.responseSeconds / 86_400)
            let h = min(base - arcTop, max(0, p.lagDays) * perDay)
            svg.element("path", [("class", "pair"), ("data-attack", p.attackID), ("data-response", p.responseID), ("data-lag", Format.trimmed(p.lagDays, 3)),
                                 ("d", "M\(n(x1)) \(n(base))Q\(n((x1 + x2) / 2)) \(n(base - 2 * h)) \(n(x2)) \(n(base))"),
                                 ("fill", "none"), ("stroke", Self.pairColour), ("stroke-opacity", opacity), ("stroke-width", "1.5")])
            if h < 3 {  // a same-day pair: a dot, since its arc has no height
                svg.element("circle", [("cx", n((x1 + x2) / 2)), ("cy", n(base - 2)), ("r", "2.5"), ("fill", Self.pairColour), ("fill-opacity", opacity)])
            }
            if labelled {
                let text = "\(TimelineScale.short(p.lagDays)) d", w = TimelineScale.textWidth(text, size: labelSize)
                let cx = (x1 + x2) / 2, ty = base - h - 4
                guard !taken.contains(where: { abs($0.2 - ty) < labelSize + 4 && $0.0 < cx + w / 2 + 3 && cx - w / 2 - 3 < $0.1 }) else { continue }
                taken.append((cx - w / 2, cx + w / 2, ty))
                svg.element("text", [("class", "lag"), ("x", n(cx)), ("y", n(ty)), ("font-size", n(labelSize)), ("text-anchor", "middle"), ("fill", Self.pairColour)],
                            text: text)
            }
        }
        svg.close("g")
    }

    // MARK: Plot

    /// A label over one change point, or over a run of change points too close to label
    /// apart (`15–29 Aug 2022: 0 → 3.5 → 0`), placed in a row of the strip above the plot.
    struct ChangeLabel {
        var text: String
        var row: Int
        var x: Double
        var anchor: String
    }

    /// Change points closer than this (px) share a label.
    static let changeRunGap = 48.0

    /// The labels of the change points, left to right, each in the first row where it does
    /// not overlap another; and the number of rows.
    func changeLabels(_ changes: [EscalationReport.ChangePoint]) -> (labels: [ChangeLabel], rows: Int) {
        var runs: [[EscalationReport.ChangePoint]] = []
        for c in changes {
            if let last = runs.last?.last, x(day: boundaries[c.period]) - x(day: boundaries[last.period]) < Self.changeRunGap {
                runs[runs.count - 1].append(c)
            } else {
                runs.append([c])
            }
        }
        var rowEnds: [Double] = []
        var labels: [ChangeLabel] = []
        for run in runs {
            let text = changeLabel(run)
            let first = x(day: boundaries[run[0].period]), last = x(day: boundaries[run[run.count - 1].period])
            let w = TimelineScale.textWidth(text, size: labelSize)
            // Right of the first line when it fits, else ending left of the last.
            let (x0, x1, anchor, tx) = first + 4 + w <= width - 8 ? (first, first + 4 + w, "start", first + 4) : (last - 4 - w, last, "end", last - 4)
            let row = rowEnds.firstIndex { $0 + 10 < x0 } ?? rowEnds.count
            if row == rowEnds.count { rowEnds.append(x1) } else { rowEnds[row] = x1 }
            labels.append(ChangeLabel(text: text, row: row, x: tx, anchor: anchor))
        }
        return (labels, rowEnds.count)
    }

    /// `16 Oct 2023: 0 → 5.4`, or for a run `15–29 Aug 2022: 0 → 3.5 → 0` (by month `Aug – Sep 2022`).
    func changeLabel(_ run: [EscalationReport.ChangePoint]) -> String {
        let rates = ([run[0].rateBefore] + run.map(\.rateAfter)).map(TimelineScale.short).joined(separator: " → ")
        let first = boundaries[run[0].period], last = boundaries[run[run.count - 1].period]
        let dates = report.options.period == .month ? TimelineScale.monthRange(first, last) : TimelineScale.dateRange(first, last)
        return "\(dates): \(rates)"
    }

    /// The change points' labels in the strip, with dashed leads from them down to the plot
    /// (under the arc band, drawn next).
    mutating func drawChangeLabels(_ changes: [EscalationReport.ChangePoint], _ labels: [ChangeLabel], stripTop: Double, plotTop: Double) {
        svg.open("g", [("class", "change-labels"), ("font-size", n(labelSize))])
        for c in changes {
            let lx = x(day: boundaries[c.period])
            svg.element("line", [("class", "change-lead"), ("x1", n(lx)), ("y1", n(stripTop + 2)), ("x2", n(lx)), ("y2", n(plotTop)),
                                 ("stroke", Self.ink), ("stroke-width", "1.6"), ("stroke-dasharray", "6 4")])
        }
        for label in labels {
            let ly = stripTop + Double(label.row) * 19 + labelSize
            let w = TimelineScale.textWidth(label.text, size: labelSize) * 0.92
            svg.element("rect", [("x", n(label.anchor == "start" ? label.x - 2 : label.x - w - 2)), ("y", n(ly - labelSize)), ("width", n(w + 4)),
                                 ("height", n(labelSize + 5)), ("fill", "#FFFFFF"), ("fill-opacity", "0.9")])
            svg.element("text", [("class", "change-label"), ("x", n(label.x)), ("y", n(ly)), ("text-anchor", label.anchor)], text: label.text)
        }
        svg.close("g")
    }

    var talliesInRange: [TimelineTally] { options.tallies.filter { $0.day >= firstDay && $0.day < endDay } }

    var tallySources: [String] {
        var seen: [String] = []
        for t in talliesInRange where !seen.contains(t.source) { seen.append(t.source) }
        return seen
    }

    mutating func drawPlot(top: Double, bottom: Double, changes: [EscalationReport.ChangePoint]) {
        let total = report.series[0]
        let tallies = talliesInRange
        let cumulativeMax = max(total.cumulativeCounts.last ?? 0, tallies.map(\.total).max() ?? 0)
        let (left, right, intervals) = Self.pairedAxes(leftMax: total.counts.max() ?? 0, rightMax: cumulativeMax)
        pixelsPerEvent = (bottom - top) / left.top
        let perCumulative = (bottom - top) / right.top

        // Grid and y axes.
        svg.open("g", [("class", "axes"), ("font-size", n(tickSize))])
        for i in 0...intervals {
            let y = bottom - Double(i) * left.step * pixelsPerEvent
            svg.element("line", [("x1", n(plotLeft)), ("y1", n(y)), ("x2", n(plotRight)), ("y2", n(y)), ("stroke", i == 0 ? Self.ink : Self.grid),
                                 ("stroke-width", i == 0 ? "1.2" : "1")])
            svg.element("text", [("x", n(plotLeft - 8)), ("y", n(y + tickSize * 0.35)), ("text-anchor", "end")], text: TimelineScale.short(Double(i) * left.step))
            svg.element("text", [("x", n(plotRight + 8)), ("y", n(y + tickSize * 0.35))], text: Format.grouped(Double(i) * right.step, decimals: 0))
        }
        let midY = (top + bottom) / 2
        svg.element("text", [("class", "axis-title"), ("x", n(20)), ("y", n(midY)), ("font-size", n(axisTitleSize)), ("text-anchor", "middle"),
                             ("transform", "rotate(-90 20 \(n(midY)))")], text: "events per \(unitWord)")
        svg.element("text", [("class", "axis-title"), ("x", n(width - 16)), ("y", n(midY)), ("font-size", n(axisTitleSize)), ("text-anchor", "middle"),
                             ("transform", "rotate(90 \(n(width - 16)) \(n(midY)))")], text: "cumulative events")
        // Date ticks.
        for tick in TimelineScale.dateTicks(firstDay: firstDay, endDay: endDay, pixelsPerDay: pixelsPerDay, minimumGap: 64) {
            let tx = x(day: tick.day)
            svg.element("line", [("x1", n(tx)), ("y1", n(bottom)), ("x2", n(tx)), ("y2", n(bottom + 6)), ("stroke", Self.ink)])
            svg.element("text", [("x", n(tx)), ("y", n(bottom + 8 + tickSize)), ("text-anchor", "middle")], text: tick.label)
            if let year = tick.year {
                svg.element("text", [("x", n(tx)), ("y", n(bottom + 12 + 2 * tickSize)), ("text-anchor", "middle"), ("font-weight", "bold")], text: year)
            }
        }
        svg.close("g")

        // Bars: a group per period, bottom to top in stack order.
        svg.open("g", [("class", "bars"), ("shape-rendering", "crispEdges")])
        for k in report.periods.indices {
            let x0 = x(day: boundaries[k]), x1 = x(day: boundaries[k + 1])
            let gap = x1 - x0 >= 8 ? (x1 - x0) * 0.15 : 0
            svg.open("g", [("class", "period"), ("data-period", report.periods[k].label)])
            let parts = stack.filter { $0.counts[k] > 1e-9 }.map { "\($0.name) \(TimelineScale.short($0.counts[k]))" }
            svg.element("title", [], text: "\(report.periods[k].label): \(TimelineScale.short(total.counts[k])) events" + (parts.isEmpty || stack.count == 1 ? "" : " (\(parts.joined(separator: ", ")))"))
            var y = bottom
            for (i, s) in stack.enumerated() {
                let whole = max(0, s.counts[k] - s.spread[k])
                for (value, fill, kind) in [(whole, s.colour, "bar"), (s.spread[k], "url(#spread-\(i))", "bar spread")] where value > 1e-9 {
                    let h = value * pixelsPerEvent
                    svg.element("rect", [("class", kind), ("data-series", s.name), ("data-value", Format.trimmed(value, 4)),
                                         ("x", n(x0 + gap / 2)), ("y", n(y - h)), ("width", n(x1 - x0 - gap)), ("height", n(h)), ("fill", fill)])
                    y -= h
                }
            }
            svg.close("g")
        }
        svg.close("g")

        // Change points of the total, over the bars.
        svg.open("g", [("class", "change-points")])
        for c in changes {
            let lx = x(day: boundaries[c.period])
            svg.element("line", [("class", "change-point"), ("data-period", report.periods[c.period].label),
                                 ("data-rate-before", Format.trimmed(c.rateBefore, 4)), ("data-rate-after", Format.trimmed(c.rateAfter, 4)),
                                 ("x1", n(lx)), ("y1", n(top)), ("x2", n(lx)), ("y2", n(bottom)),
                                 ("stroke", Self.ink), ("stroke-width", "1.6"), ("stroke-dasharray", "6 4")])
        }
        svg.close("g")

        // Cumulative line, then the tallies over it.
        var points = ["\(n(x(day: boundaries[0]))),\(n(bottom))"]
        for k in report.periods.indices {
            points.append("\(n(x(day: boundaries[k + 1]))),\(n(bottom - total.cumulativeCounts[k] * perCumulative))")
        }
        svg.element("polyline", [("class", "cumulative"), ("points", points.joined(separator: " ")), ("fill", "none"),
                                 ("stroke", TimelinePalette.black), ("stroke-width", "2.5"), ("stroke-linejoin", "round")])
        let sources = tallySources
        svg.open("g", [("class", "tallies")])
        for t in tallies {
            drawMarker(sources.firstIndex(of: t.source) ?? 0, x: x(day: t.day + 1), y: bottom - t.total * perCumulative, tally: t)
        }
        svg.close("g")
    }

    /// Steps for the two y axes with the same number of intervals, so that both sit on the
    /// same grid lines: steps m × 10ⁿ (m = 1, 2, 2.5, 3, 4, 5; whole numbers), 2 to 8
    /// intervals, the pair that wastes least height (the product of top ÷ maximum).
    static func pairedAxes(leftMax: Double, rightMax: Double) -> (left: (top: Double, step: Double), right: (top: Double, step: Double), intervals: Int) {
        let lm = max(leftMax, 1), rm = max(rightMax, 1)
        func step(atLeast raw: Double) -> Double {
            var magnitude = 1.0
            while magnitude * 10 <= raw { magnitude *= 10 }
            while magnitude > raw { magnitude /= 10 }
            return max(1, [1.0, 2, 2.5, 3, 4, 5, 10].map { $0 * magnitude }.first { $0 >= raw && $0 == $0.rounded() } ?? 10 * magnitude)
        }
        var best: (score: Double, left: Double, right: Double, intervals: Int)?
        for intervals in 2...8 {
            let l = step(atLeast: lm / Double(intervals)), r = step(atLeast: rm / Double(intervals))
            // Fewer intervals than the left axis needs at this step is another candidate's.
            guard l * Double(intervals - 1) < lm || intervals == 2 else { continue }
            let score = (l * Double(intervals) / lm) * (r * Double(intervals) / rm) * (1 + 0.02 * abs(Double(intervals) - 5))
            if best == nil || score < best!.score { best = (score, l, r, intervals) }
        }
        let b = best!
        return ((b.left * Double(b.intervals), b.left), (b.right * Double(b.intervals), b.right), b.intervals)
    }

    static let markerFills = [TimelinePalette.yellow, TimelinePalette.skyBlue, "#FFFFFF", TimelinePalette.orange]

    /// Tally marker `i`: circle, square, diamond, triangle, black outline.
    mutating func drawMarker(_ i: Int, x: Double, y: Double, tally: TimelineTally? = nil) {
        let r = 6.5, fill = Self.markerFills[i % Self.markerFills.count]
        var attributes: [(String, String)] = [("fill", fill), ("stroke", TimelinePalette.black), ("stroke-width", "1.8")]
        if let tally {
            attributes = [("class", "tally"), ("data-source", tally.source), ("data-total", Format.shortest(tally.total)),
                          ("data-date", UTCCalendar.isoDate(daysSinceEpoch: tally.day))] + attributes
        }
        switch i % 4 {
        case 0: svg.element("circle", [("cx", n(x)), ("cy", n(y)), ("r", n(r))] + attributes)
        case 1: svg.element("rect", [("x", n(x - r)), ("y", n(y - r)), ("width", n(2 * r)), ("height", n(2 * r))] + attributes)
        case 2: svg.element("path", [("d", "M\(n(x)) \(n(y - r * 1.3))L\(n(x + r * 1.3)) \(n(y))L\(n(x)) \(n(y + r * 1.3))L\(n(x - r * 1.3)) \(n(y))Z")] + attributes)
        default: svg.element("path", [("d", "M\(n(x)) \(n(y - r * 1.2))L\(n(x + r * 1.2)) \(n(y + r))L\(n(x - r * 1.2)) \(n(y + r))Z")] + attributes)
        }
    }

    // MARK: Notes

    /// The note under the plot: what the chart counts and what it leaves out.
    func noteLines(pairs: [TimelinePair]) -> [String] {
        let unit = unitWord
        var lines: [String] = []
        lines.append("Bars: events per \(unit) (\(report.periods.count) \(unit)\(report.periods.count == 1 ? "" : "s"), \(report.periods.first!.label) to \(report.periods.last!.label)); \(TimelineScale.short(report.eventsInRange)) events in the range \(UTCCalendar.isoDate(daysSinceEpoch: report.fromDay)) – \(UTCCalendar.isoDate(daysSinceEpoch: report.toDay)).")
        let spread = report.series[0].spreadCounts.reduce(0, +)
        if spread > 1e-9 {
            let verb = TimelineScale.short(spread) == "1" ? "comes" : "come"
            lines.append("Hatched: \(TimelineScale.short(spread)) of these counts \(verb) from events dated only to the week or month (or spanning days), each spread over the \(unit)s it overlaps in proportion.")
        }
        if report.outsideRange > 1e-9 {
            lines.append("Left out: \(TimelineScale.short(report.outsideRange)) selected event\(report.outsideRange == 1 ? "" : "s") (or parts of spread events) outside the range.")
        }
        if let filter = report.options.filter { lines.append("Only events matching \(filter.text).") }
        if !lumped.isEmpty { lines.append("other: \(lumped.count) smaller values of \(report.options.split ?? "the split") (\(lumped.joined(separator: ", "))).") }
        if let method = report.penaltyValue.map({ "PELT (Poisson cost), penalty \(Format.trimmed($0, 2))\(report.options.penalty == .bic ? " (2 ln n)" : "")" }) {
            let found = report.series[0].changePoints.count
            lines.append("Change points: \(method) on all events per \(unit); \(found == 0 ? "none found" : "\(found) found, rates in events per \(unit)").")
        }
        if let source = options.pairsSource {
            var text = "Pairs: \(pairs.count) attack → response pair\(pairs.count == 1 ? "" : "s") from \(source)"
            let outside = options.pairs.count - pairs.count
            if outside > 0 { text += "; \(outside) outside the range not drawn" }
            if options.skippedPairs > 0 { text += "; \(options.skippedPairs) response → counter-attack pair\(options.skippedPairs == 1 ? "" : "s") not drawn" }
            if pairs.count > options.pairLabelLimit { text += "; lags not written (more than \(options.pairLabelLimit) pairs)" }
            lines.append(text + ".")
        }
        let tallyOutside = options.tallies.filter { $0.day < firstDay || $0.day >= endDay }.count
        if tallyOutside > 0 { lines.append("\(tallyOutside) published tall\(tallyOutside == 1 ? "y" : "ies") outside the range not drawn.") }
        if !options.tallies.isEmpty {
            lines.append("Published counts are drawn at the end of their day; they may count from another start date than this range.")
        }
        return lines
    }

    mutating func drawNotes(_ lines: [String], top: Double) {
        var y = top
        svg.open("g", [("class", "notes"), ("font-size", n(noteSize)), ("fill", Self.muted)])
        for line in lines {
            y += noteSize + 5
            svg.element("text", [("x", n(plotLeft - 60)), ("y", n(y))], text: line)
        }
        svg.close("g")
    }

    /// Words flowed into lines at most `width` px wide (by the text-width estimate).
    static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if !current.isEmpty, TimelineScale.textWidth(candidate, size: size) > width {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
