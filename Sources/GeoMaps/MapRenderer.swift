import Foundation
import GeoCore
import GeoEvents
import GeoGazetteer
import GeoProj

/// What a map shows and how.
public struct MapOptions: Sendable {
    public var title: String?
    /// The extent in degrees (minimum/maximum longitude and latitude); nil: from the data.
    public var extent: BoundingBox?
    /// Whether to label places and sites (country names, graticule and lags are always drawn).
    public var labels = true
    /// Canvas width, pixels; text sizes are pixels of this canvas.
    public var width = 1200.0
    /// Whether the map is for the HTML page (`MapDrawing.html()`): each event's properties are
    /// kept for tooltips, and the markers are left to the page's script (it draws them, or
    /// aggregates of them when many are in view), so `svg` has an empty `events` group.
    public var interactive = false

    public init(title: String? = nil, extent: BoundingBox? = nil, labels: Bool = true, interactive: Bool = false) {
        self.title = title
        self.extent = extent
        self.labels = labels
        self.interactive = interactive
    }

    /// Parses `--extent minlon,minlat,maxlon,maxlat`; nil for `auto`.
    public static func parseExtent(_ text: String) throws -> BoundingBox? {
        if text.lowercased() == "auto" { return nil }
        let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4, let minLon = parts[0], let minLat = parts[1], let maxLon = parts[2], let maxLat = parts[3] else {
            throw MapError("--extent takes auto or minlon,minlat,maxlon,maxlat in degrees (e.g. 38,32,46,38), got '\(text)'")
        }
        guard (-180...180).contains(minLon), (-180...180).contains(maxLon), (-90...90).contains(minLat), (-90...90).contains(maxLat) else {
            throw MapError("--extent \(text): longitudes must be within −180…180 and latitudes within −90…90")
        }
        guard minLon < maxLon, minLat < maxLat else {
            throw MapError("--extent \(text): the minimum longitude and latitude must come first and be smaller than the maximum")
        }
        return BoundingBox(minX: minLon, minY: minLat, maxX: maxLon, maxY: maxLat)
    }
}

/// A drawn map: the SVG text, and what tests, the HTML page and messages need to know of it.
public struct MapDrawing {
    public let svg: String
    public let width: Double
    public let height: Double
    /// Events drawn (one marker each), and events left out because they lie outside `--extent`.
    public let eventCount: Int
    public let eventsOutside: Int
    /// Events given again by a later layer (same `event_id`), drawn once.
    public let duplicateEvents: Int
    /// The scale bar: its length on the ground (metres) and on the canvas (pixels), true at the
    /// map's centre.
    public let scaleBarMeters: Double
    public let scaleBarPixels: Double
    /// The map's rectangle on the canvas (pixels).
    public let mapLeft: Double
    public let mapTop: Double
    public let mapWidth: Double
    public let mapHeight: Double
    public let projection: String
    public let projectionDefinition: String
    /// Sides drawn with their colours, most frequent first.
    public let sides: [(side: String, color: String)]
    /// Labels placed (places, sites, countries), for tests and messages.
    public let labels: [String]
    public let title: String
    let frame: MapFrame
    /// Per event drawn (in `data-i` order): tooltip properties and days since 1970 (NaN undated).
    let records: [(info: [(String, JSONValue)], startDay: Double, endDay: Double)]
    /// The markers the HTML page draws (interactive maps only).
    let markers: MapMarkers?

    /// The position in degrees under a canvas pixel.
    public func lonLat(x: Double, y: Double) throws -> Position { try frame.lonLat(x: x, y: y) }
}

/// Draws layers of events, lines and polygons over an offline basemap (see `MapStyle`).
public final class MapRenderer {
    public let options: MapOptions
    let gazetteer: Gazetteer

    public init(gazetteer: Gazetteer, options: MapOptions = MapOptions()) {
        self.gazetteer = gazetteer
        self.options = options
    }

    /// Layout of the canvas: a header with the title, the map, a footer with the sources.
    static let headerHeight = 66.0
    static let footerHeight = 42.0

