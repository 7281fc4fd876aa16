import GeoCore
import GeoLayers

/// Features out to `-o`: a FeatureCollection (bbox written at the end) or an RFC 8142
/// GeoJSONSeq stream, with the coordinate decimals of `--precision`.
final class FeatureOutput {
    private let sink: ByteSink
    private let path: String
    private let collection: GeoJSONStreamWriter?
    private let sequence: GeoJSONSeqWriter?
    private let encoder: GeoJSONEncoder

    init(_ options: OutputOptions, sequence asSequence: Bool) throws {
        path = options.output
        encoder = options.encoder
        sink = try Console.current.sink(forOutput: options.output)
        if asSequence {
            collection = nil
            sequence = GeoJSONSeqWriter(sink: sink, encoder: options.encoder, recordSeparator: true)
        } else {
            collection = try GeoJSONStreamWriter(sink: sink, encoder: options.encoder)
            sequence = nil
        }
    }

    func write(_ feature: Feature) throws {
        if let collection { try collection.write(feature) } else { try sequence!.write(feature) }
    }

    func write(_ feature: OutgoingFeature) throws {
        if let collection { try collection.write(feature) } else { try sequence!.write(feature) }
    }

    /// Writes the events of `layer` with their added properties, styled by `style`: encoded on
    /// all cores in batches, written in input order (the bytes one at a time would write).
    func writeEvents(of layer: some OutgoingEventLayer, style: ((OutgoingFeature) -> OutgoingFeature)?) throws {
        try layer.encodeOutgoingEventFeatures(sequence: sequence != nil, encoder: encoder, style: style) { batch in
            if let collection { try collection.writeEncoded(batch) } else { try sequence!.writeEncoded(batch) }
        }
    }

    /// Ends the document, flushes, and closes a file output.
    func finish() throws {
        if let collection { try collection.finish() } else { try sequence!.finish() }
        try sink.flush()
        try Console.current.finishOutput(sink)
    }
}
