import ArgumentParser
import GeoCore
import GeoEvents

/// Options of commands that read an event layer: events in any supported format (rows
/// without coordinates are geocoded), GeoJSON points, one layer of a multi-layer output.
public struct LayerInputOptions: ParsableArguments {
    @OptionGroup public var events: EventInputOptions

    @Option(help: ArgumentHelp(
        "Layer of a multi-layer GeoJSON (features with a `layer` property, as corridor and windows write): events (default), all, or a layer name.",
        valueName: "name"))
    public var layer: String = "events"

    public init() {}

    /// Reads `path` as an event layer. Rows that cannot be used are one error naming the
    /// first few and how many; features of other layers skipped are said on stderr (unless
    /// `reportSkipped` is false: `geo map` draws them itself).
    func read(_ path: String, reportSkipped: Bool = true) throws -> EventLayer {
        let console = Console.current
        let locator = events.locator()
        var options = EventLayerOptions(
            reader: try events.reader(), locate: { _ = try locator.locate(&$0) }, layer: LayerChoice(layer),
            onProgress: console.errIsTerminal ? { console.progress("\(path): \($0.rows) rows\($0.pass == 0 ? "" : " (pass \($0.pass + 1))")…") } : nil)
        // A large table is read on all cores, each thread placing its rows with its own locator.
        options.threadLocates = { count in locator.forThreads(count).map { threadLocator in { _ = try threadLocator.locate(&$0) } } }
        // Plain rows with coordinates are checked from their country and point alone.
        options.checkGiven = { try locator.checkGiven(country: $0, latitude: $1, longitude: $2) }
        options.threadChecksGiven = { count in
            locator.forThreads(count).map { threadLocator in { try threadLocator.checkGiven(country: $0, latitude: $1, longitude: $2) } }
        }
        let layer: EventLayer
        do {
            layer = try EventLayer.read(path: path, options: options)
        } catch let error as EventLayerError {
            if error.message != nil { throw CommandError(error.description) }
            // `geo convert` keeps the good rows of the whole file, not of one named layer (such
            // as corridor's border line): there the problems themselves are the hint.
            if case .named = LayerChoice(self.layer) { throw CommandError(error.description) }
            throw CommandError(error.description
                + "\nRun `geo convert \(path) -o events.geojson --rejects rejects.csv` to see every reason and keep the good rows.")
        } catch let error as EventInputError {
            throw CommandError(error.description)
        }
        console.endProgress()
        if reportSkipped, !layer.skippedLayers.isEmpty {
            let skipped = layer.skippedLayers.map { "\($0.value) of layer \($0.key)" }.joined(separator: ", ")
            console.printError("\(path): read \(layer.count) features of layer \(self.layer); skipped \(skipped)")
        }
        return layer
    }
}
