import Foundation
import GeoCore
import GeoGEOS

/// A country of the basemap, clipped to the frame, in canvas pixels.
struct MapCountry {
    var name: String
    var code: String?
    /// SVG path data (even-odd rings).
    var path: String
    /// Pixels² inside the frame.
    var area: Double
    /// A point inside its largest part, for the label.
    var labelPoint: (x: Double, y: Double)?
    /// Whether events lie in it: such countries are drawn lighter than the others.
    var hasEvents = false
    /// Its fill: light for countries with events, darker for the others, each different from
    /// the countries it touches in the same group.
    var fill = MapStyle.focusFills[0]
}

/// A graticule line and where it meets the frame's edge.
struct MapGraticule {
    var paths: [String] = []
    /// Labels of meridians (along the top edge) and parallels (along the left edge).
    var labels: [(text: String, x: Double, y: Double, anchor: String)] = []
    var stepDegrees: Double = 1
}

/// The basemap: Natural Earth country polygons clipped to the frame (GEOS) and a graticule.
enum MapBasemap {
    /// The countries of `countries.geojson` that the frame shows, clipped to it, projected and
    /// simplified to a quarter pixel, with fills chosen so that neighbours differ.
    static func countries(frame: MapFrame, file: String, eventX: [Double], eventY: [Double]) throws -> [MapCountry] {
        let geos = try GeosContext()
        var box = try frame.lonLatBox()
        let margin = max(0.5, 0.05 * max(box.width, box.height))
        box = BoundingBox(minX: max(-180, box.minX - margin), minY: max(-89.9, box.minY - margin),
                          maxX: min(180, box.maxX + margin), maxY: min(89.9, box.maxY + margin))
        let lonLatClip = try geos.rectangle(box)
        let pixelClip = try geos.rectangle(BoundingBox(minX: frame.left - 1, minY: frame.top - 1, maxX: frame.right + 1, maxY: frame.bottom + 1))

        let input: InputFile
        do { input = try InputFile(path: file) } catch { throw MapError("basemap: \(error)") }
        var picked: [(name: String, code: String?, geometry: Geometry)] = []
        var reader = GeoJSONReader()
        do {
            _ = try input.withUnsafeBytes { buffer in
                try reader.forEachFeature(in: buffer) { _, feature in
                    guard let g = feature.geometry else { return }
                    let b = g.boundingBox
                    guard !b.isEmpty, b.maxX >= box.minX, b.minX <= box.maxX, b.maxY >= box.minY, b.minY <= box.maxY else { return }
                    let name = feature[property: "name"]?.stringValue ?? feature[property: "iso_a2"]?.stringValue ?? ""
                    picked.append((name, feature[property: "iso_a2"]?.stringValue, g))
                }
            }
        } catch {
            throw MapError("basemap \(file): \(error)")
        }

        var countries: [MapCountry] = []
        var shapes: [GeosGeometry] = []
        // A fifth of a pixel in degrees (a degree is at least 111 km along a meridian): on maps
        // of a continent or the world, outlines are thinned before they are clipped and projected.
        let degreeTolerance = 0.2 / (frame.scale * 111_000)
        for country in picked {
            var outline = try geos.geometry(from: country.geometry)
            if degreeTolerance > 0.005, let thinner = try? outline.simplify(tolerance: degreeTolerance, preserveTopology: false), !thinner.isEmpty { outline = thinner }
            let clipped = try clip(outline, to: lonLatClip)
            guard !clipped.isEmpty else { continue }
            let lonLat = try clipped.toGeometry()
            var lons: [Double] = [], lats: [Double] = []
            lonLat.forEachPosition { lons.append($0.x); lats.append($0.y) }
            let (xs, ys) = frame.pixels(lon: lons, lat: lats)
            guard xs.allSatisfy(\.isFinite) else { continue }
            var next = 0
            let pixels = lonLat.mapPositions { _ in
                defer { next += 1 }
                return Position(x: xs[next], y: ys[next])
            }
            guard let inFrame = try? clip(geos.geometry(from: pixels), to: pixelClip), !inFrame.isEmpty, (try? inFrame.area) ?? 0 > 0.5 else { continue }
            let simple = (try? inFrame.simplify(tolerance: 0.25)) ?? inFrame
            let value = try simple.toGeometry()
            var label: (Double, Double)?
            if let largest = largestPolygon(value), let point = try? geos.geometry(from: .polygon(largest)).pointOnSurface().toGeometry(),
               case .point(let p) = point {
                label = (p.x, p.y)
            }
            countries.append(MapCountry(name: country.name, code: country.code, path: pathData(value), area: (try? inFrame.area) ?? 0, labelPoint: label))
            shapes.append(simple)
        }
        // Countries with events (a sample of at most 4,000 of them is enough to tell).
        let stride = max(1, eventX.count / 4_000)
        let sampleX = Swift.stride(from: 0, to: eventX.count, by: stride).map { eventX[$0] }
        let sampleY = Swift.stride(from: 0, to: eventY.count, by: stride).map { eventY[$0] }
        for i in countries.indices where !sampleX.isEmpty {
            countries[i].hasEvents = (try? shapes[i].prepared().covers(x: sampleX, y: sampleY).contains(true)) ?? false
        }
        // Greedy colouring, largest first: each country takes the first fill of its group that
        // no neighbour of the same group has.
        let order = countries.indices.sorted { countries[$0].area > countries[$1].area }
        // Neighbours: outlines within 1.5 px, measured only between boxes that come that close.
        let boxes = shapes.map(\.envelope)
        func touch(_ i: Int, _ j: Int) -> Bool {
            let a = boxes[i], b = boxes[j]
            guard a.minX <= b.maxX + 1.5, b.minX <= a.maxX + 1.5, a.minY <= b.maxY + 1.5, b.minY <= a.maxY + 1.5 else { return false }
            return (try? shapes[i].distance(to: shapes[j])).map { $0 < 1.5 } ?? false
        }
        var assigned: [Int: String] = [:]
        for i in order {
            let palette = countries[i].hasEvents ? MapStyle.focusFills : MapStyle.otherFills
            var taken = Set<String>()
            for (j, fill) in assigned where touch(i, j) { taken.insert(fill) }
            let fill = palette.first { !taken.contains($0) } ?? palette[0]
            assigned[i] = fill
            countries[i].fill = fill
        }
        return countries
    }

