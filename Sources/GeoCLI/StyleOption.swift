import ArgumentParser
import GeoCore
import GeoEvents

/// `--style`, shared by the analyses that write GeoJSON layers: simplestyle-spec properties in
/// `geo map`'s colours (`SimpleStyle`), so geojson.io and GitHub draw what the map draws.
struct StyleOption: ParsableArguments {
    @Flag(help: "Add simplestyle-spec properties (marker-color by actor_side, marker-size by fatalities, stroke, fill) in geo map's colours.")
    var style = false

    /// The style for `layer`'s sides (their colours) with `--style`; nil without.
    func simpleStyle(for layer: EventLayer) throws -> SimpleStyle? {
        guard style else { return nil }
        let sides = try layer.strings(of: "actor_side")
        var counts: [String: Int] = [:]
        for i in 0..<sides.codes.count { counts[sides[i] ?? "", default: 0] += 1 }
        return SimpleStyle(sideCounts: counts)
    }

    /// `simpleStyle(for:)` for features on their way out, nil without `--style`: they are then
    /// written as they are, without a closure call (and a copy) per feature. Styled, copied
    /// text stays text (`SimpleStyle.apply(_: OutgoingFeature)`).
    func outgoingStyler(for layer: EventLayer) throws -> ((OutgoingFeature) -> OutgoingFeature)? {
        guard let simpleStyle = try simpleStyle(for: layer) else { return nil }
        return { simpleStyle.apply($0) }
    }
}
