import GeoCore

/// What one reading thread made of the plain features of one chunk of a first reading: their
/// columns and kept spans, appended to the layer in one go rather than row by row.
struct ScannedColumns {
    /// Degrees.
    var longitudes: [Double] = []
    var latitudes: [Double] = []
    /// Seconds since 1970 (NaN when undated), as `EventLayer`'s columns.
    var startSeconds: [Double] = []
    var endSeconds: [Double] = []
    /// `TimePrecision` raw value; 0 when undated.
    var precisions: [UInt8] = []
    /// NaN when not known.
    var fatalities: [Double] = []
    /// Where each feature's texts lie (`ScannedSpans.Span`), while every one fits in 32 bits.
    var spans: [ScannedSpans.Span] = []
    /// The union of the features' `NameBloom`s.
    var names = NameBloom()
    /// False once a feature's span did not fit: the layer then keeps no spans.
    var spansFit = true

    var count: Int { longitudes.count }

    mutating func reserve(_ n: Int) {
        longitudes.reserveCapacity(n)
        latitudes.reserveCapacity(n)
        startSeconds.reserveCapacity(n)
        endSeconds.reserveCapacity(n)
        precisions.reserveCapacity(n)
        fatalities.reserveCapacity(n)
        spans.reserveCapacity(n)
    }

    /// Empties the columns for the next run of rows, keeping their capacity.
    mutating func removeAll() {
        longitudes.removeAll(keepingCapacity: true)
        latitudes.removeAll(keepingCapacity: true)
        startSeconds.removeAll(keepingCapacity: true)
        endSeconds.removeAll(keepingCapacity: true)
        precisions.removeAll(keepingCapacity: true)
        fatalities.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        names = NameBloom()
        spansFit = true
    }

    /// A row's time span and fatalities as the layer's columns hold them: seconds since 1970
    /// and the `TimePrecision` raw value (NaN, NaN and 0 when undated), fatalities (NaN when
    /// not known).
    static func values(interval: EventInterval?, fatalities: Int?)
        -> (startSeconds: Double, endSeconds: Double, precision: UInt8, fatalities: Double) {
        (interval?.startSeconds ?? .nan, interval?.endSeconds ?? .nan, interval.map { UInt8($0.precision.rawValue) } ?? 0,
         fatalities.map(Double.init) ?? .nan)
    }

    /// Adds a row that has no kept span (a table's row): the columns can then keep no spans.
    mutating func append(longitude: Double, latitude: Double, interval: EventInterval?, fatalities deaths: Int?) {
        appendValues(longitude: longitude, latitude: latitude, interval: interval, fatalities: deaths)
        if spansFit {
            spansFit = false
            spans = []
        }
    }

    private mutating func appendValues(longitude: Double, latitude: Double, interval: EventInterval?, fatalities deaths: Int?) {
        let values = Self.values(interval: interval, fatalities: deaths)
        longitudes.append(longitude)
        latitudes.append(latitude)
        startSeconds.append(values.startSeconds)
        endSeconds.append(values.endSeconds)
        precisions.append(values.precision)
        fatalities.append(values.fatalities)
    }

    /// Adds `scanned`, whose offsets are `offset` bytes before the whole input's.
    mutating func append(_ scanned: ScannedFeature, offset: Int, interval: EventInterval?, fatalities deaths: Int?,
                         dateIndex: Int, dateEndIndex: Int) {
        appendValues(longitude: scanned.longitude, latitude: scanned.latitude, interval: interval, fatalities: deaths)
        guard spansFit else { return }
        guard var span = ScannedSpans.span(of: scanned, dateIndex: dateIndex, dateEndIndex: dateEndIndex) else {
            spansFit = false
            spans = []
            return
        }
        span.base += offset
        spans.append(span)
        names.formUnion(scanned.nameBloom)
    }
}
