import Foundation
import GeoCore
import GeoGazetteer

/// The labels placed, with the place dots and site squares they name.
struct MapLabelSet {
    var texts: [(label: PlacedLabel, size: Double, weight: String?, fill: String, spacing: Double?)] = []
    var dots: [(x: Double, y: Double)] = []
    var squares: [(x: Double, y: Double)] = []
}

extension MapRenderer {
    /// Places labels, most important first, so that the later ones give way: where events are
    /// (their `location`, with the number of events), sites events are linked to, attack →
    /// response lags (when few), country names, the largest towns, curated sites near events.
    /// With `labels` off only the lags and country names.
    func placeLabels(_ scene: MapScene, countries: [MapCountry], overlays: MapOverlayResult, placer: inout MapLabelPlacer) throws -> MapLabelSet {
        var set = MapLabelSet()
        let frame = scene.frame, mapRect = scene.mapRect
        // Points already named, and names already on the map (folded): a place "Al Qāʼim" next
        // to the events' "al-Qaim" says nothing new.
        var anchors: [(x: Double, y: Double)] = []
        var named: [(key: String, x: Double, y: Double)] = []
        func nearAnchor(_ x: Double, _ y: Double, _ d: Double) -> Bool { anchors.contains { hypot($0.x - x, $0.y - y) < d } }
        func sameNameNearby(_ name: String, _ x: Double, _ y: Double) -> Bool {
            let key = Self.nameKey(name)
            return named.contains { $0.key == key && hypot($0.x - x, $0.y - y) < 60 }
        }

        if options.labels {
            for group in Self.locationGroups(scene.events, radii: scene.radii).prefix(24) {
                let text = group.count > 1 ? "\(group.name) (\(group.count))" : group.name
                if let l = placer.place(text, size: 12.5, bold: true, x: group.x, y: group.y, gap: group.radius + 3, maxCoverage: 0.35) {
                    set.texts.append((l, 12.5, "bold", MapStyle.ink, nil))
                    anchors.append((group.x, group.y))
                    named.append((Self.nameKey(group.name), group.x, group.y))
                }
            }
            for (name, p) in overlays.nearSites.sorted(by: { $0.key < $1.key }) {
                set.squares.append(p)
                placer.block(MapRect(minX: p.x - 4, minY: p.y - 4, maxX: p.x + 4, maxY: p.y + 4))
                if nearAnchor(p.x, p.y, 6) { continue }
                if let l = placer.place(name, size: 11.5, x: p.x, y: p.y, gap: 6, maxCoverage: 0.4) {
                    set.texts.append((l, 11.5, nil, MapStyle.mutedInk, nil))
                    anchors.append(p)
                }
            }
        }
        if overlays.pairCurves.count <= 30 {
            for c in overlays.pairCurves {
                guard let lag = c.lag else { continue }
                if let l = placer.place(lag, size: 11, bold: true, x: c.mid.x, y: c.mid.y, gap: 2, maxCoverage: 0.6, maxCentres: 1) {
                    set.texts.append((l, 11, "bold", MapStyle.pairStroke, nil))
                }
            }
        }
        for c in countries.sorted(by: { $0.area > $1.area }) where c.area > 12_000 {
            guard let p = c.labelPoint else { continue }
            let size = c.area > 250_000 ? 16.0 : c.area > 60_000 ? 14 : 12
            if let l = placer.placeCentred(c.name.uppercased(), size: size, letterSpacing: 1.5, x: p.x, y: p.y, shift: 24, maxCoverage: 0.15) {
                set.texts.append((l, size, nil, MapStyle.countryLabel, 1.5))
            }
        }
        guard options.labels else { return set }

        // Towns and cities, largest first, up to 16.
        let box = try frame.lonLatBox()
        let entries = gazetteer.entries
        let picked = Array(entries.indices.filter {
            entries[$0].kind == .place && entries[$0].population >= 20_000 && box.contains(entries[$0].position)
        }.sorted { entries[$0].population > entries[$1].population }.prefix(400))
        let candidates = picked.map { entries[$0] }
        let (px, py) = frame.pixels(lon: candidates.map(\.position.x), lat: candidates.map(\.position.y))
        // GeoNames lists parts of cities with populations of their own ("Al Mawşil al Jadīdah"
        // beside Mosul): of places within 12 km, the one with most other names (the city the
        // world names) stands for them.
        let otherNames = picked.map { gazetteer.aliasesOfEntry(at: $0).count }
        let near = 12_000 * frame.scale
        var placed = 0
        for (k, place) in candidates.enumerated() where placed < 16 {
            let p = (x: px[k], y: py[k])
            guard p.x.isFinite, mapRect.inset(8).contains(x: p.x, y: p.y) else { continue }
            if candidates.indices.contains(where: { j in
                j != k && otherNames[j] > otherNames[k] && candidates[j].population * 3 >= place.population && hypot(px[j] - p.x, py[j] - p.y) < near
            }) { continue }
            if nearAnchor(p.x, p.y, 14) || sameNameNearby(place.name, p.x, p.y) { continue }
            let dot = MapRect(minX: p.x - 3, minY: p.y - 3, maxX: p.x + 3, maxY: p.y + 3)
            guard placer.isFree(dot) else { continue }
            let big = place.population >= 1_000_000
            let size = big ? 13.0 : place.population >= 250_000 ? 12 : 11.5
            if let l = placer.place(place.name, size: size, bold: big, x: p.x, y: p.y, gap: 5, maxCoverage: 0.2) {
                set.texts.append((l, size, big ? "bold" : nil, "#333333", nil))
                set.dots.append(p)
                anchors.append(p)
                placer.block(dot)
                placed += 1
            }
        }

        // Curated sites (bases, crossings…) within 20 px and 25 km of an event and not yet
        // named, up to 10.
        let reach = min(20, 25_000 * frame.scale)
        let sites = entries.filter { $0.kind.isSite }
        let (sx, sy) = frame.pixels(lon: sites.map(\.position.x), lat: sites.map(\.position.y))
        var siteCandidates: [(entry: GazetteerEntry, x: Double, y: Double, events: Int)] = []
        let eventX = scene.events.map(\.x), eventY = scene.events.map(\.y)
        for (k, s) in sites.enumerated() where sx[k].isFinite && mapRect.inset(8).contains(x: sx[k], y: sy[k]) {
            var close = 0
            for j in eventX.indices {
                let dx = eventX[j] - sx[k], dy = eventY[j] - sy[k]
                // Outside the square around the site is out of reach: the distance is at least either side.
                if abs(dx) < reach, abs(dy) < reach, hypot(dx, dy) < reach { close += 1 }
            }
            if close > 0 { siteCandidates.append((s, sx[k], sy[k], close)) }
        }
        var sitesPlaced = 0
        for c in siteCandidates.sorted(by: { $0.events > $1.events }) where sitesPlaced < 10 {
            if nearAnchor(c.x, c.y, 10) || sameNameNearby(c.entry.name, c.x, c.y) { continue }
            let square = MapRect(minX: c.x - 4.5, minY: c.y - 4.5, maxX: c.x + 4.5, maxY: c.y + 4.5)
            guard placer.isFree(square) else { continue }
            if let l = placer.place(c.entry.name, size: 11, x: c.x, y: c.y, gap: 6, maxCoverage: 0.3) {
                set.texts.append((l, 11, nil, MapStyle.mutedInk, nil))
                placer.block(square)
                set.squares.append((c.x, c.y))
                anchors.append((c.x, c.y))
                sitesPlaced += 1
            }
        }
        return set
    }

