import GeoCore
import GeoGazetteer
import OrderedCollections

/// The outputs of `geo geoparse`: JSON (one object per document), GeoJSON (resolved mentions
/// as points) and a text table. Kept in the library so that other front ends write the same.
public enum GeoparseRendering {
    /// One document's result, or the reason it could not be read.
    public struct Document: Sendable {
        public var path: String
        public var result: GeoparseResult?
        public var error: String?

        public init(path: String, result: GeoparseResult?, error: String? = nil) {
            self.path = path
            self.result = result
            self.error = error
        }
    }

    static func number(_ v: Double, _ scale: Double = 1e6) -> JSONValue { .double((v * scale).rounded() / scale) }

    static func candidate(_ c: MentionCandidate) -> JSONValue {
        let e = c.entry
        var o = OrderedDictionary<String, JSONValue>()
        o["name"] = .string(e.name)
        o["lat"] = number(e.position.latitude)
        o["lon"] = number(e.position.longitude)
        o["country"] = .string(e.country)
        o["kind"] = .string(e.kind.rawValue)
        o["id"] = .string(e.id)
        o["score"] = number(c.score, 1000)
        return .object(o)
    }

    /// The properties of a mention, in the order of the issue: text, start, end, name, lat,
    /// lon, country, kind, geo_precision, geonames_id, id, score, role, alternatives (then
    /// relation, reason with `explain`).
    public static func properties(_ m: PlaceMention, explain: Bool, coordinates: Bool = true) -> OrderedDictionary<String, JSONValue> {
        var o = OrderedDictionary<String, JSONValue>()
        o["text"] = .string(m.text)
        o["start"] = .integer(Int64(m.start))
        o["end"] = .integer(Int64(m.end))
        o["name"] = m.name.map { .string($0) } ?? .null
        if coordinates {
            o["lat"] = m.position.map { number($0.latitude) } ?? .null
            o["lon"] = m.position.map { number($0.longitude) } ?? .null
        }
        o["country"] = m.country.map { .string($0) } ?? .null
        o["kind"] = m.kind.map { .string($0) } ?? .null
        o["geo_precision"] = m.geoPrecision.map { .integer(Int64($0)) } ?? .null
        o["geonames_id"] = m.geonamesID.map { .integer(Int64($0)) } ?? .null
        o["id"] = m.id.map { .string($0) } ?? .null
        o["score"] = number(m.score, 1000)
        o["role"] = .string(m.role.rawValue)
        o["alternatives"] = .array(m.alternatives.map(candidate))
        if let r = m.relation {
            var rel = OrderedDictionary<String, JSONValue>()
            rel["text"] = .string(r.text)
            rel["distance_km"] = r.distanceMeters.map { number($0 / 1000, 1000) } ?? .null
            rel["azimuth_deg"] = r.azimuthDegrees.map { number($0, 10) } ?? .null
            rel["anchor_lat"] = number(r.anchor.latitude)
            rel["anchor_lon"] = number(r.anchor.longitude)
            o["relation"] = .object(rel)
        }
        if explain { o["reason"] = .string(m.reason) }
        return o
    }

    /// `[{"document": PATH, "mentions": [...]}, ...]`, with `warnings`, `country_focus` and
    /// `error` when there are any.
    public static func json(_ documents: [Document], explain: Bool) -> [UInt8] {
        var w = JSONWriter()
        w.appendRaw("[")
        for (i, d) in documents.enumerated() {
            if i > 0 { w.appendRaw(",") }
            w.appendRaw("\n")
            w.append(documentValue(d, explain: explain))
        }
        w.appendRaw(documents.isEmpty ? "]\n" : "\n]\n")
        return w.bytes
    }

    public static func documentValue(_ d: Document, explain: Bool) -> JSONValue {
        var o = OrderedDictionary<String, JSONValue>()
        o["document"] = .string(d.path)
        o["mentions"] = .array((d.result?.mentions ?? []).map { .object(properties($0, explain: explain)) })
        if let r = d.result {
            if !r.warnings.isEmpty { o["warnings"] = .array(r.warnings.map { .string($0) }) }
            if explain {
                var focus = OrderedDictionary<String, JSONValue>()
                for c in r.countryFocus { focus[c.country] = number(c.weight, 1000) }
                o["country_focus"] = .object(focus)
            }
        }
        if let e = d.error { o["error"] = .string(e) }
        return .object(o)
    }

