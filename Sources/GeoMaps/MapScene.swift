import Foundation
import GeoCore
import GeoEvents

/// What the drawing steps share: the frame, the events drawn (in pixels) with their styles,
/// and the lines and polygons in pixels.
struct MapScene {
    let frame: MapFrame
    let events: [MapEvent]
    /// Marker radius of each event.
    let radii: [Double]
    let scale: MapStyle.MarkerScale
    /// Sides drawn, most frequent first, with their counts and colours.
    let sides: [(side: String, count: Int)]
    let colors: [String: String]
    /// Event types drawn with their counts.
    let types: [String: Int]
    let shapes: [Shape]

    var mapRect: MapRect { MapRect(x: frame.left, y: frame.top, width: frame.width, height: frame.height) }

    init(frame: MapFrame, events: [MapEvent], shapes: [Shape]) {
        self.frame = frame
        self.events = events
        self.shapes = shapes
        scale = MapStyle.MarkerScale(eventCount: events.count)
        var sideCounts: [String: Int] = [:], typeCounts: [String: Int] = [:]
        for e in events {
            sideCounts[e.side, default: 0] += 1
            typeCounts[e.eventType, default: 0] += 1
        }
        sides = SideColors.ordered(sideCounts)
        colors = MapStyle.sideColors(counts: sides.map { ($0.side, $0.count) })
        types = typeCounts
        let scale = scale
        radii = events.map { scale.radius(fatalities: $0.fatalities) }
    }

    func color(_ side: String) -> String { colors[side] ?? MapStyle.unknownSide }

    func shapes(_ kind: ShapeKind) -> [Shape] { shapes.filter { $0.kind == kind } }

    // MARK: Shapes

    /// What a line or polygon is, by its `layer`: corridor band, border line, attack → response
    /// pair; other polygons are drawn as cluster areas, other lines plainly.
    enum ShapeKind { case corridor, border, pair, hull, line }

    struct Shape {
        var kind: ShapeKind
        /// The geometry in canvas pixels.
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

    /// The features in pixels; a feature PROJ cannot project whole is left out.
    static func shapes(_ features: [Feature], frame: MapFrame) -> [Shape] {
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
            var properties: [String: JSONValue] = [:]
            for (key, v) in f.properties ?? [:] { properties[key] = v }
            shapes.append(Shape(kind: kind(of: f), pixels: pixels, properties: properties))
        }
        return shapes
    }

    /// A key for a whole pixel (or cell) of the canvas.
    static func pixelKey(_ x: Double, _ y: Double) -> Int64 { Int64(x) * 1_000_003 + Int64(y) }
}
