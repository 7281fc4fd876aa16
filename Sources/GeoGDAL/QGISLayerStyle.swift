import GeoEvents

/// A QGIS layer style (`.qml`) for an events layer, in `geo map`'s colours: a categorised
/// renderer on `actor_side` (one circle symbol per side, `SideColors`), circles sized by
/// `fatalities` (area, capped at 100, as on the map). QGIS loads a `.qml` beside a data file of
/// the same name as the layer's default style (`events.gpkg` → `events.qml`).
public enum QGISLayerStyle {
    /// The file name beside `path`: its extension replaced by `.qml`.
    public static func path(besides path: String) -> String {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[slash...].lastIndex(of: "."), dot != slash else { return path + ".qml" }
        return String(path[..<dot]) + ".qml"
    }

    /// Symbol diameter in millimetres as a QGIS expression: 2.4 mm without deaths to 8.4 mm at
    /// 100 or more, area proportional (`MapStyle.MarkerScale`'s rule).
    static let sizeExpression = #"2 * sqrt(1.2^2 + (4.2^2 - 1.2^2) * min(max(coalesce("fatalities", 0), 0), 100) / 100)"#

    /// The style for events whose sides are `sideCounts` (`actor_side` → events; "" for none).
    /// Sides are listed most frequent first, as in the map's legend; a last category with no
    /// value catches any other side in grey.
    public static func categorized(sideCounts: [String: Int]) -> String {
        let sides = SideColors.ordered(sideCounts)
        let colors = SideColors.assign(counts: sides.map { ($0.side, $0.count) })
        var categories = "", symbols = ""
        var index = 0
        for (side, count) in sides where !side.isEmpty {
            let label = "\(side) (\(count))"
            categories += "      <category render=\"true\" symbol=\"\(index)\" value=\"\(escape(side))\" type=\"string\" label=\"\(escape(label))\"/>\n"
            symbols += symbol(name: String(index), color: colors[side] ?? SideColors.unknown)
            index += 1
        }
        let missing = sideCounts[""].map { "no side (\($0))" } ?? "other"
        categories += "      <category render=\"true\" symbol=\"\(index)\" value=\"\" type=\"string\" label=\"\(escape(missing))\"/>\n"
        symbols += symbol(name: String(index), color: SideColors.unknown)
        return """
            <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
            <qgis version="3.28.0" styleCategories="Symbology">
              <renderer-v2 type="categorizedSymbol" attr="actor_side" forceraster="0" symbollevels="0" enableorderby="0" referencescale="-1">
                <categories>
            \(categories)    </categories>
                <symbols>
            \(symbols)    </symbols>
                <rotation/>
                <sizescale/>
              </renderer-v2>
              <blendMode>0</blendMode>
              <featureBlendMode>0</featureBlendMode>
              <layerGeometryType>0</layerGeometryType>
            </qgis>

            """
    }

    /// A circle marker of `color` (`#rrggbb`), 85 % opaque with a white outline, sized by deaths.
    static func symbol(name: String, color: String) -> String {
        func option(_ name: String, _ value: String) -> String {
            "            <Option name=\"\(name)\" value=\"\(escape(value))\" type=\"QString\"/>\n"
        }
        let options = option("name", "circle") + option("color", rgba(color, alpha: 217)) + option("outline_color", "255,255,255,255")
            + option("outline_style", "solid") + option("outline_width", "0.2") + option("outline_width_unit", "MM")
            + option("size", "2.4") + option("size_unit", "MM") + option("scale_method", "diameter")
            + option("angle", "0") + option("offset", "0,0") + option("offset_unit", "MM")
            + option("horizontal_anchor_point", "1") + option("vertical_anchor_point", "1") + option("joinstyle", "bevel")
        return """
                  <symbol type="marker" name="\(name)" alpha="1" clip_to_extent="1" force_rhr="0">
                    <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
                      <Option type="Map">
            \(options)          </Option>
                      <data_defined_properties>
                        <Option type="Map">
                          <Option name="name" value="" type="QString"/>
                          <Option name="properties" type="Map">
                            <Option name="size" type="Map">
                              <Option name="active" value="true" type="bool"/>
                              <Option name="expression" value="\(escape(sizeExpression))" type="QString"/>
                              <Option name="type" value="3" type="int"/>
                            </Option>
                          </Option>
                          <Option name="type" value="collection" type="QString"/>
                        </Option>
                      </data_defined_properties>
                    </layer>
                  </symbol>

            """
    }

    /// `#rrggbb` as QGIS's `r,g,b,a`.
    static func rgba(_ hex: String, alpha: Int) -> String {
        let digits = Array(hex.dropFirst())
        guard digits.count == 6 else { return "140,140,140,\(alpha)" }
        let parts = stride(from: 0, to: 6, by: 2).map { Int(String(digits[$0...$0 + 1]), radix: 16) ?? 140 }
        return "\(parts[0]),\(parts[1]),\(parts[2]),\(alpha)"
    }

    /// Text for an XML attribute value.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
