import Foundation
import GeoCore
import GeoGazetteer
import GeoProj

/// What the overlays leave for the labels and the legend.
struct MapOverlayResult {
    /// Sites that events are linked to (`near_name`), in pixels.
    var nearSites: [String: (x: Double, y: Double)] = [:]
    var nearLinks = 0
    /// Arrow midpoints with their lag labels.
    var pairCurves: [(mid: (x: Double, y: Double), lag: String?)] = []
    var pairArrows = 0
}

extension MapRenderer {
    /// Cluster areas, the corridor band, other lines, the border, links to the nearest sites,
    /// attack → response arrows: in this order, under the event markers.
    func drawOverlays(into svg: inout SVGDocument, _ scene: MapScene) -> MapOverlayResult {
        var result = MapOverlayResult()
        for s in scene.shapes(.hull) {
            // An area a few pixels across (a cluster of one place) is drawn as a ring around it.
            let box = s.pixels.boundingBox
            let d = max(box.width, box.height) >= 14 ? MapBasemap.pathData(s.pixels)
                : MapStyle.markerPath(.circle, x: box.center.x, y: box.center.y, r: 7 + max(box.width, box.height) / 2, number: MapStyle.number)
            svg.element("path", [("class", "hull"), ("d", d), ("fill", MapStyle.clusterStroke), ("fill-opacity", "0.1"),
                                 ("stroke", MapStyle.clusterStroke), ("stroke-width", "1.2"), ("stroke-dasharray", "4 3"), ("fill-rule", "evenodd")])
        }
        for s in scene.shapes(.corridor) {
            svg.element("path", [("class", "corridor"), ("d", MapBasemap.pathData(s.pixels)), ("fill", MapStyle.corridorFill), ("fill-opacity", "0.42"),
                                 ("stroke", MapStyle.corridorStroke), ("stroke-width", "0.9"), ("fill-rule", "evenodd")])
        }
        for s in scene.shapes(.line) {
            svg.element("path", [("class", "line"), ("d", MapBasemap.pathData(s.pixels)), ("fill", "none"), ("stroke", "#666666"), ("stroke-width", "1.5")])
        }
        for s in scene.shapes(.border) {
            let d = MapBasemap.pathData(s.pixels)
            svg.element("path", [("d", d), ("fill", "none"), ("stroke", "#ffffff"), ("stroke-width", "5"), ("stroke-opacity", "0.8"), ("stroke-linejoin", "round")])
            svg.element("path", [("class", "border"), ("d", d), ("fill", "none"), ("stroke", MapStyle.borderLine), ("stroke-width", "2.4"),
                                 ("stroke-dasharray", "10 3 2 3"), ("stroke-linejoin", "round")])
        }
        drawNearLinks(into: &svg, scene, &result)
        drawPairs(into: &svg, scene, &result)
        return result
    }

    /// A dotted line from each event with `near_name` to that site: the gazetteer's site of that
    /// name, else the point `near_distance_km` away against `near_bearing_deg`.
    private func drawNearLinks(into svg: inout SVGDocument, _ scene: MapScene, _ result: inout MapOverlayResult) {
        let n = MapStyle.number
        var siteByName: [String: Position] = [:]
        for s in gazetteer.entries where s.kind.isSite && siteByName[s.name] == nil { siteByName[s.name] = s.position }
        svg.open("g", [("class", "near"), ("stroke", MapStyle.nearLink), ("stroke-width", "1"), ("stroke-dasharray", "2 2"), ("fill", "none")])
        for e in scene.events {
            guard let name = e.nearName, let km = e.nearDistanceKm, km > 0.05 else { continue }
            var site = siteByName[name]
            if site == nil, let bearing = e.nearBearing {
                site = try? Geodesic.wgs84.direct(from: Position(x: e.longitude, y: e.latitude), azimuthDegrees: bearing + 180, distanceMeters: km * 1000).destination
            }
            guard let site, let p = scene.frame.pixel(site) else { continue }
            svg.element("path", [("d", "M\(n(e.x)) \(n(e.y))L\(n(p.x)) \(n(p.y))")])
            result.nearSites[name] = p
            result.nearLinks += 1
        }
        svg.close("g")
    }

