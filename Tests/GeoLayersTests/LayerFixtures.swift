import Foundation
import GeoCore
import GeoEvents
import Testing

/// Analysis fixtures as documents, as in Turf: `Fixtures/<analysis>/in/NAME.geojson` is a
/// FeatureCollection of events whose collection-level `"properties"` member holds the
/// analysis parameters; `Fixtures/<analysis>/out/NAME.geojson` (or `.json`) is what the
/// analysis must write, byte for byte. `GEO_REGEN=1 swift test --filter GeoLayersTests`
/// rewrites the outputs (then read the diff before committing).
enum LayerFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The input files of `analysis`, sorted by name.
    static func inputs(_ analysis: String) throws -> [URL] {
        let dir = root.appendingPathComponent(analysis).appendingPathComponent("in")
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "geojson" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// The parameters of an input: its collection's `properties` member.
    static func parameters(_ url: URL) throws -> ForeignMembers {
        var reader = GeoJSONReader()
        let bytes = try [UInt8](Data(contentsOf: url))
        let header = try bytes.withUnsafeBytes { try reader.forEachFeature(in: $0) { _, _ in } }
        return header.foreignMembers["properties"]?.objectValue ?? [:]
    }

    /// The event layer of an input.
    static func layer(_ url: URL, options: EventLayerOptions = EventLayerOptions()) throws -> EventLayer {
        try EventLayer.read(path: url.path, options: options)
    }

    /// Runs `analysis` over every input and compares its output with the expected file
    /// (`out/NAME.<outputExtension>`), or rewrites that file under GEO_REGEN=1.
    static func check(_ analysis: String, outputExtension: String = "geojson",
                      _ run: (EventLayer, ForeignMembers) throws -> [UInt8]) throws {
        let inputs = try inputs(analysis)
        #expect(!inputs.isEmpty, "no fixtures under \(analysis)/in")
        for input in inputs {
            let produced = try run(try layer(input), try parameters(input))
            let name = input.deletingPathExtension().lastPathComponent + "." + outputExtension
            let expectedURL = root.appendingPathComponent(analysis).appendingPathComponent("out").appendingPathComponent(name)
            if ProcessInfo.processInfo.environment["GEO_REGEN"] == "1" {
                try FileManager.default.createDirectory(at: expectedURL.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(produced).write(to: expectedURL)
                continue
            }
            let expected = try [UInt8](Data(contentsOf: expectedURL))
            #expect(String(decoding: produced, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
                    "\(analysis)/\(name) differs; GEO_REGEN=1 rewrites it")
        }
    }

    /// Features as a FeatureCollection, as the commands write them (6 decimals).
    static func collection(_ features: [Feature], foreignMembers: ForeignMembers = [:]) throws -> [UInt8] {
        let sink = MemorySink()
        let writer = try GeoJSONStreamWriter(sink: sink, encoder: GeoJSONEncoder(coordinateDecimals: 6), foreignMembers: foreignMembers)
        for f in features { try writer.write(f) }
        try writer.finish()
        return sink.bytes
    }

    /// A JSON value as the commands write it, with a line end.
    static func json(_ value: JSONValue) -> [UInt8] {
        var w = JSONWriter()
        w.append(value)
        w.appendByte(UInt8(ascii: "\n"))
        return w.bytes
    }
}
