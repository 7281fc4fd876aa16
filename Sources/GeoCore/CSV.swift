/// RFC 4180 CSV reading and writing: quoted fields, doubled quotes, commas and newlines inside
/// quotes, CRLF or LF line ends, an optional UTF-8 byte-order mark.
public enum CSV {
    /// A parse failure with the 1-based line where the bad record starts.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    /// One record with the line it starts on.
    public struct Record: Hashable, Sendable {
        public var line: Int
        public var fields: [String]
        /// Byte offset just past the record (and its line end) in the input.
        public var endOffset: Int = 0

        public init(line: Int, fields: [String], endOffset: Int = 0) {
            self.line = line
            self.fields = fields
            self.endOffset = endOffset
        }
    }

    /// Parses all records. Blank lines are skipped. `separator` is `,` by default (`\t` for TSV).
    public static func parse(_ text: String, separator: Character = ",") throws(ParseError) -> [Record] {
        var records: [Record] = []
        try forEachRecord(in: Array(text.utf8), separator: UInt8(ascii: separator.unicodeScalars.first!)) { records.append($0) }
        return records
    }

    /// Streams the records of UTF-8 bytes.
    public static func forEachRecord(
        in bytes: [UInt8], separator: UInt8 = UInt8(ascii: ","), _ body: (Record) throws(ParseError) -> Void
    ) throws(ParseError) {
        let result: Result<Void, ParseError> = bytes.withUnsafeBytes { buffer in
            do throws(ParseError) {
                try forEachRecord(in: buffer, separator: separator, body)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Streams the records of UTF-8 bytes in memory or mapped from a file (`InputFile`).
    public static func forEachRecord(
        in bytes: UnsafeRawBufferPointer, separator: UInt8 = UInt8(ascii: ","), _ body: (Record) throws(ParseError) -> Void
    ) throws(ParseError) {
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        let n = bytes.count
        while i < n {
            let recordLine = line
            var fields: [String] = []
            var field: [UInt8] = []
            var atRecordEnd = false
            var blank = true
            while !atRecordEnd {
                if i < n, bytes[i] == UInt8(ascii: "\"") {
                    blank = false
                    i += 1
                    var closed = false
                    while i < n {
                        let b = bytes[i]
                        if b == UInt8(ascii: "\"") {
                            if i + 1 < n, bytes[i + 1] == UInt8(ascii: "\"") {
                                field.append(b)
                                i += 2
                                continue
                            }
                            i += 1
                            closed = true
                            break
                        }
                        if b == UInt8(ascii: "\n") { line += 1 }
                        field.append(b)
                        i += 1
                    }
                    guard closed else { throw ParseError(line: recordLine, message: "a quoted field is never closed") }
                    if i < n, bytes[i] != separator, bytes[i] != UInt8(ascii: "\n"), bytes[i] != UInt8(ascii: "\r") {
                        throw ParseError(line: line, message: "unexpected text after a closing quote")
                    }
                } else {
                    while i < n, bytes[i] != separator, bytes[i] != UInt8(ascii: "\n") {
                        if bytes[i] != UInt8(ascii: "\r") || (i + 1 < n && bytes[i + 1] != UInt8(ascii: "\n")) {
                            field.append(bytes[i])
                        }
                        i += 1
                    }
                    if !field.isEmpty { blank = false }
                }
                guard let text = String(validating: field, as: UTF8.self) else {
                    throw ParseError(line: line, message: "field \(fields.count + 1) is not valid UTF-8")
                }
                fields.append(text)
                field.removeAll(keepingCapacity: true)
                if i < n, bytes[i] == separator {
                    blank = false
                    i += 1
                } else {
                    if i < n, bytes[i] == UInt8(ascii: "\r") { i += 1 }
                    if i < n, bytes[i] == UInt8(ascii: "\n") { i += 1 }
                    line += 1
                    atRecordEnd = true
                }
            }
            if !blank { try body(Record(line: recordLine, fields: fields, endOffset: i)) }
        }
    }

    /// A field quoted when it holds the separator, a quote or a line break.
    public static func escape(_ field: String, separator: Character = ",") -> String {
        guard field.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }

    /// One CSV line (without the line end).
    public static func line(_ fields: [String], separator: Character = ",") -> String {
        fields.map { escape($0, separator: separator) }.joined(separator: String(separator))
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
