import Foundation
import GeoCore
import GeoEvents

/// How a map looks: colours, marker shapes and sizes, fonts. Pixels are those of the SVG
/// canvas (1200 px wide by default); no text is smaller than `MapStyle.minimumFontSize`.
public enum MapStyle {
    /// The smallest text drawn, pixels at a 1200 px canvas: readable on A4 and on a phone.
    public static let minimumFontSize = 11.0

    /// A number as the map writes it: at most two decimals, trailing zeros trimmed.
    static func number(_ value: Double) -> String { Format.trimmed(value, 2) }

    static let fontFamily = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"

    /// Average advance of a character, in ems, for collision boxes (Liberation Sans/Arial run
    /// about 0.5 em for lower case; a little more keeps boxes on the safe side).
    static let characterWidth = 0.56

    /// Width in pixels of `text` at `size`, estimated.
    static func textWidth(_ text: String, size: Double, bold: Bool = false, letterSpacing: Double = 0) -> Double {
        var ems = 0.0
        for c in text.unicodeScalars {
            switch c.value {
            case 0x20, 0x2C, 0x2E, 0x3A, 0x3B, 0x27, 0x2D, 0x69, 0x6C, 0x6A, 0x49, 0x28, 0x29: ems += 0.3  // space , . : ; ' - i l j I ( )
            case 0x41...0x5A, 0x6D, 0x77, 0x57: ems += 0.68  // capitals, m, w
            default: ems += characterWidth
            }
        }
        let spacing = letterSpacing * Double(max(0, text.unicodeScalars.count - 1))
        return ems * size * (bold ? 1.08 : 1) + spacing
    }

    // MARK: Basemap

    static let sea = "#d9e6ee"
    /// Muted land fills: light for the countries where events are, darker around them; within
    /// each group, countries that touch differ.
    static let focusFills = ["#f6f3ec", "#ede6d5", "#f1ece0"]
    static let otherFills = ["#dcd8ce", "#d3cec2", "#e0dbd0", "#d8d3c6"]
    static let countryOutline = "#9c968b"
    static let countryLabel = "#8a8273"
    static let graticule = "#8fa3b0"
    static let halo = "#ffffff"
    static let ink = "#222222"
    static let mutedInk = "#4a4a4a"

    // MARK: Events

    /// The side colours every picture and file shares (`SideColors`, in GeoEvents).
    static var sideColors: [(side: String, color: String)] { SideColors.fixed }
    static let unknownSide = SideColors.unknown

    /// Colours for the sides present, most frequent first (`SideColors.assign`).
    static func sideColors(counts: [(String, Int)]) -> [String: String] { SideColors.assign(counts: counts) }

    /// Marker shapes, one per ACLED event type; all of the same area for the same radius.
    enum Shape: String, CaseIterable, Sendable {
        case circle, square, triangle, diamond, invertedTriangle, pentagon
    }

    static func shape(forEventType type: String) -> Shape {
        switch type.lowercased() {
        case "explosions/remote violence": .circle
        case "battles": .square
        case "violence against civilians": .triangle
        case "strategic developments": .diamond
        case "protests": .invertedTriangle
        case "riots": .pentagon
        default: .circle
        }
    }

    /// Marker radii by the number of events drawn: smaller and lighter as they crowd.
    struct MarkerScale: Sendable {
        /// Radius of an event without deaths.
        var base: Double
        /// Radius at `cap` deaths or more.
        var largest: Double
        var cap: Double = 100
        var opacity: Double
        var outline: Double

        init(eventCount: Int) {
            switch eventCount {
            case ..<1_500: (base, largest, opacity, outline) = (5, 19, 0.9, 0.9)
            case ..<15_000: (base, largest, opacity, outline) = (3, 12, 0.8, 0.5)
            default: (base, largest, opacity, outline) = (1.8, 8, 0.6, 0)
            }
        }

        /// Area grows with the conservative count of deaths, capped; unknown counts as none.
        func radius(fatalities: Double) -> Double {
            let f = fatalities.isFinite ? min(max(fatalities, 0), cap) : 0
            return (base * base + (largest * largest - base * base) * f / cap).squareRoot()
        }
    }

    /// An SVG path of `shape` around (x, y), with the area of a circle of radius `r`.
    static func markerPath(_ shape: Shape, x: Double, y: Double, r: Double, number: (Double) -> String) -> String {
        func polygon(_ points: [(Double, Double)]) -> String {
            var d = ""
            for (i, p) in points.enumerated() { d += (i == 0 ? "M" : "L") + number(x + p.0) + " " + number(y + p.1) }
            return d + "Z"
        }
        let area = Double.pi * r * r
        switch shape {
        case .circle:
            return "M\(number(x - r)) \(number(y))a\(number(r)) \(number(r)) 0 1 0 \(number(2 * r)) 0a\(number(r)) \(number(r)) 0 1 0 \(number(-2 * r)) 0Z"
        case .square:
            let h = area.squareRoot() / 2
            return polygon([(-h, -h), (h, -h), (h, h), (-h, h)])
        case .diamond:
            let h = (area / 2).squareRoot()
            return polygon([(0, -h), (h, 0), (0, h), (-h, 0)])
        case .triangle, .invertedTriangle:
            // Equilateral, centred on its centroid.
            let side = (4 * area / 3.0.squareRoot()).squareRoot()
            let height = side * 3.0.squareRoot() / 2
            let s = shape == .triangle ? 1.0 : -1.0
            return polygon([(0, -s * height * 2 / 3), (side / 2, s * height / 3), (-side / 2, s * height / 3)])
        case .pentagon:
            let R = (area / (2.5 * sin(2 * Double.pi / 5))).squareRoot()
            return polygon((0..<5).map { k in
                let a = -Double.pi / 2 + Double(k) * 2 * Double.pi / 5
                return (R * cos(a), R * sin(a))
            })
        }
    }

    // MARK: Overlays

    static let corridorFill = OverlayColors.corridorFill
    static let corridorStroke = OverlayColors.corridorStroke
    static let borderLine = OverlayColors.borderLine
    static let clusterStroke = OverlayColors.clusterStroke
    static let pairStroke = OverlayColors.pairStroke
    static let nearLink = OverlayColors.nearLink

    // MARK: Attribution

    /// The basemap's sources as `Gazetteer/README.md` credits them: Natural Earth (public
    /// domain) for the country polygons, GeoNames (CC BY 4.0) for the places.
    static let attribution = "Country outlines: Natural Earth (public domain) · Places: GeoNames (CC BY 4.0) · Sites: geo's curated list"
}
