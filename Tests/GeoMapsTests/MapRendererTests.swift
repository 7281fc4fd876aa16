import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GeoCore
import GeoEvents
import GeoGazetteer
@testable import GeoMaps
import GeoProj
import GeoTestSupport
import Testing

/// The SVG as XML: parsing fails on a malformed document; elements with their attributes and
/// the texts of `<text>` elements are collected.
final class SVGOutline: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []
    private var inText = false
    private var current = ""
    var error: Error?

    init(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        if !parser.parse() { error = parser.parserError ?? MapError("XML parse failed") }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append((name, attributes))
        if name == "text" { inText = true; current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { inText = false; texts.append(current) }
    }

    func count(class name: String) -> Int { elements.filter { $0.attributes["class"] == name }.count }
}

let bundledGazetteer: Gazetteer = {
    do { return try Gazetteer.load(userDirectory: nil) } catch { fatalError("bundled gazetteer: \(error)") }
}()

/// Events of the sample's kinds: four sides, two event types, one approximate place, deaths.
let sampleEvents = """
    {"type":"FeatureCollection","features":[
    {"type":"Feature","geometry":{"type":"Point","coordinates":[42.4411,33.7856]},"properties":{"event_id":"E1","event_date":"2024-01-02","event_type":"Explosions/Remote violence","actor1":"Islamic Resistance in Iraq","actor_side":"militia","location":"Ain al-Asad air base","fatalities":0,"geo_precision":1,"sources":["https://example.org/a"]}},
    {"type":"Feature","geometry":{"type":"Point","coordinates":[42.4411,33.7856]},"properties":{"event_id":"E2","event_date":"2024-01-05","event_type":"Explosions/Remote violence","actor_side":"militia","location":"Ain al-Asad air base","fatalities":2,"geo_precision":1}},
    {"type":"Feature","geometry":{"type":"Point","coordinates":[40.9189,34.4536]},"properties":{"event_id":"E3","event_date":"2024-01-07","event_type":"Explosions/Remote violence","actor1":"Military Forces of the United States","actor_side":"US","location":"Albu Kamal","fatalities":25,"geo_precision":1,"notes":"</script><b>not markup</b>"}},
    {"type":"Feature","geometry":{"type":"Point","coordinates":[40.1417,35.3359]},"properties":{"event_id":"E4","event_date":"2024-01-09","event_type":"Strategic developments","actor_side":"Iran","location":"Deir ez-Zor governorate","fatalities":0,"geo_precision":3}},
    {"type":"Feature","geometry":{"type":"Point","coordinates":[44.0092,36.1911]},"properties":{"event_id":"E5","event_date":"2024-01-11","event_type":"Explosions/Remote violence","actor_side":"unknown","location":"Erbil","fatalities":1,"geo_precision":2}}
    ]}
    """

func layer(_ text: String, name: String = "events.geojson") throws -> EventLayer {
    try EventLayer.read(file: InputFile(name: name, bytes: Array(text.utf8)), source: name, options: EventLayerOptions())
}

func draw(_ text: String = sampleEvents, options: MapOptions = MapOptions(), shapes: [Feature] = []) throws -> MapDrawing {
    try MapRenderer(gazetteer: bundledGazetteer, options: options).render([MapLayerInput(name: "events.geojson", events: try layer(text), shapes: shapes)])
}

