import Foundation

/// A rectangle on the canvas, pixels.
struct MapRect {
    var minX: Double
    var minY: Double
    var maxX: Double
    var maxY: Double

    init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    init(x: Double, y: Double, width: Double, height: Double) {
        self.init(minX: x, minY: y, maxX: x + width, maxY: y + height)
    }

    var width: Double { maxX - minX }
    var height: Double { maxY - minY }

    func intersects(_ o: MapRect) -> Bool { minX < o.maxX && o.minX < maxX && minY < o.maxY && o.minY < maxY }
    func contains(_ o: MapRect) -> Bool { o.minX >= minX && o.maxX <= maxX && o.minY >= minY && o.maxY <= maxY }
    func contains(x: Double, y: Double) -> Bool { x >= minX && x <= maxX && y >= minY && y <= maxY }
    func inset(_ d: Double) -> MapRect { MapRect(minX: minX + d, minY: minY + d, maxX: maxX - d, maxY: maxY - d) }
}

/// A label placed: its text's anchor point, alignment and box.
struct PlacedLabel {
    var text: String
    var x: Double
    var y: Double
    /// SVG `text-anchor`: start, middle or end.
    var anchor: String
    var box: MapRect
}

/// Greedy label placement: each label tries positions around its point in a fixed order and
/// takes the one that stays inside the map, overlaps no label or furniture placed before it
/// (hard boxes), covers no marker's centre and least of the markers' area (a coverage grid of
/// 4-px cells); a label that finds no such position is dropped. Earlier labels win, so callers place the
/// most important first.
struct MapLabelPlacer {
    let bounds: MapRect
    private(set) var boxes: [MapRect] = []
    private let cell = 4.0
    private let columns: Int
    private let rows: Int
    /// Marker coverage per cell (0/1) and marker centres per cell, and their prefix sums for
    /// rectangle queries.
    private var covered: [UInt8]
    private var centres: [Int32]
    private var sums: [Int32] = []
    private var centreSums: [Int32] = []

    init(bounds: MapRect) {
        self.bounds = bounds
        columns = max(1, Int((bounds.maxX / cell).rounded(.up)) + 1)
        rows = max(1, Int((bounds.maxY / cell).rounded(.up)) + 1)
        covered = Array(repeating: 0, count: columns * rows)
        centres = Array(repeating: 0, count: columns * rows)
    }

    /// A box no label may overlap (legend, scale bar, a label drawn by other means).
    mutating func block(_ rect: MapRect) { boxes.append(rect) }

    /// Marks a marker's box as covered and its centre (before `finishMarkers`).
    mutating func cover(_ rect: MapRect) {
        let cx = Int((rect.minX + rect.maxX) / 2 / cell), cy = Int((rect.minY + rect.maxY) / 2 / cell)
        if cx >= 0, cx < columns, cy >= 0, cy < rows { centres[cy * columns + cx] += 1 }
        let c0 = max(0, Int(rect.minX / cell)), c1 = min(columns - 1, Int(rect.maxX / cell))
        let r0 = max(0, Int(rect.minY / cell)), r1 = min(rows - 1, Int(rect.maxY / cell))
        guard c0 <= c1, r0 <= r1 else { return }
        for r in r0...r1 { for c in c0...c1 { covered[r * columns + c] = 1 } }
    }

    /// Builds the prefix sums of the coverage grid; call once the markers are in.
    mutating func finishMarkers() {
        func prefixSums(_ values: [Int32]) -> [Int32] {
            var sums = Array(repeating: Int32(0), count: (columns + 1) * (rows + 1))
            for r in 0..<rows {
                var run: Int32 = 0
                for c in 0..<columns {
                    run += values[r * columns + c]
                    sums[(r + 1) * (columns + 1) + c + 1] = sums[r * (columns + 1) + c + 1] + run
                }
            }
            return sums
        }
        sums = prefixSums(covered.map(Int32.init))
        centreSums = prefixSums(centres)
    }

