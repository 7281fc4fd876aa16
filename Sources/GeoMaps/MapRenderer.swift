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
    /// Whether to keep each event's properties for tooltips (`MapDrawing.html()`).
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

    // MARK: Shapes

    enum ShapeKind { case corridor, border, pair, hull, line }

    struct Shape {
        var kind: ShapeKind
        var pixels: Geometry
        var properties: [String: JSONValue]
    }

    static func kind(of feature: Feature) -> ShapeKind {
        let layer = feature[property: EventLayer.layerProperty]?.stringValue
        let polygonal: Bool
        switch feature.geometry {
        case .polygon?, .multiPolygon?: polygonal = true
        default: polygonal = false
        }
        switch layer {
        case "corridor"? where polygonal: return .corridor
        case "border"? where !polygonal: return .border
        case "pairs"? where !polygonal: return .pair
        default: return polygonal ? .hull : .line
        }
    }

    // MARK: Rendering

    public func render(_ layers: [MapLayerInput]) throws -> MapDrawing {
        var events: [MapEvent] = []
        var features: [Feature] = []
        // An event in two layers (the events of a windows output and of a corridor output) is
        // drawn once, as the first layer has it.
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

        // Extent and projection.
        var dataBox = BoundingBox.empty
        for e in events { dataBox.extend(Position(x: e.longitude, y: e.latitude)) }
        for f in features { if let g = f.geometry { dataBox.extend(g.boundingBox) } }
        let lonLatBox = options.extent ?? dataBox
        guard !lonLatBox.isEmpty else { throw MapError("nothing to draw: the layers hold no located features") }
        let (crs, projectionName) = MapFrame.projection(for: lonLatBox)
        let proj = try ProjContext()
        let transformer = try Transformer(from: .wgs84, to: crs, context: proj)

        var projected = BoundingBox.empty
        if let extent = options.extent {
            var lons: [Double] = [], lats: [Double] = []
            for k in 0...32 {
                let t = Double(k) / 32
                lons += [extent.minX + t * extent.width, extent.minX + t * extent.width, extent.minX, extent.maxX]
                lats += [extent.minY, extent.maxY, extent.minY + t * extent.height, extent.minY + t * extent.height]
            }
            let (x, y) = MapFrame.project(transformer, lon: lons, lat: lats)
            for i in x.indices where x[i].isFinite { projected.extend(Position(x: x[i], y: y[i])) }
        } else {
            var lons = events.map(\.longitude), lats = events.map(\.latitude)
            for f in features { f.geometry?.forEachPosition { lons.append($0.x); lats.append($0.y) } }
            let (x, y) = MapFrame.project(transformer, lon: lons, lat: lats)
            for i in x.indices where x[i].isFinite { projected.extend(Position(x: x[i], y: y[i])) }
        }
        guard !projected.isEmpty else { throw MapError("the extent cannot be projected") }
        let width = options.width
        let fitted = MapFrame.fit(dataBox: projected, padded: options.extent == nil, minimumSpan: options.extent == nil ? 100_000 : 1_000,
                                  canvasWidth: width, top: Self.headerHeight)
        let frame = MapFrame(crs: crs, projectionName: projectionName, transformer: transformer, bounds: fitted.bounds,
                             left: 0, top: Self.headerHeight, width: width, height: fitted.height)
        let mapRect = MapRect(x: frame.left, y: frame.top, width: frame.width, height: frame.height)
        let height = Self.headerHeight + frame.height + Self.footerHeight

        // Events in pixels; those outside an explicit extent are left out.
        let (ex, ey) = frame.pixels(lon: events.map(\.longitude), lat: events.map(\.latitude))
        var drawn: [MapEvent] = []
        drawn.reserveCapacity(events.count)
        var outside = 0
        for i in events.indices {
            var e = events[i]
            e.x = ex[i]
            e.y = ey[i]
            guard e.x.isFinite, e.y.isFinite, mapRect.inset(-2).contains(x: e.x, y: e.y) else { outside += 1; continue }
            drawn.append(e)
        }
        events = []

        // Shapes in pixels.
        var shapes: [Shape] = []
        for f in features {
            guard let g = f.geometry else { continue }
            var lons: [Double] = [], lats: [Double] = []
            g.forEachPosition { lons.append($0.x); lats.append($0.y) }
            let (x, y) = frame.pixels(lon: lons, lat: lats)
            guard x.allSatisfy(\.isFinite) else { continue }
            var k = 0
            let pixels = g.mapPositions { _ in
                defer { k += 1 }
                return Position(x: x[k], y: y[k])
            }
            var props: [String: JSONValue] = [:]
            for (key, v) in f.properties ?? [:] { props[key] = v }
            shapes.append(Shape(kind: Self.kind(of: f), pixels: pixels, properties: props))
        }

        // Styles.
        let scale = MapStyle.MarkerScale(eventCount: drawn.count)
        var sideCounts: [String: Int] = [:], typeCounts: [String: Int] = [:]
        for e in drawn {
            sideCounts[e.side, default: 0] += 1
            typeCounts[e.eventType, default: 0] += 1
        }
        let sidesByCount = sideCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let colors = MapStyle.sideColors(counts: sidesByCount.map { ($0.key, $0.value) })
        let radii = drawn.map { scale.radius(fatalities: $0.fatalities) }

        var svg = SVGDocument(width: width, height: height, decimals: 2)
        let n = MapStyle.number
        svg.define("<clipPath id=\"map-clip\"><rect x=\"\(n(frame.left))\" y=\"\(n(frame.top))\" width=\"\(n(frame.width))\" height=\"\(n(frame.height))\"/></clipPath>")
        for (id, size) in [("arrow", 9), ("arrow-small", 6)] {
            svg.define("<marker id=\"\(id)\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"\(size)\" markerHeight=\"\(size)\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" fill=\"\(MapStyle.pairStroke)\"/></marker>")
        }
        svg.element("rect", [("x", "0"), ("y", "0"), ("width", n(width)), ("height", n(height)), ("fill", "#ffffff")])

        // Basemap.
        svg.open("g", [("clip-path", "url(#map-clip)")])
        svg.element("rect", [("class", "sea"), ("x", n(frame.left)), ("y", n(frame.top)), ("width", n(frame.width)), ("height", n(frame.height)), ("fill", MapStyle.sea)])
        let countries = try MapBasemap.countries(frame: frame, file: gazetteer.dataDirectory + "/countries.geojson",
                                                 eventX: drawn.map(\.x), eventY: drawn.map(\.y))
        svg.open("g", [("class", "countries"), ("stroke", MapStyle.countryOutline), ("stroke-width", "0.9"), ("stroke-linejoin", "round"), ("fill-rule", "evenodd")])
        for c in countries {
            svg.element("path", [("d", c.path), ("fill", c.fill)])
        }
        svg.close("g")
        let graticule = try MapBasemap.graticule(frame: frame)
        svg.open("g", [("class", "graticule"), ("fill", "none"), ("stroke", MapStyle.graticule), ("stroke-width", "0.6"), ("stroke-opacity", "0.7"), ("stroke-dasharray", "3 3")])
        for d in graticule.paths { svg.element("path", [("d", d)]) }
        svg.close("g")

        // Overlays: hulls, corridor band, border, near links, pairs.
        for s in shapes where s.kind == .hull {
            svg.element("path", [("class", "hull"), ("d", MapBasemap.pathData(s.pixels)), ("fill", MapStyle.clusterStroke), ("fill-opacity", "0.1"),
                                 ("stroke", MapStyle.clusterStroke), ("stroke-width", "1.2"), ("stroke-dasharray", "4 3"), ("fill-rule", "evenodd")])
        }
        for s in shapes where s.kind == .corridor {
            svg.element("path", [("class", "corridor"), ("d", MapBasemap.pathData(s.pixels)), ("fill", MapStyle.corridorFill), ("fill-opacity", "0.42"),
                                 ("stroke", MapStyle.corridorStroke), ("stroke-width", "0.9"), ("fill-rule", "evenodd")])
        }
        for s in shapes where s.kind == .line {
            svg.element("path", [("class", "line"), ("d", MapBasemap.pathData(s.pixels)), ("fill", "none"), ("stroke", "#666666"), ("stroke-width", "1.5")])
        }
        for s in shapes where s.kind == .border {
            let d = MapBasemap.pathData(s.pixels)
            svg.element("path", [("d", d), ("fill", "none"), ("stroke", "#ffffff"), ("stroke-width", "5"), ("stroke-opacity", "0.8"), ("stroke-linejoin", "round")])
            svg.element("path", [("class", "border"), ("d", d), ("fill", "none"), ("stroke", MapStyle.borderLine), ("stroke-width", "2.4"),
                                 ("stroke-dasharray", "10 3 2 3"), ("stroke-linejoin", "round")])
        }

        // Near links: event → the site it is nearest to.
        let siteEntries = gazetteer.entries.filter { $0.kind.isSite }
        var siteByName: [String: Position] = [:]
        for s in siteEntries where siteByName[s.name] == nil { siteByName[s.name] = s.position }
        var nearSites: [String: (x: Double, y: Double)] = [:]
        var nearLinks = 0
        svg.open("g", [("class", "near"), ("stroke", MapStyle.nearLink), ("stroke-width", "1"), ("stroke-dasharray", "2 2"), ("fill", "none")])
        for e in drawn {
            guard let name = e.nearName, let km = e.nearDistanceKm, km > 0.05 else { continue }
            var site = siteByName[name]
            if site == nil, let bearing = e.nearBearing {
                site = try? Geodesic.wgs84.direct(from: Position(x: e.longitude, y: e.latitude), azimuthDegrees: bearing + 180, distanceMeters: km * 1000).destination
            }
            guard let site, let p = frame.pixel(site) else { continue }
            svg.element("path", [("d", "M\(n(e.x)) \(n(e.y))L\(n(p.x)) \(n(p.y))")])
            nearSites[name] = p
            nearLinks += 1
        }
        svg.close("g")

        // Pairs: curved arrows from the earlier event to the later; pairs between the same two
        // places are one arrow, wider with their number.
        let pairShapes = shapes.filter { $0.kind == .pair }
        // The largest marker drawn at a pixel, so that arrows end at its edge.
        var markerRadius: [Int64: Double] = [:]
        for (e, r) in zip(drawn, radii) {
            let key = Self.pixelKey(e.x.rounded(), e.y.rounded())
            markerRadius[key] = max(markerRadius[key] ?? 0, r)
        }
        func targetRadius(_ p: Position) -> Double {
            var r = 0.0
            for dx in -1...1 { for dy in -1...1 {
                r = max(r, markerRadius[Self.pixelKey(p.x.rounded() + Double(dx), p.y.rounded() + Double(dy))] ?? 0)
            } }
            return r
        }
        let pairGroups = Self.pairGroups(pairShapes)
        var pairCurves: [(mid: (x: Double, y: Double), lag: String?)] = []
        let manyPairs = pairGroups.count > 40
        svg.open("g", [("class", "pairs"), ("fill", "none"), ("stroke", MapStyle.pairStroke), ("stroke-opacity", manyPairs ? "0.5" : "0.8"),
                       ("marker-end", manyPairs ? "url(#arrow-small)" : "url(#arrow)")])
        for group in pairGroups {
            let a = group.from, b = group.to
            let dx = b.x - a.x, dy = b.y - a.y, length = hypot(dx, dy)
            let bend = 0.2 * length
            let c = (x: (a.x + b.x) / 2 + dy / length * bend, y: (a.y + b.y) / 2 - dx / length * bend)
            // End a little short of the response's centre, along the curve's last tangent.
            let tx = b.x - c.x, ty = b.y - c.y, tl = max(hypot(tx, ty), 1e-9)
            let cut = min(targetRadius(b) + 1.5, length / 3)
            let end = (x: b.x - tx / tl * cut, y: b.y - ty / tl * cut)
            let width = min(4.5, (manyPairs ? 0.8 : 1.3) * Double(group.members.count).squareRoot())
            var attrs = [("d", "M\(n(a.x)) \(n(a.y))Q\(n(c.x)) \(n(c.y)) \(n(end.x)) \(n(end.y))"), ("stroke-width", n(width))]
            // Each pair's days, for the HTML time slider: "from:to from:to…".
            let spans = group.members.map { p in
                [Self.day(p["from_date"]), Self.day(p["to_date"])].map { $0.map(String.init) ?? "" }.joined(separator: ":")
            }
            attrs.append(("data-t", spans.joined(separator: " ")))
            attrs.append(("data-n", String(group.members.count)))
            svg.element("path", attrs)
            let mid = (x: 0.25 * a.x + 0.5 * c.x + 0.25 * end.x, y: 0.25 * a.y + 0.5 * c.y + 0.25 * end.y)
            pairCurves.append((mid, Self.lagText(group.members)))
        }
        svg.close("g")

        // Event markers, largest first so that small ones stay on top; one element each.
        let order = drawn.indices.sorted {
            radii[$0] != radii[$1] ? radii[$0] > radii[$1] : (drawn[$0].startSeconds, $0) < (drawn[$1].startSeconds, $1)
        }
        svg.open("g", [("class", "events"), ("stroke-linejoin", "round"), ("fill-opacity", n(scale.opacity))])
        for i in order {
            let e = drawn[i]
            let color = colors[e.side] ?? MapStyle.unknownSide
            let shape = MapStyle.shape(forEventType: e.eventType)
            var attrs = [("class", "ev"), ("data-i", String(i)), ("d", MapStyle.markerPath(shape, x: e.x, y: e.y, r: radii[i], number: n))]
            if e.isApproximate {
                attrs += [("fill", "#ffffff"), ("fill-opacity", "0.55"), ("stroke", color), ("stroke-width", scale.base >= 4 ? "2" : "1.1")]
            } else {
                attrs.append(("fill", color))
                if scale.outline > 0 { attrs += [("stroke", "#ffffff"), ("stroke-width", n(scale.outline))] }
            }
            svg.element("path", attrs)
        }
        svg.close("g")
        svg.close("g")  // clip

        // Furniture first (so that labels avoid it): scale bar, legend, north arrow.
        var placer = MapLabelPlacer(bounds: mapRect.inset(3))
        for (e, r) in zip(drawn, radii) { placer.cover(MapRect(minX: e.x - r, minY: e.y - r, maxX: e.x + r, maxY: e.y + r)) }
        placer.finishMarkers()
        for l in graticule.labels {
            let w = MapStyle.textWidth(l.text, size: MapStyle.minimumFontSize)
            let x0 = l.anchor == "middle" ? l.x - w / 2 : l.x
            placer.block(MapRect(minX: x0 - 2, minY: l.y - 11, maxX: x0 + w + 2, maxY: l.y + 3))
        }

        let legend = legend(drawn: drawn, sides: sidesByCount.map(\.key), colors: colors, types: typeCounts, scale: scale, shapes: shapes,
                            nearLinks: nearLinks, pairCount: pairGroups.count)
        let (lw, lh) = legend.size
        let margin = 10.0
        let corners: [(String, Double, Double)] = [
            ("top-right", frame.right - margin - lw, frame.top + margin + 14),
            ("bottom-right", frame.right - margin - lw, frame.bottom - margin - lh),
            ("top-left", frame.left + margin + 34, frame.top + margin + 14),
            ("bottom-left", frame.left + margin, frame.bottom - margin - 46 - lh),
        ]
        func crowding(_ r: MapRect) -> Int {
            var k = 0
            for (e, radius) in zip(drawn, radii) where e.x + radius > r.minX && e.x - radius < r.maxX && e.y + radius > r.minY && e.y - radius < r.maxY { k += 1 }
            for s in shapes where s.kind != .hull {
                var hit = false
                s.pixels.forEachPosition { if r.contains(x: $0.x, y: $0.y) { hit = true } }
                if hit { k += 1 }
            }
            return k
        }
        let corner = corners.min { crowding(MapRect(x: $0.1, y: $0.2, width: lw, height: lh)) < crowding(MapRect(x: $1.1, y: $1.2, width: lw, height: lh)) }!
        let legendRect = MapRect(x: corner.1, y: corner.2, width: lw, height: lh)
        if !legend.isEmpty { placer.block(legendRect.inset(-4)) }

        let bar = try frame.scaleBar(aboutPixels: 0.18 * frame.width)
        let barLeft = corner.0 == "bottom-left" && !legend.isEmpty ? frame.right - margin - bar.pixels - 40 : frame.left + margin + 14
        let barRect = MapRect(x: barLeft - 10, y: frame.bottom - margin - 38, width: bar.pixels + 40, height: 38)
        placer.block(barRect.inset(-3))
        let north = try frame.northAngleAtCenter()

        // Labels: event places, linked sites, lags, countries, large places, sites near events.
        var texts: [(PlacedLabel, size: Double, weight: String?, fill: String, spacing: Double?)] = []
        var dots: [(x: Double, y: Double)] = [], squares: [(x: Double, y: Double)] = []
        var anchors: [(x: Double, y: Double)] = []
        // Names already on the map, folded, with where: a place "Al Qāʼim" next to the events'
        // "al-Qaim" says nothing new.
        var named: [(key: String, x: Double, y: Double)] = []
        func sameNameNearby(_ name: String, _ x: Double, _ y: Double) -> Bool {
            let key = Self.nameKey(name)
            return named.contains { $0.key == key && hypot($0.x - x, $0.y - y) < 60 }
        }
        if options.labels {
            for group in Self.locationGroups(drawn, radii: radii).prefix(24) {
                let text = group.count > 1 ? "\(group.name) (\(group.count))" : group.name
                if let l = placer.place(text, size: 12.5, bold: true, x: group.x, y: group.y, gap: group.radius + 3, maxCoverage: 0.35) {
                    texts.append((l, 12.5, "bold", MapStyle.ink, nil))
                    anchors.append((group.x, group.y))
                    named.append((Self.nameKey(group.name), group.x, group.y))
                }
            }
            for (name, p) in nearSites.sorted(by: { $0.key < $1.key }) {
                squares.append(p)
                placer.block(MapRect(minX: p.x - 4, minY: p.y - 4, maxX: p.x + 4, maxY: p.y + 4))
                if anchors.contains(where: { hypot($0.x - p.x, $0.y - p.y) < 6 }) { continue }
                if let l = placer.place(name, size: 11.5, x: p.x, y: p.y, gap: 6, maxCoverage: 0.4) {
                    texts.append((l, 11.5, nil, MapStyle.mutedInk, nil))
                    anchors.append(p)
                }
            }
        }
        if pairCurves.count <= 30 {
            for c in pairCurves {
                guard let lag = c.lag else { continue }
                if let l = placer.place(lag, size: 11, bold: true, x: c.mid.x, y: c.mid.y, gap: 2, maxCoverage: 0.6, maxCentres: 1) {
                    texts.append((l, 11, "bold", MapStyle.pairStroke, nil))
                }
            }
        }
        for c in countries.sorted(by: { $0.area > $1.area }) where c.area > 12_000 {
            guard let p = c.labelPoint else { continue }
            let size = c.area > 250_000 ? 16.0 : c.area > 60_000 ? 14 : 12
            if let l = placer.placeCentred(c.name.uppercased(), size: size, letterSpacing: 1.5, x: p.x, y: p.y, shift: 24, maxCoverage: 0.15) {
                texts.append((l, size, nil, MapStyle.countryLabel, 1.5))
            }
        }
        if options.labels {
            let box = try frame.lonLatBox()
            let entries = gazetteer.entries
            let picked = Array(entries.indices.filter {
                entries[$0].kind == .place && entries[$0].population >= 20_000 && box.contains(entries[$0].position)
            }.sorted { entries[$0].population > entries[$1].population }.prefix(400))
            let candidates = picked.map { entries[$0] }
            let (px, py) = frame.pixels(lon: candidates.map(\.position.x), lat: candidates.map(\.position.y))
            // GeoNames lists parts of cities with populations of their own ("Al Mawşil al
            // Jadīdah" beside Mosul): of places within 12 km, the one with most other names
            // (the city the world names) stands for them.
            let names = picked.map { gazetteer.aliasesOfEntry(at: $0).count }
            let near = 12_000 * frame.scale
            var placed = 0
            for (k, place) in candidates.enumerated() where placed < 16 {
                let p = (x: px[k], y: py[k])
                guard p.x.isFinite, mapRect.inset(8).contains(x: p.x, y: p.y) else { continue }
                if candidates.indices.contains(where: { j in
                    j != k && names[j] > names[k] && candidates[j].population * 3 >= place.population && hypot(px[j] - p.x, py[j] - p.y) < near
                }) { continue }
                if anchors.contains(where: { hypot($0.x - p.x, $0.y - p.y) < 14 }) || sameNameNearby(place.name, p.x, p.y) { continue }
                let dot = MapRect(minX: p.x - 3, minY: p.y - 3, maxX: p.x + 3, maxY: p.y + 3)
                guard placer.isFree(dot) else { continue }
                let size = place.population >= 1_000_000 ? 13.0 : place.population >= 250_000 ? 12 : 11.5
                if let l = placer.place(place.name, size: size, bold: place.population >= 1_000_000, x: p.x, y: p.y, gap: 5, maxCoverage: 0.2) {
                    texts.append((l, size, place.population >= 1_000_000 ? "bold" : nil, "#333333", nil))
                    dots.append(p)
                    anchors.append(p)
                    placer.block(dot)
                    placed += 1
                }
            }
            // Curated sites (bases, crossings…) within 20 px of an event and not yet named.
            let (sx, sy) = frame.pixels(lon: siteEntries.map(\.position.x), lat: siteEntries.map(\.position.y))
            var siteCandidates: [(entry: GazetteerEntry, x: Double, y: Double, events: Int)] = []
            for (k, s) in siteEntries.enumerated() where sx[k].isFinite && mapRect.inset(8).contains(x: sx[k], y: sy[k]) {
                let near = drawn.reduce(0) { $0 + (hypot($1.x - sx[k], $1.y - sy[k]) < 20 ? 1 : 0) }
                if near > 0 { siteCandidates.append((s, sx[k], sy[k], near)) }
            }
            var sitesPlaced = 0
            for c in siteCandidates.sorted(by: { $0.events > $1.events }) where sitesPlaced < 10 {
                if anchors.contains(where: { hypot($0.x - c.x, $0.y - c.y) < 10 }) || sameNameNearby(c.entry.name, c.x, c.y) { continue }
                let square = MapRect(minX: c.x - 4.5, minY: c.y - 4.5, maxX: c.x + 4.5, maxY: c.y + 4.5)
                guard placer.isFree(square) else { continue }
                if let l = placer.place(c.entry.name, size: 11, x: c.x, y: c.y, gap: 6, maxCoverage: 0.3) {
                    texts.append((l, 11, nil, MapStyle.mutedInk, nil))
                    placer.block(square)
                    squares.append((c.x, c.y))
                    anchors.append((c.x, c.y))
                    sitesPlaced += 1
                }
            }
        }

        // Place dots and site squares, then all labels with white halos.
        for p in dots {
            svg.element("circle", [("cx", n(p.x)), ("cy", n(p.y)), ("r", "2.8"), ("fill", "#3c3c3c"), ("stroke", "#ffffff"), ("stroke-width", "1")])
        }
        for p in squares {
            svg.element("rect", [("x", n(p.x - 3.5)), ("y", n(p.y - 3.5)), ("width", "7"), ("height", "7"), ("fill", "#ffffff"), ("fill-opacity", "0.8"),
                                 ("stroke", "#222222"), ("stroke-width", "1.4")])
        }
        svg.open("g", [("class", "labels"), ("font-family", MapStyle.fontFamily), ("stroke", MapStyle.halo), ("stroke-width", "3"),
                       ("stroke-linejoin", "round"), ("paint-order", "stroke"), ("stroke-opacity", "0.9")])
        for (l, size, weight, fill, spacing) in texts {
            var attrs = [("x", n(l.x)), ("y", n(l.y)), ("font-size", n(size)), ("fill", fill)]
            if l.anchor != "start" { attrs.append(("text-anchor", l.anchor)) }
            if let weight { attrs.append(("font-weight", weight)) }
            if let spacing { attrs.append(("letter-spacing", n(spacing))) }
            svg.element("text", attrs, text: l.text)
        }
        for l in graticule.labels {
            let w = MapStyle.textWidth(l.text, size: MapStyle.minimumFontSize)
            let x0 = l.anchor == "middle" ? l.x - w / 2 : l.x
            let box = MapRect(minX: x0, minY: l.y - 11, maxX: x0 + w, maxY: l.y + 3)
            if box.intersects(barRect) || !legend.isEmpty && box.intersects(legendRect) { continue }
            var attrs = [("x", n(l.x)), ("y", n(l.y)), ("font-size", n(MapStyle.minimumFontSize)), ("fill", "#4f6470")]
            if l.anchor != "start" { attrs.append(("text-anchor", l.anchor)) }
            svg.element("text", attrs, text: l.text)
        }
        svg.close("g")

        svg.element("rect", [("x", n(frame.left + 0.5)), ("y", n(frame.top + 0.5)), ("width", n(frame.width - 1)), ("height", n(frame.height - 1)),
                             ("fill", "none"), ("stroke", "#777777"), ("stroke-width", "1")])

        // Scale bar: two halves, true at the map's centre.
        drawScaleBar(into: &svg, x: barLeft, bottom: frame.bottom - margin, bar: bar)
        if abs(north) > 1 {
            drawNorthArrow(into: &svg, x: barLeft + bar.pixels + 50, y: frame.bottom - margin - 22, angle: north)
        }
        if !legend.isEmpty { legend.draw(into: &svg, x: legendRect.minX, y: legendRect.minY) }

        // Header and footer.
        let title = options.title ?? "Events: " + layers.map { ($0.name as NSString).lastPathComponent }.joined(separator: ", ")
        svg.element("text", [("x", "16"), ("y", "31"), ("font-family", MapStyle.fontFamily), ("font-size", "22"), ("font-weight", "bold"), ("fill", MapStyle.ink)],
                    text: title)
        svg.element("text", [("x", "16"), ("y", "54"), ("font-family", MapStyle.fontFamily), ("font-size", "13"), ("fill", MapStyle.mutedInk)],
                    text: subtitle(drawn: drawn, outside: outside, shapes: shapes))
        let footerY = frame.bottom + 17
        svg.element("text", [("x", "16"), ("y", n(footerY)), ("font-family", MapStyle.fontFamily), ("font-size", n(MapStyle.minimumFontSize)), ("fill", MapStyle.mutedInk)],
                    text: MapStyle.attribution)
        svg.element("text", [("x", "16"), ("y", n(footerY + 16)), ("font-family", MapStyle.fontFamily), ("font-size", n(MapStyle.minimumFontSize)), ("fill", MapStyle.mutedInk)],
                    text: "Projection: \(projectionName); scale bar true at the map's centre (WGS84 geodesic). Made with geo.")

        let records = options.interactive
            ? drawn.map { e in (e.info, e.startSeconds.isFinite ? (e.startSeconds / 86_400).rounded(.down) : Double.nan,
                                e.endSeconds.isFinite ? ((e.endSeconds - 1) / 86_400).rounded(.down) : Double.nan) }
            : []
        return MapDrawing(
            svg: svg.text, width: width, height: height, eventCount: drawn.count, eventsOutside: outside, duplicateEvents: duplicates,
            scaleBarMeters: bar.meters, scaleBarPixels: bar.pixels,
            mapLeft: frame.left, mapTop: frame.top, mapWidth: frame.width, mapHeight: frame.height,
            projection: projectionName, projectionDefinition: crs.definition,
            sides: sidesByCount.map { ($0.key, colors[$0.key] ?? MapStyle.unknownSide) },
            labels: texts.map(\.0.text), title: title, frame: frame, records: records)
    }

    // MARK: Pieces

    /// Events grouped by where they are drawn (2-px cells), named by their most frequent
    /// `location` (up to " (" and 34 characters), most events first.
    static func locationGroups(_ events: [MapEvent], radii: [Double]) -> [(name: String, x: Double, y: Double, count: Int, radius: Double)] {
        struct Group { var names: [String: Int] = [:]; var x = 0.0; var y = 0.0; var count = 0; var radius = 0.0; var deaths = 0.0 }
        var groups: [Int64: Group] = [:]
        for (e, r) in zip(events, radii) {
            let key = pixelKey((e.x / 2).rounded(), (e.y / 2).rounded())
            var g = groups[key] ?? Group(x: e.x, y: e.y)
            g.count += 1
            g.radius = max(g.radius, r)
            if e.fatalities.isFinite { g.deaths += e.fatalities }
            if let name = e.location { g.names[shortName(name), default: 0] += 1 }
            groups[key] = g
        }
        return groups.values.compactMap { g -> (String, Double, Double, Int, Double, Double)? in
            guard let name = g.names.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })?.key else { return nil }
            return (name, g.x, g.y, g.count, g.radius, g.deaths)
        }
        .sorted { $0.3 != $1.3 ? $0.3 > $1.3 : $0.5 != $1.5 ? $0.5 > $1.5 : $0.0 < $1.0 }
        .map { ($0.0, $0.1, $0.2, $0.3, $0.4) }
    }

    /// A name folded for comparison: letters and digits only, without case or diacritics,
    /// without a leading article ("al-Qaim", "Al Qāʼim" → "qaim").
    static func nameKey(_ name: String) -> String {
        var key = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        for article in ["al-", "al ", "el-", "el ", "ad-", "ar-", "as-", "ash-", "at-", "az-"] where key.hasPrefix(article) {
            key.removeFirst(article.count)
            break
        }
        // Letters and digits; not modifier letters such as ʼ (U+02BC), nor marks.
        let kept: Set<Unicode.GeneralCategory> = [.lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .otherLetter, .decimalNumber]
        return String(String.UnicodeScalarView(key.unicodeScalars.filter { kept.contains($0.properties.generalCategory) }))
    }

    /// A key for a whole pixel (or cell) of the canvas.
    static func pixelKey(_ x: Double, _ y: Double) -> Int64 { Int64(x) * 1_000_003 + Int64(y) }

    static func shortName(_ location: String) -> String {
        var name = location
        if let paren = name.range(of: " (") { name = String(name[..<paren.lowerBound]) }
        if name.count > 34 { name = String(name.prefix(33)) + "…" }
        return name
    }

    /// Days since 1970 of a `YYYY-MM-DD…` date.
    static func day(_ value: JSONValue?) -> Int? {
        guard let text = value?.stringValue, text.count >= 10 else { return nil }
        let parts = text.prefix(10).split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return UTCCalendar.daysSinceEpoch(year: y, month: m, day: d)
    }

    /// The pairs between the same two places (1-px cells), longest-lived order kept; pairs
    /// whose ends are drawn less than 3 px apart are left out (no arrow fits).
    static func pairGroups(_ pairs: [Shape]) -> [(from: Position, to: Position, members: [[String: JSONValue]])] {
        var groups: [(from: Position, to: Position, members: [[String: JSONValue]])] = []
        var index: [[Int]: Int] = [:]
        for s in pairs {
            guard case .lineString(let ps) = s.pixels, ps.count >= 2 else { continue }
            let a = ps[0], b = ps[ps.count - 1]
            guard hypot(b.x - a.x, b.y - a.y) >= 3 else { continue }
            let key = [a.x, a.y, b.x, b.y].map { Int($0.rounded()) }
            if let g = index[key] { groups[g].members.append(s.properties); continue }
            index[key] = groups.count
            groups.append((a, b, [s.properties]))
        }
        return groups
    }

    /// The lag of a pair as a label: "2 d", "1.5 d", "6 h"; an uncertain one (imprecise dates)
    /// as its range, "−1…7 d"; several pairs as the range of their lags and their number,
    /// "2–10 d ×3".
    static func lagText(_ pairs: [[String: JSONValue]]) -> String? {
        func days(_ d: Double) -> String { Format.trimmed(d, abs(d) < 10 ? 1 : 0).replacingOccurrences(of: "-", with: "−") }
        if pairs.count == 1 {
            let p = pairs[0]
            if p["certain"] == .bool(false), let lo = p["lag_min_days"]?.numberValue, let hi = p["lag_max_days"]?.numberValue {
                return days(lo) + "…" + days(hi) + " d"
            }
            if let hours = p["lag_hours"]?.numberValue, hours < 24 { return Format.trimmed(hours, 0) + " h" }
            return p["lag_days"]?.numberValue.map { days($0) + " d" }
        }
        let lags = pairs.compactMap { $0["lag_days"]?.numberValue }
        guard let lo = lags.min(), let hi = lags.max() else { return "×\(pairs.count)" }
        return (lo == hi ? days(lo) : days(lo) + "–" + days(hi)) + " d ×\(pairs.count)"
    }

    private func subtitle(drawn: [MapEvent], outside: Int, shapes: [Shape]) -> String {
        var parts: [String] = ["\(drawn.count) event\(drawn.count == 1 ? "" : "s")"]
        let starts = drawn.map(\.startSeconds).filter(\.isFinite), ends = drawn.map(\.endSeconds).filter(\.isFinite)
        if let first = starts.min(), let last = ends.max() {
            let a = UTCCalendar.isoDate(daysSinceEpoch: UTCCalendar.day(containingSeconds: first))
            let b = UTCCalendar.isoDate(daysSinceEpoch: UTCCalendar.day(containingSeconds: max(first, last - 1)))
            parts[0] += a == b ? " on \(a)" : " from \(a) to \(b)"
        }
        if let corridor = shapes.first(where: { $0.kind == .corridor }) {
            let border = corridor.properties["border"]?.stringValue ?? ""
            let km = corridor.properties["width_km"]?.numberValue.map { " ±" + Format.shortest($0) + " km" } ?? ""
            parts.append("border corridor \(border)\(km)")
        }
        let pairs = shapes.filter { $0.kind == .pair }.count
        if pairs > 0 { parts.append("\(pairs) attack → response pair\(pairs == 1 ? "" : "s")") }
        let hulls = shapes.filter { $0.kind == .hull }.count
        if hulls > 0 { parts.append("\(hulls) cluster area\(hulls == 1 ? "" : "s")") }
        if outside > 0 { parts.append("\(outside) outside the extent not drawn") }
        return parts.joined(separator: " · ")
    }

    private func legend(drawn: [MapEvent], sides: [String], colors: [String: String], types: [String: Int], scale: MapStyle.MarkerScale,
                        shapes: [Shape], nearLinks: Int, pairCount: Int) -> MapLegend {
        var sections: [MapLegendSection] = []
        var sideCounts: [String: Int] = [:]
        for e in drawn { sideCounts[e.side, default: 0] += 1 }
        let r = scale.base + 1.5
        if !sides.isEmpty {
            sections.append(MapLegendSection(title: "Actor side", rows: sides.map {
                (.marker(.circle, fill: colors[$0] ?? MapStyle.unknownSide, stroke: "#ffffff", radius: r, hollow: false), "\($0) (\(sideCounts[$0] ?? 0))")
            }))
        }
        if types.count > 1 || types.keys.contains(where: { MapStyle.shape(forEventType: $0) != .circle }) {
            let sorted = types.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            sections.append(MapLegendSection(title: "Event type", rows: sorted.map {
                (.marker(MapStyle.shape(forEventType: $0.key), fill: "#6b6b6b", stroke: "#ffffff", radius: r, hollow: false), "\($0.key) (\($0.value))")
            }))
        }
        let maxDeaths = drawn.map(\.fatalities).filter(\.isFinite).max() ?? 0
        if maxDeaths > 0 {
            var rows: [(MapLegendSymbol, String)] = []
            // None, and up to three round counts up to the largest drawn.
            var steps = [5.0, 10, 25, 50, scale.cap].filter { $0 <= max(maxDeaths, 5) }
            if steps.count > 3 { steps = [steps[0], steps[steps.count / 2], steps[steps.count - 1]] }
            for f in [0] + steps {
                let label = f == scale.cap ? "\(Int(f)) or more" : "\(Int(f))"
                rows.append((.marker(.circle, fill: "#bdbdbd", stroke: "#6b6b6b", radius: scale.radius(fatalities: f), hollow: false), label))
            }
            sections.append(MapLegendSection(title: "Fatalities (area)", rows: rows))
        }
        var other: [(MapLegendSymbol, String)] = []
        if drawn.contains(where: \.isApproximate) {
            other.append((.marker(.circle, fill: "#555555", stroke: "#ffffff", radius: r, hollow: true), "Approximate place (geo precision 3)"))
        }
        if let border = shapes.first(where: { $0.kind == .border }) {
            let name = border.properties["countries"]?.stringValue ?? border.properties["border"]?.stringValue ?? ""
            other.append((.line(stroke: MapStyle.borderLine, width: 2.4, dash: "10 3 2 3", casing: true), "Border \(name)"))
        }
        if let corridor = shapes.first(where: { $0.kind == .corridor }) {
            let km = corridor.properties["width_km"]?.numberValue.map { " (±\(Format.shortest($0)) km)" } ?? ""
            other.append((.band(fill: MapStyle.corridorFill, stroke: MapStyle.corridorStroke), "Border corridor\(km)"))
        }
        if shapes.contains(where: { $0.kind == .hull }) { other.append((.hull, "Cluster area")) }
        if pairCount > 0 { other.append((.arrow, pairCount <= 30 ? "Attack → response (lag)" : "Attack → response (wider: more pairs)")) }
        if nearLinks > 0 { other.append((.line(stroke: MapStyle.nearLink, width: 1, dash: "2 2", casing: false), "To the nearest site")) }
        if options.labels {
            other.append((.placeDot, "Town or city (GeoNames)"))
            other.append((.siteSquare, "Base, crossing or other site"))
        }
        if !other.isEmpty { sections.append(MapLegendSection(title: "Map", rows: other)) }
        return MapLegend(sections: sections, note: options.labels ? "Label (n): events drawn at that place" : nil)
    }

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
