import Foundation

/// What a legend row shows beside its text.
enum MapLegendSymbol {
    case marker(MapStyle.Shape, fill: String, stroke: String, radius: Double, hollow: Bool)
    case line(stroke: String, width: Double, dash: String?, casing: Bool)
    case band(fill: String, stroke: String)
    case hull
    case arrow
    case placeDot
    case siteSquare
}

struct MapLegendSection {
    var title: String
    var rows: [(symbol: MapLegendSymbol, text: String)]
}

/// The legend: sections of rows, a box sized to its text, drawn at a corner of the map.
struct MapLegend {
    var sections: [MapLegendSection]
    var note: String?

    static let padding = 10.0
    static let titleSize = 12.5
    static let textSize = 12.0
    static let rowHeight = 19.0

    private var symbolWidth: Double {
        var w = 28.0
        for s in sections { for r in s.rows { if case .marker(_, _, _, let radius, _) = r.symbol { w = max(w, 2 * radius + 4) } } }
        return w
    }

    private func rowHeight(_ symbol: MapLegendSymbol) -> Double {
        if case .marker(_, _, _, let r, _) = symbol { return max(Self.rowHeight, 2 * r + 5) }
        return Self.rowHeight
    }

    var size: (width: Double, height: Double) {
        var w = 0.0, h = Self.padding
        for s in sections {
            w = max(w, MapStyle.textWidth(s.title, size: Self.titleSize, bold: true))
            h += Self.titleSize + 7
            for r in s.rows {
                w = max(w, symbolWidth + 6 + MapStyle.textWidth(r.text, size: Self.textSize))
                h += rowHeight(r.symbol)
            }
            h += 6
        }
        if let note {
            w = max(w, MapStyle.textWidth(note, size: MapStyle.minimumFontSize))
            h += MapStyle.minimumFontSize + 4
        }
        return (w + 2 * Self.padding, h + Self.padding - 6)
    }

    var isEmpty: Bool { sections.allSatisfy(\.rows.isEmpty) }

    func draw(into svg: inout SVGDocument, x: Double, y: Double) {
        let (w, h) = size
        let n = MapStyle.number
        svg.open("g", [("class", "legend"), ("font-family", MapStyle.fontFamily)])
        svg.element("rect", [("x", n(x)), ("y", n(y)), ("width", n(w)), ("height", n(h)), ("rx", "4"),
                             ("fill", "#ffffff"), ("fill-opacity", "0.96"), ("stroke", "#9a9a9a"), ("stroke-width", "0.8")])
        var cy = y + Self.padding
        let sx = x + Self.padding + symbolWidth / 2, tx = x + Self.padding + symbolWidth + 6
        for s in sections where !s.rows.isEmpty {
            cy += Self.titleSize
            svg.element("text", [("x", n(x + Self.padding)), ("y", n(cy)), ("font-size", n(Self.titleSize)), ("font-weight", "bold"), ("fill", MapStyle.ink)], text: s.title)
            cy += 7
            for r in s.rows {
                let rh = rowHeight(r.symbol)
                let my = cy + rh / 2
                drawSymbol(r.symbol, into: &svg, x: sx, y: my)
                svg.element("text", [("x", n(tx)), ("y", n(my + Self.textSize * 0.35)), ("font-size", n(Self.textSize)), ("fill", MapStyle.ink)], text: r.text)
                cy += rh
            }
            cy += 6
        }
        if let note {
            svg.element("text", [("x", n(x + Self.padding)), ("y", n(cy + MapStyle.minimumFontSize - 2)), ("font-size", n(MapStyle.minimumFontSize)),
                                 ("fill", MapStyle.mutedInk)], text: note)
        }
        svg.close("g")
    }

    private func drawSymbol(_ symbol: MapLegendSymbol, into svg: inout SVGDocument, x: Double, y: Double) {
        let n = MapStyle.number
        switch symbol {
        case .marker(let shape, let fill, let stroke, let r, let hollow):
            svg.element("path", [("d", MapStyle.markerPath(shape, x: x, y: y, r: r, number: n)),
                                 ("fill", hollow ? "#ffffff" : fill), ("stroke", hollow ? fill : stroke), ("stroke-width", hollow ? "2" : "0.9")])
        case .line(let stroke, let width, let dash, let casing):
            if casing {
                svg.element("line", [("x1", n(x - 12)), ("y1", n(y)), ("x2", n(x + 12)), ("y2", n(y)), ("stroke", "#ffffff"), ("stroke-width", n(width + 2.5))])
            }
            var a = [("x1", n(x - 12)), ("y1", n(y)), ("x2", n(x + 12)), ("y2", n(y)), ("stroke", stroke), ("stroke-width", n(width))]
            if let dash { a.append(("stroke-dasharray", dash)) }
            svg.element("line", a)
        case .band(let fill, let stroke):
            svg.element("rect", [("x", n(x - 12)), ("y", n(y - 6)), ("width", "24"), ("height", "12"), ("fill", fill), ("fill-opacity", "0.45"),
                                 ("stroke", stroke), ("stroke-width", "0.8")])
        case .hull:
            svg.element("rect", [("x", n(x - 12)), ("y", n(y - 6)), ("width", "24"), ("height", "12"), ("rx", "5"), ("fill", MapStyle.clusterStroke),
                                 ("fill-opacity", "0.12"), ("stroke", MapStyle.clusterStroke), ("stroke-width", "1.1"), ("stroke-dasharray", "4 3")])
        case .arrow:
            svg.element("path", [("d", "M\(n(x - 13)) \(n(y + 3))Q\(n(x)) \(n(y - 7)) \(n(x + 11)) \(n(y + 2))"), ("fill", "none"),
                                 ("stroke", MapStyle.pairStroke), ("stroke-width", "1.3"), ("marker-end", "url(#arrow)")])
        case .placeDot:
            svg.element("circle", [("cx", n(x)), ("cy", n(y)), ("r", "2.8"), ("fill", "#3c3c3c"), ("stroke", "#ffffff"), ("stroke-width", "1")])
        case .siteSquare:
            svg.element("rect", [("x", n(x - 3.5)), ("y", n(y - 3.5)), ("width", "7"), ("height", "7"), ("fill", "#ffffff"),
                                 ("stroke", "#222222"), ("stroke-width", "1.4")])
        }
    }
}
