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

    /// Caps that protect the machine from a file that is not a table (a 10 GB line, a binary file
    /// read as CSV): a record, a field and the number of fields per record. A record over a cap is
    /// malformed: strict reading throws on it; recovering reading hands it over as one reject
    /// (its fields not kept) and reads on after it, so memory stays bounded by the caps, not the file.
    public struct Limits: Hashable, Sendable {
        /// Bytes in one record, line ends and quoted line breaks included (16 MiB).
        public var recordBytes: Int
        /// Bytes in one field, as read (1 MiB; an ACLED `notes` field is a few KB).
        public var fieldBytes: Int
        /// Fields in one record (10,000; ACLED exports have 31 columns).
        public var fields: Int
        /// Plain fields (ASCII, no CR) made from the input bytes directly; tests turn it off to
        /// compare with the byte-by-byte path.
        var plainFieldsDirect = true

        public init(recordBytes: Int = 16 << 20, fieldBytes: Int = 1 << 20, fields: Int = 10_000) {
            self.recordBytes = recordBytes
            self.fieldBytes = fieldBytes
            self.fields = fields
        }

        public static let `default` = Limits()

        /// "16 MiB", "1 MiB", "512 KiB", "100 bytes".
        static func size(_ bytes: Int) -> String {
            if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
            if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
            return "\(bytes) bytes"
        }
    }

    /// One record with the line it starts on.
    public struct Record: Hashable, Sendable {
        public var line: Int
        public var fields: [String]
        /// Byte offset just past the record (and its line end) in the input.
        public var endOffset: Int = 0
        /// Set (in recovering mode) when the record is malformed: the reason. `fields` then
        /// holds what could be read, and `raw` the record's text with bad bytes escaped.
        public var problem: String?
        /// The record as it stood in the input, escaped and clipped (`RawText.escaped`); only
        /// for malformed records.
        public var raw: String?

        public init(line: Int, fields: [String], endOffset: Int = 0, problem: String? = nil, raw: String? = nil) {
            self.line = line
            self.fields = fields
            self.endOffset = endOffset
            self.problem = problem
            self.raw = raw
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
    ///
    /// Strict by default: the first malformed record throws. With `recovering`, a malformed
    /// record is handed to `body` with `problem` and `raw` set and reading goes on, as GDAL does:
    /// text after a closing quote skips to the end of that line; a quote never closed rejects the
    /// line it opened on and reading resumes on the next line; a field that is not valid UTF-8
    /// rejects its record. A record over one of `limits` is read to its end without keeping its
    /// text and rejected whole (strict reading throws at its end).
    ///
    /// A part of the input: `start` (a byte offset where a record begins, on line `firstLine`)
    /// and `stop` (no record is begun at or after it; the last may run past it). Returns the
    /// offset where reading ended: the start of the next record, so a part read up to `stop`
    /// ends exactly at `stop` when a record begins there. Offsets and lines are the whole input's.
    @discardableResult
    public static func forEachRecord(
        in bytes: UnsafeRawBufferPointer, separator: UInt8 = UInt8(ascii: ","), recovering: Bool = false,
        limits: Limits = .default, from start: Int? = nil, line firstLine: Int = 1, stoppingAt stop: Int = .max,
        _ body: (Record) throws(ParseError) -> Void
    ) throws(ParseError) -> Int {
        var i = start ?? (bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0)
        var line = firstLine
        let n = bytes.count
        let stop = min(stop, n)
        var fieldsBefore = 0  // the previous record's field count: room for this one's
        while i < stop {
            let recordLine = line
            let recordStart = i
            var fields: [String] = []
            fields.reserveCapacity(fieldsBefore)
            var field: [UInt8] = []
            var atRecordEnd = false
            var blank = true
            var problem: String?
            /// Set when the record breaks one of `limits`: from then on nothing of it is kept.
            var overLimit: String?
            /// Hands over the record so far as malformed and resumes after byte `resume` (exclusive
            /// end of the text to show), on line `nextLine`.
            func reject(_ message: String, showUpTo end: Int, resumeAt resume: Int, nextLine: Int) throws(ParseError) {
                let raw = RawText.escaped(UnsafeRawBufferPointer(rebasing: bytes[recordStart..<max(recordStart, end)]))
                i = resume
                line = nextLine
                try body(Record(line: recordLine, fields: fields, endOffset: resume, problem: message, raw: raw))
            }
            func endOfLine(from start: Int) -> Int {
                var j = start
                while j < n, bytes[j] != UInt8(ascii: "\n") { j += 1 }
                return j
            }
            /// Steps over the separator after a field, or the line end after the record's last.
            func nextField(_ i: inout Int) {
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
            var fieldTooLong = false
            recordLoop: while !atRecordEnd {
                if i < n, bytes[i] == UInt8(ascii: "\"") {
                    blank = false
                    i += 1
                    var closed = false
                    while i < n {
                        let b = bytes[i]
                        if b == UInt8(ascii: "\"") {
                            if i + 1 < n, bytes[i + 1] == UInt8(ascii: "\"") {
                                if field.count < limits.fieldBytes { field.append(b) } else { fieldTooLong = true }
                                i += 2
                                continue
                            }
                            i += 1
                            closed = true
                            break
                        }
                        if b == UInt8(ascii: "\n") { line += 1 }
                        if field.count < limits.fieldBytes { field.append(b) } else { fieldTooLong = true }
                        i += 1
                    }
                    guard closed else {
                        let message = "a quoted field is never closed"
                        guard recovering else { throw ParseError(line: recordLine, message: message) }
                        // Reject the line the record began on; read on from the next line.
                        let end = endOfLine(from: recordStart)
                        try reject(message + " (the record's first line is skipped)", showUpTo: end, resumeAt: min(n, end + 1), nextLine: recordLine + 1)
                        break recordLoop
                    }
                    if i < n, bytes[i] != separator, bytes[i] != UInt8(ascii: "\n"), bytes[i] != UInt8(ascii: "\r") {
                        let message = "unexpected text after a closing quote in field \(fields.count + 1)"
                        guard recovering else { throw ParseError(line: line, message: "unexpected text after a closing quote") }
                        let end = endOfLine(from: i)
                        try reject(message, showUpTo: end, resumeAt: min(n, end + 1), nextLine: line + 1)
                        break recordLoop
                    }
                } else {
                    // Most fields: no CR, within the limit, ASCII; their text is made from the
                    // input bytes directly (no copy into `field`, no UTF-8 validation).
                    let fieldStart = i
                    var bits: UInt8 = 0
                    while i < n {
                        let b = bytes[i]
                        if b == separator || b == UInt8(ascii: "\n") { break }
                        bits |= b
                        i += 1
                    }
                    let plain = limits.plainFieldsDirect && bits & 0x80 == 0 && i - fieldStart <= limits.fieldBytes && !bytes[fieldStart..<i].contains(UInt8(ascii: "\r"))
                    if plain {
                        if i > fieldStart { blank = false }
                        if overLimit == nil, fields.count < limits.fields, i - recordStart <= limits.recordBytes {
                            fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes.assumingMemoryBound(to: UInt8.self)[fieldStart..<i]), as: UTF8.self))
                            nextField(&i)
                            continue recordLoop
                        }
                    } else {
                        i = fieldStart
                        while i < n, bytes[i] != separator, bytes[i] != UInt8(ascii: "\n") {
                            if bytes[i] != UInt8(ascii: "\r") || (i + 1 < n && bytes[i + 1] != UInt8(ascii: "\n")) {
                                if field.count < limits.fieldBytes { field.append(bytes[i]) } else { fieldTooLong = true }
                            }
                            i += 1
                        }
                        if !field.isEmpty { blank = false }
                    }
                }
                if overLimit == nil {
                    if fieldTooLong {
                        overLimit = "field \(fields.count + 1) is longer than \(Limits.size(limits.fieldBytes)) (the limit on one CSV field)"
                    } else if fields.count >= limits.fields {
                        overLimit = "more than \(limits.fields) fields (the limit on one CSV record)"
                    } else if i - recordStart > limits.recordBytes {
                        overLimit = "record longer than \(Limits.size(limits.recordBytes)) (the limit on one CSV record)"
                    }
                    if overLimit != nil { fields.removeAll() }
                }
                fieldTooLong = false
                if overLimit != nil {
                    // Read on to the record's end, keeping nothing.
                } else if let text = UTF8Text.string(field) {
                    fields.append(text)
                } else {
                    let message = "field \(fields.count + 1) is not valid UTF-8 (another encoding? see --encoding)"
                    guard recovering else { throw ParseError(line: line, message: message) }
                    if problem == nil { problem = message }
                    fields.append(String(decoding: field, as: UTF8.self))
                }
                field.removeAll(keepingCapacity: true)
                nextField(&i)
            }
            guard atRecordEnd else { continue }  // rejected and handed over already
            if let overLimit {
                guard recovering else { throw ParseError(line: recordLine, message: overLimit) }
                try body(Record(line: recordLine, fields: [], endOffset: i, problem: overLimit,
                                raw: RawText.escaped(UnsafeRawBufferPointer(rebasing: bytes[recordStart..<i]))))
            } else if let problem {
                try body(Record(line: recordLine, fields: fields, endOffset: i, problem: problem,
                                raw: RawText.escaped(UnsafeRawBufferPointer(rebasing: bytes[recordStart..<i]))))
            } else if !blank {
                fieldsBefore = min(fields.count, 256)
                try body(Record(line: recordLine, fields: fields, endOffset: i))
            }
        }
        return i
    }

    /// A field quoted when it holds the separator, a quote or a line break.
    ///
    /// Looks at Unicode scalars, as the reader looks at bytes: compared as `Character`s, `"\r\n"`
    /// is one character equal to neither `"\r"` nor `"\n"`, and a quote or comma followed by a
    /// combining mark is one character with it, so such fields went out unquoted (or with a bare
    /// quote) and split the record when read back.
    public static func escape(_ field: String, separator: Character = ",") -> String {
        let separatorScalars = separator.unicodeScalars
        let special = { (s: Unicode.Scalar) in s == "\"" || s == "\n" || s == "\r" || separatorScalars.contains(s) }
        guard field.unicodeScalars.contains(where: special) else { return field }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for s in field.unicodeScalars {
            quoted.append(s)
            if s == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }

    /// One CSV line (without the line end).
    public static func line(_ fields: [String], separator: Character = ",") -> String {
        fields.map { escape($0, separator: separator) }.joined(separator: String(separator))
    }

    /// `line(fields)` appended to `w` as bytes, with a line end (`\n`), for a separator that is
    /// one ASCII byte.
    public static func appendLine(_ fields: [String], separator: UInt8 = UInt8(ascii: ","), to w: inout JSONWriter) {
        for (k, field) in fields.enumerated() {
            if k > 0 { w.appendByte(separator) }
            appendField(field, separator: separator, to: &w)
        }
        w.appendByte(UInt8(ascii: "\n"))
    }

    /// `escape(field)` appended to `w` as bytes, for a separator that is one ASCII byte.
    public static func appendField(_ field: String, separator: UInt8 = UInt8(ascii: ","), to w: inout JSONWriter) {
        var field = field
        field.withUTF8 { appendField($0, separator: separator, to: &w) }
    }

    /// `escape` of a field's UTF-8 bytes, appended to `w`: quoted, its quotes doubled, when it
    /// holds a quote, CR, LF or `separator` (an ASCII byte: no byte of a longer UTF-8 sequence
    /// is one, so comparing bytes finds the scalars `escape` finds).
    public static func appendField(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8 = UInt8(ascii: ","), to w: inout JSONWriter) {
        var special = false
        for b in bytes where b == UInt8(ascii: "\"") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") || b == separator {
            special = true
            break
        }
        guard special else { return w.append(contentsOf: bytes) }
        w.appendByte(UInt8(ascii: "\""))
        var start = 0
        for k in bytes.indices where bytes[k] == UInt8(ascii: "\"") {
            w.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...k]))
            w.appendByte(UInt8(ascii: "\""))
            start = k + 1
        }
        w.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        w.appendByte(UInt8(ascii: "\""))
    }
}
