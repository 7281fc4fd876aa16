extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    public var trimmingSpaces: String {
        // Most cells have nothing to trim: check the ends first.
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last else { return self }
        func isPlainByte(_ b: UInt8) -> Bool { b > 0x20 && b < 0x80 }
        if isPlainByte(first) && isPlainByte(last) { return self }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !UTF8Text.isWhiteSpace($0.value) }) else { return "" }
        let end = scalars.lastIndex(where: { !UTF8Text.isWhiteSpace($0.value) })!
        if start == scalars.startIndex, end == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[start...end])
    }
}
