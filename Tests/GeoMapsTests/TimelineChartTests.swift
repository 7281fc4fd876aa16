import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GeoCore
import GeoEvents
import GeoLayers
import GeoMaps
import Testing

/// An SVG text parsed back: every element with its attributes and the classes of the groups
/// around it.
struct ParsedSVG {
    struct Element {
        var name: String
        var attributes: [String: String]
        /// The attributes of each enclosing element, outermost first.
        var ancestors: [[String: String]]
        var text = ""

        /// The `data-period` of the `g.period` this element is in.
        var period: String? { ancestors.last { $0["class"] == "period" }?["data-period"] }

        var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
        func number(_ key: String) -> Double? { attributes[key].flatMap(Double.init) }
    }

    var elements: [Element] = []

    /// Throws when the text is not well-formed XML.
    init(_ text: String) throws {
        let delegate = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = delegate
        guard parser.parse() else {
            throw TimelineError("not well-formed: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)")
        }
        elements = delegate.elements
    }

    func all(_ name: String, class wanted: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (wanted == nil || $0.classes.contains(wanted!)) }
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var open: [Int] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let ancestors = open.map { elements[$0].attributes }
            elements.append(Element(name: name, attributes: attributes, ancestors: ancestors))
            open.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let last = open.last { elements[last].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }
    }
}

@Suite struct TimelineChartTests {
    static func layer(_ features: [String]) throws -> EventLayer {
        let text = #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",\n") + "]}"
        return try EventLayer.read(file: InputFile(name: "t.geojson", bytes: Array(text.utf8)), source: "t.geojson", options: EventLayerOptions())
    }

    static func event(_ id: String, _ date: String, _ side: String, precision: Int = 1) -> String {
        #"{"type":"Feature","geometry":{"type":"Point","coordinates":[42,33]},"properties":{"event_id":"\#(id)","event_date":"\#(date)","time_precision":\#(precision),"actor_side":"\#(side)"}}"#
    }

    /// Six quiet weeks (one militia event each, from Monday 1 January 2024), then six busy
    /// ones (eight militia and two US events each), and one militia event dated to the week
    /// of 10 January (spread over two ISO weeks).
    static func escalating() throws -> EventLayer {
        var features: [String] = []
        for w in 0..<6 { features.append(event("q\(w)", UTCCalendar.isoDate(daysSinceEpoch: monday + 7 * w + 2), "militia")) }
        for w in 6..<12 {
            for k in 0..<10 {
                features.append(event("b\(w)-\(k)", UTCCalendar.isoDate(daysSinceEpoch: monday + 7 * w + k % 7), k < 8 ? "militia" : "US"))
            }
        }
        features.append(event("wk", "2024-01-10", "militia", precision: 2))
        return try layer(features)
    }

    static let monday = UTCCalendar.daysSinceEpoch(year: 2024, month: 1, day: 1)

    static func report(penalty: EscalationOptions.Penalty = .bic) throws -> EscalationReport {
        try EscalationReport(try escalating(), EscalationOptions(period: .week, split: "actor_side", penalty: penalty))
    }

    @Test func oneBarGroupPerPeriodWithHeightsProportionalToTheCounts() throws {
        let report = try Self.report()
        let chart = try TimelineChart(report)
        let svg = try ParsedSVG(chart.text)
        let groups = svg.all("g", class: "period")
        #expect(groups.count == report.periods.count && report.periods.count == 12)
        #expect(groups.map { $0.attributes["data-period"] ?? "" } == report.periods.map(\.label))

        let bars = svg.all("rect", class: "bar")
        for bar in bars {
            let height = try #require(bar.number("height")), value = try #require(bar.number("data-value"))
            #expect(abs(height - value * chart.pixelsPerEvent) < 0.02, "\(bar.attributes)")
        }
        // Per period and series, the drawn values add up to the report's counts.
        let all = report.series[0], militia = try #require(report.series.first { $0.name == "militia" })
        for (k, period) in report.periods.enumerated() {
            let inPeriod = bars.filter { $0.period == period.label }
            let total = inPeriod.compactMap { $0.number("data-value") }.reduce(0, +)
            #expect(abs(total - all.counts[k]) < 1e-3, "\(period.label)")
            let m = inPeriod.filter { $0.attributes["data-series"] == "militia" }.compactMap { $0.number("data-value") }.reduce(0, +)
            #expect(abs(m - militia.counts[k]) < 1e-3, "\(period.label)")
        }
        // A busy week's bar is ten times as high as a quiet week's.
        func height(_ k: Int) -> Double {
            bars.filter { $0.period == report.periods[k].label }.compactMap { $0.number("height") }.reduce(0, +)
        }
        #expect(abs(height(8) / height(3) - 10) < 1e-3)
        // The week-dated event (7–13 January): hatched parts in the two weeks it overlaps (1/7 and 6/7).
        let spread = svg.all("rect", class: "spread")
        #expect(spread.compactMap { $0.number("data-value") }.map { ($0 * 7).rounded() }.sorted() == [1, 6])
        #expect(spread.allSatisfy { $0.attributes["fill"]?.hasPrefix("url(#spread-") == true })
        #expect(chart.text.contains("hatched: events dated only to the week or month"))
        #expect(chart.text.contains("Hatched: 1 of these counts comes from events dated only to the week or month"))
    }

