import Foundation
import GeoCore

/// The steps of `EventDecoder.decode` that plain table rows (`TableScanner`) and plain GeoJSON
/// features (`FeatureTextScanner`) take by their bytes, their answers kept by the bytes of the
/// values they read (a million events share a few thousand dates, types, countries and actor
/// names), and the properties text `EventEncoder.appendProperties` writes for such an event.
///
/// A step is given the values' bytes as its key and, for a key not seen before, the values as
/// the full decoder reads them (`value`), which the decoder's own step then reads: so both
/// readings accept and refuse the same events. One per thread.
struct PlainEventSteps {
    /// An entry of the steps' dates or types by its number: returned, and handed back to
    /// `appendProperties`, in place of the entry (whose texts a copy would retain and release).
    /// Entry 0 is the last one worked out that its memo could not keep (`ByteMemo.limit`).
    typealias EntryNumber = Int32

    /// Per date entry: the event's dates as the layer's span, and as its properties from
    /// `event_date` to `time_precision` (`EventEncoder.appendTime`).
    private var timeIntervals = [EventInterval(startSeconds: 0, endSeconds: 0, precision: .day)]
    private var timeTexts: [[UInt8]] = [[]]
    /// Per date entry: `event_date` and `date_end` as decoded.
    private var timeDates: [(date: EventDate, end: EventDate?)] = [(EventDate(year: 1970, month: 1, day: 1)!, nil)]
    /// Per date entry: its cells of the project's CSV from `event_date` to `time_precision`
    /// (`EventEncoder.appendCSVLine`), and the ISO `timestamp` geo derives from its dates;
    /// made when first asked for (`csvTime`: a reading that writes no CSV makes none).
    private var timeCSV: [[UInt8]?] = [nil]
    /// Per date entry: its cells of ACLED's layout, `event_date,year,time_precision`, made when
    /// first asked for (`appendACLEDTime`).
    private var timeACLED: [[UInt8]?] = [nil]
    private var timeStamps: [[UInt8]?] = [nil]
    /// Per date entry: its properties text without a `timestamp` (an event that keeps an
    /// input's own), made when first asked for.
    private var timeUnstamped: [[UInt8]?] = [nil]
    /// Per types entry: the types as written (`EventEncoder.appendTypes`), and the wording they
    /// were mapped from (nil when ACLED's names matched).
    private var typeTexts: [[UInt8]] = [[]]
    private var typeWordings: [String?] = [nil]
    /// Per types entry: the event type and sub-event type.
    private var typePairs: [(String, String)] = [("", "")]
    /// Per types entry: its CSV cells `event_type,sub_event_type,` and the wording's cell.
    private var typeCSV: [[UInt8]] = [[]]
    private var wordingCSV: [[UInt8]?] = [nil]
    /// Per actors entry: `actor1`, `actor1_reported`, `actor_side` and `actor_match` as the
    /// decoder fills them (`actorFields`), as JSON values, and `actor_side`'s text.
    private var actorTexts: [[[UInt8]]] = [[]]
    /// Per actors entry: its CSV cells `actor1,actor1_reported` and `actor_side,actor_match`,
    /// and `actor1`'s alone.
    private var actorCSV: [[[UInt8]]] = [[]]
    private var sideNames: [String] = [""]

    let decoder: EventDecoder
    /// The `timestamp` the written properties carry.
    let timestamp: EventTimestamp
    /// The memo key being made (a writer for its appends, which cost less than an array's).
    private var key = JSONWriter()
    /// Entry numbers by the values' bytes; -1: refused.
    private var times = ByteMemo<EntryNumber>()
    private var types = ByteMemo<EntryNumber>()
    private var actors = ByteMemo<EntryNumber>()
    private var countries = ByteMemo<String?>()
    /// `times`' answers for keys of their usual form (`shortTimeKey`), each kept there too.
    private var shortTimes = WordPairMemo()
    /// The index in `types` of the key that a pair of sampled words (`sample`) was first seen
    /// with: a guess, checked against the key's bytes.
    private var typeGuesses = WordPairMemo()
    /// The index in `countries` of each short country key (`shortKey`).
    private var countryKeys = WordPairMemo()
    /// ACLED's `country` cell of each code (`appendACLEDCountry`).
    private var acledCountryCells: [String: [UInt8]] = [:]

