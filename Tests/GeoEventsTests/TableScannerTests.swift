import Foundation
import Testing
@testable import GeoCore
@testable import GeoEvents

/// A table's first reading by `TableScanner` (plain rows straight into columns) gives what the
/// CSV reader and the full decoder give row by row: the same columns, values, features and
/// written bytes, or the same error naming the same rows, on one thread or several, with and
/// without country names and the vocabulary, with a `locate` and its `checkGiven` or none.
@Suite struct TableScannerTests {
    /// The columns; with `stamped`, also `timestamp` (an extra column the text route leaves to the full path).
    /// With `columnOrder`, the columns in that order (cell k is column `columnOrder[k]`).
    static func header(stamped: Bool, columnOrder: [Int]? = nil) -> String {
        let names = "event_id,event_date,date_end,time_precision,event_type,sub_event_type,actor1,actor_side,location,latitude,longitude,geo_precision,country,admin1,fatalities,fatality_claims,match_name,match_score,notes,sources,source_note"
            + (stamped ? ",timestamp" : "")
        guard let columnOrder else { return names }
        let columns = names.split(separator: ",")
        return columnOrder.map { String(columns[$0]) }.joined(separator: ",")
    }

    /// Row `i` of a table; with `problems`, some rows each break one rule (bad dates, types,
    /// numbers, countries, claims, match scores, field counts, bytes).
    static func row(_ i: Int, problems: Bool, stamped: Bool, columnOrder: [Int]? = nil) -> [UInt8] {
        let day = 1 + i % 28
        var date = "2024-0\(1 + i % 9)-\(day < 10 ? "0" : "")\(day)"
        var (end, precision) = ("", "")
        switch i % 9 {
        case 1: end = "2024-10-01"
        case 2: precision = "2"
        case 3: date = "March 2024"
        case 4: (date, precision) = (" \(date) ", " 1 ")
        case 5: date = "\(day)/0\(1 + i % 9)/2024"
        default: break
        }
        var (type, sub) = ("Explosions/Remote violence", "Air/drone strike")
        switch i % 7 {
        case 1: (type, sub) = ("Battles", "Armed clash")
        case 2: (type, sub) = ("air strike", "")  // the vocabulary's wording
        case 3: (type, sub) = (" Battles ", "")
        default: break
        }
        // Syrian points north of 37.5° are refused by `placing`'s check: only with `problems`.
        var (lat, lon) = ("\(33 + Double(i % (problems ? 50 : 40)) / 10)", "\(40 + Double(i % 37) / 10)")
        switch i % 13 {
        case 1: (lat, lon) = ("", "")  // placed by locate
        case 2: (lat, lon) = (" \(lat)", "\(lon) ")
        case 3: (lat, lon) = ("33", "44")
        default: break
        }
        let geoPrecision = i % 6 == 1 ? "2" : ""
        let country = ["IQ", "SY", "Iraq", "iq", ""][i % 5]
        let fatalities = ["0", "3", "", " 4 ", "12"][i % 5]
        let claims = ["", "[]", #""[{""source"":""x"",""killed"":2}]""#][i % 3 == 0 ? 0 : (i % 2 == 0 ? 1 : 2)]
        let (matchName, matchScore) = i % 10 == 3 ? ("Erbil", "0.9") : ("", "")
        let notes = ["plain", "\"a, quoted\nnote\"", "Dayr az Zawr — دير الزور", ""][i % 4]
        let timestamp = i % 8 == 5 ? "2020-01-01T00:00:00Z" : ""
        var actor = ["Islamic Resistance in Iraq", " kataib hezbollah ", "US forces", "A\(i % 3)", ""][i % 5]
        // A doubled quote in a cell the scanner checks: the row is the reader's.
        if i % 23 == 7 { actor = #""Kata'ib ""Sayyid"" al-Shuhada""# }
        let side = ["", "militia", "", "us"][i % 4]
        let sources = ["https://example.org/r\(i)", "a; b;", #""[""x"",""y""]""#, "", " s "][i % 5]
        let sourceNote = ["", " padded ", "back\\slash", "plain"][(i / 3) % 4]
        let id = i % 17 == 3 ? "" : (i % 17 == 4 ? " E\(i) " : "E\(i)")
        // `placing` cannot place Place 7, 18, 29: only with `problems`.
        let place = problems || !lat.isEmpty ? i % 40 : 1
        // Some names padded with spaces beyond ASCII (no-break, ideographic), which the text trims.
        let location = i % 19 == 4 ? "\u{A0}Place \(place)\u{3000}" : (i % 19 == 5 ? "Place \(place) \u{2003}" : "Place \(place)")
        var cells = [id, date, end, precision, type, sub, actor, side, location, lat, lon, geoPrecision, country, "",
                     fatalities, claims, matchName, matchScore, notes, sources, sourceNote]
        if stamped { cells.append(timestamp) }
        if problems {
            switch i % 29 {
            case 1: cells[1] = "31/02/2024"
            case 2: cells[1] = ""
            case 3: cells[3] = "9"
            case 4: cells[4] = "Bombing"
            case 5: cells[9] = "abc"
            case 6: cells[10] = ""
            case 7: cells[9] = "95"
            case 8: cells[11] = "7"
            case 9: cells[12] = "Atlantis"
            case 10: cells[14] = "-1"
            case 11: cells[14] = "2.5"
            case 12: cells[15] = "garbage"
            case 13: cells[17] = "high"
            case 14: cells.removeLast()
            case 15: cells[18] = "stray\rcarriage return"
            case 16: cells[2] = "2023-01-01"
            default: break
            }
        }
        if let columnOrder, cells.count == columnOrder.count { cells = columnOrder.map { cells[$0] } }
        var bytes = Array(cells.joined(separator: ",").utf8)
        if problems, i % 29 == 17 { bytes.insert(0xFF, at: bytes.count - 2) }  // not UTF-8
        bytes += i % 3 == 0 ? [0x0D, 0x0A] : [0x0A]
        if i % 50 == 49 { bytes += [0x0A] }  // a blank line
        return bytes
    }

    static func table(rows: Int, problems: Bool, stamped: Bool = false, columnOrder: [Int]? = nil) -> [UInt8] {
        Array((header(stamped: stamped, columnOrder: columnOrder) + "\n").utf8)
            + (0..<rows).flatMap { row($0, problems: problems, stamped: stamped, columnOrder: columnOrder) }
    }

    /// An ACLED export of `rows` rows (its 31 columns, with `header` changed by `columns`):
    /// upload times that are integers, empty, padded, signed, not numbers, too large, or the
    /// milliseconds geo derives for the row's date; ACLED's integer columns the same; country
    /// names padded or empty; long dates; quoted notes. `extra` adds a last column of that name.
    static func acledTable(rows: Int, timestampColumn: String? = "timestamp", extra: String? = nil) -> [UInt8] {
        var names = EventReader.acledColumns
        if let timestampColumn { names[names.count - 1] = timestampColumn } else { names.removeLast() }
        if let extra { names.append(extra) }
        var text = names.joined(separator: ",") + "\n"
        let places = [("Al Qaim", "34.3686", "41.0947", "Iraq"), ("Abu Kamal", "34.4523", "40.9185", "Syria"),
                      ("At Tanf", "33.4906", "38.6186", "Syria"), ("Erbil", "36.1912", "44.0094", "Iraq")]
        let actors = ["Military Forces of the United States (2021-)", "Islamic Resistance in Iraq", "Kata'ib Hezbollah", "Unidentified Armed Group (Iraq)"]
        // 2024-01-28 at day precision starts at 1706400000 s: 1706400000000 is the milliseconds
        // geo would derive.
        let uploads = ["1706400000", "1706400000", "1706400001", "", " 17 ", "+5", "007", "abc", "1.5", "1706400000000", "99999999999999999999", "-3"]
        let integers = ["3", "3", "", " 3", "x", #""""3""""#, "+4", "0012"]
        for i in 0..<rows {
            let place = places[i % 4]
            let date = ["2024-01-28", "28 January 2024", "2024-02-02", "2023-11-05"][(i / 4) % 4]
            let country = [place.3, place.3, " \(place.3) ", ""][(i / 3) % 4]
            let notes = ["plain note", #""with ""quotes"" inside""#, #""comma, here""#, " spaced "][i % 4]
            var cells = ["ACL\(i)", date, ["2024", "", " 2024"][i % 3], ["1", "1", "2", "3"][(i / 2) % 4], "Political violence",
                         "Explosions/Remote violence", ["Air/drone strike", "Shelling/artillery/missile attack"][i % 2], actors[i % 4], "",
                         integers[i % 8], actors[(i + 1) % 4], "", integers[(i / 8) % 8], integers[(i / 3) % 8], "", ["368", "760", ""][i % 3],
                         "Middle East", country, "Anbar", "Al-Qaim", "", place.0, place.1, place.2, ["1", "2", ""][i % 3],
                         ["Sabereen News; SOHR", "AP", ""][i % 3], "National", notes, ["0", "3", ""][i % 3], "", uploads[(i / 5) % uploads.count]]
            if timestampColumn == nil { cells.removeLast() }
            if extra != nil { cells.append(["Iraq", "", "x"][i % 3]) }
            text += cells.joined(separator: ",") + (i % 5 == 0 ? "\r\n" : "\n")
        }
        return Array(text.utf8)
    }

    struct Outage: Error, CustomStringConvertible { var description: String { "the gazetteer could not be loaded" } }

    /// A `locate` (with its `checkGiven`) that places rows without coordinates by their place
    /// number, rejects Syrian points north of 37.5°, and with `failing` fails outright at 36.6°.
    static func placing(failing: Bool) -> (locate: (inout Event) throws -> Void, check: (String, Double, Double) throws -> Void) {
        let check = { (country: String, latitude: Double, longitude: Double) throws in
            if failing, latitude == 36.6 { throw Outage() }
            if country == "SY", latitude > 37.5 { throw RowProblem(.swappedCoordinates, "\(latitude), \(longitude) lie outside SY") }
        }
        let locate = { (event: inout Event) throws in
            if let latitude = event.latitude, let longitude = event.longitude { return try check(event.country, latitude, longitude) }
            let number = Int(event.location.split(separator: " ").last ?? "") ?? 0
            if number % 11 == 7 { throw RowProblem(.unresolvedPlace, "'\(event.location)' is not in the test gazetteer") }
            (event.latitude, event.longitude) = (30 + Double(number) / 20, 45 - Double(number) / 30)
        }
        return (locate, check)
    }

    @Test func scannedTableReadingEqualsFullDecoding() throws {
        let readers = try readerVariants()
        let inputs: [(String, [UInt8])] = [
            ("good.csv", Self.table(rows: 2_000, problems: false)),
            ("stamped.csv", Self.table(rows: 1_000, problems: false, stamped: true)),
            ("mixed.csv", Self.table(rows: 2_000, problems: true)),
            ("awkward.csv", Array(EventConversionTests.awkwardTable.utf8)),
            ("acled-export.csv", Array(try String(contentsOfFile: try fixture("acled-export.csv"), encoding: .utf8).utf8)),
            ("acled.csv", Self.acledTable(rows: 600)),
        ]
        var readCount = 0
        for (readerName, reader) in readers {
            for (name, bytes) in inputs {
                for mode in ["none", "placing", "failing"] {
                    func read(scanning: Bool, threads: Int, chunkBytes: Int) -> (readings: ScannedPathGoldenTests.Readings?, error: String?) {
                        var options = EventLayerOptions(reader: reader)
                        if mode != "none" {
                            let placing = Self.placing(failing: mode == "failing")
                            options.locate = placing.locate
                            options.checkGiven = placing.check
                            options.threadLocates = { count in (0..<count).map { _ in Self.placing(failing: mode == "failing").locate } }
                            options.threadChecksGiven = { count in (0..<count).map { _ in Self.placing(failing: mode == "failing").check } }
                        }
                        options.scansFeatures = scanning
                        options.threads = threads
                        options.chunkBytes = chunkBytes
                        do {
                            return (try ScannedPathGoldenTests.readings(bytes, name: name, options: options), nil)
                        } catch {
                            return (nil, "\(error)")
                        }
                    }
                    let full = read(scanning: false, threads: 1, chunkBytes: 1 << 30)
                    if full.readings != nil { readCount += 1 }
                    if name.hasPrefix("good") || name.hasPrefix("stamped"), readerName.contains("vocabulary") || readerName.contains("normalising") {
                        #expect((full.error == nil) == (mode == "placing"), "\(name), \(readerName), locate \(mode): \(full.error ?? "read")")
                    }
                    for (threads, chunkBytes) in [(1, 1 << 30), (2, 1), (3, 999), (2, 20_000)] {
                        let scanned = read(scanning: true, threads: threads, chunkBytes: chunkBytes)
                        let what = "\(name), \(readerName), locate \(mode), \(threads) threads, chunks of \(chunkBytes) B"
                        #expect(scanned.error == full.error, "\(what)")
                        // Compared as one Bool: the readings are too long to print.
                        let same = scanned.readings == full.readings
                        #expect(same, "\(what)")
                    }
                }
            }
        }
        // Not every reading failed (else only the errors were compared): the good tables read
        // whole with country names and the vocabulary when rows without coordinates are placed.
        #expect(readCount >= 8, "only \(readCount) readings succeeded")
    }

    /// The scanner takes most rows of a plain table, quoted cells (line ends and all) included
    /// (else the test above compares the full path with itself), and leaves to the reader rows
    /// with a doubled quote in a cell it checks, blank lines and rows it cannot take.
    /// An ACLED writer's country names when it knows none.
    static let noCountryNames: @Sendable (String) -> String? = { _ in nil }

    @Test func scannerTakesThePlainRows() throws {
        let bytes = Self.table(rows: 2_000, problems: false)
        var taken = 0, left = 0, asText = 0, asACLED = 0
        try bytes.withUnsafeBytes { buffer in
            var rows = EventReader.CSVRows(reader: try readerWithCountryNames(), source: "good.csv", forceACLED: false)
            var start = 0
            try CSV.forEachRecord(in: buffer, separator: rows.separator, recovering: true, stoppingAt: 1) { record in
                _ = try? rows.row(for: record)
                start = record.endOffset
            }
            var scanner = try #require(TableScanner(rows))
            var acled = try #require(TableScanner(rows, acledCountryName: Self.noCountryNames))
            #expect(scanner.writesText)
            while start < buffer.count {
                if scanner.text(in: buffer, at: start) != nil { asText += 1 }
                if acled.acledLine(in: buffer, at: start) != nil { asACLED += 1 }
                if let row = scanner.row(in: buffer, at: start) {
                    taken += 1
                    start = row.end
                } else {
                    left += 1
                    start = EventReader.lineStart(in: buffer, after: start) ?? buffer.count
                }
            }
        }
        // A third of the rows have claims with doubled quotes; some need placing, some use wording
        // this reader does not know. (Without quoted cells, 738 rows are taken.)
        #expect(taken > 950, "only \(taken) rows taken, \(left) left to the reader")
        #expect(left > 300, "only \(left) rows left to the reader")
        // Rows with fatality claims are taken but not written as text.
        #expect(asText > 500 && asText < taken, "\(asText) of \(taken) rows written as text")
        // Nor as ACLED's lines; the others are (but not from a table with a `country_name` of its own).
        #expect(asACLED == asText, "\(asACLED) of \(taken) rows written as ACLED lines")
        let named = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "source_note\n", with: "country_name\n").utf8)
        let namedLines = try named.withUnsafeBytes { buffer in
            var rows = EventReader.CSVRows(reader: try readerWithCountryNames(), source: "named.csv", forceACLED: false)
            var start = 0
            try CSV.forEachRecord(in: buffer, separator: rows.separator, recovering: true, stoppingAt: 1) { record in
                _ = try? rows.row(for: record)
                start = record.endOffset
            }
            var acled = try #require(TableScanner(rows, acledCountryName: Self.noCountryNames))
            var (lines, texts) = (0, 0)
            while start < buffer.count {
                if acled.acledLine(in: buffer, at: start) != nil { lines += 1 }
                if acled.text(in: buffer, at: start) != nil { texts += 1 }
                start = EventReader.lineStart(in: buffer, after: start) ?? buffer.count
            }
            return (lines, texts)
        }
        #expect(namedLines.0 == 0 && namedLines.1 > 500, "\(namedLines)")
    }

    /// An ACLED export's rows are written as text too, but for those whose upload time the
    /// full way replaces (not an integer, or geo's own milliseconds), and not when the table has
    /// a `country_name` column of its own (the event's) or a `timestamp` column elsewhere.
    @Test func scannerWritesACLEDRowsAsText() throws {
        func written(_ bytes: [UInt8]) throws -> (writes: Bool, asText: Int, rows: Int) {
            try bytes.withUnsafeBytes { buffer in
                var rows = EventReader.CSVRows(reader: try readerWithCountryNames(), source: "acled.csv", forceACLED: false)
                var start = 0
                try CSV.forEachRecord(in: buffer, separator: rows.separator, recovering: true, stoppingAt: 1) { record in
                    _ = try? rows.row(for: record)
                    start = record.endOffset
                }
                #expect(rows.isACLED)
                var scanner = try #require(TableScanner(rows))
                var acled = try #require(TableScanner(rows, acledCountryName: Self.noCountryNames))
                var asText = 0, count = 0
                while start < buffer.count {
                    if scanner.text(in: buffer, at: start) != nil { asText += 1 }
                    // ACLED's lines are written for the same rows.
                    #expect((acled.acledLine(in: buffer, at: start) != nil) == (scanner.writesText && scanner.text(in: buffer, at: start) != nil))
                    count += 1
                    start = EventReader.lineStart(in: buffer, after: start) ?? buffer.count
                }
                return (scanner.writesText, asText, count)
            }
        }
        let export = try written(Self.acledTable(rows: 1_200))
        #expect(export.writes && export.rows == 1_200)
        // Upload times kept: 1706400000, 1706400001, 17, +5, 007, -3, and 1706400000000 but on
        // 2024-01-28 at day precision (geo's own milliseconds): 7 to 8 rows in 12. The empty,
        // `abc`, `1.5` and the one past Int64 go the full way.
        #expect(export.asText > 550 && export.asText < 800, "\(export.asText) of 1200 rows written as text")
        let unstamped = try written(Self.acledTable(rows: 300, timestampColumn: nil))
        #expect(unstamped.writes && unstamped.asText > 250, "\(unstamped)")
        #expect(try !written(Self.acledTable(rows: 10, extra: "country_name")).writes)
    }

    /// A `;` list read from a cell's bytes (`TableScanner.listItems`) has the items
    /// `EventDecoder.list` makes of its text, whenever the bytes say it is the plain case: on
    /// cells of random pieces, with combining marks and prepended signs beside `;`, white space
    /// beyond ASCII, brackets, quotes and Arabic.
    @Test func listItemsAreTheDecodersList() {
        var rng = SeededGenerator(seed: 7)
        let pieces = ["a", "Sabereen News", " ", "\t", ";", "; ", " ;", "\u{301}", "\u{600}", "\u{A0}", "\u{3000}", "[", "]", "\"", "\\",
                      "é", "دير الزور", ",", "x y", "\u{200D}"]
        var plain = 0, lists = 0
        for _ in 0..<30_000 {
            let cell = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            var items: [String] = []
            let taken = Array(cell.utf8).withUnsafeBytes { bytes in TableScanner.listItems(bytes) { items.append(String(decoding: $0, as: UTF8.self)) } }
            guard taken else { continue }
            plain += 1
            if items.count > 1 { lists += 1 }
            #expect(items == EventDecoder.list(.string(cell)), "\(cell.debugDescription)")
        }
        #expect(plain > 15_000 && lists > 1_500, "\(plain) plain cells, \(lists) with several items")
    }

    /// `TableScanner.plainDecimal` reads a cell as `Double(text)` does, or leaves it to the
    /// decoder: random decimals of every length up to the limit and past it, signs, zeros,
    /// and malformed cells.
    @Test func plainDecimalsAreReadAsDoubleReadsThem() {
        var rng = SeededGenerator(seed: 23)
        var texts = ["0", "-0", "0.0", "007.50", "180", "-180.000000", "90.1", "1.", ".5", "-", "", "1e3", "+1", "1.2.3", " 1", "1 ",
                     "123456789012345", "1234567890123456", "0.000000000000001", "9007199254740993", "33.5", "-12.25",
                     // Past 19 digits the mantissa wraps: refused, not read wrong.
                     "18446744073709551617", "1.8446744073709551617", "-0.18446744073709551616", "99999999999999999999.9"]
        for _ in 0..<20_000 {
            let whole = String(Int.random(in: 0..<1_000, using: &rng))
            let fraction = String((0..<Int.random(in: 0...13, using: &rng)).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
            let sign = Bool.random(using: &rng) ? "-" : ""
            texts.append(sign + whole + (fraction.isEmpty ? "" : "." + fraction))
        }
        var read = 0
        for text in texts {
            let bytes = Array(text.utf8)
            let fast = bytes.withUnsafeBytes { TableScanner.plainDecimal($0) }
            guard let fast else { continue }
            read += 1
            let expected = Double(text)
            #expect(fast.bitPattern == expected?.bitPattern, "'\(text)': \(fast) against \(String(describing: expected))")
        }
        #expect(read > 18_000)  // a few random cells have more than 15 digits
    }

    /// `EventReader.lineEnds` counts the line ends of any range, eight bytes at a time or not,
    /// among bytes that differ from a line end by one bit (0x0B, 0x8A) or are 0x00 and 0xFF.
    @Test func lineEndsAreCountedInAnyRange() {
        var rng = SeededGenerator(seed: 24)
        let alphabet: [UInt8] = [0x0A, 0x0B, 0x8A, 0x00, 0xFF, 0x41, 0x0D, 0x2C]
        let bytes = (0..<300).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
        bytes.withUnsafeBytes { buffer in
            for from in 0..<40 {
                for to in from..<buffer.count where (to - from) % 7 == 0 || to == buffer.count - 1 {
                    let counted = EventReader.lineEnds(in: buffer, from: from, to: to)
                    #expect(counted == bytes[from..<to].filter { $0 == 0x0A }.count, "\(from)..<\(to)")
                }
                let next = EventReader.lineStart(in: buffer, after: from)
                let expected = bytes[from...].firstIndex(of: 0x0A).map { $0 + 1 }
                #expect(next == expected, "line start after \(from)")
            }
        }
        // Long runs: a lane's count in a byte never passes 255.
        for fill: UInt8 in [0x0A, 0x41] {
            var long = [UInt8](repeating: fill, count: 20_000)
            for k in stride(from: 7, to: long.count, by: 977) { long[k] = fill == 0x0A ? 0x41 : 0x0A }
            long.withUnsafeBytes { buffer in
                for (from, to) in [(0, 20_000), (3, 19_999), (1, 4_081), (0, 4_080), (5, 4_101), (17, 16_401)] {
                    let counted = EventReader.lineEnds(in: buffer, from: from, to: to)
                    #expect(counted == long[from..<to].filter { $0 == 0x0A }.count, "\(fill): \(from)..<\(to)")
                }
            }
        }
    }

    /// `EventReader.containsRecordSeparator` finds a 0x1E wherever it is in a text searched in
    /// slices (its first and last bytes, either side of each slice's edge) and none where there is
    /// none, on one thread and several.
    @Test func recordSeparatorsAreFoundInAnySlice() {
        let count = 40 << 20
        var bytes = [UInt8](repeating: 0x41, count: count)
        let slices = count / 2, thirds = count / 3
        for threads in [1, 2, 3, 8] {
            #expect(!bytes.withUnsafeBytes { EventReader.containsRecordSeparator($0, threads: threads) }, "none, \(threads) threads")
            for at in [0, 1, slices - 1, slices, slices + 1, thirds - 1, thirds, 2 * thirds, count - 1] {
                bytes[at] = 0x1E
                let found = bytes.withUnsafeBytes { EventReader.containsRecordSeparator($0, threads: threads) }
                #expect(found, "at \(at), \(threads) threads")
                bytes[at] = 0x41
            }
        }
        #expect(!EventReader.containsRecordSeparator(UnsafeRawBufferPointer(start: nil, count: 0), threads: 2))
    }

    /// `PlainEventSteps` hands out dates and types by entry number; past its memos' limit, the
    /// entry it could not keep (number 0) holds the last one worked out, and the kept ones stay.
    @Test func plainStepsNumberTheirEntriesPastTheMemoLimit() {
        let decoder = EventDecoder(countryCode: { _ in nil })
        var steps = PlainEventSteps(decoder: decoder, timestamp: .iso, memoLimit: 2)
        let dates = ["2024-01-05", "2024-02-06", "2024-03-07", "2024-04-08", "2024-01-05", "31/02/2024", "2024-03-07"]
        var numbers: [PlainEventSteps.EntryNumber?] = []
        var wrong: [String] = []
        for date in dates {
            let bytes = Array(date.utf8)
            let number = bytes.withUnsafeBytes { cell in
                steps.time(cell, nil, nil, value: { $0 == .eventDate ? .string(date) : nil })
            }
            numbers.append(number)
            let expected = try? decoder.decodeTime { $0 == .eventDate ? .string(date) : nil }
            let got = number.map { steps.interval($0) }
            let wanted = expected.map { EventInterval(date: $0.date, end: $0.end, precision: $0.precision) }
            if got != wanted { wrong.append(date) }
            // ACLED's cells of the entry are its own, entry 0's too.
            if let number, let expected {
                var w = JSONWriter()
                steps.appendACLEDTime(number, to: &w)
                if String(decoding: w.bytes, as: UTF8.self) != "\(expected.date.dayOnly.iso),\(expected.date.year),\(expected.precision.rawValue)" { wrong.append("ACLED: " + date) }
            }
        }
        #expect(wrong.isEmpty, "\(wrong)")
        let isNumbered = numbers == [1, 2, 0, 0, 1, nil, 0]
        #expect(isNumbered, "\(numbers)")
        // The kept entries are still theirs.
        let keptStay = steps.interval(1).startSeconds == 1_704_412_800 && steps.interval(2).startSeconds == 1_707_177_600
        #expect(keptStay)
        var typeNumbers: [PlainEventSteps.EntryNumber?] = []
        for (type, sub) in [("Battles", "Armed clash"), ("Riots", "Mob violence"), ("Protests", "Peaceful protest"), ("Bombing", ""), ("Battles", "Armed clash")] {
            let number = Array(type.utf8).withUnsafeBytes { t in
                Array(sub.utf8).withUnsafeBytes { s in
                    steps.types(t, s, value: { $0 == .eventType ? .string(type) : ($0 == .subEventType ? .string(sub) : nil) })
                }
            }
            typeNumbers.append(number)
        }
        let typesNumbered = typeNumbers == [1, 2, 0, nil, 1]
        #expect(typesNumbered, "\(typeNumbers)")
    }

    /// `PlainEventSteps` finds dates, types and countries in their usual forms by words (a
    /// date's ten bytes with its precision, a type pair guessed from its ends and checked, a
    /// short country) and in any other form by their bytes: every form gets the full decoder's
    /// answer, the first time and again.
    @Test func plainStepsAnswerEveryFormOfTheirValues() throws {
        let codes = ["Iraq": "IQ", "Syria": "SY", "Republic of Xa": "XA", "Republic of Xb": "XB", "Republic of Xc.": "XC",
                     "Republic of Xc..": "XD", "Republic of Xc.!": "XE", "Federal Republic of Y": "YY"]
        let decoder = EventDecoder(countryCode: { codes[$0] })
        var steps = PlainEventSteps(decoder: decoder, timestamp: .iso)
        func withCells<R>(_ texts: [String?], _ body: ([UnsafeRawBufferPointer?]) -> R) -> R {
            let arrays = texts.map { $0.map { Array($0.utf8) } }
            func go(_ k: Int, _ cells: [UnsafeRawBufferPointer?]) -> R {
                guard k < arrays.count else { return body(cells) }
                guard let array = arrays[k] else { return go(k + 1, cells + [nil]) }
                return array.withUnsafeBytes { go(k + 1, cells + [$0]) }
            }
            return go(0, [])
        }
        func values(_ given: [EventField: String?]) -> (EventField) -> JSONValue? {
            { field in given[field].flatMap { $0.map { .string($0) } } }
        }
        var wrong: [String] = []
        let dates = ["2024-01-05", "2024-01-06", "2024-02-05", "2024-1-5 ", "05/01/2024", "2024-13-01", "", "2024-01-05T10:00"]
        let ends: [String?] = [nil, "", "2024-01-09", "2023-12-31"]
        let precisions: [String?] = [nil, "", "1", "2", "3", "4", "x", "12"]
        for round in 0..<2 {
            for date in dates {
                for end in ends {
                    for precision in precisions {
                        let value = values([.eventDate: date, .dateEnd: end, .timePrecision: precision])
                        let number = withCells([date, end, precision]) { steps.time($0[0], $0[1], $0[2], value: value) }
                        let expected = try? decoder.decodeTime(value)
                        let got = number.map { steps.interval($0) }
                        if got != expected.map({ EventInterval(date: $0.date, end: $0.end, precision: $0.precision) }) {
                            wrong.append("round \(round): \(date) \(end ?? "-") \(precision ?? "-")")
                        }
                        // ACLED's cells: the day, its year, the precision.
                        if let number, let expected {
                            var w = JSONWriter()
                            steps.appendACLEDTime(number, to: &w)
                            if String(decoding: w.bytes, as: UTF8.self) != "\(expected.date.dayOnly.iso),\(expected.date.year),\(expected.precision.rawValue)" {
                                wrong.append("ACLED, round \(round): \(date) \(end ?? "-") \(precision ?? "-")")
                            }
                        }
                    }
                }
            }
        }
        // The second pair has the first's length and first and last eight bytes.
        let typePairs: [(String?, String?)] = [
            ("Explosions/Remote violence", "Shelling/artillery/missile attack"), ("Explosions/Remote violence", "Shelling/artilleryXmissile attack"),
            ("Explosions/Remote violence", "Air/drone strike"), ("Explosions/Remote violence", nil), ("Battles", "Armed clash"),
            ("Battles", ""), (nil, "Armed clash"), ("", "Armed clash"), ("Battles", "Armed clashes"), ("Riots", "Mob violence"),
        ]
        for round in 0..<2 {
            for (type, sub) in typePairs {
                let value = values([.eventType: type, .subEventType: sub])
                let number = withCells([type, sub]) { steps.types($0[0], $0[1], value: value) }
                let expected = try? decoder.eventTypes(eventType: EventDecoder.text(value(.eventType)), subEventType: EventDecoder.text(value(.subEventType)))
                if number.map({ steps.typePair($0) }).map({ [$0.0, $0.1] }) != expected.map({ [$0.pair.0, $0.pair.1] }) {
                    wrong.append("round \(round): \(type ?? "-") / \(sub ?? "-")")
                }
            }
        }
        let countries: [String?] = ["Iraq", "Syria", "Republic of Xa", "Republic of Xb", "Republic of Xc.", "Republic of Xc..", "Republic of Xc.!",
                                    "Federal Republic of Y", "IQ", "", nil, "Atlantis"]
        for round in 0..<2 {
            for country in countries {
                let value = values([.country: country])
                let code = withCells([country]) { steps.country($0[0], value: value) }
                if code != (try? decoder.decodeCountry(value)) { wrong.append("round \(round): \(country ?? "-")") }
            }
        }
        #expect(wrong.isEmpty, "\(wrong)")
        let codesFound = ["Republic of Xa", "Republic of Xb", "Republic of Xc..", "Republic of Xc.!"].map { country in
            withCells([country]) { steps.country($0[0], value: values([.country: country])) }
        }
        #expect(codesFound == ["XA", "XB", "XD", "XE"])
    }

    /// `ByteMemo` finds what it keeps by the bytes, whatever their length, and nothing else;
    /// past its limit it keeps nothing more.
    @Test func byteMemoKeepsValuesByTheirBytes() {
        var memo = ByteMemo<Int>(limit: 3_000)
        let keys = (0..<3_500).map { i in Array("key \(i) ".utf8) + Array(repeating: UInt8(i % 251), count: i % 23) }
        for (i, key) in keys.enumerated() { key.withUnsafeBytes { memo.insert(i, for: $0) } }
        #expect(memo.count == 3_000)
        var found = 0, wrong = 0
        for (i, key) in keys.enumerated() {
            let value = key.withUnsafeBytes { memo.value(for: $0) }
            if let value { found += 1; if value != i { wrong += 1 } }
        }
        #expect(found == 3_000 && wrong == 0)
        #expect(Array("key 1 ".utf8).withUnsafeBytes { memo.value(for: $0) } == nil)  // a prefix of key 1's bytes
        #expect([UInt8]().withUnsafeBytes { memo.value(for: $0) } == nil)
    }

    /// `ByteMemo.key(at:is:_:)` says whether a kept key is exactly two parts as the steps join
    /// them (each followed by 0xFF, an absent one 0xFE 0xFF): no prefix, no longer key.
    @Test func byteMemoComparesKeysByTheirParts() {
        var memo = ByteMemo<Int>()
        let joined: [[UInt8]] = [Array("ab\u{FF}c\u{FF}".utf8), Array("ab\u{FF}c\u{FF}d\u{FF}".utf8), Array("ab\u{FF}\u{FE}\u{FF}".utf8)]
        // (Those are the UTF-8 of ÿ and þ; the steps' separators are the bytes themselves.)
        let keys: [[UInt8]] = joined.map { Array(String(decoding: $0, as: UTF8.self).unicodeScalars.map { UInt8($0.value) }) }
        for (i, key) in keys.enumerated() { key.withUnsafeBytes { _ = memo.insert(i, for: $0) } }
        func matches(_ k: Int, _ a: String?, _ b: String?) -> Bool { matches(k, a.map { Array($0.utf8) }, b.map { Array($0.utf8) }) }
        func matches(_ k: Int, _ a: [UInt8]?, _ b: [UInt8]?) -> Bool {
            func with(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> Bool) -> Bool {
                guard let bytes else { return body(nil) }
                return bytes.withUnsafeBytes { body($0) }
            }
            return with(a) { a in with(b) { b in memo.key(at: k, is: a, b) } }
        }
        let answers = [matches(0, "ab", "c"), matches(0, "a", "b"), matches(0, "ab", "cd"), matches(0, "ab", nil), matches(0, "ab", ""),
                       matches(1, "ab", "c"), matches(2, "ab", nil), matches(2, "ab", ""), matches(3, "ab", "c"),
                       // (Parts of text never hold 0xFF; a part that did still does not match across a separator.)
                       matches(0, [0x61], [0xFF, 0x63])]
        #expect(answers == [true, false, false, false, false, false, true, false, false, false])
    }

    /// `ByteMemo.hash` mixes every byte: the last word read as it overlaps the one before
    /// gives what the bytes one at a time give, at every length up to 40.
    @Test func byteMemoHashMixesEveryByte() {
        func reference(_ key: [UInt8]) -> UInt64 {
            var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
            func mix(_ word: UInt64) {
                hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
                hash ^= hash >> 32
            }
            for start in stride(from: 0, to: key.count, by: 8) {
                var word: UInt64 = 0
                for (k, byte) in key[start..<min(key.count, start + 8)].enumerated() { word |= UInt64(byte) << UInt64(8 * k) }
                mix(word)
            }
            return hash
        }
        var random = SeededGenerator(seed: 5)
        var differing = 0
        for length in 0...40 {
            for _ in 0..<50 {
                let key = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
                if key.withUnsafeBytes({ ByteMemo<Int>.hash($0) }) != reference(key) { differing += 1 }
            }
        }
        #expect(differing == 0)
    }
}