@Suite struct MapRendererTests {
    @Test func svgIsWellFormedWithOneMarkerPerEventAndALegendEntryPerSide() throws {
        let drawing = try draw()
        let svg = SVGOutline(drawing.svg)
        #expect(svg.error == nil, "\(String(describing: svg.error))")
        #expect(svg.count(class: "ev") == 5)
        #expect(drawing.eventCount == 5)
        for side in ["militia (2)", "US (1)", "Iran (1)", "unknown (1)"] { #expect(svg.texts.contains(side), "legend lacks \(side)") }
        for type in ["Explosions/Remote violence (4)", "Strategic developments (1)"] { #expect(svg.texts.contains(type)) }
        // Okabe–Ito colours for the known sides, grey for unknown.
        let colors = Dictionary(uniqueKeysWithValues: drawing.sides.map { ($0.side, $0.color) })
        #expect(colors["US"] == "#0072B2" && colors["militia"] == "#D55E00" && colors["Iran"] == "#CC79A7" && colors["unknown"] == "#8c8c8c")
        // The approximate place (precision 3) is hollow: white fill, coloured outline.
        let hollow = svg.elements.filter { $0.attributes["class"] == "ev" && $0.attributes["fill"] == "#ffffff" }
        #expect(hollow.count == 1 && hollow.first?.attributes["stroke"] == "#CC79A7")
        // Basemap, furniture and sources.
        #expect(svg.count(class: "countries") == 1 && svg.count(class: "graticule") == 1 && svg.count(class: "scale-bar") == 1)
        #expect(svg.texts.contains("IRAQ") && svg.texts.contains("SYRIA"))
        #expect(svg.texts.contains { $0.contains("Natural Earth") && $0.contains("GeoNames") })
        #expect(svg.texts.contains { $0.hasPrefix("Ain al-Asad air base (2)") })
    }

    @Test func noTextIsSmallerThanElevenPixels() throws {
        let svg = SVGOutline(try draw().svg)
        var size: [Double] = []
        for e in svg.elements { if let s = e.attributes["font-size"], let v = Double(s) { size.append(v) } }
        #expect(!size.isEmpty && size.allSatisfy { $0 >= MapStyle.minimumFontSize })
    }

    @Test func markerAreaGrowsWithFatalitiesAndIsCapped() {
        let scale = MapStyle.MarkerScale(eventCount: 10)
        let r0 = scale.radius(fatalities: 0), r50 = scale.radius(fatalities: 50), r100 = scale.radius(fatalities: 100)
        #expect(abs((r50 * r50 - r0 * r0) / (r100 * r100 - r0 * r0) - 0.5) < 1e-9)
        #expect(scale.radius(fatalities: 5000) == r100 && scale.radius(fatalities: .nan) == r0)
    }

    @Test func scaleBarIsTrueAtTheMapCentre() throws {
        let drawing = try draw()
        // The bar's pixels, laid across the centre, span its metres on the ellipsoid.
        let cx = drawing.mapLeft + drawing.mapWidth / 2, cy = drawing.mapTop + drawing.mapHeight / 2
        let a = try drawing.lonLat(x: cx - drawing.scaleBarPixels / 2, y: cy)
        let b = try drawing.lonLat(x: cx + drawing.scaleBarPixels / 2, y: cy)
        let metres = try Geodesic.wgs84.distanceMeters(from: a, to: b)
        #expect(abs(metres - drawing.scaleBarMeters) / drawing.scaleBarMeters < 0.002, "\(metres) m vs \(drawing.scaleBarMeters) m")
        // Vertically too (the projection is conformal at the centre).
        let c = try drawing.lonLat(x: cx, y: cy - drawing.scaleBarPixels / 2), d = try drawing.lonLat(x: cx, y: cy + drawing.scaleBarPixels / 2)
        #expect(abs(try Geodesic.wgs84.distanceMeters(from: c, to: d) - drawing.scaleBarMeters) / drawing.scaleBarMeters < 0.002)
        // A round length, and what the SVG says.
        let mantissa = drawing.scaleBarMeters / pow(10, floor(log10(drawing.scaleBarMeters)))
        #expect([1.0, 2, 5].contains(mantissa))
        let bar = try #require(SVGOutline(drawing.svg).elements.first { $0.attributes["class"] == "scale-bar" })
        #expect(bar.attributes["data-meters"] == Format.trimmed(drawing.scaleBarMeters, 2))
        #expect(drawing.projectionDefinition.contains("+proj=lcc"))
        // North is up at the centre of a regional map: no north arrow.
        #expect(abs(try drawing.frame.northAngleAtCenter()) < 1)
        #expect(SVGOutline(drawing.svg).count(class: "north-arrow") == 0)
    }

    @Test func aSinglePointGetsAtLeastOneHundredKilometres() throws {
        let one = """
            {"type":"Feature","geometry":{"type":"Point","coordinates":[38.6178,33.5058]},"properties":{"actor_side":"US"}}
            """
        let drawing = try draw(one)
        let cy = drawing.mapTop + drawing.mapHeight / 2
        let west = try drawing.lonLat(x: drawing.mapLeft, y: cy), east = try drawing.lonLat(x: drawing.mapLeft + drawing.mapWidth, y: cy)
        let across = try Geodesic.wgs84.distanceMeters(from: west, to: east)
        #expect(across >= 99_000 && across < 200_000, "\(across)")
        #expect(SVGOutline(drawing.svg).count(class: "ev") == 1)
    }

    @Test func theAutoExtentPadsTheDataByAtLeastTenPercent() throws {
        let drawing = try draw()
        let box = try drawing.frame.lonLatBox()
        // Every event lies at least 10 % of the frame inside its edges.
        let (xs, ys) = drawing.frame.pixels(lon: [42.4411, 40.9189, 40.1417, 44.0092], lat: [33.7856, 34.4536, 35.3359, 36.1911])
        for (x, y) in zip(xs, ys) {
            #expect(x >= drawing.mapLeft + 0.09 * drawing.mapWidth && x <= drawing.mapLeft + 0.91 * drawing.mapWidth)
            #expect(y >= drawing.mapTop + 0.09 * drawing.mapHeight && y <= drawing.mapTop + 0.91 * drawing.mapHeight)
        }
        #expect(box.contains(Position(x: 40.1417, y: 35.3359)))
    }

    @Test func anExplicitExtentLeavesOutEventsOutsideIt() throws {
        let extent = try #require(try MapOptions.parseExtent("41,33,45,37"))
        let drawing = try draw(options: MapOptions(extent: extent))
        #expect(drawing.eventCount == 3 && drawing.eventsOutside == 2)
        #expect(SVGOutline(drawing.svg).texts.contains { $0.contains("2 outside the extent not drawn") })
        #expect(try MapOptions.parseExtent("auto") == nil)
        for bad in ["41,33,45", "45,33,41,37", "41,33,45,95", "a,b,c,d"] {
            #expect(throws: MapError.self) { try MapOptions.parseExtent(bad) }
        }
    }

    @Test func linesAndPolygonsAreDrawnByTheirLayer() throws {
        let corridor = Feature(geometry: .polygon([[Position(x: 40.5, y: 34), Position(x: 41.5, y: 34), Position(x: 41.5, y: 35), Position(x: 40.5, y: 35), Position(x: 40.5, y: 34)]]),
                               properties: ["layer": "corridor", "border": "IQ-SY", "width_km": 25])
        let border = Feature(geometry: .lineString([Position(x: 41, y: 34), Position(x: 41.1, y: 35)]), properties: ["layer": "border", "countries": "Iraq – Syria"])
        let pair = Feature(geometry: .lineString([Position(x: 42.4411, y: 33.7856), Position(x: 40.9189, y: 34.4536)]),
                           properties: ["layer": "pairs", "lag_days": 2, "certain": true, "from_date": "2024-01-05", "to_date": "2024-01-07"])
        let hull = Feature(geometry: .polygon([[Position(x: 42, y: 33.5), Position(x: 43, y: 33.5), Position(x: 42.5, y: 34), Position(x: 42, y: 33.5)]]),
                           properties: ["layer": "clusters"])
        let drawing = try draw(shapes: [corridor, border, pair, hull])
        let svg = SVGOutline(drawing.svg)
        #expect(svg.error == nil)
        #expect(svg.count(class: "corridor") == 1 && svg.count(class: "border") == 1 && svg.count(class: "hull") == 1)
        let arrows = svg.elements.filter { $0.name == "path" && $0.attributes["data-t"] != nil }
        #expect(arrows.count == 1 && arrows.first?.attributes["data-t"] == "19727:19729")
        #expect(svg.texts.contains("2 d"))  // few pairs: the lag is labelled
        for entry in ["Border Iraq – Syria", "Border corridor (±25 km)", "Cluster area", "Attack → response (lag)"] {
            #expect(svg.texts.contains(entry), "legend lacks \(entry)")
        }
    }

    @Test func lagLabels() {
        #expect(MapRenderer.lagText([["lag_days": 2, "certain": true]]) == "2 d")
        #expect(MapRenderer.lagText([["lag_days": 0.25, "lag_hours": 6, "certain": true]]) == "6 h")
        #expect(MapRenderer.lagText([["lag_days": -7.5, "lag_min_days": -23, "lag_max_days": 8, "certain": false]]) == "−23…8 d")
        #expect(MapRenderer.lagText([["lag_days": 3], ["lag_days": 10]]) == "3–10 d ×2")
    }

    @Test func namesAreComparedFolded() {
        #expect(MapRenderer.nameKey("al-Qaim") == MapRenderer.nameKey("Al Qāʼim"))
        #expect(MapRenderer.nameKey("Albu Kamal") != MapRenderer.nameKey("Al Qāʼim"))
    }

    @Test func labelsNeverOverlap() {
        var placer = MapLabelPlacer(bounds: MapRect(x: 0, y: 0, width: 400, height: 300))
        placer.finishMarkers()
        var boxes: [MapRect] = []
        // 40 labels at points scattered over a small map (a fixed sequence): many fit, not all.
        var seed: UInt64 = 17
        func next() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 11) / Double(1 << 53)
        }
        for k in 0..<40 {
            if let l = placer.place("Place number \(k)", size: 12, x: 20 + 360 * next(), y: 20 + 260 * next(), gap: 6) { boxes.append(l.box) }
        }
        #expect(boxes.count >= 10 && boxes.count < 40, "\(boxes.count) placed")
        for i in boxes.indices { for j in boxes.indices where i < j { #expect(!boxes[i].intersects(boxes[j])) } }
        #expect(boxes.allSatisfy { MapRect(x: 0, y: 0, width: 400, height: 300).contains($0) })
    }

    @Test func shapesOfAGeoJSONFileAreReadApartFromItsPoints() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("corridor.geojson").path
        let text = """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"Point","coordinates":[41,34]},"properties":{"layer":"events"}},
            {"type":"Feature","geometry":{"type":"LineString","coordinates":[[41,34],[41,35]]},"properties":{"layer":"border"}},
            {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[40,34],[42,34],[42,35],[40,34]]]},"properties":{"layer":"corridor"}}]}
            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let shapes = try MapShapes.read(path: path)
        #expect(shapes.isGeoJSON && shapes.hasEventPoints && shapes.shapes.count == 2)
        let points = dir.appendingPathComponent("points.geojson").path
        try Data(sampleEvents.utf8).write(to: URL(fileURLWithPath: points))
        let only = try MapShapes.read(path: points)
        #expect(only.isGeoJSON && only.hasEventPoints && only.shapes.isEmpty)
        #expect(MapShapes.contains(UnsafeRawBufferPointer(start: nil, count: 0), "Polygon") == false)
    }

    /// `--style` (SimpleStyle), `--qml` and the map take their side colours from one place.
    @Test func simplestyleColoursAreTheMapsColours() throws {
        let drawing = try draw()
        let layer = try layer(sampleEvents)
        let sides = try layer.strings(of: "actor_side")
        var counts: [String: Int] = [:]
        for i in 0..<sides.codes.count { counts[sides[i] ?? "unknown", default: 0] += 1 }
        let style = SimpleStyle(sideCounts: counts)
        #expect(!drawing.sides.isEmpty)
        for (side, color) in drawing.sides { #expect(style.sideColors[side] == color, "\(side)") }
    }

    @Test func htmlIsOneSelfContainedPage() throws {
        let drawing = try draw(options: MapOptions(interactive: true))
        let html = drawing.html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script src") && !html.contains("<link") && !html.contains("@import"))
        // The events' data, with "</" written so that it cannot end the script element.
        #expect(html.contains("<\\/script><b>not markup<\\/b>") && !html.contains("</script><b>"))
        // The markers are the page's to draw: none in its SVG, five in its data, with their
        // days and tooltip properties (each distinct value once).
        #expect(!html.contains("class=\"ev\""))
        let start = try #require(html.range(of: "<script id=\"events\" type=\"application/json\">"))
        let end = try #require(html[start.upperBound...].range(of: "</script>"))
        let data = try JSONParser.parse(String(html[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "<\\/", with: "</"))
        guard case .object(let page) = data, case .array(let xs)? = page["x"], case .array(let t0)? = page["t0"],
              case .object(let cols)? = page["cols"], case .array(let sources)? = cols["sources"]?["vals"],
              case .array(let ids)? = cols["event_id"]?["vals"], case .array(let sides)? = cols["actor_side"]?["vals"] else {
            Issue.record("page data: \(data)"); return
        }
        #expect(xs.count == 5 && t0.count == 5)
        #expect(t0.contains(.integer(19724)))
        #expect(sources.contains(.array([.string("https://example.org/a")])), "\(sources)")
        // Five events, each its own id (so no codes); sides written once each, with codes.
        #expect(ids.count == 5 && cols["event_id"]?["codes"] == nil)
        #expect(sides.count < 5 && cols["actor_side"]?["codes"]?.arrayValue?.count == 5)
    }

    @Test(.enabled(if: SVGToPNG.converterPath() != nil, "rsvg-convert (Debian librsvg2-bin) is not installed"))
    func rendersToPNGWithRsvgConvert() throws {
        let drawing = try draw()
        let png = try SVGToPNG.render(svg: drawing.svg)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: width and height, big-endian, at zoom 2.
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == Int(2 * drawing.width) && height == Int(2 * drawing.height))
    }
}