    /// `memoLimit`: the date and type keys kept (a test makes it small).
    init(decoder: EventDecoder, timestamp: EventTimestamp, memoLimit: Int = 100_000) {
        self.decoder = decoder
        self.timestamp = timestamp
        times = ByteMemo(limit: memoLimit)
        types = ByteMemo(limit: memoLimit)
        actors = ByteMemo(limit: memoLimit)
    }

    typealias Bytes = UnsafeRawBufferPointer

    /// `decodeTime` of `event_date`, `date_end` and `time_precision`: its entry's number
    /// (`interval(_:)`); nil when it refuses them.
    mutating func time(_ date: Bytes?, _ end: Bytes?, _ precision: Bytes?, value: (EventField) -> JSONValue?) -> EntryNumber? {
        let short = Self.shortTimeKey(date, end, precision)
        if let short, let known = shortTimes.value(for: short) { return known < 0 ? nil : known }
        let (number, kept) = timeEntry(date, end, precision, value: value)
        if let short, kept { shortTimes.insert(number, for: short) }
        return number < 0 ? nil : number
    }

    /// `time` by the values' bytes (`times`): its entry's number, -1 when refused, and whether
    /// `times` keeps the answer.
    private mutating func timeEntry(_ date: Bytes?, _ end: Bytes?, _ precision: Bytes?,
                                    value: (EventField) -> JSONValue?) -> (number: EntryNumber, kept: Bool) {
        setKey(date, end, precision)
        if let known = key.withUnsafeBytes({ times.value(for: $0) }) { return (known, true) }
        let kept = !times.isFull
        guard let decoded = try? decoder.decodeTime(value) else {
            key.withUnsafeBytes { _ = times.insert(-1, for: $0) }
            return (-1, kept)
        }
        var w = JSONWriter()
        EventEncoder.appendTime(date: decoded.date, end: decoded.end, precision: decoded.precision, timestamp: timestamp, to: &w)
        let interval = EventInterval(date: decoded.date, end: decoded.end, precision: decoded.precision)
        let number = kept ? timeTexts.count : 0
        if number == 0 {
            (timeIntervals[0], timeTexts[0], timeDates[0], timeCSV[0], timeStamps[0]) = (interval, w.bytes, (decoded.date, decoded.end), nil, nil)
            (timeUnstamped[0], timeACLED[0]) = (nil, nil)
        } else {
            timeIntervals.append(interval)
            timeTexts.append(w.bytes)
            timeDates.append((decoded.date, decoded.end))
            timeCSV.append(nil)
            timeStamps.append(nil)
            timeUnstamped.append(nil)
            timeACLED.append(nil)
        }
        key.withUnsafeBytes { _ = times.insert(EntryNumber(number), for: $0) }
        return (EntryNumber(number), kept)
    }