    /// `g` ∩ `clip`, repairing `g` first when GEOS finds it invalid.
    private static func clip(_ g: GeosGeometry, to clip: GeosGeometry) throws -> GeosGeometry {
        do { return try g.intersection(clip) } catch { return try g.makeValid().intersection(clip) }
    }

    private static func largestPolygon(_ g: Geometry) -> [[Position]]? {
        switch g {
        case .polygon(let rings): return rings
        case .multiPolygon(let polygons): return polygons.max { abs(Ring.signedDoubleArea($0[0])) < abs(Ring.signedDoubleArea($1[0])) }
        case .geometryCollection(let parts):
            return parts.compactMap(largestPolygon).max { abs(Ring.signedDoubleArea($0[0])) < abs(Ring.signedDoubleArea($1[0])) }
        default: return nil
        }
    }

    /// SVG path data of a geometry in pixels: rings closed with `Z`, lines open; one decimal.
    static func pathData(_ g: Geometry) -> String {
        var d = ""
        func run(_ ps: [Position], closed: Bool) {
            guard ps.count >= 2 else { return }
            for (i, p) in ps.enumerated() where !(closed && i == ps.count - 1 && ps.count > 2 && p == ps[0]) {
                d += (i == 0 ? "M" : "L") + Format.trimmed(p.x, 1) + " " + Format.trimmed(p.y, 1)
            }
            if closed { d += "Z" }
        }
        switch g {
        case .point, .multiPoint: break
        case .lineString(let ps): run(ps, closed: false)
        case .multiLineString(let ls): for l in ls { run(l, closed: false) }
        case .polygon(let rings): for r in rings { run(r, closed: true) }
        case .multiPolygon(let ps): for rings in ps { for r in rings { run(r, closed: true) } }
        case .geometryCollection(let gs): for part in gs { d += pathData(part) }
        }
        return d
    }

    // MARK: Graticule

    /// Meridians and parallels every 0.1° … 30°, about five to eight across the frame's larger
    /// side, with degree labels where they leave the frame (top and left edges).
    static func graticule(frame: MapFrame) throws -> MapGraticule {
        let box = try frame.lonLatBox()
        let span = max(box.width, box.height)
        let steps = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 15, 20, 30]
        let step = steps.first { span / $0 <= 8 } ?? 30
        var result = MapGraticule(stepDegrees: step)
        let samples = 64
        func degrees(_ v: Double, _ pos: String, _ neg: String) -> String {
            let r = (v * 100).rounded() / 100
            return Format.trimmed(abs(r), 2) + "°" + (r > 0 ? pos : r < 0 ? neg : "")
        }
        func line(_ positions: [(Double, Double)]) -> [(x: Double, y: Double)] {
            let (xs, ys) = frame.pixels(lon: positions.map(\.0), lat: positions.map(\.1))
            return zip(xs, ys).filter { $0.0.isFinite && $0.1.isFinite }.map { (x: $0.0, y: $0.1) }
        }
        func emit(_ pts: [(x: Double, y: Double)]) {
            guard pts.count >= 2 else { return }
            result.paths.append(pts.enumerated().map { ($0.offset == 0 ? "M" : "L") + Format.trimmed($0.element.x, 1) + " " + Format.trimmed($0.element.y, 1) }.joined())
        }
        var lon = (box.minX / step).rounded(.up) * step
        while lon <= box.maxX + 1e-9 {
            let pts = line((0...samples).map { (lon, box.minY + (box.maxY - box.minY) * Double($0) / Double(samples)) })
            emit(pts)
            // Where the meridian crosses the top edge.
            for (a, b) in zip(pts, pts.dropFirst()) where (a.y - frame.top) * (b.y - frame.top) <= 0 && a.y != b.y {
                let x = a.x + (b.x - a.x) * (frame.top - a.y) / (b.y - a.y)
                if x > frame.left + 40, x < frame.right - 40 { result.labels.append((degrees(lon, "E", "W"), x, frame.top + 15, "middle")) }
                break
            }
            lon += step
        }
        var lat = (box.minY / step).rounded(.up) * step
        while lat <= box.maxY + 1e-9 {
            let pts = line((0...samples).map { (box.minX + (box.maxX - box.minX) * Double($0) / Double(samples), lat) })
            emit(pts)
            for (a, b) in zip(pts, pts.dropFirst()) where (a.x - frame.left) * (b.x - frame.left) <= 0 && a.x != b.x {
                let y = a.y + (b.y - a.y) * (frame.left - a.x) / (b.x - a.x)
                if y > frame.top + 30, y < frame.bottom - 20 { result.labels.append((degrees(lat, "N", "S"), frame.left + 5, y - 4, "start")) }
                break
            }
            lat += step
        }
        return result
    }
}
