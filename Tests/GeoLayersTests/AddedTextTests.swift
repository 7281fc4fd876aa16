import Foundation
import GeoCore
@testable import GeoEvents
import GeoGazetteer
import GeoLayers
import Testing

/// Each layer's added properties written as text (`outgoingProperties`, and by a thread's copy
/// of its writer) against the same properties as values (`addedProperties`) written by
/// `JSONWriter`: the same bytes and names.
func expectAddedTextMatchesValues(_ layer: some OutgoingEventLayer, _ label: String) {
    var differing: [Int] = []
    for i in 0..<layer.events.count {
        let values = layer.addedProperties(i)
        let outgoing = layer.outgoingProperties(i)
        var fromValues = JSONWriter(), fromText = JSONWriter()
        AddedProperties.values(values).appendMembers(to: &fromValues)
        outgoing.appendMembers(to: &fromText)
        // A thread's copy of the writer (`copyForThread`) writes the same, under the same names.
        var fromCopy = JSONWriter()
        var copyNames = outgoing.names
        if case .text(let writer, let index) = outgoing {
            let copy = writer.copyForThread()
            copy.appendMembers(index, to: &fromCopy)
            copyNames = copy.addedNames.names
        } else {
            outgoing.appendMembers(to: &fromCopy)
        }
        let same = fromValues.bytes == fromText.bytes && outgoing.names == values.map(\.0) && fromCopy.bytes == fromText.bytes
            && copyNames == outgoing.names
        if !same {
            differing.append(i)
            if differing.count == 1 {
                Issue.record("\(label) event \(i): values write \(String(decoding: fromValues.bytes, as: UTF8.self)), text writes \(String(decoding: fromText.bytes, as: UTF8.self))")
            }
        }
    }
    #expect(differing.isEmpty, "\(label): \(differing.count) events differ")
    let isText: Bool
    if layer.events.count > 0, case .text = layer.outgoingProperties(0) { isText = true } else { isText = false }
    #expect(isText || layer.events.count == 0, "\(label): the layer writes its properties as values")
}

@Suite struct AddedTextTests {
    /// Sites with names that need escapes; events on a site, within 500 m, a few km (one
    /// decimal, 9.97 km reads "10.0 km"), tens of km away, and beyond `within`.
    @Test func nearTextEqualsValues() throws {
        let sites = NearSites(names: ["Quote \"Q\" base", "Back\\slash\tpost", "Ḥamdān"], kinds: ["base", nil, "crossing"],
                              longitudes: [40.0, 40.5, 41.0], latitudes: [34.0, 34.0, 34.5], source: "sites")
        var points: [(String, Double, Double)] = [("on", 40.0, 34.0), ("near", 40.003, 34.001), ("far", 10, 10)]
        for k in 0..<60 {
            let d = Double(k) * 0.0371
            points.append(("p\(k)", 40.0 + d * cos(Double(k)), 34.0 + d * sin(Double(k))))
        }
        // About 9.97 km north of the first site (a degree of latitude is about 110.9 km there).
        points.append(("tenth", 40.0, 34.0 + 9.97 / 110.9))
        let events = try eventLayer(pointCollection(points))
        for options in [NearOptions(count: 1), NearOptions(count: 3), NearOptions(count: 2, within: .kilometers(40)),
                        NearOptions(count: 1, within: .kilometers(5))] {
            let near = try NearLayer(events, sites: sites, options)
            expectAddedTextMatchesValues(near, "near k \(options.count) within \(String(describing: options.within))")
        }
        let tenth = try NearLayer(events, sites: sites, NearOptions(count: 1))
        let phrases = (0..<events.count).compactMap { tenth.addedProperties($0).first { $0.0 == "near_phrase" }?.1.stringValue }
        #expect(phrases.contains { $0.hasPrefix("at ") } && phrases.contains { $0.contains(".") && $0.contains(" km ") })
    }

    @Test func corridorTextEqualsValues() throws {
        let events = try eventLayer(pointCollection([
            ("Albu Kamal", 40.91854, 34.45226), ("al-Qaim", 40.98945, 34.39251), ("Erbil", 44.00943, 36.19117),
            ("sea", 35.0, 34.0), ("Rabia", 42.1, 36.8), ("Tanf", 38.63, 33.5),
        ]))
        let corridor = try CorridorLayer(events, CorridorOptions("IQ", "SY"), gazetteer: bundledGazetteer)
        expectAddedTextMatchesValues(corridor, "corridor")
        #expect(corridor.sides.contains(nil) && corridor.segments.contains(nil) && corridor.segments.contains { $0 != nil })
    }