    /// Draws the layers, bottom first: basemap (countries, graticule), cluster areas, corridor,
    /// border, links to sites, attack → response arrows, event markers, labels, scale bar and
    /// legend, title and sources.
    public func render(_ layers: [MapLayerInput]) throws -> MapDrawing {
        let (events, features, duplicates) = try gather(layers)
        let frame = try makeFrame(events: events, features: features)
        // Events in pixels; those outside an explicit extent are left out.
        let (ex, ey) = frame.pixels(lon: events.map(\.longitude), lat: events.map(\.latitude))
        let inside = MapRect(x: frame.left, y: frame.top, width: frame.width, height: frame.height).inset(-2)
        var drawn: [MapEvent] = []
        drawn.reserveCapacity(events.count)
        for (i, var e) in events.enumerated() {
            (e.x, e.y) = (ex[i], ey[i])
            if e.x.isFinite, e.y.isFinite, inside.contains(x: e.x, y: e.y) { drawn.append(e) }
        }
        let outside = events.count - drawn.count
        let scene = MapScene(frame: frame, events: drawn, shapes: MapScene.shapes(features, frame: frame))

        let width = options.width, height = Self.headerHeight + frame.height + Self.footerHeight
        var svg = SVGDocument(width: width, height: height, decimals: 2)
        let n = MapStyle.number
        svg.define("<clipPath id=\"map-clip\"><rect x=\"\(n(frame.left))\" y=\"\(n(frame.top))\" width=\"\(n(frame.width))\" height=\"\(n(frame.height))\"/></clipPath>")
        for (id, size) in [("arrow", 9), ("arrow-small", 6)] {
            svg.define("<marker id=\"\(id)\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"\(size)\" markerHeight=\"\(size)\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" fill=\"\(MapStyle.pairStroke)\"/></marker>")
        }
        svg.element("rect", [("x", "0"), ("y", "0"), ("width", n(width)), ("height", n(height)), ("fill", "#ffffff")])

        svg.open("g", [("clip-path", "url(#map-clip)")])
        svg.element("rect", [("class", "sea"), ("x", n(frame.left)), ("y", n(frame.top)), ("width", n(frame.width)), ("height", n(frame.height)), ("fill", MapStyle.sea)])
        let countries = try MapBasemap.countries(frame: frame, file: gazetteer.dataDirectory + "/countries.geojson",
                                                 eventX: drawn.map(\.x), eventY: drawn.map(\.y))
        svg.open("g", [("class", "countries"), ("stroke", MapStyle.countryOutline), ("stroke-width", "0.9"), ("stroke-linejoin", "round"), ("fill-rule", "evenodd")])
        for c in countries { svg.element("path", [("d", c.path), ("fill", c.fill)]) }
        svg.close("g")
        let graticule = try MapBasemap.graticule(frame: frame)
        svg.open("g", [("class", "graticule"), ("fill", "none"), ("stroke", MapStyle.graticule), ("stroke-width", "0.6"), ("stroke-opacity", "0.7"), ("stroke-dasharray", "3 3")])
        for d in graticule.paths { svg.element("path", [("d", d)]) }
        svg.close("g")
        let overlays = drawOverlays(into: &svg, scene)

        // Furniture first, so that labels keep clear of it; labels give way to markers. The
        // places and sites labelled are drawn under the markers, their names over them.
        let furniture = try layoutFurniture(scene, overlays: overlays)
        var placer = MapLabelPlacer(bounds: scene.mapRect.inset(3))
        for (e, r) in zip(drawn, scene.radii) { placer.cover(MapRect(minX: e.x - r, minY: e.y - r, maxX: e.x + r, maxY: e.y + r)) }
        placer.finishMarkers()
        for l in graticule.labels { placer.block(Self.graticuleLabelBox(l)) }
        if !furniture.legend.isEmpty { placer.block(furniture.legendRect.inset(-4)) }
        placer.block(furniture.barRect.inset(-3))
        let labels = try placeLabels(scene, countries: countries, overlays: overlays, placer: &placer)
        drawPlaceSymbols(into: &svg, labels)
        if options.interactive {
            svg.open("g", [("class", "events"), ("stroke-linejoin", "round"), ("fill-opacity", n(scene.scale.opacity))])
            svg.close("g")
        } else {
            drawMarkers(into: &svg, scene)
        }
        svg.close("g")  // clip
        drawLabels(into: &svg, labels, graticule: graticule, hiddenUnder: furniture.boxes)
        drawFurniture(into: &svg, scene, furniture)
        let title = options.title ?? "Events: " + layers.map { ($0.name as NSString).lastPathComponent }.joined(separator: ", ")
        drawHeaderAndFooter(into: &svg, scene, title: title, outside: outside)

        let records = options.interactive
            ? drawn.map { e in (e.info, e.startSeconds.isFinite ? (e.startSeconds / 86_400).rounded(.down) : Double.nan,
                                e.endSeconds.isFinite ? ((e.endSeconds - 1) / 86_400).rounded(.down) : Double.nan) }
            : []
        return MapDrawing(
            svg: svg.text, width: width, height: height, eventCount: drawn.count, eventsOutside: outside, duplicateEvents: duplicates,
            scaleBarMeters: furniture.bar.meters, scaleBarPixels: furniture.bar.pixels,
            mapLeft: frame.left, mapTop: frame.top, mapWidth: frame.width, mapHeight: frame.height,
            projection: frame.projectionName, projectionDefinition: frame.crs.definition,
            sides: scene.sides.map { ($0.side, scene.color($0.side)) },
            labels: labels.texts.map(\.label.text), title: title, frame: frame, records: records,
            markers: options.interactive ? MapMarkers(scene) : nil)
    }

