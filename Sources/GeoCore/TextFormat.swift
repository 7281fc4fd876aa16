/// Number formatting for human-readable output (no Foundation formatters).
public enum Format {
    /// `value` with exactly `decimals` decimals.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return String(value) }
        var w = JSONWriter()
        w.appendFixed(value, decimals: decimals)
        var text = String(decoding: w.bytes, as: UTF8.self)
        guard decimals > 0 else { return text }
        if !text.contains(".") { text += "." }
        let have = text.count - 1 - text.distance(from: text.startIndex, to: text.firstIndex(of: ".")!)
        return text + String(repeating: "0", count: decimals - have)
    }

    /// `value` rounded to `decimals` places without trailing zeros: `34.45226`.
    public static func trimmed(_ value: Double, _ decimals: Int) -> String {
        var w = JSONWriter()
        w.appendFixed(value, decimals: decimals)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// The shortest text that reads back as `value`, without a trailing `.0`: `95`, `40.5`.
    public static func shortest(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// `340865.86` → `340,865.86`.
    public static func grouped(_ value: Double, decimals: Int) -> String {
        let text = fixed(value, decimals)
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        var integer = String(parts[0])
        var groups: [String] = []
        while integer.count > 3 {
            groups.insert(String(integer.suffix(3)), at: 0)
            integer = String(integer.dropLast(3))
        }
        groups.insert(integer, at: 0)
        let joined = groups.joined(separator: ",") + (parts.count > 1 ? "." + parts[1] : "")
        return (negative ? "-" : "") + joined
    }

    /// `value` rounded to `decimals` places as a JSON number: an integer when it is whole
    /// (`12`, not `12.0`), null when not finite. The one rounding rule of geo's JSON outputs.
    public static func rounded(_ value: Double, _ decimals: Int) -> JSONValue {
        guard value.isFinite else { return .null }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (value * scale).rounded() / scale
        return r == r.rounded() && abs(r) < 1e15 ? .integer(Int64(r)) : .double(r)
    }

    /// Metres as kilometres rounded to whole metres (`12.345`), the form of every `_km` property.
    public static func kilometers(_ meters: Double) -> Double { meters.rounded() / 1000 }
}