    @Test func changePointsAreDashedLinesLabelledWithTheRates() throws {
        let report = try Self.report()
        let changes = report.series[0].changePoints
        #expect(changes.count == 1)
        let svg = try ParsedSVG(try TimelineChart(report).text)
        let lines = svg.all("line", class: "change-point")
        #expect(lines.count == changes.count)
        #expect(lines.first?.attributes["data-period"] == report.periods[changes[0].period].label)
        #expect(lines.first?.attributes["stroke-dasharray"] != nil)
        let label = try #require(svg.all("text", class: "change-label").first).text
        #expect(label.hasPrefix("12 Feb 2024: ") && label.contains(" → "), "\(label)")
        // Without a change-point search, no line.
        let flat = try ParsedSVG(try TimelineChart(try Self.report(penalty: .none)).text)
        #expect(flat.all("line", class: "change-point").isEmpty && flat.all("text", class: "change-label").isEmpty)
    }

    @Test func cumulativeLineEndsAtTheTotal() throws {
        let report = try Self.report()
        let svg = try ParsedSVG(try TimelineChart(report).text)
        let line = try #require(svg.all("polyline", class: "cumulative").first)
        let points = try #require(line.attributes["points"]).split(separator: " ")
        #expect(points.count == report.periods.count + 1)
    }

    @Test func pairsAreArcsLabelledWithTheLagWhenFew() throws {
        let report = try Self.report()
        let day = 86_400.0, start = Double(Self.monday) * day
        func seconds(_ d: Int) -> Double { start + (Double(d) + 0.5) * day }
        var pairs: [TimelinePair] = []
        for w in 0..<3 {
            pairs.append(TimelinePair(attackID: "a\(w)", responseID: "r\(w)", attackSeconds: seconds(7 * w + 2), responseSeconds: seconds(7 * w + 5), lagDays: 3))
        }
        pairs.append(TimelinePair(attackID: "late", responseID: "later", attackSeconds: seconds(400), responseSeconds: seconds(402), lagDays: 2))
        let chart = try TimelineChart(report, TimelineOptions(pairs: pairs, pairsSource: "pairs.geojson"))
        let svg = try ParsedSVG(chart.text)
        let arcs = svg.all("path", class: "pair")
        #expect(arcs.count == 3)  // the fourth is outside the range
        #expect(arcs.map { $0.attributes["data-attack"] ?? "" } == ["a0", "a1", "a2"])
        let lagLabels: [String] = svg.all("text", class: "lag").map { $0.text }
        #expect(lagLabels == ["3 d", "3 d", "3 d"])
        #expect(chart.notes.contains { $0.contains("3 attack → response pairs from pairs.geojson; 1 outside the range not drawn") }, "\(chart.notes)")
        // Many pairs: no lag labels.
        let many = try ParsedSVG(try TimelineChart(report, TimelineOptions(pairs: pairs, pairLabelLimit: 2)).text)
        #expect(many.all("path", class: "pair").count == 3 && many.all("text", class: "lag").isEmpty)
    }

    @Test func talliesArePointsWithTheirSourceInTheLegend() throws {
        let report = try Self.report()
        let tallies = try TimelineTally.parse(csv: "date,total,source\n2024-01-31,20,DoD\n2024-03-10,70,DoD\n2024-03-17,75,CENTCOM\n2025-01-01,90,DoD\n", name: "t.csv")
        let chart = try TimelineChart(report, TimelineOptions(tallies: tallies))
        let svg = try ParsedSVG(chart.text)
        let points = svg.elements.filter { $0.classes.contains("tally") }
        #expect(points.map { $0.attributes["data-source"] ?? "" } == ["DoD", "DoD", "CENTCOM"])
        #expect(Set(points.map(\.name)) == ["circle", "rect"])  // a shape per source
        #expect(chart.text.contains(">DoD: published cumulative count<") && chart.text.contains(">CENTCOM: published cumulative count<"))
        #expect(chart.notes.contains("1 published tally outside the range not drawn."))
    }