    /// The key of `time`'s values in their usual form as two words: a ten-byte `event_date`,
    /// `date_end` absent or empty, `time_precision` absent, empty or one byte. Nil for any other
    /// form (`times` then keeps them by their bytes). Each such form has its own pair of words.
    @inline(__always)
    static func shortTimeKey(_ date: Bytes?, _ end: Bytes?, _ precision: Bytes?) -> WordPairMemo.Key? {
        guard let date, date.count == 10, end?.isEmpty ?? true else { return nil }
        let precisionCode: UInt64
        switch precision?.count {
        case nil: precisionCode = 0
        case 0: precisionCode = 1
        case 1: precisionCode = 2 + UInt64(precision![0])
        default: return nil
        }
        let tail = UInt64(date.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        return WordPairMemo.Key(date.loadUnaligned(as: UInt64.self),
                                tail | (end == nil ? 0 : 1) << 16 | precisionCode << 24)
    }

    /// The time span of date entry `number`.
    func interval(_ number: EntryNumber) -> EventInterval { timeIntervals[Int(number)] }

    /// `event_date` and `date_end` of date entry `number`.
    func dates(_ number: EntryNumber) -> (date: EventDate, end: EventDate?) { timeDates[Int(number)] }

    /// The event type and sub-event type of types entry `number`.
    func typePair(_ number: EntryNumber) -> (String, String) { typePairs[Int(number)] }

    /// `actor_side` of actors entry `number`.
    func sideName(_ number: EntryNumber) -> String { sideNames[Int(number)] }

    /// `actorFields` of `actor1`, `actor1_reported`, `actor_side` and `actor_match`, as
    /// `decode` fills them: its entry's number (`sideName(_:)`; `appendProperties` writes them).
    mutating func actorEntry(_ actor1: Bytes?, _ actor1Reported: Bytes?, _ actorSide: Bytes?, _ actorMatch: Bytes?,
                             value: (EventField) -> JSONValue?) -> EntryNumber {
        setKey(actor1, actor1Reported, actorSide, actorMatch)
        if let known = key.withUnsafeBytes({ actors.value(for: $0) }) { return known }
        func text(_ field: EventField) -> String { EventDecoder.text(value(field)) }
        let fields = decoder.actorFields(actor1: text(.actor1), actor1Reported: text(.actor1Reported), actorSide: text(.actorSide),
                                         actorMatch: text(.actorMatch))
        let texts = [fields.actor1, fields.actor1Reported, fields.actorSide, fields.actorMatch].map { value in
            var w = JSONWriter()
            if value.isEmpty { w.appendRaw("null") } else { w.appendString(value) }
            return w.bytes
        }
        var cells = [(fields.actor1, fields.actor1Reported), (fields.actorSide, fields.actorMatch)].map { pair in
            var w = JSONWriter()
            CSV.appendField(pair.0, to: &w)
            w.appendByte(UInt8(ascii: ","))
            CSV.appendField(pair.1, to: &w)
            return w.bytes
        }
        var actor1 = JSONWriter()
        CSV.appendField(fields.actor1, to: &actor1)
        cells.append(actor1.bytes)
        let number = actors.isFull ? 0 : actorTexts.count
        if number == 0 {
            (actorTexts[0], sideNames[0], actorCSV[0]) = (texts, fields.actorSide, cells)
        } else {
            actorTexts.append(texts)
            sideNames.append(fields.actorSide)
            actorCSV.append(cells)
        }
        key.withUnsafeBytes { _ = actors.insert(EntryNumber(number), for: $0) }
        return EntryNumber(number)
    }

    /// `eventTypes` of `event_type` and `sub_event_type`: its entry's number; nil when it
    /// refuses them.
    mutating func types(_ eventType: Bytes?, _ subEventType: Bytes?, value: (EventField) -> JSONValue?) -> EntryNumber? {
        let guess = WordPairMemo.Key(Self.sample(eventType), Self.sample(subEventType))
        if let k = typeGuesses.value(for: guess), types.key(at: Int(k), is: eventType, subEventType) {
            let known = types.value(at: Int(k))
            return known < 0 ? nil : known
        }
        setKey(eventType, subEventType)
        let (number, index) = typesEntry(eventType, subEventType, value: value)
        if let index, typeGuesses.value(for: guess) == nil { typeGuesses.insert(Int32(index), for: guess) }
        return number < 0 ? nil : number
    }

    /// `types` by `key` (`types`): its entry's number, -1 when refused, and the key's index
    /// in `types` (nil when not kept).
    private mutating func typesEntry(_ eventType: Bytes?, _ subEventType: Bytes?,
                                     value: (EventField) -> JSONValue?) -> (number: EntryNumber, index: Int?) {
        if let k = key.withUnsafeBytes({ types.index(for: $0) }) { return (types.value(at: k), k) }
        guard let resolved = try? decoder.eventTypes(eventType: EventDecoder.text(value(.eventType)),
                                                     subEventType: EventDecoder.text(value(.subEventType))) else {
            return (-1, key.withUnsafeBytes { types.insert(-1, for: $0) })
        }
        var w = JSONWriter()
        EventEncoder.appendTypes(resolved.pair.0, resolved.pair.1, to: &w)
        var cells = JSONWriter()
        CSV.appendField(resolved.pair.0, to: &cells)
        cells.appendByte(UInt8(ascii: ","))
        CSV.appendField(resolved.pair.1, to: &cells)
        cells.appendByte(UInt8(ascii: ","))
        let wording = resolved.wording.map { wording in
            var w = JSONWriter()
            CSV.appendField(wording, to: &w)
            return w.bytes
        }
        let number = types.isFull ? 0 : typeTexts.count
        if number == 0 {
            (typeTexts[0], typeWordings[0], typePairs[0], typeCSV[0], wordingCSV[0]) = (w.bytes, resolved.wording, resolved.pair, cells.bytes, wording)
        } else {
            typeTexts.append(w.bytes)
            typeWordings.append(resolved.wording)
            typePairs.append(resolved.pair)
            typeCSV.append(cells.bytes)
            wordingCSV.append(wording)
        }
        return (EntryNumber(number), key.withUnsafeBytes { types.insert(EntryNumber(number), for: $0) })
    }

    /// `decodeCountry` of `country`: an alpha-2 code, "" when empty; nil when it refuses it.
    mutating func country(_ given: Bytes?, value: (EventField) -> JSONValue?) -> String? {
        let words = Self.shortKey(given)
        if let words, let k = countryKeys.value(for: words) { return countries.value(at: Int(k)) }
        setKey(given)
        let k: Int?, code: String?
        if let known = key.withUnsafeBytes({ countries.index(for: $0) }) {
            (k, code) = (known, countries.value(at: known))
        } else {
            code = try? decoder.decodeCountry(value)
            k = key.withUnsafeBytes { countries.insert(code, for: $0) }
        }
        if let words, let k { countryKeys.insert(Int32(k), for: words) }
        return code
    }

    /// A part of a memo key of at most 15 bytes (or none) as two words, one pair per part.
    static func shortKey(_ part: Bytes?) -> WordPairMemo.Key? {
        guard let part else { return WordPairMemo.Key(0, 0xFF << 56) }
        let n = part.count
        guard n < 16 else { return nil }
        var low: UInt64 = 0, high = UInt64(n) << 56
        for k in 0..<min(n, 8) { low |= UInt64(part[k]) << UInt64(8 * k) }
        for k in min(n, 8)..<n { high |= UInt64(part[k]) << UInt64(8 * (k - 8)) }
        return WordPairMemo.Key(low, high)
    }

    /// A word that a part of a memo key (or none) gives, from its length and its first and last
    /// eight bytes: a guess of which key it is, checked against the key's bytes (`ByteMemo.key(at:is:_:)`).
    @inline(__always)
    static func sample(_ part: Bytes?) -> UInt64 {
        guard let part else { return 0x8000_0000_0000_0000 }
        let n = part.count
        guard n >= 8 else {
            var word = UInt64(n) << 56
            for k in 0..<n { word |= UInt64(part[k]) << UInt64(8 * k) }
            return word
        }
        let first = part.loadUnaligned(as: UInt64.self), last = part.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        return (first &* 0x9E37_79B9_7F4A_7C15 ^ last) &* 0xFF51_AFD7_ED55_8CCD ^ UInt64(n)
    }

    /// Appends the properties from `event_date` to `tags` (after `{"event_id":…`) that
    /// `EventEncoder.appendProperties` writes for the event: no claims, no match, no timestamp
    /// of the input's own. `bytes` gives a value's bytes (its memo key), `value` the value as
    /// the full decoder reads it, `appendText` writes a text field as `EventDecoder.text` reads
    /// it (null when empty) and `appendList` a list field as `EventDecoder.list` reads it.
    /// Returns the event's actors entry (`sideName(_:)`).
    @discardableResult
    mutating func appendProperties(time: EntryNumber, types: EntryNumber, geoPrecision: Int?, country: String, fatalities: Int?,
                                   stamped: Bool = true, bytes: (EventField) -> Bytes?, value: (EventField) -> JSONValue?,
                                   appendText: (EventField, inout JSONWriter) -> Void, appendList: (EventField, inout JSONWriter) -> Void,
                                   to w: inout JSONWriter) -> EntryNumber {
        func text(_ name: StaticString, _ field: EventField) {
            EventEncoder.appendKey(name, to: &w)
            appendText(field, &w)
        }
        if stamped || timestamp == .none {
            w.append(contentsOf: timeTexts[Int(time)])
        } else {
            w.append(contentsOf: unstampedTime(time))
        }
        w.append(contentsOf: typeTexts[Int(types)])
        if let wording = typeWordings[Int(types)] {
            EventEncoder.appendText("event_type_reported", wording, to: &w)
        } else {
            text("event_type_reported", .eventTypeReported)
        }
        let actors = actorEntry(bytes(.actor1), bytes(.actor1Reported), bytes(.actorSide), bytes(.actorMatch), value: value)
        let actorTexts = actorTexts[Int(actors)]
        EventEncoder.appendKey("actor1", to: &w)
        w.append(contentsOf: actorTexts[0])
        EventEncoder.appendKey("actor1_reported", to: &w)
        w.append(contentsOf: actorTexts[1])
        text("actor2", .actor2)
        EventEncoder.appendKey("actor_side", to: &w)
        w.append(contentsOf: actorTexts[2])
        EventEncoder.appendKey("actor_match", to: &w)
        w.append(contentsOf: actorTexts[3])
        text("target", .target)
        text("location", .location)
        EventEncoder.appendKey("geo_precision", to: &w)
        if let g = geoPrecision { w.appendInteger(Int64(g)) } else { w.appendRaw("null") }
        EventEncoder.appendText("country", country, to: &w)
        text("admin1", .admin1)
        EventEncoder.appendKey("fatalities", to: &w)
        if let f = fatalities { w.appendInteger(Int64(f)) } else { w.appendRaw("null") }
        EventEncoder.appendKey("fatality_claims", to: &w)
        w.appendRaw("[]")
        EventEncoder.appendKey("sources", to: &w)
        appendList(.sources, &w)
        text("notes", .notes)
        EventEncoder.appendKey("tags", to: &w)
        appendList(.tags, &w)
        return actors
    }

    /// Whether `text` (a string's bytes) is the `timestamp` geo derives from date entry
    /// `time` (`EventTimestamp.isDerived` of an ISO text).
    /// The start of date entry `time`'s span, seconds since 1970.
    func startSeconds(time: EntryNumber) -> Double { timeIntervals[Int(time)].startSeconds }

    /// Date entry `time`'s properties text without a `timestamp`, made once.
    private mutating func unstampedTime(_ time: EntryNumber) -> [UInt8] {
        let k = Int(time)
        if let made = timeUnstamped[k] { return made }
        let (date, end) = timeDates[k]
        var w = JSONWriter()
        EventEncoder.appendTime(date: date, end: end, precision: timeIntervals[k].precision, timestamp: .none, to: &w)
        timeUnstamped[k] = w.bytes
        return w.bytes
    }

    mutating func isDerivedStamp(_ text: Bytes, time: EntryNumber) -> Bool {
        let k = Int(time)
        if timeStamps[k] == nil { timeStamps[k] = Array(EventTimestamp.isoText(seconds: timeIntervals[k].startSeconds).utf8) }
        return timeStamps[k]!.elementsEqual(text)
    }

    /// Date entry `time`'s CSV cells from `event_date` to `time_precision`, made once.
    private mutating func csvTime(_ time: EntryNumber) -> [UInt8] {
        let k = Int(time)
        if let made = timeCSV[k] { return made }
        let (date, end) = timeDates[k]
        var cells = JSONWriter()
        CSV.appendField(date.iso, to: &cells)
        cells.appendByte(UInt8(ascii: ","))
        if let end { CSV.appendField(end.iso, to: &cells) }
        cells.appendByte(UInt8(ascii: ","))
        cells.appendInteger(Int64(timeIntervals[k].precision.rawValue))
        timeCSV[k] = cells.bytes
        return cells.bytes
    }

    /// Appends date entry `time`'s cells of ACLED's layout, as `ACLEDLayout.cells` writes them:
    /// `event_date` (the day), `year`, `time_precision`.
    mutating func appendACLEDTime(_ time: EntryNumber, to w: inout JSONWriter) {
        let k = Int(time)
        if let made = timeACLED[k] { return w.append(contentsOf: made) }
        let date = timeDates[k].date
        var cells = JSONWriter()
        CSV.appendField(date.dayOnly.iso, to: &cells)
        cells.appendByte(UInt8(ascii: ","))
        cells.appendInteger(Int64(date.year))
        cells.appendByte(UInt8(ascii: ","))
        cells.appendInteger(Int64(timeIntervals[k].precision.rawValue))
        timeACLED[k] = cells.bytes
        w.append(contentsOf: cells.bytes)
    }

    /// Appends ACLED's `country` cell: the event's own name (`country_name`, when it has one),
    /// else `countryName` of its code, else the code; the latter kept by code.
    mutating func appendACLEDCountry(named: String?, code: String, countryName: (String) -> String?, to w: inout JSONWriter) {
        if let named { return CSV.appendField(named, to: &w) }
        if let cell = acledCountryCells[code] { return w.append(contentsOf: cell) }
        var cell = JSONWriter()
        CSV.appendField(countryName(code) ?? code, to: &cell)
        acledCountryCells[code] = cell.bytes
        w.append(contentsOf: cell.bytes)
    }

    /// A list's items as their cell's text: joined by `;` as `EventEncoder.listText` writes them
    /// for the project's CSV, by `; ` as ACLED writes them.
    static func listCell(_ items: [String], joinedBy joiner: String) -> String {
        joiner == ";" ? EventEncoder.listText(items) : items.joined(separator: joiner)
    }

    /// Appends types entry `types`' cells `event_type,sub_event_type`.
    func appendACLEDTypes(_ types: EntryNumber, to w: inout JSONWriter) {
        typeCSV[Int(types)].withUnsafeBytes { w.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0.dropLast())) }
    }

    /// Appends `actor1`'s cell as `decode` fills it (`actorEntry`).
    mutating func appendACLEDActor1(bytes: (EventField) -> Bytes?, value: (EventField) -> JSONValue?, to w: inout JSONWriter) {
        let entry = actorEntry(bytes(.actor1), bytes(.actor1Reported), bytes(.actorSide), bytes(.actorMatch), value: value)
        w.append(contentsOf: actorCSV[Int(entry)][2])
    }

    /// Appends the cells from `event_date` to `match_fallback` (each after a comma, after the
    /// `event_id` cell) that `EventEncoder.appendCSVLine` writes for the event: no claims, no
    /// match. `appendText` writes a text field's cell as `EventDecoder.text` reads it, escaped
    /// (`CSV.appendField`), and `appendList` a list field's as `EventEncoder.listText` writes
    /// `EventDecoder.list` of it; the others as `appendProperties`.
    mutating func appendCSVCells(time: EntryNumber, types: EntryNumber, latitude: Double, longitude: Double, geoPrecision: Int?,
                                 country: String, fatalities: Int?, bytes: (EventField) -> Bytes?, value: (EventField) -> JSONValue?,
                                 appendText: (EventField, inout JSONWriter) -> Void, appendList: (EventField, inout JSONWriter) -> Void,
                                 to w: inout JSONWriter) {
        func comma() { w.appendByte(UInt8(ascii: ",")) }
        func text(_ field: EventField) {
            comma()
            appendText(field, &w)
        }
        comma()
        w.append(contentsOf: csvTime(time))
        comma()
        w.append(contentsOf: typeCSV[Int(types)])
        if let wording = wordingCSV[Int(types)] { w.append(contentsOf: wording) } else { appendText(.eventTypeReported, &w) }
        let cells = actorCSV[Int(actorEntry(bytes(.actor1), bytes(.actor1Reported), bytes(.actorSide), bytes(.actorMatch), value: value))]
        comma()
        w.append(contentsOf: cells[0])
        text(.actor2)
        comma()
        w.append(contentsOf: cells[1])
        text(.target)
        text(.location)
        comma()
        Self.appendCoordinate(latitude, to: &w)
        comma()
        Self.appendCoordinate(longitude, to: &w)
        comma()
        if let g = geoPrecision { w.appendInteger(Int64(g)) }
        comma()
        CSV.appendField(country, to: &w)
        text(.admin1)
        comma()
        if let f = fatalities { w.appendInteger(Int64(f)) }
        comma()  // fatality_claims: none
        comma()
        appendList(.sources, &w)
        text(.notes)
        comma()
        appendList(.tags, &w)
        w.appendRaw(",,,,,,,")  // the match's seven cells: none
    }

    /// `EventEncoder.coordinateText` of a coordinate, appended.
    static func appendCoordinate(_ value: Double, to w: inout JSONWriter) {
        var text = EventEncoder.coordinateText(value)
        text.withUTF8 { w.append(contentsOf: $0) }
    }

    /// A text cell's bytes (no spaces at its ends: `EventDecoder.text` keeps it as it is) as
    /// its CSV cell; else the text trimmed, escaped.
    static func appendTextCell(_ text: Bytes, to w: inout JSONWriter) {
        if text.isEmpty { return }
        if UTF8Text.hasNoSpaceAtEnds(text) { return CSV.appendField(text.assumingMemoryBound(to: UInt8.self), to: &w) }
        CSV.appendField(String(decoding: text, as: UTF8.self).trimmingSpaces, to: &w)
    }

    /// Sets `key` to the parts' bytes, each followed by 0xFF (a byte no UTF-8 text holds); an
    /// absent part adds 0xFE.
    /// (One to four parts, each count its own overload: a variadic parameter made an array,
    /// three allocations a row.)
    private mutating func setKey(_ a: Bytes?) {
        key.removeAll(keepingCapacity: true)
        addKeyPart(a)
    }

    private mutating func setKey(_ a: Bytes?, _ b: Bytes?) {
        setKey(a)
        addKeyPart(b)
    }

    private mutating func setKey(_ a: Bytes?, _ b: Bytes?, _ c: Bytes?) {
        setKey(a, b)
        addKeyPart(c)
    }

    private mutating func setKey(_ a: Bytes?, _ b: Bytes?, _ c: Bytes?, _ d: Bytes?) {
        setKey(a, b, c)
        addKeyPart(d)
    }

    @inline(__always)
    private mutating func addKeyPart(_ part: Bytes?) {
        if let part { key.append(contentsOf: part) } else { key.appendByte(0xFE) }
        key.appendByte(0xFF)
    }

    /// Whether a byte can begin or end a text that `trimmingSpaces` leaves as it is.
    @inline(__always) static func isPlain(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x80 }
}