    /// The dots of the towns and the squares of the sites labelled (under the markers).
    func drawPlaceSymbols(into svg: inout SVGDocument, _ set: MapLabelSet) {
        let n = MapStyle.number
        for p in set.dots {
            svg.element("circle", [("cx", n(p.x)), ("cy", n(p.y)), ("r", "2.8"), ("fill", "#3c3c3c"), ("stroke", "#ffffff"), ("stroke-width", "1")])
        }
        for p in set.squares {
            svg.element("rect", [("x", n(p.x - 3.5)), ("y", n(p.y - 3.5)), ("width", "7"), ("height", "7"), ("fill", "#ffffff"), ("fill-opacity", "0.8"),
                                 ("stroke", "#222222"), ("stroke-width", "1.4")])
        }
    }

    /// Every label and the graticule's degrees with white halos (`paint-order: stroke`);
    /// degrees under the legend or the scale bar are left out.
    func drawLabels(into svg: inout SVGDocument, _ set: MapLabelSet, graticule: MapGraticule, hiddenUnder furniture: [MapRect]) {
        let n = MapStyle.number
        svg.open("g", [("class", "labels"), ("font-family", MapStyle.fontFamily), ("stroke", MapStyle.halo), ("stroke-width", "3"),
                       ("stroke-linejoin", "round"), ("paint-order", "stroke"), ("stroke-opacity", "0.9")])
        for (l, size, weight, fill, spacing) in set.texts {
            var attrs = [("x", n(l.x)), ("y", n(l.y)), ("font-size", n(size)), ("fill", fill)]
            if l.anchor != "start" { attrs.append(("text-anchor", l.anchor)) }
            if let weight { attrs.append(("font-weight", weight)) }
            if let spacing { attrs.append(("letter-spacing", n(spacing))) }
            svg.element("text", attrs, text: l.text)
        }
        for l in graticule.labels where !furniture.contains(where: { $0.intersects(Self.graticuleLabelBox(l)) }) {
            var attrs = [("x", n(l.x)), ("y", n(l.y)), ("font-size", n(MapStyle.minimumFontSize)), ("fill", "#4f6470")]
            if l.anchor != "start" { attrs.append(("text-anchor", l.anchor)) }
            svg.element("text", attrs, text: l.text)
        }
        svg.close("g")
    }

    static func graticuleLabelBox(_ l: (text: String, x: Double, y: Double, anchor: String)) -> MapRect {
        let w = MapStyle.textWidth(l.text, size: MapStyle.minimumFontSize)
        let x0 = l.anchor == "middle" ? l.x - w / 2 : l.x
        return MapRect(minX: x0 - 2, minY: l.y - 11, maxX: x0 + w + 2, maxY: l.y + 3)
    }

    // MARK: Names

    /// Events grouped by where they are drawn (2-px cells), named by their most frequent
    /// `location` (up to " (" and 34 characters), most events first.
    static func locationGroups(_ events: [MapEvent], radii: [Double]) -> [(name: String, x: Double, y: Double, count: Int, radius: Double)] {
        struct Group { var names: [String: Int] = [:]; var x = 0.0; var y = 0.0; var count = 0; var radius = 0.0; var deaths = 0.0 }
        var groups: [Int64: Group] = [:]
        for (e, r) in zip(events, radii) {
            let key = MapScene.pixelKey((e.x / 2).rounded(), (e.y / 2).rounded())
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

    static func shortName(_ location: String) -> String {
        var name = location
        if let paren = name.range(of: " (") { name = String(name[..<paren.lowerBound]) }
        if name.count > 34 { name = String(name.prefix(33)) + "…" }
        return name
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
}
