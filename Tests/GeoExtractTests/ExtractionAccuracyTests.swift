import Foundation
import GeoCore
import GeoEvents
import GeoExtract
import GeoGazetteer
import Testing

let sharedExtractor: ReportExtractor = try! ReportExtractor(gazetteer: try Gazetteer.load(userDirectory: nil))

/// Short reports written for these tests from public facts (`Fixtures/reports/NNN.txt`), each with
/// the events an analyst would code from it (`NNN.expected.csv`: event_date, sub_event_type,
/// location as the gazetteer names it, actor_side, fatalities; an empty location or fatalities
/// cell is not scored). Extracted events are paired with expected ones (same type and date
/// first); per-field accuracy is over expected events, an unpaired expected event counting wrong
/// in every field. The floors are what the rules measured when written.
@Suite("geo extract accuracy on the written reports")
struct ExtractionAccuracyTests {
    struct Expected {
        var date: String, type: String, place: String, side: String, fatalities: String
    }

    static func fixtures() -> [(name: String, text: String, expected: [Expected])] {
        guard let dir = Bundle.module.url(forResource: "Fixtures/reports", withExtension: nil) else { return [] }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        return names.compactMap { name in
            let stem = String(name.dropLast(4))
            guard let text = try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8),
                  let csv = try? String(contentsOf: dir.appendingPathComponent(stem + ".expected.csv"), encoding: .utf8) else { return nil }
            let rows = csv.split(separator: "\n").dropFirst().map { line -> Expected in
                let c = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                return Expected(date: c[0], type: c[1], place: c[2], side: c[3], fatalities: c[4])
            }
            return (stem, text, rows)
        }
    }

    static func fold(_ s: String) -> String {
        s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
    }

    struct Score {
        var n = 0, date = 0, type = 0, place = 0, placeScored = 0, side = 0, fatalities = 0, fatalitiesScored = 0
        var extracted = 0, unpaired = 0
        mutating func add(_ e: Expected, _ got: Event?) {
            n += 1
            if !e.place.isEmpty { placeScored += 1 }
            if !e.fatalities.isEmpty { fatalitiesScored += 1 }
            guard let got else { unpaired += 1; return }
            if got.date.iso == e.date { date += 1 }
            if got.subEventType == e.type { type += 1 }
            if !e.place.isEmpty, ExtractionAccuracyTests.fold(got.location) == ExtractionAccuracyTests.fold(e.place) { place += 1 }
            if got.actorSide == e.side { side += 1 }
            if !e.fatalities.isEmpty, got.fatalities == Int(e.fatalities) { fatalities += 1 }
        }
        func rate(_ k: Int, _ of: Int) -> Double { of == 0 ? 1 : Double(k) / Double(of) }
    }

    /// Reports written after the rules they test (never tuned on): their figures are printed apart.
    static let heldOut: Set<String> = ["034", "035", "036", "037", "038"]

    static func evaluate(only names: Set<String>? = nil) -> (Score, [String]) {
        var score = Score()
        var lines: [String] = []
        for f in fixtures() where names?.contains(f.name) ?? true {
            let result = sharedExtractor.extract(text: f.text, document: f.name + ".txt", published: nil)
            score.extracted += result.events.count
            var unused = Array(result.events.indices)
            for e in f.expected {
                let best = unused.max { a, b in rank(result.events[a], e) < rank(result.events[b], e) || (rank(result.events[a], e) == rank(result.events[b], e) && a > b) }
                let got = best.flatMap { rank(result.events[$0], e) > 0 ? result.events[$0] : nil }
                if let best, got != nil { unused.removeAll { $0 == best } }
                score.add(e, got)
                lines.append("\(f.name): expected \(e.date) \(e.type) \(e.place) \(e.side) \(e.fatalities) | got \(got.map { "\($0.date.iso) \($0.subEventType) \($0.location) \($0.actorSide) \($0.fatalities.map(String.init) ?? "")" } ?? "nothing")")
            }
            for i in unused { lines.append("\(f.name): extra event \(result.events[i].date.iso) \(result.events[i].subEventType) \(result.events[i].location)") }
        }
        return (score, lines)
    }

    static func rank(_ got: Event, _ e: Expected) -> Int {
        (got.subEventType == e.type ? 4 : 0) + (got.date.iso == e.date ? 2 : 0) + (fold(got.location) == fold(e.place) ? 1 : 0)
    }

    /// Measured on 2 December 2026 over 42 reports, 63 expected events (59 with a place, 38 with a
    /// figure): 65 extracted, none missed (event precision 0.969, recall 1.0); date, type, place and
    /// actor_side 1.0, fatalities 0.947. Reports 023-033 were written before the rules they test,
    /// 034-038 after them (held out: 7 of 7 found, 1 extra, side 7/7, fatalities 3/4 now; side 5/7
    /// and fatalities 2/4 when first measured), 039-042 for the fixes found on the seed articles.
    /// The extra events: a protest in 005 ("Baghdad recalled its ambassador … in protest") and a
    /// link clause dated by "since October 17" in 036. Not read: the two deaths of 042 ("killed X
    /// and Y", no figure word). 043 (3 December 2026, bare "Islamic Resistance" as an actor): 64
    /// expected events, 66 extracted, the other figures unchanged. 044 (a figure after a casualty
    /// verb across a comma, "3 killed, more than 40 wounded", was read as 40 killed): 65 expected,
    /// 67 extracted, fatalities 37/39. 045 (a response dated from the earlier event its link
    /// names) and 046-049 (3 December 2026: a link clause with a verb the vocabulary leaves out,
    /// "a day after they claimed to have hit US troops in …", and "Another member was also
    /// killed" after a figure): 49 reports, 74 expected events, 76 extracted, none missed, date,
    /// type, place and side 1.0, fatalities 41/43.
    static let floors = (date: 0.96, type: 0.96, place: 0.96, side: 0.95, fatalities: 0.92, precision: 0.92, recall: 0.96)

    @Test func perFieldAccuracyStaysAboveTheFloors() {
        let (s, lines) = Self.evaluate()
        #expect(s.n >= 20)
        let date = s.rate(s.date, s.n), type = s.rate(s.type, s.n), place = s.rate(s.place, s.placeScored)
        let side = s.rate(s.side, s.n), fat = s.rate(s.fatalities, s.fatalitiesScored)
        print(lines.joined(separator: "\n"))
        print("ACCURACY expected \(s.n) extracted \(s.extracted) unpaired \(s.unpaired) date \(date) type \(type) place \(place) (of \(s.placeScored)) side \(side) fatalities \(fat) (of \(s.fatalitiesScored))")
        let recall = Double(s.n - s.unpaired) / Double(max(1, s.n)), precision = Double(s.n - s.unpaired) / Double(max(1, s.extracted))
        print("EVENTS precision \(precision) recall \(recall)")
        let (h, _) = Self.evaluate(only: Self.heldOut)
        print("HELD-OUT \(Self.heldOut.sorted().joined(separator: ",")): expected \(h.n) extracted \(h.extracted) unpaired \(h.unpaired) precision \(Double(h.n - h.unpaired) / Double(max(1, h.extracted))) recall \(Double(h.n - h.unpaired) / Double(max(1, h.n))) date \(h.rate(h.date, h.n)) type \(h.rate(h.type, h.n)) place \(h.rate(h.place, h.placeScored)) side \(h.rate(h.side, h.n)) (\(h.side)/\(h.n)) fatalities \(h.rate(h.fatalities, h.fatalitiesScored)) (\(h.fatalities)/\(h.fatalitiesScored))")
        #expect(precision >= Self.floors.precision)
        #expect(recall >= Self.floors.recall)
        #expect(date >= Self.floors.date)
        #expect(type >= Self.floors.type)
        #expect(place >= Self.floors.place)
        #expect(side >= Self.floors.side)
        #expect(fat >= Self.floors.fatalities)
    }

    @Test func aReportWithoutAnyDateRejectsItsWordingsInsteadOfDroppingThem() throws {
        let f = try #require(Self.fixtures().first { $0.name == "015" })
        let r = sharedExtractor.extract(text: f.text, document: "015.txt", published: nil)
        #expect(r.events.isEmpty)
        #expect(!r.rejects.isEmpty)
    }
}
