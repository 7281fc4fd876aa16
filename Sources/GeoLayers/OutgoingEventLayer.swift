import GeoCore
import GeoEvents

/// A layer written as its events, each with the properties the analysis adds (cluster, near,
/// corridor): the one place that decides how those events go out.
public protocol OutgoingEventLayer {
    var events: EventLayer { get }
    /// The properties added to event `i`, in order. Reads only: called from several threads.
    func addedProperties(_ i: Int) -> [(String, JSONValue)]
    /// The writer of those properties as text (`AddedProperties.text`, the same bytes), for a
    /// layer that writes a million features; nil (the default): they are written as values.
    /// Given once, so that writing on several threads makes no `.text` with the shared writer
    /// per event (`EventLayer.encodeOutgoingFeatures(adding:addingText:…)`).
    var outgoingText: (any AddedPropertiesWriter)? { get }
}

extension OutgoingEventLayer {
    public var outgoingText: (any AddedPropertiesWriter)? { nil }

    /// The properties as they are written: `.text(outgoingText, index: i)`, else `addedProperties(i)`.
    public func outgoingProperties(_ i: Int) -> AddedProperties {
        if let writer = outgoingText { return .text(writer, index: i) }
        return .values(addedProperties(i))
    }

    /// Every event in input order with its added properties; plain input features as text to
    /// copy (the same bytes out). See `EventLayer.forEachOutgoingFeature`.
    public func forEachOutgoingEventFeature(_ body: (OutgoingFeature) throws -> Void) throws {
        try events.forEachOutgoingFeature(adding: outgoingProperties, body)
    }

    /// The same features encoded on all cores in batches, handed to `deliver` in input order
    /// (`EventLayer.encodeOutgoingFeatures`); `style` (none: the features as they are) runs on
    /// several threads at once.
    public func encodeOutgoingEventFeatures(
        sequence: Bool, encoder: GeoJSONEncoder, style: ((OutgoingFeature) -> OutgoingFeature)?,
        deliver: (EncodedFeatures) throws -> Void
    ) throws {
        let batchBytes = events.outgoingBatchBytes
        let makeBatch = { EncodedFeatures(sequence: sequence, encoder: encoder, reservingCapacity: batchBytes) }
        if let style {
            try events.encodeOutgoingFeatures(adding: outgoingProperties, addingText: outgoingText, makeBatch: makeBatch,
                                              encode: { feature, batch in batch.append(style(feature)) }, deliver: deliver)
        } else {
            try events.encodeOutgoingFeatures(adding: outgoingProperties, addingText: outgoingText, makeBatch: makeBatch,
                                              encode: { feature, batch in batch.append(feature) }, deliver: deliver)
        }
    }
}
