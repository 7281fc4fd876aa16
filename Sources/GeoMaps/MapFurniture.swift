import Foundation
import GeoCore

/// Where the legend and the scale bar go, and what they say.
struct MapFurniture {
    var legend: MapLegend
    var legendRect: MapRect
    var bar: (meters: Double, pixels: Double)
    var barLeft: Double
    var barRect: MapRect
    /// Degrees clockwise from up of north at the centre.
    var north: Double

    static let margin = 10.0

    /// Boxes that labels and the graticule's degrees must keep clear of.
    var boxes: [MapRect] { legend.isEmpty ? [barRect] : [barRect, legendRect] }
}

extension MapRenderer {
    /// The legend goes to the corner of the map where it hides fewest markers and lines; the
    /// scale bar (about 18 % of the width, a round length true at the centre) to the bottom
    /// left, or the bottom right when the legend is there.
    func layoutFurniture(_ scene: MapScene, overlays: MapOverlayResult) throws -> MapFurniture {
        let frame = scene.frame, margin = MapFurniture.margin
        let legend = legend(scene, overlays: overlays)
        let (lw, lh) = legend.size
        let corners: [(name: String, x: Double, y: Double)] = [
            ("top-right", frame.right - margin - lw, frame.top + margin + 14),
            ("bottom-right", frame.right - margin - lw, frame.bottom - margin - lh),
            ("top-left", frame.left + margin + 34, frame.top + margin + 14),
            ("bottom-left", frame.left + margin, frame.bottom - margin - 46 - lh),
        ]
        func crowding(_ r: MapRect) -> Int {
            var k = 0
            for (e, radius) in zip(scene.events, scene.radii) where e.x + radius > r.minX && e.x - radius < r.maxX && e.y + radius > r.minY && e.y - radius < r.maxY {
                k += 1
            }
            for s in scene.shapes where s.kind != .hull {
                var hit = false
                s.pixels.forEachPosition { if r.contains(x: $0.x, y: $0.y) { hit = true } }
                if hit { k += 1 }
            }
            return k
        }
        let crowd = corners.map { crowding(MapRect(x: $0.x, y: $0.y, width: lw, height: lh)) }
        let best = crowd.indices.min { crowd[$0] < crowd[$1] }!
        let corner = corners[best]
        let bar = try frame.scaleBar(aboutPixels: 0.18 * frame.width)
        let barLeft = corner.name == "bottom-left" && !legend.isEmpty ? frame.right - margin - bar.pixels - 40 : frame.left + margin + 14
        return MapFurniture(
            legend: legend, legendRect: MapRect(x: corner.x, y: corner.y, width: lw, height: lh), bar: bar, barLeft: barLeft,
            barRect: MapRect(x: barLeft - 10, y: frame.bottom - margin - 38, width: bar.pixels + 40, height: 38),
            north: try frame.northAngleAtCenter())
    }

    /// The map's frame line, the scale bar, a north arrow when north is not straight up at the
    /// centre, and the legend.
    func drawFurniture(into svg: inout SVGDocument, _ scene: MapScene, _ f: MapFurniture) {
        let n = MapStyle.number, frame = scene.frame
        svg.element("rect", [("x", n(frame.left + 0.5)), ("y", n(frame.top + 0.5)), ("width", n(frame.width - 1)), ("height", n(frame.height - 1)),
                             ("fill", "none"), ("stroke", "#777777"), ("stroke-width", "1")])
        drawScaleBar(into: &svg, x: f.barLeft, bottom: frame.bottom - MapFurniture.margin, bar: f.bar)
        if abs(f.north) > 1 {
            drawNorthArrow(into: &svg, x: f.barLeft + f.bar.pixels + 50, y: frame.bottom - MapFurniture.margin - 22, angle: f.north)
        }
        if !f.legend.isEmpty { f.legend.draw(into: &svg, x: f.legendRect.minX, y: f.legendRect.minY) }
    }

