import Foundation
import GeoCore
import GeoEvents
import GeoLayers
import GeoTemporal
import Testing

@Suite struct EscalationReportTests {
    static func layer(_ features: [String]) throws -> EventLayer {
        let text = #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",\n") + "]}"
        return try EventLayer.read(file: InputFile(name: "t.geojson", bytes: Array(text.utf8)), source: "t.geojson", options: EventLayerOptions())
    }

    static func event(_ id: String, _ date: String, _ extra: String = "") -> String {
        #"{"type":"Feature","geometry":{"type":"Point","coordinates":[42,33]},"properties":{"event_id":"\#(id)","event_date":"\#(date)"\#(extra)}}"#
    }

    /// Two sides, a dozen day-dated events each over January 2024, and one week-dated militia event.
    static func twoSides() throws -> EventLayer {
        var features: [String] = []
        for d in 1...12 {
            features.append(event("m\(d)", "2024-01-\(d < 10 ? "0" : "")\(d)", #","actor_side":"militia""#))
            features.append(event("u\(d)", "2024-01-\(d + 12)", #","actor_side":"US""#))
        }
        features.append(event("mw", "2024-01-10", #","actor_side":"militia","time_precision":2"#))
        return try layer(features)
    }

    @Test func bivariateFitLeavesOutTheWeekDatedEvent() throws {
        let options = EscalationOptions(period: .week, split: "actor_side", cross: .init("militia", "us"), bootstrap: 0)
        let report = try EscalationReport(try Self.twoSides(), options)
        let fit = try #require(report.hawkes?.bivariate)
        #expect(fit.eventCounts == [12, 12])
        #expect(fit.series == ["militia", "us"])
        #expect(report.hawkes?.leftOutImprecise == 1)
        #expect(report.hawkes?.univariate == nil)
        #expect(report.series.map(\.name) == ["all", "militia", "US"])
        #expect(report.spreadEventCount == 1)
    }

    /// `--hawkes-fit binned`: the fit method is reported, with the Whittle value in place of a
    /// log-likelihood, the wider decay search, and the same fitted series.
    @Test func binnedFitSaysSo() throws {
        let options = EscalationOptions(period: .week, split: "actor_side", hawkes: true, cross: .init("militia", "us"), bootstrap: 3,
                                        hawkesFit: .binned)
        let report = try EscalationReport(try Self.twoSides(), options)
        let hawkes = try #require(report.hawkes)
        #expect(hawkes.method == .binned)
        #expect(hawkes.bivariate?.fit.method == .binned && hawkes.univariate?.fit.method == .binned)
        let json = hawkes.json()
        #expect(json["fit_method"]?.stringValue == "binned")
        #expect(json["decay_search_days"]?.arrayValue?.first?.numberValue == 0.05)
        #expect(json["univariate"]?["whittle_log_likelihood"]?.numberValue != nil)
        #expect(json["univariate"]?["log_likelihood"] == nil)
        // 12 events per series: simulated series with fewer than 10 are skipped, so only the
        // univariate fit (24 events) keeps all its replicates.
        #expect(json["univariate"]?["ci95"]?["replicates_used"]?.numberValue == 3)
        #expect(json["bivariate"]?["ci95"]?["branching"]?.arrayValue?.count == 2)
        #expect(json["bootstrap"]?["method"]?.stringValue?.contains("count the events per day") == true)
        let placed = try EscalationReport(try Self.twoSides(), EscalationOptions(period: .week, hawkes: true, bootstrap: 0, hawkesFit: .randomPlacement))
        #expect(placed.hawkes?.json()["fit_method"]?.stringValue == "random-placement")
        // Binned is the default.
        #expect(EscalationOptions(period: .week).hawkesFit == .binned && EscalationOptions(period: .week).hawkesInterval == .percentile)
        #expect(EscalationOptions(period: .week, hawkesFit: .randomPlacement).hawkesInterval == .basicOrPercentile)
    }

    @Test func tooFewEventsForACrossNamesEachSeries() throws {
        var features = (1...11).map { Self.event("m\($0)", "2024-01-\($0 < 10 ? "0" : "")\($0)", #","actor_side":"militia""#) }
        features += [Self.event("u1", "2024-01-20", #","actor_side":"US""#), Self.event("u2", "2024-01-21", #","actor_side":"US","time_precision":2"#)]
        let options = EscalationOptions(period: .week, split: "actor_side", cross: .init("militia", "US"), bootstrap: 0)
        #expect {
            try EscalationReport(try Self.layer(features), options)
        } throws: { error in
            "\(error)" == "t.geojson: Hawkes fit of militia and US: too few events to fit: militia 11, US 1 dated to the day in the study range (1 more, dated to the week or month, is left out); a Hawkes fit needs at least 10 events per series"
        }
    }

    @Test func selectionNeedsDatesAndKnownFilterFields() throws {
        let events = try Self.layer([Self.event("a", "2024-01-02", #","actor_side":"US""#),
                                     #"{"type":"Feature","geometry":{"type":"Point","coordinates":[42,33]},"properties":{"event_id":"b","actor_side":"US"}}"#])
        #expect(throws: LayerError("t.geojson: event b (feature 1) has no event_date")) {
            try EscalationReport(events, EscalationOptions(period: .day))
        }
        // An undated event the filter leaves out is no problem.
        let filtered = try EscalationReport(events, EscalationOptions(period: .day, filter: try EventFilter(parsing: "event_id=a")))
        #expect(filtered.eventCount == 1)
        #expect(throws: LayerError("t.geojson: filter 'side=US': no event has a field 'side'; fields: event_id, event_date, actor_side")) {
            try EscalationReport(events, EscalationOptions(period: .day, filter: try EventFilter(parsing: "side=US")))
        }
        #expect(throws: LayerError("t.geojson: no event to count (filter 'actor_side=militia')")) {
            try EscalationReport(events, EscalationOptions(period: .day, filter: try EventFilter(parsing: "actor_side=militia")))
        }
    }

    @Test func jsonAndCSVShowTheSameSeries() throws {
        let report = try EscalationReport(try Self.twoSides(), EscalationOptions(period: .week, split: "actor_side"))
        let rows = report.csv().split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.count == report.series.count * report.periods.count)
        let json = report.json()
        for row in rows {
            let k = try #require(report.periods.firstIndex { $0.label == row[0] })
            let count = try #require(json["series"]?[String(row[2])]?.arrayValue?[k]["count"]?.numberValue)
            #expect(Format.trimmed(count, 4) == String(row[3]))
        }
    }
}

@Suite struct EscalationFixtureTests {
    /// Fixtures/escalation: parameters by, split, where, from, to, rolling, penalty (bic, none or
    /// a number), min_segment, hawkes, cross ("a,b"), bootstrap, seed, hawkes_fit.
    @Test func fixtures() throws {
        try LayerFixtures.check("escalation", outputExtension: "json") { events, p in
            func day(_ key: String) throws -> Int? { try p[key]?.stringValue.map { try DateParser().parse($0).date.daysSinceEpoch } }
            func int(_ key: String, _ fallback: Int) -> Int { p[key]?.numberValue.map { Int($0) } ?? fallback }
            let penalty: EscalationOptions.Penalty = switch p["penalty"] {
            case .string(let text)?: try #require(EscalationOptions.Penalty(text))
            case let value?: .value(try #require(value.numberValue))
            case nil: .bic
            }
            let cross = p["cross"]?.stringValue?.split(separator: ",").map(String.init)
            let options = EscalationOptions(
                period: try #require(PeriodUnit(rawValue: p["by"]?.stringValue ?? "")), split: p["split"]?.stringValue,
                filter: try p["where"]?.stringValue.map { try EventFilter(parsing: $0) }, fromDay: try day("from"), toDay: try day("to"),
                rolling: int("rolling", 4), penalty: penalty, minSegment: int("min_segment", 1), hawkes: p["hawkes"] == .bool(true),
                cross: cross.map { .init($0[0], $0[1]) }, bootstrap: int("bootstrap", 0), seed: UInt64(int("seed", 20_231_017)),
                hawkesFit: try #require(HawkesFitMethod(rawValue: p["hawkes_fit"]?.stringValue ?? "random-placement")))
            var report = try EscalationReport(events, options)
            report.source = URL(fileURLWithPath: report.source).lastPathComponent
            return LayerFixtures.json(report.json())
        }
    }
}
