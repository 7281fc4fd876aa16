import Foundation
import GeoCore
import GeoProj
import GeoText
import Testing

/// The project's own evaluation set (`Fixtures/reports/reports.jsonl`, see its README): 40
/// annotated reports. Recognition precision and recall (a mention and a gold mention match
/// when their spans overlap) and acc@161 (matched gold mentions resolved within 161 km) must
/// not fall below the floors measured when the rules were written (`scripts/eval-geoparse`
/// prints the same figures).
@Suite("Geoparse evaluation set")
struct EvaluationSetTests {
    /// Measured on 2 December 2026: precision 0.983, recall 0.960, acc@161 0.981.
    static let floors = (precision: 0.97, recall: 0.95, acc161: 0.97)

    struct Gold {
        var start: Int
        var end: Int
        var text: String
        var lat: Double
        var lon: Double
    }

    static func load() throws -> [(id: String, text: String, gold: [Gold])] {
        guard let url = Bundle.module.url(forResource: "Fixtures/reports/reports.jsonl", withExtension: nil) else { return [] }
        let data = try Data(contentsOf: url)
        var documents: [(id: String, text: String, gold: [Gold])] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let value = try JSONParser.parse(Array(line))
            guard let text = value["text"]?.stringValue, let id = value["id"]?.stringValue else { continue }
            let gold = (value["mentions"]?.arrayValue ?? []).compactMap { m -> Gold? in
                guard let start = m["start"]?.numberValue, let end = m["end"]?.numberValue, let lat = m["lat"]?.numberValue,
                      let lon = m["lon"]?.numberValue else { return nil }
                return Gold(start: Int(start), end: Int(end), text: m["text"]?.stringValue ?? "", lat: lat, lon: lon)
            }
            documents.append((id, text, gold))
        }
        return documents
    }

    @Test("precision, recall and acc@161 stay above their floors")
    func floors() throws {
        let documents = try Self.load()
        try #require(documents.count >= 36, "the evaluation set has \(documents.count) reports")
        var predicted = 0, correct = 0, gold = 0, found = 0, resolved = 0, within = 0
        for d in documents {
            let mentions = sharedParser.parse(d.text).mentions
            let scalars = Array(d.text.unicodeScalars)
            for m in mentions {
                #expect(String(String.UnicodeScalarView(scalars[m.start..<m.end])) == m.text, "\(d.id): offsets of \(m.text)")
            }
            predicted += mentions.count
            correct += mentions.filter { m in d.gold.contains { $0.start < m.end && m.start < $0.end } }.count
            for g in d.gold {
                gold += 1
                let overlapping = mentions.filter { g.start < $0.end && $0.start < g.end }
                guard let m = overlapping.max(by: { min(g.end, $0.end) - max(g.start, $0.start) < min(g.end, $1.end) - max(g.start, $1.start) }) else { continue }
                found += 1
                guard let p = m.position else { continue }
                resolved += 1
                let metres = try Geodesic.wgs84.distanceMeters(from: p, to: Position(longitude: g.lon, latitude: g.lat))
                if metres <= 161_000 { within += 1 }
            }
        }
        let precision = Double(correct) / Double(max(1, predicted))
        let recall = Double(found) / Double(max(1, gold))
        let acc = Double(within) / Double(max(1, resolved))
        print("evaluation set: \(documents.count) reports, \(gold) mentions: precision \(precision), recall \(recall), acc@161 \(acc)")
        #expect(precision >= Self.floors.precision)
        #expect(recall >= Self.floors.recall)
        #expect(acc >= Self.floors.acc161)
    }
}
