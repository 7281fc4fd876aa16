import Foundation
import GeoCore

/// A plain GeoJSON feature (found by `FeatureScanner`) written as its event's feature text,
/// without making the event: what `geo convert` of a GeoJSON or GeoJSONSeq input to GeoJSON
/// does for a million features.
///
/// A feature is plain when its properties text is verbatim (`ScannedFeature.propertiesVerbatim`:
/// compact, no escapes, no nested object), every member is a project field or a `timestamp`
/// string (geo's own, written again from the dates), it has no fatality claims and no geocoder
/// match, and every step of `EventDecoder.decode` that can refuse an event accepts it: those
/// steps run on the values as the full decoder reads them, their answers kept by the values'
/// bytes (`PlainEventSteps`). Text values are copied when `EventDecoder.text` would keep them
/// as they are; any other value is read and written the full way. Any other feature is left
/// to the full decoder (`text` returns nil), so the features read and refused are the same
/// either way.
///
/// One per thread (it keeps its memos).
struct FeatureTextScanner {
    private var steps: PlainEventSteps
    /// Where each project field's value text lies in the current feature, by
    /// `EventField.ordinal`: start at 2k, end at 2k + 1 (-1: absent).
    private var spans = [Int](repeating: -1, count: 2 * EventField.allCases.count)
    /// The member names of the features before, back to back (a million features share one
    /// layout), where each ends, and the field each names (its ordinal; -1 for `timestamp`):
    /// a name equal to the one in its place is not looked up again.
    private var names: [UInt8] = []
    private var nameEnds: [Int] = []
    private var nameFields: [Int] = []

    init(decoder: EventDecoder, timestamp: EventTimestamp) {
        steps = PlainEventSteps(decoder: decoder, timestamp: timestamp)
    }

    /// The properties text of the feature `text` read last.
    private(set) var written = JSONWriter()

    /// The feature `scanned` (read from `buffer`), its event's properties text written to
    /// `written` (`EventEncoder.appendProperties`), with the end of its `id`'s text there
    /// (`PlainRowText.withText`; nil when the event id is empty), and the country code its
    /// point is to be checked against; nil when it is not plain.
    mutating func text(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer) -> (idEnd: Int?, country: String)? {
        guard scanned.propertiesVerbatim, let range = scanned.propertiesRange, findMembers(buffer, range) else { return nil }
        let spans = spans
        func bytes(_ field: EventField) -> UnsafeRawBufferPointer? {
            let k = 2 * field.ordinal
            return spans[k] < 0 ? nil : UnsafeRawBufferPointer(rebasing: buffer[spans[k]..<spans[k + 1]])
        }
        /// The value as the full decoder reads it (the scan checked its text).
        func value(_ field: EventField) -> JSONValue? { bytes(field).flatMap { try? JSONParser.parse(buffer: $0) } }
        func isNull(_ text: UnsafeRawBufferPointer?) -> Bool { text.map { $0.count == 4 && $0[0] == UInt8(ascii: "n") } ?? true }
        /// The text of a string without escapes that `trimmingSpaces` keeps as it is.
        func plainString(_ text: UnsafeRawBufferPointer) -> Bool {
            text.count > 2 && text[0] == UInt8(ascii: "\"") && PlainEventSteps.isPlain(text[1]) && PlainEventSteps.isPlain(text[text.count - 2])
        }
        let decoder = steps.decoder
        guard let time = steps.time(bytes(.eventDate), bytes(.dateEnd), bytes(.timePrecision), value: value),
              let types = steps.types(bytes(.eventType), bytes(.subEventType), value: value),
              let country = steps.country(bytes(.country), value: value) else { return nil }
        let geoPrecision: Int?
        let fatalities: Int?
        do {
            let given = bytes(.geoPrecision)
            if isNull(given) {
                geoPrecision = nil
            } else if let given, given.count == 1, given[0] >= UInt8(ascii: "1"), given[0] <= UInt8(ascii: "3") {
                geoPrecision = Int(given[0] - UInt8(ascii: "0"))
            } else {
                geoPrecision = try decoder.decodeGeoPrecision(value)
            }
            let claims = bytes(.fatalityClaims)
            if isNull(claims) || claims!.elementsEqual("[]".utf8), let given = bytes(.fatalities), let count = TableScanner.plainCount(given) {
                fatalities = count
            } else {
                let casualties = try decoder.decodeCasualties(value)
                // Claims are objects, never in a verbatim text (nor as escaped JSON text): a guard only.
                guard casualties.claims.isEmpty else { return nil }
                fatalities = casualties.fatalities
            }
            if !isNull(bytes(.matchName)), try decoder.decodeMatch(value) != nil { return nil }
        } catch {
            return nil
        }

        var w = JSONWriter()
        swap(&w, &written)
        defer { swap(&w, &written) }
        w.removeAll(keepingCapacity: true)
        w.appendRaw("{\"event_id\":")
        var idEnd: Int?
        if let given = bytes(.eventID), plainString(given) {
            w.append(contentsOf: given)
            idEnd = w.count
        } else {
            // As `EventReader.decodeScanned`: the feature's `id` stands in for a null or absent one.
            var id = value(.eventID)
            if id == nil || id == .null, let featureID = scanned.id(in: buffer) { id = EventReader.eventID(featureID) }
            let text = EventDecoder.text(id)
            if text.isEmpty {
                w.appendRaw("null")
            } else {
                w.appendString(text)
                idEnd = w.count
            }
        }
        func appendText(_ field: EventField, to w: inout JSONWriter) {
            guard let given = bytes(field), !isNull(given) else { return w.appendRaw("null") }
            if plainString(given) { return w.append(contentsOf: given) }
            let text = EventDecoder.text(value(field))
            if text.isEmpty { w.appendRaw("null") } else { w.appendString(text) }
        }
        func appendList(_ field: EventField, to w: inout JSONWriter) {
            guard let given = bytes(field), !isNull(given) else { return w.appendRaw("[]") }
            if Self.plainStrings(given) { return w.append(contentsOf: given) }
            EventEncoder.appendStrings(EventDecoder.list(value(field)), to: &w)
        }
        steps.appendProperties(time: time, types: types, geoPrecision: geoPrecision, country: country, fatalities: fatalities,
                               bytes: bytes, value: value, appendText: appendText, appendList: appendList, to: &w)
        w.appendByte(UInt8(ascii: "}"))
        return (idEnd, country)
    }