    /// Title and subtitle above the map; sources and projection below it.
    func drawHeaderAndFooter(into svg: inout SVGDocument, _ scene: MapScene, title: String, outside: Int) {
        let n = MapStyle.number
        let font = ("font-family", MapStyle.fontFamily)
        svg.element("text", [("x", "16"), ("y", "31"), font, ("font-size", "22"), ("font-weight", "bold"), ("fill", MapStyle.ink)], text: title)
        svg.element("text", [("x", "16"), ("y", "54"), font, ("font-size", "13"), ("fill", MapStyle.mutedInk)], text: subtitle(scene, outside: outside))
        let y = scene.frame.bottom + 17
        let small = [font, ("font-size", n(MapStyle.minimumFontSize)), ("fill", MapStyle.mutedInk)]
        svg.element("text", [("x", "16"), ("y", n(y))] + small, text: MapStyle.attribution)
        svg.element("text", [("x", "16"), ("y", n(y + 16))] + small,
                    text: "Projection: \(scene.frame.projectionName); scale bar true at the map's centre (WGS84 geodesic). Made with geo.")
    }

    /// "151 events from 2019-12-27 to 2024-10-01 · border corridor IQ-SY ±25 km · 202 attack →
    /// response pairs · 14 cluster areas · 3 outside the extent not drawn".
    func subtitle(_ scene: MapScene, outside: Int) -> String {
        let events = scene.events
        var parts: [String] = ["\(events.count) event\(events.count == 1 ? "" : "s")"]
        let starts = events.map(\.startSeconds).filter(\.isFinite), ends = events.map(\.endSeconds).filter(\.isFinite)
        if let first = starts.min(), let last = ends.max() {
            let a = UTCCalendar.isoDate(daysSinceEpoch: UTCCalendar.day(containingSeconds: first))
            let b = UTCCalendar.isoDate(daysSinceEpoch: UTCCalendar.day(containingSeconds: max(first, last - 1)))
            parts[0] += a == b ? " on \(a)" : " from \(a) to \(b)"
        }
        if let corridor = scene.shapes(.corridor).first {
            let border = corridor.properties["border"]?.stringValue ?? ""
            let km = corridor.properties["width_km"]?.numberValue.map { " ±" + Format.shortest($0) + " km" } ?? ""
            parts.append("border corridor \(border)\(km)")
        }
        let pairs = scene.shapes(.pair).count
        if pairs > 0 { parts.append("\(pairs) attack → response pair\(pairs == 1 ? "" : "s")") }
        let hulls = scene.shapes(.hull).count
        if hulls > 0 { parts.append("\(hulls) cluster area\(hulls == 1 ? "" : "s")") }
        if outside > 0 { parts.append("\(outside) outside the extent not drawn") }
        return parts.joined(separator: " · ")
    }

    /// Sections for what is drawn: sides (with counts), event types (when more than circles),
    /// fatalities (none and up to three round counts), then the other layers and symbols.
    func legend(_ scene: MapScene, overlays: MapOverlayResult) -> MapLegend {
        var sections: [MapLegendSection] = []
        let scale = scene.scale, events = scene.events
        let r = scale.base + 1.5
        if !scene.sides.isEmpty {
            sections.append(MapLegendSection(title: "Actor side", rows: scene.sides.map {
                (.marker(.circle, fill: scene.color($0.side), stroke: "#ffffff", radius: r, hollow: false), "\($0.side) (\($0.count))")
            }))
        }
        if scene.types.count > 1 || scene.types.keys.contains(where: { MapStyle.shape(forEventType: $0) != .circle }) {
            let sorted = scene.types.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            sections.append(MapLegendSection(title: "Event type", rows: sorted.map {
                (.marker(MapStyle.shape(forEventType: $0.key), fill: "#6b6b6b", stroke: "#ffffff", radius: r, hollow: false), "\($0.key) (\($0.value))")
            }))
        }
        let maxDeaths = events.map(\.fatalities).filter(\.isFinite).max() ?? 0
        if maxDeaths > 0 {
            var steps = [5.0, 10, 25, 50, scale.cap].filter { $0 <= max(maxDeaths, 5) }
            if steps.count > 3 { steps = [steps[0], steps[steps.count / 2], steps[steps.count - 1]] }
            sections.append(MapLegendSection(title: "Fatalities (area)", rows: ([0] + steps).map { f in
                (.marker(.circle, fill: "#bdbdbd", stroke: "#6b6b6b", radius: scale.radius(fatalities: f), hollow: false),
                 f == scale.cap ? "\(Int(f)) or more" : "\(Int(f))")
            }))
        }
        var other: [(MapLegendSymbol, String)] = []
        if events.contains(where: \.isApproximate) {
            other.append((.marker(.circle, fill: "#555555", stroke: "#ffffff", radius: r, hollow: true), "Approximate place (geo precision 3)"))
        }
        if let border = scene.shapes(.border).first {
            let name = border.properties["countries"]?.stringValue ?? border.properties["border"]?.stringValue ?? ""
            other.append((.line(stroke: MapStyle.borderLine, width: 2.4, dash: "10 3 2 3", casing: true), "Border \(name)"))
        }
        if let corridor = scene.shapes(.corridor).first {
            let km = corridor.properties["width_km"]?.numberValue.map { " (±\(Format.shortest($0)) km)" } ?? ""
            other.append((.band(fill: MapStyle.corridorFill, stroke: MapStyle.corridorStroke), "Border corridor\(km)"))
        }
        if !scene.shapes(.hull).isEmpty { other.append((.hull, "Cluster area")) }
        if overlays.pairArrows > 0 {
            other.append((.arrow, overlays.pairCurves.count <= 30 ? "Attack → response (lag)" : "Attack → response (wider: more pairs)"))
        }
        if overlays.nearLinks > 0 { other.append((.line(stroke: MapStyle.nearLink, width: 1, dash: "2 2", casing: false), "To the nearest site")) }
        if options.labels {
            other.append((.placeDot, "Town or city (GeoNames)"))
            other.append((.siteSquare, "Base, crossing or other site"))
        }
        if !other.isEmpty { sections.append(MapLegendSection(title: "Map", rows: other)) }
        return MapLegend(sections: sections, note: options.labels ? "Label (n): events drawn at that place" : nil)
    }

