import GeoCore

/// An SVG document built as text: elements appended in drawing order, attribute values and
/// text escaped, numbers written with at most `decimals` places (pixels; 2 ≈ 0.01 px).
public struct SVGDocument: Sendable {
    /// Width and height in pixels (the `viewBox` is 0 0 width height).
    public let width: Double
    public let height: Double
    public var decimals: Int
    private(set) var body: [String] = []
    private var definitions: [String] = []

    public init(width: Double, height: Double, decimals: Int = 2) {
        self.width = width
        self.height = height
        self.decimals = decimals
    }

    /// A number as SVG writes it: fixed decimals, trailing zeros trimmed.
    public func number(_ value: Double) -> String { Format.trimmed(value, decimals) }

    /// `<name a="v" …/>`, or with text content when `text` is given (escaped).
    public mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
        var line = "<" + name
        for (key, value) in attributes { line += " \(key)=\"\(Self.escape(value))\"" }
        if let text { line += ">" + Self.escape(text) + "</\(name)>" } else { line += "/>" }
        body.append(line)
    }

    /// Opens a group (`<g …>`); close it with `close("g")`.
    public mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        var line = "<" + name
        for (key, value) in attributes { line += " \(key)=\"\(Self.escape(value))\"" }
        body.append(line + ">")
    }

    public mutating func close(_ name: String) { body.append("</\(name)>") }

    /// Adds to `<defs>` (markers, patterns, clip paths) as raw SVG the caller built.
    public mutating func define(_ raw: String) { definitions.append(raw) }

    /// Escapes `&`, `<`, `>`, `"` and `'` for attribute values and text.
    public static func escape(_ text: String) -> String {
        // Most values (numbers, colours, path data) need nothing: return them as they are.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // Control characters other than tab and line breaks are not allowed in XML 1.0.
                if c.value < 0x20 && c != "\t" && c != "\n" && c != "\r" { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// The whole document, UTF-8 text.
    public var text: String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(number(width))\" height=\"\(number(height))\" viewBox=\"0 0 \(number(width)) \(number(height))\">\n"
        if !definitions.isEmpty { out += "<defs>\n" + definitions.joined(separator: "\n") + "\n</defs>\n" }
        out += body.joined(separator: "\n")
        out += "\n</svg>\n"
        return out
    }
}
