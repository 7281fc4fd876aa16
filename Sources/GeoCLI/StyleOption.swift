import ArgumentParser
import GeoCore
import GeoEvents

/// `--style`, shared by the analyses that write GeoJSON layers: simplestyle-spec properties in
/// `geo map`'s colours (`SimpleStyle`), so geojson.io and GitHub draw what the map draws.
struct StyleOption: ParsableArguments {
    @Flag(help: "Add simplestyle-spec properties (marker-color by actor_side, marker-size by fatalities, stroke, fill) in geo map's colours.")
    var style = false

    /// What to do to each feature before it is written: the style for `layer`'s sides, or nothing.
    func styler(for layer: EventLayer) throws -> (Feature) -> Feature {
        guard style else { return { $0 } }
        return try simpleStyle(for: layer).apply
    }

    /// The colours of `layer`'s sides.
    func simpleStyle(for layer: EventLayer) throws -> SimpleStyle {
        let sides = try layer.strings(of: "actor_side")
        var counts: [String: Int] = [:]
        for i in 0..<sides.codes.count { counts[sides[i] ?? "", default: 0] += 1 }
        return SimpleStyle(sideCounts: counts)
    }

    /// `styler(for:)` for features on their way out, nil without `--style`: they are then written
    /// as they are, without a closure call (and a copy) per feature. Styled, copied text stays
    /// text (`SimpleStyle.apply(_: OutgoingFeature)`).
    func outgoingStyler(for layer: EventLayer) throws -> ((OutgoingFeature) -> OutgoingFeature)? {
        guard style else { return nil }
        let simpleStyle = try simpleStyle(for: layer)
        return { simpleStyle.apply($0) }
    }
}
