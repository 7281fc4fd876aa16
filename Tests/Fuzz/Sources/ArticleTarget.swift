// The article target: news-report text through the reader `geo extract` uses.
import GeoCore
import GeoEvents
import GeoExtract
import GeoGazetteer
import GeoText

nonisolated(unsafe) private var extractor: ReportExtractor?

/// `TextInput.decode` then `ReportExtractor.extract`, as `geo extract` reads one report: the bytes
/// are decoded (binary refused, invalid UTF-8 repaired), then extracted with and without a given
/// publication date. Every evidence span and reject lies within the text; every placed event lies
/// at a real latitude / longitude.
let articleTarget = FuzzTarget(name: "article", summary: "TextInput.decode, then ReportExtractor.extract (with and without --published)", setUp: {
    do { extractor = try ReportExtractor(gazetteer: try Gazetteer.load(userDirectory: nil)) } catch {
        fatalError("geo-fuzz article: cannot load the gazetteer and vocabularies: \(error)")
    }
}) { bytes in
    guard let decoded = try? TextInput.decode(bytes) else { return }
    let text = decoded.text
    let scalars = text.unicodeScalars.count
    for published in [nil, EventDate(year: 2024, month: 3, day: 1)] {
        let result = extractor!.extract(text: text, document: "fuzz.txt", published: published)
        for r in result.rejects {
            require(0 <= r.start && r.start <= r.end && r.end <= scalars, "reject span \(r.start)–\(r.end) outside the text (\(scalars) scalars)")
        }
        for x in result.explanations {
            require(0 <= x.start && x.start <= x.end && x.end <= scalars, "explanation span \(x.start)–\(x.end) outside the text (\(scalars) scalars)")
        }
        for e in result.events {
            if let lat = e.latitude, let lon = e.longitude {
                require(lat.isFinite && abs(lat) <= 90 && lon.isFinite && abs(lon) <= 180, "event placed at \(lat), \(lon)")
            }
        }
        _ = ReportDeduplicator.merge(result.events)
    }
}