    /// Curved arrows from the earlier event to the later, ending at the edge of the later's
    /// marker; pairs between the same two places are one arrow, wider with their number.
    private func drawPairs(into svg: inout SVGDocument, _ scene: MapScene, _ result: inout MapOverlayResult) {
        let n = MapStyle.number
        // The largest marker drawn at a pixel, so that arrows end at its edge.
        var markerRadius: [Int64: Double] = [:]
        for (e, r) in zip(scene.events, scene.radii) {
            let key = MapScene.pixelKey(e.x.rounded(), e.y.rounded())
            markerRadius[key] = max(markerRadius[key] ?? 0, r)
        }
        func targetRadius(_ p: Position) -> Double {
            var r = 0.0
            for dx in -1...1 {
                for dy in -1...1 { r = max(r, markerRadius[MapScene.pixelKey(p.x.rounded() + Double(dx), p.y.rounded() + Double(dy))] ?? 0) }
            }
            return r
        }
        let groups = Self.pairGroups(scene.shapes(.pair))
        result.pairArrows = groups.count
        let many = groups.count > 40
        svg.open("g", [("class", "pairs"), ("fill", "none"), ("stroke", MapStyle.pairStroke), ("stroke-opacity", many ? "0.5" : "0.8"),
                       ("marker-end", many ? "url(#arrow-small)" : "url(#arrow)")])
        for group in groups {
            let a = group.from, b = group.to
            let dx = b.x - a.x, dy = b.y - a.y, length = hypot(dx, dy)
            let bend = 0.2 * length
            let c = (x: (a.x + b.x) / 2 + dy / length * bend, y: (a.y + b.y) / 2 - dx / length * bend)
            // End short of the response's centre, along the curve's last tangent.
            let tx = b.x - c.x, ty = b.y - c.y, tl = max(hypot(tx, ty), 1e-9)
            let cut = min(targetRadius(b) + 1.5, length / 3)
            let end = (x: b.x - tx / tl * cut, y: b.y - ty / tl * cut)
            let width = min(4.5, (many ? 0.8 : 1.3) * Double(group.members.count).squareRoot())
            // Each pair's days, for the HTML time slider: "from:to from:to…".
            let spans = group.members.map { p in
                [Self.day(p["from_date"]), Self.day(p["to_date"])].map { $0.map(String.init) ?? "" }.joined(separator: ":")
            }
            svg.element("path", [("d", "M\(n(a.x)) \(n(a.y))Q\(n(c.x)) \(n(c.y)) \(n(end.x)) \(n(end.y))"), ("stroke-width", n(width)),
                                 ("data-t", spans.joined(separator: " ")), ("data-n", String(group.members.count))])
            let mid = (x: 0.25 * a.x + 0.5 * c.x + 0.25 * end.x, y: 0.25 * a.y + 0.5 * c.y + 0.25 * end.y)
            result.pairCurves.append((mid, Self.lagText(group.members)))
        }
        svg.close("g")
    }

    /// One element per event (class `ev`, `data-i` its index), largest first so that small
    /// ones stay on top: colour by side, shape by type, area by deaths, hollow when approximate.
    func drawMarkers(into svg: inout SVGDocument, _ scene: MapScene) {
        let n = MapStyle.number
        let events = scene.events, radii = scene.radii, scale = scene.scale
        let starts = events.map(\.startSeconds)  // (not the events themselves, copied at each look)
        let order = events.indices.sorted {
            radii[$0] != radii[$1] ? radii[$0] > radii[$1] : (starts[$0], $0) < (starts[$1], $1)
        }
        svg.open("g", [("class", "events"), ("stroke-linejoin", "round"), ("fill-opacity", n(scale.opacity))])
        for i in order {
            let e = events[i]
            let color = scene.color(e.side)
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
    }

    // MARK: Pairs

    /// The pairs between the same two places (1-px cells), in input order; pairs whose ends are
    /// drawn less than 3 px apart are left out (no arrow fits).
    static func pairGroups(_ pairs: [MapScene.Shape]) -> [(from: Position, to: Position, members: [[String: JSONValue]])] {
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

    /// Days since 1970 of a `YYYY-MM-DD…` date.
    static func day(_ value: JSONValue?) -> Int? {
        guard let text = value?.stringValue, text.count >= 10 else { return nil }
        let parts = text.prefix(10).split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return UTCCalendar.daysSinceEpoch(year: y, month: m, day: d)
    }
}
