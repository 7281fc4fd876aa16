import Foundation
import GeoCore
import OrderedCollections

/// The colours every picture and file of geo shares: `geo map`, `geo timeline`, the
/// simplestyle properties of `--style` and the QGIS styles of `--qml` all take them from here,
/// so a side has one colour everywhere.
public enum SideColors {
    /// Okabe & Ito's colour-blind-safe palette, by `actor_side`; sides not named here take the
    /// colours left over in order of frequency, `unknown` and a missing side are grey.
    public static let fixed: [(side: String, color: String)] = [
        ("US", "#0072B2"),  // blue
        ("militia", "#D55E00"),  // vermillion
        ("Iran", "#CC79A7"),  // reddish purple
        ("coalition", "#56B4E9"),  // sky blue
        ("IS", "#000000"),  // black
        ("SDF", "#009E73"),  // bluish green
        ("Iraq", "#E69F00"),  // orange
        ("Syria", "#F0E442"),  // yellow
    ]
    public static let okabeIto = ["#0072B2", "#D55E00", "#CC79A7", "#56B4E9", "#009E73", "#E69F00", "#000000", "#F0E442"]
    /// `unknown` and a missing side.
    public static let unknown = "#8c8c8c"
    /// Sides past the eighth.
    public static let other = "#5f5f5f"

    /// Sides by number of events, most first (ties by name): the order colours are handed out in.
    public static func ordered(_ counts: [String: Int]) -> [(side: String, count: Int)] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Colours for the sides present, most frequent first: fixed colours for the known sides,
    /// the rest of the palette for others.
    public static func assign(counts: [(String, Int)]) -> [String: String] {
        var result: [String: String] = [:]
        var used = Set<String>()
        for (side, _) in counts {
            if let fixed = fixed.first(where: { $0.side.lowercased() == side.lowercased() }) {
                result[side] = fixed.color
                used.insert(fixed.color)
            }
        }
        var spare = okabeIto.filter { !used.contains($0) }
        for (side, _) in counts where result[side] == nil {
            if side.isEmpty || side.lowercased() == "unknown" {
                result[side] = unknown
            } else if !spare.isEmpty {
                result[side] = spare.removeFirst()
            } else {
                result[side] = other
            }
        }
        return result
    }
}

/// Colours and widths of the analyses' lines and polygons, as `geo map` draws them.
public enum OverlayColors {
    public static let corridorFill = "#f2cf5b"
    public static let corridorFillOpacity = 0.42
    public static let corridorStroke = "#b8901a"
    public static let borderLine = "#1f1f1f"
    public static let borderWidth = 2.4
    public static let clusterStroke = "#4d4d4d"
    public static let clusterFillOpacity = 0.1
    public static let pairStroke = "#333333"
    public static let nearLink = "#555555"
}

/// simplestyle-spec 1.1.0 properties (`marker-color`, `marker-size`, `stroke`, `stroke-width`,
/// `fill`, `fill-opacity`), which geojson.io, GitHub and many web maps draw, in `geo map`'s
/// colours: events by `actor_side` and sized by `fatalities`, cluster areas, the corridor band
/// and its border, attack → response links.
public struct SimpleStyle: Sendable {
    /// Colour by `actor_side` (`SideColors.assign` over the events written).
    public var sideColors: [String: String]

    /// The colours for events with these sides (`actor_side` → number of events; missing as "").
    public init(sideCounts: [String: Int]) {
        sideColors = SideColors.assign(counts: SideColors.ordered(sideCounts).map { ($0.side, $0.count) })
    }

    /// `small` without deaths (or unknown), `medium` for 1–9, `large` for 10 or more.
    public static func markerSize(fatalities: Double?) -> String {
        guard let f = fatalities, f >= 1 else { return "small" }
        return f < 10 ? "medium" : "large"
    }

    /// The feature with the properties for what it is (its `layer`, else its geometry);
    /// properties already there are replaced.
    public func apply(_ feature: Feature) -> Feature {
        var p = feature.properties ?? [:]
        func set(_ key: String, _ value: JSONValue) { p[key] = value }
        switch (p["layer"]?.stringValue, feature.geometry) {
        case ("clusters", _):
            set("stroke", .string(OverlayColors.clusterStroke)); set("stroke-width", .double(1.2))
            set("fill", .string(OverlayColors.clusterStroke)); set("fill-opacity", .double(OverlayColors.clusterFillOpacity))
        case ("corridor", _):
            set("stroke", .string(OverlayColors.corridorStroke)); set("stroke-width", .double(0.9))
            set("fill", .string(OverlayColors.corridorFill)); set("fill-opacity", .double(OverlayColors.corridorFillOpacity))
        case ("border", _):
            set("stroke", .string(OverlayColors.borderLine)); set("stroke-width", .double(OverlayColors.borderWidth))
        case ("pairs", _):
            set("stroke", .string(OverlayColors.pairStroke)); set("stroke-width", .double(1.5))
        case (_, .point?), (_, .multiPoint?):
            let side = p["actor_side"]?.stringValue ?? ""
            set("marker-color", .string(sideColors[side] ?? SideColors.unknown))
            set("marker-size", .string(Self.markerSize(fatalities: p["fatalities"]?.numberValue)))
        case (_, .lineString?), (_, .multiLineString?):
            set("stroke", .string(OverlayColors.nearLink)); set("stroke-width", .double(1.5))
        default:
            return feature
        }
        var copy = feature
        copy.properties = p
        return copy
    }
}

