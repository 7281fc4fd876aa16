import ArgumentParser
import Foundation
import GeoCore
import GeoMaps

extension GeoCommand {
    /// `geo map LAYER... -o map.svg|map.png|map.html [--title TEXT] [--extent …] [--labels auto|none]`.
    public struct MapCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "map",
            abstract: "Draw layers on an offline basemap: SVG, PNG (rsvg-convert) or a self-contained HTML page.",
            discussion: """
                Each LAYER is an event file (CSV, ACLED, GeoJSON) or a geo output: its points are read as \
                an event layer (--layer picks which), its lines and polygons as what their `layer` says \
                (corridor band, border, attack → response pairs, cluster areas). Events are coloured by \
                actor_side (Okabe–Ito, colour-blind safe), shaped by event_type, sized by fatalities \
                (area, capped at 100) and hollow at geo_precision 3.
                The projection (PROJ) is centred on the data: Lambert conformal conic at mid latitudes, \
                azimuthal equidistant elsewhere; the scale bar is true at the map's centre. Basemap: Natural \
                Earth countries clipped with GEOS, graticule, GeoNames places and the curated sites.
                PNG needs rsvg-convert (Debian package librsvg2-bin). The HTML page needs no network: \
                pan and zoom, a tooltip per event, a time slider; past 2,000 events in view the markers \
                are grouped by area with their counts (click a group to zoom in).
                """
        )

        @Argument(help: ArgumentHelp("Layers to draw, bottom first: event files or geo outputs; - for stdin (points only).", valueName: "layer"))
        var inputs: [String]

        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output: .svg, .png or .html; - writes SVG to standard output.", valueName: "file"))
        var output: String = "-"

        @Option(help: ArgumentHelp("svg, png or html; by default from the output's extension.", valueName: "format"))
        var format: String?

        @Option(help: ArgumentHelp("Title above the map (default: the layers' file names).", valueName: "text"))
        var title: String?

        @Option(help: ArgumentHelp("auto (the data, padded) or minlon,minlat,maxlon,maxlat in degrees.", valueName: "extent"))
        var extent: String = "auto"

        @Option(help: ArgumentHelp("auto: label event places, large towns and sites; none: no place labels.", valueName: "auto|none"))
        var labels: String = "auto"

        @OptionGroup var layerOptions: LayerInputOptions

        public init() {}

        static let formats = ["svg", "png", "html"]

        /// The format to write: `--format`, else the extension; a usage error names what `map` writes.
        func resolvedFormat() throws -> String {
            let writes = "geo map writes svg (.svg), png (.png) and html (.html)"
            if let format {
                guard Self.formats.contains(format.lowercased()) else { throw ValidationError("--format \(format): \(writes)") }
                return format.lowercased()
            }
            if output == "-" { return "svg" }
            let ext = (output as NSString).pathExtension.lowercased()
            if ext == "htm" { return "html" }
            guard Self.formats.contains(ext) else {
                throw ValidationError("cannot write '\((output as NSString).lastPathComponent)': \(writes); name the file so or say --format")
            }
            return ext
        }

        public func validate() throws {
            try OutputSafety.check(inputs: inputs, outputs: [("-o", output)])
            _ = try resolvedFormat()
            do { _ = try MapOptions.parseExtent(extent) } catch { throw ValidationError("\(error)") }
            guard ["auto", "none"].contains(labels) else { throw ValidationError("--labels takes auto or none, got '\(labels)'") }
            if inputs.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read once") }
        }

        public func run() throws {
            let format = try resolvedFormat()
            var layers: [MapLayerInput] = []
            for path in inputs {
                let shapes = try MapShapes.read(path: path)
                // A GeoJSON file of lines and polygons only (cluster --summary) has no event layer.
                let wantsPoints = !shapes.isGeoJSON || layerOptions.layer != "events" || shapes.hasEventPoints
                layers.append(MapLayerInput(name: path, events: wantsPoints ? try layerOptions.read(path, reportSkipped: false) : nil, shapes: shapes.shapes))
            }
            let options = MapOptions(title: title, extent: try MapOptions.parseExtent(extent), labels: labels == "auto", interactive: format == "html")
            let drawing: MapDrawing
            do {
                drawing = try MapRenderer(gazetteer: try layerOptions.events.gazetteer.load(), options: options).render(layers)
            } catch let error as MapError { throw CommandError(error.description) }
            let bytes: [UInt8]
            switch format {
            case "png":
                do { bytes = try SVGToPNG.render(svg: drawing.svg) } catch let error as MapError { throw CommandError(error.description) }
            case "html": bytes = Array(drawing.html().utf8)
            default: bytes = Array(drawing.svg.utf8)
            }
            let sink = try Console.current.sink(forOutput: output)
            try sink.write(bytes)
            try Console.current.finishOutput(sink)
            var note = "\(drawing.eventCount) events drawn"
            if drawing.eventsOutside > 0 { note += ", \(drawing.eventsOutside) outside the extent" }
            if drawing.duplicateEvents > 0 { note += " (\(drawing.duplicateEvents) in more than one layer, drawn once)" }
            Console.current.printError(note + (output == "-" ? "" : "; wrote \(output)"))
        }
    }
}
