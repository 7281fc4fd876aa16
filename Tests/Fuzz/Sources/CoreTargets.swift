// Targets over GeoCore: the JSON parser, the GeoJSON readers and validator, the CSV reader, units.
import GeoCore

/// `JSONParser.parse`; what parses must write back out as JSON that parses to the same value.
let jsonTarget = FuzzTarget(name: "json", summary: "JSONParser.parse(buffer:), then JSONWriter round trip", setUp: {}) { bytes in
    guard let value = try? JSONParser.parse(buffer: bytes) else { return }
    let written = JSONWriter.string(from: value)
    let again: JSONValue
    do { again = try JSONParser.parse(written) } catch {
        require(false, "JSONWriter output does not parse: \(error) in \(RawText.clipped(written))")
        return
    }
    require(sameJSON(again, value), "round trip changed the value: \(RawText.clipped(written))")
}

/// Equal JSON values, numbers compared by value (`3.3e3` is written back as `3300`, an integer).
/// The parser reads `1e400` as infinity (the GeoJSON decoder refuses it); the writer writes a
/// non-finite number as `null`.
func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .double(let d)), (.double(let d), .null): !d.isFinite
    case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { sameJSON($0, $1) }
    case (.object(let x), .object(let y)):
        x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && sameJSON($0.value, $1.value) }
    default:
        if let x = a.numberValue, let y = b.numberValue { x == y } else { a == b }
    }
}

/// `GeoJSONReader.forEachFeature` and `forEachSeqFeature`, with the throwing default and with an
/// `onBadFeature` handler that collects; the whole-document reader and the validator.
let geojsonTarget = FuzzTarget(name: "geojson", summary: "GeoJSONReader (FeatureCollection and Seq, with and without onBadFeature), GeoJSONValidator", setUp: {}) { bytes in
    var strictCount = 0
    var reader = GeoJSONReader()
    _ = try? reader.forEachFeature(in: bytes) { _, _ in strictCount += 1 }

    var good = 0, bad = 0
    var lenient = GeoJSONReader()
    _ = try? lenient.forEachFeature(in: bytes, onBadFeature: { _, _, raw in
        bad += 1
        require(raw.utf8.count <= 4 * 200 + 16, "bad-feature text not clipped (\(raw.utf8.count) bytes)")
    }) { _, _ in good += 1 }
    require(good >= strictCount, "the handler lost features: \(good) with it, \(strictCount) without")

    var seq = GeoJSONReader()
    _ = try? seq.forEachSeqFeature(in: bytes) { _, _ in }
    var seqLenient = GeoJSONReader()
    do {
        try seqLenient.forEachSeqFeature(in: bytes, onBadFeature: { _, _, _ in }) { _, _ in }
    } catch {
        require(false, "forEachSeqFeature threw with a handler that never throws: \(error)")
    }

    var whole = GeoJSONReader()
    _ = try? whole.read(bytes)
    // A collection checked in parts (small parts, two threads) reports what the whole reading does.
    let report = GeoJSONValidator.validate(bytes)
    let inParts = ContiguousArray(bytes).withUnsafeBytes { GeoJSONValidator.validate(buffer: $0, threads: 2, partBytes: 7, partsFrom: 0) }
    require(inParts.problems == report.problems && inParts.summary == report.summary,
            "validation in parts differs: \(inParts.problems.count) problems against \(report.problems.count)")
}

/// `CSV.forEachRecord`, strict and recovering (comma and tab). Recovering never throws, and when
/// strict reading succeeds both give the same records.
let csvTarget = FuzzTarget(name: "csv", summary: "CSV.forEachRecord strict and recovering: true", setUp: {}) { bytes in
    for separator in [UInt8(ascii: ","), 0x09] {
        var strict: [CSV.Record]? = []
        do {
            try CSV.forEachRecord(in: bytes, separator: separator) { strict!.append($0) }
        } catch {
            strict = nil
        }
        var recovered: [CSV.Record] = []
        do {
            try CSV.forEachRecord(in: bytes, separator: separator, recovering: true) { recovered.append($0) }
        } catch {
            require(false, "recovering reader threw: \(error)")
        }
        if let strict {
            require(strict == recovered, "strict and recovering readers disagree on a valid CSV")
            // A record written back out reads as the same fields.
            for record in strict {
                // After a blank line, so that a field starting with U+FEFF is not taken for a BOM.
                let line = Array(("\n" + CSV.line(record.fields, separator: Character(Unicode.Scalar(separator))) + "\n").utf8)
                var back: [[String]] = []
                try? CSV.forEachRecord(in: line, separator: separator) { back.append($0.fields) }
                if record.fields.allSatisfy({ $0.isEmpty }) { continue }  // a blank line is skipped
                require(back == [record.fields], "CSV.line does not read back: \(record.fields.map { RawText.clipped($0) })")
            }
        }
    }
}

/// `CSV.forEachRecord` with caps lowered to a fuzzer's sizes (`CSV.Limits`): recovering reading
/// never throws, no record it hands over breaks a cap, and a record over one keeps no fields.
let csvLimitsTarget = FuzzTarget(name: "csvlimits", summary: "CSV.forEachRecord, recovering, with CSV.Limits(recordBytes: 96, fieldBytes: 24, fields: 6)", setUp: {}) { bytes in
    let limits = CSV.Limits(recordBytes: 96, fieldBytes: 24, fields: 6)
    var previousEnd = 0
    do {
        try CSV.forEachRecord(in: bytes, recovering: true, limits: limits) { record in
            require(record.endOffset > previousEnd && record.endOffset <= bytes.count, "record end \(record.endOffset) after \(previousEnd), input \(bytes.count)")
            previousEnd = record.endOffset
            require(record.fields.count <= limits.fields, "\(record.fields.count) fields handed over")
            require(record.fields.allSatisfy { $0.utf8.count <= limits.fieldBytes * 3 }, "a field over the cap handed over")
            if let problem = record.problem, problem.contains("(the limit on one CSV") { require(record.fields.isEmpty, "fields kept of a record over a cap") }
            // RawText.escaped shows at most 200 items, each at most 6 characters (`\u{1f}`), then a count.
            require((record.raw?.utf8.count ?? 0) <= 6 * 200 + 40, "raw text not clipped")
        }
    } catch {
        require(false, "recovering reader threw: \(error)")
    }
}

/// `Distance(parsing:)` and `TimeSpan(parsing:)`: a parsed quantity is finite, and its
/// description parses back.
let unitsTarget = FuzzTarget(name: "units", summary: "Distance(parsing:), TimeSpan(parsing:)", setUp: {}) { bytes in
    let s = text(bytes)
    if let d = try? Distance(parsing: s) {
        require(d.meters.isFinite, "Distance(parsing: \(RawText.clipped(s))) = \(d.meters) m")
        _ = d.description
    }
    if let t = try? TimeSpan(parsing: s) {
        require(t.seconds.isFinite, "TimeSpan(parsing: \(RawText.clipped(s))) = \(t.seconds) s")
        _ = t.description
    }
}