    /// The sum of `table`'s cells under `rect` and the number of cells.
    private func total(_ table: [Int32], _ rect: MapRect) -> (Int32, Int) {
        guard !table.isEmpty else { return (0, 1) }
        let c0 = max(0, Int(rect.minX / cell)), c1 = min(columns - 1, Int(rect.maxX / cell))
        let r0 = max(0, Int(rect.minY / cell)), r1 = min(rows - 1, Int(rect.maxY / cell))
        guard c0 <= c1, r0 <= r1 else { return (0, 1) }
        let w = columns + 1
        return (table[(r1 + 1) * w + c1 + 1] - table[r0 * w + c1 + 1] - table[(r1 + 1) * w + c0] + table[r0 * w + c0], (c1 - c0 + 1) * (r1 - r0 + 1))
    }

    /// The share of `rect` covered by markers (0…1).
    func coverage(_ rect: MapRect) -> Double {
        let (covered, cells) = total(sums, rect)
        return Double(covered) / Double(cells)
    }

    /// The number of marker centres under `rect` (to the 4-px cell).
    func markerCentres(_ rect: MapRect) -> Int { Int(total(centreSums, rect).0) }

    func isFree(_ rect: MapRect) -> Bool { bounds.contains(rect) && !boxes.contains { $0.intersects(rect) } }

    /// Places `text` (font `size`) beside the point (x, y) at `gap` pixels: right, left, above,
    /// below, then the diagonals. Nil when every position is taken or covers more than
    /// `maxCoverage` of markers.
    mutating func place(_ text: String, size: Double, bold: Bool = false, x: Double, y: Double, gap: Double,
                        maxCoverage: Double = 0.3, maxCentres: Int = 0) -> PlacedLabel? {
        let w = MapStyle.textWidth(text, size: size, bold: bold)
        let ascent = size * 0.78, descent = size * 0.24
        let pad = 1.5
        // (anchor x, baseline y, text-anchor)
        // Above and below (and the diagonals) clear the labels beside the point.
        let v = max(gap, 0.5 * size + 1)
        let d = max(gap * 0.7, 0.5 * size + 1)
        let candidates: [(Double, Double, String)] = [
            (x + gap, y + ascent / 2 - descent / 2, "start"),
            (x - gap, y + ascent / 2 - descent / 2, "end"),
            (x, y - v - descent, "middle"),
            (x, y + v + ascent, "middle"),
            (x + d, y - d - descent, "start"),
            (x + d, y + d + ascent, "start"),
            (x - d, y - d - descent, "end"),
            (x - d, y + d + ascent, "end"),
        ]
        var best: (PlacedLabel, Double)?
        for (cx, cy, anchor) in candidates {
            let x0 = anchor == "start" ? cx : anchor == "end" ? cx - w : cx - w / 2
            let box = MapRect(minX: x0 - pad, minY: cy - ascent - pad, maxX: x0 + w + pad, maxY: cy + descent + pad)
            // A label never hides a marker's centre (unless allowed): it would hide an event.
            guard isFree(box), markerCentres(box) <= maxCentres else { continue }
            let cost = coverage(box)
            if cost <= maxCoverage, best == nil || cost < best!.1 - 0.02 {
                best = (PlacedLabel(text: text, x: cx, y: cy, anchor: anchor, box: box), cost)
                if cost == 0 { break }
            }
        }
        guard let (label, _) = best else { return nil }
        boxes.append(label.box)
        return label
    }

    /// Places `text` centred on (x, y), or shifted by up to `shift` pixels; nil when nothing fits.
    mutating func placeCentred(_ text: String, size: Double, letterSpacing: Double = 0, x: Double, y: Double, shift: Double,
                               maxCoverage: Double = 0.5) -> PlacedLabel? {
        let w = MapStyle.textWidth(text, size: size, letterSpacing: letterSpacing)
        let ascent = size * 0.78, descent = size * 0.24
        let offsets: [(Double, Double)] = [(0, 0), (0, -shift), (0, shift), (-shift, 0), (shift, 0), (0, -2 * shift), (0, 2 * shift)]
        for (dx, dy) in offsets {
            let cx = x + dx, cy = y + dy + ascent / 2
            let box = MapRect(minX: cx - w / 2 - 2, minY: cy - ascent - 2, maxX: cx + w / 2 + 2, maxY: cy + descent + 2)
            guard isFree(box), coverage(box) <= maxCoverage, markerCentres(box) == 0 else { continue }
            boxes.append(box)
            return PlacedLabel(text: text, x: cx, y: cy, anchor: "middle", box: box)
        }
        return nil
    }
}