    /// Writes one document's JSON object to `sink` mention by mention (as `documentValue`,
    /// without holding the whole document's JSON in memory).
    public static func writeDocument(_ d: Document, explain: Bool, to sink: ByteSink) throws {
        var w = JSONWriter(reservingCapacity: 1 << 16)
        w.appendRaw("{\"document\":")
        w.appendString(d.path)
        w.appendRaw(",\"mentions\":[")
        for (i, m) in (d.result?.mentions ?? []).enumerated() {
            if i > 0 { w.appendRaw(",") }
            w.appendObject(properties(m, explain: explain))
            if w.count >= 1 << 20 {
                try sink.write(w)
                w.removeAll(keepingCapacity: true)
            }
        }
        w.appendRaw("]")
        guard case .object(var rest) = documentValue(Document(path: d.path, result: d.result.map {
            GeoparseResult(mentions: [], warnings: $0.warnings, countryFocus: $0.countryFocus)
        }, error: d.error), explain: explain) else { return }
        rest.removeValue(forKey: "document")
        rest.removeValue(forKey: "mentions")
        for (k, v) in rest {
            w.appendRaw(",")
            w.appendString(k)
            w.appendRaw(":")
            w.append(v)
        }
        w.appendRaw("}")
        try sink.write(w)
    }

    /// Resolved mentions as point features (properties as in JSON, plus `document`).
    public static func features(_ documents: [Document], explain: Bool) -> [Feature] {
        var features: [Feature] = []
        for d in documents {
            for m in d.result?.mentions ?? [] {
                guard let p = m.position else { continue }
                var props = OrderedDictionary<String, JSONValue>()
                props["document"] = .string(d.path)
                for (k, v) in properties(m, explain: explain, coordinates: false) { props[k] = v }
                features.append(Feature(geometry: .point(p), properties: props))
            }
        }
        return features
    }

    /// A readable table per document.
    public static func text(_ documents: [Document], explain: Bool) -> String {
        var out = ""
        for d in documents {
            out += "== \(d.path)\n"
            if let e = d.error {
                out += "error: \(e)\n\n"
                continue
            }
            guard let r = d.result else { continue }
            for w in r.warnings { out += "warning: \(w)\n" }
            if r.mentions.isEmpty {
                out += "(no places found)\n\n"
                continue
            }
            var rows = [["start", "end", "text", "role", "name", "country", "kind", "prec", "lat", "lon", "score"]]
            for m in r.mentions {
                rows.append([String(m.start), String(m.end), m.text.replacingNewlines(), m.role.rawValue, m.name ?? "(unresolved)",
                             m.country ?? "", m.kind ?? "", m.geoPrecision.map(String.init) ?? "",
                             m.position.map { fixed($0.latitude, 5) } ?? "", m.position.map { fixed($0.longitude, 5) } ?? "", fixed(m.score, 2)])
            }
            out += aligned(rows)
            if explain {
                for m in r.mentions {
                    out += "  \(m.start)–\(m.end) \"\(m.text.replacingNewlines())\": \(m.reason)\n"
                    for a in m.alternatives {
                        out += "      or \(a.entry.name) (\(a.entry.country), \(a.entry.kind.rawValue), \(a.entry.id)) score \(fixed(a.score, 3))\n"
                    }
                }
                if !r.countryFocus.isEmpty {
                    out += "  country focus: " + r.countryFocus.map { "\($0.country) \(fixed($0.weight, 2))" }.joined(separator: ", ") + "\n"
                }
            }
            out += "\n"
        }
        return out
    }

    static func fixed(_ v: Double, _ decimals: Int) -> String {
        var w = JSONWriter()
        w.appendFixed(v, decimals: decimals)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    static func aligned(_ rows: [[String]]) -> String {
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            var line = ""
            for (i, (cell, width)) in zip(row, widths).enumerated() {
                line += i + 1 == row.count ? cell : cell + String(repeating: " ", count: width - cell.count + 2)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }
}

extension String {
    func replacingNewlines() -> String {
        String(unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : Character($0) })
    }
}