/// Values kept by byte-string keys: open addressing with linear probing, the keys stored back
/// to back. A lookup hashes the key once and makes no `String`. Bounded: past `limit` keys, new
/// ones are not kept (their answers are worked out every time).
struct ByteMemo<Value> {
    private var keyBytes: [UInt8] = []
    private var keyStarts: [Int] = [0]
    private var hashes: [UInt64] = []
    private var values: [Value] = []
    /// Key number + 1 per slot (0: empty); a power of two, at most half full.
    private var slots = [Int32](repeating: 0, count: 64)
    let limit: Int

    init(limit: Int = 100_000) { self.limit = limit }

    var count: Int { values.count }
    /// Whether `limit` keys are kept (`insert` then keeps no more).
    var isFull: Bool { values.count >= limit }

    /// The value kept for `key`, nil when none is.
    func value(for key: UnsafeRawBufferPointer) -> Value? { index(for: key).map { values[$0] } }

    /// The index of `key` (0, 1… in the order kept), nil when it is not kept.
    func index(for key: UnsafeRawBufferPointer) -> Int? {
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let k = Int(slots[slot]) - 1
            if k < 0 { return nil }
            if hashes[k] == hash, keyStarts[k + 1] - keyStarts[k] == key.count,
               key.isEmpty || keyBytes.withUnsafeBytes({ memcmp($0.baseAddress! + keyStarts[k], key.baseAddress!, key.count) == 0 }) {
                return k
            }
            slot = (slot + 1) & mask
        }
    }

    /// The value kept for the key of index `k`.
    func value(at k: Int) -> Value { values[k] }

    /// Whether the key of index `k` is the parts `a` and `b` as `PlainEventSteps` joins them
    /// (each followed by 0xFF; an absent part is 0xFE).
    func key(at k: Int, is a: UnsafeRawBufferPointer?, _ b: UnsafeRawBufferPointer?) -> Bool {
        guard k < values.count else { return false }
        let (start, end) = (keyStarts[k], keyStarts[k + 1])
        return keyBytes.withUnsafeBytes { stored in
            let afterA = Self.part(a, in: stored, at: start, end: end)
            return afterA >= 0 && Self.part(b, in: stored, at: afterA, end: end) == end
        }
    }

    /// The offset past `part` (as `key(at:is:_:)` joins it) when `stored` holds it at `at`
    /// (before `end`), else -1.
    @inline(__always)
    private static func part(_ part: UnsafeRawBufferPointer?, in stored: UnsafeRawBufferPointer, at: Int, end: Int) -> Int {
        guard let part else { return at + 2 <= end && stored[at] == 0xFE && stored[at + 1] == 0xFF ? at + 2 : -1 }
        guard at + part.count < end, stored[at + part.count] == 0xFF,
              part.isEmpty || memcmp(stored.baseAddress! + at, part.baseAddress!, part.count) == 0 else { return -1 }
        return at + part.count + 1
    }

    /// Keeps `value` for `key` (not already kept), unless `limit` keys are kept: the key's
    /// index, nil when not kept.
    @discardableResult
    mutating func insert(_ value: Value, for key: UnsafeRawBufferPointer) -> Int? {
        guard values.count < limit else { return nil }
        if 2 * (values.count + 1) > slots.count { grow() }
        let hash = Self.hash(key)
        keyBytes.append(contentsOf: key)
        keyStarts.append(keyBytes.count)
        hashes.append(hash)
        values.append(value)
        place(values.count - 1, hash: hash)
        return values.count - 1
    }

    private mutating func place(_ k: Int, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(k + 1)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: 2 * slots.count)
        for k in hashes.indices { place(k, hash: hashes[k]) }
    }

    /// Eight bytes at a time, each word mixed in by a multiply and shift; the length too.
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        func mix(_ word: UInt64) {
            hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
        }
        var i = 0
        while i + 8 <= key.count {
            mix(key.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        if i < key.count {
            let rest = key.count - i
            var tail: UInt64 = 0
            if key.count >= 8 {
                // The last eight bytes, shifted past those already mixed: the same word.
                tail = key.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self) >> UInt64(8 * (8 - rest))
            } else {
                for k in 0..<rest { tail |= UInt64(key[i + k]) << UInt64(8 * k) }
            }
            mix(tail)
        }
        return hash
    }
}