    /// The events of every layer and their other features. An event in two layers (the events
    /// of a windows output and of a corridor output) is drawn once, as the first layer has it.
    private func gather(_ layers: [MapLayerInput]) throws -> (events: [MapEvent], features: [Feature], duplicates: Int) {
        var events: [MapEvent] = [], features: [Feature] = []
        var seen = Set<String>()
        var duplicates = 0
        for layer in layers {
            if let e = layer.events {
                for event in try MapEvent.read(e, keepInfo: options.interactive) {
                    if layers.count > 1, let id = event.id, !seen.insert(id).inserted { duplicates += 1; continue }
                    events.append(event)
                }
            }
            features += layer.shapes
        }
        return (events, features, duplicates)
    }

    /// The projection for the extent (given, or the data's) and the frame: the data padded
    /// (`MapFrame.fit`), or the given extent as it projects.
    private func makeFrame(events: [MapEvent], features: [Feature]) throws -> MapFrame {
        var dataBox = BoundingBox.empty
        for e in events { dataBox.extend(Position(x: e.longitude, y: e.latitude)) }
        for f in features { if let g = f.geometry { dataBox.extend(g.boundingBox) } }
        let lonLatBox = options.extent ?? dataBox
        guard !lonLatBox.isEmpty else { throw MapError("nothing to draw: the layers hold no located features") }
        let (crs, projectionName) = MapFrame.projection(for: lonLatBox)
        let transformer = try Transformer(from: .wgs84, to: crs, context: try ProjContext())

        var lons: [Double] = [], lats: [Double] = []
        if let extent = options.extent {
            // The extent's outline, densified: its edges curve in the projection.
            for k in 0...32 {
                let t = Double(k) / 32
                lons += [extent.minX + t * extent.width, extent.minX + t * extent.width, extent.minX, extent.maxX]
                lats += [extent.minY, extent.maxY, extent.minY + t * extent.height, extent.minY + t * extent.height]
            }
        } else {
            lons = events.map(\.longitude)
            lats = events.map(\.latitude)
            for f in features { f.geometry?.forEachPosition { lons.append($0.x); lats.append($0.y) } }
        }
        let (x, y) = MapFrame.project(transformer, lon: lons, lat: lats)
        var projected = BoundingBox.empty
        for i in x.indices where x[i].isFinite { projected.extend(Position(x: x[i], y: y[i])) }
        guard !projected.isEmpty else { throw MapError("the extent cannot be projected") }
        let fitted = MapFrame.fit(dataBox: projected, padded: options.extent == nil, minimumSpan: options.extent == nil ? 100_000 : 1_000,
                                  canvasWidth: options.width)
        return MapFrame(crs: crs, projectionName: projectionName, transformer: transformer, bounds: fitted.bounds,
                        left: 0, top: Self.headerHeight, width: options.width, height: fitted.height)
    }
}