    @Test func badTallyRowsNameTheirLine() {
        func error(_ text: String) -> String {
            do { _ = try TimelineTally.parse(csv: text, name: "t.csv"); return "" } catch { return "\(error)" }
        }
        #expect(error("date,total,source\n2024-01-31,20,DoD\n2024-02-31,30,DoD\n").hasPrefix("t.csv: line 3: impossible date '2024-02-31'"))
        #expect(error("date,total,source\n2024-01-31,lots,DoD\n") == "t.csv: line 2: total 'lots' is not a number ≥ 0")
        #expect(error("2024-01-31,20,DoD\n2024-02,25,DoD\n") == "t.csv: line 2: date '2024-02' names a month, not a day")
        #expect(error("date,total,source\n2024-01-31,20\n") == "t.csv: line 2: expected 3 fields (date,total,source), found 2")
        #expect(error("date,total,source\n2024-01-31,20,\n") == "t.csv: line 2: no source (whose count is it?)")
        #expect(error("when,total,source\n") == "t.csv: line 1: the header needs the columns date, total and source; found when, total, source")
        #expect(error("date,total,source\n") == "t.csv: no tallies (expected CSV rows date,total,source)")
        // Columns by header name, in any order.
        #expect((try? TimelineTally.parse(csv: "source,date,total\nDoD,2024-01-31,20\n", name: "t.csv")) == [TimelineTally(day: 19_753, total: 20, source: "DoD")])
    }

    @Test func pairsAreReadFromAWindowsOutput() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("geo-timeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let point = #"{"type":"Point","coordinates":[42,33]}"#, line = #"{"type":"LineString","coordinates":[[42,33],[41,34]]}"#
        let text = """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":\(point),"properties":{"layer":"events","event_id":"A","event_date":"2024-01-28"}},
            {"type":"Feature","geometry":\(line),"properties":{"layer":"pairs","direction":"attack→response","attack_id":"A","response_id":"R","from_date":"2024-01-28","to_date":"2024-02-02","lag_days":5}},
            {"type":"Feature","geometry":\(line),"properties":{"layer":"pairs","direction":"response→counter-attack","response_id":"R","counter_attack_id":"B","from_date":"2024-02-02","to_date":"2024-02-04","lag_days":2}}
            ]}
            """
        let path = dir.appendingPathComponent("pairs.geojson").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let read = try TimelinePair.read(path: path)
        #expect(read.skipped == 1)
        #expect(read.pairs == [TimelinePair(attackID: "A", responseID: "R", attackSeconds: (19_750 + 0.5) * 86_400, responseSeconds: (19_755 + 0.5) * 86_400, lagDays: 5)])

        let events = dir.appendingPathComponent("events.geojson").path
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":\#(point),"properties":{"event_id":"A"}}]}"#.write(toFile: events, atomically: true, encoding: .utf8)
        #expect(throws: TimelineError("\(events): no pairs (features with \"layer\": \"pairs\"); give the GeoJSON output of geo windows")) {
            try TimelinePair.read(path: events)
        }
    }

    @Test func manySplitValuesAreLumpedAsOther() throws {
        let features = (0..<10).flatMap { v in (0...v).map { Self.event("e\(v)-\($0)", "2024-01-0\(1 + $0 % 7)", "side\(v)") } }
        let report = try EscalationReport(try Self.layer(features), EscalationOptions(period: .week, split: "actor_side"))
        let chart = try TimelineChart(report)
        let series = Set(try ParsedSVG(chart.text).all("rect", class: "bar").compactMap { $0.attributes["data-series"] })
        #expect(series == ["side9", "side8", "side7", "side6", "side5", "side4", "other"])
        #expect(chart.notes.contains("other: 4 smaller values of actor_side (side0, side1, side2, side3)."), "\(chart.notes)")
    }

    @Test func valuesWithoutEventsInTheRangeAreNotInTheLegend() throws {
        let options = EscalationOptions(period: .week, split: "actor_side", toDay: Self.monday + 20)
        let text = try TimelineChart(try EscalationReport(try Self.escalating(), options)).text
        #expect(text.contains(">militia (4)<") && !text.contains(">US (0)<"))
    }

    @Test func fontsAreLegibleAt1200Pixels() throws {
        let svg = try ParsedSVG(try TimelineChart(try Self.report()).text)
        let sizes = svg.elements.compactMap { $0.number("font-size") }
        #expect(!sizes.isEmpty && sizes.allSatisfy { $0 >= 12 })
        let root = try #require(svg.elements.first)
        #expect(root.name == "svg" && root.attributes["width"] == "1200")
    }

    @Test(.enabled(if: SVGToPNG.converterPath() != nil, "rsvg-convert is not installed (Debian: librsvg2-bin); PNG rendering not tested"))
    func rendersToPNG() throws {
        let png = try SVGToPNG.render(svg: try TimelineChart(try Self.report()).text, zoom: 1)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // The width as drawn: the IHDR chunk's first field.
        #expect(png[16..<20].reduce(0) { $0 << 8 | Int($1) } == 1200)
    }

    @Test func aNarrowWidthIsRefused() throws {
        #expect(throws: TimelineError("a timeline needs a width of at least 600 px, got 300")) {
            try TimelineChart(try Self.report(), TimelineOptions(width: 300))
        }
    }
}