/// Entry numbers by keys of two words, in front of a `ByteMemo` for keys in a form that fits
/// them: no key bytes made, one multiply for a slot. Open addressing with linear probing; no
/// limit of its own (it keeps only what its `ByteMemo` keeps).
struct WordPairMemo {
    typealias Key = SIMD2<UInt64>
    private var keys = [Key](repeating: .zero, count: 64)
    /// Per slot: the value + 1 (0: empty).
    private var values = [Int64](repeating: 0, count: 64)
    private(set) var count = 0

    /// The value kept for `key`, nil when none is.
    @inline(__always)
    func value(for key: Key) -> Int32? {
        let mask = keys.count - 1
        var slot = Self.slot(key, mask: mask)
        while true {
            let stored = values[slot]
            if stored == 0 { return nil }
            if keys[slot] == key { return Int32(truncatingIfNeeded: stored - 1) }
            slot = (slot + 1) & mask
        }
    }

    /// Keeps `value` for `key` (not already kept).
    mutating func insert(_ value: Int32, for key: Key) {
        if 2 * (count + 1) > keys.count { grow() }
        place(key, Int64(value) + 1)
        count += 1
    }

    private mutating func place(_ key: Key, _ stored: Int64) {
        let mask = keys.count - 1
        var slot = Self.slot(key, mask: mask)
        while values[slot] != 0 { slot = (slot + 1) & mask }
        (keys[slot], values[slot]) = (key, stored)
    }

