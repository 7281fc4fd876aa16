#if canImport(Glibc)
import Glibc
#endif
import GeoCLI

GeoMain.removeTemporaryFilesOnSignals()
exit(GeoMain.run(Array(CommandLine.arguments.dropFirst())))
