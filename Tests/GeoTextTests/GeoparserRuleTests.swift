import Foundation
import GeoGazetteer
import GeoText
import Testing

/// The bundled gazetteer, loaded once for all tests.
let sharedGazetteer: Gazetteer = try! Gazetteer.load(userDirectory: nil)
let sharedParser = Geoparser(gazetteer: sharedGazetteer)

func parse(_ text: String, hints: [String] = []) -> [PlaceMention] {
    sharedParser.parse(text, options: GeoparseOptions(countryHints: hints)).mentions
}