    private mutating func grow() {
        let (oldKeys, oldValues) = (keys, values)
        keys = [Key](repeating: .zero, count: 2 * oldKeys.count)
        values = [Int64](repeating: 0, count: 2 * oldKeys.count)
        for s in oldValues.indices where oldValues[s] != 0 { place(oldKeys[s], oldValues[s]) }
    }

    @inline(__always)
    private static func slot(_ key: Key, mask: Int) -> Int {
        let mixed = (key[0] ^ key[1] &* 0x9E37_79B9_7F4A_7C15) &* 0xFF51_AFD7_ED55_8CCD
        return Int(truncatingIfNeeded: mixed >> 32) & mask
    }
}

/// A plain table row or GeoJSON feature as its event's GeoJSON feature text
/// (`TableScanner.text`, `FeatureTextScanner.text`), for writers of GeoJSON that take events
/// without making them (`EventWriter.encode(_:into:)`). The texts are borrowed from the
/// scanner: valid only during the call they are handed to.
public struct PlainRowText {
    /// The `id` member as JSON text (the event id); nil when it is empty.
    public var idText: UnsafeRawBufferPointer?
    public var longitude: Double
    public var latitude: Double
    /// The properties object, as `EventEncoder.appendFeature` writes the event's.
    public var propertiesText: UnsafeRawBufferPointer
    /// The event's `actor_side` ("" for none) and fatalities, which `SimpleStyle` styles it by.
    public var actorSide = ""
    public var fatalities: Int?

    /// The texts `written` holds: properties that begin `{"event_id":` followed, when `idEnd`
    /// is given, by the id's text up to that offset.
    static func withText<R>(_ written: JSONWriter, idEnd: Int?, longitude: Double, latitude: Double, actorSide: String = "",
                            fatalities: Int? = nil, _ body: (PlainRowText) -> R) -> R {
        written.withUnsafeBytes { text in
            body(PlainRowText(idText: idEnd.map { UnsafeRawBufferPointer(rebasing: text[12..<$0]) }, longitude: longitude, latitude: latitude,
                              propertiesText: text, actorSide: actorSide, fatalities: fatalities))
        }
    }
}