    /// Sets `spans` from the members of a verbatim properties text at `range` (`{…}`: no
    /// blanks, no escapes, no nested object, no repeated name); false when a member is neither
    /// a project field nor a `timestamp` that is a string or null.
    private mutating func findMembers(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        for k in spans.indices { spans[k] = -1 }
        let last = range.upperBound - 1  // the closing brace
        var i = range.lowerBound + 1
        guard i < last else { return true }
        let base = buffer.baseAddress!
        /// The offset just past the string whose opening quote is at `open`.
        func stringEnd(_ open: Int) -> Int {
            UnsafeRawPointer(memchr(base + open + 1, 0x22, last - open - 1)!) - base + 1
        }
        var member = 0
        while true {
            let nameEnd = stringEnd(i) - 1
            let name = UnsafeRawBufferPointer(rebasing: buffer[(i + 1)..<nameEnd])
            let start = nameEnd + 2  // after `":`
            let ordinal = field(named: name, at: member)
            member += 1
            i = start
            switch buffer[i] {
            case UInt8(ascii: "\""): i = stringEnd(i)
            case UInt8(ascii: "["):
                var depth = 0
                repeat {
                    let b = buffer[i]
                    if b == UInt8(ascii: "\"") {
                        i = stringEnd(i)
                        continue
                    }
                    if b == UInt8(ascii: "[") { depth += 1 } else if b == UInt8(ascii: "]") { depth -= 1 }
                    i += 1
                } while depth > 0
            default:
                while buffer[i] != UInt8(ascii: ",") && buffer[i] != UInt8(ascii: "}") { i += 1 }
            }
            if ordinal >= 0 {
                spans[2 * ordinal] = start
                spans[2 * ordinal + 1] = i
            } else if ordinal == -1 {
                // geo's own (a string) or null: written again from the dates; anything else stays.
                guard buffer[start] == UInt8(ascii: "\"") || buffer[start] == UInt8(ascii: "n") else { return false }
            } else {
                return false  // an extra property: the full path keeps it
            }
            if i >= last { return true }
            i += 1  // the comma
        }
    }

    /// The ordinal of the field `name` names, -1 for `timestamp`, -2 for any other name; from
    /// `names` when the name in place `member` there is the same.
    private mutating func field(named name: UnsafeRawBufferPointer, at member: Int) -> Int {
        if member < nameFields.count {
            let start = member == 0 ? 0 : nameEnds[member - 1]
            if nameEnds[member] - start == name.count,
               names.withUnsafeBytes({ memcmp($0.baseAddress! + start, name.baseAddress!, name.count) == 0 }) {
                return nameFields[member]
            }
            names.removeSubrange((member == 0 ? 0 : nameEnds[member - 1])...)
            nameEnds.removeSubrange(member...)
            nameFields.removeSubrange(member...)
        }
        let ordinal = EventField(utf8: name)?.ordinal ?? (name.elementsEqual(EventTimestamp.property.utf8) ? -1 : -2)
        if member == nameFields.count, member < 64 {
            names.append(contentsOf: name)
            nameEnds.append(names.count)
            nameFields.append(ordinal)
        }
        return ordinal
    }

    /// Whether a verbatim array text holds only strings that `EventDecoder.list` keeps as they
    /// are (each non-empty, nothing to trim), so that it is written back the same.
    static func plainStrings(_ text: UnsafeRawBufferPointer) -> Bool {
        guard text.count >= 2, text[0] == UInt8(ascii: "[") else { return false }
        if text.count == 2 { return true }
        var i = 1
        while true {
            guard text[i] == UInt8(ascii: "\""), i + 2 < text.count, text[i + 1] != UInt8(ascii: "\""),
                  PlainEventSteps.isPlain(text[i + 1]) else { return false }
            var j = i + 1
            while text[j] != UInt8(ascii: "\"") { j += 1 }
            guard PlainEventSteps.isPlain(text[j - 1]) else { return false }
            i = j + 1
            if text[i] == UInt8(ascii: "]") { return i == text.count - 1 }
            guard text[i] == UInt8(ascii: ",") else { return false }
            i += 1
        }
    }
}

extension EventReader {
    /// Hands a scanned feature of a GeoJSON input to a `PlainRowWorker` as text
    /// (`FeatureTextScanner.text`) when it is plain and `checkGiven` accepts its point; false
    /// otherwise (it is then read as a row, as without text).
    static func addFeatureText(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, worker: some PlainRowWorker,
                               timestamp: EventTimestamp, decoder: EventDecoder) -> Bool {
        let scanning = worker.plainRowScanning
        if scanning.features == nil { scanning.features = FeatureTextScanner(decoder: decoder, timestamp: timestamp) }
        guard let (idEnd, country) = scanning.features?.text(scanned, in: buffer),
              (try? worker.checkGiven(country: country, latitude: scanned.latitude, longitude: scanned.longitude)) != nil else { return false }
        PlainRowText.withText(scanning.features!.written, idEnd: idEnd, longitude: scanned.longitude, latitude: scanned.latitude) {
            worker.add(plainRow: $0)
        }
        return true
    }
}