extension SimpleStyle {
    /// `apply` of a feature on its way out. A Point's text stays text, the marker members
    /// written after its added ones as `apply` sets them, when nothing in it could make `apply`
    /// do otherwise (`markers`); any other feature is decoded and `apply`d.
    public func apply(_ outgoing: OutgoingFeature) -> OutgoingFeature {
        switch outgoing {
        case .feature(let feature):
            return .feature(apply(feature))
        case .pointText(var text):
            guard let properties = text.propertiesText, let markers = markers(properties, added: text.added, inserted: text.inserted?.name) else {
                return .feature(apply(outgoing.feature))
            }
            text.added = .followed(text.added, by: markers)
            return .pointText(text)
        case .ownedText(var owned):
            guard let markers = owned.propertiesText.withUnsafeBytes({ markers($0, added: owned.added, inserted: nil) }) else {
                return .feature(apply(outgoing.feature))
            }
            owned.added = .followed(owned.added, by: markers)
            if let make = owned.makeFeature { owned.makeFeature = { [self] in apply(make()) } }
            return .ownedText(owned)
        }
    }

    /// The members `apply` sets on an event Point with this properties text (compact, `{…}`)
    /// and these added properties: `marker-color` by its `actor_side`, `marker-size` by its
    /// `fatalities`. Nil when the text is not one to read by its bytes (a name with an escape:
    /// `PointFeatureText.forEachMember`), when a `marker-color` or `marker-size` member is there already
    /// (`apply` replaces it in place), when a `layer` names an area or a line (`apply` styles
    /// the feature as one), when `actor_side`, `fatalities` or `layer` is inserted (or one of
    /// the first two added), or when one of these is named twice in the text.
    func markers(_ text: UnsafeRawBufferPointer, added: AddedProperties, inserted: String?) -> [(String, JSONValue)]? {
        for name in Self.readNames where added.has(name) || inserted == name { return nil }
        if inserted == EventLayer.layerProperty { return nil }
        // The members read, each once at most: `layer`, `actor_side`, `fatalities`; a marker member.
        var found: [UnsafeRawBufferPointer?] = [nil, nil, nil]
        var usable = true
        let read = PointFeatureText.forEachMember(in: text) { name, value in
            guard usable, let k = Self.memberNumber(name) else { return }
            if k >= found.count || found[k] != nil { usable = false } else { found[k] = value }
        }
        guard read, usable else { return nil }
        /// A string value's text without its quotes (parsed when it has an escape); nil for any
        /// other value.
        func string(_ value: UnsafeRawBufferPointer?) -> String? {
            guard let value, value.count >= 2, value[0] == UInt8(ascii: "\"") else { return nil }
            let inner = UnsafeRawBufferPointer(rebasing: value[1..<(value.count - 1)])
            guard !inner.contains(UInt8(ascii: "\\")) else { return (try? JSONParser.parse(buffer: value))?.stringValue }
            return String(decoding: inner, as: UTF8.self)
        }
        // A `layer` that names an area or a line (`apply` styles the feature as one), added or
        // in the text: left to `apply`.
        let layer = added.has(EventLayer.layerProperty) ? added.values.first { $0.0 == EventLayer.layerProperty }?.1.stringValue : string(found[0])
        if let layer, Self.areaLayers.contains(layer) { return nil }
        var count: Double?
        if let value = found[2], let first = value.first, first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) {
            count = (try? JSONParser.parse(buffer: value))?.numberValue
        }
        return [("marker-color", .string(sideColors[string(found[1]) ?? ""] ?? SideColors.unknown)),
                ("marker-size", .string(Self.markerSize(fatalities: count)))]
    }

    /// Which of `memberNames` a member's name is (its index), by its length and then its bytes
    /// (static text: no array shared by the threads is touched for every member).
    @inline(__always)
    static func memberNumber(_ name: UnsafeRawBufferPointer) -> Int? {
        func equals(_ known: StaticString) -> Bool { memcmp(known.utf8Start, name.baseAddress!, name.count) == 0 }
        switch name.count {
        case 5: return equals("layer") ? 0 : nil  // EventLayer.layerProperty
        case 10: return equals("actor_side") ? 1 : equals("fatalities") ? 2 : nil
        case 12: return equals("marker-color") ? 3 : nil
        case 11: return equals("marker-size") ? 4 : nil
        default: return nil
        }
    }

    /// The members `markers` reads, which must be the text's own.
    private static let readNames = ["marker-color", "marker-size", "actor_side", "fatalities"]
    /// The members `markers` looks for (`memberNumber`): the three it reads, then the two that
    /// must be absent.
    static let memberNames = [EventLayer.layerProperty, "actor_side", "fatalities", "marker-color", "marker-size"]
    /// The `layer`s `apply` styles as areas and lines.
    private static let areaLayers: Set<String> = ["clusters", "corridor", "border", "pairs"]
}