    /// Two halves, black and white, labelled 0, half and the whole length.
    private func drawScaleBar(into svg: inout SVGDocument, x: Double, bottom: Double, bar: (meters: Double, pixels: Double)) {
        let n = MapStyle.number
        let y = bottom - 12
        let km = bar.meters / 1000
        let unit = km >= 1 ? " km" : " m"
        let value = km >= 1 ? km : bar.meters
        svg.open("g", [("class", "scale-bar"), ("font-family", MapStyle.fontFamily), ("font-size", n(MapStyle.minimumFontSize)), ("fill", MapStyle.ink),
                       ("data-meters", n(bar.meters)), ("data-pixels", n(bar.pixels))])
        svg.element("rect", [("x", n(x - 8)), ("y", n(y - 24)), ("width", n(bar.pixels + 16 + MapStyle.textWidth(unit, size: 11))), ("height", "34"), ("rx", "3"),
                             ("fill", "#ffffff"), ("fill-opacity", "0.85")])
        svg.element("rect", [("x", n(x)), ("y", n(y - 5)), ("width", n(bar.pixels / 2)), ("height", "5"), ("fill", MapStyle.ink)])
        svg.element("rect", [("x", n(x + bar.pixels / 2)), ("y", n(y - 5)), ("width", n(bar.pixels / 2)), ("height", "5"), ("fill", "#ffffff"),
                             ("stroke", MapStyle.ink), ("stroke-width", "0.8")])
        svg.element("rect", [("x", n(x)), ("y", n(y - 5)), ("width", n(bar.pixels)), ("height", "5"), ("fill", "none"), ("stroke", MapStyle.ink), ("stroke-width", "0.8")])
        svg.element("text", [("x", n(x)), ("y", n(y - 9)), ("text-anchor", "middle")], text: "0")
        svg.element("text", [("x", n(x + bar.pixels / 2)), ("y", n(y - 9)), ("text-anchor", "middle")], text: Format.shortest(value / 2))
        svg.element("text", [("x", n(x + bar.pixels)), ("y", n(y - 9)), ("text-anchor", "middle")], text: Format.shortest(value) + unit)
        svg.close("g")
    }

    private func drawNorthArrow(into svg: inout SVGDocument, x: Double, y: Double, angle: Double) {
        let n = MapStyle.number
        svg.open("g", [("class", "north-arrow"), ("transform", "rotate(\(n(angle)) \(n(x)) \(n(y)))")])
        svg.element("path", [("d", "M\(n(x)) \(n(y - 14))L\(n(x + 6)) \(n(y + 8))L\(n(x)) \(n(y + 4))L\(n(x - 6)) \(n(y + 8))Z"), ("fill", MapStyle.ink)])
        svg.element("text", [("x", n(x)), ("y", n(y - 17)), ("text-anchor", "middle"), ("font-family", MapStyle.fontFamily), ("font-size", "12"),
                             ("font-weight", "bold"), ("fill", MapStyle.ink)], text: "N")
        svg.close("g")
    }
}
