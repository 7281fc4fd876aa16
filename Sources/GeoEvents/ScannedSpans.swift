import GeoCore

/// Where the texts of each scanned feature of a layer lie in the input, kept from the first
/// reading so that writing and selecting read them again without a second scan (about 40
/// bytes an event). Offsets are relative to the properties text's start (or the id's, for a
/// feature with `"properties": null`), so 32 bits hold them for any feature under 2 GiB.
struct ScannedSpans {
    struct Span {
        /// Absolute offset every other offset is relative to.
        var base: Int
        /// The id's text; length 0 when the feature has none.
        var idStart: Int32, idLength: Int32
        var propertiesStart: Int32, propertiesLength: Int32
        /// End of the `event_date` and `date_end` values' texts; -1 when absent.
        var dateValueEnd: Int32, dateEndValueEnd: Int32
        var verbatim: Bool

        /// The offset of the first of the feature's texts this span gives (its id or its properties).
        var textStart: Int { base + Int(min(0, idStart)) }
    }

    private(set) var spans: [Span] = []
    /// The union of every feature's `NameBloom`: a name it does not hold is in no feature.
    private(set) var names = NameBloom()
    /// False once a feature could not be kept (a decoded row, or offsets beyond 32 bits): the
    /// layer is then read again from the input.
    private(set) var isComplete = true

    mutating func reserve(_ n: Int) { spans.reserveCapacity(n) }

    /// Keeps `scanned`'s ranges; `dateIndex`/`dateEndIndex` are positions in its `valueEnds`.
    mutating func append(_ scanned: ScannedFeature, dateIndex: Int, dateEndIndex: Int) {
        guard isComplete else { return }
        guard let span = Self.span(of: scanned, dateIndex: dateIndex, dateEndIndex: dateEndIndex) else { return abandon() }
        spans.append(span)
        names.formUnion(scanned.nameBloom)
    }

    /// Keeps spans made by `span(of:)`, with the union of their features' Bloom filters.
    mutating func append(contentsOf more: ArraySlice<Span>, names moreNames: NameBloom) {
        guard isComplete else { return }
        spans.append(contentsOf: more)
        names.formUnion(moreNames)
    }

    /// `scanned`'s ranges as a span; nil when an offset does not fit in 32 bits.
    static func span(of scanned: ScannedFeature, dateIndex: Int, dateEndIndex: Int) -> Span? {
        let base = scanned.propertiesRange?.lowerBound ?? scanned.idRange?.lowerBound ?? 0
        func relative(_ offset: Int?) -> Int32? {
            guard let offset else { return -1 }
            return Int32(exactly: offset - base)
        }
        let dateEnd = scanned.valueEnds[dateIndex], endEnd = scanned.valueEnds[dateEndIndex]
        guard let idStart = scanned.idRange.map({ relative($0.lowerBound) }) ?? 0,
              let idLength = Int32(exactly: scanned.idRange?.count ?? 0),
              let propertiesLength = Int32(exactly: scanned.propertiesRange?.count ?? 0),
              let dateValueEnd = dateEnd < 0 ? -1 : relative(dateEnd),
              let dateEndValueEnd = endEnd < 0 ? -1 : relative(endEnd) else {
            return nil
        }
        return Span(base: base, idStart: idStart, idLength: idLength, propertiesStart: scanned.propertiesRange == nil ? -1 : 0,
                    propertiesLength: propertiesLength, dateValueEnd: dateValueEnd, dateEndValueEnd: dateEndValueEnd,
                    verbatim: scanned.propertiesVerbatim)
    }

    /// Gives up keeping spans (a row that was not scanned).
    mutating func abandon() {
        isComplete = false
        spans = []
    }

    /// Feature `i` as `FeatureScanner` found it, but for its `values` (empty) and its Bloom
    /// filter (the layer's union); `valueEnds` holds the ends of `event_date` and `date_end`
    /// at `dateIndex` and `dateEndIndex`.
    func feature(_ i: Int, longitude: Double, latitude: Double, dateIndex: Int, dateEndIndex: Int) -> ScannedFeature {
        var (scanned, _) = featureAndDatesEnd(i, longitude: longitude, latitude: latitude)
        let span = spans[i]
        if span.dateValueEnd >= 0 || span.dateEndValueEnd >= 0 {
            var valueEnds = [Int](repeating: -1, count: max(dateIndex, dateEndIndex) + 1)
            if span.dateValueEnd >= 0 { valueEnds[dateIndex] = span.base + Int(span.dateValueEnd) }
            if span.dateEndValueEnd >= 0 { valueEnds[dateEndIndex] = span.base + Int(span.dateEndValueEnd) }
            scanned.valueEnds = valueEnds
        }
        return scanned
    }

    /// Feature `i` as `feature(_:longitude:latitude:dateIndex:dateEndIndex:)` gives it but with
    /// no `valueEnds` (no array made), and where its `date_end` value ends, else its
    /// `event_date` value (-1: neither).
    func featureAndDatesEnd(_ i: Int, longitude: Double, latitude: Double) -> (ScannedFeature, Int) {
        Self.featureAndDatesEnd(spans[i], names: names, longitude: longitude, latitude: latitude)
    }

    /// `featureAndDatesEnd(_:longitude:latitude:)` for a span and the layer's union of Bloom
    /// filters `names` (for callers that walk `spans` without reading them through the layer).
    @inline(__always)
    static func featureAndDatesEnd(_ span: Span, names: NameBloom, longitude: Double, latitude: Double) -> (ScannedFeature, Int) {
        let end = span.dateEndValueEnd >= 0 ? span.dateEndValueEnd : span.dateValueEnd
        let scanned = ScannedFeature(
            longitude: longitude, latitude: latitude,
            idRange: span.idLength == 0 ? nil : (span.base + Int(span.idStart))..<(span.base + Int(span.idStart) + Int(span.idLength)),
            propertiesRange: span.propertiesStart < 0 ? nil : span.base..<(span.base + Int(span.propertiesLength)),
            propertiesVerbatim: span.verbatim, values: [], valueEnds: [], nameBloom: names)
        return (scanned, end < 0 ? -1 : span.base + Int(end))
    }
}