    @Test func clusterTextEqualsValues() throws {
        var points: [(String, Double, Double)] = []
        for k in 0..<40 { points.append(("c\(k)", 40.0 + Double(k % 7) * 0.01, 34.0 + Double(k % 5) * 0.01)) }
        points += [("edge", 40.085, 34.0), ("alone", 45, 30)]
        let events = try eventLayer(pointCollection(points))
        for options in [ClusterOptions(within: .kilometers(5)), ClusterOptions(within: .kilometers(3), minPoints: 6)] {
            let cluster = try ClusterLayer(events, options)
            expectAddedTextMatchesValues(cluster, "cluster min \(options.minPoints)")
        }
        let dbscan = try ClusterLayer(events, ClusterOptions(within: .kilometers(3), minPoints: 6))
        #expect(Set(dbscan.assignment.roles.map(\.rawValue)) == ["core", "edge", "noise"])
    }

    /// A table's rows written with a layer's properties as text, in batches on several threads,
    /// equal the same rows written one by one with the properties as values; with a column
    /// named like an added property the rows are decoded (the name keeps its place) both ways.
    @Test func tableRowsWithAddedTextEqualValues() throws {
        for extra in ["notes", "cluster", "near_phrase"] {
            var table = "event_id,event_date,event_type,actor1,location,latitude,longitude,country,\(extra)\n"
            for i in 0..<3_000 {
                table += "T\(i),2023-11-\(String(format: "%02d", 1 + i % 28)),Explosions/Remote violence,A,Place \(i % 40),\(33 + Double(i % 50) / 10),\(38 + Double(i % 37) / 10),SY,x \(i)\n"
            }
            var options = EventLayerOptions()
            options.threads = 2
            options.chunkBytes = 20_000
            options.featuresPerBatch = 300
            let events = try EventLayer.read(file: InputFile(name: "t.csv", bytes: Array(table.utf8)), source: "t.csv", options: options)
            let layers: [any OutgoingEventLayer] = [
                try ClusterLayer(events, ClusterOptions(within: .kilometers(20))),
                try NearLayer(events, sites: NearSites(names: ["S \"1\""], kinds: [nil], longitudes: [40], latitudes: [34], source: "s"), NearOptions(count: 2)),
            ]
            for layer in layers {
                let encoder = GeoJSONEncoder(coordinateDecimals: 6)
                let one = MemorySink(), batched = MemorySink()
                let seq = GeoJSONSeqWriter(sink: one, encoder: encoder)
                try layer.events.forEachOutgoingFeature(adding: layer.addedProperties) { try seq.write($0) }
                try seq.finish()
                let batchedSeq = GeoJSONSeqWriter(sink: batched, encoder: encoder)
                try layer.encodeOutgoingEventFeatures(sequence: true, encoder: encoder, style: { $0 }) { try batchedSeq.writeEncoded($0) }
                try batchedSeq.finish()
                let same = one.bytes == batched.bytes && !one.bytes.isEmpty
                #expect(same, "\(type(of: layer)), extra column \(extra)")
            }
        }
    }

    /// Table rows read again as text in chunks by a worker per thread: the feature each row's
    /// maker makes (for writers that need values) writes the bytes of its text, added
    /// properties included, so each row's text points at its own row and event.
    @Test func tableRowsMadeFeaturesEqualTheirTexts() throws {
        var table = "event_id,event_date,event_type,actor1,location,latitude,longitude,country,fatalities,notes\n"
        for i in 0..<2_000 {
            let notes = i % 97 == 0 ? "\"two\nlines\"" : "n \(i)"
            table += "R\(i),2024-0\(1 + i % 9)-1\(i % 10),Battles,Actor \(i % 7),Town \(i % 30),\(34 + Double(i % 40) / 10),\(39 + Double(i % 33) / 10),SY,\(i % 4),\(notes)\n"
        }
        var options = EventLayerOptions()
        options.threads = 2
        options.chunkBytes = 16_000
        let events = try EventLayer.read(file: InputFile(name: "t.csv", bytes: Array(table.utf8)), source: "t.csv", options: options)
        let near = try NearLayer(events, sites: NearSites(names: ["Site"], kinds: ["base"], longitudes: [40], latitudes: [35], source: "s"),
                                 NearOptions(count: 1))
        let encoder = GeoJSONEncoder(coordinateDecimals: 6)
        var made = 0, differing: [Int] = []
        var index = 0
        try events.forEachOutgoingFeature(adding: near.outgoingProperties) { outgoing in
            defer { index += 1 }
            guard case .pointText(let text) = outgoing, let feature = text.madeFeature else { return }
            made += 1
            var fromText = JSONWriter(), fromValues = JSONWriter()
            encoder.append(text, to: &fromText)
            encoder.append(feature, to: &fromValues)
            if fromText.bytes != fromValues.bytes { differing.append(index) }
        }
        #expect(index == 2_000)
        #expect(made > 1_900, "rows written from their text with a maker: \(made)")
        #expect(differing.isEmpty, "rows whose made feature differs from their text: \(differing.prefix(5))")
    }
}
