import GeoCore
import Testing
@testable import GeoEvents

/// `EventEncoder.appendFeature` (the direct path `geo convert` writes through) must give the
/// same bytes as encoding the feature `EventTimestamp.feature` builds, for every shape of event.
@Suite struct EventFeatureTextTests {
    static func events() -> [Event] {
        let day = EventDate(year: 2024, month: 1, day: 28)!
        let match = LocationMatch(name: "Tower 22", score: 0.9375, source: "geonames", gazetteerID: "g1", approximate: true,
                                  alternatives: ["Rukban (SY, g2)", "with; semicolon"], fallbackBasis: "")
        var list: [Event] = [
            Event(eventID: "E1", date: day),
            Event(eventID: "", date: day, dateEnd: EventDate(year: 2024, month: 2, day: 3)!, timePrecision: .week,
                  eventType: "Explosions/Remote violence", subEventType: "Air/drone strike", eventTypeReported: "drone attack",
                  actor1: "Islamic Resistance in Iraq", actor1Reported: "IRI", actor2: "US forces", actorSide: "militia",
                  actorMatch: "Islamic Resistance in Iraq", target: "base \"Tower 22\"", location: "Tower 22",
                  latitude: 33.3, longitude: 38.8, geoPrecision: 1, country: "JO", admin1: "Mafraq", fatalities: 3,
                  fatalityClaims: [FatalityClaim(source: "Pentagon", killed: 3, injured: 40), FatalityClaim(source: "IRI")],
                  sources: ["https://example.org/a", "b"], notes: "line\nbreak é \u{1}", tags: ["x", "y"], match: match),
            Event(eventID: "E3", date: EventDate(year: 2024, month: 1, day: 1, secondsOfDay: 3_600)!, latitude: -0.000001, longitude: 179.9999999),
        ]
        // Extras: plain, named like fields written or not, and every kind of own timestamp.
        let extras: [[(String, JSONValue)]] = [
            [("iso", .integer(368)), ("source_scale", .null), ("nested", .object(["a": .array([.bool(true), .double(1.5)])]))],
            [("latitude", .double(1)), ("match_name", .string("only without a match")), ("event_type", .string("dropped"))],
            [("timestamp", .integer(1_706_400_000)), ("after", .string("z"))],
            [("timestamp", .string("2020-01-01T00:00:00Z")), ("after", .string("z"))],
            [("timestamp", .null)],
            [("timestamp", .integer(1_706_400_000_000))],
            [("timestamp", .double(1.5)), ("country_name", .string("Jordan"))],
        ]
        for base in list.prefix(2) {
            for extra in extras {
                var e = base
                for (k, v) in extra { e.extra[k] = v }
                list.append(e)
                e.match = match
                list.append(e)
            }
        }
        return list
    }

    @Test(arguments: [EventTimestamp.iso, .epochMilliseconds, .none], [6, 3])
    func directTextEqualsEncodedFeature(timestamp: EventTimestamp, decimals: Int) {
        let encoder = GeoJSONEncoder(coordinateDecimals: decimals)
        for e in Self.events() {
            var expected = JSONWriter()
            encoder.append(timestamp.feature(e), to: &expected)
            var direct = JSONWriter()
            EventEncoder.appendFeature(e, timestamp: timestamp, encoder: encoder, to: &direct)
            #expect(String(decoding: direct.bytes, as: UTF8.self) == String(decoding: expected.bytes, as: UTF8.self), "event \(e.eventID) \(e.extra.keys)")
        }
    }

    /// `EventEncoder.ownedText` (how a layer read from a table writes its events) gives the
    /// bytes of the feature route it replaces (`EventEncoder.feature`, `stamped` with the
    /// event's span, the added properties set), or nil, never different bytes.
    @Test(arguments: [6, 3])
    func ownedTextEqualsTheFeatureRoute(decimals: Int) {
        let encoder = GeoJSONEncoder(coordinateDecimals: decimals)
        let addings: [[(String, JSONValue)]] = [
            [], [("cluster", .integer(3)), ("cluster_role", "core")], [("near_km", .double(12.5)), ("near", .null)],
            [("location", "clash")], [("timestamp", "clash")], [("after", "an extra's name")], [("iso", .integer(1))],
            [("a", .integer(1)), ("a", .integer(2))], [("latitude", .double(0))],
        ]
        var texts = 0
        for e in Self.events() where e.hasCoordinates {
            for added in addings {
                var feature = EventTimestamp.iso.stamped(EventEncoder.feature(e), startSeconds: e.interval.startSeconds)
                var properties = feature.properties ?? [:]
                for (name, value) in added { properties[name] = value }
                feature.properties = properties
                var expected = JSONWriter()
                encoder.append(feature, to: &expected)
                guard let owned = EventEncoder.ownedText(e, adding: added) else {
                    // Only where the text could differ.
                    let clashes = e.extra["timestamp"] != nil || added.contains { $0.0 == "timestamp" || EventField(rawValue: $0.0) != nil || e.extra[$0.0] != nil }
                    #expect(clashes || Set(added.map(\.0)).count < added.count, "event \(e.eventID) \(e.extra.keys) adding \(added.map(\.0))")
                    continue
                }
                texts += 1
                var encoded = EncodedFeatures(sequence: true, encoder: encoder)
                encoded.append(.ownedText(owned))
                let line = String(decoding: encoded.text.bytes, as: UTF8.self)
                #expect(line == "\u{1E}" + String(decoding: expected.bytes, as: UTF8.self) + "\n", "event \(e.eventID) \(e.extra.keys) adding \(added.map(\.0))")
                // For writers that need values: the feature itself, value for value (GDAL types
                // fields by them); the texts alone decode to it as far as the text tells.
                #expect(OutgoingFeature.ownedText(owned).feature == feature, "event \(e.eventID) adding \(added.map(\.0))")
                var decoded = JSONWriter()
                encoder.append(owned.withPointText { $0.feature }, to: &decoded)
                #expect(decoded.bytes == expected.bytes, "event \(e.eventID) adding \(added.map(\.0))")
            }
        }
        #expect(texts >= 20)
    }
}

@Suite struct EventFieldsTests {
    @Test func ordinalIsPositionInAllCases() {
        for (i, field) in EventField.allCases.enumerated() { #expect(field.ordinal == i, "\(field)") }
    }

    @Test func namesRouteToSlotsOrExtraInOrder() {
        var fields = EventFields()
        fields["zeta"] = .integer(1)
        fields["event_date"] = .string("2024-01-28")
        fields["alpha"] = .null
        fields[.location] = .string("Tower 22")
        fields["zeta"] = .integer(2)
        #expect(fields[.eventDate] == .string("2024-01-28"))
        #expect(fields["location"] == .string("Tower 22"))
        #expect(Array(fields.extra.keys) == ["zeta", "alpha"])
        #expect(fields["zeta"] == .integer(2))
        #expect(fields[.notes] == nil)
    }
}
