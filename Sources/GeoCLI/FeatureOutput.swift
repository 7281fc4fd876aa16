import GeoCore

/// Features out to `-o`: a FeatureCollection (bbox written at the end) or an RFC 8142
/// GeoJSONSeq stream, with the coordinate decimals of `--precision`.
final class FeatureOutput {
    private let sink: ByteSink
    private let path: String
    private let collection: GeoJSONStreamWriter?
    private let sequence: GeoJSONSeqWriter?

    init(_ options: OutputOptions, sequence asSequence: Bool) throws {
        path = options.output
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

    /// Ends the document, flushes, and closes a file output.
    func finish() throws {
        if let collection { try collection.finish() } else { try sequence!.finish() }
        try sink.flush()
        try Console.current.finishOutput(sink)
    }
}
